"""The character rule of sources (builder.sources.textcheck): each class of the decision table,
the exact message, and that the rule is applied to every string of every kind of source
(raw at its line and column; as a YAML escape at its value)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.core.errors import NoticeError
from builder.sources.textcheck import first_problem, raw_problems
from builder.sources.yamlsafe import parse_yaml
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("text", "index", "message"),
    [
        ("試験\x00", 2, "character U+0000 (control character NUL) is a control character"),
        ("試\x1b験", 1, "character U+001B (control character ESC) is a control character"),
        ("試\x7f", 1, "character U+007F (control character DEL) is a control character"),
        ("試\x85", 1, "character U+0085 (control character NEL, NEXT LINE) is a control"),
        ("試\x9b", 1, "character U+009B (C1 control character) is a control character"),
        ("試\t験", 1, "character U+0009 (control character TAB) inside a value"),
        ("試\u2028", 1, "character U+2028 (LINE SEPARATOR) is a line break"),
        ("試\u2029", 1, "character U+2029 (PARAGRAPH SEPARATOR) is a line break"),
        ("試\u202e", 1, "character U+202E (RIGHT-TO-LEFT OVERRIDE) is an invisible bidi"),
        ("試\u2066", 1, "character U+2066 (LEFT-TO-RIGHT ISOLATE) is an invisible bidi"),
        ("試\u200e", 1, "character U+200E (LEFT-TO-RIGHT MARK) is an invisible bidi"),
        ("試\u200b", 1, "character U+200B (ZERO WIDTH SPACE) is invisible"),
        ("試\u200d", 1, "character U+200D (ZERO WIDTH JOINER) is invisible"),
        ("試\u2060", 1, "character U+2060 (WORD JOINER) is invisible"),
        ("試\ufeff", 1, "character U+FEFF (ZERO WIDTH NO-BREAK SPACE) is invisible"),
        ("試\u00ad", 1, "character U+00AD (SOFT HYPHEN) is invisible"),
        ("葛\U000e0100", 1, "character U+E0100 (VARIATION SELECTOR-17) selects a glyph"),
        ("試\ufe0f", 1, "character U+FE0F (VARIATION SELECTOR-16) selects a glyph"),
        ("か\u3099", 1, "after 「か」 is a decomposed character (not NFC); write 「が」"),
        ("東\u0301", 1, "character U+0301 (COMBINING ACUTE ACCENT) is a combining mark"),
        ("\u212b", 0, "「\u212b」 (U+212B) is not in normal form NFC; write 「Å」 (U+00C5)"),
        ("試\u00a0験", 1, "character U+00A0 (NO-BREAK SPACE) looks like a space"),
        ("試\u2003験", 1, "character U+2003 (EM SPACE) looks like a space"),
        ("試\ue000", 1, "character U+E000 (private use) is a private-use character (外字)"),
        ("試\u0378", 1, "character U+0378 (unassigned) is not an assigned Unicode character"),
        ("試\ud800", 1, "character U+D800 (surrogate) is half of a surrogate pair"),
    ],
)
def test_refused(text: str, index: int, message: str) -> None:
    found = first_problem(text)
    assert found is not None
    assert found[0] == index
    assert message in found[1]


@pytest.mark.parametrize(
    "text",
    [
        "試験用の通知について",
        "全角　スペースと ASCII スペース",
        "複数行の\n備考",  # LF: refused in printed text by builder.sources.project, not here
        "\uf91d\ufa11\U0002f800",  # CJK compatibility ideographs: kept as written
        "（●）・、。「」〇々ヶ",
        "Œuvre, café",
    ],
)
def test_accepted(text: str) -> None:
    assert first_problem(text) is None


def test_raw_characters_are_found_where_an_editor_shows_them() -> None:
    text = "a: 東\u2028部\nb: c\r\n# 注\u200b\nd: 東\u202e部\n"
    assert [(line, column) for line, column, _ in raw_problems(text)] == [
        (1, 5),
        (2, 5),
        (3, 4),
        (4, 5),
    ]


def test_a_raw_tab_is_left_to_yaml() -> None:
    assert list(raw_problems("a: 1\t# comment\n")) == []


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ('title: "東\\u200B部"\n', "x.yaml:1:8"),  # an escape: at its value
        ("title: 東\u200b部\n", "x.yaml:1:9"),  # raw: at the character
        ('items: [a, {name: "\\e"}]\n', "x.yaml:1:19"),
        ('"ti\\u200Btle": 1\n', "x.yaml:1:1"),  # keys too
    ],
)
def test_every_string_is_checked_at_its_position(source: str, where: str) -> None:
    with pytest.raises(NoticeError) as caught:
        parse_yaml(source, "x.yaml")
    assert str(caught.value.problems[0]).startswith(f"{where}: character U+")


def test_the_project_sources_pass() -> None:
    for folder in ("notices", "notices/lists", "amendments", "forms"):
        for path in sorted((ROOT / folder).glob("*.yaml")):
            parse_yaml(path.read_text(encoding="utf-8"), path.name)


def test_the_rule_is_cheap() -> None:
    """Loading the sources with the rule costs a few milliseconds."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(ROOT).glob("*/*.yaml"))]
    start = time.perf_counter()
    for text in texts:
        list(raw_problems(text))
        first_problem(text)
    assert time.perf_counter() - start < 0.5
