"""The declarative schema of the YAML sources (pydantic): what keys exist, their types,
and which are required. Semantic checks (dates, 文書番号, addresses, cross-references)
are in ``builder.sources.project``; this module only says what a well-formed file looks like.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    """Unknown keys are errors and no value is coerced to another type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class DecisionS(Strict):
    seed: str
    used: str
    why: str


class TranscriptionS(Strict):
    seed: str
    decisions: list[DecisionS] = []


class AddresseeS(Strict):
    name: str
    honorific: Literal["殿", "御中", ""] = "殿"


class ItemS(Strict):
    label: str
    title: str | None = None
    text: str | None = None
    paragraphs: list[str] = []
    items: list[ItemS] = []

    @model_validator(mode="after")
    def _text_or_paragraphs(self) -> ItemS:
        if self.text is not None and self.paragraphs:
            raise ValueError("write either text (one paragraph) or paragraphs (a list), not both")
        if self.text is None and not self.paragraphs and self.title is None and not self.items:
            raise ValueError("an item needs a title, text, paragraphs or items")
        return self


class AreaS(Strict):
    name: str
    model: bool = False


class AreaRowS(Strict):
    prefecture: str
    areas: list[str | AreaS] = []
    pending: bool = False

    @model_validator(mode="after")
    def _areas_or_pending(self) -> AreaRowS:
        if self.pending and self.areas:
            raise ValueError("a row is either pending (調整中) or has areas, not both")
        if not self.pending and not self.areas:
            raise ValueError("a row needs areas, or pending: true for 「調整中」")
        return self


class ContactS(Strict):
    heading: str
    lines: list[str]
    brackets: Literal["【】", "（）"] = "【】"


class AreaTableS(Strict):
    id: str
    kind: Literal["area_table"]
    title: str = ""
    columns: list[str] = Field(min_length=2, max_length=2)
    note: str = ""
    provenance: str = ""
    rows: list[AreaRowS]


class TableRowS(Strict):
    label: str
    cells: list[str | list[str]]


class TableS(Strict):
    id: str
    kind: Literal["table"]
    title: str = ""
    header: list[list[str]] = Field(min_length=1)
    note: str = ""
    provenance: str = ""
    rows: list[TableRowS]


class FormRefS(Strict):
    id: str
    kind: Literal["form"]
    title: str
    form: str


class TextAttachmentS(Strict):
    id: str
    kind: Literal["text"]
    title: str
    paragraphs: list[str] = []
    items: list[ItemS] = []


AttachmentS = Annotated[
    AreaTableS | TableS | FormRefS | TextAttachmentS, Field(discriminator="kind")
]


class NoticeS(Strict):
    id: str
    kind: Literal["通知", "事務連絡"]
    number: str | None = None
    date: str
    addressees: list[AddresseeS] = Field(min_length=1)
    sender: str
    seal_omitted: bool = False
    title: str
    provenance: str = ""
    transcription: TranscriptionS | None = None
    preamble: list[str] = Field(min_length=1)
    ki: list[ItemS] = []
    contact: ContactS | None = None
    attachments: list[AttachmentS] = []


CHANGE_OPERATIONS = (
    "replace",
    "insert",
    "delete",
    "rewrite",
    "add_row_after",
    "add_row_before",
    "delete_row",
    "add_area",
    "remove_area",
    "set_model",
    "clear_model",
    "rename_area",
    "add_items",
    "delete_item",
    "add_paragraphs",
    "delete_paragraph",
)
"""Each change has exactly one of these keys."""

COMPANIONS: dict[str, tuple[set[str], set[str]]] = {
    # operation: (required companions, optional companions)
    "replace": ({"with_"}, set()),
    "insert": ({"after"}, set()),
    "delete": (set(), set()),
    "rewrite": (set(), set()),
    "add_row_after": ({"rows"}, set()),
    "add_row_before": ({"rows"}, set()),
    "delete_row": (set(), set()),
    "add_area": (set(), {"model", "after"}),
    "remove_area": (set(), set()),
    "set_model": (set(), set()),
    "clear_model": (set(), set()),
    "rename_area": ({"to"}, set()),
    "add_items": (set(), {"after", "first"}),
    "delete_item": (set(), set()),
    "add_paragraphs": (set(), set()),
    "delete_paragraph": (set(), set()),
}
_SHOWN = {"with_": "with"}


class ChangeS(Strict):
    at: str
    replace: str | None = None
    with_: str | None = Field(default=None, alias="with")
    insert: str | None = None
    after: str | None = None
    delete: str | None = None
    rewrite: Any = None
    add_row_after: str | None = None
    add_row_before: str | None = None
    rows: list[AreaRowS | TableRowS] | None = None
    delete_row: Literal[True] | None = None
    add_area: str | None = None
    model: bool | None = None
    remove_area: str | None = None
    set_model: str | None = None
    clear_model: str | None = None
    rename_area: str | None = None
    to: str | None = None
    add_items: list[ItemS] | None = None
    first: Literal[True] | None = None
    delete_item: Literal[True] | None = None
    add_paragraphs: list[str] | None = None
    delete_paragraph: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_operation(self) -> ChangeS:
        given = [op for op in CHANGE_OPERATIONS if getattr(self, op) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "none"
            raise ValueError(
                "a change needs exactly one of "
                + ", ".join(CHANGE_OPERATIONS)
                + f" (found {found})"
            )
        operation = given[0]
        required, optional = COMPANIONS[operation]
        companions = {"with_", "after", "rows", "model", "to", "first"}
        for name in sorted(required):
            if getattr(self, name) is None:
                raise ValueError(f"{operation} needs {_SHOWN.get(name, name)}")
        for name in sorted(companions - required - optional):
            if getattr(self, name) is not None:
                raise ValueError(f"{_SHOWN.get(name, name)} does not go with {operation}")
        return self


class LetterS(Strict):
    number: str
    list: str


class AmendmentS(Strict):
    number: str
    date: str
    effective: str | None = None
    notice: str
    letter: LetterS | None = None
    provenance: str
    transcription: TranscriptionS | None = None
    changes: list[ChangeS]  # [] is a draft: reported by check, left out of the build


class DistributionListS(Strict):
    id: str
    title: str
    addressee: str
    members: list[str] = Field(min_length=1)


class FormS(Strict):
    id: str
    title: str
    provenance: str = ""
    form: dict[str, Any] | None = None
    """The fillable form itself: validated by builder.forms (form_from_located)."""
