"""The amendment engine: resolving an amendment's changes against the version in force,
applying them, and consolidating a notice as of any date.

Resolution turns every change into a ``UnitChange`` (one per unit, in document order):
structured 別添1 changes become the quoted text changes that have the same effect, so
the 改め文 and the data can never disagree. Application works from ``UnitChange`` only.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from builder.core.errors import NoticeError, Problem
from builder.engine.address import (
    Address,
    AddressError,
    AttachmentAddress,
    ContactAddress,
    HeadingAddress,
    ItemAddress,
    ParagraphAddress,
    PreambleAddress,
    RowAddress,
    TitleAddress,
    format_address,
    parse_address,
)
from builder.engine.area_profile import area_name_problem, row_problems, row_text
from builder.engine.levels import LevelChange, apply_level_change, level_change
from builder.engine.paragraphs import ParagraphChange, apply_paragraph_change, paragraph_change
from builder.engine.row_quotes import row_changes
from builder.engine.textedit import QuoteError, apply_edits, edit_for, locate
from builder.engine.units import (
    UnitError,
    contains,
    get_item,
    insert_row,
    order_key,
    replace_item,
    replace_row,
    row_index,
    segment_name,
    segments,
    table,
    table_row_problems,
    with_segments,
)
from builder.japanese import find_prefecture
from builder.japanese.wareki import format_wareki
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.model.notice import (
    AddItems,
    AddParagraphs,
    AddRow,
    Amendment,
    AreaChange,
    Change,
    ChangeBody,
    DeleteItem,
    DeleteParagraph,
    DeleteRow,
    Item,
    Notice,
    Rewrite,
    Row,
    SourcePos,
    Table,
    TableRow,
    TextChange,
)


@dataclass(frozen=True)
class QuotedChanges:
    """The quoted text changes of one unit, in document order."""

    changes: tuple[TextChange, ...]


UnitBody = QuotedChanges | Rewrite | AddRow | DeleteRow | LevelChange | ParagraphChange


@dataclass(frozen=True)
class UnitChange:
    """Everything one amendment does to one unit: one 改め文 sentence."""

    address: Address
    order: tuple[int, ...]
    body: UnitBody
    positions: tuple[SourcePos | None, ...] = ()
    columns: tuple[str, ...] = ()
    """For a row of a generic table: the table's column headings (its rows' text form
    opens each cell with one)."""


# --------------------------------------------------------------------------- resolving


def _address_of(change: Change) -> Address:
    try:
        return parse_address(change.at)
    except AddressError as exc:
        raise NoticeError.at(change.pos, str(exc)) from None


def _group_key(address: Address, body: ChangeBody) -> tuple[str, ...]:
    if isinstance(body, AddRow):
        return ("add-row", format_address(address), body.anchor)
    if isinstance(body, AddItems | DeleteItem) and isinstance(address, ItemAddress):
        parent = address.path if isinstance(body, AddItems) else address.path[:-1]
        return ("level", format_address(ItemAddress(parent)))
    if isinstance(body, AddParagraphs | DeleteParagraph) and isinstance(address, ParagraphAddress):
        return ("paragraphs", format_address(ItemAddress(address.path)))
    return ("unit", format_address(address))


LEVEL_LAST = 10**6
"""Sorts a level's added or deleted items after every change inside that level: the
改め文 changes the items first, then renumbers them, and each sentence cites the labels
as they stand when it is read."""


def resolve(notice: Notice, amendment: Amendment) -> tuple[UnitChange, ...]:
    """The unit changes ``amendment`` makes to ``notice`` (the version in force on its
    date), in document order; ``NoticeError`` naming each change that cannot apply."""
    problems: list[Problem] = []
    groups: dict[tuple[str, ...], list[tuple[Address, Change]]] = {}
    for change in amendment.changes:
        try:
            address = _address_of(change)
        except NoticeError as exc:
            problems.extend(exc.problems)
            continue
        groups.setdefault(_group_key(address, change.body), []).append((address, change))
    resolved: list[UnitChange] = []
    for group in groups.values():
        address = group[0][0]
        positions = tuple(change.pos for _, change in group)
        try:
            body = _resolve_group(notice, address, [change for _, change in group])
            if isinstance(body, LevelChange):
                address = ItemAddress(body.parent)
            if isinstance(body, ParagraphChange):
                address = body.address
            order = order_key(notice, address)
            if isinstance(body, LevelChange):
                order = (*order, LEVEL_LAST)
            if isinstance(body, ParagraphChange):  # after the item's own changes
                order = (*order_key(notice, ItemAddress(body.path)), LEVEL_LAST - 1)
            if isinstance(body, AddRow):
                rows_of = table(notice, format_address(address))
                place = row_index(rows_of, body.anchor)
                order = (*order, place, 1 if body.after is not None else -1)
            resolved.append(UnitChange(address, order, body, positions, _columns(notice, address)))
        except (UnitError, QuoteError) as exc:
            problems.append(Problem(f"{format_address(address)}: {exc}", positions[0]))
        except NoticeError as exc:
            problems.extend(exc.problems)
    resolved.sort(key=lambda unit: unit.order)
    problems.extend(_conflicts(resolved))
    if problems:
        raise NoticeError(problems)
    return tuple(resolved)


def _columns(notice: Notice, address: Address) -> tuple[str, ...]:
    """The column headings of the generic table ``address`` is in (or is), else ()."""
    if isinstance(address, RowAddress | AttachmentAddress):
        found = notice.attachment(address.attachment)
        if isinstance(found, Table):
            return found.columns
    return ()


def _nested_items(outer: Address, inner: Address) -> bool:
    """Whether ``inner`` is an item (or a 見出し) inside the item ``outer``."""
    return (
        isinstance(outer, ItemAddress)
        and isinstance(inner, ItemAddress | HeadingAddress)
        and outer != inner
        and contains(outer, inner)
    )


def _deleted_item(unit: UnitChange) -> Address | None:
    """The item or paragraph that ``unit`` deletes, if it deletes one."""
    if isinstance(unit.body, LevelChange) and unit.body.deleted is not None:
        return ItemAddress((*unit.body.parent, unit.body.deleted))
    if isinstance(unit.body, ParagraphChange) and unit.body.deletes:
        return unit.body.address
    return None


def _conflicts(resolved: Sequence[UnitChange]) -> list[Problem]:
    """A rewritten or deleted unit may not also be changed in part, and an item and an
    item inside it may not both be changed (their quotes would overlap). Items added to
    or deleted from a level go with changes inside the level's other items (those come
    first, then the level is renumbered), but not with a quoted change or rewrite of an
    item that holds the level."""
    problems: list[Problem] = []
    for outer in resolved:
        deleted = _deleted_item(outer)
        for inner in resolved:
            if inner is outer:
                continue
            if deleted is not None and contains(deleted, inner.address):
                message = (
                    f"{format_address(inner.address)} is changed, but "
                    f"{format_address(deleted)} is deleted in the same amendment; drop the "
                    "change, or do not delete it"
                )
            elif isinstance(outer.body, Rewrite | DeleteRow) and contains(
                outer.address, inner.address
            ):
                message = (
                    f"{format_address(inner.address)} is changed, but "
                    f"{format_address(outer.address)} is also rewritten or deleted in the "
                    "same amendment; put the change into the rewrite"
                )
            elif isinstance(outer.body, LevelChange | ParagraphChange) or isinstance(
                inner.body, LevelChange | ParagraphChange
            ):
                continue  # the quoted changes come first, then the level is renumbered
            elif _nested_items(outer.address, inner.address):
                message = (
                    f"{format_address(inner.address)} is changed in the same amendment as "
                    f"{format_address(outer.address)}, which contains it; address every "
                    f"change of this part to {format_address(outer.address)} (one sentence)"
                )
            else:
                continue
            problems.append(Problem(message, inner.positions[0] if inner.positions else None))
    return problems


def _resolve_group(notice: Notice, address: Address, changes: list[Change]) -> UnitBody:
    bodies = [change.body for change in changes]
    first = changes[0]
    if len(bodies) > 1 and any(isinstance(b, Rewrite | DeleteRow | AddRow) for b in bodies):
        raise NoticeError.at(
            changes[1].pos,
            f"{format_address(address)} is rewritten, deleted or extended more than once in "
            "this amendment; make it one change",
        )
    body = bodies[0]
    if isinstance(body, AddParagraphs | DeleteParagraph):
        if len(bodies) > 1:
            raise NoticeError.at(
                changes[1].pos,
                f"{format_address(address)}: paragraphs of one item are added or deleted once "
                "per amendment; make it one change, rewrite the item, or make two amendments",
            )
        if not isinstance(address, ParagraphAddress):
            kind = "add_paragraphs" if isinstance(body, AddParagraphs) else "delete_paragraph"
            raise NoticeError.at(
                first.pos, f"{kind} needs a paragraph address such as 記の2の第1段落"
            )
        return paragraph_change(notice, address, body)
    if isinstance(body, AddItems | DeleteItem):
        if len(bodies) > 1:
            path = address.path if isinstance(address, ItemAddress) else ()
            level = ItemAddress(path if isinstance(body, AddItems) else path[:-1])
            raise NoticeError.at(
                changes[1].pos,
                f"{format_address(level)}: items are added to or deleted from this level more "
                "than once in this amendment; make it one change, rewrite the item that holds "
                "the level, or make two amendments",
            )
        if not isinstance(address, ItemAddress):
            kind = "add_items" if isinstance(body, AddItems) else "delete_item"
            raise NoticeError.at(
                first.pos, f"{kind} needs an item address: 記, 記の1 or 記の1の(2)"
            )
        return level_change(notice, address, body)
    if isinstance(body, Rewrite):
        _check_rewrite(notice, address, body, first.pos)
        return body
    if isinstance(body, DeleteRow):
        if not isinstance(address, RowAddress):
            hint = (
                "; an item is deleted with delete_item: true"
                if isinstance(address, ItemAddress)
                else ""
            )
            raise NoticeError.at(
                first.pos, f"delete_row needs a row address: 「別添1 兵庫県の項」{hint}"
            )
        segments(notice, address)  # the row must exist
        return body
    if isinstance(body, AddRow):
        if not isinstance(address, AttachmentAddress):
            raise NoticeError.at(first.pos, "add_row_after needs a table address such as 別添1")
        rows_of = table(notice, address.attachment)
        row_index(rows_of, body.anchor)
        new_rows: tuple[Row, ...] = body.rows
        labels = [row.label for row in new_rows]
        for row in new_rows:
            if rows_of.row(row.label) is not None or labels.count(row.label) > 1:
                raise NoticeError.at(
                    first.pos, f"{address.attachment} would have the row 「{row.label}」 twice"
                )
            problems = table_row_problems(rows_of, row)
            if problems:
                raise NoticeError.at(first.pos, f"{address.attachment}: {problems[0]}")
        if isinstance(rows_of, AreaTable):
            order = _prefecture_order_problem(rows_of.rows, body)
            if order:
                raise NoticeError.at(first.pos, f"{address.attachment}: {order}")
        return body
    if any(isinstance(b, AreaChange) for b in bodies):
        if not all(isinstance(b, AreaChange) for b in bodies):
            raise NoticeError.at(
                first.pos,
                f"{format_address(address)}: write either quoted text changes or area changes "
                "for one row in one amendment, not both",
            )
        if not isinstance(address, RowAddress):
            raise NoticeError.at(first.pos, "area changes need a row address: 「別添1 兵庫県の項」")
        return _area_changes_as_text(notice, address, changes)
    return _locate_text_changes(notice, address, changes)


def _locate_text_changes(notice: Notice, address: Address, changes: list[Change]) -> UnitBody:
    texts = segments(notice, address)
    unit_name = format_address(address)
    located = []
    for change in changes:
        assert isinstance(change.body, TextChange)
        problem = _text_change_problem(change.body)
        if problem:
            raise NoticeError.at(change.pos, f"{unit_name}: {problem}")
        try:
            span = locate(
                texts, change.body.old, lambda i: segment_name(notice, address, i), unit_name
            )
        except QuoteError as exc:
            hint = ""
            if isinstance(address, AttachmentAddress) and isinstance(
                notice.attachment(address.attachment), AreaTable | Table
            ):
                hint = (
                    f" (at {unit_name} the quotes are in its title, header and note; a row's "
                    f"text is changed at the row: 「{unit_name} <label>の項」)"
                )
            raise NoticeError.at(change.pos, f"{exc}{hint}") from None  # names the unit itself
        located.append((span, change))
    located.sort(key=lambda pair: pair[0])
    edits = [edit_for(change.body, span) for span, change in located]  # type: ignore[arg-type]
    try:
        new_texts = apply_edits(texts, edits)
    except QuoteError as exc:
        raise NoticeError.at(changes[0].pos, f"{unit_name}: {exc}") from None
    for index, text in enumerate(new_texts):
        if not text.strip(" \u3000") and texts[index].strip(" \u3000"):
            raise NoticeError.at(
                changes[0].pos,
                f"{segment_name(notice, address, index)} would be left empty; "
                + _emptied_hint(address),
            )
    try:
        with_segments(notice, address, new_texts)
    except (QuoteError, UnitError) as exc:
        raise NoticeError.at(changes[0].pos, f"{unit_name}: {exc}") from None
    ordered = tuple(change.body for _, change in located)
    return QuotedChanges(ordered)  # type: ignore[arg-type]


def _emptied_hint(address: Address) -> str:
    if isinstance(address, ItemAddress):
        return "to remove the item, write delete_item: true at its address"
    if isinstance(address, RowAddress):
        return "to remove the row, write delete_row: true"
    return "rewrite the unit instead (rewrite:)"


def _prefecture_order_problem(rows: tuple[AreaRow, ...], body: AddRow) -> str | None:
    """For a table of prefectures: new rows must be prefectures, placed in 都道府県コード
    order."""
    try:
        codes = [find_prefecture(row.prefecture).code for row in rows]
    except ValueError:
        return None  # not a table of prefectures: any labels, any order
    labels = [row.prefecture for row in rows]
    index = labels.index(body.after) + 1 if body.after is not None else labels.index(body.anchor)
    new_codes = []
    for row in body.rows:
        assert isinstance(row, AreaRow)
        try:
            prefecture = find_prefecture(row.prefecture)
        except ValueError as exc:
            return str(exc)
        if prefecture.name != row.prefecture:
            return f"write the full name 「{prefecture.name}」"
        new_codes.append(prefecture.code)
    merged = codes[:index] + new_codes + codes[index:]
    place = f"after 「{body.after}」" if body.after is not None else f"before 「{body.before}」"
    if merged != sorted(merged):
        return (
            f"「{body.rows[0].label}」 {place} breaks 都道府県コード order; "
            "add it after the row that precedes it by code"
        )
    return None


def balanced_quotes(text: str) -> bool:
    """Whether every 「 in ``text`` is closed by a 」 after it (so a 改め文 quoting the
    text can be read back)."""
    depth = 0
    for char in text:
        depth += {"「": 1, "」": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _text_change_problem(change: TextChange) -> str | None:
    for text in (change.old, change.new):
        if not balanced_quotes(text):
            return (
                f"「{text}」 has unbalanced 「」; quote whole 「…」 pairs so that the 改め文 "
                "can be read"
            )
    if change.kind == "replace" and change.old == change.new:
        return f"replacing 「{change.old}」 by itself changes nothing; remove the change"
    if change.kind == "insert" and not change.new:
        return "insert: the text to add is empty"
    return None


def _area_changes_as_text(notice: Notice, address: RowAddress, changes: list[Change]) -> UnitBody:
    rows_of = table(notice, address.attachment)
    if not isinstance(rows_of, AreaTable):
        raise NoticeError.at(
            changes[0].pos,
            f"{format_address(address)}: area changes (add_area, remove_area …) go to a table "
            "of 都道府県 and areas; change a row of this table by quoted text changes, or "
            "rewrite it",
        )
    before = rows_of.rows[row_index(rows_of, address.row)]
    after = before
    for change in changes:
        assert isinstance(change.body, AreaChange)
        try:
            after = apply_area_change(after, change.body)
        except UnitError as exc:
            raise NoticeError.at(change.pos, f"{format_address(address)}: {exc}") from None
    if after == before:
        raise NoticeError.at(
            changes[0].pos, f"{format_address(address)}: the changes change nothing"
        )
    problems = row_problems(after)
    if problems:
        raise NoticeError.at(changes[0].pos, f"{format_address(address)}: {problems[0]}")
    quoted = row_changes(row_text(before), row_text(after))
    return QuotedChanges(tuple(quoted))


def apply_area_change(row: AreaRow, change: AreaChange) -> AreaRow:
    """One structured change applied to a row's data."""
    names = [area.name for area in row.areas]
    for new_name in (change.name if change.op == "add" else None, change.new_name):
        if new_name is not None:
            problem = area_name_problem(new_name)
            if problem:
                raise UnitError(problem)
    if change.op == "add":
        if change.name in names:
            raise UnitError(f"「{change.name}」 is already an area of {row.prefecture}")
        index = len(names)
        if change.after is not None:
            if change.after not in names:
                raise UnitError(f"「{change.after}」 is not an area of {row.prefecture}")
            index = names.index(change.after) + 1
        areas = list(row.areas)
        areas.insert(index, Area(change.name, change.model))
        return AreaRow(row.prefecture, tuple(areas))
    if change.name not in names:
        listed = "、".join(names) or "調整中"
        raise UnitError(f"「{change.name}」 is not an area of {row.prefecture} (it has {listed})")
    index = names.index(change.name)
    area = row.areas[index]
    if change.op == "remove":
        if len(names) == 1:
            raise UnitError(
                f"removing 「{change.name}」 leaves {row.prefecture} with no area; "
                "delete the row (delete_row) or rewrite it"
            )
        return AreaRow(row.prefecture, row.areas[:index] + row.areas[index + 1 :])
    if change.op == "rename":
        assert change.new_name is not None
        if change.new_name in names:
            raise UnitError(f"「{change.new_name}」 is already an area of {row.prefecture}")
        new_area = Area(change.new_name, area.model)
    else:
        wanted = change.op == "set_model"
        if area.model == wanted:
            state = "already" if wanted else "not"
            raise UnitError(f"「{change.name}」 is {state} a モデル推進区域")
        new_area = Area(area.name, wanted)
    return AreaRow(row.prefecture, (*row.areas[:index], new_area, *row.areas[index + 1 :]))


def _check_rewrite(notice: Notice, address: Address, body: Rewrite, pos: SourcePos | None) -> None:
    unit = body.unit
    expected = {
        TitleAddress: str,
        HeadingAddress: str,
        PreambleAddress: tuple,
        ContactAddress: tuple,
        ItemAddress: Item,
        RowAddress: AreaRow | TableRow,
    }.get(type(address))
    if expected is None or not isinstance(unit, expected):
        raise NoticeError.at(pos, f"{format_address(address)} cannot be rewritten with that value")
    if isinstance(address, ItemAddress) and isinstance(unit, Item):
        old = get_item(notice, address)
        if unit.label != old.label:
            raise NoticeError.at(
                pos,
                f"the rewritten item must keep its label 「{old.label}」 (got 「{unit.label}」)",
            )
    elif isinstance(address, RowAddress) and isinstance(unit, AreaRow | TableRow):
        segments(notice, address)
        if unit.label != address.row:
            raise NoticeError.at(pos, f"the rewritten row must keep its label 「{address.row}」")
        problems = table_row_problems(table(notice, address.attachment), unit)
        if problems:
            raise NoticeError.at(pos, f"{format_address(address)}: {problems[0]}")
    else:
        segments(notice, address)


# --------------------------------------------------------------------------- applying


def apply(notice: Notice, resolved: Sequence[UnitChange]) -> Notice:
    """``notice`` with the resolved changes of one amendment made."""
    result = notice
    deletions = [unit for unit in resolved if isinstance(unit.body, DeleteRow)]
    for unit in resolved:
        body = unit.body
        if isinstance(body, QuotedChanges):
            texts = segments(notice, unit.address)
            name = format_address(unit.address)
            edits = [
                edit_for(c, locate(texts, c.old, lambda i: str(i), name)) for c in body.changes
            ]
            result = with_segments(result, unit.address, apply_edits(texts, edits))
        elif isinstance(body, Rewrite):
            result = _rewrite(result, unit.address, body)
        elif isinstance(body, LevelChange):
            result = apply_level_change(result, body)
        elif isinstance(body, ParagraphChange):
            result = apply_paragraph_change(result, body)
        elif isinstance(body, AddRow):
            assert isinstance(unit.address, AttachmentAddress)
            after = body.after
            added: tuple[Row, ...] = body.rows
            if after is None:  # before the anchor: after the row before it, or first
                rows_of = table(result, unit.address.attachment)
                index = row_index(rows_of, body.anchor)
                after = rows_of.rows[index - 1].label if index else None
            for row in added:
                result = insert_row(result, unit.address.attachment, after, row)
                after = row.label
    for unit in deletions:
        assert isinstance(unit.address, RowAddress)
        result = replace_row(result, unit.address, None)
    return result


def _rewrite(notice: Notice, address: Address, body: Rewrite) -> Notice:
    unit = body.unit
    if isinstance(address, ItemAddress) and isinstance(unit, Item):
        return replace_item(notice, address, unit)
    if isinstance(address, RowAddress) and isinstance(unit, AreaRow | TableRow):
        return replace_row(notice, address, unit)
    if isinstance(address, TitleAddress) and isinstance(unit, str):
        return dataclasses.replace(notice, title=unit)
    if isinstance(address, HeadingAddress) and isinstance(unit, str):
        return with_segments(notice, address, (unit,))
    if isinstance(address, PreambleAddress | ContactAddress) and isinstance(unit, tuple):
        return with_segments(notice, address, unit)
    raise UnitError(f"{format_address(address)} cannot be rewritten with that value")


# --------------------------------------------------------------------------- consolidating


class Version:
    """A notice as in force from ``date`` (the 適用日 of the amendment that made it, which
    is its issue date unless it says otherwise): the consolidated text and its history.

    Immutable, and compared, hashed and printed like a frozen dataclass of ``notice``,
    ``date``, ``amendments`` and ``changes``. The versions of one ``History`` share one
    tuple of amendments (each version knows how many of them it has seen), so that N
    versions hold N amendments, not N²/2.
    """

    notice: Notice
    date: dt.date
    changes: tuple[UnitChange, ...]
    _applied: tuple[Amendment, ...]
    _count: int

    def __init__(
        self,
        notice: Notice,
        date: dt.date,
        amendments: tuple[Amendment, ...],
        changes: tuple[UnitChange, ...] = (),
    ) -> None:
        self._set(notice, date, tuple(amendments), len(amendments), changes)

    def _set(
        self,
        notice: Notice,
        date: dt.date,
        applied: tuple[Amendment, ...],
        count: int,
        changes: tuple[UnitChange, ...],
    ) -> None:
        for name, value in (
            ("notice", notice),
            ("date", date),
            ("changes", changes),
            ("_applied", applied),
            ("_count", count),
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def _sharing(
        cls,
        notice: Notice,
        date: dt.date,
        applied: tuple[Amendment, ...],
        count: int,
        changes: tuple[UnitChange, ...],
    ) -> Version:
        """The version made by ``applied[count - 1]`` (``applied`` shared, not copied)."""
        version = cls.__new__(cls)
        version._set(notice, date, applied, count, changes)
        return version

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        """The amendments in force, in the order they were applied."""
        if self._count == len(self._applied):
            return self._applied
        return self._applied[: self._count]

    @property
    def amendment(self) -> Amendment | None:
        """The amendment that made this version (None for the original)."""
        return self._applied[self._count - 1] if self._count else None

    @property
    def label(self) -> str:
        """「令和7年3月27日一部改正」-style name of this version (by the amendment's issue
        date), or 「原文」."""
        if self.amendment is None:
            return "原文"
        return f"{format_wareki(self.amendment.date)}一部改正"

    def _fields(self) -> tuple[Notice, dt.date, tuple[Amendment, ...], tuple[UnitChange, ...]]:
        return (self.notice, self.date, self.amendments, self.changes)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Version)
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        notice, date, amendments, changes = self._fields()
        return (
            f"Version(notice={notice!r}, date={date!r}, amendments={amendments!r}, "
            f"changes={changes!r})"
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


class History:
    """All versions of one notice, computed once: the original, then one per amendment."""

    def __init__(self, notice: Notice, amendments: Sequence[Amendment]) -> None:
        self.notice = notice
        self.amendments = tuple(sorted(amendments, key=lambda a: a.order))

    @cached_property
    def versions(self) -> tuple[Version, ...]:
        """Every version in date order; ``NoticeError`` if an amendment does not apply."""
        current = Version(self.notice, self.notice.date, ())
        versions = [current]
        applied: list[Amendment] = []
        made: list[tuple[Notice, dt.date, tuple[UnitChange, ...]]] = []
        problems: list[Problem] = []
        for amendment in self.amendments:
            if amendment.date <= self.notice.date:
                problems.append(
                    Problem(
                        f"{amendment.number} is dated {amendment.date.isoformat()}, not after "
                        f"{self.notice.id} ({self.notice.date.isoformat()}) that it amends",
                        amendment.pos,
                    )
                )
                continue
            if amendment.applies_from <= self.notice.date:
                problems.append(
                    Problem(
                        f"{amendment.number} would apply from {amendment.applies_from.isoformat()}"
                        f" (its 適用日), not after {self.notice.id} "
                        f"({self.notice.date.isoformat()}) that it amends; give a 適用日 after "
                        "that date",
                        amendment.where("effective"),
                    )
                )
                continue
            try:
                resolved = resolve(current.notice, amendment)
                amended = apply(current.notice, resolved)
            except NoticeError as exc:
                problems.extend(exc.problems)
                continue
            except (UnitError, QuoteError) as exc:
                problems.append(Problem(f"{amendment.number}: {exc}", amendment.pos))
                continue
            applied.append(amendment)
            made.append((amended, amendment.applies_from, resolved))
            current = Version(amended, amendment.applies_from, (), resolved)
        if problems:
            raise NoticeError(problems)
        shared = tuple(applied)
        for count, (amended, date, resolved) in enumerate(made, start=1):
            versions.append(Version._sharing(amended, date, shared, count, resolved))
        return tuple(versions)

    @cached_property
    def _dates(self) -> list[dt.date]:
        return [version.date for version in self.versions]

    @cached_property
    def _by_number(self) -> dict[str, Version]:
        found: dict[str, Version] = {}
        for version in self.versions:
            if version.amendment is not None:
                found.setdefault(version.amendment.number, version)
        return found

    @cached_property
    def _index(self) -> dict[int, int]:
        return {id(version): index for index, version in enumerate(self.versions)}

    def as_of(self, date: dt.date) -> Version:
        """The version in force on ``date``; ``NoticeError`` before the notice was issued."""
        if date < self.notice.date:
            raise NoticeError(
                f"{self.notice.id} was issued on {self.notice.date.isoformat()} "
                f"({format_wareki(self.notice.date)}); there is no version as of "
                f"{date.isoformat()}"
            )
        return self.versions[bisect.bisect_right(self._dates, date) - 1]

    def version_of(self, amendment_number: str) -> Version:
        """The version an amendment produced."""
        found = self._by_number.get(amendment_number)
        if found is None:
            raise NoticeError(f"{amendment_number} is not an amendment of {self.notice.id}")
        return found

    def before(self, version: Version) -> Version:
        """The version in force just before ``version``."""
        index = self._index.get(id(version))
        if index is None or self.versions[index] is not version:
            index = self.versions.index(version)
        return self.versions[max(index - 1, 0)]
