"""libyaml composes the sources (builder.sources.yamlsafe._compose_with_libyaml) only where it
reads them exactly as PyYAML's Python loader does: same data, same line and column of
every value, same errors. A differential test damages the real sources and the corpus
at random (characters YAML gives meaning to, deletions) and reads each result both
ways; ``NOTICES_FUZZ_EXAMPLES`` sets how many (default 1,500)."""

from __future__ import annotations

import os
import random

import pytest

from builder.core.errors import NoticeError
from builder.sources import yamlsafe
from tests.conftest import ROOT

SOURCES = sorted(
    [
        *ROOT.glob("notices/**/*.yaml"),
        *ROOT.glob("amendments/*.yaml"),
        *ROOT.glob("forms/*.yaml"),
    ]
)
CORPUS = sorted(
    p
    for p in (ROOT / "tests" / "corpus").rglob("*.yaml")
    if p.is_file() and p.stat().st_size < 20_000 and "alias" not in p.parent.parent.name
)
PIECES = [
    *":-#\"'\n[]{}&*!|>%@`\x00?,\\\x85\u2028\r~\x7f\x1b\t\ufeff",
    "\u3000",
    "...",
    "---",
    "\n\n",
    "  ",
    ": ",
    "- ",
    "a",
    "1",
]


def _read(text: str, libyaml: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as patch:
        if not libyaml:
            patch.setattr(yamlsafe, "_LibyamlLoader", None)
        try:
            located = yamlsafe.parse_yaml(text, "x.yaml")
        except NoticeError as exc:
            return ("error", str(exc))
    return ("ok", located.data, located.positions)


def test_the_sources_are_composed_by_libyaml() -> None:
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert yamlsafe._compose_with_libyaml(text) is not yamlsafe._NOT_PLAIN, path


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\t\n",  # a tab PyYAML refuses
        "a: [b ? c]\n",  # ? in a flow collection
        "!\n",  # a tag alone
        "a: b\ufeffc\n",  # U+FEFF inside
        "a:\nb: 1\n",  # an empty value
        "a: &x 1\nb: *x\n",  # anchor, alias
        "a: " + "[" * 60 + "]" * 60 + "\n",  # nesting beyond MAX_DEPTH
        "a: [1, 2\n",  # a syntax error
    ],
)
def test_what_the_two_read_differently_is_left_to_pyyaml(text: str) -> None:
    assert yamlsafe._compose_with_libyaml(text) is yamlsafe._NOT_PLAIN


def test_damaged_sources_read_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in [*SOURCES, *CORPUS]]
    rng = random.Random(20261202)
    examples = int(os.environ.get("NOTICES_FUZZ_EXAMPLES", "1500"))
    fast = 0
    for _ in range(examples):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.5:
                text = text[:at] + rng.choice(PIECES) + text[at:]
            elif roll < 0.8:
                text = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                text = text[:at] + rng.choice(PIECES) + text[at + 1 :]
        fast += yamlsafe._compose_with_libyaml(text) is not yamlsafe._NOT_PLAIN
        assert _read(text, True, monkeypatch) == _read(text, False, monkeypatch), repr(text)
    assert fast > examples // 5  # the comparison exercised libyaml, not only the fallback


def test_the_sources_read_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    for path in [*SOURCES, *CORPUS]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _read(text, True, monkeypatch) == _read(text, False, monkeypatch), path


def test_without_libyaml_the_python_loader_reads_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yamlsafe, "_LibyamlLoader", None)
    assert yamlsafe._compose_with_libyaml("a: 1\n") is yamlsafe._NOT_PLAIN
    assert yamlsafe.parse_yaml("a: 1\n", "x.yaml").data == {"a": 1}


def test_libyaml_is_available() -> None:
    """PyYAML's wheels carry libyaml; without it every source is read in Python, 7 times
    slower (this test says so rather than let the fallback hide it)."""
    assert yamlsafe._LibyamlLoader is not None
