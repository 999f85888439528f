"""Addresses of amendable units, in the form a 改め文 cites them.

Grammar (full-width digits, spaces and parentheses are accepted and normalised)::

    件名                    the title
    前文                    the paragraphs before 記
    記                      the items under 記 as a whole (items are added to it)
    記の1 / 記の1の(2) / 記の1の(2)の①    an item under 記, by its labels
    記の3の(1)の見出し       the 見出し (title) of an item alone
    記の2の第1段落           one paragraph of an item (paragraphs are added after it)
    担当者 (or the contact block's own heading, e.g. 照会先)
    別添1                   an attachment as a whole (rows are added to it)
    別添1 兵庫県の項        one row of a table attachment, by its label

``format_address`` gives the canonical form used in 改め文 (「記の1の(2)」,
「別添1 兵庫県の項」); ``parse_address`` accepts it back, so the two round-trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jaconv

ROW_SEPARATOR = " "
"""Between an attachment and a row in a citation: 「別添1 兵庫県の項」 (as published)."""


@dataclass(frozen=True)
class TitleAddress:
    """件名."""


@dataclass(frozen=True)
class PreambleAddress:
    """前文: the paragraphs before 記."""


@dataclass(frozen=True)
class ItemAddress:
    """An item under 記; ``path`` holds each level's citation label (「1」, 「(2)」, 「①」).
    The empty path is 記 itself: the level of the top items (items are added to it)."""

    path: tuple[str, ...]


@dataclass(frozen=True)
class HeadingAddress:
    """The 見出し of an item alone (「記の3の(1)の見出し」)."""

    path: tuple[str, ...]


@dataclass(frozen=True)
class ParagraphAddress:
    """One paragraph of an item, counted from 1 (「記の2の第1段落」)."""

    path: tuple[str, ...]
    number: int


@dataclass(frozen=True)
class ContactAddress:
    """The contact block, cited by its heading (担当者, 照会先)."""

    heading: str


@dataclass(frozen=True)
class AttachmentAddress:
    """An attachment as a whole (別添1, 別紙)."""

    attachment: str


@dataclass(frozen=True)
class RowAddress:
    """One row of a table attachment, by its label (別添1 兵庫県の項)."""

    attachment: str
    row: str


Address = (
    TitleAddress
    | PreambleAddress
    | ItemAddress
    | HeadingAddress
    | ParagraphAddress
    | ContactAddress
    | AttachmentAddress
    | RowAddress
)


class AddressError(ValueError):
    """An address that cannot be parsed."""


class UnitError(ValueError):
    """An address that names nothing, or an edit that leaves a unit invalid."""


_ATTACHMENT = r"(?:別添|別紙|別記|様式)\d*"
_LEVEL = r"(?:\d+|\(\d+\)|[①-⑳]|[ア-ン]|\([ア-ン]\))"
_ITEM_RE = re.compile(rf"^記((?:の{_LEVEL})*)(の見出し)?$")
_PARAGRAPH_RE = re.compile(rf"^記((?:の{_LEVEL})+)の第(\d+)段落$")
_LEVEL_RE = re.compile(rf"の({_LEVEL})")
_ROW_RE = re.compile(rf"^({_ATTACHMENT})[\s\u3000]*(.+?)(?:の項)?$")
_CONTACT_HEADINGS = ("担当者", "照会先", "問合せ先", "問い合わせ先")


def citation_label(label: str) -> str:
    """The label of an item as cited in an address: 「1.」 → 「1」; others unchanged."""
    return label[:-1] if label.endswith(".") else label


def _normalise(text: str) -> str:
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    return text.strip().replace("\u3000", " ")


def parse_address(text: str) -> Address:
    """Parse an address (see the module docstring); raises ``AddressError`` with a hint."""
    raw = _normalise(text)
    compact = re.sub(r"\s+", "", raw)
    if compact == "件名":
        return TitleAddress()
    if compact in ("前文", "本文"):
        return PreambleAddress()
    if compact in _CONTACT_HEADINGS:
        return ContactAddress(compact)
    match = _PARAGRAPH_RE.match(compact)
    if match and int(match.group(2)) > 0:
        return ParagraphAddress(tuple(_LEVEL_RE.findall(match.group(1))), int(match.group(2)))
    match = _ITEM_RE.match(compact)
    if match:
        path = tuple(_LEVEL_RE.findall(match.group(1)))
        if match.group(2):
            if not path:
                raise AddressError(
                    f"「{text}」: 記 has no 見出し; write the item, as in 記の3の(1)の見出し"
                )
            return HeadingAddress(path)
        return ItemAddress(path)
    if re.fullmatch(_ATTACHMENT, compact):
        return AttachmentAddress(compact)
    match = _ROW_RE.match(raw)
    if match and match.group(2).strip():
        return RowAddress(match.group(1), match.group(2).strip())
    raise AddressError(
        f"cannot read the address 「{text}」; write 前文, 件名, 記, 記の1, 記の1の(2), "
        "記の1の(2)の見出し, 記の2の第1段落, 担当者, 別添1, or a row as 「別添1 兵庫県の項」"
    )


def format_address(address: Address) -> str:
    """The canonical citation of ``address`` as it appears in a 改め文."""
    match address:
        case TitleAddress():
            return "件名"
        case PreambleAddress():
            return "前文"
        case ItemAddress(path):
            return "記" + "".join(f"の{label}" for label in path)
        case HeadingAddress(path):
            return "記" + "".join(f"の{label}" for label in path) + "の見出し"
        case ParagraphAddress(path, number):
            return "記" + "".join(f"の{label}" for label in path) + f"の第{number}段落"
        case ContactAddress(heading):
            return heading
        case AttachmentAddress(attachment):
            return attachment
        case RowAddress(attachment, row):
            return f"{attachment}{ROW_SEPARATOR}{row}の項"
    raise AssertionError(address)
