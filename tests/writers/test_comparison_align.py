"""The section label 「記」 of a 新旧対照表's column is centred in the column, as MHLW prints
it and as the notice centres its own 「記」 (issue 16); an attachment's label 「（別添1）」 and
the text keep their place at the column's left. Measured where the glyphs land: in the
PDF (pdfplumber) and in LibreOffice's rendering of the .docx; the HTML's class read."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from builder.formats.comparison_align import is_centred
from builder.formats.pdf_layout import CELL_PADDING, FRAME_WIDTH, PAGE_WIDTH
from builder.model.document import (
    ComparisonBlock,
    ComparisonRowView,
    Document,
    MarkedLine,
)
from builder.verify.clients import libreoffice_convert, missing_tool
from builder.writers.docx import MARGIN_SIDE, TEXT_WIDTH, render_docx
from builder.writers.docx import TABLE_CELL_MARGIN as DOCX_CELL_MARGIN
from builder.writers.html import render_html
from builder.writers.pdf import render_pdf


def plain(text: str) -> MarkedLine:
    return ((text, False),)


def document() -> Document:
    """A 新旧対照表 whose 記 and 別添1 changed: each column with both labels."""
    rows = (
        ComparisonRowView(
            left=(plain("記"), plain("1.　推進区域について"), (("　新しい文", True),)),
            right=(plain("記"), plain("1.　推進区域について"), (("　古い文", True),)),
        ),
        ComparisonRowView(
            left=(plain("（別添1）"), plain("（略）")),
            right=(plain("（別添1）"), plain("（略）")),
        ),
    )
    block = ComparisonBlock(
        "○「件名」（令和6年7月31日付け番号通知）（抄）",
        "（傍線部分は改正部分）",
        "改正後",
        "改正前",
        rows,
    )
    return Document("comparison", "件名", "番号", (block,))


def columns(left: float, width: float) -> list[tuple[float, float]]:
    """The two columns' left and right edges."""
    half = width / 2
    return [(left, left + half), (left + half, left + width)]


def check_positions(
    chars: list[dict[str, Any]], edges: list[tuple[float, float]], pad: float
) -> None:
    """Each column's 「記」 centred in it (±1.5 pt), its 「（別添1）」 at its left (its
    cell's padding in)."""
    marks = sorted((c for c in chars if c["text"] == "記"), key=lambda c: c["x0"])
    assert len(marks) == 2, marks
    for char, (x0, x1) in zip(marks, edges, strict=True):
        middle = (char["x0"] + char["x1"]) / 2
        assert abs(middle - (x0 + x1) / 2) < 1.5, (middle, x0, x1)
    labels = sorted(
        (a for a, b in pairwise(chars) if a["text"] == "（" and b["text"] == "別"),
        key=lambda c: c["x0"],
    )
    assert len(labels) == 2, labels
    for char, (x0, _) in zip(labels, edges, strict=True):
        assert abs(char["x0"] - (x0 + pad)) < 1.5, (char["x0"], x0)


def test_is_centred_only_for_the_ki_label() -> None:
    assert is_centred(plain("記"))
    assert not is_centred(plain("（別添1）"))
    assert not is_centred(plain("記載のとおり"))
    assert not is_centred(plain("　記"))  # a line of text indented: not the label


def test_pdf_centres_ki_and_keeps_the_attachment_label_left(tmp_path: Path) -> None:
    path = tmp_path / "comparison.pdf"
    path.write_bytes(render_pdf(document()))
    with pdfplumber.open(path) as pdf:
        (page,) = pdf.pages
        edges = columns((PAGE_WIDTH - FRAME_WIDTH) / 2, FRAME_WIDTH)
        check_positions(list(page.chars), edges, CELL_PADDING)


def test_docx_centres_ki_in_libreoffice(tmp_path: Path) -> None:
    reason = missing_tool("soffice")
    if reason:
        pytest.skip(reason)
    path = tmp_path / "comparison.docx"
    path.write_bytes(render_docx(document()))
    (result,) = libreoffice_convert([path], tmp_path)
    assert result.ok, result.detail
    with pdfplumber.open(tmp_path / "comparison.pdf") as pdf:
        page = pdf.pages[0]
        edges = columns(MARGIN_SIDE / 20, TEXT_WIDTH // 2 * 2 / 20)
        check_positions(list(page.chars), edges, DOCX_CELL_MARGIN / 20)


def test_html_centres_ki() -> None:
    html = str(render_html(document()))
    assert html.count('<p class="cmp-line centered">記</p>') == 2
    assert html.count('<p class="cmp-line">（別添1）</p>') == 2
