"""The drafter's workflow: scaffolding a new amendment file, and writing the amendment
that turns a table attachment as in force (an area table such as 別添1, or a generic
table) into an edited copy of it (CSV, YAML or the .xlsx data sheet), checked by applying
it before anything is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from builder.core.errors import NoticeError
from builder.core.filenames import safe_component
from builder.drafting import area_rows
from builder.drafting.change_yaml import change_yaml, row_yaml
from builder.drafting.data_sheet import DATA_SHEET, data_sheet_rows
from builder.engine.amend import History, Version, apply, resolve
from builder.engine.tabular import cell_of_text, find_table, spreadsheet_value
from builder.engine.textedit import QuoteError, diff_segment, find_all
from builder.engine.units import cell_lines, table_row_problems
from builder.japanese import (
    DocumentNumberError,
    check_number_matches_date,
    format_wareki,
    parse_document_number,
)
from builder.model.notice import (
    Amendment,
    Change,
    Project,
    Row,
    Table,
    TableAttachment,
    TableRow,
    TextChange,
)

EditedRows = tuple[Row, ...]
"""The rows of an edited table: area rows for an area table, generic rows otherwise."""


def _checked_number(number: str, date: dt.date) -> str:
    try:
        parsed = parse_document_number(number)
        check_number_matches_date(parsed, date)
    except DocumentNumberError as exc:
        raise NoticeError(f"--number: {exc}") from None
    return str(parsed)


def check_new_amendment(project: Project, history: History, number: str, date: dt.date) -> str:
    """The canonical number, or ``NoticeError`` if it or the date clashes."""
    number = _checked_number(number, date)
    if date <= history.notice.date:
        raise NoticeError(
            f"{date.isoformat()} is not after {history.notice.id} "
            f"({history.notice.date.isoformat()})"
        )
    for amendment in project.amendments:
        used = {amendment.number} | ({amendment.letter.number} if amendment.letter else set())
        if number in used:
            raise NoticeError(
                f"{number} is already used by {amendment.source}; choose a new number"
            )
        if amendment.notice == history.notice.id and amendment.date == date:
            raise NoticeError(
                f"{history.notice.id} already has an amendment dated {date.isoformat()} "
                f"({amendment.number}, {amendment.source}); amend that one or choose another date"
            )
    return number


def citation(history: History, date: dt.date) -> str:
    """How the cover notice will cite the base: with its latest amendment before ``date``."""
    base = history.notice
    earlier = [a for a in history.amendments if a.date < date]
    inner = f"（{format_wareki(earlier[-1].date)}一部改正）" if earlier else ""
    return f"「{base.title}」（{format_wareki(base.date)}付け{base.number}{inner}）"


def scaffold(
    project: Project, history: History, number: str, date: dt.date, letter_number: str | None
) -> str:
    """The text of a new amendment file: ``changes: []`` (a draft, which ``check`` reports
    and the build leaves out) and commented examples of every change kind that applies to
    this notice, written with its own units and words (:mod:`builder.drafting.examples`)."""
    from builder.drafting.examples import change_examples
    from builder.sources.json_schema import schema_comment

    number = check_new_amendment(project, history, number, date)
    letter = ""
    if letter_number is not None:
        letter_number = _checked_number(letter_number, date)
        if letter_number == number:
            raise NoticeError("--letter-number must differ from --number")
        list_id = project.distribution_lists[0].id if project.distribution_lists else "別記"
        letter = f"letter:\n  number: {letter_number}\n  list: {list_id}\n"
    examples = "\n".join(f"#  {line}" for line in change_examples(history.as_of(date).notice))
    return f"""\
{schema_comment("amendment", 1)}
# 一部改正 {number} ({format_wareki(date)}) of {history.notice.id}.
# The cover notice will cite the base as:
#   {citation(history, date)}
# Write the changes below, then run `notices check` and `notices kaibun {number}`.
# Until it has changes this file is a draft: check reports it, the build leaves it out.
number: {number}
date: {date.isoformat()}
# effective: {date.isoformat()}   # 適用日, when it applies from another date than its issue
notice: {history.notice.id}
{letter}provenance: >-
  Drafted on {dt.date.today().isoformat()}; say where each change comes from.
changes: []
# Replace [] with a list of changes, one of these per entry (written with this notice's
# own units; README, Change kinds, has them all with their 改め文):
{examples}
"""


def new_amendment_path(root: Path, number: str, date: dt.date) -> Path:
    """Where a new amendment file goes: amendments/<date>_<number>.yaml."""
    return root / "amendments" / safe_component(f"{date.isoformat()}_{number}.yaml")


# --------------------------------------------------------------------------- edited tables


def read_edited_rows(path: Path, table: TableAttachment) -> EditedRows:
    """Rows of an edited copy of ``table``: CSV (as `notices table --csv` writes), YAML (a
    list of rows as in the notice source) or .xlsx (its 「データ」 sheet); the area-table
    profile's records are read by :mod:`builder.drafting.area_rows`."""
    if isinstance(table, Table):
        return read_edited_generic(path, table)
    return area_rows.read_edited_area_rows(path)


def changes_for(table: TableAttachment, edited: EditedRows) -> list[dict[str, Any]]:
    """The amendment changes (as YAML-ready mappings) that turn ``table`` into ``edited``."""
    if not isinstance(table, Table):
        return area_rows.area_changes(table, edited)
    table_rows = tuple(row for row in edited if isinstance(row, TableRow))
    if len(table_rows) != len(edited):
        raise NoticeError(
            f"{table.id} is a table with the columns {'、'.join(table.columns)}; "
            "the edited rows are not"
        )
    return generic_changes(table, table_rows)


# --------------------------------------------------------------------------- generic tables


def read_edited_generic(path: Path, table: Table) -> tuple[TableRow, ...]:
    """Rows of an edited generic table: CSV (as `notices table --csv` and the build write
    it: the last header row, then the label and one field per cell, a cell's lines
    separated by line breaks), YAML (a list of rows as in the notice source,
    ``{label: …, cells: […]}``) or .xlsx (its 「データ」 sheet, as the CSV)."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NoticeError(f"{shown}: not UTF-8 ({exc.reason}); save the CSV as UTF-8") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        records: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for fields in reader:
                records.append((start, [spreadsheet_value(field) for field in fields]))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise NoticeError(f"{shown}:{reader.line_num}: {exc}") from None
        return _generic_rows(records, table, shown)
    if suffix in (".yaml", ".yml"):
        from builder.sources.project import table_row
        from builder.sources.schema import TableRowS
        from builder.sources.yamlsafe import load_yaml

        located = load_yaml(path, shown)
        if not isinstance(located.data, list):
            raise NoticeError(f"{shown}:1: expected a list of rows ({{label: …, cells: […]}})")
        rows: list[TableRow] = []
        for index, item in enumerate(located.data):
            try:
                row = table_row(TableRowS.model_validate(item))
            except ValidationError as exc:
                raise NoticeError(f"{located.pos((index,))}: {exc}".splitlines()[0]) from None
            problem = _generic_row_problem(table, row, [r.label for r in rows])
            if problem is not None:
                raise NoticeError(f"{located.pos((index,))}: {problem}")
            rows.append(row)
        return tuple(rows)
    if suffix == ".xlsx":
        sheet_rows = data_sheet_rows(path, shown)
        width = len(table.columns)  # a row may stop at its last filled cell
        records = [
            (line, [_sheet_text(value) for value in values] + [""] * (width - len(values)))
            for line, values in enumerate(sheet_rows, start=1)
        ]
        return _generic_rows(records, table, f"{shown}[{DATA_SHEET}]")
    raise NoticeError(f"{shown}: use a .csv, .yaml or .xlsx file")


def _sheet_text(value: object) -> str:
    """A data-sheet cell as text (a number typed into a cell as its digits)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _generic_rows(
    records: list[tuple[int, list[str]]], table: Table, source: str
) -> tuple[TableRow, ...]:
    """The rows of an edited generic table from its records (line, fields), the first
    being the header: blank records are skipped, every other must have one field per
    column (empty trailing fields past the last column are ignored)."""
    records = [(line, fields) for line, fields in records if any(f.strip() for f in fields)]
    columns = table.columns
    expected = ",".join(columns)

    def fields_of(line: int, fields: list[str]) -> list[str]:
        fields = list(fields)
        while len(fields) > len(columns) and not fields[-1].strip():
            fields.pop()
        if len(fields) != len(columns):
            raise NoticeError(
                f"{source}:{line}: expected {len(columns)} columns ({expected}), "
                f"found {len(fields)}"
            )
        return fields

    if not records:
        raise NoticeError(f"{source}: no header; the first record must be {expected}")
    line, header = records[0]
    if tuple(fields_of(line, header)) != columns:
        raise NoticeError(
            f"{source}:{line}: the header must be {expected} (the columns of {table.id}); "
            "amend-from changes rows, not headings"
        )
    rows: list[TableRow] = []
    lines: dict[str, int] = {}
    for line, fields in records[1:]:
        values = fields_of(line, fields)
        row = TableRow(
            values[0].strip(" \u3000"), tuple(cell_of_text(value) for value in values[1:])
        )
        problem = _generic_row_problem(table, row, list(lines))
        if problem is not None:
            if row.label in lines:
                problem += f" (line {lines[row.label]} and line {line})"
            raise NoticeError(f"{source}:{line}: {problem}")
        rows.append(row)
        lines[row.label] = line
    return tuple(rows)


def _generic_row_problem(table: Table, row: TableRow, labels: list[str]) -> str | None:
    """What is wrong with ``row`` as an edited row of ``table`` after rows labelled
    ``labels``, or None."""
    if not row.label.strip(" \u3000"):
        return "empty row label"
    if any(mark in row.label for mark in "\r\n"):
        return f"the row label 「{row.label}」 must be one line"
    if row.label in labels:
        return f"the row 「{row.label}」 is there twice"
    problems = table_row_problems(table, row)
    return problems[0] if problems else None


def generic_changes(table: Table, edited: tuple[TableRow, ...]) -> list[dict[str, Any]]:
    """The amendment changes (as YAML-ready mappings) that turn the generic ``table`` into
    ``edited``: quoted changes per cell line in a changed row (the row rewritten when a
    cell's line count changed or a change cannot be quoted once in the row), delete_row
    for a row that is gone, add_row_after (add_row_before at the top) for new rows."""
    old = {row.label: row for row in table.rows}
    new_labels = {row.label for row in edited}
    kept = [row.label for row in edited if row.label in old]
    in_force = [row.label for row in table.rows if row.label in new_labels]
    if kept != in_force:
        moved = next(a for a, b in zip(kept, in_force, strict=True) if a != b)
        raise NoticeError(
            f"the row 「{moved}」 is not where it is in {table.id}; amend-from keeps the "
            "order of the rows in force (delete the row and add it under a new label, or "
            "write the amendment by hand)"
        )
    changes: list[dict[str, Any]] = []
    for row in edited:
        before = old.get(row.label)
        if before is not None and before != row:
            changes.extend(_generic_row_changes(table.id, before, row))
    for row in table.rows:
        if row.label not in new_labels:
            changes.append({"at": f"{table.id} {row.label}の項", "delete_row": True})
    changes.extend(_added_rows(table, edited, set(old)))
    return changes


def _added_rows(
    table: Table, edited: tuple[TableRow, ...], in_force: set[str]
) -> list[dict[str, Any]]:
    """add_row_after / add_row_before for each run of new rows in ``edited``: after the
    kept row before it, or before the kept row after it (at the top, or when the row
    before already anchors new rows: the engine takes one addition per anchor)."""
    runs: list[tuple[str | None, list[TableRow], str | None]] = []
    previous: str | None = None
    added: list[TableRow] = []
    for row in edited:
        if row.label not in in_force:
            added.append(row)
            continue
        if added:
            runs.append((previous, added, row.label))
        added, previous = [], row.label
    if added:
        runs.append((previous, added, None))
    changes: list[dict[str, Any]] = []
    anchors: set[str] = set()
    for after, rows, before in runs:
        if after is not None and after not in anchors:
            place, anchor = "add_row_after", after
        elif before is not None:
            place, anchor = "add_row_before", before
        elif after is None:
            raise NoticeError(
                f"the edited table has no row in common with {table.id} as in force; "
                "keep at least one row, or write the amendment by hand"
            )
        else:
            raise NoticeError(
                f"new rows come both before and after 「{after}」, the only row of {table.id} "
                "kept: an amendment adds rows once at a row; make two amendments"
            )
        anchors.add(anchor)
        changes.append({"at": table.id, place: anchor, "rows": [row_yaml(r) for r in rows]})
    return changes


def _generic_row_changes(table_id: str, before: TableRow, after: TableRow) -> list[dict[str, Any]]:
    """The changes of one changed row: quoted changes per changed cell line (each quote
    found once in the row), or the row rewritten."""
    at = f"{table_id} {before.label}の項"
    rewrite = [{"at": at, "rewrite": row_yaml(after)}]
    if any(len(old) != len(new) for old, new in zip(before.cells, after.cells, strict=True)):
        return rewrite
    segments = cell_lines(before)
    entries: list[dict[str, Any]] = []
    for old_line, new_line in zip(segments, cell_lines(after), strict=True):
        if old_line == new_line:
            continue
        quoted = _line_changes(segments, old_line, new_line)
        if quoted is None:
            return rewrite
        entries.extend(change_yaml(Change(at, change)) for change in quoted)
    return entries


def _line_changes(segments: tuple[str, ...], old: str, new: str) -> list[TextChange] | None:
    """The quoted changes turning the line ``old`` into ``new``, every quote found once
    among the row's lines ``segments``: the fewest (``diff_segment``), else the whole
    line replaced; None when neither can be quoted once."""
    try:
        changes: list[TextChange] | None = diff_segment(old, new)
    except QuoteError:
        changes = None
    if changes is not None and all(len(find_all(segments, c.old)) == 1 for c in changes):
        return changes
    if len(find_all(segments, old)) == 1:
        return [TextChange("replace", old, new)]
    return None


def amendment_from_table(
    project: Project,
    history: History,
    edited: EditedRows,
    number: str,
    date: dt.date,
    letter_number: str | None,
    table_id: str | None = None,
) -> tuple[str, Version]:
    """The YAML of the amendment that makes the table attachment ``table_id`` (default:
    the notice's only table) equal ``edited`` on ``date``, and the version it yields;
    refused if applying it would not give exactly the edited table."""
    from builder.sources.project import read_amendment

    number = check_new_amendment(project, history, number, date)
    current = history.as_of(date)
    table = find_table(current.notice, table_id)
    changes = changes_for(table, edited)
    if not changes:
        raise NoticeError(
            f"the edited table equals {table.id} as in force on {date.isoformat()}; "
            "nothing to amend"
        )
    document: dict[str, Any] = {
        "number": number,
        "date": date.isoformat(),
        "notice": history.notice.id,
    }
    if letter_number is not None:
        list_id = project.distribution_lists[0].id if project.distribution_lists else "別記"
        document["letter"] = {"number": _checked_number(letter_number, date), "list": list_id}
    document["provenance"] = (
        f"Generated by `notices amend-from` on {dt.date.today().isoformat()} "
        f"from an edited {table.id}."
    )
    document["changes"] = changes
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    from builder.sources.yamlsafe import parse_yaml

    amendment: Amendment = read_amendment(parse_yaml(text, "(generated)"))
    resolved = resolve(current.notice, amendment)
    amended = apply(current.notice, resolved)
    result = amended.attachment(table.id)
    assert result is not None
    if type(result) is not type(table) or result.rows != edited:
        raise NoticeError(
            "internal: the generated amendment does not reproduce the edited table; report it"
        )
    version = Version(amended, date, (*current.amendments, amendment), resolved)
    return text, version
