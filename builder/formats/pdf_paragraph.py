"""reportlab's ``Paragraph`` with line breaking linear in the paragraph's length.

reportlab breaks a ``wordWrap='CJK'`` paragraph into lines, and when the paragraph runs
over a page it splits off the lines that fit and makes the rest a new paragraph, which
is broken into lines again from scratch on the next page: a paragraph of *n* characters
over *n*/1,500 pages costs *n*²/3,000 character widths (a 1 MB paragraph took minutes).
It also measures every character with a call of ``stringWidth``.

:class:`LinearParagraph` gives the same lines, drawn as the same bytes, in linear time,
for the paragraphs reportlab sets as one run of text (one font, no markup inside: every
paragraph whose text holds no ``&``, ``<``, ``>`` or U+3000, see
:func:`builder.formats.pdf_layout.markup`):

* each distinct character is measured once (``stringWidth`` of one character, as
  reportlab's ``getCharWidths`` does, so the floats are the same), and the text is cut
  with reportlab's own ``dumbSplit``;
* when the lines cover the text exactly (no whitespace was stripped at a line's end,
  which would make the rest's text differ from what follows in the paragraph), the rest
  of a split paragraph takes the lines it already has instead of breaking its text
  again: breaking is memoryless at a line's start (the same text from there, at the same
  width, gives the same lines), so they are the lines reportlab would find. Everything
  else (other widths, bullets, several runs) goes to reportlab unchanged.

``tests/writers/test_wrap_linear.py`` checks that the PDFs are byte for byte reportlab's and
that the work grows linearly.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Final

from reportlab.lib.abag import ABag  # type: ignore[import-untyped]
from reportlab.lib.textsplit import dumbSplit  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph  # type: ignore[import-untyped]
from reportlab.platypus.paragraph import (  # type: ignore[import-untyped]
    _FUZZ,
    FragLine,
    ParaLines,
    _split_blParaHard,
    _split_blParaSimple,
)

__all__ = ["LONG", "LinearParagraph", "character_widths"]

LONG = 5000
"""Characters above which a paragraph of several runs of text (one with ``&``, ``<``,
``>`` or U+3000 in it) is split keeping its lines (see the module); shorter ones are
split as reportlab splits them, so that their bytes stay reportlab's."""

_PLACEHOLDER: Final = ABag(text="")
"""The runs of text of a split paragraph's rest that keeps its lines (never broken)."""


def _characters(frags: list[Any]) -> int:
    return sum(len(getattr(frag, "text", "") or "") for frag in frags)


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
"""(font name, size) → character → width in points."""


def character_widths(text: str, font: str, size: float) -> list[float]:
    """The width of each character of ``text``, as reportlab's ``getCharWidths`` gives
    them (``stringWidth`` of each character alone), each distinct character measured once."""
    known = _WIDTHS.setdefault((font, size), {})
    for character in set(text).difference(known):
        known[character] = stringWidth(character, font, size)
    return [known[c] for c in text]


class LinearParagraph(Paragraph):  # type: ignore[misc]
    """A ``Paragraph`` whose line breaking is linear in its length (see the module)."""

    _rest: tuple[Any, int, float] | None = None
    """(the lines of the paragraph this one is the rest of, where its own lines start,
    the width they were made at)."""
    _exact = False
    """Whether this paragraph's lines cover its text exactly (no whitespace stripped)."""

    def _plain(self) -> bool:
        """Whether this paragraph uses no option of reportlab's this class does not
        reproduce (bullets, end dots, automatic leading, inline images)."""
        style = self.style
        return (
            style.wordWrap == "CJK"
            and not self.bulletText
            and not style.endDots
            and getattr(self, "autoLeading", getattr(style, "autoLeading", "")) in ("", "off")
            and not any(hasattr(frag, "cbDefn") for frag in self.frags)
        )

    def _simple(self) -> bool:
        """Whether reportlab sets this paragraph as one run of text (its single-run path
        of ``breakLinesCJK``)."""
        return len(self.frags) == 1 and self._plain()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        rest = self._rest
        if rest is not None:
            lines, start, width = rest
            if availWidth == width and availWidth >= _FUZZ:
                self.width = availWidth
                self.blPara = lines.clone(lines=lines.lines[start:])
                self._exact = True
                self.height = len(self.blPara.lines) * self.style.leading
                return self.width, self.height
            self._rest = None
            split = _split_blParaSimple if lines.kind == 0 else _split_blParaHard
            self.frags = split(lines, start, len(lines.lines))
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not self._simple() or (hasattr(self, "blPara") and getattr(self, "_splitpara", False)):
            self._exact = False
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        self.height = 0
        frag = self.frags[0]
        text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
        widths = character_widths(text, frag.fontName, frag.fontSize)
        lines = dumbSplit(text, widths, maxWidths)
        self._exact = "".join(line for _, line in lines) == text
        return frag.clone(
            kind=0,
            lines=[(space, [line]) for space, line in lines],
            ascent=frag.fontSize,
            descent=-0.2 * frag.fontSize,
        )

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if not hasattr(self, "blPara"):
            self.wrap(availWidth, availHeight)
        kind = self.blPara.kind
        if not (
            self._plain()
            and (
                self._rest is not None
                or (kind == 0 and self._exact and len(self.frags) == 1)
                or (kind == 1 and _characters(self.frags) > LONG)
            )
        ):
            return super().split(availWidth, availHeight)  # type: ignore[no-any-return]
        if len(self.frags) <= 0 or availWidth < _FUZZ or availHeight < _FUZZ:
            return []
        # Paragraph.split for one run of text and no autoLeading, with the rest keeping
        # its lines instead of the words to break again.
        blPara = self.blPara
        style = self.style
        lines = blPara.lines
        leading = style.leading
        s = int(availHeight / float(leading))
        height = s * leading
        allow_orphans = getattr(self, "allowOrphans", getattr(style, "allowOrphans", 0))
        if (not allow_orphans and s <= 1) or s == 0:
            del self.blPara
            return []
        n = len(lines)
        allow_widows = getattr(self, "allowWidows", getattr(style, "allowWidows", 1))
        if n <= s:
            return [self]
        if not allow_widows and n == s + 1:
            if (allow_orphans and n == 3) or n > 3:
                s -= 1
            else:
                del self.blPara
                return []
        if kind == 0:
            first = self.__class__(
                None, style, bulletText=self.bulletText, frags=_split_blParaSimple(blPara, 0, s)
            )
        else:
            first = self.__class__(
                None, style, bulletText=self.bulletText, frags=_split_blParaHard(blPara, 0, s)
            )
        first.blPara = ParaLines(kind=1, lines=lines[0:s], aH=availHeight, aW=availWidth)
        first._JustifyLast = not (
            isinstance(lines[s - 1], FragLine)
            and hasattr(lines[s - 1], "lineBreak")
            and lines[s - 1].lineBreak
        )
        first._splitpara = 1
        first.height = height
        first.width = availWidth
        if style.firstLineIndent != 0:
            style = deepcopy(style)
            style.firstLineIndent = 0
        rest = self.__class__(None, style, bulletText=None, frags=[_PLACEHOLDER])
        previous = self._rest
        offset = s if previous is None else previous[1] + s
        rest._rest = (blPara if previous is None else previous[0], offset, availWidth)
        for name in ("autoLeading",):
            if hasattr(self, name):
                setattr(first, name, getattr(self, name))
                setattr(rest, name, getattr(self, name))
        return [first, rest]
