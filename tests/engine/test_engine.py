"""The amendment engine: every change kind, the combining rules of 改め文, consolidation
by date, and the errors a drafter meets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.core.errors import NoticeError
from builder.drafting.check import round_trip
from builder.engine.amend import History
from builder.engine.area_profile import row_text
from builder.engine.kaibun import kaibun_text
from builder.model.area_table import AreaTable
from builder.model.notice import Notice
from builder.sources.workspace import Workspace
from tests.conftest import amendment_yaml

MakeProject = Callable[..., Path]


def kaibun_of(make_project: MakeProject, changes: str) -> tuple[str, History]:
    root = make_project({"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)})
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    version = history.versions[-1]
    assert round_trip(history, version) is None
    return kaibun_text(version.changes), history


def table_of(notice: Notice) -> AreaTable:
    table = notice.attachment("別添1")
    assert isinstance(table, AreaTable)
    return table


def row(notice: Notice, label: str) -> str:
    found = table_of(notice).row(label)
    assert found is not None
    return row_text(found)


# --------------------------------------------------------------------------- change kinds


def test_replace(make_project: MakeProject) -> None:
    text, history = kaibun_of(
        make_project, "  - {at: 記の2, replace: 区域対応方針, with: 対応方針}\n"
    )
    assert text == "記の2中「区域対応方針」を「対応方針」に改める。\n"
    assert history.versions[-1].notice.ki[1].paragraphs == (
        "都道府県においては、対応方針を策定する。",
    )


def test_insert_after(make_project: MakeProject) -> None:
    text, history = kaibun_of(make_project, "  - {at: 前文, after: 試験のための, insert: 重要な}\n")
    assert text == "前文中「試験のための」の下に「重要な」を加える。\n"
    assert history.versions[-1].notice.preamble[0] == "試験のための重要な前文である。"


def test_delete(make_project: MakeProject) -> None:
    text, history = kaibun_of(make_project, "  - {at: 記の1, delete: 丙は丁とする。}\n")
    assert text == "記の1中「丙は丁とする。」を削る。\n"
    assert history.versions[-1].notice.ki[0].paragraphs[0] == "甲は乙とする。"


def test_rewrite_item(make_project: MakeProject) -> None:
    changes = (
        "  - at: 記の2\n    rewrite:\n      label: '2.'\n      title: 新しい取組について\n"
        "      paragraphs: [新しい文である。]\n"
    )
    text, history = kaibun_of(make_project, changes)
    assert text == "記の2を次のように改める。\n　2.　新しい取組について\n　　新しい文である。\n"
    assert history.versions[-1].notice.ki[1].title == "新しい取組について"


def test_add_row_after(make_project: MakeProject) -> None:
    changes = "  - at: 別添1\n    add_row_after: 岩手県\n    rows: [{prefecture: 宮城県, areas: [仙南]}]\n"
    text, history = kaibun_of(make_project, changes)
    assert text == "別添1 岩手県の項の次に次のように加える。\n　宮城県　仙南\n"
    labels = [r.prefecture for r in table_of(history.versions[-1].notice).rows]
    assert labels == ["北海道", "青森県", "岩手県", "宮城県", "兵庫県"]


def test_delete_row(make_project: MakeProject) -> None:
    text, history = kaibun_of(make_project, "  - {at: 別添1 岩手県の項, delete_row: true}\n")
    assert text == "別添1 岩手県の項を削る。\n"
    assert table_of(history.versions[-1].notice).row("岩手県") is None


def test_published_form_updates_the_data(make_project: MakeProject) -> None:
    """「兵庫県の項中「調整中」を「東播磨」に改める」 as a text change sets the area."""
    text, history = kaibun_of(
        make_project, "  - {at: 別添1 兵庫県の項, replace: 調整中, with: 東播磨（●）}\n"
    )
    assert text == "別添1 兵庫県の項中「調整中」を「東播磨（●）」に改める。\n"
    found = table_of(history.versions[-1].notice).row("兵庫県")
    assert found is not None and not found.pending
    assert [(a.name, a.model) for a in found.areas] == [("東播磨", True)]


# --------------------------------------------------------------------------- structured 別添1


@pytest.mark.parametrize(
    ("change", "expected_kaibun", "expected_row"),
    [
        (
            "{at: 別添1 北海道の項, add_area: 中空知, model: true}",
            "別添1 北海道の項中「調整中」を「中空知（●）」に改める。",
            ("北海道", "中空知（●）"),
        ),
        (
            "{at: 別添1 岩手県の項, add_area: 西部}",
            "別添1 岩手県の項中「南東部」の下に「、西部」を加える。",
            ("岩手県", "東部、北部、南東部、西部"),
        ),
        (
            "{at: 別添1 岩手県の項, add_area: 中部, after: 東部}",
            "別添1 岩手県の項中「東部、」の下に「中部、」を加える。",
            ("岩手県", "東部、中部、北部、南東部"),
        ),
        (
            "{at: 別添1 岩手県の項, remove_area: 北部}",
            "別添1 岩手県の項中「、北部」を削る。",
            ("岩手県", "東部、南東部"),
        ),
        (
            "{at: 別添1 岩手県の項, set_model: 東部}",
            "別添1 岩手県の項中「東部、」を「東部（●）、」に改める。",
            ("岩手県", "東部（●）、北部、南東部"),
        ),
        (
            "{at: 別添1 青森県の項, clear_model: 津軽}",
            "別添1 青森県の項中「津軽（●）」を「津軽」に改める。",
            ("青森県", "青森、津軽"),
        ),
        (
            "{at: 別添1 青森県の項, rename_area: 青森, to: 青森地域}",
            "別添1 青森県の項中「青森」を「青森地域」に改める。",
            ("青森県", "青森地域、津軽（●）"),
        ),
    ],
)
def test_structured_area_changes(
    make_project: MakeProject, change: str, expected_kaibun: str, expected_row: tuple[str, str]
) -> None:
    text, history = kaibun_of(make_project, f"  - {change}\n")
    assert text == expected_kaibun + "\n"
    assert row(history.versions[-1].notice, expected_row[0]) == expected_row[1]


def test_structured_and_text_forms_agree(make_project: MakeProject) -> None:
    structured, h1 = kaibun_of(make_project, "  - {at: 別添1 兵庫県の項, add_area: 東播磨}\n")
    textual, h2 = kaibun_of(
        make_project, "  - {at: 別添1 兵庫県の項, replace: 調整中, with: 東播磨}\n"
    )
    assert structured == textual == "別添1 兵庫県の項中「調整中」を「東播磨」に改める。\n"
    assert h1.versions[-1].notice == h2.versions[-1].notice


# --------------------------------------------------------------------------- combining rules


def test_same_kind_shares_the_verb(make_project: MakeProject) -> None:
    changes = "  - {at: 記の1, replace: 丙, with: 子}\n  - {at: 記の1, replace: 甲, with: 丑}\n"
    text, _ = kaibun_of(make_project, changes)
    assert text == "記の1中「甲」を「丑」に、「丙」を「子」に改める。\n"  # document order


def test_same_replacement_uses_oyobi(make_project: MakeProject) -> None:
    changes = "  - {at: 記の1, replace: 甲, with: 子}\n  - {at: 記の1, replace: 丙, with: 子}\n"
    text, _ = kaibun_of(make_project, changes)
    assert text == "記の1中「甲」及び「丙」を「子」に改める。\n"


def test_three_deletions(make_project: MakeProject) -> None:
    changes = "  - {at: 記の1, delete: 甲は}\n  - {at: 記の1, delete: 丙は}\n  - {at: 記の1, delete: 戊は}\n"
    text, _ = kaibun_of(make_project, changes)
    assert text == "記の1中「甲は」、「丙は」及び「戊は」を削る。\n"


def test_mixed_kinds_chain(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 記の1, delete: 丙は丁とする。}\n  - {at: 記の1, replace: 甲, with: 子}\n"
        "  - {at: 記の1, after: 戊は, insert: 必ず}\n"
    )
    text, history = kaibun_of(make_project, changes)
    assert (
        text
        == "記の1中「甲」を「子」に改め、「丙は丁とする。」を削り、「戊は」の下に「必ず」を加える。\n"
    )
    assert history.versions[-1].notice.ki[0].paragraphs == ("子は乙とする。", "戊は必ず己とする。")


def test_one_sentence_per_unit_in_document_order(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 別添1 兵庫県の項, add_area: 東播磨}\n"
        "  - {at: 記の2, replace: 都道府県, with: 各都道府県}\n"
        "  - {at: 記の1の(1)の②, replace: 第二, with: 第2}\n"
        "  - {at: 前文, replace: 試験, with: 検証}\n"
    )
    text, _ = kaibun_of(make_project, changes)
    assert text.splitlines() == [
        "前文中「試験」を「検証」に改める。",
        "記の1の(1)の②中「第二」を「第2」に改める。",
        "記の2中「都道府県」を「各都道府県」に改める。",
        "別添1 兵庫県の項中「調整中」を「東播磨」に改める。",
    ]


# --------------------------------------------------------------------------- errors


def errors_of(make_project: MakeProject, amendments: dict[str, str]) -> str:
    workspace = Workspace(make_project(amendments))
    with pytest.raises(NoticeError) as caught:
        _ = workspace.history(workspace.find_notice("医政発0401第1号")).versions
    return str(caught.value)


def test_quote_not_found(make_project: MakeProject) -> None:
    message = errors_of(
        make_project,
        {
            "a.yaml": amendment_yaml(
                "医政発0501第1号", "2024-05-01", "  - {at: 記の2, replace: 存在しない, with: X}\n"
            )
        },
    )
    assert "amendments/a.yaml:6:5:" in message
    assert "「存在しない」 is not in 記の2" in message


def test_quote_found_twice_names_each_position(make_project: MakeProject) -> None:
    message = errors_of(
        make_project,
        {
            "a.yaml": amendment_yaml(
                "医政発0501第1号", "2024-05-01", "  - {at: 記の1, replace: とする。, with: X}\n"
            )
        },
    )
    assert "occurs 3 times in 記の1" in message
    assert "記の1の第1段落の4文字目" in message and "記の1の第2段落の4文字目" in message


def test_unknown_row_label(make_project: MakeProject) -> None:
    message = errors_of(
        make_project,
        {
            "a.yaml": amendment_yaml(
                "医政発0501第1号", "2024-05-01", "  - {at: 別添1 沖縄県の項, add_area: 南部}\n"
            )
        },
    )
    assert "別添1 has no row 「沖縄県」" in message


def test_amendment_dated_before_its_base(make_project: MakeProject) -> None:
    message = errors_of(
        make_project,
        {
            "a.yaml": amendment_yaml(
                "医政発0301第1号", "2024-03-01", "  - {at: 記の2, replace: 都道府県, with: X}\n"
            )
        },
    )
    assert "医政発0301第1号 is dated 2024-03-01, not after 医政発0401第1号" in message
    assert "amendments/a.yaml:1:1" in message


def test_two_amendments_with_the_same_number(make_project: MakeProject) -> None:
    change = "  - {at: 記の2, replace: 都道府県, with: X}\n"
    root = make_project(
        {
            "a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", change),
            "b.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", change),
        }
    )
    with pytest.raises(NoticeError) as caught:
        Workspace(root)
    assert (
        "amendments/b.yaml:1:9: 文書番号 「医政発0501第1号」 is already used in amendments/a.yaml:1:9"
        in str(caught.value)
    )


def test_rewrite_and_part_change_conflict(make_project: MakeProject) -> None:
    changes = (
        "  - at: 記の1\n    rewrite: {label: '1.', title: 新}\n"
        "  - {at: 記の1の(1)の①, replace: 第一, with: 第1}\n"
    )
    message = errors_of(
        make_project, {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}
    )
    assert "記の1の(1)の① is changed, but 記の1 is also rewritten" in message


def test_text_change_that_breaks_a_row_is_refused(make_project: MakeProject) -> None:
    message = errors_of(
        make_project,
        {
            "a.yaml": amendment_yaml(
                "医政発0501第1号",
                "2024-05-01",
                "  - {at: 別添1 岩手県の項, replace: 、北部, with: 、、北部}\n",
            )
        },
    )
    assert "is not a list of areas" in message


# --------------------------------------------------------------------------- consolidation


def test_as_of_picks_the_version_in_force(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    assert row(history.as_of(dt.date(2024, 8, 1)).notice, "兵庫県") == "調整中"
    assert row(history.as_of(dt.date(2024, 10, 10)).notice, "北海道") == "中空知（●）"
    assert row(history.as_of(dt.date(2025, 1, 19)).notice, "鳥取県") == "調整中"
    assert row(history.as_of(dt.date(2025, 3, 27)).notice, "兵庫県") == "東播磨"
    assert row(history.as_of(dt.date(2030, 1, 1)).notice, "鳥取県") == "東部（●）"
    assert [v.date.isoformat() for v in history.versions] == [
        "2024-07-31",
        "2024-10-10",
        "2025-01-20",
        "2025-03-27",
    ]


def test_as_of_before_the_base_is_an_error(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    with pytest.raises(NoticeError, match="issued on 2024-07-31"):
        history.as_of(dt.date(2024, 7, 30))


def test_amendments_apply_in_date_order_whatever_the_file_order(make_project: MakeProject) -> None:
    root = make_project(
        {
            "0-later.yaml": amendment_yaml(
                "医政発0601第1号",
                "2024-06-01",
                "  - {at: 記の2, replace: 各都道府県, with: 全都道府県}\n",
            ),
            "1-earlier.yaml": amendment_yaml(
                "医政発0501第1号",
                "2024-05-01",
                "  - {at: 記の2, replace: 都道府県, with: 各都道府県}\n",
            ),
        }
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    assert history.versions[-1].notice.ki[1].paragraphs[0].startswith("全都道府県においては")
    assert [v.amendment.number for v in history.versions[1:] if v.amendment] == [
        "医政発0501第1号",
        "医政発0601第1号",
    ]


def test_real_amendments_round_trip(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    for version in history.versions[1:]:
        assert round_trip(history, version) is None
