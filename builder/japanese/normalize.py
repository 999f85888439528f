"""Normalisation of what users type (full-/half-width noise, spaces) using jaconv."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import jaconv


def normalize_query(text: str) -> str:
    """Return ``text`` in the form used for comparing user input.

    - full-width ASCII letters, digits and symbols become half-width
      (``０７３１`` → ``0731``, ``ＡＢＣ`` → ``ABC``);
    - half-width katakana becomes full-width (``ｲｾｲ`` → ``イセイ``);
    - every whitespace character (ASCII and the ideographic space U+3000) is removed;
    - the result is in Unicode NFC.

    Kanji, hiragana and full-width katakana are left as they are.
    """
    text = unicodedata.normalize("NFC", text)
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    text = "".join(ch for ch in text if not ch.isspace())
    return unicodedata.normalize("NFC", text)


def matches(query: str, candidate: str) -> bool:
    """Return True if ``query`` and ``candidate`` are equal after :func:`normalize_query`."""
    return normalize_query(query) == normalize_query(candidate)


def best_match(query: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate that ``query`` designates, or None.

    First the candidates equal to ``query`` after normalisation are considered; if
    there is exactly one, it is returned. Otherwise the candidates whose normalised
    form starts with the normalised query are considered; if there is exactly one,
    it is returned. An empty query, no match, or several matches give None.
    """
    wanted = normalize_query(query)
    if not wanted:
        return None
    unique = list(dict.fromkeys(candidates))
    normalised = [(candidate, normalize_query(candidate)) for candidate in unique]

    exact = [candidate for candidate, norm in normalised if norm == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        return None

    prefixed = [candidate for candidate, norm in normalised if norm.startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    return None


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or a fixed-width cell: full-width and wide
    characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "FWA" else 1 for c in text)
