"""PDF writer: a :class:`~builder.model.document.Document` laid out as a printed notice (reportlab).

A4 portrait, 明朝 12 pt on a 38-character line (see ``builder.formats.pdf_layout``), the
fonts embedded as TrueType subsets, never reportlab's CID fonts (not embedded, no
ToUnicode). The words and their reading order are exactly those of the text rendering
(``builder.writers.text``): the tests compare ``pdftotext`` output with it character for
character. The output is byte-reproducible (``invariant=1``, fixed metadata).

Layout: 文書番号 and date top right (the history block of a consolidated notice as a
two-column block, flush right); addressee left; sender and （公印省略） right; title and 記
centred (a title too long for one line is split after a closing 」, a particle after it
staying on the first line: 「…について」の／一部改正について); body paragraphs with a
one-character 字下げ, justified (the last line of a paragraph ragged); items with hanging
indents by level; a 改め文 as a paragraph, the new text it introduces two characters in;
【担当者】/（照会先） as a block on the right, never alone on a page: when it does not fit
under the text before it, the last lines of that text go over with it; each attachment
on a new page, its label top right; a text attachment's paragraphs placed by the rules
of ``builder.formats.attachment_layout`` (a letter's date, addressees, sender and title,
marked items with hanging indents, 「（以上）」 right, a contact block); a folded table
(how the area-table profile prints) as two column pairs with a repeated header row, the
label column an em wider than its longest label, text broken into lines only after 「、」;
a form attachment in its
print layout under the attachment's title, printed once (the form's own title is not
repeated when the attachment's title starts with it); any other table as a grid
with its header rows repeated, a narrow label column and each line of a cell a
paragraph (the text form's ［｜］ and 【column】 marks are the grid's, not printed); page
numbers 「- 1 -」 centred at the bottom. A heading (the title, 「記」, an item's title, an
attachment's label and title, a text attachment's 【】 heading) is never the last thing
on a page: it keeps with what follows. The outline (bookmarks) has one entry per
top-level item and per attachment (items inside an attachment one level down).
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable, Iterator
from typing import Any, Final, assert_never

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreakIfNotEmpty,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from builder.documents.form_title import shares_title
from builder.engine.area_lines import area_lines
from builder.engine.comparison_layout import line_hang, without_indent
from builder.engine.tabular import folded_rows
from builder.engine.textform import INDENT, label_separator
from builder.formats.attachment_layout import place
from builder.formats.comparison_align import is_centred
from builder.formats.fonts import FontSet, register_fonts
from builder.formats.pdf_layout import (
    BODY_SIZE,
    BOTTOM_MARGIN,
    CELL_PADDING,
    EM,
    FRAME_WIDTH,
    LEADING,
    PAGE_HEIGHT,
    PAGE_NUMBER_Y,
    PAGE_WIDTH,
    SIDE_MARGIN,
    TABLE_EM,
    TABLE_LEADING,
    TABLE_SIZE,
    TOP_MARGIN,
    Styles,
    markup,
    page_number_text,
)
from builder.formats.pdf_paragraph import LinearParagraph as PdfParagraph
from builder.formats.reproducible import pdf_canvas_kwargs
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

__all__ = ["area_lines", "render_pdf", "title_lines"]

_OUTLINE_TITLE_CHARACTERS = 40
_CONTACT_CARRIES: Final = 2
"""Lines of the text before a contact block that go to the next page with it, at least,
when the block does not fit under that text (fewer when the text is shorter)."""
_PARTICLES: Final = frozenset("のをにがはへとでも")
"""Particles that never start a title's second line: they stay after the 」 they follow."""


def _keep(flowable: Any) -> Any:
    """``flowable``, never the last thing on a page (reportlab's keepWithNext)."""
    flowable.keepWithNext = True
    return flowable


class _KeepTail(KeepTogether):  # type: ignore[misc]
    """A paragraph and what must not start a page without it (a contact block and the
    space before it). When the whole does not fit, the paragraph is split so that its
    last :data:`_CONTACT_CARRIES` lines (all of them, if it has no more) go to the next
    page with the rest; when not even its first line fits, everything goes over."""

    def __init__(self, paragraph: Any, tail: list[Any]) -> None:
        super().__init__([paragraph, *tail])
        self._paragraph = paragraph
        self._tail = tail

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if getattr(self, "_wrapInfo", None) != (availWidth, availHeight):
            self.wrap(availWidth, availHeight)
        if availHeight >= self._H:
            return list(self._content)
        paragraph = self._paragraph
        paragraph.wrap(availWidth, availHeight)
        leading = paragraph.style.leading
        lines = len(paragraph.blPara.lines)
        first = min(int(availHeight / leading), lines - _CONTACT_CARRIES)
        if first >= 1:
            parts = paragraph.split(availWidth, first * leading + 1e-3)
            if len(parts) == 2:
                return [parts[0], KeepTogether([parts[1], *self._tail])]
        return super().split(availWidth, availHeight)  # type: ignore[no-any-return]


class _OutlineEntry(Flowable):  # type: ignore[misc]
    """An invisible mark that adds a bookmark (PDF outline entry) where it is drawn.

    ``keepWithNext`` keeps it on the page of the heading that follows it."""

    def __init__(self, title: str, key: str, level: int) -> None:
        super().__init__()
        self.title = title
        self.key = key
        self.level = level
        self.keepWithNext = True

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.key, 0, LEADING)
        canvas.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        canvas.showOutline()


class _Layout:
    """Turns blocks into platypus flowables for one document."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.styles = Styles.for_fonts(fonts)
        self._keys: Iterator[int] = itertools.count(1)
        self.in_attachment = False
        self._form_title: str | None = None
        """The attachment's title, printed by the form that follows in place of its own."""

    def paragraph(self, text: str, style: Any) -> Any:
        return PdfParagraph(markup(text), style)

    def lines(self, lines: list[str], style: Any) -> Any:
        """One paragraph whose lines break where given (and wrap further only if too long)."""
        return PdfParagraph("<br/>".join(markup(line) for line in lines), style)

    def outline(self, title: str, level: int) -> Any:
        if len(title) > _OUTLINE_TITLE_CHARACTERS:
            title = title[: _OUTLINE_TITLE_CHARACTERS - 1] + "…"
        return _OutlineEntry(title, f"outline-{next(self._keys)}", level)

    def flowables(self, block: Block, following: Block | None = None) -> list[Any]:
        """The flowables of one block (``following``: the block after it, if any)."""
        styles = self.styles
        match block:
            case HeaderLines(lines):
                return [self.header(lines)]
            case AddresseeLine(text):
                return [self.paragraph(text, styles.left)]
            case SenderLines(lines):
                return [KeepTogether([self.paragraph(line, styles.right) for line in lines])]
            case Title(text):
                return [_keep(self.title(text))]
            case Centered(text):
                return [_keep(self.paragraph(text, styles.centre))]
            case Paragraph(text):
                return [self.paragraph(text, styles.body)]
            case Items(items):
                level = 1 if self.in_attachment else 0
                return [f for item in items for f in self.item(item, 0, level)]
            case AmendmentSentence(text, extra):
                return [self.paragraph(text, styles.body), *self.indented_lines(extra, 2)]
            case ContactBlock():
                # Words from the text writer (it decides how the heading is bracketed);
                # it pads them with ASCII spaces to align the block right.
                return [self.contact([line.strip(" ") for line in block_lines(block)])]
            case AttachmentStart(attachment_id, label, title):
                self.in_attachment = True
                out = [
                    PageBreakIfNotEmpty(),
                    self.outline(f"{attachment_id} {title}".strip(), 0),
                    _keep(self.paragraph(label, styles.right)),
                ]
                match following:
                    case FormBlock(_, _, fields) if fields is not None and shares_title(
                        title, fields.header.title
                    ):
                        self._form_title = title
                    case _ if title:
                        heading = self.paragraph(title, styles.centre)
                        out += [_keep(Spacer(0, LEADING)), _keep(heading)]
                return out
            case TableBlock(table, folded=True):
                return self.folded_table(table)
            case TableBlock(table):
                return self.generic_table(table)
            case FormBlock(_, _, fields) if fields is not None:
                # Imported here: builder.forms.pdf also loads pypdf and fontTools (for
                # fillable forms), which a document without a form never needs.
                from builder.forms.pdf import form_print_flowables

                heading, self._form_title = self._form_title, None
                return form_print_flowables(fields, FRAME_WIDTH, self.fonts, title=heading)
            case FormBlock():
                # The words of the placeholder are the text writer's, so both agree.
                return [self.paragraph(line, styles.centre) for line in block_lines(block)]
            case ComparisonBlock():
                return self.comparison(block)
            case MemberList(label, members):
                indent = styles.indented(EM)
                names = [self.paragraph(member, indent) for member in members]
                if len(names) > 1:
                    _keep(names[-2])  # the last name never alone on a page
                return [_keep(self.paragraph(label, styles.left)), *names]
        assert_never(block)  # a new kind of block: add its case here

    def title(self, text: str) -> Any:
        """A 件名, centred, split in two lines when too long (:func:`title_lines`)."""
        return self.lines(title_lines(text, self.styles.width, FRAME_WIDTH), self.styles.centre)

    def contact(self, lines: list[str]) -> Any:
        """A contact block (its heading first): flush right, lines left-aligned; the
        caller keeps it together (:func:`_with_tail`)."""
        return self.right_block([[line] for line in lines], keep=False)

    def attachment_paragraphs(self, texts: list[str]) -> list[Any]:
        """The paragraphs of a text attachment, placed by the rules of
        :mod:`builder.formats.attachment_layout`: a letter's head (date and sender right,
        addressees left, title centred, a blank line after each part), marked items
        with hanging indents, 「（以上）」 right, headings kept with what follows, a
        contact block flush right and kept with the text before it."""
        styles = self.styles
        out: list[Any] = []
        contact: list[str] = []
        for placed in place(texts):
            role = placed.role
            if role == "contact":
                contact.append(placed.text)
                continue
            if placed.blank_before:
                out.append(Spacer(0, LEADING))
            match role:
                case "date" | "sender" | "closing":
                    flowable = self.paragraph(placed.text, styles.right)
                case "addressee":
                    flowable = self.paragraph(placed.text, styles.left)
                case "title":
                    flowable = self.title(placed.text)
                case "item":
                    left = (placed.level + 2) * EM
                    flowable = self.paragraph(placed.text, styles.indented(left, -EM))
                case "continuation":
                    left = (placed.level + 2) * EM
                    flowable = self.paragraph(placed.text, styles.indented(left))
                case "body" | "heading":
                    flowable = self.paragraph(placed.text, styles.body)
            if placed.keep_with_next:
                _keep(flowable)
            out.append(flowable)
        if contact:  # the first contact line's blank_before
            out = _with_tail(out, [Spacer(0, LEADING), self.contact(contact)])
        return out

    def comparison(self, block: ComparisonBlock) -> list[Any]:
        """新旧対照表 in MHLW form: the heading citing the notice, the note flush right,
        then a two-column table (改正後 | 改正前 by default) in one frame with a rule
        between the columns and under the repeated heading row; each part a row (no rule
        between parts), each column its own labels, lines and table fragments, changed
        runs underlined (傍線)."""
        styles = self.styles
        half = FRAME_WIDTH / 2
        data: list[list[Any]] = [
            [
                self.paragraph(block.left_heading, styles.cell_centre),
                self.paragraph(block.right_heading, styles.cell_centre),
            ]
        ]
        for row in block.rows:
            data.append(
                [self.comparison_side(row.left, half), self.comparison_side(row.right, half)]
            )
        grid = Table(data, colWidths=[half, half], repeatRows=1, hAlign="CENTER")
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.font),
                    ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
                    ("LINEAFTER", (0, 0), (0, -1), 0.5, colors.black),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ]
            )
        )
        return [
            self.paragraph(block.heading, styles.left),
            self.paragraph(block.note, styles.right),
            Spacer(0, CELL_PADDING),
            grid,
        ]

    def marked_line(self, line: MarkedLine, style: Any) -> Any:
        """A line of a 新旧対照表, changed runs underlined."""
        text = "".join(f"<u>{markup(t)}</u>" if changed else markup(t) for t, changed in line)
        return PdfParagraph(text, style)

    def comparison_side(self, pieces: tuple[ComparisonPiece, ...], column: float) -> list[Any]:
        """One column of a 新旧対照表 part: its lines (「記」 centred,
        :func:`~builder.formats.comparison_align.is_centred`), and its table fragments as
        tables as wide as the column."""
        out: list[Any] = []
        for piece in pieces:
            if isinstance(piece, ComparisonTable):
                out.append(self.comparison_table(piece, column - 2 * CELL_PADDING))
            elif is_centred(piece):
                out.append(self.marked_line(piece, self.styles.cell_centre))
            else:
                out.append(self.hanging_line(piece))
        return out or [self.paragraph("", self.styles.cell)]

    def hanging_line(self, line: MarkedLine) -> Any:
        """A line of a 新旧対照表 column as in the notice: its 字下げ as a left indent and,
        for an item's first line, the wrapped lines hung under the text after its label
        (``builder.engine.comparison_layout.line_hang``)."""
        own, lead = line_hang(line)
        if not own and not lead:
            return self.marked_line(line, self.styles.cell)
        hang = self.cell_width(lead)
        style = ParagraphStyle(
            f"notice-cell-hang-{own}-{hang:g}",
            parent=self.styles.cell,
            leftIndent=own * TABLE_EM + hang,
            firstLineIndent=-hang,
        )
        return self.marked_line(without_indent(line, own), style)

    def comparison_table(self, fragment: ComparisonTable, width: float) -> Any:
        """A table fragment: its header rows centred, its rows, a 「（略）」 row spanning
        the table for each run of rows left out; the label column as wide as its widest
        label (at most a third of the table), the other columns sharing the rest."""
        styles = self.styles
        columns = max([len(h) for h in fragment.header] + [len(r.cells) for r in fragment.rows])
        columns = max(columns, 1)
        labels = [h[0] for h in fragment.header if h] + [
            r.cells[0][0] for r in fragment.rows if r.cells and r.cells[0]
        ]
        label_width = max(
            [self.cell_width("".join(t for t, _ in label)) for label in labels] + [TABLE_EM]
        )
        label_width = min(label_width + 2 * CELL_PADDING + TABLE_EM, width / 3)
        widths = [label_width] + [(width - label_width) / (columns - 1)] * (columns - 1)
        if columns == 1:
            widths = [width]
        data: list[list[Any]] = []
        spans: list[tuple[Any, ...]] = []
        for header in fragment.header:
            cells = [self.marked_line(cell, styles.cell_centre) for cell in header]
            data.append(cells + [""] * (columns - len(cells)))
        for row in fragment.rows:
            if row.omitted or len(row.cells) < columns:
                spans.append(
                    ("SPAN", (len(row.cells) - 1 if row.cells else 0, len(data)), (-1, len(data)))
                )
            if row.omitted:
                data.append([self.paragraph(OMITTED, styles.cell)] + [""] * (columns - 1))
                continue
            cells = [[self.marked_line(line, styles.cell) for line in cell] for cell in row.cells]
            data.append(cells + [""] * (columns - len(cells)))
        table = Table(data, colWidths=widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.font),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("VALIGN", (0, 0), (-1, len(fragment.header) - 1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    *spans,
                ]
            )
        )
        return table

    def header(self, lines: tuple[tuple[str, str], ...]) -> Any:
        """Number and date flush right; with a label column (「一部改正」) a right-aligned
        block whose lines are left-aligned among themselves."""
        if not any(label for label, _ in lines):
            return KeepTogether([self.paragraph(text, self.styles.right) for _, text in lines])
        return self.right_block([[label, text] for label, text in lines], gap=EM)

    def right_block(self, rows: list[list[str]], gap: float = 0.0, keep: bool = True) -> Any:
        """A borderless table flush right, each column as wide as its widest text (plus
        ``gap`` after every column but the last), lines left-aligned within it; kept
        on one page (``keep``) or bare."""
        columns = len(rows[0])
        widths = [
            max(self.styles.width(row[column]) for row in rows)
            + (gap if column < columns - 1 else 0)
            for column in range(columns)
        ]
        widths = [width + 0.01 for width in widths]  # rounding slack: never wrap a fitting line
        overflow = sum(widths) - FRAME_WIDTH
        if overflow > 0:
            widths[-1] -= overflow
        data = [[self.paragraph(text, self.styles.left) for text in row] for row in rows]
        table = Table(data, colWidths=widths, hAlign="RIGHT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.styles.font),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return KeepTogether([table]) if keep else table

    def item(self, item: Item, depth: int, outline_level: int | None) -> list[Any]:
        """An item: the label line with a hanging indent (continuation lines start where
        the text after the label starts), further paragraphs one level deeper with 字下げ,
        then the sub-items. Top-level items get an outline entry."""
        if item.title is not None:
            first, rest = item.title, item.paragraphs
        else:
            first, rest = (item.paragraphs[0] if item.paragraphs else ""), item.paragraphs[1:]
        lead = item.label + label_separator(item.label)
        lead_width = self.styles.width(lead)
        left = depth * EM
        out: list[Any] = []
        if outline_level is not None:
            out.append(self.outline(f"{item.label} {first}", outline_level))
        label_line = self.paragraph(
            lead + first, self.styles.indented(left + lead_width, -lead_width)
        )
        if item.title is not None:
            _keep(label_line)  # a heading: never the last line of a page
        out.append(label_line)
        paragraph_style = self.styles.indented(left + EM, EM)
        out += [self.paragraph(paragraph, paragraph_style) for paragraph in rest]
        for child in item.items:
            out += self.item(child, depth + 1, None)
        return out

    def indented_lines(self, lines: tuple[str, ...], depth: int) -> list[Any]:
        """Lines indented by ``depth`` ems plus their own leading U+3000 characters."""
        out = []
        for line in lines:
            own = len(line) - len(line.lstrip(INDENT))
            out.append(self.paragraph(line[own:], self.styles.indented((depth + own) * EM)))
        return out

    def cell_width(self, text: str) -> float:
        """Width of ``text`` in a table cell."""
        return self.styles.width(text, TABLE_SIZE)

    def folded_cells(self, label: str, text: str, text_column: float) -> list[Any]:
        """A label cell and its text cell, the text broken into lines only after 「、」."""
        text_width = text_column - 2 * CELL_PADDING - 0.5  # slack against rounding
        return [
            self.paragraph(label, self.styles.cell),
            self.lines(area_lines(text, self.cell_width, text_width), self.styles.cell),
        ]

    def folded_table(self, table: NoticeTable) -> list[Any]:
        """A folded table: two column pairs, the first ceil(n/2) rows on the left,
        the header row repeated on every page, a grid, every cell a wrapping paragraph;
        the note under it."""
        styles = self.styles
        cells = folded_rows(table)
        half = (len(cells) + 1) // 2
        left, right = cells[:half], cells[half:]
        # An em more than the widest name: 「神奈川県」 clear of both rules.
        label_width = (
            max(self.cell_width(text) for text in [table.columns[0], *(p for p, _ in cells)])
            + 2 * CELL_PADDING
            + TABLE_EM
        )
        area_width = (FRAME_WIDTH - 2 * label_width) / 2
        header = [self.paragraph(column, styles.cell_centre) for column in table.columns]
        data = [[*header, *header]]
        for index, pair in enumerate(left):
            row = self.folded_cells(*pair, area_width)
            if index < len(right):
                row += self.folded_cells(*right[index], area_width)
            else:
                row += [self.paragraph("", styles.cell), self.paragraph("", styles.cell)]
            data.append(row)
        grid = Table(
            data,
            colWidths=[label_width, area_width, label_width, area_width],
            repeatRows=1,
            hAlign="CENTER",
        )
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.font),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("LINEAFTER", (1, 0), (1, -1), 1.5, colors.black),
                    ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ]
            )
        )
        out: list[Any] = [grid]
        if table.note:
            out += [Spacer(0, LEADING / 2), self.paragraph(table.note, styles.left)]
        return out

    def generic_table(self, table: NoticeTable) -> list[Any]:
        """A generic table: its header rows repeated on every page, a row per label, the
        label column as narrow as its widest label (at most a quarter of the line) and the
        other columns sharing the rest, a grid, every line of a cell a paragraph wrapping
        with the Japanese line breaking of the body; the note under it. A row is split
        across pages only when it could not fit on one."""
        styles = self.styles
        columns = max(
            [len(header) for header in table.header]
            + [1 + len(row.cells) for row in table.rows]
            + [1]
        )
        labels = [header[0] for header in table.header if header] + [r.label for r in table.rows]
        # A label has the room every cell has: the paddings and the hanging room below.
        label_width = max(
            [self.cell_width(label) + 2 * CELL_PADDING + TABLE_EM + 1.0 for label in labels]
            + [3 * TABLE_EM + 2 * CELL_PADDING]
        )
        if columns > 1:
            label_width = min(label_width, FRAME_WIDTH / 4)
            widths = [label_width] + [(FRAME_WIDTH - label_width) / (columns - 1)] * (columns - 1)
        else:
            widths = [FRAME_WIDTH]
        data: list[list[Any]] = [
            [
                self.paragraph(value, styles.cell_centre)
                for value in [*header, *[""] * (columns - len(header))]
            ]
            for header in table.header
        ]
        # Room at each line's end for the punctuation the Japanese line breaking hangs
        # there (「・」「、」 may not start a line), which would otherwise cross the rule.
        cell = ParagraphStyle("notice-cell-hanging", parent=styles.cell, rightIndent=TABLE_EM)
        tall = False
        header_height = sum(_cell_height([(v,) for v in h], widths, styles) for h in table.header)
        for row in table.rows:
            empty: list[tuple[str, ...]] = [()] * (columns - 1 - len(row.cells))
            cells = [(row.label,), *row.cells, *empty]
            data.append(
                [
                    [self.paragraph(line, cell) for line in lines] or [self.paragraph("", cell)]
                    for column, lines in enumerate(cells)
                ]
            )
            tall = tall or header_height + _cell_height(cells, widths, styles) > FRAME_HEIGHT
        out: list[Any] = []
        if data:
            grid = Table(
                data,
                colWidths=widths,
                repeatRows=len(table.header),
                splitByRow=0 if tall else 1,
                splitInRow=1 if tall else 0,
                hAlign="CENTER",
            )
            grid.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), styles.font),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ]
                )
            )
            if table.header:
                grid.setStyle([("VALIGN", (0, 0), (-1, len(table.header) - 1), "MIDDLE")])
            out.append(grid)
        if table.note:
            if data:
                out.append(Spacer(0, LEADING / 2))
            out.append(self.paragraph(table.note, styles.left))
        return out


FRAME_HEIGHT: Final = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
"""Height of the text frame of a page."""


def _cell_height(cells: list[tuple[str, ...]], widths: list[float], styles: Styles) -> float:
    """A generous estimate of the height of a table row of ``cells`` (lines each) in
    columns of ``widths``: each line is taken to wrap two ems short of the column (the
    hanging room and a line that breaks early), so a row said to fit on a page does."""
    height = 0.0
    for lines, width in zip(cells, widths, strict=False):
        available = max(width - 2 * CELL_PADDING - 2 * TABLE_EM, TABLE_EM)  # hanging, short end
        wrapped = sum(
            max(1, math.ceil(styles.width(line, TABLE_SIZE) / available)) for line in lines
        )
        height = max(height, wrapped * TABLE_LEADING)
    return height + 2 * CELL_PADDING


def title_lines(text: str, width: Callable[[str], float], available: float) -> list[str]:
    """A 件名 too long for one line, split in two after 「」」, 「）」 or 「、」 (a particle
    right after a bracket staying with it: 「…について」の／一部改正について, as in the
    seed) where both lines fit and are most nearly equal; otherwise the title as one
    (wrapping) line."""
    if width(text) <= available:
        return [text]
    ends = [end for end in range(1, len(text)) if text[end - 1] in "」）、"]
    ends = [end + 1 if text[end] in _PARTICLES and text[end - 1] != "、" else end for end in ends]
    splits = [
        (abs(width(text[:end]) - width(text[end:])), end)
        for end in ends
        if end < len(text) and width(text[:end]) <= available and width(text[end:]) <= available
    ]
    if not splits:
        return [text]
    end = min(splits)[1]
    return [text[:end], text[end:]]


def _with_tail(story: list[Any], tail: list[Any]) -> list[Any]:
    """``story`` followed by ``tail`` (a contact block and the space before it), which
    never starts a page alone: it is kept with the paragraph before it (:class:`_KeepTail`)
    or with whatever flowable comes before it."""
    if not story:
        return [KeepTogether(tail)]
    *rest, previous = story
    if isinstance(previous, PdfParagraph):
        return [*rest, _KeepTail(previous, tail)]
    if isinstance(previous, KeepTogether):  # nested, it would count as a page's height
        return [*rest, KeepTogether([*previous._content, *tail])]
    return [*rest, KeepTogether([previous, *tail])]


def _story(document: Document, layout: _Layout) -> list[Any]:
    story: list[Any] = []
    blocks = document.blocks
    previous: Block | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        gap: list[Any] = []
        if gap_before(previous, block) and not isinstance(block, AttachmentStart):
            gap = [Spacer(0, LEADING)]
            if story and story[-1].getKeepWithNext():
                _keep(gap[0])  # a heading keeps the space under it and what follows
        if isinstance(block, ContactBlock):
            story = _with_tail(story, [*gap, *layout.flowables(block)])
        elif layout.in_attachment and isinstance(block, Paragraph):
            run = list(itertools.takewhile(lambda b: isinstance(b, Paragraph), blocks[index:]))
            texts = [b.text for b in run if isinstance(b, Paragraph)]
            story += [*gap, *layout.attachment_paragraphs(texts)]
            index += len(run) - 1
            block = run[-1]
        else:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            story += [*gap, *layout.flowables(block, following)]
        previous = block
        index += 1
    return story


def _page_number(font: str) -> Any:
    def draw(canvas: Any, _document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, BODY_SIZE)
        canvas.drawCentredString(
            PAGE_WIDTH / 2, PAGE_NUMBER_Y, page_number_text(canvas.getPageNumber())
        )
        canvas.restoreState()

    return draw


def render_pdf(document: Document, fonts: FontSet | None = None) -> bytes:
    """``document`` as an A4 PDF (bytes), identical for identical input in any process.

    ``fonts`` defaults to :func:`builder.formats.fonts.register_fonts` (the bundled IPAex
    fonts, or the ones named by ``NOTICES_MINCHO_FONT``/``NOTICES_GOTHIC_FONT``); the
    明朝 is used for all text. Metadata: title = the document's title, subject = its
    number, author = 厚生労働省医政局. Raises ``builder.formats.fonts.FontError`` if a font
    cannot be registered.
    """
    if fonts is None:
        fonts = register_fonts()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        lang="ja-JP",
        **pdf_canvas_kwargs(document.title, document.number, initial_font=fonts.mincho),
    )
    frame = Frame(
        SIDE_MARGIN,
        BOTTOM_MARGIN,
        FRAME_WIDTH,
        PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_page_number(fonts.mincho))]
    )
    template.build(_story(document, _Layout(fonts)))
    return buffer.getvalue()
