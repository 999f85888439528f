"""Where the pages of a form's sheet break: rows kept together, breaks written by hand.

A spreadsheet application breaks pages wherever the next row no longer fits, so a
section heading or an item's caption can end one page with its box on the next, and a
table's header row can end a page alone. :func:`page_breaks` places the breaks itself:
rows are grouped into blocks (a row marked *keep with next* belongs to the block of the
row after it), a block that does not fit in what is left of a page starts the next page,
and a block taller than a page breaks where its rows run out of room. Every break is
returned, the natural ones too, so Excel and LibreOffice print the same pages.

:func:`printable_height` is the height of a page's print area in the points of the
sheet's rows: the page less its top and bottom margins, divided by the scale at which
the columns are fitted to the page width (never enlarged).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

__all__ = ["page_breaks", "printable_height"]

POINTS_PER_INCH: Final = 72.0
SLACK: Final = 0.97
"""The share of a page the breaks fill: room for row heights an application rounds up."""


def printable_height(
    page: tuple[float, float], margins: tuple[float, float, float, float], columns: float
) -> float:
    """Height in row points of the print area of a ``page`` (width, height in points) with
    ``margins`` (left, right, top, bottom in inches) when ``columns`` points of columns
    are fitted to its width."""
    left, right, top, bottom = margins
    width = page[0] - (left + right) * POINTS_PER_INCH
    height = page[1] - (top + bottom) * POINTS_PER_INCH
    scale = min(1.0, width / columns) if columns > 0 else 1.0
    return height / scale


def page_breaks(
    heights: Sequence[float], keep_next: Collection[int], page: float, slack: float = SLACK
) -> list[int]:
    """The rows (1-based) after which a page ends, for rows of ``heights`` (row 1 first)
    on pages ``page`` points tall, filled to ``slack`` of their height. A row in
    ``keep_next`` is printed on the page of the row after it when a page can hold both."""
    room = page * slack
    blocks: list[tuple[int, int]] = []  # first and last row, 1-based
    first = 1
    for row in range(1, len(heights) + 1):
        if row not in keep_next or row == len(heights):
            blocks.append((first, row))
            first = row + 1
    breaks: list[int] = []
    used = 0.0
    for first, last in blocks:
        block = sum(heights[first - 1 : last])
        if used and used + block > room and block <= room:
            breaks.append(first - 1)
            used = 0.0
        for row in range(first, last + 1):
            height = heights[row - 1]
            if used and used + height > room:
                breaks.append(row - 1)
                used = 0.0
            used += height
    return breaks
