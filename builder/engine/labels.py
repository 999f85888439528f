"""Item labels as numbers: 「3.」, 「(3)」 and 「③」 are the third item of their level, so
adding or deleting an item renumbers the ones after it (繰下げ, 繰上げ) in the same form.

Levels under 記 go 1. → (1) → ① → ・ (``builder.engine.textform.label_level``); 「・」
items carry no number and cannot be cited one by one, so they are never renumbered.
"""

from __future__ import annotations

import re
from typing import Literal

from builder.engine.units import UnitError

LabelForm = Literal["dot", "paren", "circle"]

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FORM_BY_LEVEL: tuple[LabelForm, ...] = ("dot", "paren", "circle")


def label_number(label: str) -> tuple[LabelForm, int] | None:
    """(form, number) of a numbered label: 「3.」 → ("dot", 3), 「(3)」 → ("paren", 3),
    「③」 → ("circle", 3); None for 「・」 and anything else."""
    if re.fullmatch(r"\d+\.", label):
        return "dot", int(label[:-1])
    if re.fullmatch(r"\(\d+\)", label):
        return "paren", int(label[1:-1])
    if len(label) == 1 and label in _CIRCLED:
        return "circle", _CIRCLED.index(label) + 1
    return None


def numbered_label(form: LabelForm, number: int) -> str:
    """The label of item ``number`` in ``form``; ``UnitError`` past ⑳ (the last circled
    number in the fonts' common range)."""
    if number < 1:
        raise UnitError(f"an item cannot be numbered {number}")
    if form == "dot":
        return f"{number}."
    if form == "paren":
        return f"({number})"
    if number > len(_CIRCLED):
        raise UnitError(
            f"a level of ①… items holds at most {len(_CIRCLED)} items (⑳); rewrite the item "
            "that holds them"
        )
    return _CIRCLED[number - 1]


def form_of_level(depth: int) -> LabelForm | None:
    """The label form of items ``depth`` levels under 記 (0: 「1.」); None for 「・」."""
    return _FORM_BY_LEVEL[depth] if depth < len(_FORM_BY_LEVEL) else None
