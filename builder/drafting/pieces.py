"""An edited document as a sequence of pieces: lines of text and grids (Word tables),
each with the place in its file a message can name.

The plain-text form of a notice (``consolidated.txt``) is all lines; a .docx read by
:mod:`builder.drafting.read_docx_notice` is lines (its paragraphs, in the text form's
shape) and grids (its tables, cell by cell, a cell's paragraphs as its lines). One
reader (:mod:`builder.drafting.read_edited`) turns either into a notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.core.messages import bilingual
from builder.core.positions import SourcePos

INDENT = "\u3000"
PAGE = "\f"
"""Starts the line of an attachment's label (a new page)."""


@dataclass(frozen=True)
class Line:
    """One line of the text form (a paragraph of a .docx), and where it is."""

    text: str
    pos: SourcePos

    @property
    def bare(self) -> str:
        """The text without the page mark and the spaces and 字下げ around it."""
        return self.text.lstrip(PAGE).strip(" " + INDENT)


@dataclass(frozen=True)
class Grid:
    """A table of a .docx: rows of cells, each cell its paragraphs' texts."""

    rows: tuple[tuple[tuple[str, ...], ...], ...]
    pos: SourcePos

    def cell_text(self, row: int, column: int) -> str:
        """The cell's paragraphs joined (a cell broken into lines for width only)."""
        cells = self.rows[row]
        return "".join(cells[column]).strip(" " + INDENT) if column < len(cells) else ""


Piece = Line | Grid


def refusal(japanese: str, english: str) -> str:
    """A message in Japanese, then in English (:func:`builder.core.messages.bilingual`)."""
    return bilingual(japanese, english)


def normal(text: str) -> str:
    """``text`` without any space, 字下げ or page mark: how two renderings of one
    unchangeable block (a history block, a form) are compared."""
    return "".join(text.split()).replace(INDENT, "").replace(PAGE, "")


def text_pieces(text: str, shown: str) -> list[Piece]:
    """The lines of a text file, each at its line number (a form feed inside a line
    starts a new line, as the text writer puts the page mark before a label)."""
    pieces: list[Piece] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        parts = line.split(PAGE)
        pieces.append(Line(parts[0], SourcePos(shown, number, 1)))
        pieces.extend(Line(PAGE + part, SourcePos(shown, number, 1)) for part in parts[1:])
    return pieces
