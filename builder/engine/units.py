"""The amendable units of a notice: resolving an address, reading and replacing a unit's
text segments, and its place in document order. The engine's table code for both kinds
of table (generic tables and the area-table profile, whose row text comes from
:mod:`builder.engine.area_profile`) is here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from builder.engine.address import (
    Address,
    AttachmentAddress,
    ContactAddress,
    HeadingAddress,
    ItemAddress,
    ParagraphAddress,
    PreambleAddress,
    RowAddress,
    TitleAddress,
    citation_label,
    format_address,
)
from builder.engine.address import UnitError as UnitError  # defined there, re-exported
from builder.engine.area_profile import parse_row_text, row_problems, row_text
from builder.model.area_table import AreaRow, AreaTable
from builder.model.notice import (
    Contact,
    FormRef,
    Item,
    Notice,
    Row,
    Table,
    TableAttachment,
    TableRow,
    TextAttachment,
)

# --------------------------------------------------------------------------- items


def item_segments(item: Item) -> list[str]:
    """Title, paragraphs, then each sub-item's segments, in document order."""
    segments = ([item.title] if item.title is not None else []) + list(item.paragraphs)
    for child in item.items:
        segments.extend(item_segments(child))
    return segments


def _rebuild_item(item: Item, texts: list[str]) -> Item:
    """``item`` with its segments taken, in order, from the front of ``texts``."""
    title = texts.pop(0) if item.title is not None else None
    paragraphs = tuple(texts.pop(0) for _ in item.paragraphs)
    children = tuple(_rebuild_item(child, texts) for child in item.items)
    return Item(item.label, title, paragraphs, children)


def _segment_names(item: Item, prefix: str) -> list[str]:
    names = ([f"{prefix}の見出し"] if item.title is not None else []) + [
        f"{prefix}の第{i + 1}段落" for i in range(len(item.paragraphs))
    ]
    for child in item.items:
        names.extend(_segment_names(child, f"{prefix}の{citation_label(child.label)}"))
    return names


def find_item_path(items: tuple[Item, ...], path: tuple[str, ...]) -> list[int]:
    """Indexes of the items along ``path``; ``UnitError`` if a level is missing or repeated."""
    indexes: list[int] = []
    level = items
    for depth, label in enumerate(path):
        hits = [i for i, it in enumerate(level) if citation_label(it.label) == label]
        cited = "記" + "".join(f"の{x}" for x in path[: depth + 1])
        if not hits:
            present = "、".join(citation_label(it.label) for it in level) or "none"
            raise UnitError(f"{cited} does not exist (labels at that level: {present})")
        if len(hits) > 1:
            raise UnitError(f"{cited} is ambiguous: {len(hits)} items carry that label")
        indexes.append(hits[0])
        level = level[hits[0]].items
    return indexes


def _replace_item(
    items: tuple[Item, ...], indexes: list[int], make: Callable[[Item], Item]
) -> tuple[Item, ...]:
    head, rest = indexes[0], indexes[1:]
    target = items[head]
    if rest:
        replaced = dataclasses.replace(target, items=_replace_item(target.items, rest, make))
    else:
        replaced = make(target)
    return (*items[:head], replaced, *items[head + 1 :])


def get_item(notice: Notice, address: ItemAddress | HeadingAddress | ParagraphAddress) -> Item:
    """The item at ``address``; ``UnitError`` for 記 itself, which is no item."""
    if not address.path:
        raise UnitError(
            "記 is the level of the items, not an item: quote changes go to an item "
            "(記の1), and 記 takes added items (add_items)"
        )
    level = notice.ki
    item: Item | None = None
    for index in find_item_path(notice.ki, address.path):
        item = level[index]
        level = item.items
    assert item is not None
    return item


def level_items(notice: Notice, path: tuple[str, ...]) -> tuple[Item, ...]:
    """The items of the level under ``path`` (記's own items for the empty path)."""
    return notice.ki if not path else get_item(notice, ItemAddress(path)).items


def with_level(notice: Notice, path: tuple[str, ...], items: tuple[Item, ...]) -> Notice:
    """``notice`` with the level under ``path`` holding ``items``."""
    if not path:
        return dataclasses.replace(notice, ki=items)
    indexes = find_item_path(notice.ki, path)
    ki = _replace_item(notice.ki, indexes, lambda it: dataclasses.replace(it, items=items))
    return dataclasses.replace(notice, ki=ki)


def paragraph_of(notice: Notice, address: ParagraphAddress) -> str:
    """The addressed paragraph of an item; ``UnitError`` naming how many it has."""
    item = get_item(notice, address)
    if address.number > len(item.paragraphs):
        cited = format_address(ItemAddress(address.path))
        count = len(item.paragraphs)
        has = f"has {count} paragraph{'' if count == 1 else 's'}" if count else "has no paragraph"
        raise UnitError(f"{cited} {has}; there is no 第{address.number}段落")
    return item.paragraphs[address.number - 1]


def with_paragraphs(notice: Notice, path: tuple[str, ...], paragraphs: tuple[str, ...]) -> Notice:
    """``notice`` with the item at ``path`` holding ``paragraphs``."""
    indexes = find_item_path(notice.ki, path)
    ki = _replace_item(
        notice.ki, indexes, lambda it: dataclasses.replace(it, paragraphs=paragraphs)
    )
    return dataclasses.replace(notice, ki=ki)


def _heading(notice: Notice, address: HeadingAddress) -> str:
    item = get_item(notice, address)
    if item.title is None:
        cited = format_address(ItemAddress(address.path))
        raise UnitError(
            f"{cited} has no 見出し; change its text at {cited}, or rewrite it with a title"
        )
    return item.title


# --------------------------------------------------------------------------- attachments


def table(notice: Notice, attachment_id: str) -> TableAttachment:
    """The table attachment ``attachment_id``; ``UnitError`` if there is none."""
    found = notice.attachment(attachment_id)
    if found is None:
        present = "、".join(a.id for a in notice.attachments) or "none"
        raise UnitError(f"{notice.id} has no {attachment_id} (attachments: {present})")
    if not isinstance(found, AreaTable | Table):
        raise UnitError(f"{attachment_id} of {notice.id} is not a table; it has no rows")
    return found


def row_index(rows_of: TableAttachment, label: str) -> int:
    """The index of the row labelled ``label``; ``UnitError`` naming the labels otherwise."""
    rows: tuple[Row, ...] = rows_of.rows
    for index, row in enumerate(rows):
        if row.label == label:
            return index
    if isinstance(rows_of, AreaTable):
        first = rows_of.rows[0].prefecture if rows_of.rows else "北海道"
        raise UnitError(
            f"{rows_of.id} has no row 「{label}」; row labels are prefecture names such as "
            f"「{first}」"
        )
    labels = "、".join(row.label for row in rows) or "none"
    raise UnitError(f"{rows_of.id} has no row 「{label}」 (its rows: {labels})")


def replace_attachment(notice: Notice, new: AreaTable | Table | TextAttachment) -> Notice:
    """``notice`` with the attachment of the same id replaced by ``new``."""
    attachments = tuple(new if a.id == new.id else a for a in notice.attachments)
    return dataclasses.replace(notice, attachments=attachments)


def _with_rows(rows_of: TableAttachment, rows: tuple[Row, ...]) -> TableAttachment:
    if isinstance(rows_of, AreaTable):
        assert all(isinstance(row, AreaRow) for row in rows)
        return dataclasses.replace(rows_of, rows=rows)  # type: ignore[arg-type]
    assert all(isinstance(row, TableRow) for row in rows)
    return dataclasses.replace(rows_of, rows=rows)  # type: ignore[arg-type]


def replace_row(notice: Notice, address: RowAddress, row: Row | None) -> Notice:
    """``notice`` with the addressed row replaced (or removed when ``row`` is None)."""
    rows_of = table(notice, address.attachment)
    index = row_index(rows_of, address.row)
    rows = rows_of.rows[:index] + ((row,) if row else ()) + rows_of.rows[index + 1 :]
    return replace_attachment(notice, _with_rows(rows_of, rows))


def insert_row(notice: Notice, attachment_id: str, after: str | None, row: Row) -> Notice:
    """``notice`` with ``row`` added after the row labelled ``after`` (first when None)."""
    rows_of = table(notice, attachment_id)
    existing: tuple[Row, ...] = rows_of.rows
    if any(other.label == row.label for other in existing):
        raise UnitError(f"{attachment_id} already has a row 「{row.label}」")
    index = row_index(rows_of, after) + 1 if after is not None else 0
    rows = (*rows_of.rows[:index], row, *rows_of.rows[index:])
    return replace_attachment(notice, _with_rows(rows_of, rows))


CELL_MARK = ("【", "】")
"""How a generic row's text form opens each cell: 「【2024年度】●…」 (``textform``); a
cell line may not start with 「【」."""


def table_row_problems(found: TableAttachment, row: Row) -> list[str]:
    """What is wrong with ``row`` as a row of ``found``, in order: a row of the other
    kind of table, an area row's data, a generic row's label and cells."""
    if isinstance(found, AreaTable):
        if not isinstance(row, AreaRow):
            return [
                f"{found.id} is a table of 都道府県 and areas; write its rows as "
                "{prefecture: …, areas: […]}"
            ]
        return row_problems(row)
    if not isinstance(row, TableRow):
        return [
            f"{found.id} is a table with the columns {'、'.join(found.columns)}; write its "
            "rows as {label: …, cells: […]}"
        ]
    problems = []
    if not row.label.strip(" \u3000") or row.label != row.label.strip(" \u3000"):
        problems.append(f"row label 「{row.label}」 is empty or has surrounding spaces")
    wanted = len(found.columns) - 1
    if len(row.cells) != wanted:
        problems.append(
            f"{row.label}の項 has {len(row.cells)} cell{'' if len(row.cells) == 1 else 's'}; "
            f"{found.id} has {wanted} column{'' if wanted == 1 else 's'} after "
            f"the label ({'、'.join(found.columns[1:])})"
        )
    for line in cell_lines(row):
        if not line.strip(" \u3000"):
            problems.append(f"{row.label}の項 has an empty line in a cell; leave it out")
        elif line.startswith(CELL_MARK[0]):
            problems.append(
                f"{row.label}の項: a cell line may not start with 「{CELL_MARK[0]}」 (it opens a "
                "cell in the text form of a row)"
            )
    return problems


def cell_lines(row: TableRow) -> tuple[str, ...]:
    """A generic row's text segments: every line of every cell, in order."""
    return tuple(line for cell in row.cells for line in cell)


def with_cell_lines(row: TableRow, texts: tuple[str, ...]) -> TableRow:
    """``row`` with its cell lines taken, in order, from ``texts``."""
    rest = list(texts)
    cells = tuple(tuple(rest.pop(0) for _ in cell) for cell in row.cells)
    return TableRow(row.label, cells)


def table_segments(found: Table) -> tuple[str, ...]:
    """A generic table's own text: its title, each header cell, its note."""
    return (found.title, *(cell for header in found.header for cell in header), found.note)


def with_table_segments(found: Table, texts: tuple[str, ...]) -> Table:
    rest = list(texts)
    title = rest.pop(0)
    header = tuple(tuple(rest.pop(0) for _ in row) for row in found.header)
    return dataclasses.replace(found, title=title, header=header, note=rest.pop(0))


# --------------------------------------------------------------------------- text segments


def segments(notice: Notice, address: Address) -> tuple[str, ...]:
    """The text segments of the unit at ``address`` (what its quotes are searched in)."""
    match address:
        case TitleAddress():
            return (notice.title,)
        case PreambleAddress():
            return notice.preamble
        case ItemAddress():
            return tuple(item_segments(get_item(notice, address)))
        case HeadingAddress():
            return (_heading(notice, address),)
        case ParagraphAddress():
            return (paragraph_of(notice, address),)
        case ContactAddress():
            return _contact(notice, address).lines
        case RowAddress(attachment, label):
            rows_of = table(notice, attachment)
            row = rows_of.rows[row_index(rows_of, label)]
            if isinstance(row, TableRow):
                return cell_lines(row)
            return (row_text(row),)
        case AttachmentAddress(attachment):
            found = notice.attachment(attachment)
            if isinstance(found, TextAttachment):
                return (found.title, *found.paragraphs, *_items_segments(found.items))
            if isinstance(found, Table):
                return table_segments(found)
            if isinstance(found, AreaTable):
                return (found.title, found.note)
            if isinstance(found, FormRef):
                raise UnitError(
                    f"{attachment} is the form 「{found.form}」 kept in forms/; an amendment "
                    "changes the notice's text, its tables and their rows, not a form: edit "
                    "the form's file in forms/ instead"
                )
            _attachment_index(notice, attachment)  # names the attachments there are
            raise AssertionError(attachment)
    raise AssertionError(address)


def _items_segments(items: tuple[Item, ...]) -> list[str]:
    return [text for item in items for text in item_segments(item)]


def segment_name(notice: Notice, address: Address, index: int) -> str:
    """A drafter-readable name of one segment, for error messages (「記の1の(2)の第1段落」)."""
    cited = format_address(address)
    if isinstance(address, ItemAddress):
        return _segment_names(get_item(notice, address), cited)[index]
    if isinstance(address, PreambleAddress | ContactAddress):
        return f"{cited}の第{index + 1}{'段落' if isinstance(address, PreambleAddress) else '行'}"
    return cited


def _contact(notice: Notice, address: ContactAddress) -> Contact:
    if notice.contact is None:
        raise UnitError(f"{notice.id} has no contact block")
    if address.heading not in (notice.contact.heading, "担当者"):
        raise UnitError(f"the contact block of {notice.id} is {notice.contact.label}")
    return notice.contact


def with_segments(notice: Notice, address: Address, texts: tuple[str, ...]) -> Notice:
    """``notice`` with the unit at ``address`` holding ``texts`` as its segments."""
    match address:
        case TitleAddress():
            return dataclasses.replace(notice, title=texts[0])
        case PreambleAddress():
            return dataclasses.replace(notice, preamble=texts)
        case ItemAddress(path):
            get_item(notice, address)  # 記 itself has no text
            indexes = find_item_path(notice.ki, path)
            ki = _replace_item(notice.ki, indexes, lambda it: _rebuild_item(it, list(texts)))
            return dataclasses.replace(notice, ki=ki)
        case HeadingAddress(path):
            _heading(notice, address)
            indexes = find_item_path(notice.ki, path)
            ki = _replace_item(
                notice.ki, indexes, lambda it: dataclasses.replace(it, title=texts[0])
            )
            return dataclasses.replace(notice, ki=ki)
        case ParagraphAddress(path, number):
            paragraph_of(notice, address)
            paragraphs = list(get_item(notice, address).paragraphs)
            paragraphs[number - 1] = texts[0]
            return with_paragraphs(notice, path, tuple(paragraphs))
        case ContactAddress():
            contact = dataclasses.replace(_contact(notice, address), lines=texts)
            return dataclasses.replace(notice, contact=contact)
        case RowAddress(attachment, label):
            try:
                rows_of = table(notice, attachment)
                current = rows_of.rows[row_index(rows_of, label)]
            except UnitError:
                parse_row_text(label, texts[0])  # a text that is no row is reported first
                raise
            if isinstance(current, TableRow):
                changed = with_cell_lines(current, texts)
                problems = table_row_problems(rows_of, changed)
                if problems:
                    raise UnitError(problems[0])
                return replace_row(notice, address, changed)
            row = parse_row_text(label, texts[0], reuse=current.areas)
            if row == current:
                return notice
            return replace_row(notice, address, row)
        case AttachmentAddress(attachment):
            found = notice.attachment(attachment)
            if isinstance(found, Table):
                return replace_attachment(notice, with_table_segments(found, texts))
            if isinstance(found, AreaTable):
                title, note = texts
                return replace_attachment(
                    notice, dataclasses.replace(found, title=title, note=note)
                )
            assert isinstance(found, TextAttachment)
            rest = list(texts[1 + len(found.paragraphs) :])
            items = tuple(_rebuild_item(item, rest) for item in found.items)
            new = dataclasses.replace(
                found,
                title=texts[0],
                paragraphs=texts[1 : 1 + len(found.paragraphs)],
                items=items,
            )
            return replace_attachment(notice, new)
    raise AssertionError(address)


def replace_item(notice: Notice, address: ItemAddress, item: Item) -> Notice:
    """``notice`` with the item at ``address`` replaced by ``item``."""
    indexes = find_item_path(notice.ki, address.path)
    return dataclasses.replace(notice, ki=_replace_item(notice.ki, indexes, lambda _: item))


# --------------------------------------------------------------------------- document order


def order_key(notice: Notice, address: Address) -> tuple[int, ...]:
    """Where the unit sits in the document, for writing 改め文 in document order."""
    match address:
        case TitleAddress():
            return (0,)
        case PreambleAddress():
            return (1,)
        case ItemAddress(path) | HeadingAddress(path):
            return (2, *find_item_path(notice.ki, path))
        case ParagraphAddress(path, number):
            return (2, *find_item_path(notice.ki, path), -1, number)
        case ContactAddress():
            return (3,)
        case AttachmentAddress(attachment):
            return (4, _attachment_index(notice, attachment))
        case RowAddress(attachment, label):
            index = _attachment_index(notice, attachment)
            return (4, index, row_index(table(notice, attachment), label))
    raise AssertionError(address)


def _attachment_index(notice: Notice, attachment_id: str) -> int:
    for index, attachment in enumerate(notice.attachments):
        if attachment.id == attachment_id:
            return index
    present = "、".join(a.id for a in notice.attachments) or "none"
    raise UnitError(f"{notice.id} has no {attachment_id} (attachments: {present})")


def contains(outer: Address, inner: Address) -> bool:
    """Whether ``inner`` is ``outer`` or a part of it (a rewrite of one conflicts with both)."""
    if outer == inner:
        return True
    if isinstance(outer, ItemAddress) and isinstance(
        inner, ItemAddress | HeadingAddress | ParagraphAddress
    ):
        return inner.path[: len(outer.path)] == outer.path
    if isinstance(outer, AttachmentAddress) and isinstance(inner, RowAddress):
        return inner.attachment == outer.attachment
    return False
