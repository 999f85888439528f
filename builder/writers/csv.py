"""CSV writer: 別添1 as CSV (one record per area), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from builder.engine.tabular import CSV_HEADER, FORMULA_PREFIXES, AreaRecord


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
