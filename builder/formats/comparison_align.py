"""How a line of a 新旧対照表's column is aligned, written once for the PDF, Word and
HTML writers.

A column shows, for each changed section of the notice, the section's label, then its
lines (``builder.engine.comparison_layout``). MHLW centres the label 「記」 in the
column, as the notice itself centres its 「記」; every other line (an attachment's label
「（別添1）」, a contact block's heading, the text) keeps its place at the column's left,
its 字下げ and hanging indent as in the notice.
"""

from __future__ import annotations

from typing import Final

from builder.model.document import MarkedLine

__all__ = ["CENTRED_LABELS", "is_centred"]

CENTRED_LABELS: Final = frozenset({"記"})
"""Section labels a column centres."""


def is_centred(line: MarkedLine) -> bool:
    """Whether ``line`` of a 新旧対照表's column is centred: a section label in
    :data:`CENTRED_LABELS`, alone on its line."""
    return "".join(text for text, _ in line) in CENTRED_LABELS
