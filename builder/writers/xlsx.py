"""Excel writer for a table attachment: a print sheet laid out like the notice, and a flat
data sheet of its records.

:func:`render_table_xlsx` takes the table as printed (``builder.engine.tabular.PrintedTable``)
and its records (``builder.engine.tabular.Records``) and returns a byte-reproducible .xlsx
with two sheets:

* the print sheet (named after the table, 「別添N」): the label 「（別添N）」 top right, the
  table's title (if it has one) centred, the as-of label (「令和7年3月27日時点」) right,
  then the table with thin borders and its note under it, A4 fitted to the page width,
  the header rows repeated on every page.

  - A **folded** table (how the area-table profile prints) is printed in two column
    pairs (label | text | label | text; the first ceil(n/2) rows on the left pair, the
    rest on the right), with the words of
    ``builder.writers.text.folded_table_lines``; A4 portrait.
  - Any other table: every header row (equal neighbouring headings of an upper row
    merged, a heading repeated down the header rows merged), one sheet row per table row
    (label, then each cell with its lines as lines of wrapped text); each column as wide
    as its longest line needs, up to a limit, and the page A4 landscape when the columns
    are wider than portrait holds.

* 「データ」: what the CSV holds — the records' header, then one sheet row per record;
  numbers (as the area-table profile's code and flag) as numbers, an empty
  field empty, text as text with a cell's lines joined by line breaks; each column as wide
  as its longest value needs, up to a limit; autofilter and a frozen header row.

Every text value is written as a string cell (``data_type = 's'``, stored as an inline
string), so a name such as 「=HYPERLINK(...)」 or 「+1」 can never become a formula; such
a value also gets the quote-prefix style, so that editing the cell keeps it text.

Excel and LibreOffice do not grow row heights to fit wrapped text when a file is
opened, so each table row's height is set from the number of lines its longest cell
needs at the chosen column width (:func:`wrapped_lines`), with some slack.
"""

from __future__ import annotations

import io
import math
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from builder.engine.tabular import (
    FORMULA_PREFIXES,
    PrintedTable,
    Records,
    cell_text,
    folded_rows,
)
from builder.formats.reproducible import normalize_ooxml
from builder.japanese.normalize import display_width
from builder.model.notice import Table

__all__ = [
    "DATA_SHEET",
    "FONT_NAME",
    "render_table_xlsx",
    "wrapped_lines",
]

DATA_SHEET: Final = "データ"
FONT_NAME: Final = "ＭＳ 明朝"
FONT_SIZE: Final = 11.0
AS_OF_FONT_SIZE: Final = 10.5

# Column widths of the print sheet in Excel's character units (7 px each at the default
# font, plus 5 px padding): 9 + 38 + 9 + 38 units is 678 px, about the 180 mm between
# 15 mm side margins on A4, so Excel's fit-to-width prints at about 100 %. LibreOffice
# 7.4 counts about 9 px per unit whatever the default font, so it prints the same
# table at about 79 % (11 pt text comes out near 8.7 pt) and its lines hold more text.
PREFECTURE_WIDTH: Final = 9.0
AREA_WIDTH: Final = 38.0

# How many display columns (a full-width character counts two) an area cell holds per
# line: 38 units are about 271 px, and an 11 pt full-width character is about 14.7 px,
# so 18 characters fit; 17 leaves room for line-breaking rules (「、」 never starts a line).
AREA_LINE_COLUMNS: Final = 34
LINE_HEIGHT: Final = 14.0
"""Points per line of 11 pt ＭＳ 明朝 in a row."""
ROW_PADDING: Final = 4.0
"""Points added to every table row above and below its lines."""

_THIN: Final = Side(style="thin")
_BORDER: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT: Final = Font(name=FONT_NAME, size=FONT_SIZE)
_AS_OF_FONT: Final = Font(name=FONT_NAME, size=AS_OF_FONT_SIZE)


def render_table_xlsx(
    printed: PrintedTable, records: Records, *, title: str, subject: str, as_of_label: str
) -> bytes:
    """A table attachment as an .xlsx package (print sheet and data sheet),
    byte-reproducible.

    ``title`` and ``subject`` (the notice title and number) go into the document
    properties; ``as_of_label`` (「令和7年3月27日時点」) is printed top right.
    """
    workbook = Workbook()
    # The default font (font 0 and the Normal style) becomes ＭＳ 明朝 11 pt instead of
    # openpyxl's Calibri: new cells a user types are in 明朝, and Excel takes its column
    # width unit from this font's digit width (7 px, as for Calibri 11 pt). openpyxl has
    # no public setter; tests/writers/test_render_xlsx.py checks styles.xml has no other font.
    workbook._fonts = IndexedList([_FONT])  # type: ignore[attr-defined]
    workbook._named_styles["Normal"].font = _FONT  # type: ignore[attr-defined]
    print_sheet = workbook.active
    assert print_sheet is not None
    print_sheet.title = sheet_title(printed.table.id)
    if printed.folded:
        _write_folded_print_sheet(print_sheet, printed.table, as_of_label)
    else:
        _write_generic_print_sheet(print_sheet, printed.table, as_of_label)
    _write_data_sheet(workbook.create_sheet(DATA_SHEET), records)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalize_ooxml(buffer.getvalue(), title=title, subject=subject)


def wrapped_lines(text: str, columns: int = AREA_LINE_COLUMNS) -> int:
    """Lines ``text`` takes in an area cell holding ``columns`` display columns a line."""
    return max(1, math.ceil(display_width(text) / columns))


# --------------------------------------------------------------------------- cells


def _set_text(cell: Cell, value: str) -> None:
    """Write ``value`` as a string cell, never as a formula."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def _text_cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value: str,
    *,
    font: Font = _FONT,
    alignment: Alignment | None = None,
    border: Border | None = None,
) -> Cell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), f"{cell.coordinate} is inside a merged range"
    if value:
        _set_text(cell, value)
    cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    return cell


# --------------------------------------------------------------------------- print sheet


def _label(sheet: Worksheet, table: Table, columns: int) -> None:
    """The label 「（別添N）」 in A1, right-aligned across the print area's ``columns``
    (merged): top right, as the PDF and Word print it."""
    _text_cell(sheet, 1, 1, f"（{table.id}）", alignment=Alignment(horizontal="right"))
    if columns > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)


def _write_folded_print_sheet(sheet: Worksheet, table: Table, as_of_label: str) -> None:
    widths = (PREFECTURE_WIDTH, AREA_WIDTH, PREFECTURE_WIDTH, AREA_WIDTH)
    for letter, width in zip("ABCD", widths, strict=True):
        sheet.column_dimensions[letter].width = width

    row = 1
    _label(sheet, table, 4)
    if table.title:
        row += 1
        _text_cell(sheet, row, 1, table.title, alignment=Alignment(horizontal="center"))
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    row += 1
    _text_cell(
        sheet, row, 4, as_of_label, font=_AS_OF_FONT, alignment=Alignment(horizontal="right")
    )

    header_row = row + 1
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, label in enumerate(table.columns * 2, start=1):
        _text_cell(sheet, header_row, column, label, alignment=header_alignment, border=_BORDER)
    sheet.row_dimensions[header_row].height = LINE_HEIGHT + 2 * ROW_PADDING

    cells = folded_rows(table)
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    prefecture_alignment = Alignment(horizontal="center", vertical="center")
    area_alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for index, pair in enumerate(left):
        row = header_row + 1 + index
        pairs = [pair, right[index]] if index < len(right) else [pair, ("", "")]
        for offset, (prefecture, areas) in enumerate(pairs):
            column = 1 + 2 * offset
            _text_cell(
                sheet, row, column, prefecture, alignment=prefecture_alignment, border=_BORDER
            )
            _text_cell(sheet, row, column + 1, areas, alignment=area_alignment, border=_BORDER)
        lines = max(wrapped_lines(areas) for _, areas in pairs)
        sheet.row_dimensions[row].height = lines * LINE_HEIGHT + 2 * ROW_PADDING
    last_row = header_row + len(left)

    if table.note:
        last_row += 1
        _text_cell(sheet, last_row, 1, table.note)

    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:D{last_row}"
    _a4_fit_to_width(sheet)
    sheet.print_options.horizontalCentered = True


def _a4_fit_to_width(sheet: Worksheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    # Inches: 15 mm left and right, 20 mm top and bottom, 8 mm to header and footer.
    sheet.page_margins.left = sheet.page_margins.right = 0.59
    sheet.page_margins.top = sheet.page_margins.bottom = 0.79
    sheet.page_margins.header = sheet.page_margins.footer = 0.31


# --------------------------------------------------------------------------- data sheet


def _write_data_sheet(sheet: Worksheet, records: Records) -> None:
    """The records: the header, then one row per record (see the module docstring)."""
    widths = record_widths(records)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    alignment = Alignment(vertical="top", wrap_text=True)
    for column, heading in enumerate(records.header, start=1):
        _text_cell(sheet, 1, column, heading, alignment=alignment)
    for row, record in enumerate(records.rows, start=2):
        lines = 1
        for column, value in enumerate(record, start=1):
            if isinstance(value, int):
                number = sheet.cell(row=row, column=column, value=value)
                number.font = _FONT
                number.alignment = alignment
            else:
                text = value or ""
                _text_cell(sheet, row, column, text, alignment=alignment)
                lines = max(lines, _cell_lines(text.split("\n"), widths[column - 1]))
        sheet.row_dimensions[row].height = _row_height(lines)
    last = f"{get_column_letter(max(1, len(widths)))}{len(records.rows) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _page_setup(sheet, widths)


# --------------------------------------------------------------------------- generic tables

GENERIC_LABEL_WIDTHS: Final = (6.0, 20.0)
"""Least and greatest width of a generic table's label column (Excel character units)."""
GENERIC_CELL_WIDTHS: Final = (8.0, 40.0)
"""Least and greatest width of each further column."""
PORTRAIT_WIDTH: Final = 94.0
"""Character units A4 portrait holds between 15 mm margins at about 100 % (678 px); wider
tables print landscape (267 mm, about 140 units), still fitted to the page width."""
_SHEET_TITLE_FORBIDDEN: Final = frozenset("[]:*?/\\")


def sheet_title(name: str) -> str:
    """``name`` as an Excel sheet title: without the characters Excel refuses, at most 31
    characters, never empty nor the data sheet's name."""
    title = "".join("_" if ch in _SHEET_TITLE_FORBIDDEN else ch for ch in name).strip("'")[:31]
    if not title or title == DATA_SHEET:
        return (title + "_") if title else "表"
    return title


def line_columns(width: float) -> int:
    """Display columns a line of wrapped text holds in a column ``width`` units wide (as
    :data:`AREA_LINE_COLUMNS` for :data:`AREA_WIDTH`)."""
    return max(2, int(width) - int(AREA_WIDTH) + AREA_LINE_COLUMNS)


def _cell_lines(lines: tuple[str, ...] | list[str], width: float) -> int:
    """Lines a cell of ``lines`` takes when wrapped at ``width``."""
    return max(1, sum(wrapped_lines(line, line_columns(width)) for line in lines))


def _row_height(lines: int) -> float:
    return lines * LINE_HEIGHT + 2 * ROW_PADDING


def generic_widths(table: Table) -> list[float]:
    """The column widths of a generic table's sheets: each column wide enough to hold its
    longest line (headings included) on one line (:func:`line_columns`), within
    :data:`GENERIC_LABEL_WIDTHS` for the labels and :data:`GENERIC_CELL_WIDTHS` for the
    others."""
    widths = []
    for column in range(len(table.columns)):
        texts = [header[column] for header in table.header]
        if column == 0:
            texts += [row.label for row in table.rows]
        else:
            texts += [line for row in table.rows for line in row.cells[column - 1]]
        widths.append(_column_width(texts, first=column == 0))
    return widths


def record_widths(records: Records) -> list[float]:
    """The column widths of a data sheet, by the rule of :func:`generic_widths` over the
    header and the values (a number counted as its digits)."""
    widths = []
    for column, heading in enumerate(records.header):
        values = [record[column] for record in records.rows if column < len(record)]
        texts = [heading] + [
            line for value in values if value is not None for line in str(value).split("\n")
        ]
        widths.append(_column_width(texts, first=column == 0))
    return widths


def _column_width(texts: list[str], *, first: bool) -> float:
    """A column wide enough to hold the longest of ``texts`` on one line, within
    :data:`GENERIC_LABEL_WIDTHS` for the first column, :data:`GENERIC_CELL_WIDTHS` else."""
    least, most = GENERIC_LABEL_WIDTHS if first else GENERIC_CELL_WIDTHS
    longest = max((display_width(text) for text in texts), default=0)
    wanted = longest + int(AREA_WIDTH) - AREA_LINE_COLUMNS  # as line_columns counts
    return float(min(max(wanted, least), most))


def _header_merges(header: tuple[tuple[str, ...], ...]) -> list[tuple[int, int, int, int]]:
    """Merged header ranges as (first row, first column, last row, last column), 0-based:
    equal non-empty neighbouring headings of a row above the last, then a heading repeated
    down the header rows (in a column no horizontal merge touches)."""
    merges: list[tuple[int, int, int, int]] = []
    spanned: set[tuple[int, int]] = set()
    for r, cells in enumerate(header[:-1]):
        c = 0
        while c < len(cells):
            end = c
            while end + 1 < len(cells) and cells[c] and cells[end + 1] == cells[c]:
                end += 1
            if end > c:
                merges.append((r, c, r, end))
                spanned.update((r, k) for k in range(c, end + 1))
            c = end + 1
    for c in range(len(header[0]) if header else 0):
        r = 0
        while r < len(header):
            end = r
            while (
                end + 1 < len(header)
                and header[r][c]
                and header[end + 1][c] == header[r][c]
                and (end + 1, c) not in spanned
                and (r, c) not in spanned
            ):
                end += 1
            if end > r:
                merges.append((r, c, end, c))
            r = end + 1
    return merges


def _page_setup(sheet: Worksheet, widths: list[float]) -> None:
    _a4_fit_to_width(sheet)
    if sum(widths) > PORTRAIT_WIDTH:
        sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE


def _write_generic_print_sheet(sheet: Worksheet, table: Table, as_of_label: str) -> None:
    widths = generic_widths(table)
    count = len(widths)
    last_letter = get_column_letter(count)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    row = 1
    _label(sheet, table, count)
    if table.title:
        row += 1
        _text_cell(
            sheet,
            row,
            1,
            table.title,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        if count > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=count)
        sheet.row_dimensions[row].height = _row_height(_cell_lines([table.title], sum(widths)))
    row += 1
    _text_cell(
        sheet, row, count, as_of_label, font=_AS_OF_FONT, alignment=Alignment(horizontal="right")
    )

    first_header = row + 1
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    merges = _header_merges(table.header)
    span = {(r, c): sum(widths[c : c2 + 1]) for r, c, _, c2 in merges}
    for r, cells in enumerate(table.header):
        lines = 1
        for c, heading in enumerate(cells):
            _text_cell(
                sheet,
                first_header + r,
                c + 1,
                heading,
                alignment=header_alignment,
                border=_BORDER,
            )
            lines = max(lines, _cell_lines([heading], span.get((r, c), widths[c])))
        sheet.row_dimensions[first_header + r].height = _row_height(lines)
    for r, c, r2, c2 in merges:
        sheet.merge_cells(
            start_row=first_header + r,
            start_column=c + 1,
            end_row=first_header + r2,
            end_column=c2 + 1,
        )
    last_header = first_header + len(table.header) - 1

    label_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell_alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    row = last_header
    for table_row in table.rows:
        row += 1
        _text_cell(sheet, row, 1, table_row.label, alignment=label_alignment, border=_BORDER)
        lines = _cell_lines([table_row.label], widths[0])
        for column, cell in enumerate(table_row.cells, start=2):
            _text_cell(
                sheet, row, column, cell_text(cell), alignment=cell_alignment, border=_BORDER
            )
            lines = max(lines, _cell_lines(cell, widths[column - 1]))
        sheet.row_dimensions[row].height = _row_height(lines)

    if table.note:
        row += 1
        _text_cell(sheet, row, 1, table.note, alignment=Alignment(wrap_text=True, vertical="top"))
        if count > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=count)
        sheet.row_dimensions[row].height = _row_height(_cell_lines([table.note], sum(widths)))

    sheet.print_title_rows = f"{first_header}:{last_header}"
    sheet.print_area = f"A1:{last_letter}{row}"
    _page_setup(sheet, widths)
    sheet.print_options.horizontalCentered = True
