"""Where a form's column headings break, and how wide their columns are: the one rule of
every writer of a form table (PDF print layout and fillable PDF, Word, Excel).

A heading breaks only between words (:func:`heading_pieces`): after a space, after 「の」,
after a year (「2015年」, 「2023年度」) followed by a kanji or katakana word, and before a
bracketed mark 「(A)」 after a space or a Japanese character; never 「2015年病床／数」
or 「差し引き (C)-／(A)」. :func:`fitted_headings` gives the columns of a table widths
from their headings (the fewest lines at which every heading breaks only there, the room
left shared equally) and each heading's lines; a writer prints the lines with explicit
breaks (a ``<br/>`` in the PDF, ``w:br`` in Word, ``\\n`` in a wrapped Excel cell), so
no renderer breaks a heading inside a word. Widths are in whatever unit ``measure``
gives (points, twips, pixels).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

__all__ = ["Measure", "fitted_headings", "heading_lines", "heading_pieces", "narrowest"]

Measure = Callable[[str], float]
"""The width of a text in the heading's font, in the writer's unit."""

MOST_LINES: Final = 4
"""A heading takes at most this many lines; past that the table keeps its own widths."""


def _is_hiragana(character: str) -> bool:
    return "\u3040" <= character <= "\u309f"


def heading_pieces(text: str) -> list[str]:
    """A column heading cut where a line may break, so that no word is split: after a
    space, after 「の」, after a year (「2015年」, 「2023年度」) followed by a kanji or
    katakana word, and before an opening bracket that follows a space or a Japanese
    character (「病床機能報告 (A)」, not inside 「(C)-(A)」). A piece keeps its trailing
    space; a line drops it."""
    cuts: set[int] = set()
    for index, character in enumerate(text):
        if character in " の":
            cuts.add(index + 1)
        elif character == "年" and index and text[index - 1].isdigit():
            end = index + 2 if text[index + 1 : index + 2] == "度" else index + 1
            if end < len(text) and not _is_hiragana(text[end]):
                cuts.add(end)
        elif (
            character in "(（"
            and index
            and (text[index - 1] == " " or not text[index - 1].isascii())
        ):
            cuts.add(index)
    pieces: list[str] = []
    start = 0
    for cut in sorted(cuts):
        if start < cut < len(text):
            pieces.append(text[start:cut])
            start = cut
    return [*pieces, text[start:]]


def heading_lines(pieces: Sequence[str], width: float, measure: Measure) -> list[str]:
    """``pieces`` (:func:`heading_pieces`) packed into lines at most ``width`` wide (a
    piece wider than that alone on its line), ``measure`` giving a text's width."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and measure((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    return [*lines, line.rstrip()] if line or not lines else lines


def narrowest(pieces: Sequence[str], lines: int, measure: Measure) -> float:
    """The narrowest width at which ``pieces`` take at most ``lines`` lines."""
    candidates = sorted(
        {
            measure("".join(pieces[start:end]).rstrip())
            for start in range(len(pieces))
            for end in range(start + 1, len(pieces) + 1)
        }
    )
    widest = max(measure(piece.rstrip()) for piece in pieces)
    for width in candidates:
        if width >= widest and len(heading_lines(pieces, width, measure)) <= lines:
            return float(width)
    return float(candidates[-1])


def fitted_headings(
    headings: Sequence[str], available: float, measure: Measure, pad: float
) -> tuple[list[float], list[list[str]]] | None:
    """Widths for columns headed ``headings`` sharing ``available`` (``pad``: a cell's
    padding on both sides, and slack against rounding): the fewest lines at which every
    heading breaks only between words (:func:`heading_pieces`), the room left shared
    equally; with each heading's lines at its width. None when no such widths fit within
    :data:`MOST_LINES` lines."""
    if not headings:
        return None
    pieces = [heading_pieces(heading) for heading in headings]
    for lines in range(1, MOST_LINES + 1):
        need = [narrowest(p, lines, measure) + pad for p in pieces]
        if sum(need) <= available:
            extra = (available - sum(need)) / len(need)
            widths = [n + extra for n in need]
            return widths, [
                heading_lines(p, w - pad, measure) for p, w in zip(pieces, widths, strict=True)
            ]
    return None
