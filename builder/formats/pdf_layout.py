"""Page geometry, paragraph styles and text metrics of the PDF writer (``builder.writers.pdf``).

A4 portrait with a 40-character line of 10.5 pt 明朝, as on a printed notice. Every style
wraps with ``wordWrap='CJK'`` (a line may break between any two characters, with
reportlab's 禁則 rules). Text is turned into reportlab's paragraph mini-markup with
:func:`markup`, which escapes ``& < >`` and writes U+3000 as ``&#12288;`` (a raw U+3000
counts as whitespace in a platypus ``Paragraph``: it collapses, and a leading one is
dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from builder.formats.fonts import FontSet

__all__ = [
    "BODY_SIZE",
    "BOTTOM_MARGIN",
    "CELL_PADDING",
    "EM",
    "FRAME_WIDTH",
    "LEADING",
    "LINE_CHARACTERS",
    "PAGE_HEIGHT",
    "PAGE_NUMBER_Y",
    "PAGE_WIDTH",
    "SIDE_MARGIN",
    "TABLE_LEADING",
    "TOP_MARGIN",
    "Styles",
    "markup",
    "page_number_text",
]

PAGE_WIDTH: Final[float] = A4[0]
PAGE_HEIGHT: Final[float] = A4[1]

BODY_SIZE: Final = 10.5
"""Body text in points: 明朝 10.5 pt, the usual size of a Word-made notice."""
EM: Final = BODY_SIZE
"""One full-width character: the unit of 字下げ and hanging indents."""
LEADING: Final = 18.0
"""Baseline to baseline, about 1.7 lines: roughly 37 lines on a page."""
TABLE_LEADING: Final = 14.0
"""Line spacing inside table cells, tighter than body text."""
CELL_PADDING: Final = 3.0

LINE_CHARACTERS: Final = 40
"""Full-width characters per line: the text frame is exactly this many ems wide."""
FRAME_WIDTH: Final[float] = LINE_CHARACTERS * EM
SIDE_MARGIN: Final[float] = (PAGE_WIDTH - FRAME_WIDTH) / 2
TOP_MARGIN: Final[float] = 25 * mm
BOTTOM_MARGIN: Final[float] = 25 * mm
PAGE_NUMBER_Y: Final[float] = 13 * mm
"""Baseline of the page number 「- 1 -」, centred under the text frame."""


def page_number_text(page: int) -> str:
    """The page number as printed at the bottom of each page: 「- 1 -」."""
    return f"- {page} -"


def markup(text: str) -> str:
    """``text`` as reportlab paragraph markup: ``& < >`` escaped, U+3000 kept as a character."""
    return escape(text).replace("\u3000", "&#12288;")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one render, all in the 明朝 of ``fonts``."""

    font: str
    left: Any
    right: Any
    centre: Any
    body: Any
    cell: Any
    cell_centre: Any

    @classmethod
    def for_fonts(cls, fonts: FontSet) -> Styles:
        """Styles using ``fonts.mincho`` throughout (official notices are set in 明朝)."""
        base = ParagraphStyle(
            "notice-left",
            fontName=fonts.mincho,
            fontSize=BODY_SIZE,
            leading=LEADING,
            alignment=TA_LEFT,
            wordWrap="CJK",
        )
        cell = ParagraphStyle("notice-cell", parent=base, leading=TABLE_LEADING)
        return cls(
            font=fonts.mincho,
            left=base,
            right=ParagraphStyle("notice-right", parent=base, alignment=TA_RIGHT),
            centre=ParagraphStyle("notice-centre", parent=base, alignment=TA_CENTER),
            body=ParagraphStyle("notice-body", parent=base, firstLineIndent=EM),
            cell=cell,
            cell_centre=ParagraphStyle("notice-cell-centre", parent=cell, alignment=TA_CENTER),
        )

    def indented(self, left_indent: float, first_line_indent: float = 0.0) -> Any:
        """A left-aligned style with the given indents (negative first line: hanging)."""
        return ParagraphStyle(
            f"notice-indent-{left_indent:g}-{first_line_indent:g}",
            parent=self.left,
            leftIndent=left_indent,
            firstLineIndent=first_line_indent,
        )

    def width(self, text: str, size: float = BODY_SIZE) -> float:
        """Width of ``text`` in points, set in the 明朝 at ``size``."""
        return float(stringWidth(text, self.font, size))
