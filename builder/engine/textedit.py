"""Quoted-text edits inside one unit: finding quotes, applying edits, and turning a
before/after pair of texts into the fewest readable quoted changes.

A unit's text is a tuple of *segments* (its title, paragraphs, lines or row text); a
quote never spans two segments. Quotes in one 改め文 refer to the text before the
amendment, so all edits of one unit are located first and applied together.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from builder.engine.textform import INDENT
from builder.japanese.words import quote_words
from builder.model.notice import TextChange


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``start:end`` of segment ``segment``."""

    segment: int
    start: int
    end: int


class QuoteError(ValueError):
    """A quote that is missing, or found more than once, in its unit."""


def find_all(segments: Sequence[str], quote: str) -> list[Span]:
    """Every occurrence of ``quote`` (overlapping ones too) across ``segments``."""
    found: list[Span] = []
    for index, text in enumerate(segments):
        start = text.find(quote)
        while start != -1:
            found.append(Span(index, start, start + len(quote)))
            start = text.find(quote, start + 1)
    return found


def locate(
    segments: Sequence[str], quote: str, describe: Callable[[int], str], unit_name: str
) -> Span:
    """The one occurrence of ``quote``; ``QuoteError`` naming each position otherwise."""
    if not quote:
        raise QuoteError(f"the quoted text is empty; quote the characters to change in {unit_name}")
    found = find_all(segments, quote)
    if not found:
        for index in range(len(segments) - 1):
            joined = segments[index] + segments[index + 1]
            start = joined.find(quote)
            if start != -1 and start < len(segments[index]) < start + len(quote):
                raise QuoteError(
                    f"「{quote}」 runs from {describe(index)} into {describe(index + 1)} of "
                    f"{unit_name}; a quote stays inside one paragraph (or line): make it two "
                    "changes, one in each"
                )
        raise QuoteError(
            f"「{quote}」 is not in {unit_name}; check the quote character by character "
            "(full/half width, old and new kanji forms) against the version in force"
        )
    if len(found) > 1:
        places = "、".join(f"{describe(s.segment)}の{s.start + 1}文字目" for s in found)
        raise QuoteError(
            f"「{quote}」 occurs {len(found)} times in {unit_name} ({places}); "
            "quote more of the surrounding text so that it occurs once"
        )
    return found[0]


@dataclass(frozen=True)
class Edit:
    """Replace the characters of ``span`` with ``text`` (an insertion when the span is empty)."""

    span: Span
    text: str


def edit_for(change: TextChange, span: Span) -> Edit:
    """The edit a located text change makes: inserts go after their anchor."""
    if change.kind == "insert":
        return Edit(Span(span.segment, span.end, span.end), change.new)
    if change.kind == "delete":
        return Edit(span, "")
    return Edit(span, change.new)


def apply_edits(segments: Sequence[str], edits: Sequence[Edit]) -> tuple[str, ...]:
    """Apply non-overlapping edits (raises ``QuoteError`` when two touch the same text)."""
    ordered = sorted(edits, key=lambda e: e.span)
    for first, second in itertools.pairwise(ordered):
        same_segment = first.span.segment == second.span.segment
        if same_segment and (
            second.span.start < first.span.end
            or (second.span.start == first.span.end == first.span.start == second.span.end)
        ):
            raise QuoteError(
                "two changes in one unit touch the same text; combine them into one change"
            )
    result = list(segments)
    for edit in reversed(ordered):
        text = result[edit.span.segment]
        result[edit.span.segment] = text[: edit.span.start] + edit.text + text[edit.span.end :]
    return tuple(result)


# --------------------------------------------------------------------------- generating quotes


def tokens(text: str) -> list[str]:
    """``text`` cut into the words a quote takes and a change is marked on: each
    full-width space of its indent, then its words (``builder.japanese.words.quote_words``:
    the analyser's words, a number with its counter, a run of hiragana whole, no space at
    a word's edge), so that a diff never quotes or marks a fragment of a word."""
    rest = text.lstrip(INDENT)
    return [*text[: len(text) - len(rest)], *quote_words(rest)]


def _boundaries(token_list: Sequence[str]) -> list[int]:
    return list(itertools.accumulate(map(len, token_list), initial=0))


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b``."""
    low, high = 0, min(len(a), len(b))
    while low < high:  # a[:low] == b[:low] and a[:high + 1] != b[:high + 1]
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class _Matcher(difflib.SequenceMatcher[str]):
    """``difflib.SequenceMatcher`` without junk, giving exactly its answers, faster when
    the longest block of a range is its common prefix or suffix (a row of 200 areas with
    one area changed: difflib's own search visits every pair of 「、」, n² per call).

    Each distinct token is coded as one character, so that blocks can be compared as
    string slices. ``find_longest_match`` keeps difflib's definition: the longest block,
    then the one starting earliest in ``a``, then earliest in ``b``; whenever the quick
    argument does not settle it, difflib's own search runs.
    """

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        self._tokens = (a, b)
        super().__init__(None, a, b, autojunk=False)
        distinct = dict.fromkeys(itertools.chain(a, b))
        codes = {token: chr(0x10000 + i) for i, token in enumerate(distinct)}  # no surrogates
        self._coded = ("".join(map(codes.__getitem__, a)), "".join(map(codes.__getitem__, b)))

    def set_seq2(self, b: Sequence[str]) -> None:
        """As difflib's, without indexing all of ``b``: a search that difflib must do
        indexes only its range."""
        self.b = b
        self.matching_blocks = self.opcodes = None
        self.fullbcount = None

    def _difflib_search(self, alo: int, ahi: int, blo: int, bhi: int) -> difflib.Match:
        """difflib's own search over the range only (the same answer: without junk, its
        search never looks outside the range)."""
        a, b = self._tokens
        local = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        i, j, k = local.find_longest_match(0, ahi - alo, 0, bhi - blo)
        return difflib.Match(alo + i, blo + j, k)

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> difflib.Match:
        ahi = len(self._coded[0]) if ahi is None else ahi
        bhi = len(self._coded[1]) if bhi is None else bhi
        a, b = self._coded[0][alo:ahi], self._coded[1][blo:bhi]
        prefix = _common_prefix(a, b)
        suffix = _common_prefix(a[::-1], b[::-1])
        size = max(prefix, suffix)
        if size == 0:
            if set(a).isdisjoint(b):
                return difflib.Match(alo, blo, 0)
            return self._difflib_search(alo, ahi, blo, bhi)
        if size < min(len(a), len(b)):
            longer = {b[j : j + size + 1] for j in range(len(b) - size)}
            if any(a[i : i + size + 1] in longer for i in range(len(a) - size)):
                return self._difflib_search(alo, ahi, blo, bhi)
        # no block is longer than ``size``: the answer is the first block of that size
        if prefix == size:
            return difflib.Match(alo, blo, size)
        first: dict[str, int] = {}
        for j in range(len(b) - size + 1):
            first.setdefault(b[j : j + size], j)
        for i in range(len(a) - size + 1):
            j = first.get(a[i : i + size], -1)
            if j >= 0:
                return difflib.Match(alo + i, blo + j, size)
        raise AssertionError("the common suffix is a block")


def diff_segment(
    old: str, new: str, tokenize: Callable[[str], list[str]] = tokens
) -> list[TextChange]:
    """The quoted changes that turn ``old`` into ``new`` (one segment), each quote unique in
    ``old``, found on word boundaries and widened with neighbouring words when needed."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    old_at, new_at = _boundaries(old_tokens), _boundaries(new_tokens)
    matcher = _Matcher(old_tokens, new_tokens)
    hunks = [op[1:] for op in matcher.get_opcodes() if op[0] != "equal"]
    while True:
        changes = [
            _quoted(old, old_tokens, old_at, i1, i2, new[new_at[j1] : new_at[j2]])
            for i1, i2, j1, j2 in hunks
        ]
        spans = [_span_in(old, change) for change in changes]
        clash = next((k for k in range(len(spans) - 1) if spans[k][1] >= spans[k + 1][0]), None)
        if clash is None:
            return changes
        # widened quotes of neighbouring hunks meet: make the two hunks one change
        first, second = hunks[clash], hunks[clash + 1]
        hunks[clash : clash + 2] = [(first[0], second[1], first[2], second[3])]


def _span_in(old: str, change: TextChange) -> tuple[int, int]:
    start = old.find(change.old)
    if change.kind == "insert":
        return (start + len(change.old), start + len(change.old))
    return (start, start + len(change.old))


def _unique(text: str, quote: str) -> bool:
    return bool(quote) and len(find_all([text], quote)) == 1


def _quoted(
    old: str, old_tokens: Sequence[str], at: Sequence[int], i1: int, i2: int, replacement: str
) -> TextChange:
    """One edit of tokens ``i1:i2`` as a TextChange whose quote is unique in ``old``."""
    if i1 == i2:
        anchored = _anchored_insert(old, at, at[i1], replacement)
        if anchored is not None:
            return anchored
    else:
        quote = old[at[i1] : at[i2]]
        if _unique(old, quote):
            if replacement:
                return TextChange("replace", quote, replacement)
            return TextChange("delete", quote)
    for width in range(1, len(old_tokens) + 1):  # widen with context, the left side first
        for right in range(width + 1):
            left = width - right
            lo, hi = i1 - left, i2 + right
            if lo < 0 or hi > len(old_tokens):
                continue
            quote = old[at[lo] : at[hi]]
            if _unique(old, quote):
                new_text = old[at[lo] : at[i1]] + replacement + old[at[i2] : at[hi]]
                return TextChange("replace", quote, new_text)
    raise QuoteError("no unique quote for a change; the unit repeats itself")


def _anchored_insert(old: str, at: Sequence[int], point: int, text: str) -> TextChange | None:
    """「anchor」の下に「text」を加える, with the anchor ending at the insertion point and
    widened leftwards on word boundaries. An insertion may slide over text equal to its own
    ends (inserting 「、中部」 after 「東部」 is inserting 「中部、」 after 「東部、」), which
    often gives a shorter, unique anchor."""
    candidates = [(point, text)]
    for k in range(1, len(text) + 1):
        if old[point : point + k] == text[:k]:
            candidates.append((point + k, text[k:] + text[:k]))
    boundaries = set(at)
    for position, inserted in candidates:
        if position not in boundaries:
            continue
        for start in sorted((b for b in boundaries if b < position), reverse=True):
            anchor = old[start:position]
            if _unique(old, anchor):
                return TextChange("insert", anchor, inserted)
    return None
