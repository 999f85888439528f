"""Which notice an edited consolidated document is of, when the command line is not told
(``notices amend-from edited.docx|.txt`` without ``--notice``).

A .docx names it in its custom property ``notice`` (its id, written by the Word writer
and kept by a LibreOffice round trip). A .txt names it in its history block: the first
line is the notice's 文書番号; a 事務連絡 has none (the line reads 「事務連絡」), so the
date on the next line tells which 事務連絡 it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from builder.drafting.pieces import Line, Piece
from builder.japanese.wareki import format_wareki
from builder.model.notice import Notice

JIMU_RENRAKU = "事務連絡"
"""What the history block prints in place of a 文書番号 for a notice without one."""


def notice_named(
    pieces: Sequence[Piece], notices: Iterable[Notice], properties: Mapping[str, str] = {}
) -> str:
    """The id or 文書番号 of the notice the edited document ``pieces`` names (its .docx
    custom ``properties`` first); for a 事務連絡's history block, the id of the one
    事務連絡 of that date (the block's first line when none or several match, so that the
    caller's own message names what was read)."""
    if properties.get("notice"):
        return properties["notice"]
    lines = [piece.text.strip(" \u3000") for piece in pieces if isinstance(piece, Line)]
    block = [line for line in lines if line][:2]
    first = block[0] if block else ""
    if first != JIMU_RENRAKU or len(block) < 2:
        return first
    dated = [
        notice.id
        for notice in notices
        if notice.number is None and format_wareki(notice.date) == block[1]
    ]
    return dated[0] if len(dated) == 1 else first
