"""Tests for builder.japanese.docnumber (文書番号) and builder.japanese.digits (digit width)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from builder.japanese.digits import (
    DIGIT_RULE,
    DigitWidthError,
    check_digit_width,
    full_width_digit_positions,
    is_full_width_digit,
    to_half_width_digits,
)
from builder.japanese.docnumber import (
    DocumentNumber,
    DocumentNumberError,
    check_number_matches_date,
    parse_document_number,
)

# --- 文書番号: parsing --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefix", "mmdd", "serial"),
    [
        ("医政発0731第1号", "医政発", "0731", 1),
        ("医政発0327第2号", "医政発", "0327", 2),
        ("医政発1010第2号", "医政発", "1010", 2),
        ("健発0229第15号", "健発", "0229", 15),
        ("薬生発0101第123号", "薬生発", "0101", 123),
        ("老老発1231第1号", "老老発", "1231", 1),
        ("社援発々0401第3号", "社援発々", "0401", 3),
        ("かなカナ発0101第1号", "かなカナ発", "0101", 1),
    ],
)
def test_parse_document_number(text: str, prefix: str, mmdd: str, serial: int) -> None:
    number = parse_document_number(text)
    assert number == DocumentNumber(prefix=prefix, mmdd=mmdd, serial=serial)
    assert str(number) == text


@pytest.mark.parametrize(
    "text",
    [
        "医政発０７３１第１号",
        "医政発 0731 第 1 号",
        "医政発　０７３１　第　１　号",
        " 医政発0731第1号 ",
        "医政発0731第1号\n",
        "医 政 発0731第1号",
    ],
)
def test_parse_normalises_full_width_digits_and_spaces(text: str) -> None:
    number = parse_document_number(text)
    assert str(number) == "医政発0731第1号"
    assert number == DocumentNumber("医政発", "0731", 1)


def test_month_and_day_properties() -> None:
    number = parse_document_number("医政発0731第1号")
    assert (number.month, number.day) == (7, 31)
    number = parse_document_number("医政発1009第2号")
    assert (number.month, number.day) == (10, 9)


def test_document_number_is_frozen() -> None:
    number = parse_document_number("医政発0731第1号")
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.serial = 2  # type: ignore[misc]


def test_document_number_error_is_a_value_error() -> None:
    assert issubclass(DocumentNumberError, ValueError)


def test_round_trip_str_parse_for_every_valid_mmdd() -> None:
    start = datetime.date(2024, 1, 1)  # leap year, so 0229 is included
    for offset in range(366):
        d = start + datetime.timedelta(days=offset)
        for serial in (1, 9, 10, 999):
            text = f"医政発{d:%m%d}第{serial}号"
            number = parse_document_number(text)
            assert str(number) == text
            assert (number.month, number.day) == (d.month, d.day)
            assert parse_document_number(str(number)) == number


# --- 文書番号: rejection --------------------------------------------------------


def _message(text: str) -> str:
    with pytest.raises(DocumentNumberError) as info:
        parse_document_number(text)
    return str(info.value)


def test_dai_before_mmdd_is_rejected_with_a_suggestion() -> None:
    message = _message("医政発第0327第1号")
    assert "「第」 does not precede the MMDD" in message
    assert "write 医政発0327第1号" in message
    assert "月日（0327）の前に付きません" in message


def test_dai_before_mmdd_with_full_width_digits() -> None:
    assert "write 医政発0327第1号" in _message("医政発第０３２７第１号")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("医政発1332第1号", "1332 is not a valid MMDD: there is no month 13"),
        ("医政発0001第1号", "0001 is not a valid MMDD: there is no month 00"),
        ("医政発0230第1号", "0230 is not a valid MMDD: month 02 has at most 29 days"),
        ("医政発0431第1号", "0431 is not a valid MMDD: month 04 has at most 30 days"),
        ("医政発0100第1号", "0100 is not a valid MMDD: month 01 has at most 31 days"),
        ("医政発0132第1号", "0132 is not a valid MMDD"),
    ],
)
def test_invalid_mmdd(text: str, fragment: str) -> None:
    assert fragment in _message(text)


@pytest.mark.parametrize("text", ["医政発0731第0号", "医政発0731第00号"])
def test_serial_zero(text: str) -> None:
    message = _message(text)
    assert "the serial number must be at least 1" in message
    assert "番号は1から始まります" in message


def test_serial_with_leading_zero_is_rejected() -> None:
    message = _message("医政発0731第01号")
    assert "leading zero" in message
    assert "write 医政発0731第1号" in message


def test_missing_go_suggests_adding_it() -> None:
    message = _message("医政発0731第1")
    assert "does not end with 号" in message
    assert "医政発0731第1号" in message


def test_missing_go_on_garbage_suggests_the_example() -> None:
    message = _message("xyz")
    assert "does not end with 号" in message
    assert "医政発0731第1号" in message


@pytest.mark.parametrize("text", ["0731第1号", " 0731 第 1 号"])
def test_empty_prefix(text: str) -> None:
    message = _message(text)
    assert "has no prefix (局略号)" in message


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("ABC0101第1号", "'A'"),
        ("ＡＢＣ0101第1号", "'A'"),
        ("医政-発0101第1号", "'-'"),
        ("医政発x0101第1号", "'x'"),
        ("(医政発)0101第1号", "'('"),
    ],
)
def test_prefix_must_be_kanji_or_kana(text: str, bad: str) -> None:
    message = _message(text)
    assert "must be kanji or kana" in message
    assert f"contains {bad}" in message


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_document_number(text: str) -> None:
    assert "the document number is empty" in _message(text)


@pytest.mark.parametrize(
    "text",
    [
        "医政発第0327001号",  # old-style seven-digit number
        "医政発731第1号",
        "医政発07311第1号",
        "医政発1号0101第1号",
        "医政発0731号",
        "医政発0731第号",
        "医政発0731の1号",
        "医政発0731第一号",
    ],
)
def test_malformed_document_numbers(text: str) -> None:
    message = _message(text)
    assert "is not a document number" in message or "not a valid MMDD" in message
    assert "医政発0731第1号" in message


def test_constructor_validates_too() -> None:
    with pytest.raises(DocumentNumberError, match="there is no month 13"):
        DocumentNumber("医政発", "1301", 1)
    with pytest.raises(DocumentNumberError, match="at least 1"):
        DocumentNumber("医政発", "0101", 0)
    with pytest.raises(DocumentNumberError, match="has no prefix"):
        DocumentNumber("", "0101", 1)
    with pytest.raises(DocumentNumberError, match="must be four digits"):
        DocumentNumber("医政発", "731", 1)
    with pytest.raises(DocumentNumberError, match="must be four digits"):
        DocumentNumber("医政発", "０７３１", 1)


# --- 文書番号 and its date ----------------------------------------------------


def test_number_matches_its_date() -> None:
    number = parse_document_number("医政発0327第1号")
    check_number_matches_date(number, datetime.date(2025, 3, 27))  # does not raise
    check_number_matches_date(number, datetime.date(2019, 3, 27))  # does not raise


def test_number_does_not_match_its_date() -> None:
    number = parse_document_number("医政発0328第1号")
    with pytest.raises(DocumentNumberError) as info:
        check_number_matches_date(number, datetime.date(2025, 3, 27))
    message = str(info.value)
    assert (
        "医政発0328第1号 is dated 2025-03-27: the MMDD 0328 must be the issue date 0327" in message
    )
    assert "発出日" in message


@pytest.mark.parametrize(
    ("text", "d"),
    [
        ("医政発0731第1号", datetime.date(2024, 7, 30)),
        ("医政発0731第1号", datetime.date(2024, 8, 31)),
        ("医政発1010第2号", datetime.date(2024, 1, 10)),
        ("医政発0101第2号", datetime.date(2024, 10, 10)),
    ],
)
def test_mismatched_month_or_day(text: str, d: datetime.date) -> None:
    with pytest.raises(DocumentNumberError, match="must be the issue date"):
        check_number_matches_date(parse_document_number(text), d)


# --- digit width ----------------------------------------------------------------


def test_digit_rule_is_one_sentence_and_obeys_itself() -> None:
    assert DIGIT_RULE.endswith(".")
    assert DIGIT_RULE.count(". ") == 0
    assert "half-width" in DIGIT_RULE
    assert full_width_digit_positions(DIGIT_RULE) == []
    check_digit_width(DIGIT_RULE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("０１２３４５６７８９", "0123456789"),
        ("令和７年３月２７日", "令和7年3月27日"),
        ("医政発０７３１第１号", "医政発0731第1号"),
        ("already 2025", "already 2025"),
        ("", ""),
        # only digits change: full-width letters, symbols, spaces and kana stay
        ("ＡＢＣ１！　ｱ", "ＡＢＣ1！　ｱ"),
        ("①②③ ¹²³ ٣", "①②③ ¹²³ ٣"),
        ("一二三", "一二三"),
    ],
)
def test_to_half_width_digits(text: str, expected: str) -> None:
    assert to_half_width_digits(text) == expected


def test_to_half_width_digits_maps_each_digit() -> None:
    for value in range(10):
        assert to_half_width_digits(chr(0xFF10 + value)) == str(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("2025-03-27", []),
        ("令和７年", [2]),
        ("１２", [0, 1]),
        ("a１b２\n３", [1, 3, 5]),
        ("①¹٣", []),
    ],
)
def test_full_width_digit_positions(text: str, expected: list[int]) -> None:
    assert full_width_digit_positions(text) == expected


def test_is_full_width_digit() -> None:
    assert is_full_width_digit("０")
    assert is_full_width_digit("９")
    assert not is_full_width_digit("0")
    assert not is_full_width_digit("Ａ")
    assert not is_full_width_digit("００")
    assert not is_full_width_digit("")


@pytest.mark.parametrize("text", ["", "令和7年3月27日", "医政発0731第1号", "ＡＢＣ", "一二三"])
def test_check_digit_width_accepts_half_width(text: str) -> None:
    check_digit_width(text)


def test_check_digit_width_names_character_and_column() -> None:
    with pytest.raises(DigitWidthError) as info:
        check_digit_width("令和７年３月")
    error = info.value
    assert error.character == "７"
    assert error.index == 2
    assert error.column == 3
    assert error.line == 1
    message = str(error)
    assert "'７'" in message
    assert "column 3" in message
    assert "write the half-width '7'" in message
    assert "3文字目" in message
    assert DIGIT_RULE in message


def test_check_digit_width_reports_the_first_offender_only() -> None:
    with pytest.raises(DigitWidthError) as info:
        check_digit_width("２０２５")
    assert info.value.character == "２"
    assert info.value.column == 1


def test_check_digit_width_reports_line_and_column_in_multiline_text() -> None:
    with pytest.raises(DigitWidthError) as info:
        check_digit_width("第1条\n第２条")
    error = info.value
    assert (error.line, error.column, error.index) == (2, 2, 5)
    assert "line 2, column 2" in str(error)
    assert "2行目の2文字目" in str(error)


def test_digit_width_error_is_a_value_error() -> None:
    assert issubclass(DigitWidthError, ValueError)
