"""What ``notices check`` requires of 別添1 so that ``notices build`` can write it: every
area name can be a file name (the prefilled forms are written to
``forms/<form>/<都道府県>/<構想区域>.*``, through :func:`builder.core.filenames.safe_component`),
and every row fits on one page of the PDF's table (a reportlab table row cannot continue
on the next page: a taller one stops the build with a LayoutError).

The PDF lays 別添1 out in :mod:`builder.writers.pdf` (``_Layout.area_table``): a
38-character frame of 12 pt 明朝 (456 pt), 700 pt high; cells in 10.5 pt; two column
pairs; the label column as wide as the widest of the first heading and the prefecture
names plus padding and one em; the areas broken into lines after 「、」
(:func:`builder.engine.area_lines.area_lines`), 14 pt a line; the heading row repeated
on every page. This module repeats that geometry without
importing reportlab (``check`` stays fast; ``tests/sources/test_check_covers_build.py`` checks
the numbers against the PDF writer's) and counts every character as one full em, which
no glyph of IPAex明朝 exceeds but Œ (:data:`WIDER_THAN_EM`): the line count here is never
below the PDF's, so a row accepted here always fits (half-width text is over-counted: a
row of ASCII-heavy names is refused somewhat early).
"""

from __future__ import annotations

import math
from typing import Final

from builder.core.filenames import UnsafeNameError, safe_component
from builder.engine.area_lines import area_lines
from builder.engine.units import row_text
from builder.model.notice import AreaRow, AreaTable

__all__ = [
    "AVAILABLE_HEIGHT",
    "area_file_name_problem",
    "label_column_problem",
    "row_height",
    "row_layout_problem",
]

EM: Final = 10.5
"""One full-width character of the PDF's table text, in points (``pdf_layout.TABLE_EM``)."""
FRAME_WIDTH: Final = 38 * 12.0
"""The text frame's width (``pdf_layout.FRAME_WIDTH``: 38 characters of 12 pt)."""
FRAME_HEIGHT: Final = 841.8897637795277 - 2 * 25 * 72 / 25.4
"""A4 less the top and bottom margins of 25 mm (``pdf_layout``)."""
TABLE_LEADING: Final = 14.0
CELL_PADDING: Final = 3.0
MAX_LABEL_WIDTH: Final = FRAME_WIDTH / 4
"""The label column (都道府県) may take a quarter of the frame at most, leaving each
areas column at least a quarter."""


WIDER_THAN_EM: Final = {"\u0152": 2138 / 2048}
"""The characters of IPAex明朝 wider than one em, and their width in ems (Œ)."""


def _width(text: str) -> float:
    """An upper bound of ``text``'s width in the PDF (one em a character)."""
    width = len(text) * EM
    if not text.isascii():
        width += sum((WIDER_THAN_EM.get(c, 1.0) - 1.0) * EM for c in text if c in WIDER_THAN_EM)
    return width


def _lines(text: str, available: float) -> int:
    """Lines of a wrapping paragraph of ``text`` ``available`` points wide (one more
    than the plain count when it wraps: reportlab's 禁則 may push a character on)."""
    if available < EM:
        return 10**9
    width = _width(text)
    if width <= available:
        return 1
    return math.ceil(width / available) + 1


def _label_width(table: AreaTable) -> float:
    names = [table.columns[0], *(row.prefecture for row in table.rows)]
    return max(_width(text) for text in names) + 2 * CELL_PADDING + EM


def _area_text_width(table: AreaTable) -> float:
    area_width = (FRAME_WIDTH - 2 * _label_width(table)) / 2
    return area_width - 2 * CELL_PADDING - 0.5


def _heading_height(table: AreaTable) -> float:
    label = _label_width(table) - 2 * CELL_PADDING
    areas = (FRAME_WIDTH - 2 * _label_width(table)) / 2 - 2 * CELL_PADDING
    lines = max(_lines(table.columns[0], label), _lines(table.columns[1], areas))
    return lines * TABLE_LEADING + 2 * CELL_PADDING


def _area_line_count(text: str, available: float) -> int:
    """Lines of the areas cell: broken after 「、」 as the PDF writer does, a part wider
    than a line wrapping on its own."""
    lines = area_lines(text, _width, available)
    return sum(_lines(line, available) for line in lines)


def row_height(table: AreaTable, row: AreaRow) -> float:
    """An upper bound of the height of ``row``'s cells in the PDF's 別添1, in points."""
    text_width = _area_text_width(table)
    label_lines = _lines(row.prefecture, _label_width(table) - 2 * CELL_PADDING)
    lines = max(label_lines, _area_line_count(row_text(row), text_width))
    return lines * TABLE_LEADING + 2 * CELL_PADDING


AVAILABLE_HEIGHT: Final = FRAME_HEIGHT
"""A page's frame; a row must fit in it below the repeated heading row."""


def label_column_problem(table: AreaTable) -> str | None:
    """Why ``table``'s first column cannot be laid out, or None."""
    if _label_width(table) > MAX_LABEL_WIDTH:
        return (
            f"the heading 「{table.columns[0]}」 of {table.id}'s first column is too long for "
            f"the PDF's table (at most {int((MAX_LABEL_WIDTH - 2 * CELL_PADDING) // EM) - 1} "
            "characters); shorten it"
        )
    return None


def row_layout_problem(table: AreaTable, row: AreaRow) -> str | None:
    """Why ``row`` cannot be laid out on one page of the PDF's 別添1, or None."""
    if label_column_problem(table) is not None:
        return None  # reported once, for the table
    available = AVAILABLE_HEIGHT - _heading_height(table)
    height = row_height(table, row)
    if height <= available:
        return None
    fit = int((available - 2 * CELL_PADDING) // TABLE_LEADING)
    needed = int((height - 2 * CELL_PADDING) // TABLE_LEADING)
    return (
        f"row 「{row.prefecture}」 of {table.id} ({len(row.areas)} areas) needs up to "
        f"{needed} lines in the PDF's table, more than the {fit} that fit on a page, and a "
        "row cannot continue on the next page; list fewer areas or shorter names in it"
    )


def area_file_name_problem(name: str) -> str | None:
    """Why the area ``name`` cannot name its prefilled form's file, or None."""
    try:
        safe_component(name)
    except UnsafeNameError as exc:
        return f"area {exc}; an area names the file of its prefilled form"
    return None
