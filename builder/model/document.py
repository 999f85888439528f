"""The page model every writer renders: a document is metadata plus a list of blocks.

``builder.documents.compose`` decides what goes into each document (consolidated notice, cover
notice, distribution letter …); the writers in ``builder.render`` only lay blocks out, so
the text, Word and PDF forms of one document always carry the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from builder.model.notice import Contact, FormRef, Item, Table

if TYPE_CHECKING:  # builder.forms imports the writers, which import this module
    from builder.model.form import Form


@dataclass(frozen=True)
class HeaderLines:
    """Top-right block: 文書番号 and date, or the history block of a consolidated text.
    Each line is (label, text); the label column is empty except for 「一部改正」."""

    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AddresseeLine:
    """To whom: 「各都道府県知事　殿」 (left)."""

    text: str


@dataclass(frozen=True)
class SenderLines:
    """From whom, with 「（公印省略）」 under it (right)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Title:
    """件名 (centred)."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph with a one-character 字下げ."""

    text: str


@dataclass(frozen=True)
class Centered:
    """A centred word: 「記」."""

    text: str


@dataclass(frozen=True)
class Items:
    """Numbered items under 記 (1. → (1) → ① → ・), with hanging indents."""

    items: tuple[Item, ...]


@dataclass(frozen=True)
class AmendmentSentence:
    """One 改め文 sentence, and the new text that follows it, indented."""

    text: str
    block: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactBlock:
    """【担当者】/【照会先】 and its lines (bottom right)."""

    contact: Contact


@dataclass(frozen=True)
class AttachmentStart:
    """A new page with the attachment label 「（別添1）」 and its title."""

    id: str
    label: str
    title: str = ""


@dataclass(frozen=True)
class TableBlock:
    """A table attachment: header rows repeated on each page, a row per label, cells of
    lines, then its note. ``folded``: the rows in two column pairs side by side, the first
    half of the rows on the left, each row one cell of one line that breaks only after
    「、」 (how 別添1, the area-table profile, is printed:
    ``builder.engine.tabular.printed_table``)."""

    table: Table
    folded: bool = False


@dataclass(frozen=True)
class FormBlock:
    """A form attachment (別添2 様式例) shown in print layout: the blank form when it is
    loaded (``fields``), else a line naming it."""

    form: FormRef
    title: str
    fields: Form | None = None


@dataclass(frozen=True)
class MemberList:
    """A list of addressees under a label: 「（別記）」 then one organisation per line."""

    label: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class ComparisonBlock:
    """新旧対照表: one row per changed unit, the left and right columns as headed, changed
    runs underlined (``builder.engine.compare.MarkedLine``: runs of (text, changed))."""

    left_heading: str
    right_heading: str
    rows: tuple[ComparisonRowView, ...]
    note: str


@dataclass(frozen=True)
class ComparisonRowView:
    """One row of a 新旧対照表 as laid out: context, left lines, right lines."""

    context: str
    left: tuple[tuple[tuple[str, bool], ...], ...]
    right: tuple[tuple[tuple[str, bool], ...], ...]


Block = (
    HeaderLines
    | AddresseeLine
    | SenderLines
    | Title
    | Paragraph
    | Centered
    | Items
    | AmendmentSentence
    | ContactBlock
    | AttachmentStart
    | TableBlock
    | FormBlock
    | MemberList
    | ComparisonBlock
)


@dataclass(frozen=True)
class Document:
    """One output document: ``name`` (file stem), metadata and blocks."""

    name: str
    title: str
    number: str
    blocks: tuple[Block, ...]


TIGHT: Final = (Paragraph, AmendmentSentence)
"""Consecutive blocks of these kinds (paragraphs, 改め文 sentences) follow each other with
no blank line between them."""


def gap_before(previous: Block | None, block: Block) -> bool:
    """Whether a blank line separates ``block`` from the ``previous`` one: the one rule of
    block spacing, which every writer follows (none before the first block, none between
    two blocks of a :data:`TIGHT` kind)."""
    return previous is not None and not (type(block) is type(previous) and isinstance(block, TIGHT))
