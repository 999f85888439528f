"""新旧対照表 in MHLW form (builder/engine/comparison_layout.py): each column its own unit
labels and 「（略）」, table attachments as table fragments, 「（新設）」 against an added
unit, and 「（抄）」 only when something is left out."""

from __future__ import annotations

import dataclasses

from builder.engine.compare import marked_text
from builder.engine.comparison_layout import NEW, Layout, layout, line_hang, without_indent
from builder.model.document import OMITTED, ComparisonPiece, ComparisonTable
from builder.model.notice import Item, Notice
from builder.sources.project import read_notice
from builder.sources.workspace import Workspace
from builder.sources.yamlsafe import parse_yaml
from tests.conftest import MINI_NOTICE, amendment_yaml
from tests.engine.test_engine import MakeProject, kaibun_of
from tests.engine.test_generic_table import NOTICE as TABLE_NOTICE


def shown(pieces: tuple[ComparisonPiece, ...]) -> list[object]:
    """A column as plain data: lines as text (changed runs in 〖〗), a table fragment as
    (header rows, rows), each row its cells' lines, an omitted row 「（略）」."""
    out: list[object] = []
    for piece in pieces:
        if isinstance(piece, ComparisonTable):
            header = [[marked_text(cell) for cell in row] for row in piece.header]
            rows: list[object] = [
                OMITTED
                if row.omitted
                else [[marked_text(line) for line in cell] for cell in row.cells]
                for row in piece.rows
            ]
            out.append((header, rows))
        else:
            out.append(marked_text(piece))
    return out


def sides(found: Layout) -> list[tuple[list[object], list[object]]]:
    return [(shown(part.after), shown(part.before)) for part in found.parts]


def test_a_real_amendment_is_a_table_fragment_in_each_column(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    found = layout(history.versions[2].notice, history.versions[3].notice)
    header = [["都道府県", "推進区域、モデル推進区域"]]
    assert found.abridged
    assert sides(found) == [
        (
            ["（別添1）", (header, [OMITTED, [["兵庫県"], ["〖東播磨〗"]], OMITTED])],
            ["（別添1）", (header, [OMITTED, [["兵庫県"], ["〖調整中〗"]], OMITTED])],
        )
    ]


def test_rows_left_out_before_between_and_after(workspace: Workspace) -> None:
    """From the original to the last version: 北海道 is the first row (no 「（略）」 before
    it), one 「（略）」 row per run of rows left out between and after."""
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    found = layout(history.versions[0].notice, history.versions[3].notice)
    assert len(found.parts) == 1
    fragment, old_fragment = found.parts[0].after[1], found.parts[0].before[1]
    assert isinstance(fragment, ComparisonTable) and isinstance(old_fragment, ComparisonTable)
    rows = [None if row.omitted else marked_text(row.cells[1][0]) for row in fragment.rows]
    labels = [OMITTED if row.omitted else row.cells[0][0][0][0] for row in fragment.rows]
    assert labels == [
        "北海道",
        OMITTED,
        "兵庫県",
        OMITTED,
        "鳥取県",
        OMITTED,
    ]
    assert rows[::2] == ["〖中空知（●）〗", "〖東播磨〗", "〖東部（●）〗"]
    assert [marked_text(row.cells[1][0]) for row in old_fragment.rows if not row.omitted] == [
        "〖調整中〗"
    ] * 3


def test_each_column_has_its_own_labels_and_omissions(make_project: MakeProject) -> None:
    _, history = kaibun_of(make_project, "  - {at: 記の1の(1)の②, replace: 第二, with: 第三}\n")
    found = layout(history.versions[0].notice, history.versions[1].notice)
    assert found.abridged
    assert sides(found) == [
        (["記"], ["記"]),
        (["1.　（略）"], ["1.　（略）"]),  # the parents of the shown item, by their labels
        (["　(1)　（略）"], ["　(1)　（略）"]),
        (["　　①（略）"], ["　　①（略）"]),
        (["　　②〖第三〗の事項であること"], ["　　②〖第二〗の事項であること"]),
        (["2.　（略）"], ["2.　（略）"]),
    ]


def test_a_deleted_item_and_the_renumbered_one(make_project: MakeProject) -> None:
    _, history = kaibun_of(make_project, "  - {at: 記の1の(1)の①, delete_item: true}\n")
    found = layout(history.versions[0].notice, history.versions[1].notice)
    assert sides(found)[3:5] == [
        ([], ["　　〖①第一の事項であること〗"]),  # deleted: the 改正後 column left empty
        (["　　〖①〗第二の事項であること"], ["　　〖②〗第二の事項であること"]),
    ]


def _with_items(count: int) -> Notice:
    notice = read_notice(parse_yaml(MINI_NOTICE, "notices/mini.yaml"))
    items = tuple(Item(f"{n}.", None, (f"第{n}の事項である。",)) for n in range(1, count + 1))
    return dataclasses.replace(notice, ki=items)


def test_a_run_of_items_left_out_is_a_range_and_an_added_one_is_new() -> None:
    before = _with_items(4)
    added = Item("5.", None, ("追加の事項である。",))
    after = dataclasses.replace(before, ki=(*before.ki, added))
    assert sides(layout(before, after)) == [
        (["記"], ["記"]),
        (["1.～4.　（略）"], ["1.～4.　（略）"]),
        (["〖5.　追加の事項である。〗"], [NEW]),
    ]


def test_the_whole_notice_shown_is_not_abridged() -> None:
    notice = read_notice(parse_yaml(MINI_NOTICE, "notices/mini.yaml"))
    before = dataclasses.replace(
        notice, preamble=("前文である。",), ki=(), contact=None, attachments=()
    )
    after = dataclasses.replace(before, title="検証用の通知について", preamble=("本文である。",))
    found = layout(before, after)
    assert not found.abridged
    assert sides(found) == [
        (["〖検証用〗の通知について"], ["〖試験用〗の通知について"]),
        (["　〖本文〗である。"], ["　〖前文〗である。"]),
    ]
    assert layout(before, dataclasses.replace(before, title="検証用の通知について")).abridged


def test_a_generic_table_fragment(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 別添3 国の項, replace: 取組の明確化, with: 取組の周知}\n"
        "  - {at: 別添3 医療機関の項, delete_row: true}\n"
        "  - at: 別添3\n    add_row_after: 都道府県\n"
        "    rows: [{label: 市町村, cells: [●会議への参加, []]}]\n"
        "  - {at: 別添3, replace: 目安, with: 予定}\n"
    )
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)},
        notice=TABLE_NOTICE,
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    found = layout(history.versions[0].notice, history.versions[1].notice)
    ((after, before),) = [part for part in sides(found) if part[0][:1] == ["（別添3）"]]
    header = [["区分", "2024年度", "2025年度"]]
    assert after[1] == (
        header,
        [
            [["国"], ["●通知の発出", "・取組の〖周知〗"], ["●進捗の確認"]],
            OMITTED,
            [["〖市町村〗"], ["〖●会議への参加〗"], []],
        ],
    )
    assert before[1] == (
        header,
        [
            [["国"], ["●通知の発出", "・取組の〖明確化〗"], ["●進捗の確認"]],
            OMITTED,
            [["〖医療機関〗"], ["〖●方針の策定〗"], ["〖●取組の実施〗"]],  # where it stood
            [[NEW]],  # against the added row
        ],
    )
    assert after[2:] == ["※ 年度は〖予定〗である。"] and before[2:] == ["※ 年度は〖目安〗である。"]


def test_how_a_line_hangs() -> None:
    """The 字下げ and the label lead of a line, for the writers' hanging indents."""

    def hang(text: str) -> tuple[int, str]:
        return line_hang(((text, False),))

    assert hang("　(1)　（略）") == (1, "(1)　")
    assert hang("　　①第二の事項") == (2, "①")
    assert hang("2.　取組について") == (0, "2.　")
    assert hang("　都道府県においては") == (1, "")
    assert hang("1.～4.　（略）") == (0, "")  # a range is not one label
    assert hang("（別添1）") == (0, "")
    line = (("　　", False), ("①第一", True), ("の事項", False))
    assert without_indent(line, 2) == (("①第一", True), ("の事項", False))
    assert without_indent((("　〖", True),), 1) == (("〖", True),)
