"""Word boundaries for quotes (builder.japanese.words): the analyser's words, glued where
a drafter never separates them, and the caller's atoms kept whole."""

from __future__ import annotations

import pytest

from builder.japanese.words import word_boundaries, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年度から2025年度まで", ["2024年度", "から", "2025年度", "まで"]),
        (
            "令和7年3月27日付け医政発0327第2号",
            ["令和7年", "3月", "27日", "付け", "医政発0327第2号"],
        ),
        (
            "第3段落、技術的支援及び財政的支援を行う。",
            ["第3段落", "、", "技術的", "支援", "及び", "財政的", "支援", "を", "行う", "。"],
        ),
        ("100床の病院", ["100床", "の", "病院"]),
    ],
)
def test_numbers_keep_their_counters_and_affixes_their_words(
    text: str, expected: list[str]
) -> None:
    assert words(text) == expected


def test_atoms_are_words() -> None:
    text = "秋田県の項中「能代・山本（●）、大館・鹿角（●）」"
    found = words(text, ["能代・山本", "大館・鹿角", "（●）"])
    assert "能代・山本" in found and "大館・鹿角" in found and found.count("（●）") == 2
    assert "山本" not in found and "●" not in "".join(w for w in found if w != "（●）")
    without = words(text)
    assert "能代・山本" not in without  # the dictionary alone cuts the area's name


def test_boundaries_include_both_ends_and_never_cut_inside_a_number() -> None:
    text = "2024年度の病床数"
    cuts = word_boundaries(text)
    assert {0, len(text)} <= cuts
    assert 4 not in cuts  # 「2024」|「年度」 is not a boundary


def test_long_text_is_read_in_pieces() -> None:
    sentence = "推進区域の設定については、別途通知する。"
    text = sentence * 3000  # about 180 kB, over SudachiPy's limit for one input
    found = words(text)
    assert "".join(found) == text
    assert found.count("推進") + found.count("推進区域") == 3000
