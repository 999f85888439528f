"""Paragraphs added to or deleted from an item (「記の2の第1段落の次に次のように加える。」,
「記の2の第2段落を削る。」). Paragraphs are not numbered in the text, so nothing is
renumbered; they are cited by their place (第1段落), as error messages already name them.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.engine.address import ItemAddress, ParagraphAddress, format_address
from builder.engine.textform import starts_with_label
from builder.engine.units import UnitError, get_item, paragraph_of, with_paragraphs
from builder.model.notice import AddParagraphs, DeleteParagraph, Notice


@dataclass(frozen=True)
class ParagraphChange:
    """Paragraphs added after paragraph ``number`` of the item at ``path``, or paragraph
    ``number`` deleted."""

    path: tuple[str, ...]
    number: int
    added: tuple[str, ...] = ()

    @property
    def deletes(self) -> bool:
        """Whether the change deletes the paragraph (else it adds after it)."""
        return not self.added

    @property
    def address(self) -> ParagraphAddress:
        """The paragraph the change cites."""
        return ParagraphAddress(self.path, self.number)


def paragraph_change(
    notice: Notice, address: ParagraphAddress, body: AddParagraphs | DeleteParagraph
) -> ParagraphChange:
    """The paragraph change ``body`` makes at ``address``; ``UnitError`` when it cannot."""
    paragraph_of(notice, address)  # the paragraph must exist
    item = get_item(notice, address)
    if isinstance(body, DeleteParagraph):
        if len(item.paragraphs) == 1 and item.title is None and not item.items:
            cited = format_address(ItemAddress(address.path))
            raise UnitError(
                f"deleting its only paragraph would leave {cited} empty; delete {cited} "
                "instead (delete_item: true)"
            )
        return ParagraphChange(address.path, address.number)
    if not body.paragraphs:
        raise UnitError("add_paragraphs: give at least one paragraph")
    for text in body.paragraphs:
        if not text.strip(" \u3000"):
            raise UnitError("add_paragraphs: a paragraph is empty")
        label = starts_with_label(text)
        if label:
            raise UnitError(
                f"the paragraph 「{text}」 starts with 「{label}」, which reads as an item "
                "label; add an item (add_items) or reword its start"
            )
    return ParagraphChange(address.path, address.number, tuple(body.paragraphs))


def apply_paragraph_change(notice: Notice, change: ParagraphChange) -> Notice:
    """``notice`` with ``change`` made."""
    paragraphs = list(get_item(notice, change.address).paragraphs)
    if change.deletes:
        del paragraphs[change.number - 1]
    else:
        paragraphs[change.number : change.number] = change.added
    return with_paragraphs(notice, change.path, tuple(paragraphs))
