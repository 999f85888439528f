"""The site lays out a text attachment by the rules the PDF and Word writers follow
(``builder.formats.attachment_layout``; issue 16): read from the built HTML page of the
事務連絡 (seed 003) and the site's CSS.

* The 別添 (a letter): its date and sender right, its addressees left, its title centred,
  a blank line after each part of the head; the 別紙's ○ ① items and ※ notes with hanging
  indents (first line one and two ems in, continuation lines one more, as the PDF's
  ``(level + 2) * EM`` left and ``-EM`` first line), the line in （） under an item where
  its text starts, 「（以上）」 right, the （照会先） block flush right after a blank line.
* Each rule is a class of :func:`~builder.formats.attachment_layout.css_classes` on the
  paragraph and a rule of ``site.css`` for that class (parsed here), so a class the CSS
  does not lay out fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]
import pytest

from tests.build import test_build

LETTER = "地域医療計画課事務連絡2024-06-11"


built = test_build.built  # a build of the real tree, as tests/build/test_build.py makes it


@pytest.fixture(scope="module")
def page(built: Path) -> lxml.html.HtmlElement:
    (path,) = (built / "site" / LETTER).glob("*/index.html")
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def css(built: Path) -> dict[str, dict[str, str]]:
    """The site's rules outside @media: each selector's declarations (a later rule for
    the same selector adds to and overrides an earlier one, as in the cascade)."""
    text = (built / "site" / "static" / "site.css").read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";"))
            if value.strip()
        )
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


def by_class(root: lxml.html.HtmlElement, name: str, path: str = ".//*") -> list[Any]:
    """The elements under ``root`` (``path``: an XPath, descendants by default) that
    have the class ``name``."""
    found = root.xpath(f"{path}[contains(concat(' ', @class, ' '), ' {name} ')]")
    assert isinstance(found, list)
    return found


def paragraphs(page: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """The attachments' paragraphs by their text: their classes."""
    out = {}
    for p in (p for text in by_class(page, "att-text") for p in text.iter("p")):
        classes = (p.get("class") or "").split()
        if p.getparent().get("class", "").split()[0] == "contact":
            classes = p.getparent().get("class").split()
        out[p.text_content()] = classes
    return out


def ems(value: str) -> float:
    assert value == "0" or value.endswith("em"), value
    return float(value.removesuffix("em") or 0)


def declared(css: dict[str, dict[str, str]], classes: list[str], name: str) -> str | None:
    """The value of ``name`` for an element of ``classes``: the rule of the most classes
    among those the CSS has for them (``.att-item.att-level-1`` over ``.att-item``)."""
    best: tuple[int, str] | None = None
    for selector, declarations in css.items():
        wanted = selector.split(".")[1:]
        matches = selector.startswith(".") and set(wanted) <= set(classes)
        if matches and name in declarations and (best is None or len(wanted) >= best[0]):
            best = (len(wanted), declarations[name])
    return None if best is None else best[1]


def test_the_letter_head_is_placed_as_in_the_pdf(
    page: lxml.html.HtmlElement, css: dict[str, dict[str, str]]
) -> None:
    placed = paragraphs(page)
    for text, align in (
        ("令和6年6月6日", "right"),
        ("厚生労働省医政局地域医療計画課", "right"),
        ("（以上）", "right"),
        ("一般社団法人　全国地方銀行協会　御中", None),
        ("一般社団法人　第二地方銀行協会　御中", None),
    ):
        assert declared(css, placed[text], "text-align") == align, (text, placed[text])
    (title,) = [text for text, classes in placed.items() if "att-title" in classes]
    assert title.startswith("地域医療構想に係る医療機関向け勉強会")
    assert declared(css, placed[title], "text-align") == "center"
    # A blank line after each part of the head (date, addressees, sender, title), none
    # between the two addressees.
    gaps = [text for text, classes in placed.items() if "att-gap" in classes]
    assert gaps[:4] == [
        "一般社団法人　全国地方銀行協会　御中",
        "厚生労働省医政局地域医療計画課",
        title,
        "平素より厚生労働行政にご理解いただき感謝申し上げます。",
    ]
    assert ems(css[".att-text > .att-gap"]["margin-top"]) > 1  # a line (1.85em)


def test_items_and_notes_hang_as_in_the_pdf(
    page: lxml.html.HtmlElement, css: dict[str, dict[str, str]]
) -> None:
    placed = paragraphs(page)
    items = [t for t in placed if t[:1] in ("○", "①", "②")]
    notes = [t for t in placed if t.startswith("※")]
    assert len(items) >= 8 and len(notes) == 2
    for text in items + notes:
        classes = placed[text]
        level = 1 if text in notes else 0
        assert "att-item" in classes and f"att-level-{level}" in classes, (text, classes)
        left = ems(declared(css, classes, "margin-left") or "0")
        first = left + ems(declared(css, classes, "text-indent") or "0")
        # The PDF: first line (level + 1) ems in, continuation lines (level + 2).
        assert (first, left) == (level + 1, level + 2), (text, classes)
    continuations = [t for t, classes in placed.items() if "att-continuation" in classes]
    assert continuations[0] == "（医療提供体制を取り巻く状況、地域医療構想の必要性）"
    for text in continuations:
        assert ems(declared(css, placed[text], "margin-left") or "0") == 2, text
        assert declared(css, placed[text], "text-indent") in (None, "0")
    # Aligned lines kept: the item's full-width spaces before 「：」 are in the page.
    assert any("　　　：" in text for text in items)
    # Headings and items followed by their text are kept with it in print.
    assert css[".att-keep"]["break-after"] == "avoid"
    assert "att-keep" in placed["【目的】"] and "para" in placed["【目的】"]


def test_contact_block_is_flush_right_after_a_blank_line(
    page: lxml.html.HtmlElement, css: dict[str, dict[str, str]]
) -> None:
    blocks = [b for text in by_class(page, "att-text") for b in by_class(text, "contact", "./*")]
    assert blocks, "no contact block in a text attachment"
    lines = [p.text_content() for p in blocks[0].iter("p")]
    assert lines[0] == "（照会先）" and lines[-1].startswith("E-mail")
    assert "att-gap" in (blocks[0].get("class") or "").split()
    assert css[".contact"]["margin-left"] == "auto"  # pushed to the right margin
    assert css[".contact"]["width"] == "fit-content"  # lines left-aligned among themselves


def test_attachment_labels_are_top_right(
    page: lxml.html.HtmlElement, css: dict[str, dict[str, str]]
) -> None:
    labels = [span.text_content() for span in by_class(page, "attachment-label")]
    assert "（別添）" in labels or any(label.startswith("（別") for label in labels), labels
    assert css[".attachment-label"]["text-align"] == "right"
