"""The project's digit-width rule: every Arabic digit in generated text is half-width ASCII."""

from __future__ import annotations

DIGIT_RULE: str = (
    "Every Arabic digit in generated text is written half-width (ASCII 0-9), "
    "never full-width (U+FF10-U+FF19)."
)

FULL_WIDTH_DIGITS: str = "０１２３４５６７８９"
HALF_WIDTH_DIGITS: str = "0123456789"

_TO_HALF_WIDTH = str.maketrans(FULL_WIDTH_DIGITS, HALF_WIDTH_DIGITS)


class DigitWidthError(ValueError):
    """A full-width digit was found where only half-width digits are allowed.

    ``character`` is the offending digit, ``index`` its 0-based position in the
    whole text, and ``line``/``column`` its 1-based line and column (the column is
    counted within its line).
    """

    def __init__(self, text: str, index: int) -> None:
        self.text = text
        self.index = index
        self.character = text[index]
        line_start = text.rfind("\n", 0, index) + 1
        self.line = text.count("\n", 0, index) + 1
        self.column = index - line_start + 1
        replacement = self.character.translate(_TO_HALF_WIDTH)
        where = f"column {self.column}"
        where_ja = f"{self.column}文字目"
        if "\n" in text:
            where = f"line {self.line}, {where}"
            where_ja = f"{self.line}行目の{where_ja}"
        super().__init__(
            f"{where_ja}に全角数字「{self.character}」があります。"
            f"半角の「{replacement}」と書いてください / "
            f"full-width digit {self.character!r} (U+{ord(self.character):04X}) at {where}: "
            f"write the half-width {replacement!r} instead. {DIGIT_RULE}"
        )


def is_full_width_digit(character: str) -> bool:
    """Return True if ``character`` is one of the full-width digits ０-９ (U+FF10-U+FF19)."""
    return len(character) == 1 and character in FULL_WIDTH_DIGITS


def to_half_width_digits(text: str) -> str:
    """Return ``text`` with full-width digits ０-９ replaced by 0-9; nothing else changes."""
    return text.translate(_TO_HALF_WIDTH)


def full_width_digit_positions(text: str) -> list[int]:
    """Return the 0-based indices of the full-width digits in ``text``."""
    return [index for index, character in enumerate(text) if is_full_width_digit(character)]


def check_digit_width(text: str) -> None:
    """Raise :class:`DigitWidthError` for the first full-width digit in ``text``."""
    positions = full_width_digit_positions(text)
    if positions:
        raise DigitWidthError(text, positions[0])
