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
  with :func:`split_cjk` (reportlab's ``dumbSplit`` and the line-start rule below, as
  :class:`CjkJustified` cuts it);
* when the lines cover the text exactly (no whitespace was stripped at a line's end,
  which would make the rest's text differ from what follows in the paragraph), the rest
  of a split paragraph takes the lines it already has instead of breaking its text
  again: breaking is memoryless at a line's start (the same text from there, at the same
  width, gives the same lines), so they are the lines reportlab would find. Everything
  else (other widths, bullets, several runs) goes to reportlab unchanged.

``tests/writers/test_wrap_linear.py`` checks that the PDFs are byte for byte reportlab's and
that the work grows linearly.

:class:`CjkJustified` (a base of :class:`LinearParagraph`) adds two things to reportlab's
Japanese line breaking, for both classes alike (so the bytes still agree):

* **No line ends with an opening bracket** (「（」「「」 go to the next line), and **no
  line starts with a closing mark.** reportlab's ``dumbSplit`` lets one character
  that may not start a line (「、」「。」「）」「」」…) hang past the margin, but not two: in
  「…予定です（別紙）。」 the 「）」 hangs and the 「。」 starts the next line. Such a
  character hangs too (:func:`split_cjk`, reportlab's ``dumbSplit`` with this rule; in a
  paragraph of several runs it is moved to the end of the line before, never across a
  ``<br/>``).
* **No break inside a date or a number with its counter** (「令和6年7月31日」,
  「2025年」, 「第3号」, 「1～2か所」: :data:`UNBREAKABLE`): the whole goes to the next
  line (a date longer than the line is cut). **A paragraph's last line is never one
  character alone**: the line before gives it its last character. **A ragged line** (not
  justified: table cells, headings) **does not cut a run of kanji or katakana** when it
  can end before it (「…方針の／進捗管理」, not 「…の進／捗管理」); in a run longer than four
  kanji it breaks between pairs counted from the run's start (「医療機関／対応方針」).
  These rules are in :func:`split_cjk`, so every one-run paragraph of the PDF has them;
  a paragraph of several runs (U+3000 or ``&<>`` in it) is broken by reportlab without
  them.
* **Justification** of a ``TA_JUSTIFY`` paragraph, which reportlab leaves ragged (it
  widens the spaces between words, and a Japanese line has none): the space a line lacks
  is spread over the gaps between its characters with the PDF's character spacing
  (``Tc``), except the gaps inside a run of half-width characters (「2025」,
  「iryo-keikaku」), which stay as set. A line that overflows (hanging punctuation) is
  set tight to the margin the same way (追い込み), so nothing crosses it. A paragraph's
  last line and a line ended by ``<br/>`` stay ragged (unless they overflow), as does a
  line that would need more than :data:`JUSTIFY_LIMIT` ems between two characters.
"""

from __future__ import annotations

import itertools
import re
from copy import deepcopy
from typing import Any, Final
from unicodedata import category

from reportlab.lib.abag import ABag  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_JUSTIFY  # type: ignore[import-untyped]
from reportlab.lib.textsplit import (  # type: ignore[import-untyped]
    ALL_CANNOT_END,
    ALL_CANNOT_START,
)
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph  # type: ignore[import-untyped]
from reportlab.platypus.paragraph import (  # type: ignore[import-untyped]
    _FUZZ,
    FragLine,
    ParaLines,
    _split_blParaHard,
    _split_blParaSimple,
    paraFontSizeHeightOffset,
)

__all__ = [
    "JUSTIFY_LIMIT",
    "LONG",
    "UNBREAKABLE",
    "CjkJustified",
    "LinearParagraph",
    "character_widths",
    "split_cjk",
    "unbreakable",
]

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


JUSTIFY_LIMIT: Final = 0.25
"""Ems a justified line may add between two of its characters (the space it lacks over
its gaps); a line that would need more (it broke before a long unbreakable run of
half-width text, a URL) is left ragged rather than spaced out. A line of 38 characters
that broke before a date kept whole (「令和6年7月31日」, 7.5 ems) adds 0.2 ems a gap."""


def _stretches(text: str) -> list[bool]:
    """For each character of ``text`` but the last, whether the gap after it may widen:
    every gap but those between two half-width (ASCII) characters."""
    return [not (a.isascii() and b.isascii()) for a, b in itertools.pairwise(text)]


_NUMBER = r"[0-9０-９]+(?:[,.，．][0-9０-９]+)*"
_COUNTER = r"(?:年度|か所|箇所|か月|ヶ月|ヵ月|カ月|[年月日時分秒号条項人床名歳円割回件]|％|%)"
UNBREAKABLE: Final = re.compile(
    rf"(?:令和|平成|昭和|大正|明治)(?:元|{_NUMBER})年(?:{_NUMBER}月(?:{_NUMBER}日)?)?"
    rf"|{_NUMBER}年{_NUMBER}月(?:{_NUMBER}日)?|{_NUMBER}月{_NUMBER}日"
    rf"|第?{_NUMBER}(?:[～〜]{_NUMBER})?{_COUNTER}?"
)
"""What a line never breaks inside: a date (「令和6年7月31日」, 「2025年4月1日」, 「7月31日」)
and a number with its counter (「2025年」, 「第3号」, 「1～2か所」)."""


def unbreakable(text: str) -> dict[int, int]:
    """For each place inside a run of :data:`UNBREAKABLE` text (a break before the
    character at that index would cut it), the index where the run starts."""
    inside: dict[int, int] = {}
    for match in UNBREAKABLE.finditer(text):
        start, end = match.span()
        for index in range(start + 1, end):
            inside[index] = start
    return inside


_COMPOUND_BACK: Final = 4
"""Characters a ragged line may give back to end before a run of kanji it would cut
(a run of katakana, a word, is kept whole however long)."""


def _script(character: str) -> str:
    """「kanji」, 「katakana」 or 「」 (anything else): the runs a ragged line does not cut."""
    if "\u3400" <= character <= "\u9fff" or character in "々〆ヶ":
        return "kanji"
    if "\u30a1" <= character <= "\u30fa" or character in "ーヽヾ":
        return "katakana"
    return ""


def _word_start(text: str, line_start: int, end: int, inside: dict[int, int]) -> int:
    """Where a ragged line from ``line_start`` that would end at ``end`` (between two
    kanji or two katakana) ends instead, keeping more than half its characters: before the
    run it cuts (「…方針の／進捗管理」, not 「…の進／捗管理」; 「…程度の／モデル」) when that
    run starts at most :data:`_COMPOUND_BACK` characters back, or is katakana (a word);
    in a longer run of kanji, between two of its pairs counted from its start
    (「医療機関／対応方針」: most words of a compound are two kanji; the morphological
    analyser would cost every build its load, 0.3 s of CPU measured); else ``end``."""
    script = _script(text[end - 1])
    start = end
    while start > line_start and _script(text[start - 1]) == script:
        start -= 1
    half = line_start + (end - line_start) // 2
    if start > line_start and (end - start <= _COMPOUND_BACK or script == "katakana"):
        if start > half and text[start - 1] not in ALL_CANNOT_END:
            return start
        return end
    if script == "katakana":
        return end
    for cut in range(end - 2, half, -2) if (end - start) % 2 == 0 else range(end - 1, half, -2):
        if cut > start and cut not in inside:
            return cut
    return end


def split_cjk(
    text: str, widths: list[float], max_widths: list[float], ragged: bool = False
) -> list[list[Any]]:
    """``text`` broken into lines ``[space left, line]`` as reportlab's ``dumbSplit``
    breaks it (its code, BSD licence), and rules more: after the character that may not
    start a line and hangs past the margin, a second such character (the 「。」 of
    「（別紙）。」) hangs too rather than start the next line; a line never breaks inside a
    date or a number with its counter (:data:`UNBREAKABLE`), which goes whole to the next
    line; a line never ends with an opening bracket (「（」「「」), which goes to the next
    line; a ``ragged`` line (not justified: table cells) does not cut a run of kanji or
    katakana when it can end just before it (:func:`_word_start`); and a paragraph's last
    line is not one character alone (:func:`_no_lone_last`). Each line is found from where
    it starts, so a paragraph's rest breaks into the same lines as the whole."""
    lines: list[list[Any]] = []
    i = line_start = 0
    width_used = 0.0
    max_width = max_widths[0]
    count = len(text)
    inside = unbreakable(text)
    while i < count:
        w = widths[i]
        c = text[i]
        width_used += w
        i += 1
        if width_used > max_width + _FUZZ and width_used > 0:
            extra = max_width - width_used
            if ord(c) < 0x3000:
                # Inside a non-Asian run: break after a space or where Kanji resumes, at
                # most half way back along the line (reportlab's rule).
                limit = (line_start + i) >> 1
                for j in range(i - 1, limit, -1):
                    cj = text[j]
                    if category(cj) == "Zs" or ord(cj) >= 0x3000:
                        k = j + 1
                        if k < i:
                            j = k + 1
                            extra += sum(widths[j:i])
                            w = widths[k]
                            c = text[k]
                            i = j
                            break
            if c not in ALL_CANNOT_START and i > line_start + 1:
                i -= 1
                extra += w
            elif c in ALL_CANNOT_START and i < count and text[i] in ALL_CANNOT_START:
                extra -= widths[i]  # added here: a second closing mark hangs
                i += 1
            start = inside.get(i, i)
            if line_start < start < i and text[line_start:start].strip("".join(ALL_CANNOT_END)):
                extra += sum(widths[start:i])  # added here: a date or number kept whole
                i = start
            if ragged and 0 < i < count and _script(text[i - 1]) == _script(text[i]) != "":
                start = _word_start(text, line_start, i, inside)
                if start in inside:
                    start = i  # the run ends a number's counter: 「20か所」
                extra += sum(widths[start:i])  # added here: a word kept whole
                i = start
            if i - 1 > line_start and text[i - 1] in ALL_CANNOT_END:
                i -= 1  # added here: an opening bracket goes to the next line
                extra += widths[i]
            lines.append([extra, text[line_start:i].strip()])
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            line_start = i
            width_used = 0.0
    if width_used > 0:
        lines.append([max_width - width_used, text[line_start:]])
    _no_lone_last(lines, text, widths, inside)
    return lines


def _no_lone_last(
    lines: list[list[Any]], text: str, widths: list[float], inside: dict[int, int]
) -> None:
    """A last line of one character (「明確」「化」) takes the last character of the line
    before (「明」「確化」), in place, when that character may start a line, the line
    before keeps two characters or more and does not end with an opening bracket, and the
    break is allowed there (not inside a date, a number or a run of half-width text). Only
    lines that cover their text exactly (nothing stripped at a line's end) are changed."""
    if len(lines) < 2 or len(lines[-1][1]) != 1:
        return
    before = lines[-2][1]
    end = len(text) - 1  # where the last line starts
    if len(before) < 3 or not text.endswith(before + lines[-1][1]):
        return
    moved, keeps = before[-1], before[-2]
    if moved in ALL_CANNOT_START or keeps in ALL_CANNOT_END or end - 1 in inside:
        return
    if moved.isascii() and keeps.isascii():
        return
    width = widths[end - 1]
    lines[-2] = [lines[-2][0] + width, before[:-1]]
    lines[-1] = [lines[-1][0] - width, moved + lines[-1][1]]


def _same_run(a: Any, b: Any) -> bool:
    """Whether two runs of text are set alike (nothing but their text differs)."""
    return all(
        getattr(a, name, None) == getattr(b, name, None)
        for name in ("fontName", "fontSize", "textColor", "rise", "us_lines", "link")
    ) and not (hasattr(a, "cbDefn") or hasattr(b, "cbDefn"))


def _hold_frag_lines(lines: list[Any], brackets: bool) -> None:
    """The rules of :func:`split_cjk` for lines of several runs (``FragLine``), in place:
    an opening bracket that ends a line moved to the start of the next (with
    ``brackets``: the lines are not broken again, so the next one may run over by that
    character, which only justification sets tight), a character that may not start a
    line moved to the end of the line before (one per line break; a line left empty is
    dropped), only between runs set alike, never after a ``<br/>``."""
    index = 1
    while index < len(lines):
        before, line = lines[index - 1], lines[index]
        if before.lineBreak or not before.words or not line.words:
            index += 1
            continue
        last, first = before.words[-1], line.words[0]
        ending = getattr(last, "text", "")
        if brackets and len(ending) > 1 and ending[-1] in ALL_CANNOT_END and _same_run(last, first):
            moved = stringWidth(ending[-1], last.fontName, last.fontSize)
            before.words[-1] = last.clone(text=ending[:-1])
            line.words[0] = first.clone(text=ending[-1] + first.text)
            before.currentWidth -= moved
            before.extraSpace += moved
            line.currentWidth += moved
            line.extraSpace -= moved
            last, first = before.words[-1], line.words[0]
        text = getattr(first, "text", "")
        if not (text and text[0] in ALL_CANNOT_START and _same_run(last, first)):
            index += 1
            continue
        moved = stringWidth(text[0], first.fontName, first.fontSize)
        before.words[-1] = last.clone(text=last.text + text[0])
        before.currentWidth += moved
        before.extraSpace -= moved
        if len(text) > 1:
            line.words[0] = first.clone(text=text[1:])
        else:
            del line.words[0]
        line.currentWidth -= moved
        line.extraSpace += moved
        if not line.words:
            before.lineBreak = line.lineBreak
            del lines[index]
            continue
        index += 1


class CjkJustified(Paragraph):  # type: ignore[misc]
    """A ``Paragraph`` whose Japanese lines never start with a closing mark and are
    justified when its style is ``TA_JUSTIFY`` (see the module); a paragraph with
    bullets, several fonts, colours, underlines or links is drawn by reportlab."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return super().breakLinesCJK(maxWidths)  # the lines of a split paragraph
        frags = self.frags
        if (
            len(frags) == 1
            and not hasattr(frags[0], "cbDefn")
            and not self.style.endDots
            and not self.bulletText
        ):
            # reportlab's one-run case, with split_cjk for its dumbSplit.
            if not isinstance(maxWidths, (list, tuple)):
                maxWidths = [maxWidths]
            self.height = 0
            frag = frags[0]
            text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
            widths = character_widths(text, frag.fontName, frag.fontSize)
            return frag.clone(
                kind=0,
                lines=[
                    (space, [line])
                    for space, line in split_cjk(
                        text, widths, maxWidths, self.style.alignment != TA_JUSTIFY
                    )
                ],
                ascent=frag.fontSize,
                descent=-0.2 * frag.fontSize,
            )
        result = super().breakLinesCJK(maxWidths)
        if result.kind == 1:
            _hold_frag_lines(result.lines, self.style.alignment == TA_JUSTIFY)
        return result

    def _justified_lines(self) -> list[tuple[str, float, bool]] | None:
        """(text, space the line lacks, whether it ends with a break) per line, when this
        paragraph is drawn here; else None."""
        style = self.style
        if style.alignment != TA_JUSTIFY or self.bulletText or hasattr(self, "_offsets"):
            return None
        if style.backColor or (style.borderColor and style.borderWidth):
            return None
        blPara = self.blPara
        if blPara.kind == 0:
            return [(" ".join(words), extra, False) for extra, words in blPara.lines]
        lines: list[tuple[str, float, bool]] = []
        first = None
        for line in blPara.lines:
            parts = []
            for word in line.words:
                key = (word.fontName, word.fontSize, str(word.textColor), word.rise)
                if first is None:
                    first = key
                if key != first or word.us_lines or word.link or hasattr(word, "cbDefn"):
                    return None
                if getattr(word, "backColor", None):
                    return None
                parts.append(word.text)
            lines.append(("".join(parts), line.extraSpace, bool(line.lineBreak)))
        return lines

    def drawPara(self, debug: int = 0) -> None:
        lines = self._justified_lines() if not debug else None
        if not lines:
            super().drawPara(debug)
            return
        blPara = self.blPara
        frag = blPara if blPara.kind == 0 else blPara.lines[0]
        font = blPara.fontName if blPara.kind == 0 else frag.words[0].fontName
        size = blPara.fontSize if blPara.kind == 0 else frag.words[0].fontSize
        colour = blPara.textColor if blPara.kind == 0 else frag.words[0].textColor
        style = self.style
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colour)
        ascent = size if paraFontSizeHeightOffset else getattr(frag, "ascent", size)
        text_object = self.beginText(style.leftIndent, self.height - ascent)
        text_object.setFont(font, size, style.leading)
        justify_last = getattr(self, "_JustifyLast", False)
        spacing = 0.0
        for index, (text, extra, broken) in enumerate(lines):
            offset = style.firstLineIndent if index == 0 else 0.0
            if offset:
                text_object.setXPos(offset)
            last = broken or (index == len(lines) - 1 and not justify_last)
            stretches = _stretches(text)
            gaps = sum(stretches)
            widen = 0.0
            fills = extra < -1e-6 or (not last and extra > 1e-6)
            if gaps and fills and abs(extra) <= JUSTIFY_LIMIT * size * gaps:
                widen = extra / gaps
            # The spacing after each character (the last one's is whatever is set),
            # written as runs of equal spacing.
            spaces = [widen if stretch else 0.0 for stretch in stretches]
            spaces.append(spaces[-1] if spaces else spacing)
            start = 0
            for end in range(1, len(text) + 1):
                if end == len(text) or spaces[end] != spaces[start]:
                    if spaces[start] != spacing:
                        spacing = spaces[start]
                        text_object.setCharSpace(spacing)
                    text_object._textOut(text[start:end], 0)
                    start = end
            text_object._textOut("", 1)
            if offset:
                text_object.setXPos(-offset)
        if spacing:
            text_object.setCharSpace(0)
        canvas.drawText(text_object)
        canvas.restoreState()


class LinearParagraph(CjkJustified):
    """A ``Paragraph`` whose line breaking is linear in its length (see the module)."""

    _rest: tuple[Any, int, float] | None = None
    """(the lines of the paragraph this one is the rest of, where its own lines start,
    the width they were made at)."""
    _exact = False
    """Whether this paragraph's lines cover its text exactly (no whitespace stripped)."""
    _wrapped: float | None = None
    """The width this paragraph was last broken into lines at."""

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
        if self._wrapped == availWidth and hasattr(self, "blPara"):
            # Wrapped again at the same width (a heading kept with this paragraph wraps
            # it once to measure the group): the lines are the same.
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped = availWidth
        return size  # type: ignore[no-any-return]

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
        lines = split_cjk(text, widths, maxWidths, self.style.alignment != TA_JUSTIFY)
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
