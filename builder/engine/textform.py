"""Plain-text forms of units (items, table rows) and reading them back.

These lines appear in the text rendering of a notice and in the new-text block of a
改め文 (「記の2を次のように改める。」 followed by the item), so parsing them back is what
lets a generated 改め文 be re-applied in the round-trip check.
"""

from __future__ import annotations

import re

from builder.engine.area_profile import parse_row_text, row_text
from builder.engine.units import CELL_MARK, UnitError
from builder.model.area_table import AreaRow
from builder.model.notice import Item, Row, TableRow

INDENT = "\u3000"
"""One full-width space: one character of indentation (字下げ)."""

_LABEL_RE = re.compile(r"^(\d+\.|\(\d+\)|[①-⑳]|・)")


def label_level(label: str) -> int:
    """Nesting level of a label kind: 1. → 0, (1) → 1, ① → 2, ・ → 3."""
    if re.fullmatch(r"\d+\.", label):
        return 0
    if re.fullmatch(r"\(\d+\)", label):
        return 1
    if re.fullmatch(r"[①-⑳]", label):
        return 2
    if label == "・":
        return 3
    raise UnitError(f"unknown item label 「{label}」; use 1., (1), ①, or ・")


def starts_with_label(text: str) -> str | None:
    """The item label ``text`` starts with (「・」, 「①」, 「(2)」, 「3.」), or None: such a
    paragraph would read back as an item."""
    match = _LABEL_RE.match(text)
    return match.group(1) if match else None


def label_separator(label: str) -> str:
    """What stands between a label and its text: a full-width space after 1. and (1)."""
    return INDENT if label_level(label) < 2 else ""


def item_lines(item: Item, depth: int = 0) -> list[str]:
    """An item as lines: the label line (label + title or first paragraph), the remaining
    paragraphs one level deeper, then the sub-items."""
    indent = INDENT * depth
    if item.title is not None:
        first, rest = item.title, item.paragraphs
    else:
        first, rest = (item.paragraphs[0] if item.paragraphs else ""), item.paragraphs[1:]
    lines = [f"{indent}{item.label}{label_separator(item.label)}{first}"]
    lines.extend(f"{indent}{INDENT}{paragraph}" for paragraph in rest)
    for child in item.items:
        lines.extend(item_lines(child, depth + 1))
    return lines


class _Draft:
    def __init__(self, label: str, first: str) -> None:
        self.label = label
        self.first = first
        self.paragraphs: list[str] = []
        self.children: list[_Draft] = []

    def build(self) -> Item:
        children = tuple(child.build() for child in self.children)
        has_more = bool(self.paragraphs or children)
        if has_more and not self.first.endswith("。"):
            return Item(self.label, self.first, tuple(self.paragraphs), children)
        return Item(self.label, None, (self.first, *self.paragraphs), children)


def parse_item_lines(lines: list[str]) -> Item:
    """The item whose ``item_lines`` are ``lines`` (indentation is ignored: labels give the
    nesting). ``UnitError`` when the lines are not one item."""
    stack: list[_Draft] = []
    root: _Draft | None = None
    for raw in lines:
        line = raw.strip(" " + INDENT)
        if not line:
            continue
        match = _LABEL_RE.match(line)
        if match is None:
            if not stack:
                raise UnitError(f"「{line}」 comes before any item label")
            if stack[-1].children:
                raise UnitError(f"「{line}」: a paragraph after sub-items cannot be represented")
            stack[-1].paragraphs.append(line)
            continue
        label = match.group(1)
        draft = _Draft(label, line[len(label) :].lstrip(" " + INDENT))
        while stack and label_level(stack[-1].label) >= label_level(label):
            stack.pop()
        if not stack:
            if root is not None:
                raise UnitError(f"「{line}」 starts a second item; a block holds one item")
            root = draft
        else:
            stack[-1].children.append(draft)
        stack.append(draft)
    if root is None:
        raise UnitError("the new text is empty; give the whole item")
    return root.build()


def row_line(row: AreaRow) -> str:
    """A table row as one line: 「兵庫県　東播磨」."""
    return f"{row.prefecture}{INDENT}{row_text(row)}"


def parse_row_line(line: str) -> AreaRow:
    """The row whose ``row_line`` is ``line``."""
    label, sep, text = line.strip(" " + INDENT).partition(INDENT)
    if not sep:
        raise UnitError(f"「{line}」 is not a row: write the label, a full-width space, the areas")
    return parse_row_text(label, text.strip(" " + INDENT))


def table_row_lines(row: TableRow, columns: tuple[str, ...]) -> list[str]:
    """A generic table row as lines: its label, then each cell opened by its column's
    heading in 【】 with its first line, further lines one level deeper::

        国
        【2023年度（令和5年度）】●2025年に向けた取組の通知発出
        ・2025年までの…
        【2024年度（令和6年度）】
    """
    headings = list(columns[1:]) + [""] * max(0, len(row.cells) - len(columns) + 1)
    lines = [row.label]
    for heading, cell in zip(headings, row.cells, strict=False):
        opened = f"{INDENT}{CELL_MARK[0]}{heading}{CELL_MARK[1]}"
        lines.append(opened + (cell[0] if cell else ""))
        lines.extend(f"{INDENT}{INDENT}{line}" for line in cell[1:])
    return lines


def parse_table_row_lines(lines: list[str]) -> TableRow:
    """The row whose ``table_row_lines`` are ``lines`` (the headings in 【】 are not
    checked here: the cells are counted against the table when the change applies)."""
    kept = [line.strip(" " + INDENT) for line in lines if line.strip(" " + INDENT)]
    if not kept or kept[0].startswith(CELL_MARK[0]):
        raise UnitError("a table row starts with its label on a line of its own")
    cells: list[list[str]] = []
    for line in kept[1:]:
        if line.startswith(CELL_MARK[0]):
            close = line.find(CELL_MARK[1])
            if close < 0:
                raise UnitError(
                    f"「{line}」 opens a cell with 「{CELL_MARK[0]}」 but has no 「{CELL_MARK[1]}」"
                )
            rest = line[close + 1 :]
            cells.append([rest] if rest else [])
        elif not cells:
            raise UnitError(
                f"「{line}」 comes before the first cell 「{CELL_MARK[0]}…{CELL_MARK[1]}」"
            )
        else:
            cells[-1].append(line)
    return TableRow(kept[0], tuple(tuple(cell) for cell in cells))


def row_block(row: Row, columns: tuple[str, ...] = ()) -> list[str]:
    """The lines of a row in a 改め文 block: one line for an area row, the label and its
    cells for a generic row."""
    if isinstance(row, AreaRow):
        return [row_line(row)]
    return table_row_lines(row, columns)


def parse_row_block(lines: list[str]) -> list[Row]:
    """The rows of a 改め文 block: area rows are one line each (「兵庫県　東播磨」), a
    generic row is its label line and its 【】 cells."""
    kept = [line for line in lines if line.strip(" " + INDENT)]
    if any(line.lstrip(" " + INDENT).startswith(CELL_MARK[0]) for line in kept):
        rows: list[Row] = []
        group: list[str] = []
        for line in kept:
            if not line.startswith(INDENT) and group:
                rows.append(parse_table_row_lines(group))
                group = []
            group.append(line)
        rows.append(parse_table_row_lines(group))
        return rows
    return [parse_row_line(line) for line in kept]
