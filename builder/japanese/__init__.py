"""Japanese text utilities: 和暦, 文書番号, digit width, normalisation, prefectures."""

from builder.japanese.digits import (
    DIGIT_RULE,
    DigitWidthError,
    check_digit_width,
    full_width_digit_positions,
    to_half_width_digits,
)
from builder.japanese.docnumber import (
    DocumentNumber,
    DocumentNumberError,
    check_number_matches_date,
    parse_document_number,
)
from builder.japanese.normalize import best_match, matches, normalize_query
from builder.japanese.prefectures import (
    PREFECTURES,
    AmbiguousPrefectureError,
    Prefecture,
    UnknownPrefectureError,
    find_prefecture,
    prefecture_code,
)
from builder.japanese.wareki import (
    ERAS,
    DateError,
    Era,
    format_wareki,
    format_wareki_month,
    parse_date,
)

__all__ = [
    "DIGIT_RULE",
    "ERAS",
    "PREFECTURES",
    "AmbiguousPrefectureError",
    "DateError",
    "DigitWidthError",
    "DocumentNumber",
    "DocumentNumberError",
    "Era",
    "Prefecture",
    "UnknownPrefectureError",
    "best_match",
    "check_digit_width",
    "check_number_matches_date",
    "find_prefecture",
    "format_wareki",
    "format_wareki_month",
    "full_width_digit_positions",
    "matches",
    "normalize_query",
    "parse_date",
    "parse_document_number",
    "prefecture_code",
    "to_half_width_digits",
]
