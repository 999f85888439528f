"""Table attachments as writers see them, whatever their kind: the printed table
(:func:`printed_table`), the flat records their CSV and .xlsx data sheet hold
(:func:`records`, written by :mod:`builder.writers.csv` and :mod:`builder.writers.xlsx`,
read back by ``amend-from``); and how a command finds a notice's table by its id.

* a generic ``Table`` prints as itself, one record per row: its label, then one field per
  cell (the cell's lines joined by a newline), under its last header row
  (:attr:`Table.columns`);
* the area-table profile (:mod:`builder.engine.area_profile`) prints as its generic view,
  folded into two column pairs, one record per area under its ``CSV_HEADER``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from builder.core.errors import NoticeError
from builder.engine import area_profile
from builder.model.area_table import AreaTable
from builder.model.notice import Attachment, Notice, Table, TableAttachment

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CELL_LINE_BREAK = "\n"
"""Between the lines of one cell in a generic table's record (inside the quoted CSV field,
and in the .xlsx cell, where Alt+Enter types it)."""


def spreadsheet_value(value: str) -> str:
    """The value a formula-safe field stands for (``builder.writers.csv.spreadsheet_safe``
    puts an apostrophe before text that a spreadsheet would read as a formula)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


# --------------------------------------------------------------------------- generic tables


def cell_text(cell: tuple[str, ...]) -> str:
    """A generic cell as one field: its lines joined by :data:`CELL_LINE_BREAK`."""
    return CELL_LINE_BREAK.join(cell)


def cell_of_text(text: str) -> tuple[str, ...]:
    """The cell whose field is ``text`` (the inverse of :func:`cell_text`): line ends of
    any kind split lines, and blank lines (what a spreadsheet leaves after a trailing line
    break) are dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(line for line in lines if line.strip(" \u3000\t"))


def table_records(table: Table) -> list[tuple[str, ...]]:
    """One record per row of a generic table: its label, then one field per cell."""
    return [(row.label, *(cell_text(cell) for cell in row.cells)) for row in table.rows]


# --------------------------------------------------------------------------- any table

Field = str | int | None
"""A record's field: text, a number (a spreadsheet keeps it numeric), or empty."""


@dataclass(frozen=True)
class Records:
    """A table attachment as flat records: the header and one tuple of fields per record."""

    header: tuple[str, ...]
    rows: tuple[tuple[Field, ...], ...]


def records(table: TableAttachment) -> Records:
    """The records of any table attachment (see the module docstring)."""
    if isinstance(table, AreaTable):
        rows = tuple(
            (r.code, r.prefecture, r.area, None if r.model is None else int(r.model))
            for r in area_profile.area_records(table)
        )
        return Records(area_profile.CSV_HEADER, rows)
    return Records(table.columns, tuple(table_records(table)))


@dataclass(frozen=True)
class PrintedTable:
    """A table attachment as every writer prints it: a generic table, and whether its rows
    are folded into two column pairs side by side (the first half of the rows left; each
    row one cell of one line, broken only after 「、」)."""

    table: Table
    folded: bool = False


FOLDED_BREAK = "、"
"""The only place a folded table's cell line may break: after this mark (never inside an
area name or before its 「（●）」)."""


def folded_rows(table: Table) -> list[tuple[str, str]]:
    """The rows of a folded table as (label, text) pairs: its one cell's one line (lines of
    more cells, which a folded table does not have, would be joined by a space)."""
    return [
        (row.label, " ".join(line for cell in row.cells for line in cell)) for row in table.rows
    ]


def printed_table(table: TableAttachment) -> PrintedTable:
    """How ``table`` is printed: the area-table profile as its folded generic view, a
    generic table as itself."""
    if isinstance(table, AreaTable):
        return PrintedTable(area_profile.as_table(table), folded=True)
    return PrintedTable(table)


# --------------------------------------------------------------------------- finding a table


def is_table(attachment: Attachment | None) -> TypeGuard[TableAttachment]:
    """Whether ``attachment`` is a table, of any profile (a generic table or 別添1)."""
    return isinstance(attachment, AreaTable | Table)


def table_attachments(notice: Notice) -> list[TableAttachment]:
    """Every table attachment of ``notice`` (area tables and generic ones), in order."""
    return [a for a in notice.attachments if is_table(a)]


def find_table(notice: Notice, attachment_id: str | None = None) -> TableAttachment:
    """The table attachment called ``attachment_id``; without one, the notice's only table.
    ``NoticeError`` saying which tables there are when it has none, several, or not that one."""
    tables = table_attachments(notice)
    ids = "、".join(t.id for t in tables)
    if attachment_id is None:
        if not tables:
            raise NoticeError(f"{notice.id} has no table attachment")
        if len(tables) > 1:
            raise NoticeError(
                f"{notice.id} has {len(tables)} table attachments ({ids}); name one with --id"
            )
        return tables[0]
    found = notice.attachment(attachment_id)
    if is_table(found):
        return found
    present = f"its tables: {ids}" if tables else "it has no table attachment"
    if found is None:
        raise NoticeError(f"{notice.id} has no attachment 「{attachment_id}」 ({present})")
    raise NoticeError(f"{attachment_id} of {notice.id} is not a table ({present})")
