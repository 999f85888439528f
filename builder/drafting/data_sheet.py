"""The 「データ」 sheet of a table's .xlsx, as ``amend-from`` reads an edited copy back
(the sheet ``builder.writers.xlsx`` writes: a header row, then one row per record)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.core.errors import NoticeError

DATA_SHEET = "データ"
"""The flat data sheet of a table's .xlsx (``builder.writers.xlsx.DATA_SHEET``)."""


def data_sheet_rows(path: Path, shown: str) -> list[tuple[Any, ...]]:
    """Every row of the data sheet of the workbook at ``path`` (cell values, the header
    first); ``NoticeError`` naming ``shown`` when the workbook has no such sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if DATA_SHEET not in book.sheetnames:
        raise NoticeError(f"{shown}: no 「{DATA_SHEET}」 sheet (the flat data sheet of the table)")
    return [tuple(row) for row in book[DATA_SHEET].iter_rows(values_only=True)]
