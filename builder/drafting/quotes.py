"""Quotes for the changes drafted from an edited document: which words a 改め文 quotes to
turn one paragraph (line, cell line) into its edited text.

The engine's ``diff_segment`` finds the changed words (on the word boundaries of
:mod:`builder.japanese.words`: SudachiPy's words, a number kept with its counter) and
makes each quote unique in the paragraph (``builder.japanese.words.quote_words``: a run
of hiragana counts as one word, so that a quote is never a bare particle, and no quote
starts or ends with a space; the 新旧対照表 marks changes on the same words). Here each quote
must be unique in the *unit* it is cited at (an item with all its paragraphs and
sub-items, the 前文, a row), and should read as a drafter writes it: so a quote is first
cut down to the words that changed, then widened a word at a time (the left side first)
until it is found once in the unit, preferring context words that neither start nor end
the quote with kana (a particle or an ending: 「の推進」) or a mark (「)の支援」) nor cut a
compound noun (not 「方針の推進」 out of 「区域対応方針の推進」); when no word-wise quote is found
once, the paragraph is replaced whole; when that is not found once either, the caller rewrites
the unit.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from builder.engine.amend import balanced_quotes
from builder.engine.textedit import QuoteError, diff_segment, find_all
from builder.japanese.words import compound_boundaries, hiragana, quote_words
from builder.model.notice import TextChange

WORDS = quote_words
"""The one cutting of a paragraph into words that every quote here follows."""
_UNCLEAN = set("、。，．・()（）「」『』[]［］【】〔〕")


def good(change: TextChange, segments: tuple[str, ...]) -> bool:
    """A quote found once in the unit ``segments``, with 「」 balanced on both sides."""
    return (
        bool(change.old)
        and len(find_all(segments, change.old)) == 1
        and balanced_quotes(change.old)
        and balanced_quotes(change.new)
    )


def clean_edge(character: str) -> bool:
    """Whether a quote may start or end with ``character`` when it has the choice: not
    with hiragana (a particle or an ending) nor a mark."""
    return not character or not (hiragana(character) or character in _UNCLEAN)


@dataclass(frozen=True)
class _Edit:
    """An edit of characters ``start:end`` of a paragraph: an insertion after them
    (``insert``: they are the anchor), else a replacement by ``new`` (deleted when
    empty)."""

    start: int
    end: int
    new: str
    insert: bool = False


def _boundaries(text: str) -> list[int]:
    """Where a quote may begin or end (between the words of :func:`quote_words`)."""
    return list(itertools.accumulate(map(len, WORDS(text)), initial=0))


def _core(old: str, change: TextChange) -> _Edit:
    """What ``change`` (as ``diff_segment`` quoted it, found once in ``old``) really
    changes: its quote less the words the new text keeps at either end."""
    start = old.find(change.old)
    end = start + len(change.old)
    if change.kind == "insert":
        return _Edit(start, end, change.new, insert=True)
    new = change.new if change.kind == "replace" else ""
    quoted = old[start:end]
    head = len(_common(quoted, new))
    tail = len(_common(quoted[head:][::-1], new[head:][::-1]))
    at = _boundaries(old)
    lo = at[bisect.bisect_right(at, start + head) - 1]
    hi = at[bisect.bisect_left(at, end - tail)]
    replacement = old[lo : start + head] + new[head : len(new) - tail] + old[end - tail : hi]
    if lo == hi:  # a pure insertion: anchored on the word before it, or the one after
        if lo == 0:
            after = at[1] if len(at) > 1 else 0
            return _Edit(0, after, replacement + old[:after])
        before = at[bisect.bisect_left(at, lo) - 1]
        return _Edit(before, lo, replacement, insert=True)
    return _Edit(lo, hi, replacement)


def _common(a: str, b: str) -> str:
    return "".join(
        x for x, _ in itertools.takewhile(lambda p: p[0] == p[1], zip(a, b, strict=False))
    )


def _as_change(old: str, edit: _Edit, lo: int, hi: int) -> TextChange:
    """The edit quoted as ``old[lo:hi]`` (which holds its characters)."""
    quoted = old[lo:hi]
    if edit.insert:
        return TextChange("insert", quoted, edit.new)
    new = old[lo : edit.start] + edit.new + old[edit.end : hi]
    if not new:
        return TextChange("delete", quoted)
    return TextChange("replace", quoted, new)


def _widened(old: str, segments: tuple[str, ...], edit: _Edit, clean: bool) -> TextChange | None:
    """The edit quoted with the fewest words around it (the left side first; an
    insertion's anchor only leftwards; an insertion as a replacement, ``start == end``,
    with a word on each side: 「開催時期」を「開催の時期」に改める when no anchor before it is
    found once) that are found once in ``segments``; with ``clean``, only quotes with
    clean edges."""
    at = _boundaries(old)
    whole = compound_boundaries(old)
    i1 = bisect.bisect_right(at, edit.start) - 1
    i2 = bisect.bisect_left(at, edit.end)
    for width in range(len(at)):
        for right in [0] if edit.insert else range(width + 1):
            lo, hi = i1 - (width - right), i2 + right
            if lo < 0 or hi >= len(at) or (edit.start == edit.end and (lo == i1 or hi == i2)):
                continue  # an insertion point quoted as a replacement holds a word each side
            if clean and not (
                (lo == i1 or (clean_edge(old[at[lo]]) and at[lo] in whole))
                and (hi == i2 or (clean_edge(old[at[hi] - 1]) and at[hi] in whole))
            ):
                continue  # the words added start or end with kana or a mark, or cut a term
            change = _as_change(old, edit, at[lo], at[hi])
            if good(change, segments):
                return change
    return None


def _tidied(old: str, segments: tuple[str, ...], change: TextChange) -> TextChange | None:
    """``change`` quoted once in ``segments`` with clean edges if it can be, else once."""
    edit = _core(old, change)
    if good(change, segments) and change == _as_change(old, edit, edit.start, edit.end):
        return change  # quotes only what changed
    ways = [edit]
    if edit.insert:  # else the words on both sides of the insertion point, replaced
        ways.append(_Edit(edit.end, edit.end, edit.new))
    for clean in (True, False):
        for way in ways:
            found = _widened(old, segments, way, clean)
            if found is not None:
                return found
    return change if good(change, segments) else None


def segment_quotes(segments: tuple[str, ...], index: int, new: str) -> list[TextChange] | None:
    """The quoted changes that turn ``segments[index]`` into ``new``, every quote found
    once in ``segments`` (the unit); None when none can be (the caller rewrites)."""
    old = segments[index]
    try:
        changes: list[TextChange] | None = diff_segment(old, new, WORDS)
    except QuoteError:
        changes = None
    if changes is not None:
        tidied = [_tidied(old, segments, change) for change in changes]
        found = [change for change in tidied if change is not None]
        if len(found) == len(tidied) and _apart(old, found):
            return found
    whole = TextChange("replace", old, new)
    return [whole] if good(whole, segments) else None


def _apart(old: str, changes: list[TextChange]) -> bool:
    """Whether the quotes of ``changes`` neither overlap nor touch at one insertion point
    in ``old`` (the engine applies them together)."""
    spans = []
    for change in changes:
        start = old.find(change.old)
        end = start + len(change.old)
        spans.append((end, end) if change.kind == "insert" else (start, end))
    spans.sort()
    return all(a[1] <= b[0] and a != b for a, b in itertools.pairwise(spans))
