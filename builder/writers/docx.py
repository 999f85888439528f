"""Word writer: a :class:`~builder.model.document.Document` as an editable .docx.

The drafter edits the generated file in Word, so the layout is carried by real
paragraph styles defined in the document, not by spaces, text boxes or line breaks:

=============================  =============================================================
style                          used for
=============================  =============================================================
Notice Body                    前文 paragraphs: one-character 字下げ (first-line indent)
Notice Title                   件名, centred (a title too long for one line is two such
                               paragraphs, split as the PDF splits it and as the seed
                               prints it: 「「…について」の」 / 「一部改正について」)
Notice Right                   文書番号, date, sender, （公印省略）: right-aligned
Notice Left                    addressee, 別記 label, the note under a table
Notice List                    the members of the 別記 list, one character in
Notice Center                  「記」 and the form placeholder line, centred, kept with the
                               next paragraph
Notice Item 1 … 4              an item's label line (1. → (1) → ① → ・) at nesting depth
                               0 … 3, with a hanging indent the width of the label and its
                               space, so wrapped lines align with the text after the label;
                               1 and 2 (「1.」, 「(1)」) are headings: outline levels 1 and 2
                               in Word's navigation pane, kept with the next paragraph
Notice Item Text 1 … 4         further paragraphs of an item at depth 0 … 3: indented one
                               character deeper than the item's label, 字下げ one more
Notice Amendment               a 改め文 sentence, 字下げ as a body paragraph
Notice Amendment Text 1 … 4    its new text, two characters in, one more for each leading
                               全角空白 of the line (0 … 3)
Notice Attachment Label        「（別添N）」: right-aligned, starts a new page
                               (``w:pageBreakBefore``), outline level 1
Notice Attachment Title        the attachment's title, centred (a form attachment whose
                               title starts with the form's prints it once, in the form's
                               Form Title style, as the PDF: ``shares_title``)
Notice Contact                 【担当者】 block, lines left-aligned among themselves, the block
                               pushed to the right margin by the style's left indent (set
                               in each document from the block's widest line)
Notice Table / Table Heading   cell text of a table (folded or not), 10.5 pt as the
                               PDF's tables (the history block's cells are Notice Left)
Notice Footer                  the page number 「- 1 -」 (a PAGE field), centred
=============================  =============================================================

Indents come from the styles; a paragraph carries its own ``w:ind`` only where no style
fits: an item deeper than four levels or with a label of unusual width (「10.」), a line of
a 改め文's new text more than three characters in, a second contact block of another
width. (Outline levels above are as Word numbers them; ``w:outlineLvl`` counts from 0.)

Every style names ＭＳ 明朝 for all scripts (``w:eastAsia`` included) and
``w:lang w:eastAsia="ja-JP"``, 12 pt (the table styles 10.5 pt), the PDF's sizes
(:mod:`builder.formats.pdf_layout`); the document defaults and Normal are reset (12 pt, no
theme fonts, no space after, single line spacing). Indents are character-based
(``w:leftChars``/``w:firstLineChars``/``w:hangingChars``, with the same lengths in twips
of the style's size for LibreOffice). The page is A4 portrait, margins 25 mm top and
bottom and 24.6 mm left and right: the line is 38 characters of 12 pt (9,120 twips),
the PDF's frame, and LibreOffice sets 38 full-width characters on a full line
(``tests/writers/test_docx_layout.py``); a line grid of 19 pt (Japanese Word's
行数のみを指定, ``w:docGrid w:type="lines"``), the PDF's leading, spaces the lines (a
12 pt line of ＭＳ 明朝 takes one grid line).

Choices:

* **Page breaks** are ``w:pageBreakBefore`` in the Notice Attachment Label style rather
  than a break run: the break belongs to the attachment, so it moves with the label when
  a drafter inserts or deletes text before it, and no empty paragraph or stray run is
  left on the previous page.
* **The history block** of a consolidated notice (number and date, then 「一部改正」 and
  each amendment's number and date) is a small borderless two-column table aligned to
  the right margin: the label column holds 「一部改正」, the text column the numbers and
  dates, left-aligned among themselves, as in seed 000 (a label column beside the
  numbers). A drafter adds an amendment by adding a row; right-aligned paragraphs
  would leave the numbers and dates ragged on the left, and spaces would break as soon
  as the font changes. Plain number and date lines (no labels) are right-aligned
  paragraphs.
* **Blank lines** of the text rendering (between blocks) are space before the block's
  first paragraph (or after the paragraph before a table), never empty paragraphs.
* **Page numbers** are a footer with a PAGE field between 「- 」 and 「 -」, centred, its
  baseline 13 mm above the page's edge as in the PDF.
* **A folded table** (``TableBlock(folded=True)``: how the area-table profile prints) is
  a real table of two column pairs (label | text, twice), the first ceil(n/2) rows in the
  left pair, the rest in the right; the header row repeats on each page
  (``w:tblHeader``), no row splits across pages, single borders. The label columns are
  as wide as the widest label; a row's text is broken into lines only after 「、」 with
  :func:`builder.engine.area_lines.area_lines` (as the PDF does), each line a paragraph
  of the cell measured to fit, so no name and no 「（●）」 is split.
* **A form attachment** is the form's print layout fitted to the text width, without
  the fillable form's shading.
* **The 【担当者】 block** is kept with the paragraph before it (``w:keepNext``), so it
  never stands alone on a page.
* **Any other table** (``TableBlock``) is a real table as wide as the text: its
  header rows repeat on each page (``w:tblHeader``), the label column is as narrow as
  its widest label (at most a quarter of the line), the other columns share the rest;
  each line of a cell is a paragraph of it; single borders as a folded table; a row that fits on
  a page never splits (``w:cantSplit``), a taller one may; the note follows after a
  blank line. The text rendering's ［｜］ and 【column】 marks are left to the grid. A
  heading too wide for its column is a paragraph per line, broken only after 「、」 or
  before 「（」 (「2023年度」 / 「（令和5年度）」).

Widths that must fit the text (the history block, the contact block, the lines of a
folded table's cell and of a table's headings) are measured as the
larger of two renderings: ＭＳ 明朝 in Word (full-width characters 1 em, half-width
0.5 em) and IPAex明朝, which LibreOffice substitutes for it (measured with the bundled
font's metrics).

The output is byte-reproducible: the saved package goes through
:func:`builder.formats.reproducible.normalize_ooxml` with the document's title and number.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Final, assert_never, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips
from docx.table import Table
from docx.text.paragraph import Paragraph as WordParagraph

from builder.documents.form_title import shares_title
from builder.engine.area_lines import area_lines
from builder.engine.comparison_layout import line_hang, without_indent
from builder.engine.tabular import folded_rows
from builder.engine.textform import INDENT, label_separator
from builder.formats import docx_xml
from builder.formats.attachment_layout import place
from builder.formats.comparison_align import is_centred
from builder.formats.docx_elements import set_paragraph_style, styled_paragraph, text_run
from builder.formats.docx_measure import text_twips
from builder.formats.docx_xml import MINCHO
from builder.formats.pdf_layout import BODY_SIZE, LEADING, LINE_CHARACTERS, TABLE_SIZE
from builder.formats.reproducible import normalize_ooxml
from builder.forms.docx import append_form_docx
from builder.japanese.normalize import display_width
from builder.model.document import (
    OMITTED,
    AddresseeLine,
    AmendmentSentence,
    AttachmentStart,
    Block,
    Centered,
    ComparisonBlock,
    ComparisonPiece,
    ComparisonTable,
    ContactBlock,
    Document,
    FormBlock,
    HeaderLines,
    Items,
    MarkedLine,
    MemberList,
    Paragraph,
    SenderLines,
    TableBlock,
    Title,
    gap_before,
)
from builder.model.notice import Item
from builder.model.notice import Table as NoticeTable
from builder.writers.text import block_lines

__all__ = ["STYLE_NAMES", "render_docx"]

BODY_HALF_POINTS: Final = round(BODY_SIZE * 2)
"""The body's size, 12 pt, as the PDF's (``builder.formats.pdf_layout.BODY_SIZE``)."""
BODY_CHAR_TWIPS: Final = round(BODY_SIZE * 20)
"""One full-width character of the body (12 pt) in twips: the unit of its indents."""
TABLE_HALF_POINTS: Final = round(TABLE_SIZE * 2)
"""Table text, 10.5 pt, as the PDF's (``builder.formats.pdf_layout.TABLE_SIZE``)."""
TABLE_CHAR_TWIPS: Final = round(TABLE_SIZE * 20)
"""One full-width character of table text (10.5 pt) in twips."""

# Page geometry in twips (1/20 pt): A4 portrait.
PAGE_WIDTH: Final = docx_xml.A4_WIDTH
PAGE_HEIGHT: Final = docx_xml.A4_HEIGHT
MARGIN_TOP: Final = 1417  # 25 mm
MARGIN_BOTTOM: Final = 1417  # 25 mm
TEXT_WIDTH: Final = LINE_CHARACTERS * BODY_CHAR_TWIPS
"""The line: 38 characters of 12 pt (9,120 twips, 160.9 mm), as the PDF's frame."""
MARGIN_SIDE: Final = (PAGE_WIDTH - TEXT_WIDTH) // 2
"""Left and right margins: 1,393 twips (24.6 mm), the PDF's side margins."""
LINE_PITCH: Final = round(LEADING * 20)
"""19 pt per line (the grid's pitch), the PDF's leading."""
BLANK_LINE: Final = LINE_PITCH
"""Space that stands for one blank line of the text rendering."""

PREFECTURE_COLUMN_MIN: Final = 2 * TABLE_CHAR_TWIPS
"""Narrowest label column of a folded table; it is as wide as its widest label and margins."""
TABLE_CELL_MARGIN: Final = 85  # 1.5 mm left and right in each cell of a folded table
_FIT_SLACK: Final = 20
"""Twips added to a measured width so that rounding never wraps a line."""
LABEL_COLUMN_MAX: Final = TEXT_WIDTH // 4
"""Widest label column of a generic table (10 characters of table text): longer labels
wrap."""
PAGE_LINES: Final = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) // LINE_PITCH
"""Lines of the grid on one page: a table row of more lines cannot be kept whole."""

_TEMPLATE_STYLES_KEPT: Final = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
)


@dataclass(frozen=True)
class _Style:
    """A paragraph style: alignment, indents in hundredths of a character, page flow,
    size (the body's 12 pt unless ``table``: 10.5 pt)."""

    name: str
    align: str = "both"
    left: int = 0
    first_line: int = 0
    hanging: int = 0
    page_break_before: bool = False
    keep_next: bool = False
    outline_level: int | None = None
    table: bool = False


_ITEM_LEVELS: Final = 4
_ITEM_HANGING: Final = (200, 250, 100, 100)
"""Hanging indent of the usual label at each depth: 「1.　」, 「(1)　」, 「①」, 「・」."""

_HEADING_ITEM_LEVELS: Final = 2
"""Item depths that are headings (「1.」, 「(1)」): an outline level, kept with the next line."""
_AMENDMENT_TEXT_LEVELS: Final = 4
"""Styles for the new text of a 改め文: its own indent of 0 … 3 characters."""
_ATTACHMENT_ITEM_LEVELS: Final = 2
"""A text attachment's marked items (○ ①, level 0) and ※ notes under them (level 1):
first line ``level + 1`` characters in, continuation lines ``level + 2``
(:mod:`builder.formats.attachment_layout`, as the PDF)."""

_STYLES: Final = (
    _Style("Notice Body", first_line=100),
    _Style("Notice Title", align="center", keep_next=True),
    _Style("Notice Right", align="right"),
    _Style("Notice Left", align="left"),
    _Style("Notice Center", align="center", keep_next=True),
    *(
        _Style(
            f"Notice Item {depth + 1}",
            left=depth * 100 + hanging,
            hanging=hanging,
            keep_next=depth < _HEADING_ITEM_LEVELS,
            outline_level=depth if depth < _HEADING_ITEM_LEVELS else None,
        )
        for depth, hanging in enumerate(_ITEM_HANGING)
    ),
    *(
        _Style(f"Notice Item Text {depth + 1}", left=(depth + 1) * 100, first_line=100)
        for depth in range(_ITEM_LEVELS)
    ),
    _Style("Notice Amendment", first_line=100),
    *(
        _Style(f"Notice Amendment Text {own + 1}", align="left", left=200 + own * 100)
        for own in range(_AMENDMENT_TEXT_LEVELS)
    ),
    _Style("Notice List", align="left", left=100),
    _Style(
        "Notice Attachment Label",
        align="right",
        page_break_before=True,
        keep_next=True,
        outline_level=0,
    ),
    _Style("Notice Attachment Title", align="center", keep_next=True),
    *(
        _Style(f"Notice Attachment Item {level + 1}", left=(level + 2) * 100, hanging=100)
        for level in range(_ATTACHMENT_ITEM_LEVELS)
    ),
    *(
        _Style(f"Notice Attachment Continuation {level + 1}", align="left", left=(level + 2) * 100)
        for level in range(_ATTACHMENT_ITEM_LEVELS)
    ),
    _Style("Notice Contact", align="left"),
    _Style("Notice Table", align="left", table=True),
    _Style("Notice Table Heading", align="center", table=True),
    _Style("Notice Footer", align="center"),
)

STYLE_NAMES: Final = tuple(style.name for style in _STYLES)
"""The paragraph styles every generated .docx defines."""

_TITLE_BREAKS_AFTER: Final = "」）、"
"""Characters after which a title too long for one line may be split, as in the PDF."""
_TITLE_PARTICLES: Final = frozenset("のをにがはへとでも")
"""Particles that never start a title's second line: they stay after the 」 they follow."""

PAGE_NUMBER: Final = ("- ", " -")
"""Text before and after the PAGE field in the footer: 「- 1 -」, as the PDF prints."""
FOOTER_DISTANCE: Final = 700
"""The footer's bottom about 12 mm above the page's edge, which puts the number's baseline
13 mm above it, where the PDF prints it (measured in LibreOffice's rendering)."""

_FORBIDDEN: Final = frozenset("\n\r\t\f\v\u2028\u2029")


def render_docx(document: Document) -> bytes:
    """The .docx package of ``document``: same words and reading order as the text
    rendering, byte-identical for the same document."""
    word = _new_document()
    writer = _Writer(word)
    previous: Block | None = None
    blocks = document.blocks
    in_attachment = False
    index = 0
    while index < len(blocks):
        block = blocks[index]
        gap = gap_before(previous, block) and not isinstance(block, AttachmentStart)
        in_attachment = in_attachment or isinstance(block, AttachmentStart)
        if in_attachment and isinstance(block, Paragraph):
            run = list(itertools.takewhile(lambda b: isinstance(b, Paragraph), blocks[index:]))
            writer.attachment_paragraphs([b.text for b in run if isinstance(b, Paragraph)], gap)
            index += len(run) - 1
            block = run[-1]
        else:
            writer.following = blocks[index + 1] if index + 1 < len(blocks) else None
            writer.block(block, gap=gap)
        previous = block
        index += 1
    buffer = io.BytesIO()
    word.save(buffer)
    return normalize_ooxml(
        buffer.getvalue(),
        title=document.title,
        subject=document.number,
        custom=document.properties,
    )


# --------------------------------------------------------------------------- set-up


@dataclass(frozen=True)
class _Template:
    """The prepared template, made once per process: the saved package and the style id
    of each paragraph style (python-docx's lookup by name scans every style)."""

    package: bytes
    style_ids: Mapping[str, str]


@cache
def _template() -> _Template:
    """python-docx's default template made into a Japanese A4 notice, saved once: opening
    the saved package (about 1 ms) replaces loading and resetting the default template
    (about 20 ms) for every document. Opening it gives the same parts, in the same order,
    as preparing it afresh (``tests/writers/test_render_speed.py``)."""
    word = _prepare_template()
    style_ids = {
        str(style.name): str(style.style_id) for style in word.styles if style.name in STYLE_NAMES
    }
    buffer = io.BytesIO()
    word.save(buffer)
    return _Template(buffer.getvalue(), MappingProxyType(style_ids))


def _new_document() -> WordDocument:
    """A fresh document opened from the prepared template."""
    return docx.Document(io.BytesIO(_template().package))


def _prepare_template() -> WordDocument:
    """python-docx's template made into a Japanese A4 notice: styles, page, settings."""
    word = docx.Document()
    docx_xml.drop_template_extras(word)
    normal_ppr = docx_xml.reset_normal(word, set(_TEMPLATE_STYLES_KEPT), BODY_HALF_POINTS)
    docx_xml.set_justification(normal_ppr, "both")

    for spec in _STYLES:
        style = word.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        style.quick_style = True
        element = style.element
        ppr = element.get_or_add_pPr()
        if spec.keep_next:
            docx_xml.set_child(ppr, "w:keepNext", docx_xml.PPR_ORDER)
        if spec.page_break_before:
            docx_xml.set_page_break_before(ppr)
        docx_xml.set_spacing(ppr, before=0, after=0, single=True)
        docx_xml.set_indent(
            ppr,
            left=spec.left,
            first_line=spec.first_line,
            hanging=spec.hanging,
            char_twips=TABLE_CHAR_TWIPS if spec.table else BODY_CHAR_TWIPS,
        )
        docx_xml.set_justification(ppr, spec.align)
        if spec.outline_level is not None:
            docx_xml.set_outline_level(ppr, spec.outline_level)
        half_points = TABLE_HALF_POINTS if spec.table else BODY_HALF_POINTS
        docx_xml.set_run_properties(element.get_or_add_rPr(), MINCHO, half_points)
    word.styles["Notice Title"].next_paragraph_style = word.styles["Notice Body"]

    docx_xml.configure_settings(word.settings.element)
    docx_xml.set_a4_pages(
        word,
        top=MARGIN_TOP,
        bottom=MARGIN_BOTTOM,
        side=MARGIN_SIDE,
        line_pitch=LINE_PITCH,
        footer=FOOTER_DISTANCE,
    )
    footer_style = str(word.styles["Notice Footer"].style_id)
    docx_xml.set_page_number_footer(word, footer_style, *PAGE_NUMBER)
    return word


# --------------------------------------------------------------------------- measuring


def _text_twips(text: str, size: float = TABLE_SIZE) -> int:
    """Width of ``text`` at ``size`` points (table text unless given) in twips
    (:func:`builder.formats.docx_measure.text_twips`)."""
    return text_twips(text, size)


def _hanging(label: str) -> int:
    """Hanging indent of an item label and its separator, in hundredths of a character."""
    return display_width(label + label_separator(label)) * 50


# --------------------------------------------------------------------------- writing


class _Writer:
    """Appends blocks to a python-docx document, remembering the elements it wrote.

    Paragraphs are made as elements with their style id (from :func:`_template`) and put
    before the body's ``w:sectPr``, which is what python-docx's ``add_paragraph(style=)``
    writes, without its lookup of the style by name and its search for ``w:sectPr``
    among all the body's children, both of which grow with the document."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.style_ids = _template().style_ids
        self.elements: list[BaseOxmlElement] = []
        self._body = word._body
        self._sect_pr = word.element.body.find(qn("w:sectPr"))
        self.contact_indent: int | None = None
        self.following: Block | None = None
        """The block after the one being written (an attachment's title looks at it)."""
        self.form_title: str | None = None
        """An attachment's title that the form under it prints in its own title style."""

    def block(self, block: Block, *, gap: bool) -> None:
        start = len(self.elements)
        self._write(block)
        if gap and start < len(self.elements):
            self._blank_line_before(start)

    def attachment_paragraphs(self, texts: list[str], gap: bool) -> None:
        """The paragraphs of a text attachment, placed by the rules of
        :mod:`builder.formats.attachment_layout` as the PDF places them: a letter's head
        (date and sender right, addressees left, title centred, a blank line after each
        part), marked items with hanging indents, 「（以上）」 right, headings and items
        kept with what follows, a contact block flush right and kept with the text
        before it. Every indent is a style's."""
        start = len(self.elements)
        contact: list[str] = []
        for placed in place(texts):
            role = placed.role
            if role == "contact":
                contact.append(placed.text)
                continue
            first = len(self.elements)
            match role:
                case "date" | "sender" | "closing":
                    self.paragraph(placed.text, "Notice Right")
                case "addressee":
                    self.paragraph(placed.text, "Notice Left")
                case "title":
                    for line in _title_lines(placed.text):
                        self.paragraph(line, "Notice Title")
                case "item":
                    self.paragraph(placed.text, f"Notice Attachment Item {placed.level + 1}")
                case "continuation":
                    level = min(placed.level, _ATTACHMENT_ITEM_LEVELS - 1)
                    self.paragraph(placed.text, f"Notice Attachment Continuation {level + 1}")
                case "body" | "heading":
                    self.paragraph(placed.text, "Notice Body")
            if placed.blank_before:
                self._blank_line_before(first)
            if placed.keep_with_next:
                ppr = self.elements[-1].get_or_add_pPr()
                docx_xml.set_child(ppr, "w:keepNext", docx_xml.PPR_ORDER)
        if contact:
            first = len(self.elements)
            self._contact(contact)
            self._blank_line_before(first)  # the first contact line's blank_before
        if gap and start < len(self.elements):
            self._blank_line_before(start)

    def _blank_line_before(self, index: int) -> None:
        first = self.elements[index]
        if first.tag.endswith("}p"):
            docx_xml.set_spacing(first.get_or_add_pPr(), before=BLANK_LINE)
        elif index > 0 and self.elements[index - 1].tag.endswith("}p"):
            docx_xml.set_spacing(self.elements[index - 1].get_or_add_pPr(), after=BLANK_LINE)

    def paragraph(self, text: str, style: str) -> WordParagraph:
        _check_text(text)
        p = styled_paragraph(self.style_ids[style], text)
        if self._sect_pr is not None and self._sect_pr.getparent() is not None:
            self._sect_pr.addprevious(p)
        else:
            self.word.element.body.append(p)
        self.elements.append(p)
        return WordParagraph(p, self._body)

    def fill(self, p: CT_P, text: str, style: str) -> None:
        """Give an empty paragraph (a table cell's) ``style`` and ``text``."""
        _check_text(text)
        set_paragraph_style(p, self.style_ids[style])
        if text:
            p.append(text_run(text))

    def fill_lines(self, tc: BaseOxmlElement, lines: Sequence[str], heading: bool = False) -> None:
        """Fill a table cell with ``lines``, each a paragraph (Notice Table, or Notice
        Table Heading for a ``heading``)."""
        style = "Notice Table Heading" if heading else "Notice Table"
        self.fill(tc.p_lst[0], lines[0] if lines else "", style)
        for line in lines[1:]:
            _check_text(line)
            tc.append(styled_paragraph(self.style_ids[style], line))

    def table(self, rows: int, widths: Sequence[int]) -> Table:
        table: Table = self.word.add_table(rows=rows, cols=len(widths))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Twips(width)
        for tr in table._tbl.tr_lst:
            for tc, width in zip(tr.tc_lst, widths, strict=True):
                docx_xml.set_cell_width(tc, width)
            docx_xml.mark_cant_split(tr)
        self.elements.append(table._tbl)
        return table

    def _write(self, block: Block) -> None:
        match block:
            case HeaderLines(lines):
                if any(label for label, _ in lines):
                    self._history(lines)
                else:
                    for _, text in lines:
                        self.paragraph(text, "Notice Right")
            case AddresseeLine(text):
                self.paragraph(text, "Notice Left")
            case SenderLines(lines):
                for line in lines:
                    self.paragraph(line, "Notice Right")
            case Title(text):
                for line in _title_lines(text):
                    self.paragraph(line, "Notice Title")
            case Paragraph(text):
                self.paragraph(text, "Notice Body")
            case Centered(text):
                self.paragraph(text, "Notice Center")
            case Items(items):
                for item in items:
                    self._item(item, 0)
            case AmendmentSentence(text, extra):
                self._amendment(text, extra)
            case ContactBlock(contact):
                self._contact([contact.label, *contact.lines])
            case AttachmentStart(_, label, title):
                self.paragraph(label, "Notice Attachment Label")
                match self.following:
                    case FormBlock(_, _, fields) if fields is not None and shares_title(
                        title, fields.header.title
                    ):
                        self.form_title = title  # printed once, as the form's title
                    case _ if title:
                        self.paragraph(title, "Notice Attachment Title")
            case TableBlock(table, folded=True):
                self._folded_table(table)
            case TableBlock(table):
                self._generic_table(table)
            case FormBlock(_, _, fields) if fields is not None:
                body = self.word.element.body
                before = list(body)  # keeps the element proxies alive, so identity holds
                append_form_docx(self.word, fields, title=self.form_title)
                self.form_title = None
                self.elements += [
                    e
                    for e in body
                    if not any(e is seen for seen in before) and not e.tag.endswith("}sectPr")
                ]
            case FormBlock():
                for line in block_lines(block):
                    self.paragraph(line.strip(" " + INDENT), "Notice Center")
            case MemberList(label, members):
                self.paragraph(label, "Notice Left")
                for member in members:
                    self.paragraph(member, "Notice List")
            case ComparisonBlock():
                self._comparison(block)
            case _:
                assert_never(block)  # a new kind of block: add its case here

    def _comparison(self, block: ComparisonBlock) -> None:
        """新旧対照表 in MHLW form: the heading citing the notice, the note flush right,
        then a two-column table (改正後 | 改正前 by default) in one frame with a rule
        between the columns and under the repeated heading row, no rule between its parts;
        each column its own labels, lines and table fragments (nested tables), changed
        runs underlined (傍線)."""
        self.paragraph(block.heading, "Notice Left")
        self.paragraph(block.note, "Notice Right")
        column = TEXT_WIDTH // 2
        table = self.table(1 + len(block.rows), (column, column))
        docx_xml.set_table_properties(
            table._tbl,
            width=2 * column,
            align="center",
            borders=True,
            cell_margin=TABLE_CELL_MARGIN,
        )
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        inside = borders.find(qn("w:insideH")) if borders is not None else None
        if inside is not None:
            inside.set(qn("w:val"), "nil")
        docx_xml.mark_header_row(table.rows[0]._tr)
        for cell, heading in zip(
            table.rows[0].cells, (block.left_heading, block.right_heading), strict=True
        ):
            self.fill(cell._tc.p_lst[0], heading, "Notice Table Heading")
            _bottom_rule(cell._tc)
        inner = column - 2 * TABLE_CELL_MARGIN
        for index, row in enumerate(block.rows):
            for cell, side in zip(table.rows[1 + index].cells, (row.left, row.right), strict=True):
                self._comparison_side(cell._tc, side, inner)

    def _comparison_side(
        self, tc: BaseOxmlElement, pieces: tuple[ComparisonPiece, ...], width: int
    ) -> None:
        """One column of a 新旧対照表 part in a cell: a paragraph per line (「記」 centred,
        :func:`~builder.formats.comparison_align.is_centred`), a nested table per table
        fragment (the cell ends with a paragraph, as Word requires)."""
        style = self.style_ids["Notice Table"]
        first = tc.p_lst[0]
        used = False
        for piece in pieces:
            if isinstance(piece, ComparisonTable):
                tc.append(self._comparison_table(piece, width))
                continue
            p = first if not used else styled_paragraph(style, "")
            set_paragraph_style(p, style)
            own, lead = line_hang(piece)
            if is_centred(piece):
                docx_xml.set_justification(p.get_or_add_pPr(), "center")
            elif own or lead:  # 字下げ as an indent, an item's wrapped lines hung
                hang = display_width(lead) * 50
                docx_xml.set_indent(
                    p.get_or_add_pPr(),
                    left=own * 100 + hang,
                    hanging=hang,
                    char_twips=TABLE_CHAR_TWIPS,
                )
                piece = without_indent(piece, own)
            _marked_runs(p, piece)
            if used:
                tc.append(p)
            used = True
        if not used:
            set_paragraph_style(first, style)
        if not tc[-1].tag.endswith("}p"):
            tc.append(_closing_paragraph(style))
        if not used and len(tc.p_lst) > 1:
            tc.remove(first)

    def _comparison_table(self, fragment: ComparisonTable, width: int) -> BaseOxmlElement:
        """A table fragment as a nested table: header rows centred, its rows, a 「（略）」
        row spanning the table for each run of rows left out; the label column as wide as
        its widest label (at most a third), the other columns sharing the rest."""
        columns = max([len(h) for h in fragment.header] + [len(r.cells) for r in fragment.rows])
        columns = max(columns, 1)
        labels = ["".join(t for t, _ in h[0]) for h in fragment.header if h] + [
            "".join(t for t, _ in r.cells[0][0]) for r in fragment.rows if r.cells and r.cells[0]
        ]
        label_width = min(
            max([_text_twips(label) for label in labels] + [TABLE_CHAR_TWIPS])
            + 2 * TABLE_CELL_MARGIN
            + TABLE_CHAR_TWIPS,
            width // 3,
        )
        widths = (
            [width]
            if columns == 1
            else [label_width] + [(width - label_width) // (columns - 1)] * (columns - 1)
        )
        rows = len(fragment.header) + len(fragment.rows)
        table: Table = self.word.add_table(rows=rows, cols=columns)
        tbl = table._tbl
        tbl.getparent().remove(tbl)  # made in the body, moved into the cell
        for grid_column, column_width in zip(table.columns, widths, strict=True):
            grid_column.width = Twips(column_width)
        docx_xml.set_table_properties(
            tbl, width=sum(widths), align="left", borders=True, cell_margin=TABLE_CELL_MARGIN
        )
        style = self.style_ids["Notice Table"]
        heading = self.style_ids["Notice Table Heading"]
        entries: list[list[tuple[MarkedLine, ...]] | None] = [
            [(cell,) for cell in header] for header in fragment.header
        ]
        entries += [None if r.omitted else list(r.cells) for r in fragment.rows]
        for number, (tr, cells) in enumerate(zip(tbl.tr_lst, entries, strict=True)):
            for tc, column_width in zip(tr.tc_lst, widths, strict=True):
                docx_xml.set_cell_width(tc, column_width)
            if cells is None:
                cells = [(_OMITTED_LINE,)]
            if len(cells) < columns:
                table.cell(number, len(cells) - 1).merge(table.cell(number, columns - 1))
            row_cells = table.rows[number].cells
            for index, lines in enumerate(cells):
                tc = row_cells[index]._tc
                paragraph_style = heading if number < len(fragment.header) else style
                for line_number, line in enumerate(lines or ((),)):
                    p = tc.p_lst[0] if line_number == 0 else styled_paragraph(paragraph_style, "")
                    set_paragraph_style(p, paragraph_style)
                    _marked_runs(p, line)
                    if line_number:
                        tc.append(p)
        return tbl

    def _history(self, lines: Sequence[tuple[str, str]]) -> None:
        """The history block: a borderless table flush right, labels in the first column,
        in the body's size (as the PDF prints it)."""
        label_width = max(_text_twips(label, BODY_SIZE) for label, _ in lines) + BODY_CHAR_TWIPS
        text_width = max(_text_twips(text, BODY_SIZE) for _, text in lines) + _FIT_SLACK
        table = self.table(len(lines), (label_width, text_width))
        docx_xml.set_table_properties(
            table._tbl, width=label_width + text_width, align="right", borders=False, cell_margin=0
        )
        for tr, (label, text) in zip(table._tbl.tr_lst, lines, strict=True):
            for tc, value in zip(tr.tc_lst, (label, text), strict=True):
                self.fill(tc.p_lst[0], value, "Notice Left")

    def _item(self, item: Item, depth: int) -> None:
        """An item as in ``builder.engine.textform.item_lines``: the label line (label, separator,
        title or first paragraph), the other paragraphs, then the sub-items."""
        level = min(depth, _ITEM_LEVELS - 1)
        if item.title is not None:
            first, rest = item.title, item.paragraphs
        else:
            first, rest = (item.paragraphs[0] if item.paragraphs else ""), item.paragraphs[1:]
        label_line = self.paragraph(
            item.label + label_separator(item.label) + first, f"Notice Item {level + 1}"
        )
        hanging = _hanging(item.label)
        if depth != level or hanging != _ITEM_HANGING[level]:
            docx_xml.set_indent(
                label_line._p.get_or_add_pPr(),
                left=depth * 100 + hanging,
                hanging=hanging,
                char_twips=BODY_CHAR_TWIPS,
            )
        for text in rest:
            paragraph = self.paragraph(text, f"Notice Item Text {level + 1}")
            if depth != level:
                docx_xml.set_indent(
                    paragraph._p.get_or_add_pPr(),
                    left=(depth + 1) * 100,
                    first_line=100,
                    char_twips=BODY_CHAR_TWIPS,
                )
        for child in item.items:
            self._item(child, depth + 1)

    def _amendment(self, text: str, extra: Sequence[str]) -> None:
        """A 改め文 (字下げ as a body paragraph) and its new text, one paragraph per line,
        two characters in as in the PDF; a line's leading 全角空白 choose the style one
        character deeper each (written on the paragraph beyond the last style)."""
        self.paragraph(text, "Notice Amendment")
        for line in extra:
            body = line.lstrip(INDENT)
            own = len(line) - len(body)
            level = min(own, _AMENDMENT_TEXT_LEVELS - 1)
            paragraph = self.paragraph(body, f"Notice Amendment Text {level + 1}")
            if own != level:
                docx_xml.set_indent(
                    paragraph._p.get_or_add_pPr(),
                    left=200 + own * 100,
                    char_twips=BODY_CHAR_TWIPS,
                )

    def _contact(self, lines: Sequence[str]) -> None:
        """Lines left-aligned among themselves, the block against the right margin: the
        left indent of the Notice Contact style, set for this document from the widest
        line (a second block of another width, which no real document has, gets its own
        indent on its paragraphs). The block is kept on one page, and with the
        paragraph before it, so it never stands alone on a page."""
        # One character of slack: LibreOffice sets the Latin of a line such as
        # 「E-mail：iryo-keikaku@mhlw.go.jp」 wider than IPAex's advance widths add up to, and
        # broke it at its hyphen with only _FIT_SLACK to spare.
        block_width = max(_text_twips(line, BODY_SIZE) for line in lines) + BODY_CHAR_TWIPS
        indent = max(TEXT_WIDTH - block_width, 0) * 100 // BODY_CHAR_TWIPS
        if self.contact_indent is None:
            self.contact_indent = indent
            style = self.style_element("Notice Contact")
            docx_xml.set_indent(style.get_or_add_pPr(), left=indent, char_twips=BODY_CHAR_TWIPS)
        if self.elements and self.elements[-1].tag.endswith("}p"):
            docx_xml.set_child(self.elements[-1].get_or_add_pPr(), "w:keepNext", docx_xml.PPR_ORDER)
        for number, line in enumerate(lines, start=1):
            ppr = self.paragraph(line, "Notice Contact")._p.get_or_add_pPr()
            if number < len(lines):
                docx_xml.set_child(ppr, "w:keepNext", docx_xml.PPR_ORDER)  # one block, one page
            if indent != self.contact_indent:
                docx_xml.set_indent(ppr, left=indent, char_twips=BODY_CHAR_TWIPS)

    def style_element(self, name: str) -> BaseOxmlElement:
        """The ``w:style`` element of the paragraph style ``name`` in this document."""
        style_id = self.style_ids[name]
        for style in self.word.styles.element.findall(qn("w:style")):
            if style.get(qn("w:styleId")) == style_id:
                return cast(BaseOxmlElement, style)
        raise KeyError(name)

    def _folded_table(self, folded: NoticeTable) -> None:
        """A folded table in two column pairs with a repeated header row, then its
        note.

        The label columns are as wide as their widest label (神奈川県), the text columns
        share the rest of the line; a row's text is broken into lines only after 「、」
        (:func:`~builder.engine.area_lines.area_lines`, as in the PDF), each line a
        paragraph of the cell measured to fit its column, so Word never breaks inside an
        area name or before its 「（●）」."""
        padding = 2 * TABLE_CELL_MARGIN + _FIT_SLACK
        cells = folded_rows(folded)
        prefecture_column = max(
            [PREFECTURE_COLUMN_MIN]
            + [_text_twips(name) + padding for name in (folded.columns[0], *dict(cells))]
        )
        area_column = (TEXT_WIDTH - 2 * prefecture_column) // 2
        widths = [prefecture_column, area_column, prefecture_column, area_column]
        widths[-1] += TEXT_WIDTH - sum(widths)  # the rounding remainder: exactly the line
        half = (len(cells) + 1) // 2
        left, right = cells[:half], cells[half:]
        table = self.table(1 + half, widths)
        docx_xml.set_table_properties(
            table._tbl,
            width=sum(widths),
            align="center",
            borders=True,
            cell_margin=TABLE_CELL_MARGIN,
        )
        header = table.rows[0]
        docx_xml.mark_header_row(header._tr)
        for cell, value, width in zip(header.cells, folded.columns * 2, widths, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            self.fill_lines(cell._tc, area_lines(value, _text_twips, width - padding), True)
        for index, tr in enumerate(table._tbl.tr_lst[1:]):
            values = [*left[index], *(right[index] if index < len(right) else ("", ""))]
            for tc, value, width in zip(tr.tc_lst, values, widths, strict=True):
                self.fill_lines(tc, area_lines(value, _text_twips, width - padding))
        if folded.note:
            note = self.paragraph(folded.note, "Notice Left")
            docx_xml.set_spacing(note._p.get_or_add_pPr(), before=BLANK_LINE)

    def _generic_table(self, table: NoticeTable) -> None:
        """A generic table: the header rows (repeated on each page) then a row per label,
        the label column as narrow as its widest label (at most a quarter of the line), the
        other columns sharing the rest; each line of a cell is a paragraph of it. A row
        that fits on a page never splits across two. The note follows after a blank line."""
        columns = max(
            [len(header) for header in table.header]
            + [1 + len(row.cells) for row in table.rows]
            + [1]
        )
        labels = [header[0] for header in table.header if header] + [r.label for r in table.rows]
        label_width = max(
            [_text_twips(label) + 2 * TABLE_CELL_MARGIN + _FIT_SLACK for label in labels]
            + [TABLE_CHAR_TWIPS * 2 + 2 * TABLE_CELL_MARGIN]
        )
        label_width = min(label_width, LABEL_COLUMN_MAX) if columns > 1 else TEXT_WIDTH
        cell_width = (TEXT_WIDTH - label_width) // (columns - 1) if columns > 1 else 0
        widths = [label_width] + [cell_width] * (columns - 1)
        widths[-1] += TEXT_WIDTH - sum(widths)  # the rounding remainder: exactly the line
        rows = len(table.header) + len(table.rows)
        if rows:
            grid = self.table(rows, widths)
            docx_xml.set_table_properties(
                grid._tbl,
                width=TEXT_WIDTH,
                align="center",
                borders=True,
                cell_margin=TABLE_CELL_MARGIN,
            )
            trs = grid._tbl.tr_lst
            for tr, header in zip(trs, table.header, strict=False):
                docx_xml.mark_header_row(tr)
                values = [*header, *[""] * (columns - len(header))]
                for tc, value, width in zip(tr.tc_lst, values, widths, strict=True):
                    tc_pr = tc.get_or_add_tcPr()
                    docx_xml.set_child(tc_pr, "w:vAlign", docx_xml.TCPR_ORDER, val="center")
                    phrases = _phrase_lines(value, width - 2 * TABLE_CELL_MARGIN - _FIT_SLACK)
                    self.fill_lines(tc, phrases, heading=True)
            header_lines = sum(
                max(_lines_in(value, width) for value, width in zip(header, widths, strict=False))
                for header in table.header
                if header
            )
            for tr, row in zip(trs[len(table.header) :], table.rows, strict=True):
                empty: list[tuple[str, ...]] = [()] * (columns - 1 - len(row.cells))
                cells = [(row.label,), *row.cells, *empty]
                height = 0
                for tc, lines, width in zip(tr.tc_lst, cells, widths, strict=True):
                    self.fill_lines(tc, lines)
                    height = max(height, sum(_lines_in(line, width) for line in lines))
                if header_lines + height > PAGE_LINES:
                    _allow_split(tr)
        if table.note:
            note = self.paragraph(table.note, "Notice Left")
            if rows:
                docx_xml.set_spacing(note._p.get_or_add_pPr(), before=BLANK_LINE)


_PHRASE_BREAKS: Final = re.compile("(?<=、)|(?=（)")
"""Where a heading cell may break: after 「、」 and before 「（」."""


def _phrase_lines(text: str, available: int) -> list[str]:
    """A heading cell's text as lines of at most ``available`` twips, broken only after
    「、」 or before 「（」 (「2023年度」 / 「（令和5年度）」), never inside a word; a phrase
    wider than the line stays whole (and Word wraps it)."""
    lines: list[str] = []
    for phrase in (p for p in _PHRASE_BREAKS.split(text) if p):
        if lines and _text_twips(lines[-1] + phrase) <= available:
            lines[-1] += phrase
        else:
            lines.append(phrase)
    return lines or [""]


def _lines_in(text: str, width: int) -> int:
    """Lines that ``text`` takes in a table cell ``width`` twips wide (its margins off)."""
    return max(
        1, math.ceil(_text_twips(text) / max(width - 2 * TABLE_CELL_MARGIN, TABLE_CHAR_TWIPS))
    )


def _allow_split(tr: BaseOxmlElement) -> None:
    """Let a row taller than a page split across pages (``w:cantSplit`` off)."""
    tr_pr = tr.find(qn("w:trPr"))
    if tr_pr is not None:
        for cant_split in tr_pr.findall(qn("w:cantSplit")):
            tr_pr.remove(cant_split)


def _title_lines(title: str) -> list[str]:
    """The title as centred lines: one, or for a title too long for one line, two split
    as the PDF splits them (``builder.writers.pdf.title_lines``): after 「」」, 「）」 or
    「、」, a particle right after a bracket staying with it, where both lines fit and are
    most nearly equal, so an amendment title reads 「「…について」の」 / 「一部改正について」
    as in the seed; a title with no such place stays one (wrapping) paragraph."""
    if _text_twips(title, BODY_SIZE) <= TEXT_WIDTH:
        return [title]
    ends = [end for end in range(1, len(title)) if title[end - 1] in _TITLE_BREAKS_AFTER]
    ends = [
        end + 1 if title[end] in _TITLE_PARTICLES and title[end - 1] != "、" else end
        for end in ends
    ]
    splits = [
        (abs(_text_twips(title[:end], BODY_SIZE) - _text_twips(title[end:], BODY_SIZE)), end)
        for end in ends
        if end < len(title)
        and _text_twips(title[:end], BODY_SIZE) <= TEXT_WIDTH
        and _text_twips(title[end:], BODY_SIZE) <= TEXT_WIDTH
    ]
    if not splits:
        return [title]
    end = min(splits)[1]
    return [title[:end], title[end:]]


def _check_text(text: str) -> None:
    """Refuse control characters: python-docx would turn them into line breaks or tabs,
    and a paragraph of the page model is one line."""
    bad = sorted(_FORBIDDEN.intersection(text))
    if bad:
        codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
        raise ValueError(f"text of a paragraph contains {codes}: 「{text}」")


_OMITTED_LINE: Final[MarkedLine] = ((OMITTED, False),)


_CLOSING_HALF_POINTS: Final = 8
"""The size of the paragraph that closes a cell ending with a nested table (4 pt)."""


def _closing_paragraph(style: str) -> CT_P:
    """The empty paragraph Word requires after a nested table at the end of a cell, made
    4 pt high with no spacing (a small gap above the frame, not a blank line)."""
    p = styled_paragraph(style, "")
    ppr = p.get_or_add_pPr()
    docx_xml.set_spacing(ppr, before=0, after=0, single=True)
    docx_xml.set_child(ppr, "w:snapToGrid", docx_xml.PPR_ORDER, val="0")  # not a grid line
    rpr = docx_xml.set_child(ppr, "w:rPr", docx_xml.PPR_ORDER)
    docx_xml.set_child(rpr, "w:sz", docx_xml.RPR_ORDER, val=str(_CLOSING_HALF_POINTS))
    docx_xml.set_child(rpr, "w:szCs", docx_xml.RPR_ORDER, val=str(_CLOSING_HALF_POINTS))
    return p


def _marked_runs(p: CT_P, line: MarkedLine) -> None:
    """Append ``line``'s runs to ``p``, the changed ones underlined (傍線)."""
    for text, changed in line:
        _check_text(text)
        run = text_run(text)
        if changed:
            underline = OxmlElement("w:u")
            underline.set(qn("w:val"), "single")
            run.get_or_add_rPr().append(underline)
        p.append(run)


def _bottom_rule(tc: BaseOxmlElement) -> None:
    """A single 0.5 pt rule under the cell (the heading row of a 新旧対照表)."""
    tc_pr = tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = tc_pr.makeelement(qn("w:tcBorders"), {})
        width = tc_pr.find(qn("w:tcW"))
        (width.addnext if width is not None else tc_pr.append)(borders)
    bottom = borders.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "0", qn("w:color"): "000000"},
    )
    borders.append(bottom)
