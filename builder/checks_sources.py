"""Checks run by ``notices check`` beyond loading: every amendment applies on its date,
amendments on the same day do not touch the same unit, and every generated 改め文
reads back into changes that give the same consolidated text (the round trip)."""

from __future__ import annotations

from builder.address import Address, format_address
from builder.amend import History, Version, apply, resolve
from builder.compare import units
from builder.documents import cover_notice, distribution_letter
from builder.errors import NoticeError, Problem
from builder.kaibun import kaibun_text
from builder.kaibun_parse import KaibunSyntaxError, parse_kaibun
from builder.model import Amendment
from builder.units import UnitError, contains
from builder.workspace import Workspace


def round_trip(history: History, version: Version) -> Problem | None:
    """Generate the 改め文 of ``version``, parse it, re-apply it to the version before and
    compare the printed units (what the 改め文 can say); a one-line Problem at the
    amendment, or None when they agree."""
    amendment = version.amendment
    assert amendment is not None
    before = history.before(version)
    text = kaibun_text(version.changes)
    first_line = text.splitlines()[0] if text.strip() else ""
    try:
        changes = tuple(parse_kaibun(text))
        reparsed = Amendment(amendment.number, amendment.date, amendment.notice, changes)
        again = apply(before.notice, resolve(before.notice, reparsed))
    except (KaibunSyntaxError, UnitError, NoticeError) as exc:
        message = str(exc).splitlines()[0]
        return Problem(
            f"{amendment.number}: the generated 改め文 「{first_line}」 does not read back "
            f"({message}); quote whole words without 「」 inside quotes",
            amendment.pos,
        )
    if units(again) != units(version.notice):
        return Problem(
            f"{amendment.number}: the generated 改め文 「{first_line}」, applied again, does "
            "not give the consolidated text; report this with the amendment file",
            amendment.pos,
        )
    return None


def same_day_conflicts(history: History) -> list[Problem]:
    """Two amendments of one notice on one day may not change the same unit."""
    problems = []
    touched: list[tuple[str, Address, Amendment]] = []
    for version in history.versions[1:]:
        amendment = version.amendment
        assert amendment is not None
        for unit in version.changes:
            day = amendment.date.isoformat()
            other = next(
                (
                    a
                    for d, address, a in touched
                    if d == day
                    and a.number != amendment.number
                    and (contains(address, unit.address) or contains(unit.address, address))
                ),
                None,
            )
            key = (day, format_address(unit.address))
            if other is not None:
                problems.append(
                    Problem(
                        f"{amendment.number} and {other.number} are both dated "
                        f"{amendment.date.isoformat()} and both change {key[1]}; "
                        "merge them or date one later",
                        unit.positions[0] if unit.positions else amendment.pos,
                    )
                )
            touched.append((day, unit.address, amendment))
    return problems


def _letter_problems(workspace: Workspace, history: History, version: Version) -> list[Problem]:
    """The letters of an amendment can be worded: the templates read, parse and fill."""
    try:
        cover_notice(history, version, workspace.templates, "cover-notice")
        if version.amendment is not None and version.amendment.letter is not None:
            distribution_letter(workspace.project, history, version, workspace.templates, "letter")
    except NoticeError as exc:
        return list(exc.problems)
    return []


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
            problems.extend(_letter_problems(workspace, history, version))
        summary.append(f"{notice.id}: {len(versions)} versions, {len(versions) - 1} amendments")
    if problems:
        raise NoticeError(dict.fromkeys(problems))  # one template problem, many amendments
    return summary
