"""新旧対照表: only changed units, 改正後 left by default, changed words marked whole."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from builder.documents.compose import comparison
from builder.drafting.check import round_trip
from builder.engine.compare import compare, mark, marked_text, units
from builder.model.notice import Item
from builder.sources.project import read_notice
from builder.sources.workspace import Workspace
from builder.sources.yamlsafe import parse_yaml
from builder.writers.text import render_text
from tests.conftest import MINI_NOTICE, amendment_yaml
from tests.engine.test_engine import MakeProject, kaibun_of

WITH_BESSHI = (
    MINI_NOTICE
    + """\
  - id: 別紙
    kind: text
    title: 勉強会実施概要
    paragraphs: [【目的】, 医療機関の理解を深める。]
    items:
      - label: "1."
        title: 実施体制
        paragraphs: [主催は都道府県とする。]
        items:
          - {label: "(1)", text: 共催は地方銀行とする。}
      - {label: "2.", text: 開催方法はWEB等とする。}
"""
)
"""The mini notice with a 別紙 (a text attachment) that has paragraphs and items."""


def test_each_amendment_shows_only_its_row(
    workspace: Workspace, golden: Callable[[str, str], None]
) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    for version in history.versions[1:]:
        rows = compare(history.before(version).notice, version.notice)
        assert len(rows) == 1 and rows[0].context == "（別添1）"
        golden(
            f"comparison-{version.date.isoformat()}.txt",
            render_text(comparison(history.before(version), version, "c")),
        )
    text = render_text(comparison(history.versions[2], history.versions[3], "c"))
    fragment = "（別添1）\n都道府県｜推進区域、モデル推進区域\n（略）\n兵庫県｜〖{}〗\n（略）"
    assert f"{fragment.format('東播磨')}\n｜\n{fragment.format('調整中')}" in text
    assert "\n" + " " * 58 + "（傍線部分は改正部分）\n" in text  # flush right
    assert "→" not in text and "版" not in text


def test_before_on_the_left_when_asked(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    text = render_text(
        comparison(history.versions[2], history.versions[3], "c", after_on_left=False)
    )
    assert "改正前　｜　改正後" in text
    assert "兵庫県｜〖調整中〗\n（略）\n｜\n（別添1）" in text
    assert text.rstrip().endswith("兵庫県｜〖東播磨〗\n（略）")


def test_between_any_two_dates(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    rows = compare(
        history.as_of(dt.date(2024, 8, 1)).notice, history.as_of(dt.date(2025, 3, 27)).notice
    )
    assert [marked_text(r.after[0]) for r in rows] == [
        "北海道　〖中空知（●）〗",
        "兵庫県　〖東播磨〗",
        "鳥取県　〖東部（●）〗",
    ]
    assert compare(history.versions[0].notice, history.versions[0].notice) == []


def test_marks_whole_words() -> None:
    """Marks fall on the words a quote takes (the analyser's: 「区域」 is a word of
    「区域対応方針」, as 「区域」を削る would quote it), never inside one."""
    before, after = mark(
        "都道府県においては、区域対応方針を策定する。",
        "都道府県においては、対応方針を速やかに策定する。",
    )
    assert marked_text(after) == "都道府県においては、対応方針を〖速やかに〗策定する。"
    assert marked_text(before) == "都道府県においては、〖区域〗対応方針を策定する。"


def test_marks_a_number_with_its_counter() -> None:
    before, after = mark("　2024年度までに策定すること。", "　2025年度までに策定すること。")
    assert marked_text(after) == "　〖2025年度〗までに策定すること。"
    assert marked_text(before) == "　〖2024年度〗までに策定すること。"


def test_body_changes_show_their_item(make_project: MakeProject) -> None:
    _, history = kaibun_of(
        make_project,
        "  - {at: 記の1の(1)の②, replace: 第二, with: 第2}\n  - {at: 前文, delete: なお、}\n",
    )
    rows = compare(history.versions[0].notice, history.versions[1].notice)
    assert [r.context for r in rows] == ["前文", "記の1の(1)の②"]
    assert marked_text(rows[1].after[0]) == "　　②〖第2〗の事項であること"
    assert marked_text(rows[0].before[0]) == "　〖なお、〗本通知は技術的助言である。"


def test_added_and_deleted_rows(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 別添1 岩手県の項, delete_row: true}\n"
        "  - at: 別添1\n    add_row_after: 岩手県\n    rows: [{prefecture: 宮城県, areas: [仙南]}]\n"
    )
    _, history = kaibun_of(make_project, changes)
    rows = compare(history.versions[0].notice, history.versions[1].notice)
    sides = [
        (tuple(marked_text(x) for x in r.after), tuple(marked_text(x) for x in r.before))
        for r in rows
    ]
    assert (("〖宮城県　仙南〗",), ()) in sides
    assert ((), ("〖岩手県　東部、北部、南東部〗",)) in sides


def test_text_attachment_item_changes_show_their_item(make_project: MakeProject) -> None:
    """A change inside an item of a 別紙 is a row of the 新旧対照表 (it used to give none)."""
    changes = "  - {at: 別紙, replace: WEB等, with: 対面}\n  - {at: 別紙, after: 共催は, insert: 地元の}\n"
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=WITH_BESSHI
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    before, after = history.versions
    assert round_trip(history, after) is None
    rows = compare(before.notice, after.notice)
    assert [r.context for r in rows] == ["別紙の1の(1)", "別紙の2"]
    assert [marked_text(line) for line in rows[1].after] == ["2.　開催方法は〖対面〗とする。"]
    assert [marked_text(line) for line in rows[1].before] == ["2.　開催方法は〖WEB等〗とする。"]
    assert [marked_text(line) for line in rows[0].after] == [
        "　(1)　共催は〖地元の〗地方銀行とする。"
    ]
    assert [marked_text(line) for line in rows[0].before] == ["　(1)　共催は地方銀行とする。"]
    text = render_text(comparison(before, after, "c"))
    assert "\n2.　開催方法は〖対面〗とする。\n｜\n2.　開催方法は〖WEB等〗とする。" in text
    assert "（別紙）\n｜\n（別紙）\n\n（略）\n｜\n（略）\n\n1.　（略）\n｜\n1.　（略）" in text


def test_text_attachment_units_follow_its_paragraphs() -> None:
    """A 別紙's title, paragraphs, then items, keyed apart from 記's items and from its own
    paragraphs; an item whose label repeats (or under one that does) shows its nearest
    citable ancestor."""
    notice = read_notice(parse_yaml(WITH_BESSHI, "notices/mini.yaml"))
    assert [(u.key, u.context) for u in units(notice) if u.key[0] == "別紙"] == [
        (("別紙", "0"), "（別紙）"),
        (("別紙", "1"), "（別紙）"),
        (("別紙", "2"), "（別紙）"),
        (("別紙", "項目", "1"), "別紙の1"),
        (("別紙", "項目", "1", "(1)"), "別紙の1の(1)"),
        (("別紙", "項目", "2"), "別紙の2"),
    ]
    dots = (Item("・", "甲", items=(Item("(1)", None, ("乙",)),)), Item("・", "丙"))
    notice = dataclasses.replace(notice, ki=(Item("1.", "見出し", items=dots),))
    assert [(u.key, u.context) for u in units(notice) if u.key[0] == "記"] == [
        (("記", "1"), "記の1"),
        (("記", "1", "・#0"), "記の1"),
        (("記", "1", "・#0", "(1)"), "記の1"),
        (("記", "1", "・#1"), "記の1"),
    ]


Side = tuple[str, ...]

PARAGRAPHS_1 = ("　甲は乙とする。丙は丁とする。", "　戊は己とする。")
PARAGRAPH_2 = "　都道府県においては、区域対応方針を策定する。"
"""The paragraphs of the mini notice's 記の1 and 記の2, unmarked when the item moves."""


def marked_rows(make_project: MakeProject, changes: str) -> list[tuple[str, Side, Side]]:
    """(context, 改正後 lines, 改正前 lines) of each row of the 新旧対照表 of one amendment
    of the mini notice, changed runs in 〖〗."""
    _, history = kaibun_of(make_project, changes)
    before, after = history.versions
    return [
        (
            row.context,
            tuple(marked_text(line) for line in row.after),
            tuple(marked_text(line) for line in row.before),
        )
        for row in compare(before.notice, after.notice)
    ]


def test_a_deleted_item_shows_before_only_and_the_next_one_moves_up(
    make_project: MakeProject,
) -> None:
    """記の1の(1)の① deleted, ② becomes ①: the deleted item is wholly marked on the 改正前
    side only (not its indent), and the moved one shows on both sides with only its label
    marked (it used to be paired with the deleted ① by label, as a changed text)."""
    rows = marked_rows(make_project, "  - {at: 記の1の(1)の①, delete_item: true}\n")
    assert rows == [
        ("記の1の(1)の①", (), ("　　〖①第一の事項であること〗",)),
        ("記の1の(1)の①", ("　　〖①〗第二の事項であること",), ("　　〖②〗第二の事項であること",)),
    ]


def test_a_moved_item_that_changed_shows_its_label_and_words(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 記の1の(1)の①, delete_item: true}\n"
        "  - {at: 記の1の(1)の②, replace: 事項, with: 項目}\n"
    )
    rows = marked_rows(make_project, changes)
    assert rows[1] == (
        "記の1の(1)の①",
        ("　　〖①〗第二の〖項目〗であること",),
        ("　　〖②〗第二の〖事項〗であること",),
    )
    assert len(rows) == 2


def test_an_item_added_in_the_middle_moves_the_next_one_down(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 記の1の(1), after: ①, add_items: [{label: ②, text: 新しい事項であること}]}\n"
    )
    rows = marked_rows(make_project, changes)
    assert rows == [
        ("記の1の(1)の②", ("　　〖②新しい事項であること〗",), ()),
        ("記の1の(1)の③", ("　　〖③〗第二の事項であること",), ("　　〖②〗第二の事項であること",)),
    ]


def test_items_added_first_at_the_top_level(make_project: MakeProject) -> None:
    """Two items added first under 記: both wholly marked after; 1. and 2. become 3. and
    4. with only their labels marked (the whole label 「3.」, not its digit); their
    paragraphs and sub-items did not change and give no rows."""
    changes = (
        "  - at: 記\n    first: true\n    add_items:\n"
        "      - {label: '1.', title: 新設, text: 新しい。}\n"
        "      - {label: '2.', text: 次も新しい。}\n"
    )
    rows = marked_rows(make_project, changes)
    assert rows == [
        ("記の1", ("〖1.　新設〗", "　〖新しい。〗"), ()),
        ("記の2", ("〖2.　次も新しい。〗",), ()),
        (
            "記の3",
            ("〖3.〗　基本的な考え方", *PARAGRAPHS_1),
            ("〖1.〗　基本的な考え方", *PARAGRAPHS_1),
        ),
        ("記の4", ("〖4.〗　取組について", PARAGRAPH_2), ("〖2.〗　取組について", PARAGRAPH_2)),
    ]


def test_a_deleted_top_item_takes_its_sub_items_with_it(make_project: MakeProject) -> None:
    rows = marked_rows(make_project, "  - {at: 記の1, delete_item: true}\n")
    assert [(context, after) for context, after, _ in rows] == [
        ("記の1", ()),
        ("記の1の(1)", ()),
        ("記の1の(1)の①", ()),
        ("記の1の(1)の②", ()),
        ("記の1", ("〖1.〗　取組について", PARAGRAPH_2)),
    ]
    assert rows[0][2] == (
        "〖1.　基本的な考え方〗",
        "　〖甲は乙とする。丙は丁とする。〗",
        "　〖戊は己とする。〗",
    )
    assert rows[-1][2] == ("〖2.〗　取組について", PARAGRAPH_2)


def test_a_heading_changed_alone(make_project: MakeProject) -> None:
    rows = marked_rows(make_project, "  - {at: 記の1の(1)の見出し, rewrite: 詳細}\n")
    assert rows == [("記の1の(1)", ("　(1)　〖詳細〗",), ("　(1)　〖細目〗",))]


def test_a_renumbered_item_in_the_document(make_project: MakeProject) -> None:
    """The rendered 新旧対照表: the deleted item under the item before it, then the moved one."""
    _, history = kaibun_of(make_project, "  - {at: 記の1の(1)の①, delete_item: true}\n")
    text = render_text(comparison(history.versions[0], history.versions[1], "c"))
    assert (
        "\n　(1)　（略）\n｜\n　(1)　（略）\n\n｜\n　　〖①第一の事項であること〗\n\n"
        "　　〖①〗第二の事項であること\n｜\n　　〖②〗第二の事項であること\n\n"
        "2.　（略）\n｜\n2.　（略）\n"
    ) in text


def test_items_with_the_same_text_pair_in_order() -> None:
    """Two items alike after a deleted one: each pairs with the one it was (by order), so
    both show only their labels marked."""
    notice = read_notice(parse_yaml(MINI_NOTICE, "notices/mini.yaml"))
    same = Item("②", None, ("同じ事項であること",))
    level = (Item("①", None, ("甲の事項であること",)), same, dataclasses.replace(same, label="③"))
    holder = Item("(1)", "細目", items=level)
    before = dataclasses.replace(notice, ki=(Item("1.", "見出し", items=(holder,)),))
    moved = (dataclasses.replace(same, label="①"), same)
    after = dataclasses.replace(
        before, ki=(Item("1.", "見出し", items=(dataclasses.replace(holder, items=moved),)),)
    )
    rows = compare(before, after)
    assert [(r.context, [marked_text(x) for x in r.after + r.before]) for r in rows] == [
        ("記の1の(1)の①", ["　　〖①甲の事項であること〗"]),
        ("記の1の(1)の①", ["　　〖①〗同じ事項であること", "　　〖②〗同じ事項であること"]),
        ("記の1の(1)の②", ["　　〖②〗同じ事項であること", "　　〖③〗同じ事項であること"]),
    ]
