"""Published 改め文 read back into amendments: for the three real amendments, the cover
notice's sentences give an amendment whose application equals the source's; every kind
the engine writes reads back; a sentence that cannot be read is refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.core.errors import NoticeError
from builder.documents.compose import cover_notice
from builder.drafting.from_kaibun import amendment_from_kaibun, kaibun_lines, read_kaibun
from builder.engine.amend import History
from builder.sources.workspace import Workspace
from builder.writers.text import render_text
from tests.conftest import amendment_yaml
from tests.engine.test_engine import MakeProject
from tests.engine.test_generic_table import NOTICE as TABLE_NOTICE


def test_the_real_cover_notices_read_back(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    for count, version in enumerate(history.versions[1:]):
        assert version.amendment is not None
        text = render_text(cover_notice(history, version, None, "c"))
        earlier = History(history.notice, history.amendments[:count])  # as when drafted
        written, drafted = amendment_from_kaibun(
            earlier, text, "cover.txt", version.amendment.number, version.amendment.date
        )
        assert drafted.notice == version.notice, version.amendment.number
        assert "changes:" in written


def test_the_published_sentence_of_seed_000() -> None:
    text = "（略）\n記\n別添1 兵庫県の項中「調整中」を「東播磨」に改める。\n"
    assert [line for _, line in kaibun_lines(text)] == [
        "別添1 兵庫県の項中「調整中」を「東播磨」に改める。"
    ]


CHANGES = [
    "  - {at: 記の1の(1), after: ①, add_items: [{label: ②, text: 新しい事項であること}]}\n"
    "  - {at: 記の2の見出し, rewrite: 新たな取組について}\n"
    "  - {at: 記の1の第2段落, delete_paragraph: true}\n",
    "  - {at: 記, first: true, add_items: [{label: '1.', title: 新設, text: 新しい。}]}\n"
    "  - {at: 件名, replace: 試験用, with: 検証用}\n",
    "  - {at: 記の1の(1)の①, delete_item: true}\n"
    "  - {at: 記の1の第1段落, add_paragraphs: [新しい段落である。]}\n",
]


@pytest.mark.parametrize("changes", CHANGES)
def test_every_kind_reads_back(make_project: MakeProject, changes: str) -> None:
    root = make_project({"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)})
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    version = history.versions[-1]
    text = render_text(cover_notice(history, version, None, "c"))
    base = History(history.notice, [])
    _, drafted = amendment_from_kaibun(base, text, "c.txt", "医政発0501第1号", version.date)
    assert drafted.notice == version.notice


def test_generic_table_changes_read_back(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 別添3 国の項, replace: 取組の明確化, with: 取組の周知}\n"
        "  - at: 別添3\n    add_row_before: 国\n    rows: [{label: 全体, cells: [[●周知], ●評価]}]\n"
        "  - at: 別添3 都道府県の項\n    rewrite: {label: 都道府県, cells: [[●協議, ●公表], ●推進]}\n"
    )
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=TABLE_NOTICE
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    version = history.versions[-1]
    text = render_text(cover_notice(history, version, None, "c"))
    base = History(history.notice, [])
    _, drafted = amendment_from_kaibun(base, text, "c.txt", "医政発0501第2号", version.date)
    assert drafted.notice == version.notice


def test_an_unreadable_sentence_is_refused_at_its_line() -> None:
    text = "標記について\n記\n記の2中「甲」を「乙」に改める。\n記の3を移す。\n"
    with pytest.raises(NoticeError) as caught:
        read_kaibun(text, "cover.txt")
    message = str(caught.value)
    assert message.startswith("cover.txt:4:1: ")
    assert "the sentence reads 「記の3を移す。」" in message


def test_amend_from_kaibun_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from builder.cli.main import main
    from tests.conftest import ROOT

    root = tmp_path / "tree"
    shutil.copytree(ROOT / "notices", root / "notices")
    shutil.copytree(ROOT / "forms", root / "forms")
    (root / "amendments").mkdir()
    cover = tmp_path / "cover.txt"
    cover.write_text(
        "標記について、…\n\n記\n\n別添1 北海道の項中「調整中」を「中空知（●）」に改める。\n",
        encoding="utf-8",
    )
    args = [
        "--root",
        str(root),
        "amend-from",
        str(cover),
        "--kaibun",
        "--notice",
        "医政発0731第1号",
    ]
    code = main([*args, "--number", "医政発1010第2号", "--date", "2024-10-10"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("別添1 北海道の項中「調整中」を「中空知（●）」に改める。\n")
    written = (root / "amendments" / "2024-10-10_医政発1010第2号.yaml").read_text(encoding="utf-8")
    assert "replace: 調整中" in written and "with: 中空知（●）" in written
    assert main(["--root", str(root), "check"]) == 0
