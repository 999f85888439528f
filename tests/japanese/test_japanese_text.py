"""Tests for builder.japanese.normalize and builder.japanese.prefectures."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

import builder.japanese as japanese
from builder.japanese.normalize import best_match, matches, normalize_query
from builder.japanese.prefectures import (
    PREFECTURES,
    AmbiguousPrefectureError,
    Prefecture,
    UnknownPrefectureError,
    find_prefecture,
    prefecture_code,
)

# --- normalize_query ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("医政発０７３１第１号", "医政発0731第1号"),
        ("医政発 0731 第 1 号", "医政発0731第1号"),
        ("ＡＢＣｘｙｚ", "ABCxyz"),
        ("（１）！？＃", "(1)!?#"),
        ("ｲｾｲ", "イセイ"),
        ("ｶﾞｲﾄﾞﾗｲﾝ", "ガイドライン"),
        ("ﾊﾟﾌﾞﾘｯｸｺﾒﾝﾄ", "パブリックコメント"),
        ("\u3000兵庫\u3000", "兵庫"),
        (" \t兵\n庫\r\n ", "兵庫"),
        ("カタカナ ひらがな 漢字", "カタカナひらがな漢字"),
        ("", ""),
        ("   \u3000 ", ""),
        # combining voiced mark is composed (NFC)
        ("か\u3099", "が"),
    ],
)
def test_normalize_query(text: str, expected: str) -> None:
    assert normalize_query(text) == expected


def test_normalize_query_keeps_full_width_katakana_and_kanji() -> None:
    text = "厚生労働省医政局カタカナひらがな々ー"
    assert normalize_query(text) == text


def test_normalize_query_result_is_nfc_and_idempotent() -> None:
    for text in ["医政発０７３１第１号", "ｶﾞｲﾄﾞ", "か\u3099き\u3099", "ＡＢ　ｃｄ"]:
        once = normalize_query(text)
        assert unicodedata.is_normalized("NFC", once)
        assert normalize_query(once) == once


def test_normalize_query_leaves_no_full_width_digits_or_whitespace() -> None:
    text = "".join(chr(code) for code in range(0xFF01, 0xFF5F)) + " \u3000\t"
    result = normalize_query(text)
    assert not any(ch.isspace() for ch in result)
    assert result.isascii()


# --- matches ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "candidate"),
    [
        ("医政発０７３１第１号", "医政発0731第1号"),
        ("医政発 0731 第 1 号", "医政発0731第1号"),
        ("ｶﾞｲﾄﾞﾗｲﾝ", "ガイドライン"),
        ("兵庫県", "兵庫県"),
        ("　兵庫県 ", "兵 庫 県"),
    ],
)
def test_matches(query: str, candidate: str) -> None:
    assert matches(query, candidate)
    assert matches(candidate, query)


@pytest.mark.parametrize(
    ("query", "candidate"),
    [
        ("医政発0731第1号", "医政発0731第2号"),
        ("がいどらいん", "ガイドライン"),  # hiragana is not katakana
        ("兵庫", "兵庫県"),  # prefixes are not matches
        ("abc", "ABC"),  # case matters
    ],
)
def test_does_not_match(query: str, candidate: str) -> None:
    assert not matches(query, candidate)


# --- best_match -----------------------------------------------------------------

_CANDIDATES = ["医政発0731第1号", "医政発0731第2号", "健発0327第1号", "ガイドライン"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("医政発0731第1号", "医政発0731第1号"),
        ("医政発０７３１第２号", "医政発0731第2号"),
        ("健発", "健発0327第1号"),
        ("健 発 ０３", "健発0327第1号"),
        ("ｶﾞｲﾄﾞ", "ガイドライン"),
        ("医政発", None),  # two candidates start with it
        ("老発", None),  # none
        ("", None),
        ("   ", None),
    ],
)
def test_best_match(query: str, expected: str | None) -> None:
    assert best_match(query, _CANDIDATES) == expected


def test_best_match_prefers_exact_over_prefix() -> None:
    assert best_match("東京", ["東京都", "東京"]) == "東京"
    assert best_match("東京", ["東京都"]) == "東京都"


def test_best_match_with_several_exact_matches_is_none() -> None:
    assert best_match("ABC", ["ABC", "ＡＢＣ"]) is None


def test_best_match_ignores_duplicate_candidates() -> None:
    assert best_match("ABC", ["ABC", "ABC"]) == "ABC"
    assert best_match("AB", ["ABC", "ABC"]) == "ABC"


def test_best_match_accepts_any_iterable_once() -> None:
    assert best_match("ガイ", iter(["ガイドライン", "通知"])) == "ガイドライン"
    assert best_match("x", []) is None


# --- prefectures: table -------------------------------------------------------


def test_there_are_47_prefectures_numbered_1_to_47() -> None:
    assert len(PREFECTURES) == 47
    assert [prefecture.code for prefecture in PREFECTURES] == list(range(1, 48))
    assert len({prefecture.name for prefecture in PREFECTURES}) == 47


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (1, "北海道"),
        (2, "青森県"),
        (7, "福島県"),
        (8, "茨城県"),
        (13, "東京都"),
        (14, "神奈川県"),
        (22, "静岡県"),
        (23, "愛知県"),
        (26, "京都府"),
        (27, "大阪府"),
        (28, "兵庫県"),
        (30, "和歌山県"),
        (34, "広島県"),
        (40, "福岡県"),
        (46, "鹿児島県"),
        (47, "沖縄県"),
    ],
)
def test_jis_codes(code: int, name: str) -> None:
    assert PREFECTURES[code - 1] == Prefecture(code=code, name=name)
    assert prefecture_code(name) == code


def test_names_end_with_to_do_fu_ken() -> None:
    suffixes = [prefecture.name[-1] for prefecture in PREFECTURES]
    assert suffixes.count("都") == 1
    assert suffixes.count("道") == 1
    assert suffixes.count("府") == 2
    assert suffixes.count("県") == 43


def test_short_names_are_unique_and_never_another_full_name() -> None:
    short = [prefecture.short_name for prefecture in PREFECTURES]
    full = {prefecture.name for prefecture in PREFECTURES}
    assert len(set(short)) == 47
    assert {"東京", "大阪", "京都", "兵庫", "北海道", "神奈川", "鹿児島"} <= set(short)
    assert not (set(short) - {"北海道"}) & full


def test_prefecture_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        PREFECTURES[0].code = 2  # type: ignore[misc]


# --- prefectures: lookup ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("兵庫", "兵庫県"),
        ("兵庫県", "兵庫県"),
        ("東京", "東京都"),
        ("東京都", "東京都"),
        ("大阪", "大阪府"),
        ("大阪府", "大阪府"),
        ("京都", "京都府"),
        ("京都府", "京都府"),
        ("北海道", "北海道"),
        ("神奈川", "神奈川県"),
        ("沖縄県", "沖縄県"),
        ("  兵庫  ", "兵庫県"),
        ("\u3000東京都\u3000", "東京都"),
        ("東 京", "東京都"),
        ("\t大阪\n", "大阪府"),
    ],
)
def test_find_prefecture(query: str, name: str) -> None:
    assert find_prefecture(query).name == name


def test_every_full_and_short_name_finds_itself() -> None:
    for prefecture in PREFECTURES:
        assert find_prefecture(prefecture.name) is prefecture
        assert find_prefecture(prefecture.short_name) is prefecture
        assert find_prefecture(f" {prefecture.short_name}\u3000") is prefecture
        assert prefecture_code(prefecture.name) == prefecture.code


def test_short_forms_give_codes() -> None:
    assert prefecture_code("兵庫") == 28
    assert prefecture_code("東京") == 13


@pytest.mark.parametrize("query", ["京", "東", "北海", "大", "山", "兵庫けん", "ひょうご", "Tokyo"])
def test_partial_or_foreign_queries_are_unknown(query: str) -> None:
    with pytest.raises(UnknownPrefectureError, match="is not a prefecture"):
        find_prefecture(query)


def test_unknown_prefecture_suggests_closest_names() -> None:
    with pytest.raises(UnknownPrefectureError) as info:
        find_prefecture("兵庫件")
    message = str(info.value)
    assert "did you mean 兵庫県?" in message
    assert "もしかして: 兵庫県" in message


def test_unknown_prefecture_suggestions_are_official_names() -> None:
    with pytest.raises(UnknownPrefectureError) as info:
        prefecture_code("東京府")
    message = str(info.value)
    assert "東京都" in message
    assert "京都府" in message


def test_unknown_prefecture_without_any_close_name() -> None:
    with pytest.raises(UnknownPrefectureError) as info:
        find_prefecture("xyz")
    message = str(info.value)
    assert "did you mean" not in message
    assert "e.g. 東京都 or 兵庫県" in message


def test_empty_query_is_unknown() -> None:
    with pytest.raises(UnknownPrefectureError):
        find_prefecture("  ")


def test_prefecture_errors_are_value_errors() -> None:
    assert issubclass(UnknownPrefectureError, ValueError)
    assert issubclass(AmbiguousPrefectureError, ValueError)


def test_a_query_matching_several_prefectures_raises() -> None:
    table = (Prefecture(90, "架空県"), Prefecture(91, "架空府"))
    with pytest.raises(AmbiguousPrefectureError) as info:
        find_prefecture("架空", table)
    message = str(info.value)
    assert "架空県" in message
    assert "架空府" in message
    assert "matches several prefectures" in message
    assert find_prefecture("架空府", table).code == 91


def test_no_query_is_ambiguous_among_the_47() -> None:
    for prefecture in PREFECTURES:
        for query in (prefecture.name, prefecture.short_name):
            hits = [
                other
                for other in PREFECTURES
                if matches(query, other.name) or matches(query, other.short_name)
            ]
            assert hits == [prefecture]


# --- package re-exports -------------------------------------------------------


def test_package_reexports_public_api() -> None:
    for name in japanese.__all__:
        assert hasattr(japanese, name), name
    assert japanese.find_prefecture is find_prefecture
    assert japanese.normalize_query is normalize_query
