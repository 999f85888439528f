"""Items added, deleted and renumbered, and 見出し changed alone: each with its 改め文
(conventions in the README, 改め文 of items), applied to the data, and read back."""

from __future__ import annotations

import pytest

from builder.core.errors import NoticeError
from builder.drafting.check import round_trip
from builder.engine.kaibun import kaibun_text
from builder.engine.kaibun_parse import parse_kaibun
from builder.engine.textform import item_lines
from builder.model.notice import AddItems, AddParagraphs, DeleteItem, DeleteParagraph, Item, Rewrite
from builder.sources.workspace import Workspace
from tests.conftest import MINI_NOTICE, amendment_yaml
from tests.engine.test_engine import MakeProject


def amended(make_project: MakeProject, changes: str, notice: str = MINI_NOTICE) -> tuple[str, str]:
    """(改め文, the consolidated 記 as text) after one amendment; the round trip holds."""
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=notice
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    version = history.versions[-1]
    assert round_trip(history, version) is None
    ki = "\n".join(line for item in version.notice.ki for line in item_lines(item))
    return kaibun_text(version.changes), ki


def refused(make_project: MakeProject, changes: str, notice: str = MINI_NOTICE) -> str:
    root = make_project(
        {"a.yaml": amendment_yaml("医政発0501第1号", "2024-05-01", changes)}, notice=notice
    )
    workspace = Workspace(root)
    with pytest.raises(NoticeError) as caught:
        _ = workspace.history(workspace.find_notice("医政発0401第1号")).versions
    return str(caught.value)


def test_delete_the_last_item_of_a_level(make_project: MakeProject) -> None:
    text, ki = amended(make_project, "  - {at: 記の1の(1)の②, delete_item: true}\n")
    assert text == "記の1の(1)の②を削る。\n"
    assert "②" not in ki and "①第一の事項であること" in ki


def test_delete_an_item_and_move_the_rest_up(make_project: MakeProject) -> None:
    text, ki = amended(make_project, "  - {at: 記の1の(1)の①, delete_item: true}\n")
    assert text == "記の1の(1)中①を削り、②を①とする。\n"
    assert "①第二の事項であること" in ki and "第一の事項" not in ki


def test_delete_a_top_item(make_project: MakeProject) -> None:
    text, ki = amended(make_project, "  - {at: 記の1, delete_item: true}\n")
    assert text == "記中1を削り、2を1とする。\n"
    assert ki.startswith("1.　取組について\n")


def test_add_an_item_in_the_middle_moves_the_rest_down(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 記の1の(1), after: ①, add_items: [{label: ②, text: 新しい事項であること}]}\n"
    )
    text, ki = amended(make_project, changes)
    assert text == "記の1の(1)中②を③とし、①の次に次のように加える。\n　②新しい事項であること\n"
    assert "①第一の事項であること\n　　②新しい事項であること\n　　③第二の事項であること" in ki


def test_add_items_at_the_end(make_project: MakeProject) -> None:
    changes = (
        "  - at: 記\n    after: '2'\n    add_items:\n"
        "      - {label: '3.', title: 末尾, items: [{label: '(1)', text: 子である。}]}\n"
    )
    text, ki = amended(make_project, changes)
    assert text == "記の2の次に次のように加える。\n　3.　末尾\n　　(1)　子である。\n"
    assert ki.endswith("3.　末尾\n　(1)　子である。")


def test_add_two_items_first(make_project: MakeProject) -> None:
    changes = (
        "  - at: 記\n    first: true\n    add_items:\n"
        "      - {label: '1.', title: 新設, text: 新しい。}\n"
        "      - {label: '2.', text: 次も新しい。}\n"
    )
    text, ki = amended(make_project, changes)
    assert text == (
        "記中2を4とし、1を3とし、3の前に次のように加える。\n"
        "　1.　新設\n　　新しい。\n　2.　次も新しい。\n"
    )
    assert [line[:2] for line in ki.splitlines() if line[0] != "\u3000"] == ["1.", "2.", "3.", "4."]


def test_add_into_a_level_with_no_items(make_project: MakeProject) -> None:
    changes = "  - {at: 記の2, add_items: [{label: '(1)', text: 子である。}]}\n"
    text, ki = amended(make_project, changes)
    assert text == "記の2に次のように加える。\n　(1)　子である。\n"
    assert ki.endswith("都道府県においては、区域対応方針を策定する。\n　(1)　子である。")


def test_change_a_heading_alone(make_project: MakeProject) -> None:
    text, ki = amended(
        make_project, "  - {at: 記の1の(1)の見出し, replace: 細目, with: 細かな目}\n"
    )
    assert text == "記の1の(1)の見出し中「細目」を「細かな目」に改める。\n"
    assert "(1)　細かな目" in ki
    text, ki = amended(make_project, "  - {at: 記の1の(1)の見出し, rewrite: 詳細}\n")
    assert text == "記の1の(1)の見出しを「詳細」に改める。\n"
    assert "(1)　詳細" in ki


def test_changes_inside_a_level_come_before_its_renumbering(make_project: MakeProject) -> None:
    changes = (
        "  - {at: 記の1の(1)の①, delete_item: true}\n"
        "  - {at: 記の1の(1)の②, replace: 第二, with: 第2}\n"
        "  - {at: 記の2, replace: 区域, with: 地域}\n"
    )
    text, ki = amended(make_project, changes)
    assert text == (
        "記の1の(1)の②中「第二」を「第2」に改める。\n"
        "記の1の(1)中①を削り、②を①とする。\n"
        "記の2中「区域」を「地域」に改める。\n"
    )
    assert "①第2の事項であること" in ki


def test_a_quoted_change_of_an_item_goes_with_a_level_change_inside_it(
    make_project: MakeProject,
) -> None:
    changes = (
        "  - {at: 記の1, delete: 甲は乙とする。}\n  - {at: 記の1の(1)の①, delete_item: true}\n"
    )
    text, _ = amended(make_project, changes)
    assert text == "記の1中「甲は乙とする。」を削る。\n記の1の(1)中①を削り、②を①とする。\n"


def test_the_sentences_read_back() -> None:
    item = Item("②", None, ("新しい事項であること",))
    assert [
        c.body
        for c in parse_kaibun(
            "記の1の(1)中②を③とし、①の次に次のように加える。\n　②新しい事項であること\n"
        )
    ] == [AddItems((item,), after="①")]
    assert parse_kaibun("記の1の(1)中①を削り、②を①とする。\n")[0].at == "記の1の(1)の①"
    assert parse_kaibun("記の1の(1)の②を削る。\n")[0].body == DeleteItem()
    assert parse_kaibun("記の2に次のように加える。\n　(1)　子である。\n")[0].body == AddItems(
        (Item("(1)", None, ("子である。",)),)
    )
    change = parse_kaibun("記の3の(1)の見出しを「支援」に改める。\n")[0]
    assert (change.at, change.body) == ("記の3の(1)の見出し", Rewrite("支援"))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            "  - {at: 記の1の(1), after: ①, add_items: [{label: ③, text: 新}]}\n",
            "the new item 1 (after ① in 記の1の(1)) is labelled 「③」; it must be 「②」",
        ),
        (
            "  - {at: 記の1の(1), add_items: [{label: ③, text: 新}]}\n",
            "say where the new ones go: after: ② (say, to add at the end) or first: true",
        ),
        (
            "  - {at: 記の1の(1), after: ⑨, add_items: [{label: ⑩, text: 新}]}\n",
            "記の1の(1): there is no item 「⑨」 to add after (the items are ①、②)",
        ),
        ("  - {at: 記の1の(1)の⑤, delete_item: true}\n", "記の1の(1)の⑤ does not exist"),
        (
            "  - {at: 記の1の(1)の①, delete_item: true}\n"
            "  - {at: 記の1の(1)の①, replace: 第一, with: 第1}\n",
            "記の1の(1)の① is changed, but 記の1の(1)の① is deleted in the same amendment",
        ),
        (
            "  - {at: 記の1の(1)の①, delete_item: true}\n"
            "  - {at: 記の1の(1), after: ②, add_items: [{label: ③, text: 新}]}\n",
            "items are added to or deleted from this level more than once in this amendment",
        ),
        (
            "  - {at: 記の1の(1)の②, delete: 第二の事項であること}\n",
            "記の1の(1)の②の第1段落 would be left empty; to remove the item, write "
            "delete_item: true at its address",
        ),
        ("  - {at: 記の2の見出し, replace: 取組, with: 取り組み}\n", ""),
        ("  - {at: 記の1の(1)の①の見出し, rewrite: 新}\n", "記の1の(1)の① has no 見出し"),
        ("  - {at: 記, delete_item: true}\n", "記 itself cannot be deleted"),
        ("  - {at: 記, replace: 甲, with: 乙}\n", "記 is the level of the items, not an item"),
        ("  - {at: 記の1の(1)の①, delete_row: true}\n", "an item is deleted with delete_item"),
    ],
)
def test_refused(make_project: MakeProject, changes: str, expected: str) -> None:
    if not expected:  # 記の2 has a 見出し: the change is fine
        amended(make_project, changes)
        return
    assert expected in refused(make_project, changes)


def test_a_level_of_bullets_cannot_be_renumbered(make_project: MakeProject) -> None:
    notice = MINI_NOTICE.replace(
        "{label: ②, text: 第二の事項であること}",
        "{label: ②, text: 第二の事項であること, items: [{label: ・, text: 甲}, {label: ・, text: 乙}]}",
    )
    message = refused(
        make_project,
        "  - {at: 記の1の(1)の②, after: ・, add_items: [{label: ・, text: 丙}]}\n",
        notice,
    )
    assert "「・」 items cannot be cited one by one" in message


def test_more_than_twenty_circled_items_are_refused(make_project: MakeProject) -> None:
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    items = "\n          - ".join(f"{{label: {c}, text: 項目{i}}}" for i, c in enumerate(circled))
    notice = MINI_NOTICE.replace(
        "{label: ①, text: 第一の事項であること}\n          - {label: ②, text: 第二の事項であること}",
        items,
    )
    assert "{label: ⑳" in notice
    message = refused(
        make_project,
        "  - {at: 記の1の(1), first: true, add_items: [{label: ①, text: 新}]}\n",
        notice,
    )
    assert "holds at most 20 items (⑳)" in message


def test_paragraphs_added_and_deleted(make_project: MakeProject) -> None:
    text, ki = amended(
        make_project,
        "  - {at: 記の1の第1段落, add_paragraphs: [新しい段落である。, 次の段落である。]}\n",
    )
    assert (
        text == "記の1の第1段落の次に次のように加える。\n　新しい段落である。\n　次の段落である。\n"
    )
    assert "丙は丁とする。\n　新しい段落である。\n　次の段落である。\n　戊は己とする。" in ki
    text, ki = amended(make_project, "  - {at: 記の1の第2段落, delete_paragraph: true}\n")
    assert text == "記の1の第2段落を削る。\n" and "戊は己とする。" not in ki
    text, _ = amended(make_project, "  - {at: 記の1の第1段落, replace: 甲は乙, with: 甲は丙}\n")
    assert text == "記の1の第1段落中「甲は乙」を「甲は丙」に改める。\n"
    change = parse_kaibun("記の1の第2段落を削る。\n")[0]
    assert (change.at, change.body) == ("記の1の第2段落", DeleteParagraph())
    change = parse_kaibun("記の1の第1段落の次に次のように加える。\n　新しい。\n")[0]
    assert (change.at, change.body) == ("記の1の第1段落", AddParagraphs(("新しい。",)))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            "  - {at: 記の1の第3段落, delete_paragraph: true}\n",
            "記の1 has 2 paragraphs; there is no 第3段落",
        ),
        (
            "  - {at: 記の1の(1)の①の第1段落, delete_paragraph: true}\n",
            "deleting its only paragraph would leave 記の1の(1)の① empty",
        ),
        (
            "  - {at: 記の1の第1段落, add_paragraphs: [(2) 新しい]}\n",
            "starts with 「(2)」, which reads as an item label",
        ),
        (
            "  - {at: 記の1の第1段落, delete_paragraph: true}\n"
            "  - {at: 記の1の第2段落, delete_paragraph: true}\n",
            "paragraphs of one item are added or deleted once per amendment",
        ),
        ("  - {at: 記の1, delete_paragraph: true}\n", "delete_paragraph needs a paragraph address"),
    ],
)
def test_paragraph_changes_refused(make_project: MakeProject, changes: str, expected: str) -> None:
    assert expected in refused(make_project, changes)
