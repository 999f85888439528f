"""The area-table profile's reading of a notice source (:func:`read_area_table`) and what
``notices check`` requires of 別添1 so that ``notices build`` can write it: every
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
from collections.abc import Callable
from typing import Final

from builder.core.filenames import UnsafeNameError, safe_component
from builder.engine.area_lines import area_lines
from builder.engine.area_profile import row_text
from builder.japanese import UnknownPrefectureError, find_prefecture
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.sources import schema as s

__all__ = [
    "AVAILABLE_HEIGHT",
    "area_file_name_problem",
    "area_row",
    "label_column_problem",
    "read_area_table",
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


# --------------------------------------------------------------------------- reading


def area_row(row: s.AreaRowS) -> AreaRow:
    """A schema row as model data."""
    areas = tuple(
        Area(a, False) if isinstance(a, str) else Area(a.name, a.model) for a in row.areas
    )
    return AreaRow(row.prefecture, areas, row.pending)


def read_area_table(
    table: s.AreaTableS, fail: Callable[[tuple[str | int, ...], str], None], layout: bool = True
) -> AreaTable:
    """The area table of a notice source, every problem reported through ``fail`` with
    its key under the table's (rows in 都道府県コード order, each named once, full names;
    area names that are names, not rendering, and can be file names; the label column and,
    with ``layout``, every row fitting the PDF)."""
    rows = tuple(area_row(r) for r in table.rows)
    labels = [r.prefecture for r in rows]
    codes: list[int] = []
    for index, row in enumerate(rows):
        row_key: tuple[str | int, ...] = ("rows", index)
        if labels.count(row.prefecture) > 1:
            fail(row_key, f"row 「{row.prefecture}」 appears twice in {table.id}")
        try:
            prefecture = find_prefecture(row.prefecture)
        except (UnknownPrefectureError, ValueError) as exc:
            fail((*row_key, "prefecture"), str(exc))
            continue
        if prefecture.name != row.prefecture:
            fail((*row_key, "prefecture"), f"write the full name 「{prefecture.name}」")
        if codes and prefecture.code < codes[-1]:
            fail(row_key, f"「{row.prefecture}」 is out of 都道府県コード order")
        codes.append(prefecture.code)
        names = [a.name for a in row.areas]
        for name in sorted({n for n in names if names.count(n) > 1}):
            fail(row_key, f"area 「{name}」 appears twice in {row.prefecture}")
        for area_index, area in enumerate(row.areas):
            if any(mark in area.name for mark in ("（●）", "●", "、", "調整中")):
                fail(
                    row_key,
                    f"area 「{area.name}」: 「（●）」, 「、」 and 「調整中」 are rendering; "
                    "use model: true, one list entry per area, or pending: true",
                )
            elif (problem := area_file_name_problem(area.name)) is not None:
                fail((*row_key, "areas", area_index), problem)
    result = AreaTable(
        table.id, table.title, (table.columns[0], table.columns[1]), rows, table.note
    )
    label_problem = label_column_problem(result)
    if label_problem is not None:
        fail(("columns", 0), label_problem)
    for index, row in enumerate(rows if layout else ()):
        layout_problem = row_layout_problem(result, row)
        if layout_problem is not None:
            fail(("rows", index), layout_problem)
    return result
