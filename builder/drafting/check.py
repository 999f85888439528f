"""Checks run by ``notices check`` beyond loading: every amendment applies on its date,
amendments on the same day do not touch the same unit, every generated 改め文
reads back into changes that give the same consolidated text (the round trip), and
every 別添1 an amendment makes can be built (:func:`builder.drafting.area_rows.table_problems`:
area names that can be file names, rows that fit on a page of the PDF), and no document
already issued would change (:mod:`builder.drafting.issued`)."""

from __future__ import annotations

from collections.abc import Mapping

from builder.core.errors import NoticeError, Problem
from builder.documents.compose import cover_notice, distribution_letter
from builder.drafting import area_rows
from builder.drafting.citations import citation_problems
from builder.drafting.issued import (
    Issued,
    Render,
    inapplicable_problems,
    issued_positions,
    issued_problems,
    load_issued,
)
from builder.engine.address import Address, format_address
from builder.engine.amend import History, Version, apply, resolve
from builder.engine.compare import units
from builder.engine.kaibun import kaibun_text
from builder.engine.kaibun_parse import KaibunSyntaxError, parse_kaibun
from builder.engine.units import UnitError, contains
from builder.model.notice import Amendment, SourcePos
from builder.sources.workspace import Workspace


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


def same_day_conflicts(
    history: History, issued: Mapping[str, SourcePos] | None = None
) -> list[Problem]:
    """Two amendments of one notice on one day may not change the same unit. When one of
    them is already issued (``issued``: where issued.yaml records each issued amendment),
    the other one is at fault, and the message says so."""
    issued = issued or {}
    problems = []
    touched: list[tuple[str, Address, Amendment, SourcePos | None]] = []
    for version in history.versions[1:]:
        amendment = version.amendment
        assert amendment is not None
        for unit in version.changes:
            day = amendment.date.isoformat()
            where = unit.positions[0] if unit.positions else amendment.pos
            found = next(
                (
                    (a, pos)
                    for d, address, a, pos in touched
                    if d == day
                    and a.number != amendment.number
                    and (contains(address, unit.address) or contains(unit.address, address))
                ),
                None,
            )
            touched.append((day, unit.address, amendment, where))
            if found is None:
                continue
            other, other_where = found
            name = format_address(unit.address)
            blamed, blamed_where = amendment, where
            if amendment.number in issued and other.number not in issued:
                blamed, blamed_where, other, other_where = other, other_where, amendment, where
            if other.number in issued and blamed.number not in issued:
                message = (
                    f"{blamed.number} and {other.number} ({other_where}) are both dated "
                    f"{day} and both change {name}, and {other.number} is already issued "
                    f"({issued[other.number]}); date {blamed.number} later"
                )
            else:
                message = (
                    f"{blamed.number} and {other.number} are both dated {day} and both "
                    f"change {name}; merge them or date one later"
                )
            problems.append(Problem(message, blamed_where))
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


def check_workspace(workspace: Workspace, render: Render) -> list[str]:
    """Every check, issued documents (:mod:`builder.drafting.issued`, whose text
    ``render`` gives) included; raises ``NoticeError`` listing all problems, else
    returns a summary."""
    problems: list[Problem] = []
    summary = []
    try:
        issued = load_issued(workspace.root)
    except NoticeError as exc:
        problems.extend(exc.problems)
        issued = Issued()  # nothing can be compared with an unreadable record
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        try:
            versions = history.versions
        except NoticeError as exc:
            problems.extend(inapplicable_problems(workspace, notice, exc, issued))
            continue
        problems.extend(same_day_conflicts(history, issued_positions(issued)))
        problems.extend(area_rows.table_problems(history))
        for version in versions[1:]:
            problem = round_trip(history, version)
            if problem is not None:
                problems.append(problem)
            problems.extend(_letter_problems(workspace, history, version))
        summary.append(f"{notice.id}: {len(versions)} versions, {len(versions) - 1} amendments")
        for draft in workspace.project.drafts_of(notice.id):
            summary.append(
                f"{draft.source}: draft {draft.number} has no changes yet; it is left out of "
                "every version and document until it has some"
            )
    problems.extend(issued_problems(workspace, render, issued))
    problems.extend(citation_problems(workspace.project))
    if problems:
        raise NoticeError(dict.fromkeys(problems))  # one template problem, many amendments
    return summary
