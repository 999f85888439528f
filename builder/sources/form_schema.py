"""The declarative schema of a form file (``forms/<id>.yaml``), pydantic, strict.

A form file has the keys the project loader knows (``id``, ``title``, ``provenance``)
and one more, ``form:``, which holds everything the form writers need. Unknown keys
and wrong types are errors; semantic checks (ids, references, digit width) are in
:mod:`builder.sources.forms`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from builder.model.form import FieldKind, Role
from builder.sources.schema import TranscriptionS


class Strict(BaseModel):
    """Unknown keys are errors and no value is coerced to another type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class OptionS(Strict):
    value: str
    text: str = ""


class WhenS(Strict):
    field: str
    includes: str


class FieldS(Strict):
    id: str
    label: str
    kind: FieldKind
    options: list[OptionS] = []
    lines: int = Field(default=1, ge=1, le=40)
    note: str = ""
    role: Role | None = None
    when: WhenS | None = None
    required: bool = False
    max: int | None = Field(default=None, ge=0)
    inferred: bool = False
    provenance: str = ""


class RowS(Strict):
    id: str
    label: str


class ColumnS(Strict):
    id: str
    label: str
    kind: FieldKind
    options: list[OptionS] = []
    lines: int = Field(default=1, ge=1, le=40)
    width: int = Field(default=1, ge=1, le=6)
    formula: str | None = None
    required: bool = False
    max: int | None = Field(default=None, ge=0)


class GridS(Strict):
    id: str
    corner: str = ""
    rows: list[RowS] = Field(min_length=1)
    columns: list[ColumnS] = Field(min_length=1, max_length=6)
    note: str = ""
    heading_fields: list[FieldS] = []


class RepeatS(Strict):
    id: str
    count: int = Field(ge=1, le=50)
    columns: list[ColumnS] = Field(min_length=1, max_length=6)


class ItemS(Strict):
    label: str = ""
    title: str = ""
    field: FieldS | None = None
    table: GridS | None = None
    rows: RepeatS | None = None
    inferred: bool = False
    provenance: str = ""

    @model_validator(mode="after")
    def _one_body(self) -> ItemS:
        bodies = [name for name in ("field", "table", "rows") if getattr(self, name) is not None]
        if len(bodies) > 1:
            raise ValueError(f"an item has one of field, table or rows, not {' and '.join(bodies)}")
        if not bodies and not self.title:
            raise ValueError("an item needs a title, or a field, table or rows")
        return self


class SectionS(Strict):
    heading: str
    note: str = ""
    items: list[ItemS] = Field(min_length=1)
    inferred: bool = False
    provenance: str = ""


class HeaderS(Strict):
    title: str
    fields: list[FieldS] = []
    inferred: bool = False
    provenance: str = ""


class FormBodyS(Strict):
    version: str
    provenance: str = ""
    header: HeaderS
    sections: list[SectionS] = Field(min_length=1)
    transcription: TranscriptionS | None = None


class FormFileS(Strict):
    """A whole form file: the project's keys plus ``form``."""

    id: str
    title: str
    provenance: str = ""
    form: FormBodyS


FIELD_KIND_NAMES: dict[FieldKind, str] = {
    "text": "single-line text",
    "multiline": "multi-line text",
    "date": "date",
    "count": "non-negative whole number",
    "choice": "one of the options",
    "choices": "one or more of the options",
    "computed": "computed from other cells",
}
"""What each kind means, for messages."""
