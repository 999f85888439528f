"""Plain-text writer: the reviewable rendering used for golden files and the terminal.

One paragraph per line (never wrapped), so a diff shows exactly the changed paragraph.
Layout follows the printed notice on a 40-character (80-column) line: right-aligned
header and sender, centred title and 記, 字下げ with U+3000, items indented by level.
"""

from __future__ import annotations

from typing import assert_never

from builder.engine.compare import marked_text
from builder.engine.tabular import folded_rows
from builder.engine.textform import INDENT, item_lines, table_row_lines
from builder.forms.text import form_print_lines
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
    gap_before,
)
from builder.model.notice import Table

WIDTH = 80
"""Display columns of a line: 40 full-width characters, as on an A4 notice."""


def pad_to(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns."""
    return text + " " * max(width - display_width(text), 0)


def right(text: str, width: int = WIDTH) -> str:
    """``text`` right-aligned in ``width`` columns."""
    return " " * max(width - display_width(text), 0) + text


def centre(text: str, width: int = WIDTH) -> str:
    """``text`` centred in ``width`` columns."""
    return " " * max((width - display_width(text)) // 2, 0) + text


def _header(block: HeaderLines) -> list[str]:
    label_width = max(display_width(label) for label, _ in block.lines)
    if label_width == 0:
        return [right(text) for _, text in block.lines]
    lines = [pad_to(label, label_width) + INDENT + text for label, text in block.lines]
    block_width = max(display_width(line) for line in lines)
    return [" " * (WIDTH - block_width) + line for line in lines]


def _block_right(lines: list[str]) -> list[str]:
    """Lines left-aligned among themselves, the block flush right."""
    block_width = max(display_width(line) for line in lines)
    return [" " * (WIDTH - block_width) + line for line in lines]


def folded_table_lines(table: Table) -> list[str]:
    """A folded table in two column pairs (the first half of the rows left), then
    the note."""
    half = (len(table.rows) + 1) // 2
    cells = folded_rows(table)
    left, right_side = cells[:half], cells[half:]
    label_width = max(display_width(label) for label, _ in [*cells, (table.columns[0], "")])
    area_width = max(display_width(area) for _, area in [*left, ("", table.columns[1])])
    area_width = min(area_width, 40)

    def pair(label: str, area: str) -> str:
        return pad_to(label, label_width) + INDENT + area

    lines = [
        pad_to(pair(*table.columns), label_width + 2 + area_width) + INDENT + pair(*table.columns)
    ]
    for index, (label, area) in enumerate(left):
        line = pair(label, area)
        if index < len(right_side):
            line = pad_to(line, label_width + 2 + area_width) + INDENT + pair(*right_side[index])
        lines.append(line.rstrip())
    if table.note:
        lines += ["", table.note]
    return lines


def table_lines(table: Table) -> list[str]:
    """A generic table as text: each header row in ［］ with its cells between 「｜」, then
    each row in its text form (label, then each cell opened by its heading in 【】), then
    the note."""
    lines = [f"［{'｜'.join(header)}］" for header in table.header]
    for row in table.rows:
        lines += table_row_lines(row, table.columns)
    if table.note:
        lines += ["", table.note]
    return lines


def block_lines(block: Block) -> list[str]:
    """The text lines of one block."""
    match block:
        case HeaderLines():
            return _header(block)
        case AddresseeLine(text):
            return [text]
        case SenderLines(lines):
            return [right(line) for line in lines]
        case Title(text):
            return [centre(text)]
        case Paragraph(text):
            return [INDENT + text]
        case Centered(text):
            return [centre(text)]
        case Items(items):
            return [line for item in items for line in item_lines(item)]
        case AmendmentSentence(text, extra):
            return [text, *(INDENT + line for line in extra)]
        case ContactBlock(contact):
            return _block_right([contact.label, *contact.lines])
        case AttachmentStart(_, label, title):
            return ["\f" + label] + ([centre(title)] if title else [])
        case TableBlock(table, folded=True):
            return folded_table_lines(table)
        case TableBlock(table):
            return table_lines(table)
        case FormBlock(_, _, fields) if fields is not None:
            return form_print_lines(fields)
        case FormBlock(_, title):
            return [f"（様式例「{title}」は様式ファイルを参照）"]
        case MemberList(label, members):
            return [label, *members]
        case ComparisonBlock():
            return comparison_lines(block)
    assert_never(block)  # a new kind of block: add its case here


def comparison_lines(block: ComparisonBlock) -> list[str]:
    """A 新旧対照表 as text, in the reading order of the printed table (the order pdftotext
    reads it in): the heading, the note flush right, the two column headings, then per
    part (a row of the printed table) the left column's pieces, a line 「｜」, the right
    column's; a table fragment as its header rows and rows, cells between 「｜」 (a cell's
    further lines on lines of their own), a left-out run of rows as 「（略）」; changed runs
    in 〖〗 (the underline of the printed table)."""
    lines = [block.heading, right(block.note), f"{block.left_heading}　｜　{block.right_heading}"]
    for row in block.rows:
        lines.append("")
        lines += comparison_side_lines(row.left)
        lines.append("｜")
        lines += comparison_side_lines(row.right)
    return lines


def comparison_side_lines(pieces: tuple[ComparisonPiece, ...]) -> list[str]:
    """One column of a 新旧対照表 part as text lines (see :func:`comparison_lines`)."""
    lines: list[str] = []
    for piece in pieces:
        if not isinstance(piece, ComparisonTable):
            lines.append(marked_text(piece))
            continue
        lines += ["｜".join(marked_text(cell) for cell in header) for header in piece.header]
        for row in piece.rows:
            if row.omitted:
                lines.append(OMITTED)
                continue
            text = "｜".join("\n".join(marked_text(line) for line in cell) for cell in row.cells)
            lines += text.split("\n")
    return lines


def render_text(document: Document) -> str:
    """The whole document as text (attachments start with a form feed, as a new page)."""
    out: list[str] = []
    previous: Block | None = None
    for block in document.blocks:
        if gap_before(previous, block):
            out.append("")
        out.extend(block_lines(block))
        previous = block
    return "\n".join(line.rstrip() for line in out) + "\n"
