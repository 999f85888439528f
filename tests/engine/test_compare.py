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
    assert "■ （別添1）\n兵庫県　〖東播磨〗\n｜\n兵庫県　〖調整中〗" in text
    assert "（傍線部分は改正部分）" in text


def test_before_on_the_left_when_asked(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    text = render_text(
        comparison(history.versions[2], history.versions[3], "c", after_on_left=False)
    )
    assert "改正前　｜　改正後" in text and "兵庫県　〖調整中〗\n｜\n兵庫県　〖東播磨〗" in text


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
    before, after = mark(
        "都道府県においては、区域対応方針を策定する。",
        "都道府県においては、対応方針を速やかに策定する。",
    )
    assert marked_text(after) == "都道府県においては、〖対応方針〗を〖速やかに〗策定する。"
    assert marked_text(before) == "都道府県においては、〖区域対応方針〗を策定する。"


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
    assert "■ 別紙の2\n2.　開催方法は〖対面〗とする。\n｜\n2.　開催方法は〖WEB等〗とする。" in text


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
