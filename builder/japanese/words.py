"""Where a quote may begin and end: the word boundaries of Japanese text.

A 改め文 quotes whole words or phrases, never part of a word and never a bare number
without its counter (「2024年度」, not 「2024」). The words come from SudachiPy with its
core dictionary, split mode C (the longest units the dictionary knows: 技術的, 兵庫県,
地域医療計画課), chosen over fugashi + unidic-lite and Janome for a maintained
dictionary and its measured accuracy on this project's text (README, Dependencies).
On top of the analyser's tokens four rules glue what a drafter never separates:

* a prefix to what follows (「第」「2号」 → 「第2号」);
* a suffix to what precedes (「財政」「的」 → 「財政的」, 「設定」「等」 → 「設定等」);
* a number to the counter or noun after it (「2024」「年度」, 「3」「月」, 「100」「床」) and
  to the number after it (「0327」), and an era to its year (「令和」「7年」);
* 文書番号 (「医政発0327第2号」) and the caller's *atoms*, names the dictionary cannot know
  (an area 「能代・山本」, the mark 「（●）」), are words: a boundary before and after each
  occurrence, none inside.

For quoting, :func:`quote_words` adds two rules of its own: a run of hiragana is one word
(a quote is never a bare particle) and a space is never at a word's edge. Both the quotes
of ``amend-from`` (``builder.drafting.quotes``) and the 新旧対照表's marks (傍線,
``builder.engine.compare``) cut text with it, so a marked run is what a quote would hold.

The analyser loads once per process, on first use (about 0.3 s,
``bench/word_analysers.py``): only the commands that choose quotes or mark a changed line
of text run it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["compound_boundaries", "hiragana", "quote_words", "word_boundaries", "words"]

_MAX_BYTES = 40_000
"""SudachiPy refuses one input over 49,149 bytes; longer text is read in pieces."""
_ERAS = frozenset({"令和", "平成", "昭和", "大正", "明治"})
_DOCUMENT_NUMBER = re.compile(r"[\u3400-\u9fff]{1,8}[0-9]{4}第[0-9]+号")
"""A 文書番号 as printed (``builder.japanese.docnumber``): the analyser splits it oddly."""


@functools.cache
def _tokenizer() -> Any:
    from sudachipy import dictionary  # type: ignore[import-untyped]

    return dictionary.Dictionary(dict="core").tokenizer()


@functools.cache
def _mode_c() -> Any:
    from sudachipy import tokenizer

    return tokenizer.Tokenizer.SplitMode.C


def _pieces(text: str) -> Iterable[tuple[int, str]]:
    """``text`` in pieces SudachiPy accepts, cut after 「。」 or a line end, with offsets."""
    if len(text.encode("utf-8")) <= _MAX_BYTES:
        yield 0, text
        return
    start = 0
    piece = ""
    for part in re.split(r"(?<=[。\n])", text):
        if piece and len((piece + part).encode("utf-8")) > _MAX_BYTES:
            yield start, piece
            start += len(piece)
            piece = ""
        piece += part
    if piece:
        yield start, piece


def _tokens(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    found = []
    for offset, piece in _pieces(text):
        for morpheme in _tokenizer().tokenize(piece, _mode_c()):
            found.append(
                (offset + morpheme.begin(), offset + morpheme.end(), morpheme.part_of_speech())
            )
    return found


def _glued(
    before: tuple[int, int, tuple[str, ...]], after: tuple[int, int, tuple[str, ...]], text: str
) -> bool:
    """Whether no quote may begin or end between two neighbouring tokens."""
    pos_before, pos_after = before[2], after[2]
    if pos_before[0] == "接頭辞" or pos_after[0] == "接尾辞":
        return True
    if pos_before[1] == "数詞":
        return pos_after[0] == "名詞"
    return text[before[0] : before[1]] in _ERAS and pos_after[1] == "数詞"


def _nominal(token: tuple[int, int, tuple[str, ...]]) -> bool:
    return token[2][0] in ("名詞", "接尾辞", "接頭辞")


@functools.lru_cache(maxsize=4096)
def _boundaries(text: str, atoms: tuple[str, ...], compounds: bool = False) -> frozenset[int]:
    tokens = _tokens(text)
    cuts = {0, len(text)}
    for before, after in itertools.pairwise(tokens):
        if compounds and _nominal(before) and _nominal(after):
            continue
        if not _glued(before, after, text):
            cuts.add(after[0])
    spans = [m.span() for m in _DOCUMENT_NUMBER.finditer(text)]
    spans += [m.span() for atom in atoms if atom for m in re.finditer(re.escape(atom), text)]
    for start, end in spans:
        cuts.difference_update(range(start + 1, end))
    for start, end in spans:
        cuts.update((start, end))
    return frozenset(cuts)


def word_boundaries(text: str, atoms: Iterable[str] = ()) -> frozenset[int]:
    """The offsets in ``text`` where a quote may begin or end (0 and ``len(text)``
    included): between words, never inside an atom."""
    return _boundaries(text, tuple(sorted(set(atoms))))


def compound_boundaries(text: str, atoms: Iterable[str] = ()) -> frozenset[int]:
    """The word boundaries of ``text`` that do not fall inside a compound noun (a run of
    nouns and affixes: 「区域対応方針」, 「地域医療構想」): where a quote widened for
    context may end, so that it takes a term whole."""
    return _boundaries(text, tuple(sorted(set(atoms))), compounds=True)


def words(text: str, atoms: Iterable[str] = ()) -> list[str]:
    """``text`` cut at its word boundaries."""
    cuts = sorted(word_boundaries(text, atoms))
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def hiragana(character: str) -> bool:
    """Whether ``character`` is a hiragana (a particle's or an ending's letter)."""
    return "\u3041" <= character <= "\u309f"


def quote_words(text: str) -> list[str]:
    """How a paragraph is cut into words for quoting and for marking a change: the
    analyser's words with the glue rules above (「2024年度」 is one word, never 「2024」), a
    run of hiragana kept as one word (a quote is never a bare particle: 「したので」, not
    「ので」), and a space never at a word's edge (a quote never starts or ends with one)."""
    cuts = [
        p
        for p in sorted(word_boundaries(text))
        if p in (0, len(text))
        or not (
            (hiragana(text[p - 1]) and hiragana(text[p]))
            or text[p - 1].isspace()
            or text[p].isspace()
        )
    ]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]
