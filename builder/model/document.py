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


MarkedLine = tuple[tuple[str, bool], ...]
"""A line of a 新旧対照表 as runs of (text, changed): a changed run is underlined (傍線)."""


@dataclass(frozen=True)
class ComparisonTableRow:
    """A row of a table fragment in one column of a 新旧対照表: its cells (the label first),
    each of marked lines; ``omitted``: a 「（略）」 row standing for rows left out."""

    cells: tuple[tuple[MarkedLine, ...], ...]
    omitted: bool = False


OMITTED = "（略）"
"""What stands for the text left out of a 新旧対照表 (a unit, a run of units, or rows)."""


@dataclass(frozen=True)
class ComparisonTable:
    """A table attachment's fragment in one column of a 新旧対照表, as MHLW reproduces it:
    the table's header rows (each cell one marked line), the changed rows, and a
    「（略）」 row for each run of rows left out before, between and after them."""

    header: tuple[tuple[MarkedLine, ...], ...]
    rows: tuple[ComparisonTableRow, ...]


ComparisonPiece = MarkedLine | ComparisonTable
"""What one column of a 新旧対照表 part holds: lines (unit labels, text, 「（略）」) and
table fragments."""


@dataclass(frozen=True)
class ComparisonRowView:
    """One part of a 新旧対照表, side by side: the left column's pieces and the right's
    (each column in the version it is headed with; a side may be empty)."""

    left: tuple[ComparisonPiece, ...]
    right: tuple[ComparisonPiece, ...]


@dataclass(frozen=True)
class ComparisonBlock:
    """新旧対照表 in MHLW form: the heading citing the notice (「○「件名」（…通知）（抄）」),
    the note 「（傍線部分は改正部分）」 flush right, then a two-column table headed
    ``left_heading`` | ``right_heading`` whose rows are the parts (``rows``): in each
    column its own unit labels, its changed text with the changed runs underlined,
    「（略）」 for what is left out, and table fragments (``ComparisonTable``)."""

    heading: str
    note: str
    left_heading: str
    right_heading: str
    rows: tuple[ComparisonRowView, ...]


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
    """One output document: ``name`` (file stem), metadata and blocks; ``properties``
    (name, text) identify it where a format can carry them (a .docx's custom properties:
    the notice and the version a consolidated text is of, which ``amend-from`` checks)."""

    name: str
    title: str
    number: str
    blocks: tuple[Block, ...]
    properties: tuple[tuple[str, str], ...] = ()


TIGHT: Final = (Paragraph, AmendmentSentence)
"""Consecutive blocks of these kinds (paragraphs, 改め文 sentences) follow each other with
no blank line between them."""


def gap_before(previous: Block | None, block: Block) -> bool:
    """Whether a blank line separates ``block`` from the ``previous`` one: the one rule of
    block spacing, which every writer follows (none before the first block, none between
    two blocks of a :data:`TIGHT` kind)."""
    return previous is not None and not (type(block) is type(previous) and isinstance(block, TIGHT))
