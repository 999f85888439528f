"""CSV writer: a table attachment as CSV, safe to open in a spreadsheet.

The area-table profile (別添1) gives one record per area under
``builder.engine.tabular.CSV_HEADER``; a generic table one record per row under its last
header row, each cell one field whose lines are joined by a newline inside the quoted
field (``builder.engine.tabular.table_records``). Every text field is made formula-safe.
"""

from __future__ import annotations

import csv
import io

from builder.engine.tabular import CSV_HEADER, FORMULA_PREFIXES, AreaRecord, table_records
from builder.model.notice import Table


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


def table_records_csv(table: Table) -> str:
    """A generic table as CSV text: its last header row, then one record per row (the
    label, then each cell with its lines joined by a newline); CRLF between records."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(heading) for heading in table.columns])
    for record in table_records(table):
        writer.writerow([spreadsheet_safe(field) for field in record])
    return buffer.getvalue()
