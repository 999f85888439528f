"""PDF writer of a fillable form: the page drawn with reportlab, AcroForm fields with pypdf.

:func:`render_form_pdf` lays the form out with platypus in the order of the print layout
(the title, the header table, each section heading with its ※ note, each item's caption
and its field or table) in IPAex明朝/ゴシック (embedded subsets). Every input is a box
(:class:`FieldBox`) that records where it was drawn; pypdf then adds one AcroForm field
per box:

* ``/T`` = the control id (a several-of field is a parent ``/T <field id>`` whose check
  box kids are ``/T 1``, ``2``, …, so their full names are ``<field id>.<n>``), ``/TU`` =
  the Japanese label (an option's caption for a check box);
* text fields (``/Ff`` multiline for multi-line text), combo boxes (``/Ch``, Japanese
  ``/Opt``) for one-of choices, check boxes for several-of options; counts right-aligned
  and limited to digits by a keystroke script; computed cells (差し引き) read-only with
  a calculation script (``/AA /C``, in ``/CO`` order) for viewers that run form scripts;
* ``/DA /FJ 10 Tf 0 g`` where ``/FJ`` is the field font of :mod:`builder.forms.pdf_font`
  (IPAex明朝, by default cut down to the characters of cp932/JIS X 0208) in the
  AcroForm's ``/DR``; every filled field gets an appearance stream in that font, so
  prefilled Japanese values show in any viewer without regeneration;
* prefilled fields are read-only (``/Ff`` bit 1) and show their value (a date as 和暦,
  「令和7年3月27日」, which is also its ``/V``: the reader reads 和暦 and ISO alike);
* the form is named by hidden read-only fields ``_form_id`` and ``_form_version`` and by
  the document information entries ``/FormId`` and ``/FormVersion``.

The output is byte-reproducible (reportlab ``invariant=1``; pypdf writes deterministically).
Copies that differ only in their values are stamped from a per-process template (the
page, the fields and the 2 MB font written once; per copy only the widgets whose value
differs and their appearance streams): see :func:`render_form_pdf`.
:func:`form_print_flowables` gives the blank form as flowables (boxes, no fields) for the
別添2 pages of a notice. In that print layout the title may be the attachment's (printed
once). In both layouts a table's column widths come from its headings, which break only
between words (:mod:`builder.forms.headings`: after a space, after 「の」, after a year
「2023年度」, before a bracketed mark 「(A)」; never 「2015年病床／数」). In the print
layout a box inside a heading
(「（[box]時点）」) has half an em on either side; in the fillable form, where the
heading's three parts keep fixed widths, a quarter em (:data:`HEADING_BOX_GAP`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    SimpleDocTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as PdfParagraph

from builder.formats.fonts import BUNDLED_MINCHO_NAME, FontSet, register_fonts
from builder.formats.pdf_layout import markup
from builder.formats.reproducible import pdf_canvas_kwargs
from builder.forms.headings import fitted_headings
from builder.forms.pdf_font import FieldFont, GlyphSet, field_font
from builder.forms.pdf_page_font import set_page_text_in_field_font
from builder.forms.pdf_stamp import PdfStamp, write_pdf
from builder.forms.prefill import check_prefill
from builder.forms.stamp import TEMPLATES, BoundedCache, new_cache, stats
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

__all__ = [
    "FORM_ID_FIELD",
    "FORM_VERSION_FIELD",
    "FieldBox",
    "form_print_flowables",
    "render_form_pdf",
]

FORM_ID_FIELD: Final = "_form_id"
FORM_VERSION_FIELD: Final = "_form_version"
FIELD_FONT_NAME: Final = "/FJ"
FIELD_FONT_SIZE: Final = 10.0
MARGIN: Final = 20 * mm
WIDTH: Final = A4[0] - 2 * MARGIN
FRAME_PADDING: Final = 6.0
"""The padding platypus's page frame keeps inside its margins: the side margins given to
the document are this much narrower, so that the form, ``WIDTH`` wide, stands exactly
``MARGIN`` from either edge (centred) instead of 6 pt too far right."""
EM: Final = 10.5
LINE: Final = 14.0
"""Height of one line in a multi-line input box."""
BOX_HEIGHT: Final = 18.0
CHECK_SIZE: Final = 10.0
HEADING_BOX_GAP: Final = 0.25
"""Space between a box inside a column heading of the fillable form and the texts on
either side of it, in ems of the heading's size (「（ [box] 時点）」, not butting)."""
HEAD_WIDTH: Final = 70.0
LABEL_WIDTH: Final = 140.0
INPUT_FILL: Final = colors.Color(1, 0.949, 0.8)
COMPUTED_FILL: Final = colors.Color(0.93, 0.93, 0.93)
HEAD_FILL: Final = colors.Color(0.95, 0.95, 0.95)

# Field flags (PDF 32000-1, 12.7.3.1 and 12.7.4).
READ_ONLY: Final = 1
MULTILINE: Final = 1 << 12
DO_NOT_SCROLL: Final = 1 << 23
COMBO: Final = 1 << 17
HIDDEN: Final = 2
PRINT: Final = 4

_DIGITS_ONLY: Final = "if (event.change && !/^[0-9]*$/.test(event.change)) event.rc = false;"
_LINE_START_FORBIDDEN: Final = frozenset(
    "、。，．）」』】〕〉》）ー・：；？！ゝゞ々ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
)


@dataclass(frozen=True)
class _Placed:
    """Where one control's box was drawn: page index and rectangle in points."""

    control: Control
    page: int
    rect: tuple[float, float, float, float]


class FieldBox(Flowable):  # type: ignore[misc]
    """A box standing for one input: shaded (an input) or plain (fixed, or in print).

    ``width`` None fills the available width (less ``indent``). When drawn it appends
    its place to ``sink`` (if given), which is how the fields find their rectangles.
    """

    def __init__(
        self,
        control: Control | None,
        height: float,
        *,
        fill: Any = None,
        border: bool = False,
        width: float | None = None,
        indent: float = 0.0,
        sink: list[_Placed] | None = None,
    ) -> None:
        super().__init__()
        self.control = control
        self.box_height = height
        self.fill = fill
        self.border = border
        self.fixed_width = width
        self.indent = indent
        self.sink = sink
        self.box_width = width or 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.fixed_width is None:
            self.box_width = available_width - self.indent
            return (available_width, self.box_height)
        return (self.fixed_width + self.indent, self.box_height)

    def draw(self) -> None:
        canvas = self.canv
        x, w, h = self.indent, self.box_width, self.box_height
        if self.fill is not None:
            canvas.setFillColor(self.fill)
            canvas.rect(x, 0, w, h, stroke=0, fill=1)
        if self.border:
            canvas.setLineWidth(0.5)
            canvas.setStrokeColor(colors.black)
            canvas.rect(x, 0, w, h, stroke=1, fill=0)
        if self.sink is not None and self.control is not None:
            x1, y1 = canvas.absolutePosition(x, 0)
            x2, y2 = canvas.absolutePosition(x + w, h)
            self.sink.append(_Placed(self.control, canvas.getPageNumber() - 1, (x1, y1, x2, y2)))


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Styles:
    title: Any
    heading: Any
    item: Any
    text: Any
    centre: Any
    column: Any
    note: Any


def _styles(fonts: FontSet) -> _Styles:
    base = ParagraphStyle(
        "form-text", fontName=fonts.mincho, fontSize=EM, leading=14, wordWrap="CJK"
    )
    return _Styles(
        title=ParagraphStyle(
            "form-title",
            parent=base,
            fontName=fonts.gothic,
            fontSize=14,
            leading=20,
            alignment=TA_CENTER,
            spaceAfter=12,
        ),
        heading=ParagraphStyle(
            "form-heading",
            parent=base,
            fontName=fonts.gothic,
            leading=16,
            spaceBefore=12,
            spaceAfter=2,
            keepWithNext=1,
        ),
        item=ParagraphStyle(
            "form-item", parent=base, leading=16, spaceBefore=4, spaceAfter=2, keepWithNext=1
        ),
        text=ParagraphStyle("form-cell", parent=base, alignment=TA_LEFT),
        centre=ParagraphStyle("form-centre", parent=base, alignment=TA_CENTER),
        column=ParagraphStyle(
            "form-column", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER
        ),
        note=ParagraphStyle(
            "form-note", parent=base, fontSize=9, leading=12, spaceBefore=2, leftIndent=EM
        ),
    )


def _grid_style(font: str, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            *extra,
        ]
    )


def _share(weights: Sequence[int], total: float) -> list[float]:
    whole = sum(weights)
    return [total * w / whole for w in weights]


class _Layout:
    """The flowables of one form. ``sink`` None: print layout (plain boxes)."""

    def __init__(
        self,
        form: Form,
        values: dict[str, str],
        fonts: FontSet,
        width: float,
        sink: list[_Placed] | None,
        title: str | None = None,
    ) -> None:
        self.form = form
        self.title = title or form.header.title
        self.values = values
        self.computed = computed_values(form, values)
        self.styles = _styles(fonts)
        self.width = width
        self.sink = sink

    def paragraph(self, text: str, style: Any) -> Any:
        return PdfParagraph(markup(text), style)

    def box(self, control: Control, height: float = BOX_HEIGHT, **kwargs: Any) -> FieldBox:
        fixed = control.field.id in self.values
        fill = None if fixed or self.sink is None else INPUT_FILL
        return FieldBox(control, height, fill=fill, sink=self.sink, **kwargs)

    def flowables(self) -> list[Any]:
        styles = self.styles
        out: list[Any] = [self.paragraph(self.title, styles.title)]
        out += self.header(self.form.header.fields)
        for section in self.form.sections:
            heading = markup(section.heading)
            if section.note:
                heading += f'<font name="{styles.text.fontName}">{markup(section.note)}</font>'
            out.append(PdfParagraph(heading, styles.heading))
            for item in section.items:
                out += self.item(item)
        return out

    def header(self, fields: Sequence[Field]) -> list[Any]:
        out: list[Any] = []
        rows: list[list[Any]] = []
        for field in fields:
            label = self.paragraph(field.label, self.styles.centre)
            height = max(BOX_HEIGHT, label.wrap(LABEL_WIDTH - 6, A4[1])[1] + 4)
            rows.append([label, self.input_cell(field, height)])
            if field.note:
                out += [self.header_table(rows), self.paragraph(field.note, self.styles.note)]
                rows = []
        if rows:
            out.append(self.header_table(rows))
        return out

    def header_table(self, rows: list[list[Any]]) -> Any:
        style = _grid_style(
            self.styles.text.fontName,
            [
                ("BACKGROUND", (0, 0), (0, -1), HEAD_FILL),
                ("LEFTPADDING", (1, 0), (1, -1), 0),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (1, 0), (1, -1), 0),
                ("BOTTOMPADDING", (1, 0), (1, -1), 0),
            ],
        )
        return Table(
            rows, colWidths=[LABEL_WIDTH, self.width - LABEL_WIDTH], style=style, hAlign="LEFT"
        )

    def input_cell(self, field: Field, height: float = BOX_HEIGHT) -> Any:
        """A table cell that is one input (the table draws the borders)."""
        if field.kind == "computed":
            fill = COMPUTED_FILL if self.sink is not None else None
            return FieldBox(Control(field.id, field), height, fill=fill, sink=self.sink)
        return self.box(field_controls(field)[0], height)

    def item(self, item: Item) -> list[Any]:
        out: list[Any] = []
        if item.caption:
            out.append(self.paragraph(item.caption, self.styles.item))
        return out + visit_body(item.body, self, [])

    def body_field(self, field: Field) -> list[Any]:
        out: list[Any] = []
        if field.kind == "choices":
            rows = []
            for control in field_controls(field):
                assert control.option is not None
                caption = field.options[control.option - 1].caption
                check = self.box(control, CHECK_SIZE, border=True, width=CHECK_SIZE)
                rows.append([None, check, self.paragraph(caption, self.styles.text)])
            style = TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.styles.text.fontName),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (1, 0), (1, -1), 2.5),
                    ("TOPPADDING", (2, 0), (2, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
            widths = [EM, CHECK_SIZE + 4, self.width - EM - CHECK_SIZE - 4]
            out.append(Table(rows, colWidths=widths, style=style, hAlign="LEFT"))
        else:
            width = {"date": 150.0, "count": 80.0, "choice": 150.0}.get(field.kind)
            lines = field.lines if field.kind == "multiline" else 1
            height = BOX_HEIGHT if lines == 1 else lines * LINE + 6
            out.append(
                self.box(field_controls(field)[0], height, border=True, width=width, indent=EM)
            )
        if field.note:
            out.append(self.paragraph(field.note, self.styles.note))
        return out

    def heading(self, grid: Grid | None, column: Column, width: float) -> Any:
        """A column heading; a field inside it is a box between its two texts."""
        parts = column.heading_parts()
        if len(parts) == 1 or grid is None:
            return self.paragraph(column.plain_label, self.styles.column)
        before, field_id, after = parts
        box = self.box(field_controls(grid.heading_field(field_id))[0], BOX_HEIGHT - 2)
        right = ParagraphStyle("form-column-right", parent=self.styles.column, alignment=TA_RIGHT)
        left = ParagraphStyle("form-column-left", parent=self.styles.column, alignment=TA_LEFT)
        box_width, after_width = 100.0, 40.0
        widths = [width - box_width - after_width, box_width, after_width]
        gap = self.styles.column.fontSize * HEADING_BOX_GAP
        if self.sink is None:
            # Print layout: the texts as wide as they are, with half an em between each
            # and the box, the three centred in the cell.
            gap = self.styles.column.fontSize / 2
            texts = [self.measure(before) + gap + 0.5, self.measure(after) + gap + 0.5]
            if sum(texts) + box_width <= width:
                widths = [texts[0], box_width, texts[1]]
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.styles.text.fontName),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), gap),
                ("LEFTPADDING", (2, 0), (2, 0), gap),
                ("BOX", (1, 0), (1, 0), 0.5, colors.black),
            ]
        )
        return Table(
            [[self.paragraph(before, right), box, self.paragraph(after, left)]],
            colWidths=widths,
            style=style,
        )

    def measure(self, text: str) -> float:
        """Width of ``text`` in a column heading."""
        column = self.styles.column
        return float(stringWidth(text, column.fontName, column.fontSize))

    def fitted_headings(
        self, columns: Sequence[Column], available: float
    ) -> tuple[list[float], list[list[str]]] | None:
        """Widths for ``columns`` sharing ``available`` points from their headings, and
        each heading's lines (:func:`builder.forms.headings.fitted_headings`). None when
        a heading holds a field or no such widths fit."""
        if any(len(column.heading_parts()) > 1 for column in columns):
            return None
        pad = 2 * 3 + 0.5  # the grid's cell padding, and slack against rounding
        labels = [column.plain_label for column in columns]
        return fitted_headings(labels, available, self.measure, pad)

    def grid(self, grid: Grid) -> list[Any]:
        available = self.width - EM - HEAD_WIDTH
        value_widths = _share([c.width for c in grid.columns], available)
        headings: list[Any] = [
            self.heading(grid, c, w - 6) for c, w in zip(grid.columns, value_widths, strict=True)
        ]
        fitted = self.fitted_headings(grid.columns, available)
        centred: list[tuple[Any, ...]] = []
        if self.sink is None:  # print layout: a heading with a box centred as a whole
            centred = [("ALIGN", (1, 0), (-1, 0), "CENTER")]
        if fitted is not None:
            value_widths = fitted[0]
            headings = [
                PdfParagraph("<br/>".join(markup(line) for line in lines), self.styles.column)
                for lines in fitted[1]
            ]
        rows: list[list[Any]] = [[self.paragraph(grid.corner, self.styles.column), *headings]]
        for table_row in grid.rows:
            rows.append(
                [
                    self.paragraph(table_row.label, self.styles.centre),
                    *(self.input_cell(grid.cell(table_row, c)) for c in grid.columns),
                ]
            )
        style = _grid_style(
            self.styles.text.fontName,
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("BACKGROUND", (0, 1), (0, -1), HEAD_FILL),
                ("LEFTPADDING", (1, 1), (-1, -1), 0),
                ("RIGHTPADDING", (1, 1), (-1, -1), 0),
                ("TOPPADDING", (1, 1), (-1, -1), 0),
                ("BOTTOMPADDING", (1, 1), (-1, -1), 0),
                *centred,
            ],
        )
        table = Table(
            rows, colWidths=[HEAD_WIDTH, *value_widths], style=style, repeatRows=1, hAlign="RIGHT"
        )
        if grid.note:  # the note goes over with the table's last row, never alone
            return [KeepTogether([table, self.paragraph(grid.note, self.styles.note)])]
        return [table]

    def repeat(self, repeat: Repeat) -> list[Any]:
        widths = _share([c.width for c in repeat.columns], self.width - EM)
        headings = [self.heading(None, c, w) for c, w in zip(repeat.columns, widths, strict=True)]
        rows: list[list[Any]] = [headings]
        lines = max(c.lines if c.kind == "multiline" else 1 for c in repeat.columns)
        height = BOX_HEIGHT if lines == 1 else lines * LINE + 6
        for number in range(1, repeat.count + 1):
            rows.append([self.input_cell(repeat.cell(number, c), height) for c in repeat.columns])
        style = _grid_style(
            self.styles.text.fontName,
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("LEFTPADDING", (0, 1), (-1, -1), 0),
                ("RIGHTPADDING", (0, 1), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 0),
            ],
        )
        return [Table(rows, colWidths=widths, style=style, repeatRows=1, hAlign="RIGHT")]


def form_print_flowables(
    form: Form, width: float, fonts: FontSet | None = None, *, title: str | None = None
) -> list[Any]:
    """The blank form as platypus flowables ``width`` points wide, boxes without shading
    or fields: for printing the form inside another PDF (a notice's 別添2). ``title``
    stands in the form's title style in place of the form's own (a notice prints its
    attachment's title 「区域対応方針（様式例）」 there, once)."""
    return _Layout(form, {}, fonts or register_fonts(), width, None, title).flowables()


# --------------------------------------------------------------------------- fields


def render_form_pdf(
    form: Form, prefill: Mapping[str, str] | None = None, *, glyph_set: GlyphSet = "jis"
) -> bytes:
    """``form`` as a fillable PDF with ``prefill`` shown read-only; byte-reproducible.

    ``glyph_set`` chooses the coverage of the field font (:mod:`builder.forms.pdf_font`).
    ``ValueError`` for a bad prefill (see ``check_prefill``).

    Per process, the document is built once per form, set of prefilled field ids, set of
    fields shown non-empty and field font (:class:`_Template`); another prefill of the
    same kind only puts its values into the widgets (:meth:`_Fields.restamp`) and writes
    those objects again (:class:`~builder.forms.pdf_stamp.PdfStamp`): the same bytes as
    :func:`_render_direct`, in about a millisecond instead of a quarter of a second.
    """
    values, computed, font = _prepared(form, prefill, glyph_set)
    shown = (k for k in (*values, *computed) if values.get(k) or computed.get(k))
    key = ("pdf", form, glyph_set, id(font), tuple(sorted(values)), tuple(sorted(set(shown))))
    found = TEMPLATES.get(key)
    template = found if isinstance(found, _Template) else None
    if template is None or template.font is not font:
        stats["template"] += 1
        fields = _build(form, values, computed, font)
        written = write_pdf(fields.writer)
        TEMPLATES.put(key, _Template(font, fields, PdfStamp.create(fields.writer, written)))
        return written
    if template.stamp is None:
        stats["direct"] += 1
        return write_pdf(_build(form, values, computed, font).writer)
    stats["stamped"] += 1
    return template.stamp.write(template.fields.restamp(values, computed))


def _render_direct(
    form: Form, prefill: Mapping[str, str] | None = None, *, glyph_set: GlyphSet = "jis"
) -> bytes:
    """:func:`render_form_pdf` without templates: everything built for this prefill."""
    return write_pdf(_build(form, *_prepared(form, prefill, glyph_set)).writer)


def _prepared(
    form: Form, prefill: Mapping[str, str] | None, glyph_set: GlyphSet
) -> tuple[dict[str, str], dict[str, str], FieldFont]:
    """The checked prefill, the computed cells it gives, and the field font for both."""
    values = check_prefill(form, prefill or {})
    computed = computed_values(form, values)
    return values, computed, _font(form, values, computed, glyph_set)


@dataclass(frozen=True)
class _Template:
    """A document built for one prefill, to be stamped with others of the same kind."""

    font: FieldFont
    fields: _Fields
    stamp: PdfStamp | None
    """None: assembling the objects did not give pypdf's bytes; always build directly."""


def _font(
    form: Form, values: dict[str, str], computed: dict[str, str], glyph_set: GlyphSet
) -> FieldFont:
    """The field font: ``glyph_set`` and whatever the fields and the page show beyond it
    (the page's 明朝 text is set in this font too: :mod:`builder.forms.pdf_page_font`)."""
    characters = _FORM_CHARACTERS.get(form)
    if characters is None:
        characters = _FORM_CHARACTERS.put(form, "".join(sorted(set("".join(_strings(form))))))
    dates = (
        format_wareki(dt.date.fromisoformat(value))
        for field_id, value in values.items()
        if value and form.field(field_id).kind == "date"
    )
    return field_font(glyph_set, [*values.values(), *computed.values(), *dates, characters])


_FORM_CHARACTERS: Final[BoundedCache[Form, str]] = new_cache(16)
"""The characters of every text of each form: a superset of what its page prints and
its options write into fields."""


def _strings(value: object) -> Iterator[str]:
    """Every string in a form's data (dataclasses, tuples, strings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value):
        for member in dataclasses.fields(value):
            yield from _strings(getattr(value, member.name))


def _build(
    form: Form, values: dict[str, str], computed: dict[str, str], font: FieldFont
) -> _Fields:
    """The page drawn by reportlab, cloned into a pypdf writer with the fields added."""
    fonts = register_fonts()
    placed: list[_Placed] = []
    layout = _Layout(form, values, fonts, WIDTH, placed)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN - FRAME_PADDING,
        rightMargin=MARGIN - FRAME_PADDING,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        **pdf_canvas_kwargs(form.title, f"{form.id} {form.version}"),
    )
    document.build(layout.flowables())
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    fields = _Fields(writer, form, values, computed, font)
    fields.add(placed)
    writer.add_metadata({"/FormId": form.id, "/FormVersion": form.version})
    if fonts.mincho == BUNDLED_MINCHO_NAME:  # the field font is cut from the same file
        set_page_text_in_field_font(writer, font, NameObject(FIELD_FONT_NAME), fields.font_ref)
    return fields


class _Fields:
    """Adds the AcroForm fields of the placed boxes to a cloned PDF."""

    def __init__(
        self,
        writer: PdfWriter,
        form: Form,
        values: dict[str, str],
        computed: dict[str, str],
        font: FieldFont,
    ) -> None:
        self.writer = writer
        self.form = form
        self.values = values
        self.computed = computed
        self.font = font
        self.font_ref = font.add_to(writer)
        self.resources = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(FIELD_FONT_NAME): self.font_ref})}
        )
        self.fields = ArrayObject()
        self.calculated = ArrayObject()
        self.references: dict[str, IndirectObject] = {}
        self.parents: dict[str, IndirectObject] = {}
        self.slots: list[tuple[_Placed, IndirectObject, str]] = []
        """The widgets whose value may differ between prefills (see :meth:`restamp`)."""

    def add(self, placed: Sequence[_Placed]) -> None:
        for place in placed:
            self.field(place)
        for field in self.form.fields():
            if field.kind == "computed":
                self.calculation(field)
        self.identity()
        acro_form = DictionaryObject(
            {
                NameObject("/Fields"): self.fields,
                NameObject("/DR"): self.resources,
                NameObject("/DA"): TextStringObject(_da()),
            }
        )
        if self.calculated:
            acro_form[NameObject("/CO")] = self.calculated
        self.writer._root_object[NameObject("/AcroForm")] = self.writer._add_object(acro_form)

    def annotate(self, page: int, widget: DictionaryObject) -> IndirectObject:
        page_object = self.writer.pages[page]
        widget[NameObject("/P")] = page_object.indirect_reference
        reference = self.writer._add_object(widget)
        if "/Annots" not in page_object:
            page_object[NameObject("/Annots")] = ArrayObject()
        cast(ArrayObject, page_object["/Annots"]).append(reference)
        return reference

    def widget(self, rect: Sequence[float], flags: int = PRINT) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/Rect"): ArrayObject(FloatObject(round(v, 2)) for v in rect),
                NameObject("/F"): NumberObject(flags),
            }
        )

    def field(self, place: _Placed) -> None:
        control = place.control
        field = control.field
        widget = self.widget(place.rect)
        width = place.rect[2] - place.rect[0]
        height = place.rect[3] - place.rect[1]
        value = self.shown(field)
        flags = READ_ONLY if field.id in self.values or field.kind == "computed" else 0
        if field.kind == "choices":
            self.check_box(place, widget, flags, width, height)
            return
        widget[NameObject("/T")] = TextStringObject(control.id)
        widget[NameObject("/TU")] = TextStringObject(field.label)
        widget[NameObject("/DA")] = TextStringObject(_da())
        if field.kind == "choice":
            widget[NameObject("/FT")] = NameObject("/Ch")
            flags |= COMBO
            widget[NameObject("/Opt")] = ArrayObject(
                TextStringObject(o.value) for o in field.options
            )
        else:
            widget[NameObject("/FT")] = NameObject("/Tx")
            if field.kind == "multiline":
                flags |= MULTILINE
        if field.kind in ("count", "computed"):
            widget[NameObject("/Q")] = NumberObject(2)
        if field.kind == "count":
            widget[NameObject("/AA")] = DictionaryObject(
                {NameObject("/K"): _javascript(_DIGITS_ONLY)}
            )
        widget[NameObject("/Ff")] = NumberObject(flags)
        if value:
            widget[NameObject("/V")] = TextStringObject(value)
        widget[NameObject("/AP")] = DictionaryObject(
            {NameObject("/N"): self.stream(width, height, self.appearance(width, height, field))}
        )
        reference = self.annotate(place.page, widget)
        self.references[control.id] = reference
        self.fields.append(reference)
        self.slot(place, reference)

    def shown(self, field: Field) -> str:
        """What a text or choice field shows and holds: its value or computed value (a
        date as 和暦, 「令和7年3月27日」), or nothing."""
        value = self.values.get(field.id, "") or self.computed.get(field.id, "")
        if field.kind == "date" and value:
            value = format_wareki(dt.date.fromisoformat(value))  # shown and stored as 和暦
        return value

    def state(self, control: Control) -> NameObject:
        """The state of an option's check box: ``/Yes`` if the option is chosen."""
        field = control.field
        assert control.option is not None
        option = field.options[control.option - 1]
        chosen = option.value in self.values.get(field.id, "").split(CHOICES_SEPARATOR)
        return NameObject("/Yes" if chosen else "/Off")

    def slot(self, place: _Placed, reference: IndirectObject) -> None:
        """Remember a widget whose value may differ between prefills, and what it shows
        now (see :meth:`restamp`)."""
        field = place.control.field
        if field.id in self.values or field.kind == "computed":
            self.slots.append((place, reference, self.look(place.control)))

    def look(self, control: Control) -> str:
        """All that a widget's objects take from the values: what the field shows, or
        the state of an option's check box."""
        if control.field.kind == "choices":
            return str(self.state(control))
        return self.shown(control.field)

    def restamp(self, values: dict[str, str], computed: dict[str, str]) -> list[IndirectObject]:
        """Put other ``values`` (same field ids; the same fields shown non-empty; the same
        font) into the widgets already added; the objects that differ from when they were
        added (the others are as they were then).

        Only these depend on the values: a text widget's ``/V`` and its appearance
        stream's content, a check box's ``/V`` and ``/AS``; they are set by the code that
        :meth:`add` uses. Everything else depends only on which fields are prefilled."""
        self.values = values
        self.computed = computed
        changed: list[IndirectObject] = []
        for place, reference, first in self.slots:
            if self.look(place.control) == first:
                continue  # as written in the template (its objects are not written again)
            field = place.control.field
            widget = cast(DictionaryObject, reference.get_object())
            changed.append(reference)
            if field.kind == "choices":
                state = self.state(place.control)
                widget[NameObject("/V")] = state
                widget[NameObject("/AS")] = state
                continue
            value = self.shown(field)
            if bool(value) != ("/V" in widget):
                raise AssertionError(f"{field.id}: shown in the template iff shown now")
            if value:
                widget[NameObject("/V")] = TextStringObject(value)
            appearance = cast(DictionaryObject, widget["/AP"]).raw_get("/N")
            assert isinstance(appearance, IndirectObject)
            width = place.rect[2] - place.rect[0]
            height = place.rect[3] - place.rect[1]
            stream = cast(StreamObject, appearance.get_object())
            stream.set_data(self.appearance(width, height, field))
            changed.append(appearance)
        return changed

    def check_box(
        self, place: _Placed, widget: DictionaryObject, flags: int, width: float, height: float
    ) -> None:
        control = place.control
        field = control.field
        assert control.option is not None
        parent = self.parents.get(field.id)
        if parent is None:
            parent = self.writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/T"): TextStringObject(field.id),
                        NameObject("/TU"): TextStringObject(field.label),
                        NameObject("/Kids"): ArrayObject(),
                    }
                )
            )
            self.parents[field.id] = parent
            self.fields.append(parent)
        option = field.options[control.option - 1]
        state = self.state(control)
        widget.update(
            {
                NameObject("/Parent"): parent,
                NameObject("/T"): TextStringObject(str(control.option)),
                NameObject("/TU"): TextStringObject(option.caption),
                NameObject("/FT"): NameObject("/Btn"),
                NameObject("/Ff"): NumberObject(flags),
                NameObject("/V"): state,
                NameObject("/AS"): state,
                NameObject("/MK"): DictionaryObject({NameObject("/CA"): TextStringObject("4")}),
                NameObject("/AP"): DictionaryObject(
                    {
                        NameObject("/N"): DictionaryObject(
                            {
                                NameObject("/Yes"): self.stream(width, height, _check(width)),
                                NameObject("/Off"): self.stream(width, height, b""),
                            }
                        )
                    }
                ),
            }
        )
        reference = self.annotate(place.page, widget)
        kids = cast(DictionaryObject, parent.get_object())["/Kids"]
        cast(ArrayObject, kids).append(reference)
        self.slot(place, reference)

    def calculation(self, field: Field) -> None:
        """The script of a computed cell: minuend − subtrahend once both are filled."""
        assert field.formula is not None
        reference = self.references.get(field.id)
        if reference is None:
            return
        script = (
            f'var a = this.getField("{field.formula.minuend}").value;'
            f' var b = this.getField("{field.formula.subtrahend}").value;'
            ' event.value = (a === "" || b === "") ? "" : Number(a) - Number(b);'
        )
        widget = cast(DictionaryObject, reference.get_object())
        widget[NameObject("/AA")] = DictionaryObject({NameObject("/C"): _javascript(script)})
        self.calculated.append(reference)

    def identity(self) -> None:
        """Hidden read-only fields naming the form and its version."""
        for name, value in ((FORM_ID_FIELD, self.form.id), (FORM_VERSION_FIELD, self.form.version)):
            widget = self.widget((0, 0, 0, 0), HIDDEN)
            widget.update(
                {
                    NameObject("/T"): TextStringObject(name),
                    NameObject("/FT"): NameObject("/Tx"),
                    NameObject("/Ff"): NumberObject(READ_ONLY),
                    NameObject("/V"): TextStringObject(value),
                    NameObject("/DA"): TextStringObject(_da()),
                }
            )
            self.fields.append(self.annotate(0, widget))

    # ------------------------------------------------------------------ appearances

    def stream(self, width: float, height: float, content: bytes) -> IndirectObject:
        stream = StreamObject()
        stream.set_data(content)
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [
                        FloatObject(0),
                        FloatObject(0),
                        FloatObject(round(width, 2)),
                        FloatObject(round(height, 2)),
                    ]
                ),
                NameObject("/Resources"): self.resources,
            }
        )
        return self.writer._add_object(stream)

    def appearance(self, width: float, height: float, field: Field) -> bytes:
        """The content of the field's look: what it shows in the field font, or nothing."""
        text = self.shown(field)
        if not text:
            return b"/Tx BMC EMC"
        font, size = self.font, FIELD_FONT_SIZE
        padding = 2.0
        lines = (
            _wrap(text, font, size, width - 2 * padding) if field.kind == "multiline" else [text]
        )
        if field.kind == "multiline":
            leading = size * 1.3
            first = height - padding - size * 0.88
            positions = [(padding, first - i * leading) for i in range(len(lines))]
        else:
            baseline = (height - size) / 2 + 0.12 * size
            x = padding
            if field.kind in ("count", "computed"):
                x = width - padding - font.width(text, size)
            positions = [(x, baseline)]
        operations = [
            "/Tx BMC",
            "q",
            f"1 1 {width - 2:.2f} {height - 2:.2f} re W n",
            "BT",
            f"{FIELD_FONT_NAME} {size:g} Tf",
            "0 g",
        ]
        for line, (x, y) in zip(lines, positions, strict=True):
            operations.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm <{font.encode(line)}> Tj")
        operations += ["ET", "Q", "EMC"]
        return "\n".join(operations).encode("ascii")


def _da() -> str:
    return f"{FIELD_FONT_NAME} {FIELD_FONT_SIZE:g} Tf 0 g"


def _javascript(script: str) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )


def _check(size: float) -> bytes:
    """A check mark drawn with lines (no font needed)."""
    s = size
    return (
        f"q 0 g 1.2 w 1 J 1 j {0.2 * s:.2f} {0.5 * s:.2f} m {0.42 * s:.2f} {0.22 * s:.2f} l "
        f"{0.82 * s:.2f} {0.82 * s:.2f} l S Q"
    ).encode("ascii")


def _wrap(text: str, font: FieldFont, size: float, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` points, at any character but never
    before closing punctuation (行頭禁則); its own line breaks kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and font.width(line + char, size) > width and char not in _LINE_START_FORBIDDEN:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines
