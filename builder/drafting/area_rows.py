"""The area-table profile in the drafter's workflow (the rest is generic, in
:mod:`builder.drafting.amendments`, :mod:`builder.drafting.check` and
:mod:`builder.drafting.examples`): reading an edited 別添1 (its records as CSV, the .xlsx
data sheet, or YAML rows), the changes that turn the table in force into it, the checks
that every 別添1 an amendment makes can be built, and the scaffold's examples of the
profile's structured changes."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.core.errors import NoticeError, Problem
from builder.drafting.change_yaml import row_yaml
from builder.drafting.data_sheet import data_sheet_rows
from builder.engine.address import AttachmentAddress, RowAddress
from builder.engine.amend import History, Version
from builder.engine.area_profile import CSV_HEADER, PENDING, row_text
from builder.engine.row_quotes import row_changes
from builder.japanese import find_prefecture
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.model.notice import Attachment, Row, SourcePos
from builder.sources.area_table import (
    area_file_name_problem,
    label_column_problem,
    row_layout_problem,
)

# --------------------------------------------------------------------------- edited tables


def _rows_from_records(
    records: list[tuple[str, str, str, str]], source: str
) -> tuple[AreaRow, ...]:
    rows: dict[str, list[Area] | None] = {}
    for line, (code, prefecture, area, flag) in enumerate(records, start=2):
        try:
            found = find_prefecture(prefecture)
        except ValueError as exc:
            raise NoticeError(f"{source}:{line}: {exc}") from None
        if code.strip() and code.strip() != str(found.code):
            raise NoticeError(f"{source}:{line}: code {code} is not {found.name} ({found.code})")
        if flag.strip() not in ("", "0", "1", "True", "False"):
            raise NoticeError(
                f"{source}:{line}: モデル推進区域 must be 1, 0 or empty, not 「{flag}」"
            )
        if area.strip() == PENDING:
            if rows.get(found.name):
                raise NoticeError(f"{source}:{line}: {found.name} has areas and 「{PENDING}」")
            rows[found.name] = None
            continue
        if not area.strip():
            raise NoticeError(f"{source}:{line}: empty 構想区域")
        current = rows.setdefault(found.name, [])
        if current is None:
            raise NoticeError(f"{source}:{line}: {found.name} has areas and 「{PENDING}」")
        current.append(Area(area.strip(), flag.strip() in ("1", "True")))
    return tuple(
        AreaRow(name, (), True) if areas is None else AreaRow(name, tuple(areas))
        for name, areas in rows.items()
    )


def read_edited_area_rows(path: Path) -> tuple[AreaRow, ...]:
    """Rows of an edited area table: CSV (as `notices table --csv` writes), YAML (a list of
    rows as in the notice source) or .xlsx (its 「データ」 sheet)."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        if not table or tuple(table[0]) != CSV_HEADER:
            raise NoticeError(f"{shown}:1: the header must be {','.join(CSV_HEADER)}")
        records = []
        for line, row in enumerate(table[1:], start=2):
            if len(row) != 4:
                raise NoticeError(f"{shown}:{line}: expected 4 columns, found {len(row)}")
            records.append((row[0], row[1].lstrip("'"), row[2].lstrip("'"), row[3]))
        return _rows_from_records(records, shown)
    if suffix in (".yaml", ".yml"):
        from builder.sources.area_table import area_row
        from builder.sources.schema import AreaRowS
        from builder.sources.yamlsafe import load_yaml

        located = load_yaml(path, shown)
        if not isinstance(located.data, list):
            raise NoticeError(f"{shown}:1: expected a list of rows ({{prefecture: …, areas: […]}})")
        rows = []
        for index, item in enumerate(located.data):
            try:
                rows.append(area_row(AreaRowS.model_validate(item)))
            except ValidationError as exc:
                raise NoticeError(f"{located.pos((index,))}: {exc}".splitlines()[0]) from None
        return tuple(rows)
    if suffix == ".xlsx":
        values = data_sheet_rows(path, shown)
        if not values or tuple(str(v) for v in values[0][:4]) != CSV_HEADER:
            raise NoticeError(
                f"{shown}: the 「データ」 sheet's header must be {','.join(CSV_HEADER)}"
            )
        records = [
            _four(["" if v is None else str(v) for v in row[:4]])
            for row in values[1:]
            if any(v is not None for v in row[:4])
        ]
        return _rows_from_records(records, f"{shown}[データ]")
    raise NoticeError(f"{shown}: use a .csv, .yaml or .xlsx file")


def _four(cells: list[str]) -> tuple[str, str, str, str]:
    cells = [*cells, "", "", "", ""][:4]
    return (cells[0], cells[1], cells[2], cells[3])


def area_changes(table: AreaTable, rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    """The changes (as YAML-ready mappings) that turn the area table ``table`` into the
    edited ``rows``: quoted changes of a row's areas (:mod:`builder.engine.row_quotes`),
    rows deleted, rows added after the row they follow."""
    edited = tuple(row for row in rows if isinstance(row, AreaRow))
    if len(edited) != len(rows):
        raise NoticeError(
            f"{table.id} is a table of prefectures and areas; the edited rows are not"
        )
    old = {row.prefecture: row for row in table.rows}
    new_labels = [row.prefecture for row in edited]
    changes: list[dict[str, Any]] = []
    for row in edited:
        before = old.get(row.prefecture)
        if before is None or before == row:
            continue
        for change in row_changes(row_text(before), row_text(row)):
            entry: dict[str, Any] = {"at": f"{table.id} {row.prefecture}の項"}
            if change.kind == "replace":
                entry.update({"replace": change.old, "with": change.new})
            elif change.kind == "insert":
                entry.update({"after": change.old, "insert": change.new})
            else:
                entry["delete"] = change.old
            changes.append(entry)
    for row in table.rows:
        if row.prefecture not in new_labels:
            changes.append({"at": f"{table.id} {row.prefecture}の項", "delete_row": True})
    previous: str | None = None
    added: list[AreaRow] = []
    for row in edited:
        if row.prefecture in old:
            if added and previous is not None:
                changes.append(_add_rows(table.id, previous, added))
            elif added:
                raise NoticeError(
                    f"a new row 「{added[0].prefecture}」 cannot come before every existing row"
                )
            added, previous = [], row.prefecture
        else:
            added.append(row)
    if added:
        if previous is None:
            raise NoticeError("the edited table has no row in common with the table in force")
        changes.append(_add_rows(table.id, previous, added))
    return changes


def _add_rows(table_id: str, after: str, rows: list[AreaRow]) -> dict[str, Any]:
    return {"at": table_id, "add_row_after": after, "rows": [row_yaml(r) for r in rows]}


# --------------------------------------------------------------------------- checks


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


# --------------------------------------------------------------------------- scaffold examples


def change_examples(found: Attachment) -> Iterator[str]:
    """The scaffold's example changes for ``found`` when it is an area table with rows
    (nothing otherwise), cited with its own last row: the profile's structured changes,
    deleting the row, adding rows after it."""
    if isinstance(found, AreaTable) and found.rows:
        area_row = found.rows[-1]
        at = f"{found.id} {area_row.prefecture}の項"
        yield f"- {{at: {at}, add_area: …, model: true}}   # structured changes of areas:"
        if area_row.areas:
            area = area_row.areas[0].name
            yield f"- {{at: {at}, rename_area: {area}, to: …}}   # add_area, remove_area,"
            yield f"- {{at: {at}, set_model: {area}}}   # set_model, clear_model, rename_area"
        yield f"- {{at: {at}, delete_row: true}}   # {at}を削る。"
        yield (
            f"- {{at: {found.id}, add_row_after: {area_row.prefecture}, rows: "
            "[{prefecture: …, areas: [….]}]}"
        )
