"""Which characters a source may contain: one rule for every string read from a source.

Official text must be exactly what the drafter sees, so characters that are invisible,
that change how text is shown without changing what it says, or that make two
different strings look alike, are **refused** with their position, code point and
name, never silently normalised (a silent change would make the documents differ from
the source the drafter reviewed, and normalising could merge two names the drafter
meant to keep apart).

===========================================  ============================================
characters                                   decision
===========================================  ============================================
C0 controls U+0000–U+001F, DEL U+007F,       refused (a raw one in the file, or written as
C1 controls U+0080–U+009F (NEL U+0085)       a YAML escape ``"\\0" "\\a" "\\e" "\\N"``).
                                             Exceptions: LF ends lines (in printed text a
                                             line break is refused by ``sources``, in
                                             free notes such as ``provenance`` it is
                                             kept); a raw tab is YAML's business (refused
                                             as indentation, allowed in comments), a tab
                                             inside a value is refused.
line/paragraph separators U+2028, U+2029     refused (YAML counts them as line breaks,
                                             editors mostly do not).
format characters (category Cf): bidi        refused: invisible; bidi controls reorder
controls U+061C, U+200E/F, U+202A–U+202E,    what is shown, zero-width characters make
U+2066–U+2069; zero-width U+200B–U+200D,     two names that look the same differ.
U+2060–U+2064, U+FEFF inside the text (a
leading BOM is removed when the file is
decoded); soft hyphen U+00AD; tags
variation selectors U+FE00–U+FE0F,           refused: the documents cannot show the
U+E0100–U+E01EF, U+180B–U+180D, U+180F       variant, and a name with one is a twin of
                                             the name without.
other combining marks (categories Mn, Mc,    refused, with the composed character to
Me), e.g. か + U+3099 (NFD of が)             write instead where NFC has one.
text not in NFC (without combining marks:    refused, naming the NFC form to write.
e.g. U+212B ANGSTROM SIGN, Hangul jamo)
CJK compatibility ideographs U+F900–U+FAFF,  accepted as written: NFC would replace
U+2F800–U+2FA1F                              many of them by their unified twin, which
                                             is a different character in JIS X 0213;
                                             the NFC check skips them.
space separators other than U+0020 and       refused (NBSP, en/em spaces, U+202F,
U+3000                                       U+205F look like a space but are not one).
surrogates, private use (外字),               refused: no font of the documents has
unassigned code points                       them, or they are not characters.
===========================================  ============================================

:func:`first_problem` says what is wrong with one string; :func:`raw_problems` finds
every refused character written raw in a file's text (with its line and column as an
editor counts them, before YAML parsing, because YAML counts NEL, U+2028/2029 and CR as
line breaks and its positions would be off). :mod:`builder.sources.yamlsafe` applies both to
every source, so notices, amendments, lists and forms are all covered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Final

__all__ = ["char_message", "first_problem", "raw_problems", "yaml_refuses"]

_C0_NAMES: Final = tuple(
    "NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI "  # noqa: SIM905
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US".split()
)

_VARIATION_SELECTORS: Final = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")
_COMPATIBILITY_IDEOGRAPHS: Final = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")
_BIDI: Final = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_SPACES_ALLOWED: Final = frozenset(" \u3000")

_YAML_REFUSES: Final = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""The characters PyYAML's reader refuses itself (its own message says so)."""

_accepted: set[str] = set()
"""Characters found acceptable on their own (a cache: most texts are checked with one
set operation)."""


def yaml_refuses(character: str) -> bool:
    """True if the YAML reader refuses ``character`` written raw (and says so itself)."""
    return _YAML_REFUSES.match(character) is not None


def _name(character: str) -> str:
    code = ord(character)
    if code < 0x20:
        return f"control character {_C0_NAMES[code]}"
    if code == 0x7F:
        return "control character DEL"
    if code == 0x85:
        return "control character NEL, NEXT LINE"
    if 0x80 <= code < 0xA0:
        return "C1 control character"
    unnamed = {"Co": "private use", "Cs": "surrogate", "Cn": "unassigned"}
    return unicodedata.name(character, unnamed.get(unicodedata.category(character), "no name"))


def _shown(character: str) -> str:
    return f"U+{ord(character):04X} ({_name(character)})"


def char_message(character: str, previous: str = "") -> str | None:
    """Why ``character`` (after ``previous``, the character before it, if any) may not
    be in a source, or None if it may."""
    if character == "\n":
        return None
    shown = f"character {_shown(character)}"
    category = unicodedata.category(character)
    if character == "\t":
        return f"{shown} inside a value: write spaces, or U+3000 for full-width spacing"
    if category == "Cc":
        return f"{shown} is a control character, which has no place in a notice; remove it"
    if category in ("Zl", "Zp"):
        return (
            f"{shown} is a line break that YAML and editors do not agree on; "
            "write each paragraph on one line without it"
        )
    if character in _BIDI:
        return (
            f"{shown} is an invisible bidirectional control: it changes how the text is "
            "shown, not what it says; remove it"
        )
    if _VARIATION_SELECTORS.match(character):
        return (
            f"{shown} selects a glyph variant that the documents cannot show, and makes a "
            "look-alike of the text without it; write the character without it"
        )
    if character in _ZERO_WIDTH or category == "Cf":
        return f"{shown} is invisible: text with it looks the same as text without it; remove it"
    if category in ("Mn", "Mc", "Me"):
        composed = unicodedata.normalize("NFC", previous + character) if previous else ""
        if previous and len(composed) == 1:
            return (
                f"{shown} after 「{previous}」 is a decomposed character (not NFC); "
                f"write 「{composed}」 as one character"
            )
        return (
            f"{shown} is a combining mark that draws on the character before it; "
            "write a precomposed character, or remove it"
        )
    if category == "Zs" and character not in _SPACES_ALLOWED:
        return (
            f"{shown} looks like a space but is another character; write an ASCII space "
            "or U+3000 (全角スペース)"
        )
    if category == "Cs":
        return f"{shown} is half of a surrogate pair, not a character; remove it"
    if category == "Co":
        return (
            f"{shown} is a private-use character (外字): no font of the documents has it; "
            "write a standard character"
        )
    if category == "Cn":
        return f"{shown} is not an assigned Unicode character; remove it"
    return None


def _not_nfc(text: str) -> tuple[int, str] | None:
    """(index, message) of the first place where ``text`` (its CJK compatibility
    ideographs left aside) is not in NFC, or None."""
    for piece in re.finditer(f"[^{_COMPATIBILITY_IDEOGRAPHS.pattern[1:-1]}]+", text):
        part = piece.group()
        if unicodedata.is_normalized("NFC", part):
            continue
        for end in range(1, len(part) + 1):
            start = max(0, end - 2)
            window = part[start:end]
            if not unicodedata.is_normalized("NFC", window):
                index = piece.start() + start
                fixed = unicodedata.normalize("NFC", window)
                return index, (
                    f"「{window}」 ({', '.join(f'U+{ord(c):04X}' for c in window)}) is not in "
                    f"normal form NFC; write 「{fixed}」 "
                    f"({', '.join(f'U+{ord(c):04X}' for c in fixed)})"
                )
    return None


def first_problem(text: str, start: int = 0) -> tuple[int, str] | None:
    """(index in ``text``, message) of the first refused character of ``text`` from
    index ``start`` on, or None."""
    rest = text[start:] if start else text
    if not set(rest) <= _accepted:
        for index in range(start, len(text)):
            character = text[index]
            if character in _accepted:
                continue
            message = char_message(character, text[index - 1] if index else "")
            if message is not None:
                return index, message
            _accepted.add(character)
    if not rest.isascii() and not unicodedata.is_normalized("NFC", rest):
        found = _not_nfc(rest)
        if found is not None:
            return found[0] + start, found[1]
    return None


def raw_problems(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) of every refused character written raw in ``text`` (a
    whole decoded file), with lines ended by LF only as editors count them. Tabs, and
    what the YAML reader refuses itself, are left to the YAML parser; a CR not followed
    by LF is refused (CRLF was made LF when the file was decoded)."""
    if set(text) <= _accepted and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return
    for line_number, line in enumerate(text.split("\n"), start=1):
        column = 0
        while column < len(line):
            found = first_problem(line, column)
            if found is None:
                break
            index, message = found
            character = line[index]
            if character != "\t" and not yaml_refuses(character):
                if character == "\r":
                    message = (
                        "a carriage return (CR) not followed by a line feed; save the file "
                        "with LF or CRLF line ends"
                    )
                yield line_number, index + 1, message
            column = index + 1
