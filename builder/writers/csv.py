"""CSV writer: a table attachment's records (``builder.engine.tabular.records``) as CSV,
safe to open in a spreadsheet.

One record per area of the area-table profile, one per row of a generic table
(the label, then each cell with its lines joined by a newline inside the quoted field).
Every text field is made formula-safe; a number is written as digits, an empty field as
nothing.
"""

from __future__ import annotations

import csv
import io

from builder.engine.tabular import FORMULA_PREFIXES, Field, Records


def spreadsheet_safe(value: str) -> str:
    """``value`` made inert for spreadsheets: text that a spreadsheet would read as a
    formula (=, +, -, @ …) gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_field(value: Field) -> str:
    """One field as CSV text: a number as its digits, an empty field as nothing, text
    formula-safe."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return spreadsheet_safe(value)


def records_csv(records: Records) -> str:
    """The records as CSV text (header first, CRLF line ends as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(heading) for heading in records.header])
    for record in records.rows:
        writer.writerow([csv_field(value) for value in record])
    return buffer.getvalue()
