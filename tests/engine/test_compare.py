"""新旧対照表: only changed units, 改正後 left by default, changed words marked whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from builder.documents.compose import comparison
from builder.engine.compare import compare, mark, marked_text
from builder.sources.workspace import Workspace
from builder.writers.text import render_text
from tests.engine.test_engine import MakeProject, kaibun_of


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
