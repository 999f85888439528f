"""How a change to a 別添1 row is quoted (``builder.engine.row_quotes``): the examples of
the issue as exact sentences, the same sentence as the text change a drafter writes for
the same edit, and properties over random rows and random area edits (every quote whole
areas and unique, the changes applied as the engine applies them give the new row)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.engine.amend import apply_area_change
from builder.engine.area_profile import AREA_SEPARATOR, MODEL_MARK, parse_row_text, row_text
from builder.engine.kaibun import clauses, kaibun_text
from builder.engine.row_quotes import row_changes
from builder.engine.textedit import apply_edits, edit_for, locate
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.model.notice import AreaChange, TextChange
from builder.sources.workspace import Workspace
from tests.conftest import amendment_yaml


def sentence(before: str, after: str) -> str:
    return clauses(row_changes(before, after))


def applied(before: str, changes: list[TextChange]) -> str:
    """``changes`` located and applied as the engine does (``amend._locate_text_changes``);
    also checks that each quote occurs once and that they come in document order."""
    spans = [locate((before,), change.old, lambda _: "the row", "the row") for change in changes]
    assert spans == sorted(spans), "changes out of document order"
    edits = [edit_for(change, span) for change, span in zip(changes, spans, strict=True)]
    return apply_edits((before,), edits)[0]


def structured(before: str, *changes: AreaChange) -> str:
    row = parse_row_text("群馬県", before)
    for change in changes:
        row = apply_area_change(row, change)
    return row_text(row)


# --------------------------------------------------------------------------- the issue


def test_added_area_carries_its_separator_and_mark() -> None:
    before = "伊勢崎（●）、藤岡（●）"
    after = structured(before, AreaChange("add", "前橋", model=True, after="伊勢崎"))
    assert after == "伊勢崎（●）、前橋（●）、藤岡（●）"
    assert sentence(before, after) == "「伊勢崎（●）」の下に「、前橋（●）」を加える"
    assert applied(before, row_changes(before, after)) == after


@pytest.mark.parametrize("before", ["東部、北部", "東部、北部、西部", "南部、東部、北部"])
def test_rename_and_remove_read_as_the_text_change(before: str) -> None:
    """rename_area + remove_area: the sentence a drafter writes as text changes."""
    after = structured(
        before, AreaChange("rename", "東部", new_name="中部"), AreaChange("remove", "北部")
    )
    by_hand = [TextChange("replace", "東部", "中部"), TextChange("delete", "、北部")]
    assert applied(before, by_hand) == after
    assert row_changes(before, after) == by_hand
    assert (
        sentence(before, after) == clauses(by_hand) == "「東部」を「中部」に改め、「、北部」を削る"
    )


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # removing: the separator goes with the area
        ("東部、北部、西部", "東部、西部", "「、北部」を削る"),
        ("東部、北部、西部", "東部、北部", "「、西部」を削る"),
        ("東部、北部、西部", "北部、西部", "「東部、」を削る"),
        ("東部、北部、西部", "西部", "「東部、北部、」を削る"),
        # adding: after the area before it, or in front of the first one
        ("東部、北部", "東部、北部、西部", "「北部」の下に「、西部」を加える"),
        ("東部、北部", "東部、中部、北部", "「東部」の下に「、中部」を加える"),
        ("東部、北部", "中部、東部、北部", "「東部」を「中部、東部」に改める"),
        # marking and unmarking quote the area
        ("東部、北部", "東部（●）、北部", "「東部」を「東部（●）」に改める"),
        ("青森、津軽（●）", "青森、津軽", "「津軽（●）」を「津軽」に改める"),
        (
            "青森（●）、津軽（●）",
            "青森、津軽",
            "「青森（●）」を「青森」に、「津軽（●）」を「津軽」に改める",
        ),
        # a rename keeps the mark
        (
            "能代・山本（●）、大館・鹿角（●）",
            "能代・山本（●）、大館（●）",
            "「大館・鹿角（●）」を「大館（●）」に改める",
        ),
        # changes sharing a quote merge; changes that only meet stay apart
        ("東部、北部", "中部、西部、北部", "「東部」を「中部、西部」に改める"),
        ("東部、北部", "東部（●）、西部、北部", "「東部」を「東部（●）、西部」に改める"),
        ("東部、北部、西部", "東部（●）、西部", "「東部」を「東部（●）」に改め、「、北部」を削る"),
        # a quote that occurs twice (東部 in 南東部) is widened
        ("東部、北部、南東部", "東部（●）、北部、南東部", "「東部、」を「東部（●）、」に改める"),
        ("東部、北部、南東部", "東部、中部、北部、南東部", "「東部、」の下に「中部、」を加える"),
        ("北部、東部、南東部", "北部、東部（●）、南東部", "「、東部」を「、東部（●）」に改める"),
        ("北部、東部、南東部", "北部、東部、中部、南東部", "「東部、」の下に「中部、」を加える"),
        ("北部、東部、東部西", "北部、東部西", "「東部、」を削る"),
        (
            "北部、東部、東部西、南東部、西",
            "北部、東部西、南東部、西",
            "「北部、東部」を「北部」に改める",
        ),
        # 調整中 is replaced whole (the published sentences)
        ("調整中", "東播磨", "「調整中」を「東播磨」に改める"),
        ("調整中", "中空知（●）", "「調整中」を「中空知（●）」に改める"),
        ("調整中", "東部（●）", "「調整中」を「東部（●）」に改める"),
        ("東部、北部", "調整中", "「東部、北部」を「調整中」に改める"),
    ],
)
def test_sentences(before: str, after: str, expected: str) -> None:
    assert sentence(before, after) == expected
    assert applied(before, row_changes(before, after)) == after


def test_no_change_no_quote() -> None:
    assert row_changes("東部、北部", "東部、北部") == []


# --------------------------------------------------------------------------- through the engine


def engine_kaibun(make_project: Callable[..., Path], changes: str) -> tuple[str, AreaRow]:
    root = make_project({"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)})
    workspace = Workspace(root)
    version = workspace.history(workspace.find_notice("医政発0401第1号")).versions[-1]
    table = version.notice.attachment("別添1")
    assert isinstance(table, AreaTable)
    found = table.row("岩手県")
    assert found is not None
    return kaibun_text(version.changes), found


def test_structured_edit_quotes_as_the_drafters_text_change(
    make_project: Callable[..., Path],
) -> None:
    """The text changes a drafter writes for rename 北部 → 中部 and remove 南東部 of
    「東部、北部、南東部」: the engine accepts them, and they are what row_changes gives for
    the structured form of the same edit, which makes the same row."""
    textual, by_hand = engine_kaibun(
        make_project,
        "  - {at: 別添1 岩手県の項, replace: 北部, with: 中部}\n"
        "  - {at: 別添1 岩手県の項, delete: 、南東部}\n",
    )
    _, by_structure = engine_kaibun(
        make_project,
        "  - {at: 別添1 岩手県の項, rename_area: 北部, to: 中部}\n"
        "  - {at: 別添1 岩手県の項, remove_area: 南東部}\n",
    )
    assert by_hand == by_structure
    assert textual == "別添1 岩手県の項中「北部」を「中部」に改め、「、南東部」を削る。\n"
    ours = clauses(row_changes("東部、北部、南東部", row_text(by_structure)))
    assert textual == f"別添1 岩手県の項中{ours}。\n"


# --------------------------------------------------------------------------- properties

PROPERTIES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAME = st.text(alphabet="東西南北中部", min_size=1, max_size=3)
"""Area names from few characters, so that names occur inside other names."""


@st.composite
def rows(draw: st.DrawFn, name: st.SearchStrategy[str] = NAME) -> AreaRow:
    if draw(st.integers(0, 9)) == 0:
        return AreaRow("群馬県", (), pending=True)
    names = draw(st.lists(name, min_size=1, max_size=6, unique=True))
    return AreaRow("群馬県", tuple(Area(n, draw(st.booleans())) for n in names))


Draw = Callable[[st.SearchStrategy[Any]], Any]
"""``draw`` of a composite strategy or ``st.data()``."""


def area_change(draw: Draw, row: AreaRow, name: st.SearchStrategy[str]) -> AreaChange:
    """One area change that applies to ``row``."""
    names = [a.name for a in row.areas]
    fresh = name.filter(lambda n: n not in names)
    ops = ["add"] + ["rename"] * bool(names) + ["remove"] * (len(names) > 1)
    ops += ["set_model"] * any(not a.model for a in row.areas)
    ops += ["clear_model"] * any(a.model for a in row.areas)
    op = draw(st.sampled_from(ops))
    if op == "add":
        after = draw(st.sampled_from([None, *names]))
        return AreaChange("add", draw(fresh), model=draw(st.booleans()), after=after)
    if op == "rename":
        return AreaChange("rename", draw(st.sampled_from(names)), new_name=draw(fresh))
    if op == "remove":
        return AreaChange("remove", draw(st.sampled_from(names)))
    flagged = [a.name for a in row.areas if a.model == (op == "clear_model")]
    return AreaChange(op, draw(st.sampled_from(flagged)))


@st.composite
def edited(draw: st.DrawFn, name: st.SearchStrategy[str] = NAME) -> tuple[AreaRow, AreaRow]:
    """A row and the row after one to four area changes."""
    before = after = draw(rows(name))
    for _ in range(draw(st.integers(1, 4))):
        after = apply_area_change(after, area_change(draw, after, name))
    return before, after


def whole_areas(text: str) -> bool:
    """Whether ``text`` is areas (each with its whole mark, if any) and separators, with no
    bare separator or mark: at most one 「、」 at each end, none doubled."""
    parts = text.split(AREA_SEPARATOR)
    inner = parts[1:-1] if len(parts) > 2 else []
    if any(not p for p in inner) or not any(parts):
        return False
    return all(
        not p or (p.removesuffix(MODEL_MARK) and not set("（●）") & set(p.removesuffix(MODEL_MARK)))
        for p in parts
    )


@PROPERTIES
@given(edited())
def test_quotes_are_whole_unique_areas_that_make_the_new_row(pair: tuple[AreaRow, AreaRow]) -> None:
    before, after = row_text(pair[0]), row_text(pair[1])
    changes = row_changes(before, after)
    assert (changes == []) == (before == after)
    assert applied(before, changes) == after  # each quote once, in order, right result
    assert parse_row_text("群馬県", applied(before, changes)) == pair[1]
    areas = before.split(AREA_SEPARATOR)
    ends = set(itertools.accumulate(len(a) + 1 for a in areas))  # after each 「、」
    boundaries = {0} | ends | {end - 1 for end in ends}  # so also before each 「、」
    for change in changes:
        span = locate((before,), change.old, str, "the row")
        assert {span.start, span.end} <= boundaries, change  # no name or 「（●）」 cut
        assert whole_areas(change.old) or change.old == "調整中", change
        if change.kind != "delete":
            assert whole_areas(change.new) or change.new == "調整中", change
    if changes:
        clauses(changes)  # formats


FIXED = st.text(alphabet="東西南北中央山川海原野島", min_size=2, max_size=2)
"""Names of one length: none occurs inside another, so no quote needs widening."""


def canonical(row: AreaRow, change: AreaChange) -> str:
    """The sentence of one change when every quote is unique without widening."""
    printed = {a.name: row_text(AreaRow("", (a,))) for a in row.areas}
    names = [a.name for a in row.areas]
    if change.op == "add":
        anchor = change.after or names[-1]
        added = change.name + (MODEL_MARK if change.model else "")
        return f"「{printed[anchor]}」の下に「、{added}」を加える"
    old = printed[change.name]
    if change.op == "remove":
        return f"「{old}、」を削る" if names.index(change.name) == 0 else f"「、{old}」を削る"
    if change.op == "rename":
        assert change.new_name is not None
        return f"「{old}」を「{old.replace(change.name, change.new_name)}」に改める"
    marked = change.name + MODEL_MARK
    if change.op == "set_model":
        return f"「{change.name}」を「{marked}」に改める"
    return f"「{marked}」を「{change.name}」に改める"


@PROPERTIES
@given(st.data())
def test_one_change_on_unique_names_reads_canonically(data: st.DataObject) -> None:
    row = data.draw(rows(FIXED).filter(lambda r: not r.pending))
    change = area_change(data.draw, row, FIXED)
    after = row_text(apply_area_change(row, change))
    assert sentence(row_text(row), after) == canonical(row, change)


def test_a_long_row_is_quick() -> None:
    """A row of 213 areas (bench/scale.py's size) with an area renamed and one added."""
    names = [f"{a}{b}{c}" for a in "東西南北中央" for b in "山川海原野島" for c in "甲乙丙丁戊己"][
        :213
    ]
    before = AREA_SEPARATOR.join(names)
    after = before.replace("東山甲、", "東山乙甲、").replace("北海丙", "北海丙、新区域（●）")
    start = time.process_time()
    assert (
        sentence(before, after)
        == "「東山甲」を「東山乙甲」に改め、「北海丙」の下に「、新区域（●）」を加える"
    )
    assert time.process_time() - start < 2
