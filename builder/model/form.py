"""The model of a fillable form (様式): what it says, which fields it has, in reading order.

A :class:`Form` is a header (the form's title and a few labelled fields) and sections
(「【1.…】」 headings), each a list of items (「①…」 lines) whose body is one field, a
fixed table (:class:`Grid`: row heads × columns, e.g. 機能別病床数) or a table of
repeated rows (:class:`Repeat`, e.g. a 工程表). Every writer (.xlsx, .docx, .pdf, print
text) walks this model in the same order, so all formats carry the same words.

Every field has a stable **id** written into each output and read back from returns.
The value of a field is always text, one convention per kind:

===========  ==========================================================================
kind         value
===========  ==========================================================================
text         the text, one line
multiline    the text, lines separated by ``"\\n"``
date         ISO ``YYYY-MM-DD`` (what a user types in 和暦 is read back as ISO)
count        a non-negative whole number in ASCII digits (bed counts), ``"120"``
choice       one option's ``value`` (one-of)
choices      the chosen options' values in option order, joined by 「、」 (several-of)
computed     a whole number computed from two count cells (差し引き (C)-(A)); never typed
===========  ==========================================================================

A several-of field is filled through one control per option, whose id is
``<field id>.<n>`` (n = 1, 2, … in option order): see :meth:`Form.controls`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Never, Protocol, TypeVar

FieldKind = Literal["text", "multiline", "date", "count", "choice", "choices", "computed"]
FIELD_KINDS: tuple[FieldKind, ...] = (
    "text",
    "multiline",
    "date",
    "count",
    "choice",
    "choices",
    "computed",
)
Role = Literal["prefecture", "areas"]

CHOICES_SEPARATOR = "、"
"""Between the chosen values of a several-of field."""

PLACEHOLDER = "\u3000\u3000"
"""What stands in printed text for a field inside a heading: 「（　　時点）」."""

_PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Option:
    """One option of a choice: ``value`` is what is stored (「①」), the printed caption is
    the value followed by ``text`` (「①データの特性だけでは…」)."""

    value: str
    text: str = ""

    @property
    def caption(self) -> str:
        return self.value + self.text


@dataclass(frozen=True)
class Difference:
    """A computed cell: ``minuend`` minus ``subtrahend`` (field ids of count cells)."""

    minuend: str
    subtrahend: str


@dataclass(frozen=True)
class Condition:
    """The field is to be filled only when the several-of field ``field`` includes
    ``includes`` (「3 上記④の具体的な理由」); then it is required (checked when returns
    are ingested), otherwise it should stay blank. Writers do not enforce it."""

    field: str
    includes: str


@dataclass(frozen=True)
class Field:
    """One value a user fills in (or, for ``computed``, one cell computed from others)."""

    id: str
    label: str
    kind: FieldKind
    options: tuple[Option, ...] = ()
    lines: int = 1
    note: str = ""
    role: Role | None = None
    formula: Difference | None = None
    when: Condition | None = None
    required: bool = False
    maximum: int | None = None
    inferred: bool = False
    provenance: str = ""

    @property
    def is_input(self) -> bool:
        """Whether a user fills it (everything but computed cells)."""
        return self.kind != "computed"

    def option(self, value: str) -> Option | None:
        """The option whose value is ``value``."""
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Control:
    """One input control of an output file: a field, or one option of a several-of field
    (``option`` is its 1-based position, and ``id`` is ``<field id>.<option>``)."""

    id: str
    field: Field
    option: int | None = None


@dataclass(frozen=True)
class TableRow:
    """A row head of a :class:`Grid`: 「高度急性期」."""

    id: str
    label: str


@dataclass(frozen=True)
class Column:
    """A column of a table. ``label`` may hold ``{field id}`` for a field printed inside the
    heading (「2025年の予定病床数（{planned_as_of}時点）」); ``width`` is its relative width;
    ``formula`` (computed columns) names two other columns of the same table."""

    id: str
    label: str
    kind: FieldKind
    options: tuple[Option, ...] = ()
    lines: int = 1
    width: int = 1
    formula: tuple[str, str] | None = None
    required: bool = False
    maximum: int | None = None

    def heading_parts(self) -> tuple[str, ...]:
        """The heading split at its fields: even positions are text, odd ones field ids."""
        return tuple(_PLACEHOLDER_RE.split(self.label))

    @property
    def plain_label(self) -> str:
        """The heading as printed on a blank form (a field inside it as 「　　」)."""
        return _PLACEHOLDER_RE.sub(PLACEHOLDER, self.label)


def _cell(table_id: str, row_key: str, row_label: str, column: Column) -> Field:
    formula = None
    if column.formula is not None:
        minuend, subtrahend = column.formula
        formula = Difference(
            f"{table_id}_{row_key}_{minuend}", f"{table_id}_{row_key}_{subtrahend}"
        )
    label = f"{row_label}・{column.plain_label}" if row_label else column.plain_label
    return Field(
        id=f"{table_id}_{row_key}_{column.id}",
        label=label,
        kind=column.kind,
        options=column.options,
        lines=column.lines,
        formula=formula,
        required=column.required,
        maximum=column.maximum,
    )


@dataclass(frozen=True)
class Grid:
    """A fixed table: a header row (``corner`` then the column headings) and one row per
    :class:`TableRow`; cell ``<id>_<row id>_<column id>``. ``heading_fields`` are fields
    printed inside column headings; ``note`` is printed under the table."""

    id: str
    rows: tuple[TableRow, ...]
    columns: tuple[Column, ...]
    corner: str = ""
    note: str = ""
    heading_fields: tuple[Field, ...] = ()

    def cell(self, row: TableRow, column: Column) -> Field:
        return _cell(self.id, row.id, row.label, column)

    def heading_field(self, field_id: str) -> Field:
        return next(f for f in self.heading_fields if f.id == field_id)


@dataclass(frozen=True)
class Repeat:
    """A table of ``count`` blank rows of the same columns (a 工程表); cell
    ``<id>_<n>_<column id>`` for row n = 1 … count."""

    id: str
    count: int
    columns: tuple[Column, ...]

    def cell(self, number: int, column: Column) -> Field:
        return _cell(self.id, str(number), f"{number}", column)


Body = Field | Grid | Repeat
"""What is filled under an item. Every writer dispatches on it through
:func:`visit_body`, so a new kind is an error in each writer that lacks it (mypy, and a
``TypeError`` at run time), never a silent skip."""

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class BodyVisitor(Protocol[T_co]):
    """What a writer does with each kind of :data:`Body`."""

    def body_field(self, field: Field) -> T_co: ...

    def grid(self, grid: Grid) -> T_co: ...

    def repeat(self, repeat: Repeat) -> T_co: ...


def visit_body(body: Body | None, visitor: BodyVisitor[T], empty: T) -> T:
    """``visitor``'s method for the kind of ``body``; ``empty`` for an item without one;
    ``TypeError`` for a kind no method handles."""
    match body:
        case None:
            return empty
        case Field():
            return visitor.body_field(body)
        case Grid():
            return visitor.grid(body)
        case Repeat():
            return visitor.repeat(body)
        case _:
            unknown: Never = body  # mypy: every kind of Body is handled above
            raise TypeError(
                f"a form body of kind {type(unknown).__name__} has no writer in "
                f"{type(visitor).__name__}; add a case for it"
            )


@dataclass(frozen=True)
class Item:
    """A numbered line of a section (「①構想区域の現状」) and what is filled under it."""

    label: str
    title: str
    body: Body | None
    inferred: bool = False
    provenance: str = ""

    @property
    def caption(self) -> str:
        """Label and title as printed: 「①構想区域の現状」, 「1　検討されている…」 (a full-width
        space after an Arabic number, none after a circled one)."""
        if not self.label:
            return self.title
        separator = "\u3000" if self.label.isascii() else ""
        return f"{self.label}{separator}{self.title}"


@dataclass(frozen=True)
class Section:
    """「【1.構想区域のグランドデザイン】」 with its ※ note (printed after it) and items."""

    heading: str
    items: tuple[Item, ...]
    note: str = ""
    inferred: bool = False
    provenance: str = ""


@dataclass(frozen=True)
class Header:
    """The form's title and the labelled fields above the first section."""

    title: str
    fields: tuple[Field, ...]
    inferred: bool = False
    provenance: str = ""


@dataclass(frozen=True)
class Decision:
    """A transcription decision: the seed shows ``seed``, the form uses ``used``."""

    seed: str
    used: str
    why: str


@dataclass(frozen=True)
class Form:
    """One fillable form and its version (written into every output)."""

    id: str
    title: str
    version: str
    header: Header
    sections: tuple[Section, ...]
    provenance: str = ""
    seed: str = ""
    decisions: tuple[Decision, ...] = ()
    source: str = ""

    def fields(self) -> Iterator[Field]:
        """Every field, computed cells included, in reading order."""
        yield from self.header.fields
        for section in self.sections:
            for item in section.items:
                yield from body_fields(item.body)

    def inputs(self) -> Iterator[Field]:
        """Every field a user fills, in reading order."""
        return (f for f in self.fields() if f.is_input)

    def field(self, field_id: str) -> Field:
        """The field ``field_id``; ``KeyError`` naming the known ids if there is none."""
        for candidate in self.fields():
            if candidate.id == field_id:
                return candidate
        known = ", ".join(f.id for f in self.fields())
        raise KeyError(f"form {self.id} has no field {field_id!r} (fields: {known})")

    def controls(self) -> Iterator[Control]:
        """Every input control in reading order: one per field, one per option of a
        several-of field."""
        for item in self.inputs():
            yield from field_controls(item)

    def role_field(self, role: Role) -> Field | None:
        """The field that holds the prefecture (``role: prefecture``) or the areas."""
        return next((f for f in self.fields() if f.role == role), None)


class _Fields:
    """:func:`body_fields` as a :class:`BodyVisitor`."""

    def body_field(self, field: Field) -> Iterator[Field]:
        yield field

    def grid(self, grid: Grid) -> Iterator[Field]:
        yield from grid.heading_fields
        for row in grid.rows:
            for column in grid.columns:
                yield grid.cell(row, column)

    def repeat(self, repeat: Repeat) -> Iterator[Field]:
        for number in range(1, repeat.count + 1):
            for column in repeat.columns:
                yield repeat.cell(number, column)


def body_fields(body: Body | None) -> Iterator[Field]:
    """The fields of an item's body in reading order (a table row by row)."""
    return visit_body(body, _Fields(), iter(()))


def field_controls(field: Field) -> tuple[Control, ...]:
    """The input controls of one field: itself, or one per option of a several-of field."""
    if field.kind == "choices":
        return tuple(
            Control(f"{field.id}.{number}", field, number)
            for number in range(1, len(field.options) + 1)
        )
    return (Control(field.id, field),)


def computed_values(form: Form, values: dict[str, str]) -> dict[str, str]:
    """The computed cells whose two operands both hold a whole number in ``values``."""
    result: dict[str, str] = {}
    for item in form.fields():
        if item.formula is None:
            continue
        minuend = values.get(item.formula.minuend, "")
        subtrahend = values.get(item.formula.subtrahend, "")
        if minuend.isdigit() and subtrahend.isdigit():
            result[item.id] = str(int(minuend) - int(subtrahend))
    return result
