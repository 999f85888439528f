"""A generic table attachment (``kind: table``): rows keyed by their label, cells of lines;
its changes, their 改め文, the text form, and the round trip."""

from __future__ import annotations

import pytest

from builder.core.errors import NoticeError
from builder.drafting.check import round_trip
from builder.engine.kaibun import kaibun_text
from builder.model.notice import Table, TableRow
from builder.sources.workspace import Workspace
from builder.writers.text import table_lines
from tests.conftest import MINI_NOTICE, amendment_yaml
from tests.engine.test_engine import MakeProject

TABLE = """\
  - id: 別添3
    kind: table
    title: 計画的な取組
    header:
      - [区分, 2024年度, 2025年度]
    rows:
      - label: 国
        cells:
          - [●通知の発出, ・取組の明確化]
          - ●進捗の確認
      - label: 都道府県
        cells:
          - ●方針の協議
          - []
      - label: 医療機関
        cells:
          - ●方針の策定
          - ●取組の実施
    note: ※ 年度は目安である。
"""
NOTICE = MINI_NOTICE.split("attachments:")[0] + "attachments:\n" + TABLE


def amended(make_project: MakeProject, changes: str) -> tuple[str, Table]:
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=NOTICE
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    version = history.versions[-1]
    assert round_trip(history, version) is None
    found = version.notice.attachment("別添3")
    assert isinstance(found, Table)
    return kaibun_text(version.changes), found


def refused(make_project: MakeProject, changes: str, notice: str = NOTICE) -> str:
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=notice
    )
    with pytest.raises(NoticeError) as caught:
        workspace = Workspace(root)
        _ = workspace.history(workspace.find_notice("医政発0401第1号")).versions
    return str(caught.value)


def test_the_table_loads_and_reads_as_text(make_project: MakeProject) -> None:
    workspace = Workspace(make_project(notice=NOTICE))
    found = workspace.find_notice("医政発0401第1号").attachment("別添3")
    assert isinstance(found, Table)
    assert found.row("国") == TableRow("国", (("●通知の発出", "・取組の明確化"), ("●進捗の確認",)))
    assert found.row("都道府県") == TableRow("都道府県", (("●方針の協議",), ()))
    assert table_lines(found) == [
        "［区分｜2024年度｜2025年度］",
        "国",
        "　【2024年度】●通知の発出",
        "　　・取組の明確化",
        "　【2025年度】●進捗の確認",
        "都道府県",
        "　【2024年度】●方針の協議",
        "　【2025年度】",
        "医療機関",
        "　【2024年度】●方針の策定",
        "　【2025年度】●取組の実施",
        "",
        "※ 年度は目安である。",
    ]


def test_a_quoted_change_in_a_cell(make_project: MakeProject) -> None:
    text, found = amended(
        make_project, "  - {at: 別添3 国の項, replace: 取組の明確化, with: 取組の周知}\n"
    )
    assert text == "別添3 国の項中「取組の明確化」を「取組の周知」に改める。\n"
    assert found.rows[0].cells[0] == ("●通知の発出", "・取組の周知")


def test_rows_added_after_and_before(make_project: MakeProject) -> None:
    changes = (
        "  - at: 別添3\n    add_row_after: 都道府県\n"
        "    rows: [{label: 市町村, cells: [●会議への参加, []]}]\n"
        "  - at: 別添3\n    add_row_before: 国\n"
        "    rows: [{label: 全体, cells: [[●周知], ●評価]}]\n"
    )
    text, found = amended(make_project, changes)
    assert text == (
        "別添3 国の項の前に次のように加える。\n"
        "　全体\n　　【2024年度】●周知\n　　【2025年度】●評価\n"
        "別添3 都道府県の項の次に次のように加える。\n"
        "　市町村\n　　【2024年度】●会議への参加\n　　【2025年度】\n"
    )
    assert [row.label for row in found.rows] == ["全体", "国", "都道府県", "市町村", "医療機関"]


def test_a_row_deleted_and_one_rewritten(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 別添3 医療機関の項, delete_row: true}\n"
        "  - at: 別添3 都道府県の項\n    rewrite: {label: 都道府県, cells: [[●協議, ●公表], ●推進]}\n"
    )
    text, found = amended(make_project, changes)
    assert text == (
        "別添3 都道府県の項を次のように改める。\n"
        "　都道府県\n　　【2024年度】●協議\n　　　●公表\n　　【2025年度】●推進\n"
        "別添3 医療機関の項を削る。\n"
    )
    assert [row.label for row in found.rows] == ["国", "都道府県"]


def test_title_header_and_note(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 別添3, replace: 計画的な, with: 段階的な}\n"
        "  - {at: 別添3, replace: 目安, with: 予定}\n"
    )
    text, found = amended(make_project, changes)
    assert text == "別添3中「計画的な」を「段階的な」に、「目安」を「予定」に改める。\n"
    assert (found.title, found.note) == ("段階的な取組", "※ 年度は予定である。")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            "  - at: 別添3\n    add_row_after: 国\n    rows: [{label: 市町村, cells: [●参加]}]\n",
            "別添3: 市町村の項 has 1 cell; 別添3 has 2 columns after the label (2024年度、2025年度)",
        ),
        (
            "  - at: 別添3\n    add_row_after: 国\n    rows: [{label: 都道府県, cells: [a, b]}]\n",
            "別添3 would have the row 「都道府県」 twice",
        ),
        (
            "  - at: 別添3\n    add_row_after: 県\n    rows: [{label: 市, cells: [a, b]}]\n",
            "別添3 has no row 「県」 (its rows: 国、都道府県、医療機関)",
        ),
        (
            "  - at: 別添3\n    add_row_after: 国\n    rows: [{prefecture: 北海道, areas: [札幌]}]\n",
            "別添3 is a table with the columns 区分、2024年度、2025年度",
        ),
        (
            "  - {at: 別添3 国の項, add_area: 札幌}\n",
            "area changes (add_area, remove_area …) go to a table of 都道府県 and areas",
        ),
        (
            "  - {at: 別添3 国の項, delete: ●進捗の確認}\n",
            "would be left empty",
        ),
        (
            "  - {at: 別添3 国の項, replace: ●通知の発出, with: 【通知】の発出}\n",
            "a cell line may not start with 「【」",
        ),
    ],
)
def test_refused(make_project: MakeProject, changes: str, expected: str) -> None:
    assert expected in refused(make_project, changes)


def test_a_bad_table_is_refused_when_loaded(make_project: MakeProject) -> None:
    bad = NOTICE.replace("          - ●取組の実施\n", "").replace("label: 医療機関", "label: 国")
    message = refused(make_project, "  - {at: 記の2, replace: 区域, with: 地域}\n", bad)
    assert "別添3 has the row 「国」 twice" in message
    assert "国の項 has 1 cell; 別添3 has 2 columns after the label" in message


def test_the_comparison_shows_each_changed_row_of_a_table(make_project: MakeProject) -> None:
    from builder.engine.compare import compare, marked_text

    changes = (
        "  - {at: 別添3 国の項, replace: 取組の明確化, with: 取組の周知}\n"
        "  - {at: 別添3 医療機関の項, delete_row: true}\n"
        "  - at: 別添3\n    add_row_after: 都道府県\n"
        "    rows: [{label: 市町村, cells: [●会議への参加, []]}]\n"
        "  - {at: 別添3, replace: 目安, with: 予定}\n"
    )
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=NOTICE
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    rows = compare(history.versions[0].notice, history.versions[1].notice)
    shown = {
        r.context: ([marked_text(x) for x in r.after], [marked_text(x) for x in r.before])
        for r in rows
    }
    assert shown["別添3 国の項"] == (
        ["国", "　【2024年度】●通知の発出", "　　・取組の〖周知〗", "　【2025年度】●進捗の確認"],
        ["国", "　【2024年度】●通知の発出", "　　・取組の〖明確化〗", "　【2025年度】●進捗の確認"],
    )
    assert shown["別添3 市町村の項"][1] == []
    assert shown["別添3 医療機関の項"][0] == []
    assert shown["（別添3）"] == (["※ 年度は〖予定〗である。"], ["※ 年度は〖目安〗である。"])
