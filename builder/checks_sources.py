"""Checks run by ``notices check`` beyond loading: every amendment applies on its date,
amendments on the same day do not touch the same unit, and every generated 改め文
reads back into changes that give the same consolidated text (the round trip)."""

from __future__ import annotations

from builder.address import format_address
from builder.amend import History, Version, apply, resolve
from builder.errors import NoticeError, Problem
from builder.kaibun import kaibun_text
from builder.kaibun_parse import KaibunSyntaxError, parse_kaibun
from builder.model import Amendment
from builder.units import UnitError
from builder.workspace import Workspace


def round_trip(history: History, version: Version) -> Problem | None:
    """Generate the 改め文 of ``version``, parse it, re-apply it to the version before and
    compare; a Problem describing the first difference, or None when they agree."""
    amendment = version.amendment
    assert amendment is not None
    before = history.before(version)
    text = kaibun_text(version.changes)
    try:
        reparsed = Amendment(
            amendment.number, amendment.date, amendment.notice, tuple(parse_kaibun(text))
        )
        again = apply(before.notice, resolve(before.notice, reparsed))
    except (KaibunSyntaxError, UnitError, NoticeError) as exc:
        return Problem(f"the generated 改め文 does not read back: {exc}\n{text}", amendment.pos)
    if again != version.notice:
        return Problem(
            "the generated 改め文, applied again, does not give the consolidated text; "
            f"report this with the amendment file\n{text}",
            amendment.pos,
        )
    return None


def same_day_conflicts(history: History) -> list[Problem]:
    """Two amendments of one notice on one day may not change the same unit."""
    problems = []
    touched: dict[tuple[str, str], Amendment] = {}
    for version in history.versions[1:]:
        amendment = version.amendment
        assert amendment is not None
        for unit in version.changes:
            key = (amendment.date.isoformat(), format_address(unit.address))
            other = touched.get(key)
            if other is not None and other.number != amendment.number:
                problems.append(
                    Problem(
                        f"{amendment.number} and {other.number} are both dated "
                        f"{amendment.date.isoformat()} and both change {key[1]}; "
                        "merge them or date one later",
                        unit.positions[0] if unit.positions else amendment.pos,
                    )
                )
            touched[key] = amendment
    return problems


def check_workspace(workspace: Workspace) -> list[str]:
    """Every check; raises ``NoticeError`` listing all problems, else returns a summary."""
    problems: list[Problem] = []
    summary = []
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        try:
            versions = history.versions
        except NoticeError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(same_day_conflicts(history))
        for version in versions[1:]:
            problem = round_trip(history, version)
            if problem is not None:
                problems.append(problem)
        summary.append(f"{notice.id}: {len(versions)} versions, {len(versions) - 1} amendments")
    if problems:
        raise NoticeError(problems)
    return summary
