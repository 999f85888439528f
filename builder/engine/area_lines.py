"""How the text of a folded table's cell (the areas of an area-table row) breaks into
lines: only after 「、」, so that no area name or its 「（●）」 is split. Pure (no
reportlab): the PDF writer uses it with the font's widths, and ``notices check``
(:mod:`builder.sources.area_table`) with an upper bound of them."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["area_lines"]


def area_lines(text: str, width: Callable[[str], float], available: float) -> list[str]:
    """A folded cell's text (an area-table row's areas) as lines that break only after
    「、」, filled greedily; an area wider than a line stays whole (the PDF writer wraps it
    character by character)."""
    lines: list[str] = []
    for token in re.split("(?<=、)", text):
        if lines and width(lines[-1] + token) <= available:
            lines[-1] += token
        else:
            lines.append(token)
    return lines
