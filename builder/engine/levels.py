"""Items added to or deleted from one level (記, or the sub-items of an item), and the
renumbering of the items after them (繰下げ when items are added, 繰上げ when one is
deleted).

The new items carry their final labels, which must be the ones the level gives them (the
item after 「(3)」 is 「(4)」); the items after them move by as many places. Levels of
「・」 items are refused: those items cannot be cited one by one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from builder.engine.address import ItemAddress, citation_label, format_address
from builder.engine.labels import LabelForm, form_of_level, label_number, numbered_label
from builder.engine.units import UnitError, level_items, with_level
from builder.model.notice import AddItems, DeleteItem, Item, Notice


@dataclass(frozen=True)
class LevelChange:
    """What one amendment does to one level: an item deleted or items added, and the
    renumbering that follows, as citation labels (「(3)」 → 「(4)」) in the order the
    改め文 names them (from the last item back when items are added, from the first on
    when one is deleted)."""

    parent: tuple[str, ...]
    deleted: str | None = None
    items: tuple[Item, ...] = ()
    after: str | None = None
    first: bool = False
    renumbered: tuple[tuple[str, str], ...] = ()


def _form(items: tuple[Item, ...], depth: int, where: str) -> LabelForm:
    """The label form of a level, from its items (or its depth when it is empty)."""
    forms = {found[0] for found in (label_number(item.label) for item in items) if found}
    if any(label_number(item.label) is None for item in items) or len(forms) > 1:
        raise UnitError(
            f"the items of {where} are not numbered alike (「・」 items cannot be cited one by "
            "one); rewrite the item that holds them"
        )
    if forms:
        return forms.pop()
    form = form_of_level(depth)
    if form is None:
        raise UnitError(f"items under {where} would be 「・」 items; rewrite {where}")
    return form


def _numbers(items: tuple[Item, ...]) -> list[int]:
    return [found[1] for found in (label_number(item.label) for item in items) if found]


def level_change(notice: Notice, address: ItemAddress, body: AddItems | DeleteItem) -> LevelChange:
    """The level change ``body`` makes at ``address`` (for add_items, the level; for
    delete_item, the item); ``UnitError`` when it cannot be made."""
    if isinstance(body, DeleteItem):
        if not address.path:
            raise UnitError("記 itself cannot be deleted; delete one of its items (記の1)")
        parent = address.path[:-1]
        items = level_items(notice, parent)
        where = format_address(ItemAddress(parent))
        form = _form(items, len(parent), where)
        labels = [citation_label(item.label) for item in items]
        index = labels.index(address.path[-1]) if address.path[-1] in labels else -1
        if index < 0:
            level_items(notice, address.path)  # names the missing item
        if len(items) == 1 and parent:
            holder = level_items(notice, parent[:-1])[
                [citation_label(i.label) for i in level_items(notice, parent[:-1])].index(
                    parent[-1]
                )
            ]
            if holder.title is None and not holder.paragraphs:
                raise UnitError(
                    f"deleting its only item would leave {where} empty; delete {where} instead"
                )
        numbers = _numbers(items)
        renumbered = tuple(
            (citation_label(numbered_label(form, n)), citation_label(numbered_label(form, n - 1)))
            for n in numbers[index + 1 :]
        )
        return LevelChange(parent, deleted=labels[index], renumbered=renumbered)
    parent = address.path
    items = level_items(notice, parent)
    where = format_address(address)
    form = _form(items, len(parent), where)
    labels = [citation_label(item.label) for item in items]
    if body.first and body.after is not None:
        raise UnitError("add_items takes either after: or first: true, not both")
    if items and not body.first and body.after is None:
        raise UnitError(
            f"the level has items ({'、'.join(labels)}); say where the new ones go: "
            f"after: {labels[-1]} (say, to add at the end) or first: true"
        )
    if not body.items:
        raise UnitError("add_items: give at least one item")
    if body.after is not None and body.after not in labels:
        listed = "、".join(labels) or "none"
        raise UnitError(f"there is no item 「{body.after}」 to add after (the items are {listed})")
    index = labels.index(body.after) + 1 if body.after is not None else 0
    numbers = _numbers(items)
    start = numbers[index - 1] + 1 if index else 1
    for offset, item in enumerate(body.items):
        expected = numbered_label(form, start + offset)
        if item.label != expected:
            place = f"after {body.after}" if body.after is not None else "first"
            raise UnitError(
                f"the new item {offset + 1} ({place} in {where}) is labelled 「{item.label}」; "
                f"it must be 「{expected}」 (the items after it are renumbered)"
            )
    count = len(body.items)
    renumbered = tuple(
        (citation_label(numbered_label(form, n)), citation_label(numbered_label(form, n + count)))
        for n in reversed(numbers[index:])
    )
    return LevelChange(
        parent, items=body.items, after=body.after, first=body.first, renumbered=renumbered
    )


def _relabelled(item: Item, form: LabelForm, number: int) -> Item:
    return dataclasses.replace(item, label=numbered_label(form, number))


def apply_level_change(notice: Notice, change: LevelChange) -> Notice:
    """``notice`` with ``change`` made: the items deleted or added and the level
    renumbered."""
    items = level_items(notice, change.parent)
    where = format_address(ItemAddress(change.parent))
    form = _form(items, len(change.parent), where)
    labels = [citation_label(item.label) for item in items]
    if change.deleted is not None:
        index = labels.index(change.deleted)
        kept = items[:index] + tuple(
            _relabelled(item, form, number - 1)
            for item, number in zip(items[index + 1 :], _numbers(items[index + 1 :]), strict=True)
        )
        return with_level(notice, change.parent, kept)
    index = labels.index(change.after) + 1 if change.after is not None else 0
    count = len(change.items)
    moved = tuple(
        _relabelled(item, form, number + count)
        for item, number in zip(items[index:], _numbers(items[index:]), strict=True)
    )
    return with_level(notice, change.parent, (*items[:index], *change.items, *moved))
