"""Table attachments as flat records: what their CSV and their .xlsx data sheet hold
(written by :mod:`builder.writers.csv` and :mod:`builder.writers.xlsx`), and what
``amend-from`` reads back; and how a command finds a notice's table by its id.

* the area-table profile (``AreaTable``, 別添1 of 医政発0731第1号): one record per area
  under :data:`CSV_HEADER` (prefecture code, prefecture, area, モデル推進区域 flag);
* a generic ``Table``: one record per row, its label then one field per cell (the cell's
  lines joined by a newline), under the table's last header row (:attr:`Table.columns`).
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.core.errors import NoticeError
from builder.engine.units import PENDING
from builder.japanese import prefecture_code
from builder.model.notice import AreaTable, Notice, Table

CSV_HEADER = ("都道府県コード", "都道府県", "構想区域", "モデル推進区域")
"""The header of an area table's records."""
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CELL_LINE_BREAK = "\n"
"""Between the lines of one cell in a generic table's record (inside the quoted CSV field,
and in the .xlsx cell, where Alt+Enter types it)."""


@dataclass(frozen=True)
class AreaRecord:
    """One area of an area table (or one 「調整中」 prefecture, with ``model`` None)."""

    code: int
    prefecture: str
    area: str
    model: bool | None


def area_records(table: AreaTable) -> list[AreaRecord]:
    """One record per area, in table order; a pending row gives one 「調整中」 record."""
    records = []
    for row in table.rows:
        code = prefecture_code(row.prefecture)
        if row.pending:
            records.append(AreaRecord(code, row.prefecture, PENDING, None))
        records.extend(AreaRecord(code, row.prefecture, a.name, a.model) for a in row.areas)
    return records


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


# --------------------------------------------------------------------------- finding a table


def table_attachments(notice: Notice) -> list[AreaTable | Table]:
    """Every table attachment of ``notice`` (area tables and generic ones), in order."""
    return [a for a in notice.attachments if isinstance(a, AreaTable | Table)]


def find_table(notice: Notice, attachment_id: str | None = None) -> AreaTable | Table:
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
    if isinstance(found, AreaTable | Table):
        return found
    present = f"its tables: {ids}" if tables else "it has no table attachment"
    if found is None:
        raise NoticeError(f"{notice.id} has no attachment 「{attachment_id}」 ({present})")
    raise NoticeError(f"{attachment_id} of {notice.id} is not a table ({present})")
