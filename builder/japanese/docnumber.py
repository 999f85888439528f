"""文書番号 of the form <局略号><MMDD>第<n>号 (e.g. 医政発0731第1号): parsing and checks."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from builder.japanese.normalize import normalize_query

_FORM_JA = "<局略号><月日4桁>第<番号>号（例: 医政発0731第1号）"
_FORM_EN = "<prefix><MMDD>第<n>号, e.g. 医政発0731第1号"

MAX_SERIAL_DIGITS = 6
"""A serial number (第<n>号) of more digits than this is refused before it is converted
(Python refuses to convert more than 4,300 digits; a bureau issues far fewer notices)."""

_NUMBER_RE = re.compile(r"(?P<prefix>[^0-9]*)(?P<mmdd>[0-9]{4})第(?P<serial>[0-9]+)号")


class DocumentNumberError(ValueError):
    """A 文書番号 is malformed or inconsistent; the message says what to write instead."""


def _error(japanese: str, english: str) -> DocumentNumberError:
    return DocumentNumberError(f"{japanese} / {english}")


def _is_kanji_or_kana(character: str) -> bool:
    code = ord(character)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= code <= 0x4DBF  # CJK Unified Ideographs Extension A
        or 0xF900 <= code <= 0xFAFF  # CJK Compatibility Ideographs
        or code == 0x3005  # 々
        or 0x3041 <= code <= 0x309F  # hiragana
        or 0x30A1 <= code <= 0x30FF  # katakana (including ー)
    )


def _check_prefix(prefix: str, shown: str) -> None:
    if not prefix:
        raise _error(
            f"「{shown}」には局略号がありません。{_FORM_JA} の形で書いてください",
            f"{shown!r} has no prefix (局略号) before the MMDD: write {_FORM_EN}",
        )
    bad = [character for character in prefix if not _is_kanji_or_kana(character)]
    if bad:
        raise _error(
            f"「{shown}」の局略号「{prefix}」に漢字・かな以外の文字「{bad[0]}」があります。"
            f"{_FORM_JA} の形で書いてください",
            f"{shown!r}: the prefix {prefix!r} must be kanji or kana, "
            f"but contains {bad[0]!r}; write {_FORM_EN}",
        )


def _check_mmdd(mmdd: str, shown: str) -> None:
    if not re.fullmatch(r"[0-9]{4}", mmdd):
        raise _error(
            f"「{shown}」の月日「{mmdd}」は半角数字4桁ではありません",
            f"{shown!r}: the MMDD {mmdd!r} must be four digits, e.g. 0731",
        )
    month, day = int(mmdd[:2]), int(mmdd[2:])
    if not 1 <= month <= 12:
        raise _error(
            f"「{shown}」の月日「{mmdd}」は日付ではありません（{month}月はありません）",
            f"{shown!r}: {mmdd} is not a valid MMDD: there is no month {month:02d}",
        )
    days = calendar.monthrange(2000, month)[1]  # a leap year, so 0229 is allowed
    if not 1 <= day <= days:
        raise _error(
            f"「{shown}」の月日「{mmdd}」は日付ではありません（{month}月は{days}日まで）",
            f"{shown!r}: {mmdd} is not a valid MMDD: month {month:02d} has at most {days} days",
        )


def _check_serial(serial: int, shown: str) -> None:
    if serial < 1:
        raise _error(
            f"「{shown}」の番号は1から始まります（第{serial}号はありません）",
            f"{shown!r}: the serial number must be at least 1 (there is no 第{serial}号)",
        )


@dataclass(frozen=True)
class DocumentNumber:
    """A 文書番号 such as 医政発0731第1号: prefix 医政発, mmdd 0731, serial 1."""

    prefix: str
    mmdd: str
    serial: int

    def __post_init__(self) -> None:
        shown = f"{self.prefix}{self.mmdd}第{self.serial}号"
        _check_prefix(self.prefix, shown)
        _check_mmdd(self.mmdd, shown)
        _check_serial(self.serial, shown)

    def __str__(self) -> str:
        return f"{self.prefix}{self.mmdd}第{self.serial}号"

    @property
    def month(self) -> int:
        """The month of issue (1-12) given by the MMDD."""
        return int(self.mmdd[:2])

    @property
    def day(self) -> int:
        """The day of issue (1-31) given by the MMDD."""
        return int(self.mmdd[2:])


def parse_document_number(text: str) -> DocumentNumber:
    """Read a 文書番号 such as ``医政発0731第1号``.

    Full-width digits and stray spaces are normalised first (``医政発０７３１第１号``,
    ``医政発 0731 第 1 号``). Malformed numbers raise :class:`DocumentNumberError`
    explaining what is wrong and what to write instead.
    """
    normalised = normalize_query(text)
    if not normalised:
        raise _error(
            f"文書番号が空です。{_FORM_JA} の形で書いてください",
            f"the document number is empty: write {_FORM_EN}",
        )
    if not normalised.endswith("号"):
        suggestion = f"{normalised}号"
        if _NUMBER_RE.fullmatch(suggestion) is None:
            suggestion = "医政発0731第1号"
        raise _error(
            f"「{normalised}」は「号」で終わっていません。{suggestion} のように書いてください",
            f"{normalised!r} does not end with 号: write it like {suggestion}",
        )

    match = _NUMBER_RE.fullmatch(normalised)
    if match is None:
        raise _error(
            f"「{normalised}」は文書番号の形ではありません。{_FORM_JA} の形で書いてください",
            f"{normalised!r} is not a document number: write {_FORM_EN}",
        )

    prefix, mmdd, serial_text = match["prefix"], match["mmdd"], match["serial"]
    if len(serial_text) > MAX_SERIAL_DIGITS:
        shown = normalised if len(normalised) <= 24 else f"{normalised[:24]}…"
        raise _error(
            f"「{shown}」の番号が{len(serial_text):,}桁あります。{_FORM_JA} の形で書いてください",
            f"{shown!r}: the serial number has {len(serial_text):,} digits; write {_FORM_EN}",
        )
    if prefix.endswith("第"):
        suggestion = f"{prefix.removesuffix('第')}{mmdd}第{serial_text}号"
        raise _error(
            f"「{normalised}」: この形の文書番号では「第」は月日（{mmdd}）の前に付きません。"
            f"{suggestion} と書いてください",
            f"{normalised!r}: 「第」 does not precede the MMDD ({mmdd}) in this form, "
            f"only the serial number; write {suggestion}",
        )
    if int(serial_text) >= 1 and serial_text.startswith("0"):
        suggestion = f"{prefix}{mmdd}第{int(serial_text)}号"
        raise _error(
            f"「{normalised}」の番号に先頭の0は付けません。{suggestion} と書いてください",
            f"{normalised!r}: the serial number has a leading zero; write {suggestion}",
        )
    return DocumentNumber(prefix=prefix, mmdd=mmdd, serial=int(serial_text))


def check_number_matches_date(number: DocumentNumber, d: datetime.date) -> None:
    """Raise :class:`DocumentNumberError` unless the MMDD of ``number`` is the date ``d``."""
    expected = f"{d.month:02d}{d.day:02d}"
    if number.mmdd != expected:
        raise _error(
            f"{number} の日付は {d.isoformat()} です。月日 {number.mmdd} は発出日の "
            f"{expected} でなければなりません",
            f"{number} is dated {d.isoformat()}: the MMDD {number.mmdd} must be the issue "
            f"date {expected}",
        )
