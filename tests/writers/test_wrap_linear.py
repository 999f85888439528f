"""Line breaking in the PDF writer is linear in a paragraph's length, and changes no byte.

* the PDF of a document is byte for byte what reportlab's own ``Paragraph`` makes (with
  the line-start rule and the justification of ``CjkJustified``, which both share), for
  paragraphs of one page and of many, of one run of text and of several (U+3000, ``&``),
  with spaces stripped at line ends and 禁則 characters at line ends;
* a paragraph of one run of text is broken into lines once however many pages it takes
  (every character is cut by ``dumbSplit`` once), so is a long one of several runs
  (``cjkFragSplit`` once); a 1 MB paragraph is written in seconds.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib import textsplit  # type: ignore[import-untyped]
from reportlab.platypus import paragraph  # type: ignore[import-untyped]

from builder.formats import pdf_paragraph
from builder.formats.pdf_paragraph import CjkJustified
from builder.model.document import Document, Title
from builder.model.document import Paragraph as Block
from builder.writers import pdf
from builder.writers.pdf import render_pdf

SENTENCE = (
    "都道府県は、地域医療構想の達成に向けて、構想区域ごとに協議の場を設け、「関係者」と協議する。"
)


def _document(*texts: str) -> Document:
    return Document(
        name="x", title="題名", number="", blocks=(Title("題名"), *(Block(t) for t in texts))
    )


def _texts() -> list[str]:
    ascii_words = " ".join(f"word{i}" for i in range(3000))
    return [
        "短い段落",
        SENTENCE * 3,
        SENTENCE * 200,  # several pages, one run
        "\u3000" + SENTENCE * 100,  # several runs (U+3000), 3 pages, below LONG
        ("A&B" + SENTENCE) * 90,  # several runs, below LONG
        ascii_words,  # spaces stripped at line ends
        ("abc " + SENTENCE[:37] + "。") * 300,  # 禁則 and latin at line ends
        "、。」）" * 2000,
        SENTENCE * 30 + "\n" + SENTENCE * 30,
    ]


@pytest.mark.parametrize("text", _texts(), ids=lambda t: f"{len(t)}:{t[:6]}")
def test_the_pdf_is_reportlabs_own(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    document = _document(text, SENTENCE)
    ours = render_pdf(document)
    monkeypatch.setattr(pdf, "PdfParagraph", CjkJustified)
    assert ours == render_pdf(document)


@pytest.mark.parametrize("text", ["\u3000" + SENTENCE * 200, ("A&B" + SENTENCE) * 150])
def test_a_long_paragraph_of_several_runs_has_reportlabs_lines(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above LONG characters, the rest of a split paragraph keeps the lines the paragraph
    was broken into, where reportlab would break it again with a space added at each
    line's end (so its lines drift from page 2 on): the same text, nothing lost or
    repeated, every page but the last full."""
    assert len(text) > pdf_paragraph.LONG
    document = _document(text, SENTENCE)
    ours = _page_lines(render_pdf(document))
    monkeypatch.setattr(pdf, "PdfParagraph", CjkJustified)
    theirs = _page_lines(render_pdf(document))

    def joined(pages: list[list[str]]) -> str:
        return "".join(
            line.replace(" ", "") for page in pages for line in page if not line.startswith("-")
        )

    assert joined(ours) == joined(theirs)
    assert [len(page) for page in ours[1:-1]] == [len(ours[1])] * (len(ours) - 2)


def _page_lines(data: bytes) -> list[list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text().splitlines() for page in reader.pages]


def _counting(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, size: Callable[..., int]
) -> list[int]:
    counted: list[int] = []
    original = getattr(owner, name)

    def counter(*args: Any, **kwargs: Any) -> Any:
        counted.append(size(*args))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counter)
    return counted


def test_a_paragraph_of_one_run_is_broken_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (SENTENCE * 5000)[:200_000]  # about 135 pages
    counted = _counting(monkeypatch, textsplit, "dumbSplit", lambda word, *_: len(word))
    if hasattr(pdf_paragraph, "dumbSplit"):
        counted = _counting(monkeypatch, pdf_paragraph, "dumbSplit", lambda word, *_: len(word))
    render_pdf(_document(text))
    assert sum(counted) <= 1.05 * len(text) + 1000, f"{sum(counted)} characters cut"


def test_a_long_paragraph_of_several_runs_is_broken_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("\u3000" + SENTENCE * 50) * 20  # about 47,000 characters, 40 pages
    counted = _counting(
        monkeypatch,
        paragraph,
        "cjkFragSplit",
        lambda frags, *_: sum(len(getattr(f, "text", "") or "") for f in frags),
    )
    render_pdf(_document(text))
    assert sum(counted) <= 1.05 * len(text) + 1000, f"{sum(counted)} characters broken"


def test_a_1_mb_paragraph_takes_seconds() -> None:
    text = (SENTENCE * 25000)[:1_000_000]
    render_pdf(_document("短い"))  # fonts loaded
    started = time.perf_counter()
    data = render_pdf(_document(text))
    elapsed = time.perf_counter() - started
    assert data.startswith(b"%PDF")
    assert elapsed < 30, f"{elapsed:.1f} s"  # 2.5 s on the 2-core development machine
