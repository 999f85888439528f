"""The quoted changes that turn one 別添1 row text into another, as a 法制執務 drafter
writes them (used for structured area changes, so that their 改め文 reads like one a
drafter would write by hand).

A row text is areas separated by 「、」, each area a name followed by 「（●）」 when it is a
モデル推進区域 (「能代・山本（●）、大館・鹿角」), or 「調整中」 alone. The rules:

* Every quote is whole areas: a name is never cut, and 「（●）」 always stays with its
  name. No quote is a bare 「、」 or a bare 「（●）」.
* An added area carries its 「、」 and is placed after the area before it:
  「伊勢崎（●）」の下に「、前橋（●）」を加える. A removed area carries its 「、」 too: the
  one before it (「、北部」を削る, for a middle or the last area) or, for the first area,
  the one after it (「東部、」を削る). An area added in front of the first one is a
  replacement of that one: 「東部」を「中部、東部」に改める.
* Renaming, and marking or unmarking a モデル推進区域, quote the area itself:
  「東部」を「中部」に改める, 「東部」を「東部（●）」に改める, 「津軽（●）」を「津軽」に改める
  (never 「東部」の下に「（●）」を加える or 「（●）」を削る: the mark is part of the area).
* Areas are matched by name, so a rename next to an addition or removal stays a rename:
  「東部」を「中部」に改め、「、北部」を削る. Where names changed with different counts
  (two areas became one), they are paired front to back and the rest are added or
  removed.
* Every quote occurs once in the row text (the quotes of one 改め文 refer to the text
  before it). A quote that occurs more than once (「東部」 in 「東部、北部、南東部」) is
  widened one neighbouring token at a time, a 「、」 or an area, the left side first,
  until it occurs once: 「東部、」を「東部（●）、」に改める. Before a longer quote is
  tried, an addition may put its 「、」 on the other side (「東部、」の下に「中部、」を
  加える) and a removal likewise (「北部、」を削る).
* Changes whose quotes would share text (an area renamed and another added right after
  it, or two quotes widened into each other) become one change: 「東部」を「中部、西部」に
  改める. Changes that only meet at a boundary stay apart.
* A row that reads 「調整中」 before or after is replaced whole: 「調整中」を「東播磨」に
  改める.

The changes come in document order, each quote unique in ``before``; located and
applied together (``textedit.locate``, ``edit_for``, ``apply_edits``) they give ``after``.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from builder.engine.area_profile import AREA_SEPARATOR, MODEL_MARK, PENDING
from builder.model.notice import TextChange

_Core = tuple[int, int, str]
"""An edit on token boundaries of the before-text: tokens ``lo:hi`` become ``new``
(``lo == hi`` is an insertion). Tokens alternate area, 「、」, area, …"""


@dataclass(frozen=True)
class _Quoted:
    change: TextChange
    claim: tuple[int, int]
    """The characters of the before-text the change quotes (its anchor, for an insert)."""


class _Row:
    """A row text cut into tokens: areas at even indexes, 「、」 at odd ones."""

    def __init__(self, text: str) -> None:
        self.text = text
        parts = text.split(AREA_SEPARATOR)
        self.tokens: list[str] = [AREA_SEPARATOR] * (2 * len(parts) - 1)
        self.tokens[::2] = parts
        self.at = list(itertools.accumulate(map(len, self.tokens), initial=0))

    def span(self, lo: int, hi: int) -> str:
        return self.text[self.at[lo] : self.at[hi]]

    def unique(self, quote: str) -> bool:
        first = self.text.find(quote)
        return first != -1 and self.text.find(quote, first + 1) == -1


def _has_area(text: str) -> bool:
    """Whether ``text`` holds an area, not only separators (a bare 「、」 is no quote)."""
    return bool(text.replace(AREA_SEPARATOR, ""))


def _name(area: str) -> str:
    return area.removesuffix(MODEL_MARK)


def row_changes(before: str, after: str) -> list[TextChange]:
    """The quoted changes that turn the row text ``before`` into ``after`` (the rules are
    in the module docstring); empty when they are equal."""
    if before == after:
        return []
    if PENDING in (before, after):
        return [TextChange("replace", before, after)]
    row = _Row(before)
    cores = _area_edits(row.tokens[::2], after.split(AREA_SEPARATOR))
    while True:
        quoted = [_quote(row, core) for core in cores]
        clash = next(
            (k for k in range(len(quoted) - 1) if quoted[k].claim[1] > quoted[k + 1].claim[0]),
            None,
        )
        if clash is None:
            return [q.change for q in quoted]
        (lo, hi, first), (next_lo, next_hi, second) = cores[clash], cores[clash + 1]
        merged = (lo, next_hi, first + row.span(hi, next_lo) + second)
        cores[clash : clash + 2] = [merged]


def _area_edits(old: Sequence[str], new: Sequence[str]) -> list[_Core]:
    """One edit per renamed, re-marked, added or removed run of areas, each carrying its
    separator, matched by area name."""
    join = AREA_SEPARATOR.join
    matcher = difflib.SequenceMatcher(None, [_name(a) for a in old], [_name(a) for a in new])
    cores: list[_Core] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        cores.extend(
            (2 * (i1 + t), 2 * (i1 + t) + 1, new[j1 + t])
            for t in range(paired)
            if old[i1 + t] != new[j1 + t]
        )
        i1, j1 = i1 + paired, j1 + paired
        if i1 < i2:  # removed: with the separator before, or after the first area
            if i1 > 0:
                cores.append((2 * i1 - 1, 2 * i2 - 1, ""))
            else:
                cores.append((0, min(2 * i2, 2 * len(old) - 1), ""))
        if j1 < j2:  # added: after the area before, or in front of the first one
            if i2 > 0:
                cores.append((2 * i2 - 1, 2 * i2 - 1, AREA_SEPARATOR + join(new[j1:j2])))
            else:
                cores.append((0, 0, join(new[j1:j2]) + AREA_SEPARATOR))
    return sorted(cores)


def _variants(row: _Row, core: _Core) -> list[_Core]:
    """``core``, then the same edit with its separator on the other side when it has one:
    inserting 「、中部」 after 「東部」 is inserting 「中部、」 after 「東部、」, and deleting
    「、北部」 is deleting 「北部、」 when another 「、」 follows."""
    lo, hi, new = core
    sep = AREA_SEPARATOR
    if lo >= len(row.tokens) or row.tokens[lo] != sep:
        return [core]
    if lo == hi and new.startswith(sep):
        return [core, (lo + 1, lo + 1, new[1:] + sep)]
    if not new and hi < len(row.tokens) and row.tokens[hi] == sep:
        return [core, (lo + 1, hi + 1, "")]
    return [core]


def _widenings(row: _Row, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Token ranges around ``lo:hi``, by the number of tokens added, the left side first."""
    for extra in range(len(row.tokens) + 1):
        for right in range(extra + 1):
            left = extra - right
            if lo - left >= 0 and hi + right <= len(row.tokens):
                yield lo - left, hi + right


def _quote(row: _Row, core: _Core) -> _Quoted:
    """``core`` as one TextChange whose quote is whole areas and unique in the row."""
    lo, hi, new = core
    variants = _variants(row, core)
    if lo == hi:
        for length in range(1, len(row.tokens) + 1):  # 「anchor」の下に「…」を加える
            for point, _, text in variants:
                start = point - length
                if start >= 0 and start % 2 == 0 and row.unique(row.span(start, point)):
                    anchor = row.span(start, point)
                    return _Quoted(
                        TextChange("insert", anchor, text), (row.at[start], row.at[point])
                    )
    else:
        for v_lo, v_hi, v_new in variants:  # the edit as it stands
            quote = row.span(v_lo, v_hi)
            if not v_new and _has_area(quote) and row.unique(quote):
                return _Quoted(TextChange("delete", quote), (row.at[v_lo], row.at[v_hi]))
    for start, end in _widenings(row, lo, hi):  # a replacement, widened until unique
        quote = row.span(start, end)
        text = row.span(start, lo) + new + row.span(hi, end)
        if _has_area(quote) and _has_area(text) and quote != text and row.unique(quote):
            return _Quoted(TextChange("replace", quote, text), (row.at[start], row.at[end]))
    raise AssertionError("the whole row text is a unique quote")
