"""The Word writer on the real documents: the 4 consolidated versions, the 3 cover notices
and the 3 distribution letters.

Checked with python-docx (words and reading order against the text rendering, styles,
page set-up, tables), on the raw XML (no line breaks, no text boxes), byte for byte
(reproducibility), and with tools nobody here wrote: LibreOffice converts every file to
PDF (one batch call) and poppler's pdftotext reads the title back; the OOXML validator
(the Open XML SDK) reports no schema errors. Tests that need a tool skip with
"needs <tool> (Debian package <pkg>)" when it is missing.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.table import Table
from docx.text.paragraph import Paragraph as WordParagraph

from builder.documents.compose import consolidated, cover_notice, distribution_letter
from builder.formats.docx_xml import MINCHO
from builder.model.document import (
    AttachmentStart,
    ContactBlock,
    Document,
    HeaderLines,
    Items,
    Paragraph,
)
from builder.model.notice import Contact, Item
from builder.sources.workspace import Workspace
from builder.verify.clients import (
    CheckResult,
    libreoffice_convert,
    missing_tool,
    ooxml_validate,
    pdftotext_text,
)
from builder.writers.docx import STYLE_NAMES, render_docx
from builder.writers.text import render_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Rendered:
    name: str
    document: Document
    data: bytes
    path: Path

    def open(self) -> WordDocument:
        return docx.Document(io.BytesIO(self.data))

    def part(self, name: str) -> str:
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            return package.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def rendered(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    """Every real document rendered once, also written to a temporary folder."""
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    assert len(history.versions) == 4
    documents: list[tuple[str, Document]] = []
    for index, version in enumerate(history.versions):
        documents.append((f"consolidated-{version.date}", consolidated(version, "consolidated")))
        if index:
            documents.append(
                (f"cover-notice-{version.date}", cover_notice(history, version, None, "cover"))
            )
            letter = distribution_letter(workspace.project, history, version, None, "letter")
            documents.append((f"distribution-letter-{version.date}", letter))
    folder = tmp_path_factory.mktemp("docx")
    out = []
    for name, document in documents:
        data = render_docx(document)
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        out.append(Rendered(name, document, data, path))
    assert len(out) == 10
    return out


def compact(text: str) -> str:
    """``text`` without any whitespace (ASCII, U+3000, form feed)."""
    return "".join(text.split())


def body_texts(word: WordDocument) -> list[str]:
    """Every paragraph's text in reading order; tables row by row, cells left to right."""
    texts: list[str] = []
    for item in word.iter_inner_content():
        if isinstance(item, WordParagraph):
            texts.append(item.text)
        else:
            for row in item.rows:
                for cell in row.cells:
                    texts.extend(p.text for p in cell.paragraphs)
    return texts


def tables(word: WordDocument) -> list[Table]:
    return [item for item in word.iter_inner_content() if isinstance(item, Table)]


# --------------------------------------------------------------------------- words


def test_words_and_order_equal_the_text_rendering(rendered: list[Rendered]) -> None:
    for doc in rendered:
        words = compact("".join(body_texts(doc.open())))
        assert words == compact(render_text(doc.document)), doc.name


def test_core_properties_carry_title_and_number(rendered: list[Rendered]) -> None:
    for doc in rendered:
        properties = doc.open().core_properties
        assert properties.title == doc.document.title
        assert properties.subject == doc.document.number


def test_two_renders_are_byte_identical(rendered: list[Rendered]) -> None:
    for doc in rendered:
        assert render_docx(doc.document) == doc.data, doc.name


# --------------------------------------------------------------------------- styles, page


def test_styles_are_defined_with_japanese_fonts(rendered: list[Rendered]) -> None:
    for doc in rendered:
        styles = doc.open().styles
        for name in ("Normal", *STYLE_NAMES):
            element = styles[name].element
            fonts = element.find(f"{W}rPr/{W}rFonts")
            lang = element.find(f"{W}rPr/{W}lang")
            size = element.find(f"{W}rPr/{W}sz")
            assert fonts is not None and lang is not None and size is not None, name
            for script in ("ascii", "hAnsi", "eastAsia"):
                assert fonts.get(f"{W}{script}") == MINCHO, (name, script)
            assert lang.get(f"{W}eastAsia") == "ja-JP", name
            table = name in ("Notice Table", "Notice Table Heading")
            # The body 12 pt and tables 10.5 pt, as the PDF (Normal is the body's size).
            assert size.get(f"{W}val") == ("21" if table else "24"), name


def test_every_paragraph_uses_a_notice_style(rendered: list[Rendered]) -> None:
    allowed = set(STYLE_NAMES)
    for doc in rendered:
        word = doc.open()
        used = {p.style.name for p in word.paragraphs if p.style is not None}
        for table in tables(word):
            used |= {
                p.style.name
                for row in table.rows
                for cell in row.cells
                for p in cell.paragraphs
                if p.style is not None
            }
        assert used <= allowed, (doc.name, used - allowed)
        assert {"Notice Title", "Notice Right"} <= used


def test_defaults_are_reset_and_no_theme_fonts(rendered: list[Rendered]) -> None:
    styles_xml = rendered[0].part("word/styles.xml")
    assert "Theme=" not in styles_xml  # w:asciiTheme, w:eastAsiaTheme, ...
    word = rendered[0].open()
    defaults = word.styles.element.find(f"{W}docDefaults")
    assert defaults is not None
    spacing = defaults.find(f"{W}pPrDefault/{W}pPr/{W}spacing")
    assert spacing is not None
    assert spacing.get(f"{W}after") == "0"
    assert spacing.get(f"{W}line") == "240"
    assert spacing.get(f"{W}lineRule") == "auto"
    default_fonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    assert default_fonts is not None
    assert default_fonts.get(f"{W}eastAsia") == MINCHO
    normal = word.styles["Normal"].paragraph_format
    assert normal.space_after == 0
    assert normal.line_spacing == 1.0
    names = {style.name for style in word.styles}
    assert "Heading 1" not in names  # the template's unused styles are gone


def test_character_based_indents(rendered: list[Rendered]) -> None:
    styles = rendered[0].open().styles

    def indent(name: str) -> dict[str, str]:
        ind = styles[name].element.find(f"{W}pPr/{W}ind")
        assert ind is not None, name
        return {key.removeprefix(W): value for key, value in ind.attrib.items()}

    assert indent("Notice Body") == {
        "left": "0",
        "leftChars": "0",
        "firstLine": "240",
        "firstLineChars": "100",
    }
    assert indent("Notice Item 1")["hangingChars"] == "200"  # 「1.　」
    assert indent("Notice Item 2")["hangingChars"] == "250"  # 「(1)　」
    assert indent("Notice Item 2")["leftChars"] == "350"
    assert indent("Notice Item 3")["hangingChars"] == "100"  # 「①」
    # An item's paragraphs one character in from its label, 字下げ one more (as the PDF).
    assert indent("Notice Item Text 1") == {
        "left": "240",
        "leftChars": "100",
        "firstLine": "240",
        "firstLineChars": "100",
    }
    assert indent("Notice Item Text 2") == {
        "left": "480",
        "leftChars": "200",
        "firstLine": "240",
        "firstLineChars": "100",
    }
    assert indent("Notice Amendment")["firstLineChars"] == "100"
    assert indent("Notice Amendment Text 1")["leftChars"] == "200"
    assert indent("Notice List")["leftChars"] == "100"


def test_page_is_a4_portrait_on_every_section(rendered: list[Rendered]) -> None:
    for doc in rendered:
        sections = doc.open().sections
        assert len(sections) >= 1
        for section in sections:
            assert section.page_width is not None and section.page_height is not None
            assert round(section.page_width.mm) == 210, doc.name
            assert round(section.page_height.mm) == 297, doc.name
            for margin in (section.top_margin, section.bottom_margin):
                assert margin is not None and round(margin.mm) == 25
            for margin in (section.left_margin, section.right_margin):
                # 24.6 mm: a line of 38 characters of 12 pt (9,120 twips), as the PDF.
                assert margin is not None and margin.twips == 1393


def test_no_line_breaks_text_boxes_or_empty_paragraphs(rendered: list[Rendered]) -> None:
    for doc in rendered:
        body = doc.part("word/document.xml")
        assert "txbxContent" not in body and "<w:pict" not in body, doc.name
        for br in re.findall(r"<w:br\b[^>]*>", body):
            assert 'w:type="page"' in br, (doc.name, br)  # a bare w:br is a line break
        assert "<w:cr" not in body and "<w:tab/>" not in body
        word = doc.open()
        assert all(p.text for p in word.paragraphs), doc.name  # spacing, not blank lines


def test_attachments_start_on_a_new_page(rendered: list[Rendered]) -> None:
    for doc in rendered:
        word = doc.open()
        labels = [
            p for p in word.paragraphs if p.style and p.style.name == "Notice Attachment Label"
        ]
        starts = [b for b in doc.document.blocks if isinstance(b, AttachmentStart)]
        assert [p.text for p in labels] == [b.label for b in starts], doc.name
    style = rendered[0].open().styles["Notice Attachment Label"]
    assert style.paragraph_format.page_break_before is True


def test_rejects_a_line_break_in_text() -> None:
    document = Document("x", "件名", "番号", (Paragraph("一行目\n二行目"),))
    with pytest.raises(ValueError, match="U\\+000A"):
        render_docx(document)


def test_deep_and_wide_labels_get_their_own_indent() -> None:
    deep = Item("・", None, ("五段目", "五段目の段落"))
    tree = Item(
        "10.",
        "十番目",
        (),
        (
            Item(
                "(1)", "小", (), (Item("①", None, ("丸",), (Item("・", None, ("点",), (deep,)),)),)
            ),
        ),
    )
    document = Document("x", "件名", "番号", (Items((tree,)),))
    word = docx.Document(io.BytesIO(render_docx(document)))
    paragraphs = {p.text: p for p in word.paragraphs}

    def ind(text: str) -> dict[str, str]:
        element = paragraphs[text]._p.find(f"{W}pPr/{W}ind")
        assert element is not None, text
        return {key.removeprefix(W): value for key, value in element.attrib.items()}

    # 「10.　」 is 2.5 characters wide, not the 2 of the style for depth 0.
    assert ind("10.　十番目")["hangingChars"] == "250"
    # depth 4 is beyond the four item styles: indent written on the paragraph.
    assert paragraphs["・五段目"].style is not None
    assert paragraphs["・五段目"].style.name == "Notice Item 4"
    assert ind("・五段目") == {
        "left": "1200",
        "leftChars": "500",
        "hanging": "240",
        "hangingChars": "100",
    }
    assert paragraphs["五段目の段落"].style is not None
    assert paragraphs["五段目の段落"].style.name == "Notice Item Text 4"
    assert ind("五段目の段落") == {  # one character in from its label at depth 4
        "left": "1200",
        "leftChars": "500",
        "firstLine": "240",
        "firstLineChars": "100",
    }
    assert paragraphs["(1)　小"]._p.find(f"{W}pPr/{W}ind") is None  # the style is enough


# --------------------------------------------------------------------------- tables


def test_area_table_is_two_column_pairs_with_repeated_header(rendered: list[Rendered]) -> None:
    doc = next(d for d in rendered if d.name == "consolidated-2025-03-27")
    table = tables(doc.open())[-1]
    assert len(table.columns) == 4
    assert len(table.rows) == 1 + 24  # 47 prefectures: 24 on the left, 23 on the right
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["都道府県", "推進区域、モデル推進区域"] * 2
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert all(row._tr.find(f"{W}trPr/{W}tblHeader") is None for row in table.rows[1:])
    assert [c.text for c in table.rows[1].cells] == ["北海道", "中空知（●）", "滋賀県", "湖北（●）"]
    assert [c.text for c in table.rows[4].cells][2:] == ["兵庫県", "東播磨"]
    assert [c.text for c in table.rows[24].cells] == ["三重県", "松阪（●）", "", ""]
    widths = [column.width for column in table.columns]
    assert all(w is not None for w in widths)
    assert widths[0] == widths[2] and widths[1] == widths[3]
    assert widths[0] is not None and widths[1] is not None and widths[0] * 2 < widths[1]
    borders = table._tbl.find(f"{W}tblPr/{W}tblBorders")
    assert borders is not None
    assert {b.get(f"{W}val") for b in borders} == {"single"}
    content = list(doc.open().iter_inner_content())
    after = content[
        content.index(next(t for t in content if isinstance(t, Table) and len(t.columns) == 4)) + 1
    ]
    assert isinstance(after, WordParagraph)
    assert after.text == "※（●）は推進区域かつモデル推進区域"


def test_history_block_is_a_borderless_table_at_the_right(rendered: list[Rendered]) -> None:
    doc = next(d for d in rendered if d.name == "consolidated-2025-03-27")
    table = tables(doc.open())[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["", "医政発0731第1号"],
        ["", "令和6年7月31日"],
        ["一部改正", "医政発1010第2号"],
        ["", "令和6年10月10日"],
        ["一部改正", "医政発0120第2号"],
        ["", "令和7年1月20日"],
        ["一部改正", "医政発0327第2号"],
        ["", "令和7年3月27日"],
    ]
    tbl_pr = table._tbl.find(f"{W}tblPr")
    assert tbl_pr is not None
    jc = tbl_pr.find(f"{W}jc")
    assert jc is not None and jc.get(f"{W}val") == "right"
    borders = tbl_pr.find(f"{W}tblBorders")
    assert borders is not None and {b.get(f"{W}val") for b in borders} == {"nil"}
    original = next(d for d in rendered if d.name == "consolidated-2024-07-31")
    word = original.open()  # no amendment yet: two right-aligned lines, no history table
    assert [p.text for p in word.paragraphs[:2]] == ["医政発0731第1号", "令和6年7月31日"]
    assert len(tables(word)) == 1


def test_contact_block_is_pushed_right_and_kept_together() -> None:
    contact = Contact("担当者", ("厚生労働省医政局地域医療計画課", "電話　03-5253-1111"))
    word = docx.Document(
        io.BytesIO(render_docx(Document("x", "件名", "番号", (ContactBlock(contact),))))
    )
    paragraphs = word.paragraphs
    assert [p.text for p in paragraphs] == ["【担当者】", *contact.lines]
    # The indent is the style's (set for this document), not each paragraph's.
    assert all(p._p.find(f"{W}pPr/{W}ind") is None for p in paragraphs)
    assert {p.style.name for p in paragraphs if p.style} == {"Notice Contact"}
    left = word.styles["Notice Contact"].paragraph_format.left_indent
    assert left is not None and left.mm > 60  # the block is on the right half
    assert [p.paragraph_format.keep_with_next for p in paragraphs] == [True, True, None]


# --------------------------------------------------------------------------- real clients


@pytest.fixture(scope="module")
def converted(
    rendered: list[Rendered], tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[CheckResult, Path]]:
    """All ten files converted to PDF by LibreOffice in one call: (result, PDF path)."""
    outdir = tmp_path_factory.mktemp("pdf")
    results = libreoffice_convert([d.path for d in rendered], outdir)
    if any(r.skipped for r in results):
        pytest.skip(results[0].detail)
    return [(r, outdir / f"{d.path.stem}.pdf") for r, d in zip(results, rendered, strict=True)]


def test_libreoffice_converts_every_file_and_keeps_the_title(
    rendered: list[Rendered], converted: list[tuple[CheckResult, Path]]
) -> None:
    reason = missing_tool("pdftotext")
    if reason:
        pytest.skip(reason)
    for doc, (result, pdf) in zip(rendered, converted, strict=True):
        assert result.ok, result.detail
        text = pdftotext_text(pdf)
        assert compact(doc.document.title) in compact(text), doc.name
        # The measured widths hold: no number, date or contact line is wrapped (-layout
        # keeps one printed line on one line, even across a wide 全角空白).
        layout = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [compact(line) for line in layout.splitlines()]
        for block in doc.document.blocks:
            if isinstance(block, HeaderLines):
                short = [text for _, text in block.lines]
            elif isinstance(block, ContactBlock):
                short = list(block.contact.lines)
            else:
                continue
            for expected in short:
                assert any(compact(expected) in line for line in lines), (doc.name, expected)


def test_ooxml_validator_finds_no_errors(rendered: list[Rendered]) -> None:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(ooxml_validate, [d.path for d in rendered]))
    skipped = [r for r in results if r.skipped]
    if skipped:
        pytest.skip(skipped[0].detail)
    failures = [f"{r.file}: {r.detail}" for r in results if not r.ok]
    assert not failures, "\n".join(failures)
