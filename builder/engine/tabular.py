"""別添1 as flat records (one per area) and as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from builder.engine.units import PENDING
from builder.japanese import prefecture_code
from builder.model.notice import AreaTable

CSV_HEADER = ("都道府県コード", "都道府県", "構想区域", "モデル推進区域")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AreaRecord:
    """One area of 別添1 (or one 「調整中」 prefecture, with ``model`` None)."""

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


def spreadsheet_safe(value: str) -> str:
    """``value`` made inert for spreadsheets: text that a spreadsheet would read as a
    formula (=, +, -, @ …) gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def model_flag(model: bool | None) -> str:
    """「1」 for a モデル推進区域, 「0」 for another area, empty for 「調整中」."""
    return "" if model is None else ("1" if model else "0")


def records_csv(records: list[AreaRecord]) -> str:
    """The records as CSV text (header first, CRLF line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for record in records:
        writer.writerow(
            [
                str(record.code),
                spreadsheet_safe(record.prefecture),
                spreadsheet_safe(record.area),
                model_flag(record.model),
            ]
        )
    return buffer.getvalue()
