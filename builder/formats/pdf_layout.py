"""Page geometry, paragraph styles and text metrics of the PDF writer (``builder.writers.pdf``).

A4 portrait with a 38-character line of 12 pt 明朝, as on the published letters (measured
from the seeds' line breaks: see :data:`LINE_CHARACTERS`); tables in 10.5 pt. Every style
wraps with ``wordWrap='CJK'`` (a line may break between any two characters, with
reportlab's 禁則 rules and those of :func:`builder.formats.pdf_paragraph.split_cjk`: never
inside a date or a number with its counter, no one-character last line, a ragged line
ending before a run of kanji it would cut); running text (body paragraphs, items) is
justified to the frame (:class:`builder.formats.pdf_paragraph.LinearParagraph`: the space
a line lacks is spread between its characters, never inside a run of half-width letters
and digits; a paragraph's last line stays ragged). Text is turned into reportlab's
paragraph mini-markup with :func:`markup`, which escapes ``& < >`` and writes U+3000 as
``&#12288;`` (a raw U+3000 counts as whitespace in a platypus ``Paragraph``: it
collapses, and a leading one is dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib.enums import (  # type: ignore[import-untyped]
    TA_CENTER,
    TA_JUSTIFY,
    TA_LEFT,
    TA_RIGHT,
)
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
    "TABLE_EM",
    "TABLE_LEADING",
    "TABLE_SIZE",
    "TOP_MARGIN",
    "Styles",
    "markup",
    "page_number_text",
]

PAGE_WIDTH: Final[float] = A4[0]
PAGE_HEIGHT: Final[float] = A4[1]

BODY_SIZE: Final = 12.0
"""Body text in points: 明朝 12 pt, the size public-document style guides give for 公用文
(the seeds give the characters a line, not the size: 38 characters of 12 pt leave
margins of 24.6 mm, as the usual 25 mm of a Word-made notice)."""
EM: Final = BODY_SIZE
"""One full-width character: the unit of 字下げ and hanging indents."""
LEADING: Final = 19.0
"""Baseline to baseline, about 1.6 lines: 36 lines on a page (a distribution letter with
its 21 別記 organisations on one)."""
TABLE_SIZE: Final = 10.5
"""Text in table cells (別添1, generic tables, the 新旧対照表), smaller than the body so
that 別添1's 47 prefectures stay on one page."""
TABLE_EM: Final = TABLE_SIZE
"""One full-width character of table text."""
TABLE_LEADING: Final = 14.0
"""Line spacing inside table cells, tighter than body text."""
CELL_PADDING: Final = 3.0

LINE_CHARACTERS: Final = 38
"""Full-width characters per line: the text frame is exactly this many ems wide.

Measured, not assumed: the published letters of seed 003 run 38 characters a line (32
of their wrapped lines hold 38 ems, half-width digits counted as half) and their first
lines 37 after the one-character 字下げ; seed 000's one wrapped line of running text (the
distribution letter's 「標記について、…ご了知い」) is such a first line, 37 characters
after the 字下げ. The 「about 37」 of the issue is that count; the frame is 38."""
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
    """The paragraph styles of one render, all in the 明朝 of ``fonts``: ``body`` and
    :meth:`indented` are justified (running text), the others not."""

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
        cell = ParagraphStyle(
            "notice-cell", parent=base, fontSize=TABLE_SIZE, leading=TABLE_LEADING
        )
        return cls(
            font=fonts.mincho,
            left=base,
            right=ParagraphStyle("notice-right", parent=base, alignment=TA_RIGHT),
            centre=ParagraphStyle("notice-centre", parent=base, alignment=TA_CENTER),
            body=ParagraphStyle(
                "notice-body", parent=base, firstLineIndent=EM, alignment=TA_JUSTIFY
            ),
            cell=cell,
            cell_centre=ParagraphStyle("notice-cell-centre", parent=cell, alignment=TA_CENTER),
        )

    def indented(self, left_indent: float, first_line_indent: float = 0.0) -> Any:
        """A justified style with the given indents (negative first line: hanging)."""
        return ParagraphStyle(
            f"notice-indent-{left_indent:g}-{first_line_indent:g}",
            parent=self.left,
            leftIndent=left_indent,
            firstLineIndent=first_line_indent,
            alignment=TA_JUSTIFY,
        )

    def width(self, text: str, size: float = BODY_SIZE) -> float:
        """Width of ``text`` in points, set in the 明朝 at ``size``."""
        return float(stringWidth(text, self.font, size))
