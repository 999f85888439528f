"""The format-neutral document model: notices, their units, amendments and changes.

Everything is immutable (frozen dataclasses, tuples) so that consolidation can share
unchanged parts between versions and every writer sees exactly one state. Readers
(``builder.sources.project``) build the model; writers (``builder.render``) consume it; neither
knows about the other.

Vocabulary (after the e-Gov 法令標準XML names where one exists):

* ``Notice``     a 通知 or 事務連絡: metadata, 前文 paragraphs, 記 items, contact block,
                 attachments.
* ``Item``       a numbered unit under 記 (1. → (1) → ① → ・), with an optional title,
                 paragraphs and sub-items.
* ``AreaTable``  別添1, the area-table profile of a table (its data in
                 :mod:`builder.model.area_table`, its rules in
                 :mod:`builder.engine.area_profile`).
* ``Table``      a generic table (別添3): header rows, ``TableRow`` s keyed by their
                 label, cells of lines, a note.
* ``FormRef``    an attachment that is a 様式 kept in ``forms/``.
* ``Amendment``  a 一部改正: number, date, the notice it amends, its distribution letter
                 and its ``Change`` list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from builder.core.positions import SourcePos as SourcePos  # defined there, re-exported
from builder.model.area_table import AreaRow, AreaTable

if TYPE_CHECKING:
    from builder.model.form import Form

# --------------------------------------------------------------------------- notice body


@dataclass(frozen=True)
class Item:
    """A numbered unit under 記: label (``1.``, ``(1)``, ``①``, ``・``), optional title,
    paragraphs, then sub-items."""

    label: str
    title: str | None = None
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class TableRow:
    """One row of a generic table: its label (the first column, cited as 「国の項」) and
    one cell per further column, each cell a tuple of lines (empty: an empty cell)."""

    label: str
    cells: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Table:
    """A generic table attachment (別添3): a title, header rows (the first column is the
    rows' labels), rows and a note."""

    id: str
    title: str
    header: tuple[tuple[str, ...], ...]
    rows: tuple[TableRow, ...]
    note: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """The column headings: the last header row."""
        return self.header[-1] if self.header else ()

    def row(self, label: str) -> TableRow | None:
        """The row whose label is ``label``, or None."""
        return next((row for row in self.rows if row.label == label), None)


@dataclass(frozen=True)
class FormRef:
    """An attachment that is a form kept in ``forms/`` (別添2 様式例)."""

    id: str
    title: str
    form: str
    pos: SourcePos | None = None


@dataclass(frozen=True)
class TextAttachment:
    """An attachment of plain titled paragraphs and items (a 事務連絡's 別紙)."""

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()


Attachment = AreaTable | Table | FormRef | TextAttachment
TableAttachment = AreaTable | Table
"""An attachment with rows, cited 「別添1 兵庫県の項」."""
Row = AreaRow | TableRow


@dataclass(frozen=True)
class Contact:
    """The 【担当者】/【照会先】 block: a heading and its lines."""

    heading: str
    lines: tuple[str, ...]
    brackets: str = "【】"

    @property
    def label(self) -> str:
        """The heading as printed: 【担当者】 or （照会先）."""
        return f"{self.brackets[0]}{self.heading}{self.brackets[1]}"


@dataclass(frozen=True)
class Addressee:
    """To whom a document goes: a name and its honorific (殿 or 御中)."""

    name: str
    honorific: str = "殿"


@dataclass(frozen=True)
class Decision:
    """A recorded transcription decision: what the seed shows, what the source uses, why."""

    seed: str
    used: str
    why: str


@dataclass(frozen=True)
class Notice:
    """A notice as issued, before any amendment."""

    id: str
    kind: Literal["通知", "事務連絡"]
    number: str | None
    date: dt.date
    addressees: tuple[Addressee, ...]
    sender: str
    seal_omitted: bool
    title: str
    preamble: tuple[str, ...]
    ki: tuple[Item, ...]
    contact: Contact | None
    attachments: tuple[Attachment, ...]
    provenance: str = ""
    decisions: tuple[Decision, ...] = ()
    source: str = ""
    pos: SourcePos | None = None
    field_positions: tuple[tuple[str, SourcePos], ...] = ()

    def where(self, name: str) -> SourcePos | None:
        """Where the top-level key ``name`` was written (falls back to the file start)."""
        return dict(self.field_positions).get(name, self.pos)

    def attachment(self, attachment_id: str) -> Attachment | None:
        """The attachment called ``attachment_id`` (別添1, 別紙 …), or None."""
        for candidate in self.attachments:
            if candidate.id == attachment_id:
                return candidate
        return None


# --------------------------------------------------------------------------- amendments


@dataclass(frozen=True)
class TextChange:
    """A change inside one unit's text.

    ``kind`` is ``replace`` (「old」を「new」に改める), ``insert`` (「old」の下に「new」を加える:
    ``old`` is the anchor, kept) or ``delete`` (「old」を削る).
    """

    kind: Literal["replace", "insert", "delete"]
    old: str
    new: str = ""


@dataclass(frozen=True)
class Rewrite:
    """Rewrite a whole unit (〜を次のように改める); ``unit`` is the new content."""

    unit: Item | Row | tuple[str, ...] | str


@dataclass(frozen=True)
class AddRow:
    """Add rows after the row labelled ``after`` (〜の項の次に次のように加える), or, when
    ``after`` is None, before the row labelled ``before`` (〜の項の前に次のように加える)."""

    after: str | None
    rows: tuple[Row, ...]
    before: str | None = None

    @property
    def anchor(self) -> str:
        """The row the new rows are placed by."""
        anchor = self.after if self.after is not None else self.before
        assert anchor is not None
        return anchor


@dataclass(frozen=True)
class DeleteRow:
    """Delete the addressed row (〜の項を削る)."""


@dataclass(frozen=True)
class AddItems:
    """Add items to the level at the change's address (記, or an item for its sub-items):
    after the item labelled ``after``, first in the level (``first``), or into a level
    that has no items yet. The items that follow are renumbered (繰下げ)."""

    items: tuple[Item, ...]
    after: str | None = None
    first: bool = False


@dataclass(frozen=True)
class DeleteItem:
    """Delete the addressed item (〜を削る); the items that follow are renumbered
    (繰上げ)."""


@dataclass(frozen=True)
class AddParagraphs:
    """Add paragraphs to an item after the addressed paragraph (〜の第1段落の次に次のように
    加える)."""

    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DeleteParagraph:
    """Delete the addressed paragraph of an item (〜の第2段落を削る)."""


@dataclass(frozen=True)
class AreaChange:
    """A structured change to one row of 別添1; the 改め文 follows from its effect.

    ``op`` is ``add`` (new area ``name`` with ``model``, after ``after`` or last),
    ``remove``, ``set_model``, ``clear_model`` or ``rename`` (to ``new_name``).
    """

    op: Literal["add", "remove", "set_model", "clear_model", "rename"]
    name: str
    model: bool = False
    after: str | None = None
    new_name: str | None = None


ChangeBody = (
    TextChange
    | Rewrite
    | AddRow
    | DeleteRow
    | AreaChange
    | AddItems
    | DeleteItem
    | AddParagraphs
    | DeleteParagraph
)


@dataclass(frozen=True)
class Change:
    """One change: where (an address string, see ``builder.engine.address``) and what."""

    at: str
    body: ChangeBody
    pos: SourcePos | None = None


@dataclass(frozen=True)
class Letter:
    """The distribution letter of an amendment: its own number and the 別記 list it goes to."""

    number: str
    distribution_list: str


@dataclass(frozen=True)
class Amendment:
    """A 一部改正 of one notice: issued on ``date``, in force from ``effective`` (its
    適用日; None: from ``date``)."""

    number: str
    date: dt.date
    notice: str
    changes: tuple[Change, ...]
    letter: Letter | None = None
    provenance: str = ""
    decisions: tuple[Decision, ...] = ()
    source: str = ""
    pos: SourcePos | None = None
    field_positions: tuple[tuple[str, SourcePos], ...] = ()
    effective: dt.date | None = None

    @property
    def applies_from(self) -> dt.date:
        """The date the amendment is in force from: its 適用日, or its issue date."""
        return self.effective if self.effective is not None else self.date

    @property
    def order(self) -> tuple[dt.date, dt.date, str]:
        """Amendments apply in this order: by 適用日, then in issue order."""
        return (self.applies_from, self.date, self.number)

    def where(self, name: str) -> SourcePos | None:
        """Where the top-level key ``name`` was written (falls back to the file start)."""
        return dict(self.field_positions).get(name, self.pos)


@dataclass(frozen=True)
class DistributionList:
    """A reusable list of addressees (別記) and how the letter addresses them."""

    id: str
    title: str
    addressee: str
    members: tuple[str, ...]
    pos: SourcePos | None = None


@dataclass(frozen=True)
class FormSource:
    """A form kept in ``forms/``: its identity, and the form itself when the file defines
    one (None: a form still to be designed, only named)."""

    id: str
    title: str
    provenance: str = ""
    source: str = ""
    form: Form | None = None


@dataclass(frozen=True)
class Project:
    """Everything loaded from one source tree."""

    notices: tuple[Notice, ...]
    amendments: tuple[Amendment, ...]
    distribution_lists: tuple[DistributionList, ...] = ()
    forms: tuple[FormSource, ...] = field(default_factory=tuple)

    def distribution_list(self, list_id: str) -> DistributionList | None:
        """The distribution list called ``list_id``, or None."""
        return next((d for d in self.distribution_lists if d.id == list_id), None)

    def notice(self, notice_id: str) -> Notice | None:
        """The notice whose id or number is ``notice_id``, or None."""
        for candidate in self.notices:
            if notice_id in (candidate.id, candidate.number):
                return candidate
        return None

    def amendments_of(self, notice_id: str) -> tuple[Amendment, ...]:
        """The amendments of one notice, in the order they apply (Amendment.order); drafts
        (no changes yet) are left out."""
        found = [a for a in self.amendments if a.notice == notice_id and a.changes]
        return tuple(sorted(found, key=lambda a: a.order))

    def drafts_of(self, notice_id: str) -> tuple[Amendment, ...]:
        """The amendments of one notice that have no changes yet (``changes: []``): kept
        out of every version and document until they have some."""
        found = [a for a in self.amendments if a.notice == notice_id and not a.changes]
        return tuple(sorted(found, key=lambda a: a.order))
