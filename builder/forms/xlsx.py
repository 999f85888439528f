"""Excel writer of a fillable form: one protected sheet laid out like the paper form.

:func:`render_form_xlsx` returns a byte-reproducible .xlsx:

* **Grid.** Nine columns: A and B narrow (indent; B holds the check cells of
  several-of options), C row heads, D–I six value columns (equal, or as wide as the
  headings of the form's six-column table need, :func:`_column_widths`); texts span merged
  cells. The form's title on top, then the header
  (label | input), then each section: its heading (ゴシック) with its ※ note, each item's
  caption, and under it the item's field or table, as in the print layout
  (:mod:`builder.forms.text`). A column heading is broken by ``\n`` only between words
  (:mod:`builder.forms.headings`, at its cell's width); the texts around a field inside a
  heading (「（」, 「時点）」) stand one indent level clear of its cell.
* **Inputs.** Every input cell is unlocked and shaded pale yellow; everything else is
  locked and the sheet is protected **without a password** (審査 → シート保護の解除 opens
  it); rows and columns may still be resized. Prefilled fields are shown, locked and not
  shaded. Each input cell has a workbook-level **defined name** equal to its field id
  (several-of options: ``<field id>.<n>``), so a reader finds values even if a user
  inserts rows.
* **Validation.** Counts: whole number ≥ 0 (error message 「0以上の整数を入力してください。」);
  dates: a date from 2000-01-01, shown as 和暦 (``[$-411]ggge"年"m"月"d"日"``); one-of
  choices: a dropdown of the option values; several-of: one cell per option with the
  dropdown 「○」 (chosen) before the option text.
* **Computed cells** (差し引き) are the only formulas: ``=IF(COUNT(G12,E12)=2,G12-E12,"")``,
  blank until both operands are filled; locked, shaded grey.
* **Text is text.** Every label and every prefilled or typed text value is a string
  cell (never a formula, 「=1+1」 included, with the quote prefix) and input text cells
  have the number format ``@``.
* **Identity.** Custom document properties ``form_id`` and ``form_version`` and hidden
  defined names ``_form_id`` / ``_form_version`` (string constants) name the form.
* **Print.** A4 portrait, 15 mm side margins, fitted to the page width, centred. Pages
  break by hand (:mod:`builder.forms.xlsx_pages`): a section heading, an item's caption
  and a table's header row stay on the page of the row after them, a note on the page of
  the row before it, so no heading ends a page away from what it heads.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from builder.engine.tabular import FORMULA_PREFIXES
from builder.formats.fonts import register_bundled_mincho
from builder.formats.reproducible import normalize_ooxml
from builder.forms.headings import fitted_headings, heading_lines, heading_pieces
from builder.forms.prefill import check_prefill
from builder.forms.stamp import ascii_text, render_zip_stamped, xml_safe
from builder.forms.xlsx_pages import page_breaks, printable_height
from builder.japanese.normalize import display_width
from builder.model.form import (
    Column,
    Control,
    Field,
    Form,
    Grid,
    Item,
    Repeat,
    field_controls,
    visit_body,
)

__all__ = [
    "COUNT_ERROR",
    "FORM_ID_NAME",
    "FORM_VERSION_NAME",
    "INPUT_FILL",
    "render_form_xlsx",
]

FORM_ID_NAME: Final = "_form_id"
FORM_VERSION_NAME: Final = "_form_version"
COUNT_ERROR: Final = "0以上の整数を入力してください。"
DATE_ERROR: Final = "日付を入力してください（例：2025/3/31）。"
LIST_ERROR: Final = "一覧から選択してください。"
CHECK_MARK: Final = "○"
CHECK_ERROR: Final = "○を選択するか、空欄にしてください。"
DATE_FORMAT: Final = '[$-411]ggge"年"m"月"d"日"'
COUNT_FORMAT: Final = "#,##0"
DIFFERENCE_FORMAT: Final = "#,##0;-#,##0"
FIRST_DATE_SERIAL: Final = 36526
"""2000-01-01 as an Excel date serial: the earliest date accepted."""

MINCHO: Final = "ＭＳ 明朝"
GOTHIC: Final = "ＭＳ ゴシック"
BODY_SIZE: Final = 11.0
SMALL_SIZE: Final = 9.0
TITLE_SIZE: Final = 14.0

WIDTHS: Final = (3.0, 4.0, 13.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0)
"""Columns A–I in Excel character units; about 180 mm at 100 %."""
LAST_COLUMN: Final = len(WIDTHS)
VALUE_COLUMNS: Final = 6
"""D–I: the value columns of a table with row heads."""
HEAD_COLUMN: Final = 3
"""C: row heads of tables, first column of repeated rows."""
HEADING_PADDING_PX: Final = 8
"""Pixels of a column heading's cell left free of text (its padding and rounding)."""
HEADING_BOX_INDENT: Final = 1
"""Indent (Excel's unit, about a character) of 「（」 and 「時点）」 from the input cell of
a heading, so that neither butts the cell's border."""
LINE_HEIGHT: Final = 15.0
"""Points per line of 11 pt text in a row."""
SMALL_LINE_HEIGHT: Final = 12.5
A4_POINTS: Final = (595.28, 841.89)
MARGINS: Final = (0.59, 0.59, 0.79, 0.79)
"""Left, right, top, bottom page margins in inches (15 mm sides, 20 mm top and bottom)."""

INPUT_FILL: Final = PatternFill("solid", fgColor="FFFFF2CC")
COMPUTED_FILL: Final = PatternFill("solid", fgColor="FFEDEDED")
HEAD_FILL: Final = PatternFill("solid", fgColor="FFF2F2F2")
_THIN: Final = Side(style="thin")
_BORDER: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT: Final = Font(name=MINCHO, size=BODY_SIZE)
_SMALL: Final = Font(name=MINCHO, size=SMALL_SIZE)
_HEADING: Final = Font(name=GOTHIC, size=BODY_SIZE)
_TITLE: Final = Font(name=GOTHIC, size=TITLE_SIZE)
_MAX_CELL_TEXT: Final = 32767
"""openpyxl cuts longer strings."""
_UNLOCKED: Final = Protection(locked=False)
_LOCKED: Final = Protection(locked=True)


def render_form_xlsx(form: Form, prefill: Mapping[str, str] | None = None) -> bytes:
    """``form`` as a protected .xlsx with ``prefill`` shown and locked; byte-reproducible.

    ``ValueError`` if ``prefill`` names an unknown field or holds a value its field
    does not take (:func:`builder.forms.prefill.check_prefill`).
    """
    values = check_prefill(form, prefill or {})
    return render_zip_stamped("xlsx", form, values, _render, _stampable, ascii_text)


def _stampable(field: Field, value: str) -> bool:
    """Whether ``value`` is written only as the inline string of its cell, escaped as
    :func:`~builder.forms.stamp.xml_escape` does, whatever the value: one-line text or a
    choice, not empty (an empty cell has no string), no surrounding whitespace
    (``xml:space``), not formula-like (``quotePrefix``), not truncated (32,767)."""
    return (
        field.kind in ("text", "choice")
        and bool(value)
        and value == value.strip()
        and not value.startswith(FORMULA_PREFIXES)
        and len(value) <= _MAX_CELL_TEXT
        and xml_safe(value)
    )


def _render(form: Form, values: dict[str, str]) -> bytes:
    """The .xlsx of ``form`` with ``values`` (checked) prefilled, written directly."""
    workbook = Workbook()
    # ＭＳ 明朝 as the default font (font 0 and the Normal style), as in builder.writers.xlsx.
    workbook._fonts = IndexedList([_FONT])  # type: ignore[attr-defined]
    workbook._named_styles["Normal"].font = _FONT  # type: ignore[attr-defined]
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(form.header.title)
    writer = _SheetWriter(workbook, sheet, form, values)
    writer.write()
    for name, value in ((FORM_ID_NAME, form.id), (FORM_VERSION_NAME, form.version)):
        workbook.defined_names[name] = DefinedName(name, attr_text=f'"{value}"', hidden=True)
    properties = workbook.custom_doc_props  # type: ignore[attr-defined]
    properties.append(StringProperty(name="form_id", value=form.id))
    properties.append(StringProperty(name="form_version", value=form.version))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalize_ooxml(buffer.getvalue(), title=form.title, subject=f"{form.id} {form.version}")


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title)
    return cleaned[:31] or "様式"


def _spans(weights: Sequence[int], total: int) -> list[int]:
    """``total`` grid columns shared by ``weights`` (largest remainder, each at least 1)."""
    if len(weights) > total:
        raise ValueError(f"{len(weights)} columns do not fit in {total} grid columns")
    whole = sum(weights)
    shares = [w * total / whole for w in weights]
    spans = [max(1, math.floor(s)) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (spans[i] - shares[i], i))
    index = 0
    while sum(spans) < total:
        spans[order[index % len(order)]] += 1
        index += 1
    while sum(spans) > total:
        widest = max(range(len(spans)), key=lambda i: (spans[i], -i))
        spans[widest] -= 1
    return spans


def _pixels(first: int, span: int, widths: Sequence[float] = WIDTHS) -> float:
    """Width in pixels of ``span`` grid columns from column ``first`` (1-based)."""
    return sum(widths[c - 1] * 7 + 5 for c in range(first, first + span))


def _lines(
    text: str, first: int, span: int, size: float = BODY_SIZE, widths: Sequence[float] = WIDTHS
) -> int:
    """How many lines ``text`` takes in ``span`` columns from ``first`` at ``size`` pt."""
    half_width_px = size * 96 / 72 / 2
    per_line = max(1, int(_pixels(first, span, widths) / half_width_px) - 2)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n"))


def _heading_width(text: str) -> float:
    """Pixels ``text`` takes in a column heading: IPAex明朝 (LibreOffice's ＭＳ 明朝) or
    ＭＳ 明朝's half and full widths, whichever is wider, at the headings' size."""
    points = max(
        stringWidth(text, register_bundled_mincho(), SMALL_SIZE),
        display_width(text) * SMALL_SIZE / 2,
    )
    return float(points) * 96 / 72


def _heading_lines(heading: str, pixels: float) -> list[str]:
    """The lines of a column heading ``pixels`` wide, broken only between words
    (:mod:`builder.forms.headings`), the cell's padding left free."""
    return heading_lines(heading_pieces(heading), pixels - HEADING_PADDING_PX, _heading_width)


def _column_widths(form: Form) -> tuple[float, ...]:
    """Columns A–I: :data:`WIDTHS`, with D–I (the value columns) from the headings of the
    form's first table of one value column each (the ⑥ table): as wide together as in
    :data:`WIDTHS`, shared by :func:`builder.forms.headings.fitted_headings`."""
    for section in form.sections:
        for item in section.items:
            grid = item.body
            if not isinstance(grid, Grid) or len(grid.columns) != VALUE_COLUMNS:
                continue
            if any(len(column.heading_parts()) > 1 for column in grid.columns):
                continue
            available = _pixels(HEAD_COLUMN + 1, VALUE_COLUMNS)
            labels = [column.label for column in grid.columns]
            fitted = fitted_headings(labels, available, _heading_width, HEADING_PADDING_PX)
            if fitted is None:
                return WIDTHS
            values = [round((pixels - 5) / 7, 2) for pixels in fitted[0]]
            values[-1] = round(values[-1] + sum(WIDTHS[HEAD_COLUMN:]) - sum(values), 2)
            return (*WIDTHS[:HEAD_COLUMN], *values)
    return WIDTHS


class _SheetWriter:
    """Writes one form onto one sheet, top to bottom."""

    def __init__(
        self, workbook: Workbook, sheet: Worksheet, form: Form, values: dict[str, str]
    ) -> None:
        self.workbook = workbook
        self.sheet = sheet
        self.form = form
        self.values = values
        self.row = 1
        self.widths = _column_widths(form)
        """Columns A–I in Excel character units."""
        self.cells: dict[str, str] = {}
        """Field id → coordinate of its cell (for the formulas of computed cells)."""
        self.validations: dict[str, DataValidation] = {}
        self.keep_next: set[int] = set()
        """Rows printed on the page of the row after them (headings, captions, headers)."""

    def pixels(self, first: int, span: int) -> float:
        """Width in pixels of ``span`` columns from ``first`` (1-based) of this sheet."""
        return _pixels(first, span, self.widths)

    def lines(self, text: str, first: int, span: int, size: float = BODY_SIZE) -> int:
        """How many lines ``text`` takes in ``span`` columns from ``first`` at ``size`` pt."""
        return _lines(text, first, span, size, self.widths)

    # ------------------------------------------------------------------ whole sheet

    def write(self) -> None:
        sheet = self.sheet
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        title = self.merged_text(self.row, 1, LAST_COLUMN, self.form.header.title, _TITLE)
        title.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[self.row].height = 24
        self.row += 1
        self.spacer()
        for field in self.form.header.fields:
            self.header_field(field)
        for section in self.form.sections:
            self.spacer()
            self.section_heading(section.heading, section.note)
            for item in section.items:
                self.item(item)
        self.finish()

    def spacer(self) -> None:
        """An empty row one line high (its height given, so the page breaks know it)."""
        self.sheet.row_dimensions[self.row].height = LINE_HEIGHT
        self.row += 1

    def finish(self) -> None:
        sheet = self.sheet
        for validation in self.validations.values():
            sheet.add_data_validation(validation)
        protection = sheet.protection
        protection.sheet = True
        protection.formatRows = False
        protection.formatColumns = False
        last_row = self.row - 1
        sheet.print_area = f"A1:{get_column_letter(LAST_COLUMN)}{last_row}"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        margins = sheet.page_margins
        margins.left, margins.right, margins.top, margins.bottom = MARGINS
        sheet.page_margins.header = sheet.page_margins.footer = 0.31
        sheet.print_options.horizontalCentered = True
        self.break_pages(last_row)

    def break_pages(self, last_row: int) -> None:
        """Row breaks that keep every heading, caption and header row with what follows."""
        heights = [self.sheet.row_dimensions[row].height for row in range(1, last_row + 1)]
        page = printable_height(A4_POINTS, MARGINS, self.pixels(1, LAST_COLUMN) * 0.75)
        given = [LINE_HEIGHT if height is None else float(height) for height in heights]
        for row in page_breaks(given, self.keep_next, page):
            self.sheet.row_breaks.append(Break(id=row))

    # ------------------------------------------------------------------ cells

    def cell(self, row: int, column: int) -> Cell:
        cell = self.sheet.cell(row=row, column=column)
        assert isinstance(cell, Cell), f"{cell.coordinate} is inside a merged range"
        return cell

    def merge(self, row: int, first: int, span: int, height: int = 1) -> None:
        if span > 1 or height > 1:
            self.sheet.merge_cells(
                start_row=row,
                start_column=first,
                end_row=row + height - 1,
                end_column=first + span - 1,
            )

    def box(self, row: int, first: int, span: int, fill: PatternFill | None = None) -> None:
        """Borders (and a fill) on every cell of a merged range, so Excel draws them."""
        for column in range(first, first + span):
            cell = self.sheet.cell(row=row, column=column)
            cell.border = _BORDER
            if fill is not None:
                cell.fill = fill

    def merged_text(
        self, row: int, first: int, span: int, text: str | CellRichText, font: Font = _FONT
    ) -> Cell:
        cell = self.cell(row, first)
        _set_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        self.merge(row, first, span)
        return cell

    def height(self, row: int, lines: int, size: float = BODY_SIZE) -> None:
        per_line = LINE_HEIGHT if size >= BODY_SIZE else SMALL_LINE_HEIGHT
        self.sheet.row_dimensions[row].height = max(1, lines) * per_line + 5

    def validation(
        self, kind: Literal["whole", "date", "list"], formula: str, error: str
    ) -> DataValidation:
        """One data validation per rule, shared by all cells it applies to: a whole number
        or a date at least ``formula``, or a list ``formula``."""
        key = f"{kind}:{formula}"
        if key not in self.validations:
            self.validations[key] = DataValidation(
                type=kind,
                operator=None if kind == "list" else "greaterThanOrEqual",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="入力エラー",
                error=error,
            )
        return self.validations[key]

    def note(self, text: str, first: int = 2) -> None:
        """A ※ note under the row before it, printed on that row's page."""
        self.keep_next.add(self.row - 1)
        span = LAST_COLUMN - first + 1
        self.merged_text(self.row, first, span, text, _SMALL)
        self.height(self.row, self.lines(text, first, span, SMALL_SIZE), SMALL_SIZE)
        self.row += 1

    # ------------------------------------------------------------------ inputs

    def name(self, control_id: str, cell: Cell) -> None:
        reference = f"'{self.sheet.title}'!${cell.column_letter}${cell.row}"
        self.workbook.defined_names[control_id] = DefinedName(control_id, attr_text=reference)

    def input(self, control: Control, row: int, first: int, span: int, *, lines: int = 1) -> Cell:
        """The input cell of ``control`` over ``span`` columns (``lines`` tall for text)."""
        field = control.field
        cell = self.cell(row, first)
        self.merge(row, first, span)
        fixed = field.id in self.values
        self.box(row, first, span, None if fixed else INPUT_FILL)
        cell.protection = _LOCKED if fixed else _UNLOCKED
        cell.font = _FONT
        horizontal = "right" if field.kind == "count" else "left"
        if field.kind == "choices":
            horizontal = "center"
        cell.alignment = Alignment(
            horizontal=horizontal,
            vertical="top" if field.kind == "multiline" else "center",
            wrap_text=field.kind in ("text", "multiline"),
        )
        self.name(control.id, cell)
        self.cells[control.id] = cell.coordinate
        value = self.values.get(field.id)
        match field.kind:
            case "text" | "multiline":
                cell.number_format = "@"
                if value:
                    _set_text(cell, value)
            case "date":
                cell.number_format = DATE_FORMAT
                self.validation("date", str(FIRST_DATE_SERIAL), DATE_ERROR).add(cell)
                if value:
                    cell.value = dt.date.fromisoformat(value)
            case "count":
                cell.number_format = COUNT_FORMAT
                self.validation("whole", "0", COUNT_ERROR).add(cell)
                if value:
                    cell.value = int(value)
            case "choice":
                values = ",".join(o.value for o in field.options)
                self.validation("list", f'"{values}"', LIST_ERROR).add(cell)
                if value:
                    _set_text(cell, value)
            case "choices":
                self.validation("list", f'"{CHECK_MARK}"', CHECK_ERROR).add(cell)
                assert control.option is not None
                chosen = value.split("、") if value else []
                if field.options[control.option - 1].value in chosen:
                    _set_text(cell, CHECK_MARK)
        if field.kind == "multiline":
            self.height(row, max(lines, self.lines(value or "", first, span)))
        return cell

    def computed(self, field: Field, row: int, first: int, span: int) -> None:
        assert field.formula is not None
        cell = self.cell(row, first)
        self.merge(row, first, span)
        self.box(row, first, span, COMPUTED_FILL)
        minuend = self.cells[field.formula.minuend]
        subtrahend = self.cells[field.formula.subtrahend]
        cell.value = f'=IF(COUNT({minuend},{subtrahend})=2,{minuend}-{subtrahend},"")'
        cell.number_format = DIFFERENCE_FORMAT
        cell.font = _FONT
        cell.alignment = Alignment(horizontal="right", vertical="center")
        cell.protection = _LOCKED
        self.cells[field.id] = cell.coordinate

    def field_at(self, field: Field, row: int, first: int, span: int) -> None:
        """One table cell: an input, or a computed cell."""
        if field.kind == "computed":
            self.computed(field, row, first, span)
        else:
            self.input(field_controls(field)[0], row, first, span, lines=field.lines)

    # ------------------------------------------------------------------ parts

    def header_field(self, field: Field) -> None:
        label = self.merged_text(self.row, 1, HEAD_COLUMN, field.label)
        self.box(self.row, 1, HEAD_COLUMN, HEAD_FILL)
        label.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.input(field_controls(field)[0], self.row, HEAD_COLUMN + 1, VALUE_COLUMNS)
        self.height(self.row, self.lines(field.label, 1, HEAD_COLUMN))
        self.row += 1
        if field.note:
            self.note(field.note, HEAD_COLUMN + 1)

    def section_heading(self, heading: str, note: str) -> None:
        text: str | CellRichText = heading
        if note:
            text = CellRichText(
                TextBlock(InlineFont(rFont=GOTHIC, sz=BODY_SIZE), heading),
                TextBlock(InlineFont(rFont=MINCHO, sz=BODY_SIZE), note),
            )
        self.merged_text(self.row, 1, LAST_COLUMN, text, _HEADING)
        self.height(self.row, self.lines(heading + note, 1, LAST_COLUMN))
        self.keep_next.add(self.row)
        self.row += 1

    def item(self, item: Item) -> None:
        if item.caption:
            self.merged_text(self.row, 1, LAST_COLUMN, item.caption)
            self.height(self.row, self.lines(item.caption, 1, LAST_COLUMN))
            self.keep_next.add(self.row)
            self.row += 1
        visit_body(item.body, self, None)

    def body_field(self, field: Field) -> None:
        if field.kind == "choices":
            for control in field_controls(field):
                assert control.option is not None
                caption = field.options[control.option - 1].caption
                self.input(control, self.row, 2, 1)
                self.merged_text(self.row, 3, LAST_COLUMN - 2, caption)
                self.height(self.row, self.lines(caption, 3, LAST_COLUMN - 2))
                self.row += 1
        else:
            span = {"date": 3, "count": 2, "choice": 3}.get(field.kind, LAST_COLUMN - 1)
            self.input(field_controls(field)[0], self.row, 2, span, lines=field.lines)
            if field.kind != "multiline":
                self.height(self.row, 1)
            self.row += 1
        if field.note:
            self.note(field.note)

    def heading_cells(self, grid: Grid, column: Column, row: int, first: int, span: int) -> int:
        """A column heading over ``span`` columns; lines it needs. A field inside the heading
        takes two columns between the text before and after it."""
        parts = column.heading_parts()
        if len(parts) == 1:
            text = "\n".join(_heading_lines(column.label, self.pixels(first, span)))
            cell = self.merged_text(row, first, span, text, _SMALL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.box(row, first, span, HEAD_FILL)
            return self.lines(text, first, span, SMALL_SIZE)
        if len(parts) != 3 or span < 4:
            raise ValueError(
                f"column {column.id}: a heading holds one field, and needs 4 grid columns"
            )
        before, field_id, after = parts
        before_span = span - 3
        self.box(row, first, span, HEAD_FILL)
        left = self.merged_text(row, first, before_span, before, _SMALL)
        left.alignment = Alignment(
            horizontal="right", vertical="center", wrap_text=True, indent=HEADING_BOX_INDENT
        )
        self.input(field_controls(grid.heading_field(field_id))[0], row, first + before_span, 2)
        right = self.merged_text(row, first + before_span + 2, 1, after, _SMALL)
        right.alignment = Alignment(horizontal="left", vertical="center", indent=HEADING_BOX_INDENT)
        return max(self.lines(before, first, before_span, SMALL_SIZE), 2)

    def grid(self, grid: Grid) -> None:
        spans = _spans([c.width for c in grid.columns], VALUE_COLUMNS)
        firsts = [HEAD_COLUMN + 1 + sum(spans[:i]) for i in range(len(spans))]
        corner = self.merged_text(self.row, HEAD_COLUMN, 1, grid.corner, _SMALL)
        corner.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.box(self.row, HEAD_COLUMN, 1, HEAD_FILL)
        lines = 1
        for column, first, span in zip(grid.columns, firsts, spans, strict=True):
            lines = max(lines, self.heading_cells(grid, column, self.row, first, span))
        self.height(self.row, lines, SMALL_SIZE)
        self.keep_next.add(self.row)
        self.row += 1
        for table_row in grid.rows:
            head = self.merged_text(self.row, HEAD_COLUMN, 1, table_row.label)
            head.alignment = Alignment(horizontal="center", vertical="center")
            self.box(self.row, HEAD_COLUMN, 1, HEAD_FILL)
            for column, first, span in zip(grid.columns, firsts, spans, strict=True):
                self.field_at(grid.cell(table_row, column), self.row, first, span)
            self.height(self.row, max(1, *(c.lines for c in grid.columns)))
            self.row += 1
        if grid.note:
            self.note(grid.note, HEAD_COLUMN)

    def repeat(self, repeat: Repeat) -> None:
        spans = _spans([c.width for c in repeat.columns], LAST_COLUMN - HEAD_COLUMN + 1)
        firsts = [HEAD_COLUMN + sum(spans[:i]) for i in range(len(spans))]
        lines = 1
        for column, first, span in zip(repeat.columns, firsts, spans, strict=True):
            cell = self.merged_text(self.row, first, span, column.plain_label, _SMALL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.box(self.row, first, span, HEAD_FILL)
            lines = max(lines, self.lines(column.plain_label, first, span, SMALL_SIZE))
        self.height(self.row, lines, SMALL_SIZE)
        self.keep_next.add(self.row)
        self.row += 1
        for number in range(1, repeat.count + 1):
            for column, first, span in zip(repeat.columns, firsts, spans, strict=True):
                self.field_at(repeat.cell(number, column), self.row, first, span)
            self.height(self.row, max(1, *(c.lines for c in repeat.columns)))
            self.row += 1


def _set_text(cell: Cell, value: str | CellRichText) -> None:
    """Write ``value`` as a string cell, never as a formula."""
    cell.value = value
    cell.data_type = "s"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
