"""Word writer of a fillable form: real styles, tables and content controls, protected.

:func:`render_form_docx` returns a byte-reproducible .docx of the form in the order of
the print layout (:mod:`builder.forms.text`): the title, the header as a two-column
table (label | input), then each section heading with its ※ note, each item's caption
and under it its field or table. :func:`append_form_docx` appends the same layout
without controls to another document (the 別添2 pages of a notice), fitted to that
document's text width and without shading (the notice prints the form as a blank to copy;
shading marks inputs only in the fillable form).

* **Inputs** are inline content controls (see :mod:`builder.forms.docx_xml_forms`),
  each alone in the paragraph of its table cell: rich text for text, numbers and
  multi-line text (lines as ``w:br``; LibreOffice 7.4 breaks block-level rich-text
  controls on save, repeating their text); a drop-down for one-of choices; a date
  picker (和暦) for dates; a check box per option of a several-of choice. Input cells
  are shaded pale yellow. Computed cells (差し引き) are grey, not editable, and filled
  only when both operands are prefilled: Word has no live formula over content
  controls, so the reader of returns computes them.
* **Ids.** Each control has ``w:tag`` = its control id (field id, ``<field id>.<n>`` for
  an option), a bookmark of the same name around it (``.`` written ``__``), and
  ``w:alias`` = the Japanese label. The form is named by custom document properties
  ``form_id`` and ``form_version``.
* **Prefilled** fields are controls locked against editing (``sdtContentLocked``)
  showing the value; blank ones show a placeholder of full-width spaces.
* **Protection**: ``<w:documentProtection w:edit="forms" w:enforcement="1"/>`` without a
  password: only the controls can be edited.
* **Layout.** A header field's note is a line under its row (the header table goes on
  after it), as the PDF prints it. A table's columns with plain headings take their
  widths from the headings, each heading's lines broken by ``w:br`` only between words
  (:mod:`builder.forms.headings`). A table's left border stands at its indent: the left
  cell margin is in the cells (``w:tcMar``), not the table's, since a compatibilityMode 14
  document measures a table's indent to its text; so the form is centred on the page.
* **Styles** named Form Title, Form Heading, Form Item, Form Text, Form Number, Form
  Center, Form Column, Form Note, Form Table Note (a table's ※ note, one character in),
  Form Option; ＭＳ 明朝 (headings ＭＳ ゴシック) for every
  script, ``w:lang w:eastAsia="ja-JP"``. A4 portrait, 20 mm margins; the page number
  「- 1 -」 as a PAGE field in a footer.
* **Keep rules**: headings and captions are kept with what follows (their styles), a
  table's header row with its first row, and a field or table with the note under it
  (``w:keepNext`` on the row's paragraphs), so none ends a page away from what it heads.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Final, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from builder.formats import docx_xml
from builder.formats.docx_measure import text_twips
from builder.formats.docx_xml import CHAR_TWIPS, FONT_SIZE_HALF_POINTS, MINCHO
from builder.formats.reproducible import normalize_ooxml
from builder.forms import docx_xml_forms as xml
from builder.forms.headings import fitted_headings
from builder.forms.prefill import check_prefill
from builder.forms.stamp import render_zip_stamped, utf8_text, xml_safe
from builder.japanese import format_wareki
from builder.model.form import (
    CHOICES_SEPARATOR,
    Column,
    Control,
    Field,
    Form,
    Grid,
    Item,
    Repeat,
    computed_values,
    field_controls,
    visit_body,
)

__all__ = ["STYLE_NAMES", "append_form_docx", "render_form_docx"]

GOTHIC: Final = "ＭＳ ゴシック"
PAGE_WIDTH: Final = docx_xml.A4_WIDTH
PAGE_HEIGHT: Final = docx_xml.A4_HEIGHT
MARGIN: Final = 1134  # 20 mm on every side
TEXT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN
INDENT: Final = CHAR_TWIPS
"""Tables and inputs under an item stand one character in."""
LINE_PITCH: Final = 300
"""15 pt lines."""
LINE_TWIPS: Final = 300
"""Height of one line of a multi-line input, in twips."""
HEAD_WIDTH: Final = 1600
"""Row heads of tables (「高度急性期」)."""
LABEL_WIDTH: Final = 2800
"""Labels of the header table (「地域医療構想調整会議での協議日」 on two lines)."""
CELL_MARGIN: Final = 85
COLUMN_HALF_POINTS: Final = 18
"""Column headings: 9 pt."""
HEADING_SLACK: Final = 60
"""Twips a column heading's line leaves free against the renderers' rounding."""
FOOTER_DISTANCE: Final = 567
"""The page number's footer 10 mm above the page's edge, inside the 20 mm margin."""
PAGE_NUMBER: Final = ("- ", " -")
"""Text around the PAGE field of the footer: 「- 1 -」, as the notices number their pages."""
INPUT_FILL: Final = "FFF2CC"
COMPUTED_FILL: Final = "EDEDED"
HEAD_FILL: Final = "F2F2F2"
PLACEHOLDER: Final = "\u3000" * 4
"""What a blank control shows: four full-width spaces (a blank to write in on paper)."""
_CUSTOM_PROPERTIES: Final = "/docProps/custom.xml"


@dataclass(frozen=True)
class _Style:
    name: str
    align: str = "left"
    font: str = MINCHO
    half_points: int = FONT_SIZE_HALF_POINTS
    keep_next: bool = False
    before: int = 0
    after: int = 0
    left: int = 0
    hanging: int = 0


_STYLES: Final = (
    _Style("Form Title", align="center", font=GOTHIC, half_points=28, keep_next=True, after=240),
    _Style("Form Heading", font=GOTHIC, keep_next=True, before=240, after=60),
    _Style("Form Item", keep_next=True, before=120, after=60),
    _Style("Form Text"),
    _Style("Form Number", align="right"),
    _Style("Form Center", align="center"),
    _Style("Form Column", align="center", half_points=COLUMN_HALF_POINTS),
    _Style("Form Note", half_points=18, before=40),
    _Style("Form Table Note", half_points=18, before=40, left=100),
    _Style("Form Option", left=200, hanging=150, before=20),
)
STYLE_NAMES: Final = tuple(style.name for style in _STYLES)


def render_form_docx(form: Form, prefill: Mapping[str, str] | None = None) -> bytes:
    """``form`` as a protected .docx with content controls, ``prefill`` locked;
    byte-reproducible. ``ValueError`` for a bad prefill (see ``check_prefill``)."""
    values = check_prefill(form, prefill or {})
    return render_zip_stamped("docx", form, values, _render, _stampable, utf8_text)


def _stampable(field: Field, value: str) -> bool:
    """Whether ``value`` is written only as the text of its control's one ``w:t``,
    escaped as :func:`~builder.forms.stamp.xml_escape` does, whatever the value: one-line
    text or a choice, not empty (a placeholder instead), XML characters only."""
    return field.kind in ("text", "choice") and bool(value) and xml_safe(value)


def _render(form: Form, values: dict[str, str]) -> bytes:
    """The .docx of ``form`` with ``values`` (checked) prefilled, written directly."""
    word = docx.Document()
    docx_xml.drop_template_extras(word)
    _set_up(word)
    _FormWriter(word, form, values, controls=True).write()
    footer_style = str(word.styles["Form Center"].style_id)
    docx_xml.set_page_number_footer(word, footer_style, *PAGE_NUMBER)
    xml.protect_forms(word.settings.element)
    _add_custom_properties(word, [("form_id", form.id), ("form_version", form.version)])
    buffer = io.BytesIO()
    word.save(buffer)
    return normalize_ooxml(buffer.getvalue(), title=form.title, subject=f"{form.id} {form.version}")


def append_form_docx(word: WordDocument, form: Form, *, title: str | None = None) -> None:
    """Append the blank form in print layout (no content controls, no protection, no
    shading) to ``word``, adding the Form styles if it lacks them. Its tables, indent
    included, are as wide as the text of ``word``'s last section (page width less its
    left and right margins), not the fillable form's own 20 mm margins. ``title`` stands
    in the Form Title style in place of the form's own (a notice prints its attachment's
    title 「区域対応方針（様式例）」 there, once, as the PDF does)."""
    _add_styles(word)
    section = word.sections[-1]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    text_width = TEXT_WIDTH
    if page is not None and left is not None and right is not None:
        text_width = page.twips - left.twips - right.twips
    _FormWriter(word, form, {}, controls=False, text_width=text_width, title=title).write()


# --------------------------------------------------------------------------- set-up


def _set_up(word: WordDocument) -> None:
    docx_xml.reset_normal(word, {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"})
    _add_styles(word)
    docx_xml.configure_settings(word.settings.element)
    docx_xml.set_a4_pages(
        word,
        top=MARGIN,
        bottom=MARGIN,
        side=MARGIN,
        line_pitch=LINE_PITCH,
        footer=FOOTER_DISTANCE,
    )


def _add_styles(word: WordDocument) -> None:
    existing = {style.name for style in word.styles}
    for spec in _STYLES:
        if spec.name in existing:
            continue
        style = word.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        style.quick_style = True
        element = style.element
        ppr = element.get_or_add_pPr()
        if spec.keep_next:
            docx_xml.set_child(ppr, "w:keepNext", docx_xml.PPR_ORDER)
        docx_xml.set_spacing(ppr, before=spec.before, after=spec.after, single=True)
        docx_xml.set_indent(ppr, left=spec.left, hanging=spec.hanging)
        docx_xml.set_justification(ppr, spec.align)
        docx_xml.set_run_properties(element.get_or_add_rPr(), spec.font, spec.half_points)


def _add_custom_properties(word: WordDocument, properties: Sequence[tuple[str, str]]) -> None:
    package = word.part.package
    part = Part(
        PackURI(_CUSTOM_PROPERTIES),
        CONTENT_TYPE.OFC_CUSTOM_PROPERTIES,
        xml.custom_properties_xml(properties),
        package,
    )
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


# --------------------------------------------------------------------------- elements


def _run(text: str, *, font: str | None = None) -> BaseOxmlElement:
    """A run of ``text``; line breaks become ``w:br``."""
    run = cast(BaseOxmlElement, OxmlElement("w:r"))
    if font is not None:
        rpr = cast(BaseOxmlElement, OxmlElement("w:rPr"))
        fonts = cast(BaseOxmlElement, OxmlElement("w:rFonts"))
        for script in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(qn(f"w:{script}"), font)
        fonts.set(qn("w:hint"), "eastAsia")
        rpr.append(fonts)
        run.append(rpr)
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        if line:
            t = cast(BaseOxmlElement, OxmlElement("w:t"))
            t.text = line
            t.set(qn("xml:space"), "preserve")
            run.append(t)
    return run


def _paragraph(style_id: str, runs: Sequence[BaseOxmlElement] = ()) -> BaseOxmlElement:
    paragraph = cast(BaseOxmlElement, OxmlElement("w:p"))
    ppr = cast(BaseOxmlElement, OxmlElement("w:pPr"))
    style = cast(BaseOxmlElement, OxmlElement("w:pStyle"))
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    paragraph.append(ppr)
    for run in runs:
        paragraph.append(run)
    return paragraph


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    docx_xml.set_child(tc_pr, "w:shd", docx_xml.TCPR_ORDER, val="clear", color="auto", fill=fill)


def _left_margin_in_cells(table: Table) -> None:
    """The table's left cell margin moved into its cells (``w:tcMar``), the table's own
    set to 0. In a Word 2010 document (compatibilityMode 14) the table's indent is to the
    text of its cells, its border the table's left cell margin further left: with that
    margin 0 the border stands at the indent, and a table as wide as the text is centred
    between the margins (LibreOffice printed 52.2 pt left, 60.7 pt right before)."""
    tbl_pr = cast(BaseOxmlElement, table._tbl.find(qn("w:tblPr")))
    margins = cast(BaseOxmlElement, tbl_pr.find(qn("w:tblCellMar")))
    left = cast(BaseOxmlElement, margins.find(qn("w:left")))
    left.set(qn("w:w"), "0")
    for tc in table._tbl.iter(qn("w:tc")):
        tc_pr = tc.get_or_add_tcPr()
        tc_mar = docx_xml.set_child(tc_pr, "w:tcMar", docx_xml.TCPR_ORDER)
        order = ("w:top", "w:left", "w:bottom", "w:right")
        docx_xml.set_child(tc_mar, "w:left", order, w=str(CELL_MARGIN), type="dxa")


def _row_height(table: Table, index: int, twips: int) -> None:
    tr = table.rows[index]._tr
    tr_pr = docx_xml.set_child(tr, "w:trPr", ("w:tblPrEx", "w:trPr", "w:tc"))
    docx_xml.set_child(tr_pr, "w:trHeight", docx_xml.TRPR_ORDER, val=str(twips), hRule="atLeast")


def _keep_with_next_row(table: Table, index: int) -> None:
    """Every paragraph of row ``index`` kept with what follows it (Word and LibreOffice
    then print the row on the page of the next row): a header row never ends a page
    alone, a table's last row goes over with the note under it."""
    for cell in table.rows[index].cells:
        for paragraph in cell._tc.findall(qn("w:p")):
            docx_xml.set_child(paragraph.get_or_add_pPr(), "w:keepNext", docx_xml.PPR_ORDER)


def _widths(weights: Sequence[int], total: int) -> list[int]:
    whole = sum(weights)
    widths = [total * w // whole for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _fitted_headings(
    columns: Sequence[Column], available: int
) -> tuple[list[int], list[list[str]]] | None:
    """Twips widths for ``columns`` sharing ``available`` from their headings, with each
    heading's lines (:func:`builder.forms.headings.fitted_headings`, measured in the Form
    Column style); None when a heading holds a field or no such widths fit."""
    if any(len(column.heading_parts()) > 1 for column in columns):
        return None
    size = COLUMN_HALF_POINTS / 2
    pad = 2 * CELL_MARGIN + HEADING_SLACK
    fitted = fitted_headings(
        [c.plain_label for c in columns], available, lambda t: text_twips(t, size), pad
    )
    if fitted is None:
        return None
    widths = [int(w) for w in fitted[0]]
    widths[-1] += available - sum(widths)
    return widths, fitted[1]


# --------------------------------------------------------------------------- writer


class _FormWriter:
    """Appends one form to a document; ``controls`` False gives the blank print layout."""

    def __init__(
        self,
        word: WordDocument,
        form: Form,
        values: dict[str, str],
        *,
        controls: bool,
        text_width: int = TEXT_WIDTH,
        title: str | None = None,
    ) -> None:
        self.word = word
        self.title = title or form.header.title
        self.text_width = text_width
        self.shading = controls  # inputs, computed cells, heads: only in the fillable form
        self.form = form
        self.values = values
        self.computed = computed_values(form, values)
        self.controls = controls
        self.numbers: Iterator[int] = count(1)
        self.style_ids = {style.name: style.style_id for style in word.styles}

    def style(self, name: str) -> str:
        return str(self.style_ids[name])

    # ------------------------------------------------------------------ structure

    def write(self) -> None:
        self.paragraph(self.title, "Form Title")
        if self.form.header.fields:
            self.header(self.form.header.fields)
        for section in self.form.sections:
            paragraph = self.paragraph(section.heading, "Form Heading")
            if section.note:
                paragraph._p.append(_run(section.note, font=MINCHO))
            for item in section.items:
                self.item(item)

    def paragraph(self, text: str, style: str) -> WordParagraph:
        paragraph = self.word.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def table(self, rows: int, widths: Sequence[int], *, indent: int = INDENT) -> Table:
        table: Table = self.word.add_table(rows=rows, cols=len(widths))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Twips(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Twips(width)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            docx_xml.mark_cant_split(row._tr)
        docx_xml.set_table_properties(
            table._tbl, width=sum(widths), align="left", borders=True, cell_margin=CELL_MARGIN
        )
        tbl_pr = cast(BaseOxmlElement, table._tbl.find(qn("w:tblPr")))
        docx_xml.set_child(tbl_pr, "w:tblInd", docx_xml.TBLPR_ORDER, w=str(indent), type="dxa")
        _left_margin_in_cells(table)
        return table

    def text_cell(self, cell: _Cell, text: str, style: str, fill: str | None = HEAD_FILL) -> None:
        """``text`` in ``cell`` in ``style``, its lines (``\\n``) broken by ``w:br``."""
        paragraph = cell.paragraphs[0]
        paragraph.style = self.word.styles[style]
        if text:
            paragraph._p.append(_run(text))
        if fill and self.shading:
            _shade(cell, fill)

    def header(self, fields: Sequence[Field]) -> None:
        """The header as tables of label | input rows; a field's note a line under its
        row, outside the input cell, the table going on after it (as the PDF prints)."""
        rows: list[Field] = []
        for field in fields:
            rows.append(field)
            if field.note:
                table = self.header_table(rows)
                _keep_with_next_row(table, len(rows) - 1)
                self.paragraph(field.note, "Form Note")
                rows = []
        if rows:
            self.header_table(rows)

    def header_table(self, fields: Sequence[Field]) -> Table:
        widths = (LABEL_WIDTH, self.text_width - LABEL_WIDTH)
        table = self.table(len(fields), widths, indent=0)
        for row, field in zip(table.rows, fields, strict=True):
            label, value = row.cells
            self.text_cell(label, field.label, "Form Center")
            self.input_cell(value, field_controls(field)[0])
        return table

    def item(self, item: Item) -> None:
        if item.caption:
            self.paragraph(item.caption, "Form Item")
        visit_body(item.body, self, None)

    def body_field(self, field: Field) -> None:
        if field.kind == "choices":
            for control in field_controls(field):
                assert control.option is not None
                option = field.options[control.option - 1]
                paragraph = _paragraph(self.style("Form Option"))
                if self.controls:
                    paragraph.extend(self.inline_control(control))
                else:
                    paragraph.append(_run(xml.UNCHECKED, font=GOTHIC))
                paragraph.append(_run(option.caption))
                self.word.element.body.insert_element_before(paragraph, "w:sectPr")
        else:
            width = {"date": 3600, "count": 1800, "choice": 3600}.get(
                field.kind, self.text_width - INDENT
            )
            table = self.table(1, (width,))
            self.input_cell(table.rows[0].cells[0], field_controls(field)[0])
            if field.kind == "multiline":
                _row_height(table, 0, field.lines * LINE_TWIPS)
            if field.note:
                _keep_with_next_row(table, 0)
        if field.note:
            self.paragraph(field.note, "Form Note")

    def grid(self, grid: Grid) -> None:
        value_width = self.text_width - INDENT - HEAD_WIDTH
        value_widths = _widths([c.width for c in grid.columns], value_width)
        fitted = _fitted_headings(grid.columns, value_width)
        if fitted is not None:
            value_widths = fitted[0]
        widths = [HEAD_WIDTH, *value_widths]
        table = self.table(1 + len(grid.rows), widths)
        docx_xml.mark_header_row(table.rows[0]._tr)
        self.text_cell(table.rows[0].cells[0], grid.corner, "Form Column")
        heading_cells = zip(table.rows[0].cells[1:], grid.columns, strict=True)
        for index, (cell, column) in enumerate(heading_cells):
            if fitted is not None:  # the heading's lines, broken between words
                self.text_cell(cell, "\n".join(fitted[1][index]), "Form Column")
            else:
                self.heading_cell(cell, grid, column)
        for table_row, row in zip(grid.rows, table.rows[1:], strict=True):
            self.text_cell(row.cells[0], table_row.label, "Form Center")
            for cell, column in zip(row.cells[1:], grid.columns, strict=True):
                self.cell(cell, grid.cell(table_row, column))
        _keep_with_next_row(table, 0)
        if grid.note:
            _keep_with_next_row(table, len(grid.rows))
            self.paragraph(grid.note, "Form Table Note")

    def repeat(self, repeat: Repeat) -> None:
        widths = _widths([c.width for c in repeat.columns], self.text_width - INDENT)
        table = self.table(1 + repeat.count, widths)
        docx_xml.mark_header_row(table.rows[0]._tr)
        for cell, column in zip(table.rows[0].cells, repeat.columns, strict=True):
            self.text_cell(cell, column.plain_label, "Form Column")
        for number, row in enumerate(table.rows[1:], start=1):
            for cell, column in zip(row.cells, repeat.columns, strict=True):
                self.cell(cell, repeat.cell(number, column))
            lines = max(c.lines for c in repeat.columns)
            if lines > 1:
                _row_height(table, number, lines * LINE_TWIPS)
        _keep_with_next_row(table, 0)

    def heading_cell(self, cell: _Cell, grid: Grid, column: Column) -> None:
        """A column heading; a field inside it is an inline control between its texts."""
        parts = column.heading_parts()
        self.text_cell(cell, "", "Form Column")
        paragraph = cell.paragraphs[0]._p
        for index, part in enumerate(parts):
            if index % 2 == 0:
                if part:
                    paragraph.append(_run(part))
            else:
                field = grid.heading_field(part)
                if self.controls:
                    paragraph.extend(self.inline_control(field_controls(field)[0]))
                else:
                    paragraph.append(_run(self.values.get(field.id, PLACEHOLDER)))

    def cell(self, cell: _Cell, field: Field) -> None:
        if field.kind == "computed":
            style = "Form Number"
            self.text_cell(cell, self.computed.get(field.id, ""), style, COMPUTED_FILL)
        else:
            self.input_cell(cell, field_controls(field)[0])

    # ------------------------------------------------------------------ controls

    def input_cell(self, cell: _Cell, control: Control) -> None:
        """Fill ``cell`` with the control of a field: one paragraph holding it (an inline
        control: LibreOffice 7.4 breaks block-level rich-text controls on save)."""
        field = control.field
        style = "Form Number" if field.kind == "count" else "Form Text"
        if field.id not in self.values and self.shading:
            _shade(cell, INPUT_FILL)
        if field.kind == "multiline":
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        tc = cell._tc
        for paragraph in list(tc.findall(qn("w:p"))):
            tc.remove(paragraph)
        paragraph = _paragraph(self.style(style))
        if self.controls:
            paragraph.extend(self.inline_control(control))
        else:
            paragraph.append(_run(self.values.get(field.id, "")))
        tc.append(paragraph)

    def inline_control(self, control: Control) -> list[BaseOxmlElement]:
        """A run-level control (date, drop-down, check box) between its bookmark marks."""
        field = control.field
        value = self.values.get(field.id, "")
        number = next(self.numbers)
        date = dt.date.fromisoformat(value) if value and field.kind == "date" else None
        chosen = False
        shown = value or PLACEHOLDER
        font = None
        kind: xml.ControlKind = "richText"
        if field.kind == "choices":
            assert control.option is not None
            chosen = field.options[control.option - 1].value in value.split(CHOICES_SEPARATOR)
            kind, shown, font = "checkbox", xml.CHECKED if chosen else xml.UNCHECKED, GOTHIC
        elif field.kind == "date":
            kind, shown = "date", format_wareki(date) if date else PLACEHOLDER
        elif field.kind == "choice":
            kind = "dropDownList"
        alias = field.label
        if control.option is not None:
            alias = f"{field.label}：{field.options[control.option - 1].value}"
        sdt = xml.content_control(
            kind=kind,
            tag=control.id,
            alias=alias,
            number=number,
            content=[_run(shown, font=font)],
            placeholder=not value and kind != "checkbox",
            locked=field.id in self.values,
            options=[o.value for o in field.options] if kind == "dropDownList" else (),
            date=date,
            checked=chosen,
        )
        return [xml.bookmark_start(number, control.id), sdt, xml.bookmark_end(number)]
