"""和暦 (Japanese era) dates: formatting with half-width digits and strict parsing."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from builder.japanese.normalize import normalize_query


@dataclass(frozen=True)
class Era:
    """A Japanese era and the first day on which it is used."""

    name: str
    start: datetime.date


ERAS: tuple[Era, ...] = (
    Era("明治", datetime.date(1868, 10, 23)),
    Era("大正", datetime.date(1912, 7, 30)),
    Era("昭和", datetime.date(1926, 12, 25)),
    Era("平成", datetime.date(1989, 1, 8)),
    Era("令和", datetime.date(2019, 5, 1)),
)

_MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_EXAMPLES_JA = "2025-03-27 または 令和7年3月27日 の形で書いてください"
_EXAMPLES_EN = "write it as 2025-03-27 (ISO) or 令和7年3月27日 (和暦)"

_ISO_RE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_WAREKI_RE = re.compile(
    r"(?P<era>[^0-9元年月日]+)(?P<year>元|[0-9]+)年(?P<month>[0-9]+)月(?P<day>[0-9]+)日"
)


class DateError(ValueError):
    """A date could not be read or written; the message says what to write instead."""


def _error(japanese: str, english: str) -> DateError:
    return DateError(f"{japanese} / {english}")


def era_end(era: Era) -> datetime.date | None:
    """Return the last day of ``era``, or None for the current era."""
    index = ERAS.index(era)
    if index + 1 == len(ERAS):
        return None
    return ERAS[index + 1].start - datetime.timedelta(days=1)


def era_of(d: datetime.date) -> Era:
    """Return the era in which ``d`` falls; raise DateError before 明治 began."""
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    first = ERAS[0]
    raise _error(
        f"{d.isoformat()} は{first.name}（{first.start.isoformat()}〜）より前なので"
        "和暦では書けません",
        f"{d.isoformat()} cannot be written in 和暦: it is before the start of "
        f"{first.name} on {first.start.isoformat()}",
    )


def _year_text(era_year: int) -> str:
    return "元" if era_year == 1 else str(era_year)


def _era_year(d: datetime.date) -> tuple[Era, int]:
    era = era_of(d)
    return era, d.year - era.start.year + 1


def format_wareki(d: datetime.date) -> str:
    """Return ``d`` as 和暦 with half-width digits, e.g. 「令和6年7月31日」, 「令和元年5月1日」."""
    era, year = _era_year(d)
    return f"{era.name}{_year_text(year)}年{d.month}月{d.day}日"


def format_wareki_month(d: datetime.date) -> str:
    """Return the month of ``d`` as 和暦 with half-width digits, e.g. 「令和6年7月」."""
    era, year = _era_year(d)
    return f"{era.name}{_year_text(year)}年{d.month}月"


def _make_date(year: int, month: int, day: int, shown: str, context: str) -> datetime.date:
    """Build a date, explaining in the error why ``shown`` is not a date.

    ``context`` is appended to the year in English messages (e.g. " (令和7年)").
    """
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise _error(
            f"「{shown}」は扱える範囲外の年です（西暦1〜9999年）",
            f"{shown} is not a date: the year {year} is outside 1-9999",
        )
    if not 1 <= month <= 12:
        raise _error(
            f"「{shown}」は存在しない日付です（{month}月はありません。月は1〜12です）",
            f"{shown} is not a date: there is no month {month} (months are 1-12)",
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise _error(
            f"「{shown}」は存在しない日付です（{year}年{month}月は{days}日まで）",
            f"{shown} is not a date: {_MONTH_NAMES[month - 1]} {year}{context} has {days} days",
        )
    return datetime.date(year, month, day)


def _parse_iso(match: re.Match[str]) -> datetime.date:
    year, month, day = (int(match[name]) for name in ("year", "month", "day"))
    shown = f"{match['year']}-{match['month']}-{match['day']}"
    return _make_date(year, month, day, shown, "")


def _find_era(name: str) -> Era:
    for era in ERAS:
        if era.name == name:
            return era
    known = ", ".join(era.name for era in ERAS)
    known_ja = "、".join(era.name for era in ERAS)
    raise _error(
        f"「{name}」は知らない元号です（使えるのは {known_ja}）。"
        "元号を直すか、2025-03-27 の形で書いてください",
        f"unknown era {name!r}: the known eras are {known}; "
        "write one of them, or an ISO date such as 2025-03-27",
    )


MAX_NUMBER_DIGITS = 4
"""A year, month or day written with more digits than this is refused before it is
converted (Python refuses to convert more than 4,300 digits, and no date needs them)."""


def _abridged(text: str, length: int = 12) -> str:
    """``text`` cut to ``length`` characters with 「…」, for a message."""
    return text if len(text) <= length else f"{text[:length]}…"


def _check_digits(match: re.Match[str], text: str) -> None:
    for part, ja in (("year", "年"), ("month", "月"), ("day", "日")):
        digits = match[part]
        if len(digits) > MAX_NUMBER_DIGITS:
            raise _error(
                f"「{_abridged(text)}」の{ja}の数字が{len(digits):,}桁あります。{_EXAMPLES_JA}",
                f"{_abridged(text)!r} is not a date: its {part} has {len(digits):,} digits; "
                f"{_EXAMPLES_EN}",
            )


def _parse_wareki(match: re.Match[str]) -> datetime.date:
    _check_digits(match, match.string)
    era = _find_era(match["era"])
    era_year = 1 if match["year"] == "元" else int(match["year"])
    month, day = int(match["month"]), int(match["day"])
    shown = f"{era.name}{_year_text(era_year)}年{month}月{day}日"

    if era_year < 1:
        raise _error(
            f"「{era.name}0年」はありません。{era.name}の最初の年は"
            f"{era.name}元年（{era.start.year}年）です",
            f"there is no {era.name}0年: the first year of {era.name} is "
            f"{era.name}元年 ({era.start.year})",
        )

    year = era.start.year + era_year - 1
    d = _make_date(year, month, day, shown, f" ({era.name}{_year_text(era_year)}年)")

    if d < era.start:
        start_text = format_wareki(era.start)
        if d < ERAS[0].start:
            instead_ja = "和暦では書けないので、ISO の形（例: 1868-01-01）で書いてください"
            instead_en = "it cannot be written in 和暦; write the ISO date instead"
        else:
            instead_ja = f"{d.isoformat()} は{format_wareki(d)}です"
            instead_en = f"{d.isoformat()} is {format_wareki(d)}"
        raise _error(
            f"「{shown}」は{era.name}の始まり（{start_text} = {era.start.isoformat()}）"
            f"より前です。{instead_ja}",
            f"{shown} does not exist: {era.name} began on {start_text} "
            f"({era.start.isoformat()}); {instead_en}",
        )

    end = era_end(era)
    if end is not None and d > end:
        end_text = format_wareki(end)
        correct = format_wareki(d)
        raise _error(
            f"「{shown}」はありません。{era.name}は{end_text}（{end.isoformat()}）で"
            f"終わりました。{correct}と書いてください",
            f"{shown} does not exist: {era.name} ended on {end_text} ({end.isoformat()}); "
            f"{d.isoformat()} is {correct}, write that instead",
        )
    return d


def parse_date(text: str) -> datetime.date:
    """Read an ISO date (``2025-03-27``) or a 和暦 date (``令和7年3月27日``, ``令和元年5月1日``).

    Full-width digits and spaces are tolerated (``令和７年３月２７日``,
    ``令和 7 年 3 月 27 日``). Anything else, impossible dates, and 和暦 dates
    outside their era raise :class:`DateError` explaining what to write instead.
    """
    normalised = normalize_query(text)
    iso = _ISO_RE.fullmatch(normalised)
    if iso is not None:
        return _parse_iso(iso)
    wareki = _WAREKI_RE.fullmatch(normalised)
    if wareki is not None:
        return _parse_wareki(wareki)
    raise _error(
        f"「{text}」は日付として読めません。{_EXAMPLES_JA}",
        f"{text!r} is not a date: {_EXAMPLES_EN}",
    )
