"""How wide a text is set in a .docx: the one measure of the Word writers (the notice's
tables and titles, the form's column headings), in twips.

Word sets ＭＳ 明朝 (full-width 1 em, half-width 0.5 em); LibreOffice, with the repository's
font alias, sets IPAex明朝 in its place. A text is as wide as the larger of the two, plus
the quarter em both put between Japanese and Latin letters or digits
(日本語と英数字の間隔の自動調整).
"""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from builder.formats.fonts import register_bundled_mincho
from builder.japanese.normalize import display_width

__all__ = ["text_twips"]


@cache
def _mincho_for_measuring() -> str:
    # The bundled files explicitly: the font used by PDF writers may be overridden by an
    # environment variable, which must not change the layout of the .docx.
    return register_bundled_mincho()


def text_twips(text: str, size: float) -> int:
    """Width of ``text`` at ``size`` points in twips: the larger of ＭＳ 明朝 and IPAex明朝,
    plus a quarter em at each change between full-width and half-width characters."""
    em = size * 20
    word = display_width(text) * em / 2
    libreoffice = float(stringWidth(text, _mincho_for_measuring(), size)) * 20
    wide = [display_width(c) == 2 for c in text]
    changes = sum(1 for a, b in pairwise(wide) if a != b)
    return math.ceil(max(word, libreoffice) + changes * em / 4)
