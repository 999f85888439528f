"""Every change kind the engine supports shows in the 新旧対照表, under the unit it changes.

For each kind (a quoted replace/insert/delete in the title, the 前文, an item, an item's
見出し alone, the contact block, a text attachment's title, paragraph or item; a rewrite of
an item, an item's 見出し, a row, the title, the 前文 or the contact block; a row added or
deleted; items added to or deleted from a level; each structured area change) random
valid changes of that kind are applied to a notice with a 別添1 and a 別紙, and ``compare``
must give a non-empty list of rows, each naming the changed unit (or, for a rewritten
item, a unit inside it; for items added or deleted, a unit of their level, the items
after them being renumbered) and each with a marked run. The expected context is worked
out here from the notice, not from ``builder.engine.compare``: a comparison that leaves
out a part of the notice (as it once left out a 別紙's items) fails here.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builder.engine.address import ItemAddress, citation_label, format_address, parse_address
from builder.engine.amend import apply, balanced_quotes, resolve
from builder.engine.compare import ComparisonRow, compare, marked_text
from builder.engine.labels import form_of_level, label_number, numbered_label
from builder.engine.textedit import find_all
from builder.engine.units import segments
from builder.japanese.prefectures import PREFECTURES as PREFECTURE_TABLE
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
    TextAttachment,
    TextChange,
)
from builder.sources.project import read_notice
from builder.sources.yamlsafe import parse_yaml
from tests.engine.test_compare import WITH_BESSHI

COVERAGE = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NOTICE = read_notice(parse_yaml(WITH_BESSHI, "notices/mini.yaml"))
PREFECTURES = [p.name for p in sorted(PREFECTURE_TABLE, key=lambda p: p.code)]
TEXT = st.text(alphabet="あいうかきくさ甲乙丙丁東西南北市町村、。（）1", min_size=1, max_size=6)
NAME = st.text(alphabet="東西南北中央山川海原野島", min_size=1, max_size=4)


@dataclass(frozen=True)
class Case:
    """Changes of one kind and the unit they change: its context in the 新旧対照表, whether
    they change that unit only (one row), and the row label a table row must start with.
    For items added or deleted: the level whose rows may show (``within``: the items after
    them are renumbered) and the side their row shows on alone (``only``)."""

    changes: tuple[Change, ...]
    context: str
    one_row: bool = True
    row_label: str | None = None
    within: str | None = None
    only: typing.Literal["after", "before"] | None = None


# --------------------------------------------------------------------------- the notice


def cited_items(items: tuple[Item, ...], cited: str) -> Iterator[tuple[str, Item]]:
    """Each item with its citation under ``cited`` (「記の1の(1)」, 「別紙の2」), in
    document order (the fixture's labels are unique at each level)."""
    for item in items:
        here = f"{cited}の{citation_label(item.label)}"
        yield here, item
        yield from cited_items(item.items, here)


def own_texts(item: Item) -> list[str]:
    """An item's own segments: its title and paragraphs, not its sub-items'."""
    return ([item.title] if item.title is not None else []) + list(item.paragraphs)


def besshi(notice: Notice) -> TextAttachment:
    found = notice.attachment("別紙")
    assert isinstance(found, TextAttachment)
    return found


def table(notice: Notice) -> AreaTable:
    found = notice.attachment("別添1")
    assert isinstance(found, AreaTable)
    return found


Target = tuple[str, list[int], str]
"""An address, the indexes of its segments that belong to one unit, and that unit's context."""


def text_targets(notice: Notice, where: str) -> list[Target]:
    """Where a quoted change of ``where`` can go, one target per unit."""
    if where == "件名":
        return [("件名", [0], "件名")]
    if where == "前文":
        return [("前文", list(range(len(notice.preamble))), "前文")]
    if where == "item":
        return [
            (cited, list(range(len(own_texts(item)))), cited)
            for cited, item in cited_items(notice.ki, "記")
            if own_texts(item)
        ]
    if where == "見出し":
        return [
            (f"{cited}の見出し", [0], cited)
            for cited, item in cited_items(notice.ki, "記")
            if item.title is not None
        ]
    if where == "contact":
        assert notice.contact is not None
        return [("担当者", list(range(len(notice.contact.lines))), notice.contact.label)]
    attachment = besshi(notice)
    label = f"（{attachment.id}）"
    if where == "別紙 title":
        return [(attachment.id, [0], label)]
    if where == "別紙 paragraph":
        return [(attachment.id, list(range(1, 1 + len(attachment.paragraphs))), label)]
    assert where == "別紙 item"
    targets: list[Target] = []
    offset = 1 + len(attachment.paragraphs)  # the attachment's segments: title, paragraphs, items
    for cited, item in cited_items(attachment.items, attachment.id):
        count = len(own_texts(item))
        if count:
            targets.append((attachment.id, list(range(offset, offset + count)), cited))
        offset += count
    return targets


# --------------------------------------------------------------------------- generating


def other_than(text: str, taken: list[str]) -> str:
    while text in taken:
        text += "新"
    return text


@st.composite
def text_case(
    draw: st.DrawFn, notice: Notice, where: str, kind: typing.Literal["replace", "insert", "delete"]
) -> Case:
    at, allowed, context = draw(st.sampled_from(text_targets(notice, where)))
    texts = segments(notice, parse_address(at))
    segment = draw(st.sampled_from(allowed))
    text = texts[segment]
    start = draw(st.integers(0, len(text) - 1))
    quote = None
    for end in range(min(start + draw(st.integers(1, 6)), len(text)), len(text) + 1):
        candidate = text[start:end]
        if (
            candidate != text
            and balanced_quotes(candidate)
            and len(find_all(texts, candidate)) == 1
        ):
            quote = candidate
            break
    assume(quote is not None)
    assert quote is not None
    new = "" if kind == "delete" else other_than(draw(TEXT), [quote])
    return Case((Change(at, TextChange(kind, quote, new)),), context)


HEADING = TEXT.map(lambda t: t.rstrip("。") or "見出し")
SENTENCE = HEADING.map(lambda t: t + "。")


@st.composite
def rewrite_item(draw: st.DrawFn, notice: Notice) -> Case:
    cited, old = draw(st.sampled_from(list(cited_items(notice.ki, "記"))))
    if draw(st.booleans()):
        new = Item(
            old.label, draw(HEADING), tuple(draw(st.lists(SENTENCE, min_size=1, max_size=2)))
        )
    else:
        new = Item(old.label, None, tuple(draw(st.lists(SENTENCE, min_size=1, max_size=2))))
    assume(new != old)
    return Case((Change(cited, Rewrite(new)),), cited, one_row=not old.items)


@st.composite
def rewrite_heading(draw: st.DrawFn, notice: Notice) -> Case:
    cited, item = draw(
        st.sampled_from([(c, i) for c, i in cited_items(notice.ki, "記") if i.title is not None])
    )
    assert item.title is not None
    title = other_than(draw(HEADING), [item.title])
    return Case((Change(f"{cited}の見出し", Rewrite(title)),), cited)


def numbered_levels(notice: Notice) -> Iterator[tuple[tuple[str, ...], tuple[Item, ...]]]:
    """The path of each level under 記 that can take items (記 itself, each item's
    sub-items down to the ① level) with its items, when they are numbered."""
    levels: list[tuple[tuple[str, ...], tuple[Item, ...]]] = [((), notice.ki)]
    for cited, item in cited_items(notice.ki, "記"):
        address = parse_address(cited)
        assert isinstance(address, ItemAddress)
        levels.append((address.path, item.items))
    for path, items in levels:
        if form_of_level(len(path)) is not None and all(label_number(i.label) for i in items):
            yield path, items


@st.composite
def add_items(draw: st.DrawFn, notice: Notice) -> Case:
    """1-2 items added first, after an item, or into an empty level."""
    path, items = draw(st.sampled_from(list(numbered_levels(notice))))
    labels = [citation_label(item.label) for item in items]
    after = draw(st.sampled_from([None, *labels])) if items else None
    found = label_number(items[0].label) if items else None
    form = found[0] if found else form_of_level(len(path))
    assert form is not None
    start = labels.index(after) + 2 if after is not None else 1
    new = tuple(
        Item(
            numbered_label(form, start + k),
            draw(st.one_of(st.none(), HEADING)),
            tuple(draw(st.lists(SENTENCE, min_size=1, max_size=2))),
        )
        for k in range(draw(st.integers(1, 2)))
    )
    level = format_address(ItemAddress(path))
    body = AddItems(new, after=after, first=bool(items) and after is None)
    first = f"{level}の{citation_label(new[0].label)}"
    return Case((Change(level, body),), first, one_row=False, within=level, only="after")


@st.composite
def delete_item(draw: st.DrawFn, notice: Notice) -> Case:
    """An item of a numbered level deleted (the fixture has no level whose only item
    cannot go)."""
    path, items = draw(st.sampled_from([(p, i) for p, i in numbered_levels(notice) if i]))
    label = draw(st.sampled_from([citation_label(item.label) for item in items]))
    cited = format_address(ItemAddress((*path, label)))
    level = format_address(ItemAddress(path))
    return Case((Change(cited, DeleteItem()),), cited, one_row=False, within=level, only="before")


@st.composite
def add_paragraphs(draw: st.DrawFn, notice: Notice) -> Case:
    """Paragraphs added after a paragraph of an item: the item's row."""
    cited, item = draw(
        st.sampled_from([c for c in cited_items(notice.ki, "記") if c[1].paragraphs])
    )
    number = draw(st.integers(1, len(item.paragraphs)))
    added = tuple(draw(st.lists(SENTENCE, min_size=1, max_size=2)))
    return Case((Change(f"{cited}の第{number}段落", AddParagraphs(added)),), cited)


@st.composite
def delete_paragraph(draw: st.DrawFn, notice: Notice) -> Case:
    """A paragraph of an item deleted (one that leaves the item something): its row."""
    choices = [
        (cited, item)
        for cited, item in cited_items(notice.ki, "記")
        if item.paragraphs and (len(item.paragraphs) > 1 or item.title is not None or item.items)
    ]
    cited, item = draw(st.sampled_from(choices))
    number = draw(st.integers(1, len(item.paragraphs)))
    return Case((Change(f"{cited}の第{number}段落", DeleteParagraph()),), cited)


def new_row(draw: st.DrawFn, prefecture: str) -> AreaRow:
    if draw(st.booleans()):
        return AreaRow(prefecture, (), pending=True)
    names = draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
    return AreaRow(prefecture, tuple(Area(n, draw(st.booleans())) for n in names))


def row_case(at_row: AreaRow, body: ChangeBody) -> Case:
    return Case(
        (Change(f"別添1 {at_row.prefecture}の項", body),), "（別添1）", row_label=at_row.prefecture
    )


@st.composite
def rewrite_row(draw: st.DrawFn, notice: Notice) -> Case:
    row = draw(st.sampled_from(table(notice).rows))
    rewritten = new_row(draw, row.prefecture)
    assume(rewritten != row)
    return row_case(row, Rewrite(rewritten))


@st.composite
def rewrite_title(draw: st.DrawFn, notice: Notice) -> Case:
    title = other_than(draw(HEADING), [notice.title])
    return Case((Change("件名", Rewrite(title)),), "件名")


@st.composite
def rewrite_preamble(draw: st.DrawFn, notice: Notice) -> Case:
    paragraphs = tuple(draw(st.lists(SENTENCE, min_size=1, max_size=3)))
    assume(paragraphs != notice.preamble)
    return Case((Change("前文", Rewrite(paragraphs)),), "前文", one_row=False)


@st.composite
def rewrite_contact(draw: st.DrawFn, notice: Notice) -> Case:
    assert notice.contact is not None
    lines = tuple(draw(st.lists(HEADING, min_size=1, max_size=3)))
    assume(lines != notice.contact.lines)
    return Case((Change("担当者", Rewrite(lines)),), notice.contact.label)


@st.composite
def add_row_after(draw: st.DrawFn, notice: Notice) -> Case:
    present = [r.prefecture for r in table(notice).rows]
    first = PREFECTURES.index(present[0])
    prefecture = draw(st.sampled_from([p for p in PREFECTURES[first + 1 :] if p not in present]))
    after = [p for p in present if PREFECTURES.index(p) < PREFECTURES.index(prefecture)][-1]
    row = new_row(draw, prefecture)
    return Case((Change("別添1", AddRow(after, (row,))),), "（別添1）", row_label=prefecture)


@st.composite
def delete_row(draw: st.DrawFn, notice: Notice) -> Case:
    return row_case(draw(st.sampled_from(table(notice).rows)), DeleteRow())


@st.composite
def area_case(
    draw: st.DrawFn,
    notice: Notice,
    op: typing.Literal["add", "remove", "set_model", "clear_model", "rename"],
) -> Case:
    def fits(area: Area, row: AreaRow) -> bool:
        return {
            "remove": len(row.areas) > 1,
            "set_model": not area.model,
            "clear_model": area.model,
            "rename": True,
        }[op]

    rows = table(notice).rows
    if op == "add":
        row = draw(st.sampled_from(rows))
        names = [a.name for a in row.areas]
        after = draw(st.sampled_from([None, *names]))
        change = AreaChange("add", other_than(draw(NAME), names), draw(st.booleans()), after)
        return row_case(row, change)
    pairs = [(row, area) for row in rows for area in row.areas if fits(area, row)]
    row, area = draw(st.sampled_from(pairs))
    new_name = other_than(draw(NAME), [a.name for a in row.areas]) if op == "rename" else None
    return row_case(row, AreaChange(op, area.name, new_name=new_name))


Kind = Callable[[Notice], st.SearchStrategy[Case]]


def _text_kind(where: str, kind: typing.Literal["replace", "insert", "delete"]) -> Kind:
    return lambda notice: text_case(notice, where, kind)


def _area_kind(op: typing.Literal["add", "remove", "set_model", "clear_model", "rename"]) -> Kind:
    return lambda notice: area_case(notice, op)


TEXT_UNITS = (
    "件名",
    "前文",
    "item",
    "見出し",
    "contact",
    "別紙 title",
    "別紙 paragraph",
    "別紙 item",
)
TEXT_KINDS: tuple[typing.Literal["replace", "insert", "delete"], ...] = (
    "replace",
    "insert",
    "delete",
)
AREA_OPS: tuple[typing.Literal["add", "remove", "set_model", "clear_model", "rename"], ...] = (
    "add",
    "remove",
    "set_model",
    "clear_model",
    "rename",
)
KINDS: dict[str, Kind] = {
    **{
        f"{kind} in {where}": _text_kind(where, kind) for where in TEXT_UNITS for kind in TEXT_KINDS
    },
    "rewrite item": rewrite_item,
    "rewrite 見出し": rewrite_heading,
    "add_items": add_items,
    "delete_item": delete_item,
    "add_paragraphs": add_paragraphs,
    "delete_paragraph": delete_paragraph,
    "rewrite row": rewrite_row,
    "rewrite 件名": rewrite_title,
    "rewrite 前文": rewrite_preamble,
    "rewrite contact": rewrite_contact,
    "add_row_after": add_row_after,
    "delete_row": delete_row,
    **{f"area {op}": _area_kind(op) for op in AREA_OPS},
}


# --------------------------------------------------------------------------- properties


def plain(row: ComparisonRow) -> list[str]:
    return [
        marked_text(line).replace("〖", "").replace("〗", "") for line in (*row.after, *row.before)
    ]


@COVERAGE
@pytest.mark.parametrize("kind", sorted(KINDS))
@given(data=st.data())
def test_every_change_kind_shows_under_its_unit(kind: str, data: st.DataObject) -> None:
    case = data.draw(KINDS[kind](NOTICE))
    amendment = Amendment("医政発0501第1号", dt.date(2024, 5, 1), NOTICE.id, case.changes)
    after = apply(NOTICE, resolve(NOTICE, amendment))
    assert after != NOTICE
    rows = compare(NOTICE, after)
    contexts = [row.context for row in rows]
    assert case.context in contexts, (kind, case, contexts)
    within = case.within or case.context
    assert all(c == within or c.startswith(within + "の") for c in contexts), contexts
    if case.only is not None:  # the added (deleted) item: on its side alone, marked whole
        alone = [
            row
            for row in rows
            if row.context == case.context
            and not (row.before if case.only == "after" else row.after)
        ]
        assert alone, (case, rows)
        side = alone[0].after if case.only == "after" else alone[0].before
        assert all(changed or not text.strip("\u3000") for line in side for text, changed in line)
    if case.one_row:
        assert len(rows) == 1, contexts
    if case.row_label is not None:
        assert all(line.startswith(case.row_label) for row in rows for line in plain(row))
    for row in rows:
        assert any(changed for line in (*row.after, *row.before) for _, changed in line), row


def test_every_kind_of_change_has_a_case() -> None:
    """The text change kinds and area change operations of the model all have a case
    above (a new one must be added here, with its expected place in the comparison)."""
    text_kinds = typing.get_args(typing.get_type_hints(TextChange)["kind"])
    area_ops = typing.get_args(typing.get_type_hints(AreaChange)["op"])
    assert set(text_kinds) == set(TEXT_KINDS)
    assert set(area_ops) == set(AREA_OPS)
    covered = {
        TextChange,
        Rewrite,
        AddRow,
        DeleteRow,
        AreaChange,
        AddItems,
        DeleteItem,
        AddParagraphs,
        DeleteParagraph,
    }
    missing = [t.__name__ for t in typing.get_args(ChangeBody) if t not in covered]
    assert not missing, f"change kinds with no comparison case here: {', '.join(missing)}"
