"""Checks run by ``notices check`` beyond loading: every amendment applies on its date,
amendments on the same day do not touch the same unit, every generated 改め文
reads back into changes that give the same consolidated text (the round trip), and
every 別添1 an amendment makes can be built (:mod:`builder.sources.tablecheck`: area names that
can be file names, rows that fit on a page of the PDF), and no document already issued
would change (:mod:`builder.drafting.issued`)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from builder.core.errors import NoticeError, Problem
from builder.documents.compose import cover_notice, distribution_letter
from builder.drafting.citations import citation_problems
from builder.drafting.issued import (
    Issued,
    Render,
    inapplicable_problems,
    issued_positions,
    issued_problems,
    load_issued,
)
from builder.engine.address import Address, AttachmentAddress, RowAddress, format_address
from builder.engine.amend import History, Version, apply, resolve
from builder.engine.compare import units
from builder.engine.kaibun import kaibun_text
from builder.engine.kaibun_parse import KaibunSyntaxError, parse_kaibun
from builder.engine.units import UnitError, contains
from builder.model.notice import Amendment, AreaTable, SourcePos
from builder.sources.tablecheck import (
    area_file_name_problem,
    label_column_problem,
    row_layout_problem,
)
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


def _tables(version: Version) -> dict[str, AreaTable]:
    return {a.id: a for a in version.notice.attachments if isinstance(a, AreaTable)}


def _row_change_pos(version: Version, table_id: str, row: str) -> SourcePos | None:
    """Where ``version``'s amendment changes ``row`` of ``table_id`` (or the table)."""
    for unit in version.changes:
        address = unit.address
        touches = (
            isinstance(address, RowAddress) and (address.attachment, address.row) == (table_id, row)
        ) or (isinstance(address, AttachmentAddress) and address.attachment == table_id)
        if touches and unit.positions and unit.positions[0] is not None:
            return unit.positions[0]
    assert version.amendment is not None
    return version.amendment.pos


def table_problems(history: History) -> list[Problem]:
    """Every 別添1 row an amendment changes (or adds) can be built: its new area names
    can be file names and it fits on a page of the PDF. Reported at the change that
    touches the row (else at the amendment); the original's rows are checked when the
    notice is read (:mod:`builder.sources.project`)."""
    problems: list[Problem] = []
    for before, version in itertools.pairwise(history.versions):
        amendment = version.amendment
        assert amendment is not None
        old_tables = _tables(before)
        for table_id, table in _tables(version).items():
            old = old_tables.get(table_id)
            same_columns = old is not None and old.columns == table.columns
            if not same_columns and (problem := label_column_problem(table)) is not None:
                problems.append(Problem(problem, amendment.pos))
            old_rows = {row.prefecture: row for row in old.rows} if old else {}
            for row in table.rows:
                previous = old_rows.get(row.prefecture)
                if previous == row and same_columns:
                    continue
                where = _row_change_pos(version, table_id, row.prefecture)
                known = {area.name for area in previous.areas} if previous else set()
                for area in row.areas:
                    if area.name not in known:
                        message = area_file_name_problem(area.name)
                        if message is not None:
                            problems.append(Problem(message, where))
                layout = row_layout_problem(table, row)
                if layout is not None:
                    problems.append(Problem(layout, where))
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
        problems.extend(table_problems(history))
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
