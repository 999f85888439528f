"""Tests for builder.japanese.wareki: 和暦 formatting and strict date parsing."""

from __future__ import annotations

import datetime

import pytest

from builder.japanese.digits import full_width_digit_positions
from builder.japanese.wareki import (
    ERAS,
    DateError,
    Era,
    era_end,
    era_of,
    format_wareki,
    format_wareki_month,
    parse_date,
)

D = datetime.date


# --- ERAS -------------------------------------------------------------------


def test_eras_are_the_five_modern_eras_with_standard_start_dates() -> None:
    expected = (
        Era("明治", D(1868, 10, 23)),
        Era("大正", D(1912, 7, 30)),
        Era("昭和", D(1926, 12, 25)),
        Era("平成", D(1989, 1, 8)),
        Era("令和", D(2019, 5, 1)),
    )
    assert expected == ERAS


def test_eras_are_in_chronological_order() -> None:
    starts = [era.start for era in ERAS]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("name", "end"),
    [
        ("明治", D(1912, 7, 29)),
        ("大正", D(1926, 12, 24)),
        ("昭和", D(1989, 1, 7)),
        ("平成", D(2019, 4, 30)),
        ("令和", None),
    ],
)
def test_era_end(name: str, end: datetime.date | None) -> None:
    era = next(era for era in ERAS if era.name == name)
    assert era_end(era) == end


@pytest.mark.parametrize(
    ("d", "name"),
    [
        (D(1868, 10, 23), "明治"),
        (D(1912, 7, 29), "明治"),
        (D(1912, 7, 30), "大正"),
        (D(1926, 12, 24), "大正"),
        (D(1926, 12, 25), "昭和"),
        (D(1989, 1, 7), "昭和"),
        (D(1989, 1, 8), "平成"),
        (D(2019, 4, 30), "平成"),
        (D(2019, 5, 1), "令和"),
        (D(2100, 1, 1), "令和"),
    ],
)
def test_era_of(d: datetime.date, name: str) -> None:
    assert era_of(d).name == name


# --- format_wareki / format_wareki_month ------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 12, 31), "令和元年12月31日"),
        (D(2020, 1, 1), "令和2年1月1日"),
        (D(2024, 7, 31), "令和6年7月31日"),
        (D(2025, 3, 27), "令和7年3月27日"),
        (D(2025, 10, 10), "令和7年10月10日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1926, 12, 24), "大正15年12月24日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1912, 7, 29), "明治45年7月29日"),
        (D(1912, 7, 30), "大正元年7月30日"),
        (D(1868, 10, 23), "明治元年10月23日"),
    ],
)
def test_format_wareki(d: datetime.date, expected: str) -> None:
    assert format_wareki(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(2024, 7, 31), "令和6年7月"),
        (D(2024, 7, 1), "令和6年7月"),
        (D(2019, 4, 30), "平成31年4月"),
        (D(2019, 5, 1), "令和元年5月"),
        (D(2025, 3, 27), "令和7年3月"),
        (D(1989, 1, 8), "平成元年1月"),
        (D(1989, 1, 7), "昭和64年1月"),
    ],
)
def test_format_wareki_month(d: datetime.date, expected: str) -> None:
    assert format_wareki_month(d) == expected


def test_formatted_digits_are_half_width_ascii() -> None:
    d = D(1868, 10, 23)
    while d <= D(2030, 12, 31):
        for text in (format_wareki(d), format_wareki_month(d)):
            assert full_width_digit_positions(text) == []
            digits = [ch for ch in text if ch.isdigit()]
            assert all(ch in "0123456789" for ch in digits), text
        d += datetime.timedelta(days=13)


def test_first_year_is_gan_nen_never_1_nen() -> None:
    for era in ERAS:
        assert format_wareki(era.start) == (f"{era.name}元年{era.start.month}月{era.start.day}日")
        second_year = era.start.replace(year=era.start.year + 1, month=1, day=1)
        assert format_wareki(second_year) == f"{era.name}2年1月1日"


@pytest.mark.parametrize("d", [D(1868, 10, 22), D(1868, 1, 1), D(1, 1, 1)])
def test_format_before_meiji_is_rejected(d: datetime.date) -> None:
    with pytest.raises(DateError, match="before the start of 明治"):
        format_wareki(d)
    with pytest.raises(DateError, match="cannot be written in 和暦"):
        format_wareki_month(d)


# --- parse_date: accepted forms ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-27", D(2025, 3, 27)),
        ("2024-02-29", D(2024, 2, 29)),
        ("1800-01-01", D(1800, 1, 1)),
        ("令和7年3月27日", D(2025, 3, 27)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("令和1年5月1日", D(2019, 5, 1)),
        ("令和6年7月31日", D(2024, 7, 31)),
        ("平成31年4月30日", D(2019, 4, 30)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("昭和元年12月25日", D(1926, 12, 25)),
        ("大正15年12月24日", D(1926, 12, 24)),
        ("大正元年7月30日", D(1912, 7, 30)),
        ("明治45年7月29日", D(1912, 7, 29)),
        ("明治元年10月23日", D(1868, 10, 23)),
        ("令和7年03月07日", D(2025, 3, 7)),
        # full-width digits and spaces
        ("令和７年３月２７日", D(2025, 3, 27)),
        ("令和 7 年 3 月 27 日", D(2025, 3, 27)),
        ("令和　７年　３月　２７日", D(2025, 3, 27)),
        ("  令和元年5月1日\n", D(2019, 5, 1)),
        ("２０２５－０３－２７", D(2025, 3, 27)),
        (" 2025-03-27 ", D(2025, 3, 27)),
    ],
)
def test_parse_date_accepts(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)
    with pytest.raises(ValueError):
        parse_date("2025-02-30")


# --- parse_date: rejected forms ---------------------------------------------


def _message(text: str) -> str:
    with pytest.raises(DateError) as info:
        parse_date(text)
    return str(info.value)


def test_impossible_iso_date_names_the_month_length() -> None:
    message = _message("2025-02-30")
    assert "2025-02-30 is not a date: February 2025 has 28 days" in message
    assert "存在しない日付" in message


def test_impossible_iso_date_in_a_leap_year() -> None:
    assert "February 2024 has 29 days" in _message("2024-02-30")
    assert "February 1900 has 28 days" in _message("1900-02-29")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2025-04-31", "April 2025 has 30 days"),
        ("2025-01-32", "January 2025 has 31 days"),
        ("2025-01-00", "January 2025 has 31 days"),
        ("2025-13-01", "there is no month 13"),
        ("2025-00-10", "there is no month 0"),
        ("0000-01-01", "outside 1-9999"),
    ],
)
def test_impossible_iso_dates(text: str, fragment: str) -> None:
    assert fragment in _message(text)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("令和7年2月29日", "February 2025 (令和7年) has 28 days"),
        ("令和7年2月30日", "February 2025 (令和7年) has 28 days"),
        ("令和6年2月30日", "February 2024 (令和6年) has 29 days"),
        ("令和7年4月31日", "April 2025 (令和7年) has 30 days"),
        ("令和7年13月1日", "there is no month 13"),
        ("令和7年0月1日", "there is no month 0"),
        ("令和7年1月0日", "January 2025 (令和7年) has 31 days"),
        ("令和99999年1月1日", "its year has 5 digits"),
    ],
)
def test_impossible_wareki_dates(text: str, fragment: str) -> None:
    assert fragment in _message(text)


def test_heisei_after_its_end_is_rejected_with_the_reiwa_form() -> None:
    message = _message("平成32年1月1日")
    assert "平成 ended on 平成31年4月30日 (2019-04-30)" in message
    assert "令和2年1月1日" in message


def test_heisei_31_may_is_reiwa_gan_nen() -> None:
    message = _message("平成31年5月1日")
    assert "平成 ended on 平成31年4月30日" in message
    assert "2019-05-01 is 令和元年5月1日" in message


def test_showa_64_after_january_7_is_heisei_gan_nen() -> None:
    message = _message("昭和64年1月8日")
    assert "昭和 ended on 昭和64年1月7日 (1989-01-07)" in message
    assert "1989-01-08 is 平成元年1月8日" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("昭和65年1月1日", "1990-01-01 is 平成2年1月1日"),
        ("大正16年1月1日", "1927-01-01 is 昭和2年1月1日"),
        ("明治46年1月1日", "1913-01-01 is 大正2年1月1日"),
        ("明治45年7月30日", "1912-07-30 is 大正元年7月30日"),
        ("平成99年1月1日", "2087-01-01 is 令和69年1月1日"),
    ],
)
def test_dates_after_the_end_of_an_era(text: str, fragment: str) -> None:
    message = _message(text)
    assert "does not exist" in message
    assert fragment in message


def test_reiwa_zero_is_rejected() -> None:
    message = _message("令和0年5月1日")
    assert "there is no 令和0年" in message
    assert "令和元年 (2019)" in message
    assert "令和元年" in message.split(" / ")[0]


def test_reiwa_before_may_2019_is_rejected() -> None:
    message = _message("令和元年4月30日")
    assert "令和 began on 令和元年5月1日 (2019-05-01)" in message
    assert "2019-04-30 is 平成31年4月30日" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("平成元年1月7日", "1989-01-07 is 昭和64年1月7日"),
        ("昭和元年12月24日", "1926-12-24 is 大正15年12月24日"),
        ("大正元年7月29日", "1912-07-29 is 明治45年7月29日"),
    ],
)
def test_dates_before_the_start_of_an_era(text: str, fragment: str) -> None:
    message = _message(text)
    assert "began on" in message
    assert fragment in message


def test_meiji_before_its_start_cannot_be_written_in_wareki() -> None:
    message = _message("明治元年1月1日")
    assert "明治 began on 明治元年10月23日 (1868-10-23)" in message
    assert "write the ISO date instead" in message


@pytest.mark.parametrize(
    "text", ["H31年4月30日", "西暦2025年3月27日", "慶応3年1月1日", "R7年3月27日"]
)
def test_unknown_era(text: str) -> None:
    message = _message(text)
    assert "unknown era" in message
    assert "明治, 大正, 昭和, 平成, 令和" in message
    assert "知らない元号" in message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "2025/03/27",
        "2025-3-27",
        "20250327",
        "R7.3.27",
        "2025年3月27日",
        "令和7年3月",
        "令和7年3月27",
        "令和年3月27日",
        "令和7年3月27日です",
        "2025-03-27T00:00",
    ],
)
def test_malformed_text(text: str) -> None:
    message = _message(text)
    assert "is not a date" in message
    assert "2025-03-27 (ISO)" in message
    assert "令和7年3月27日 (和暦)" in message
    assert "日付として読めません" in message


def test_messages_are_japanese_then_english() -> None:
    japanese, english = _message("令和元年4月30日").split(" / ")
    assert "令和の始まり" in japanese
    assert english.startswith("令和元年4月30日 does not exist")


# --- round trips --------------------------------------------------------------


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def test_round_trip_every_day_around_each_era_boundary() -> None:
    checked = 0
    for era in ERAS:
        for d in _days(
            era.start - datetime.timedelta(days=400), era.start + datetime.timedelta(days=400)
        ):
            if d < ERAS[0].start:
                continue
            assert parse_date(format_wareki(d)) == d
            assert parse_date(d.isoformat()) == d
            checked += 1
    assert checked > 3500


def test_round_trip_every_day_from_meiji_to_2100() -> None:
    for d in _days(ERAS[0].start, D(2100, 12, 31)):
        assert parse_date(format_wareki(d)) == d


def test_round_trip_with_full_width_digits_and_spaces() -> None:
    to_full = str.maketrans("0123456789", "０１２３４５６７８９")
    for d in _days(D(2019, 4, 25), D(2019, 5, 5)) + _days(D(1989, 1, 1), D(1989, 1, 15)):
        text = format_wareki(d)
        assert parse_date(text.translate(to_full)) == d
        assert parse_date(" ".join(text)) == d
