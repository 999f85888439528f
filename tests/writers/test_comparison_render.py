"""The 新旧対照表 in MHLW form as each writer prints it, checked with real clients: the
PDF's and the .docx's (through LibreOffice) words are the text rendering's; the heading
first, the note flush right, no arrow line; each column its own 「（別添1）」 and a table
fragment (header, changed row underlined, 「（略）」 rows); the site's HTML the same."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.document import Document as WordDocument

from builder.documents.compose import comparison
from builder.formats.pdf_layout import FRAME_WIDTH, PAGE_WIDTH
from builder.model.document import Document
from builder.sources.workspace import Workspace
from builder.verify.libreoffice import libreoffice_convert
from builder.verify.pdf import pdftotext_matches
from builder.verify.report import strip_comparison_marks
from builder.writers.docx import render_docx
from builder.writers.html import render_html
from builder.writers.pdf import render_pdf
from builder.writers.text import render_text

NOTICE = "医政発0731第1号"
HEADING = (
    "○「地域医療構想における推進区域及びモデル推進区域の設定等について」"
    "（令和6年7月31日付け医政発0731第1号厚生労働省医政局長通知）（抄）"
)
CHANGED = {
    "2024-10-10": ("北海道", "中空知（●）", "調整中"),
    "2025-01-20": ("鳥取県", "東部（●）", "調整中"),
    "2025-03-27": ("兵庫県", "東播磨", "調整中"),
}


def documents(workspace: Workspace) -> Iterator[tuple[str, Document]]:
    history = workspace.history(workspace.find_notice(NOTICE))
    for version in history.versions[1:]:
        yield (
            version.date.isoformat(),
            comparison(history.before(version), version, "comparison"),
        )


def needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool}")


def test_the_text_form(workspace: Workspace) -> None:
    for date, document in documents(workspace):
        prefecture, new, old = CHANGED[date]
        lines = render_text(document).splitlines()
        assert lines[0] == HEADING
        assert lines[1].endswith("（傍線部分は改正部分）") and lines[1].startswith(" " * 40)
        assert "→" not in "".join(lines) and "■" not in "".join(lines)
        assert lines.count("（別添1）") == 2
        assert lines.count("都道府県｜推進区域、モデル推進区域") == 2
        assert f"{prefecture}｜〖{new}〗" in lines and f"{prefecture}｜〖{old}〗" in lines
        assert lines.index(f"{prefecture}｜〖{new}〗") < lines.index("｜")
        assert lines.index("｜") < lines.index(f"{prefecture}｜〖{old}〗")


def test_pdf_words_heading_note_and_underlines(workspace: Workspace, tmp_path: Path) -> None:
    needs("pdftotext")
    for date, document in documents(workspace):
        _, new, old = CHANGED[date]
        path = tmp_path / f"{date}.pdf"
        path.write_bytes(render_pdf(document))
        expected = strip_comparison_marks(render_text(document))
        result = pdftotext_matches(path, expected, raw=True, page_numbers=True)
        assert result.ok, result.detail
        with pdfplumber.open(path) as pdf:
            (page,) = pdf.pages  # one page
            words = page.extract_words(keep_blank_chars=True)
            note = next(w for w in words if "傍線部分は改正部分" in w["text"])
            right_edge = (PAGE_WIDTH + FRAME_WIDTH) / 2
            assert abs(note["x1"] - right_edge) < 2.0, (note["x1"], right_edge)
            assert words[0]["text"].startswith("○「地域医療構想")
            underlined = _underlined(page)
        assert underlined == {new, old}, (date, underlined)


def _underlined(page: pdfplumber.page.Page) -> set[str]:
    """The texts that have a horizontal rule right under them, shorter than a column
    (the table rules are wider): the underlined runs."""
    rules = [
        (e["x0"], e["x1"], e["top"])
        for e in [*page.lines, *page.rects]
        if abs(e["top"] - e["bottom"]) < 1.5 and e["x1"] - e["x0"] < FRAME_WIDTH / 4
    ]
    found = set()
    for line in page.extract_text_lines():
        for x0, x1, top in rules:
            chars = [
                c["text"]
                for c in line["chars"]
                if c["x0"] >= x0 - 0.5 and c["x1"] <= x1 + 0.5 and 0 <= top - c["bottom"] < 4
            ]
            if chars:
                found.add("".join(chars))
    return found


def _underlined_runs(word: WordDocument) -> list[list[str]]:
    outer = word.tables[0]
    out = []
    for cell in outer.rows[1].cells:
        (fragment,) = cell.tables
        out.append(
            [
                run.text
                for row in fragment.rows
                for c in row.cells
                for p in c.paragraphs
                for run in p.runs
                if run.underline
            ]
        )
    return out


def test_docx_structure_and_words(workspace: Workspace, tmp_path: Path) -> None:
    needs("soffice")
    needs("pdftotext")
    paths = []
    expected = {}
    for date, document in documents(workspace):
        _, new, old = CHANGED[date]
        data = render_docx(document)
        word = docx.Document(io.BytesIO(data))
        assert word.paragraphs[0].text == HEADING
        assert word.paragraphs[1].text == "（傍線部分は改正部分）"
        style = word.paragraphs[1].style
        assert style is not None and style.paragraph_format.alignment == 2  # right
        assert [c.text for c in word.tables[0].rows[0].cells] == ["改正後", "改正前"]
        assert _underlined_runs(word) == [[new], [old]]
        for cell in word.tables[0].rows[1].cells:
            assert cell.paragraphs[0].text == "（別添1）"
            fragment = cell.tables[0]
            assert [c.text for c in fragment.rows[0].cells] == [
                "都道府県",
                "推進区域、モデル推進区域",
            ]
            assert [row.cells[0].text for row in fragment.rows][-1] == "（略）"
        path = tmp_path / f"c{date}.docx"
        path.write_bytes(data)
        paths.append(path)
        expected[path.stem] = strip_comparison_marks(render_text(document))
    results = libreoffice_convert(paths, tmp_path / "pdf")
    assert all(r.ok for r in results), [r.detail for r in results]
    for path in paths:
        pdf = tmp_path / "pdf" / f"{path.stem}.pdf"
        result = pdftotext_matches(pdf, expected[path.stem], raw=True, page_numbers=True)
        assert result.ok, result.detail


def test_html_columns_are_table_fragments(workspace: Workspace) -> None:
    for date, document in documents(workspace):
        _, new, old = CHANGED[date]
        html = str(render_html(document))
        assert f'<p class="comparison-heading">{HEADING}</p>' in html
        assert '<p class="comparison-note">（傍線部分は改正部分）</p>' in html
        assert re.findall(r"<ins>(.*?)</ins>", html) == [new]
        assert re.findall(r"<del>(.*?)</del>", html) == [old]
        assert (
            html.count(
                '<table class="comparison-fragment" style="width: 100%; border-collapse: collapse">'
            )
            == 2
        )
        assert html.count('<td colspan="2"><p class="cmp-line">（略）</p></td>') >= 2
        assert "→" not in html


def test_two_renderings_are_byte_identical(workspace: Workspace) -> None:
    (_, document), *_ = documents(workspace)
    assert render_pdf(document) == render_pdf(document)
    assert render_docx(document) == render_docx(document)
