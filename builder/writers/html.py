"""HTML writer: a ``Document`` as an HTML fragment for the publication site.

The fragment carries exactly the words of the text writer (``builder.writers.text``) in
the same reading order; only the layout differs: the header and sender blocks flush
right, the title centred, 字下げ as a first-line indent, items as real nested lists with
their labels 1. (1) ① ・ shown in the text and hanging indents, a folded table
as a real ``<table>`` in two column pairs (as printed), any other table as a ``<table>``
with its header rows in ``<thead>`` and each line of a cell a ``<p>`` (the text form's
［｜］ and 【column】 marks are the table's structure, not repeated as text), the
新旧対照表 as a two-column table with the changed runs in ``<ins>`` (改正後) and
``<del>`` (改正前), both drawn as underlines (傍線). A text attachment's paragraphs are
placed by :func:`builder.formats.attachment_layout.place`, as in the PDF and Word (a
letter's date and sender right, addressees left, title centred, hanging indents for
○ ① ※ items, 「（以上）」 right, a contact block flush right): each paragraph carries the
classes :func:`~builder.formats.attachment_layout.css_classes` names, which the site's
CSS lays out. Every piece of text goes through :func:`markupsafe.escape`; the only
markup is the writer's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import assert_never

from markupsafe import Markup, escape

from builder.engine.compare import AFTER, BEFORE, MarkedLine
from builder.engine.tabular import FOLDED_BREAK, folded_rows
from builder.engine.textform import INDENT, label_separator
from builder.formats.attachment_layout import css_classes, place
from builder.formats.comparison_align import is_centred
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
    MemberList,
    Paragraph,
    SenderLines,
    TableBlock,
    Title,
)
from builder.model.notice import Item
from builder.model.notice import Table as NoticeTable
from builder.writers.text import block_lines

Attributes = dict[str, str | None]

VOID_ELEMENTS = frozenset({"col", "br"})
"""Elements written without content or end tag."""


def element(name: str, content: Markup | str = "", attributes: Attributes | None = None) -> Markup:
    """``<name attributes>content</name>``: text content and attribute values escaped,
    attributes whose value is None left out.

    Written with ``escape`` and f-strings rather than ``Markup.format``, which escapes
    the same way through ``string.Formatter`` at several times the cost (a page has
    thousands of elements)."""
    rendered = "".join(
        f' {escape(key)}="{escape(value)}"'
        for key, value in (attributes or {}).items()
        if value is not None
    )
    if name in VOID_ELEMENTS:
        return Markup(f"<{name}{rendered}>")
    return Markup(f"<{name}{rendered}>{escape(content)}</{name}>")


def join(parts: Iterable[Markup | str]) -> Markup:
    """The parts one after the other, text parts escaped."""
    return Markup("").join(escape(part) for part in parts)


def stack(parts: Iterable[Markup | str]) -> Markup:
    """Block-level parts one per line (a readable source; the layout is the same)."""
    return Markup("\n").join(escape(part) for part in parts)


class _Writer:
    """Renders the blocks of one document; ``prefix`` keeps its ids unique on a page."""

    def __init__(self, heading_level: int, prefix: str) -> None:
        self.heading_level = heading_level
        self.prefix = prefix
        self.tables = 0

    def heading(self, depth: int, content: Markup | str, attributes: Attributes) -> Markup:
        level = min(self.heading_level + depth, 6)
        return element(f"h{level}", content, attributes)

    def block(self, block: Block) -> Markup:
        match block:
            case HeaderLines(lines):
                return self.header(lines)
            case AddresseeLine(text):
                return element("p", text, {"class": "addressee"})
            case SenderLines(lines):
                return element(
                    "div", stack(element("p", line) for line in lines), {"class": "sender"}
                )
            case Title(text):
                return self.heading(0, text, {"class": "doc-title"})
            case Paragraph(text):
                return element("p", text, {"class": "para"})
            case Centered(text):
                return element("p", text, {"class": "centered"})
            case Items(items):
                return self.items(items)
            case AmendmentSentence(text, extra):
                parts = [element("p", text, {"class": "para"}), *self.indented(extra, 1)]
                return element("div", stack(parts), {"class": "amendment"})
            case ContactBlock(contact):
                contact_lines = [contact.label, *contact.lines]
                return element(
                    "div", stack(element("p", line) for line in contact_lines), {"class": "contact"}
                )
            case TableBlock(table, folded=True):
                return self.folded_table(table)
            case TableBlock(table):
                return self.generic_table(table)
            case FormBlock():
                form_lines = block_lines(block)
                return stack(
                    element("p", line, {"class": "centered form-ref"}) for line in form_lines
                )
            case MemberList(label, members):
                entries = stack(element("li", member) for member in members)
                return element(
                    "div",
                    stack([element("p", label), element("ul", entries)]),
                    {"class": "member-list"},
                )
            case ComparisonBlock():
                return self.comparison(block)
            case AttachmentStart():
                raise AssertionError("attachments are opened by render_html")
        assert_never(block)  # a new kind of block: add its case here

    def header(self, lines: tuple[tuple[str, str], ...]) -> Markup:
        """文書番号 and date flush right; with a label column (「一部改正」) a grid whose
        lines are left-aligned among themselves."""
        if not any(label for label, _ in lines):
            rows = stack(element("p", text) for _, text in lines)
            return element("div", rows, {"class": "doc-header"})
        rows = stack(
            element(
                "p",
                join(
                    [
                        element("span", label, {"class": "header-label"}),
                        element("span", text, {"class": "header-text"}),
                    ]
                ),
            )
            for label, text in lines
        )
        return element("div", rows, {"class": "doc-header labelled"})

    def indented(self, lines: Sequence[str], depth: int) -> list[Markup]:
        """Lines indented by ``depth`` characters plus their own leading U+3000s."""
        out = []
        for line in lines:
            own = len(line) - len(line.lstrip(INDENT))
            style = f"margin-left: {depth + own}em"
            out.append(element("p", line[own:], {"class": "block-line", "style": style}))
        return out

    def items(self, items: tuple[Item, ...]) -> Markup:
        """Items as a real list (``<ul>`` for ・, ``<ol>`` otherwise); the label is part of
        the text, as printed, with a hanging indent after it."""
        tag = "ul" if all(item.label == "・" for item in items) else "ol"
        return element(tag, stack(self.item(item) for item in items), {"class": "items"})

    def item(self, item: Item) -> Markup:
        if item.title is not None:
            first, rest = item.title, item.paragraphs
        else:
            first, rest = (item.paragraphs[0] if item.paragraphs else ""), item.paragraphs[1:]
        lead = element("span", item.label + label_separator(item.label), {"class": "item-label"})
        parts = [
            element(
                "p",
                join([lead, element("span", first, {"class": "item-text"})]),
                {"class": "item-line"},
            ),
            *(element("p", paragraph, {"class": "item-para"}) for paragraph in rest),
        ]
        if item.items:
            parts.append(self.items(item.items))
        return element("li", stack(parts))

    def folded_table(self, table: NoticeTable) -> Markup:
        """A folded table in two column pairs (the first ceil(n/2) rows left), with
        headers tied to their cells, the phrases of a row kept whole (no break inside an
        area name), then the ※ note."""
        self.tables += 1
        ids = f"{self.prefix}t{self.tables}"
        rows = folded_rows(table)
        half = (len(rows) + 1) // 2
        head_cells = []
        for pair in (0, 1):
            for column, heading in enumerate(table.columns):
                head_cells.append(
                    element("th", heading, {"scope": "col", "id": f"{ids}-h{pair}{column}"})
                )
        head = element("thead", element("tr", stack(head_cells)))
        body_rows = []
        for index in range(half):
            cells: list[Markup] = []
            for pair, row_index in enumerate((index, index + half)):
                if row_index >= len(rows):
                    cells += [
                        element("td", "", {"class": "empty"}),
                        element("td", "", {"class": "empty"}),
                    ]
                    continue
                label, text = rows[row_index]
                row_id = f"{ids}-r{row_index}"
                cells.append(
                    element(
                        "th",
                        label,
                        {"scope": "row", "id": row_id, "headers": f"{ids}-h{pair}0"},
                    )
                )
                cells.append(
                    element(
                        "td",
                        self.unbroken_phrases(text),
                        {"headers": f"{ids}-h{pair}1 {row_id}", "class": f"areas pair{pair}"},
                    )
                )
            body_rows.append(element("tr", join(cells)))
        columns = element(
            "colgroup",
            stack(element("col", attributes={"class": kind}) for kind in ("pref", "areas") * 2),
        )
        grid = element(
            "table",
            stack([columns, head, element("tbody", stack(body_rows))]),
            {"class": "area-table"},
        )
        label = table.id + (f"　{table.title}" if table.title else "")
        parts = [scroller(grid, label)]
        if table.note:
            parts.append(element("p", table.note, {"class": "table-note"}))
        return stack(parts)

    def generic_table(self, table: NoticeTable) -> Markup:
        """A generic table: its header rows in ``<thead>`` (``th scope="col"``; an empty
        heading is a ``td``), a row per label (``th scope="row"``), every data cell tied to
        its headings and row by ``headers``, each line of a cell a ``<p>``; then the note."""
        columns = max(
            [len(header) for header in table.header]
            + [1 + len(row.cells) for row in table.rows]
            + [1]
        )
        parts: list[Markup] = []
        if table.header or table.rows:
            self.tables += 1
            ids = f"{self.prefix}t{self.tables}"
            heading_ids: list[list[str]] = [[] for _ in range(columns)]
            head_rows = []
            for number, header in enumerate(table.header):
                cells = []
                for column, heading in enumerate([*header, *[""] * (columns - len(header))]):
                    if heading:
                        heading_id = f"{ids}-h{number}-{column}"
                        heading_ids[column].append(heading_id)
                        attributes: Attributes = {"scope": "col", "id": heading_id}
                        cells.append(element("th", heading, attributes))
                    else:
                        cells.append(element("td", "", {"class": "empty"}))
                head_rows.append(element("tr", join(cells)))
            body_rows = []
            for index, row in enumerate(table.rows):
                row_id = f"{ids}-r{index}"
                label_headers = " ".join(heading_ids[0]) or None
                cells = [
                    element(
                        "th", row.label, {"scope": "row", "id": row_id, "headers": label_headers}
                    )
                ]
                empty: list[tuple[str, ...]] = [()] * (columns - 1 - len(row.cells))
                for column, lines in enumerate([*row.cells, *empty], start=1):
                    headers = " ".join([*heading_ids[column], row_id])
                    content = stack(element("p", line, {"class": "cell-line"}) for line in lines)
                    attributes = {"headers": headers, "class": None if lines else "empty"}
                    cells.append(element("td", content, attributes))
                body_rows.append(element("tr", join(cells)))
            colgroup = element(
                "colgroup",
                stack(
                    [
                        element("col", attributes={"class": "label", "style": _label_width(table)}),
                        *(element("col") for _ in range(columns - 1)),
                    ]
                ),
            )
            sections = [colgroup]
            if head_rows:
                sections.append(element("thead", stack(head_rows)))
            if body_rows:
                sections.append(element("tbody", stack(body_rows)))
            grid = element("table", stack(sections), {"class": "generic-table"})
            parts.append(scroller(grid, table.id + (f"　{table.title}" if table.title else "")))
        if table.note:
            parts.append(element("p", table.note, {"class": "table-note"}))
        return stack(parts)

    @staticmethod
    def unbroken_phrases(text: str) -> Markup:
        """A folded table's cell line, 「中空知（●）、…」, with each phrase between the
        breaks (an area) in a span that does not break."""
        names = [element("span", name, {"class": "area"}) for name in text.split(FOLDED_BREAK)]
        return Markup(escape(FOLDED_BREAK)).join(names)

    def comparison(self, block: ComparisonBlock) -> Markup:
        """新旧対照表 in MHLW form: the heading citing the notice, the note flush right,
        then the two headed columns, a row per part, each column its own labels, lines and
        table fragments (nested tables), changed runs underlined."""
        self.tables += 1
        ids = f"{self.prefix}t{self.tables}"
        head = element(
            "thead",
            element(
                "tr",
                join(
                    [
                        element("th", block.left_heading, {"scope": "col", "id": f"{ids}-l"}),
                        element("th", block.right_heading, {"scope": "col", "id": f"{ids}-r"}),
                    ]
                ),
            ),
        )
        rows = [
            element(
                "tr",
                join(
                    [
                        element(
                            "td",
                            self.comparison_side(row.left, block.left_heading),
                            {"headers": f"{ids}-l"},
                        ),
                        element(
                            "td",
                            self.comparison_side(row.right, block.right_heading),
                            {"headers": f"{ids}-r"},
                        ),
                    ]
                ),
            )
            for row in block.rows
        ]
        grid = element(
            "table", stack([head, element("tbody", stack(rows))]), {"class": "comparison"}
        )
        heading = element("p", block.heading, {"class": "comparison-heading"})
        note = element("p", block.note, {"class": "comparison-note"})
        return stack(
            [
                heading,
                note,
                scroller(grid, f"新旧対照表（{block.left_heading}・{block.right_heading}）"),
            ]
        )

    def comparison_side(self, pieces: tuple[ComparisonPiece, ...], heading: str) -> Markup:
        """One column of a 新旧対照表 part: its lines, and its table fragments as tables
        (header cells th, a 「（略）」 row spanning the table)."""
        parts: list[Markup] = []
        for piece in pieces:
            if not isinstance(piece, ComparisonTable):
                parts.append(self.marked((piece,), heading))
                continue
            columns = max([len(h) for h in piece.header] + [len(r.cells) for r in piece.rows] + [1])
            rows = [
                element(
                    "tr",
                    join(
                        element("th", self.marked((cell,), heading), {"scope": "col"})
                        for cell in header
                    ),
                )
                for header in piece.header
            ]
            for row in piece.rows:
                cells = list(row.cells) if not row.omitted else [(((OMITTED, False),),)]
                rendered = []
                for index, cell in enumerate(cells):
                    span = (
                        columns - index
                        if index == len(cells) - 1 and len(cells) < columns
                        else None
                    )
                    rendered.append(
                        element(
                            "td",
                            self.marked(cell, heading),
                            {"colspan": str(span) if span else None},
                        )
                    )
                rows.append(element("tr", join(rendered)))
            parts.append(element("table", stack(rows), FRAGMENT_ATTRIBUTES))
        return stack(parts)

    @staticmethod
    def marked(lines: tuple[MarkedLine, ...], heading: str) -> Markup:
        """Lines of one side, changed runs in <ins> on the 改正後 side, <del> on the
        改正前 side (<u> if the heading is neither); 「記」 centred
        (:func:`~builder.formats.comparison_align.is_centred`)."""
        tag = {AFTER: "ins", BEFORE: "del"}.get(heading, "u")
        rendered = []
        for line in lines:
            runs = join(element(tag, text) if changed else text for text, changed in line)
            classes = "cmp-line centered" if is_centred(line) else "cmp-line"
            rendered.append(element("p", runs, {"class": classes}))
        return stack(rendered)


FRAGMENT_ATTRIBUTES: Attributes = {
    "class": "comparison-fragment",
    "style": "width: 100%; border-collapse: collapse",
}
"""A 新旧対照表's table fragment: as wide as its column, single rules (its cells take the
borders and padding of the ``.comparison`` cells around it)."""


def _label_width(table: NoticeTable) -> str:
    """The width of a generic table's label column: its widest label (the first heading
    included) and the cell's padding, from 3 to 10 characters (longer labels wrap)."""
    labels = [header[0] for header in table.header if header] + [r.label for r in table.rows]
    characters = max([display_width(label) / 2 for label in labels] + [2.0])
    return f"width: {min(characters, 10.0) + 1.2:g}em"


def attachment_text(texts: Sequence[str]) -> Markup:
    """A text attachment's paragraphs as placed by
    :func:`~builder.formats.attachment_layout.place`, in a ``<div class="att-text">``:
    each a ``<p>`` with the classes of its place, the contact block's lines one
    ``<div class="contact">`` (flush right, lines left-aligned among themselves)."""
    parts: list[Markup] = []
    contact: list[Markup] = []
    for placed in place(texts):
        if placed.role == "contact":
            contact.append(element("p", placed.text))
        else:
            parts.append(element("p", placed.text, {"class": css_classes(placed)}))
    if contact:
        parts.append(element("div", stack(contact), {"class": "contact att-gap"}))
    return element("div", stack(parts), {"class": "att-text"})


def scroller(content: Markup, label: str) -> Markup:
    """A wide table in a keyboard-focusable region that scrolls sideways on a phone."""
    return element(
        "div",
        content,
        {"class": "table-scroll", "role": "region", "aria-label": label, "tabindex": "0"},
    )


def render_html(document: Document, *, heading_level: int = 2, id_prefix: str = "") -> Markup:
    """``document`` as an HTML fragment (``<div class="doc">``): its title a heading of
    ``heading_level``, each attachment a ``<section>`` (a new page in print) headed one
    level lower; ids start with ``id_prefix`` so that several documents can share a page."""
    writer = _Writer(heading_level, id_prefix)
    parts: list[Markup] = []
    section: list[Markup] = []
    section_id = ""

    def close_section() -> None:
        if section_id:
            attributes: Attributes = {"class": "attachment", "aria-labelledby": section_id}
            parts.append(element("section", stack(section), attributes))

    blocks = document.blocks
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if section_id and isinstance(block, Paragraph):  # a text attachment
            texts = [block.text]
            while index < len(blocks) and isinstance(following := blocks[index], Paragraph):
                texts.append(following.text)
                index += 1
            section.append(attachment_text(texts))
        elif isinstance(block, AttachmentStart):
            close_section()
            section_id = f"{id_prefix}a{len(parts)}"
            label = element("span", block.label, {"class": "attachment-label"})
            title = (
                element("span", block.title, {"class": "attachment-title"}) if block.title else ""
            )
            section = [writer.heading(1, join([label, title]), {"id": section_id})]
        elif section_id:
            section.append(writer.block(block))
        else:
            parts.append(writer.block(block))
    close_section()
    return element("div", stack(parts), {"class": "doc"})
