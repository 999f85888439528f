"""The layout checker (builder.verify.layout, issue #16 item 6) on every PDF and .docx of
a build of the real sources, and each of its checks shown to fail on a small document
made wrong on purpose (reportlab, python-docx), so that none passes by seeing nothing.

Every check runs on every document; none is left out. (A label inside a table, the
新旧対照表's 「（別添1）」 at the head of each column in the MHLW form, is a unit label,
not an attachment's, and is not held to the right margin: see
``test_a_label_in_a_table_is_a_unit_label``.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Twips
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from builder.formats import docx_xml
from builder.formats.fonts import register_fonts
from builder.sources.workspace import Workspace
from builder.verify.layout import (
    CONTACT_HEADINGS,
    LABEL,
    RIGHT_EDGE,
    Defect,
    area_cells,
    check_build,
    check_docx,
    check_pdf,
    folded_rows_by_folder,
    pdf_pages,
)
from tests.build import test_build
from tests.conftest import ROOT

built = test_build.built
"""The build of tests/build (module scope: one build of the real sources for this module)."""


@pytest.fixture(scope="module")
def defects(built: Path) -> list[Defect]:
    return check_build(built, Workspace(ROOT))


def _listing(found: list[Defect]) -> str:
    return "\n".join(str(defect) for defect in found)


# --------------------------------------------------------------------------- the build


def test_the_build_has_documents_to_check(built: Path) -> None:
    entries = json.loads((built / "index.json").read_text(encoding="utf-8"))
    formats = [entry["format"] for entry in entries]
    assert formats.count("pdf") >= 90 and formats.count("docx") >= 90


@pytest.mark.parametrize(
    "check",
    [
        "contact-alone",
        "heading-alone",
        "heading-at-foot",
        "label-right",
        "area-breaks",
        "docx-table-width",
    ],
)
def test_no_defect_in_the_build(defects: list[Defect], check: str) -> None:
    found = [defect for defect in defects if defect.check == check]
    assert not found, _listing(found)


def test_every_docx_has_a_page_number_footer(defects: list[Defect]) -> None:
    found = [defect for defect in defects if defect.check == "docx-page-footer"]
    assert not found, _listing(found)


def test_the_checks_see_the_labels_and_contact_blocks_of_the_build(built: Path) -> None:
    """Not vacuous: the labels and contact headings of the real build are where the checks
    read them (every consolidated text, cover notice and letter has a contact block)."""
    labels = contacts = 0
    for path in sorted(built.glob("*/*/*.pdf")):
        with pdfplumber.open(path) as pdf:
            lines = [line.text for page in pdf_pages(pdf) for line in page.lines]
        labels += sum(LABEL.fullmatch(text) is not None for text in lines)
        contacts += sum(text in CONTACT_HEADINGS for text in lines)
    assert labels >= 11  # 別添1 and 別添2 of four versions, 別添3, the 事務連絡's 別添 and 別紙
    assert contacts >= 6


def test_the_area_check_sees_every_row_of_every_folded_table(built: Path) -> None:
    """Not vacuous on the real build: every row of 別添1 is found, in the consolidated
    text and in the table's own PDF of each version, and some cells have several lines."""
    rows = folded_rows_by_folder(Workspace(ROOT))
    assert len(rows) == 4
    several = 0
    for folder, table in rows.items():
        for name in ("consolidated.pdf", "別添1.pdf"):
            with pdfplumber.open(built / folder / name) as pdf:
                cells = area_cells(pdf_pages(pdf), table)
            assert sorted(label for _, label, _ in cells) == sorted(table), (folder, name)
            several += sum(len(lines) > 1 for _, _, lines in cells)
    assert several >= 8


# --------------------------------------------------------------------------- broken PDFs


def _pdf(path: Path, draw: Callable[[Canvas, str], None]) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    draw(canvas, register_fonts().mincho)
    canvas.save()
    return path


def _checks(path: Path, **kwargs: object) -> set[tuple[str, int]]:
    return {(d.check, d.page) for d in check_pdf(path, path.name, **kwargs)}  # type: ignore[arg-type]


def _body_page(canvas: Canvas, font: str, number: int) -> None:
    canvas.setFont(font, 12)
    canvas.drawString(69.6, 770, "本文の最後の行であり、次のページに担当者が続く。")
    canvas.drawCentredString(A4[0] / 2, 37, f"- {number} -")
    canvas.showPage()


def _contact(canvas: Canvas, font: str, y: float) -> None:
    canvas.setFont(font, 12)
    for index, text in enumerate(["【担当者】", "厚生労働省医政局地域医療計画課", "03-5253-1111"]):
        canvas.drawString(333.6, y - 19 * index, text)


def test_a_contact_block_alone_on_a_page_is_found(tmp_path: Path) -> None:
    def alone(canvas: Canvas, font: str) -> None:
        _body_page(canvas, font, 1)
        _contact(canvas, font, 770)
        canvas.drawCentredString(A4[0] / 2, 37, "- 2 -")

    def kept(canvas: Canvas, font: str) -> None:
        _body_page(canvas, font, 1)
        canvas.setFont(font, 12)
        canvas.drawString(69.6, 770, "本文の最後の二行は担当者と同じページに置く。")
        _contact(canvas, font, 730)

    assert _checks(_pdf(tmp_path / "alone.pdf", alone)) == {("contact-alone", 2)}
    assert _checks(_pdf(tmp_path / "kept.pdf", kept)) == set()


def test_a_page_holding_only_a_heading_is_found(tmp_path: Path) -> None:
    def heading(canvas: Canvas, font: str, *, box: bool) -> None:
        _body_page(canvas, font, 1)
        canvas.setFont(font, 12)
        canvas.drawRightString(RIGHT_EDGE, 770, "（別添2）")
        canvas.drawCentredString(A4[0] / 2, 740, "区域対応方針（様式例）")
        if box:
            canvas.rect(69.6, 500, 456, 200)

    assert _checks(_pdf(tmp_path / "alone.pdf", lambda c, f: heading(c, f, box=False))) == {
        ("heading-alone", 2)
    }
    assert _checks(_pdf(tmp_path / "boxed.pdf", lambda c, f: heading(c, f, box=True))) == set()


def test_a_heading_ending_a_page_is_found(tmp_path: Path) -> None:
    def foot(canvas: Canvas, font: str, *, box: bool) -> None:
        canvas.setFont(font, 12)
        canvas.drawString(69.6, 770, "本文である。")
        canvas.drawString(69.6, 100, "2.今後の取組について")
        if box:
            canvas.rect(69.6, 40, 456, 50)
        canvas.drawCentredString(A4[0] / 2, 37, "- 1 -")
        canvas.showPage()
        canvas.setFont(font, 12)
        canvas.drawString(69.6, 770, "見出しの下の本文である。")

    assert _checks(_pdf(tmp_path / "foot.pdf", lambda c, f: foot(c, f, box=False))) == {
        ("heading-at-foot", 1)
    }
    assert _checks(_pdf(tmp_path / "boxed.pdf", lambda c, f: foot(c, f, box=True))) == set()


def test_a_label_left_of_the_margin_is_found(tmp_path: Path) -> None:
    def label(canvas: Canvas, font: str, *, right: bool) -> None:
        canvas.setFont(font, 12)
        if right:
            canvas.drawRightString(RIGHT_EDGE, 770, "（別添1）")
        else:
            canvas.drawString(69.6, 770, "（別添1）")
        canvas.drawCentredString(A4[0] / 2, 740, "添付の表")
        canvas.drawString(69.6, 710, "本文である。")

    left = _pdf(tmp_path / "left.pdf", lambda c, f: label(c, f, right=False))
    assert _checks(left) == {("label-right", 1)}
    assert _checks(_pdf(tmp_path / "right.pdf", lambda c, f: label(c, f, right=True))) == set()
    # The margin is the caller's: the label drawn at 69.6 ends 69.6 + its width.
    width = stringWidth("（別添1）", register_fonts().mincho, 12)
    assert _checks(left, right_edge=69.6 + width) == set()


def test_a_label_in_a_table_is_a_unit_label(tmp_path: Path) -> None:
    """The 新旧対照表 heads each column with its own 「（別添1）」 (MHLW form): inside a
    table, a label is not an attachment's and may stand left."""
    path = tmp_path / "comparison.pdf"
    font = register_fonts().mincho
    rows = [["改正後", "改正前"], ["（別添1）", "（別添1）"], ["兵庫県　東播磨", "兵庫県　調整中"]]
    style = TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    )
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Table(rows, colWidths=[220, 220], style=style)]
    )
    assert _checks(path) == set()


AKITA = {"秋田県": "能代・山本（●）、大館・鹿角（●）", "山形県": "庄内（●）"}


def _table(path: Path, cell: str) -> Path:
    font = register_fonts().mincho
    rows = [["都道府県", "推進区域、モデル推進区域"], ["秋田県", cell], ["山形県", "庄内（●）"]]
    style = TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    )
    SimpleDocTemplate(str(path), pagesize=A4).build([Table(rows, style=style)])
    return path


def test_a_cell_line_ending_inside_an_area_name_is_found(tmp_path: Path) -> None:
    broken = _table(tmp_path / "broken.pdf", "能代・山本（●）、大館・鹿\n角（●）")
    assert _checks(broken, rows=AKITA) == {("area-breaks", 1)}
    before_comma = _table(tmp_path / "before.pdf", "能代・山本（●）\n、大館・鹿角（●）")
    assert _checks(before_comma, rows=AKITA) == set()
    good = _table(tmp_path / "good.pdf", "能代・山本（●）、\n大館・鹿角（●）")
    assert _checks(good, rows=AKITA) == set()
    with pdfplumber.open(good) as pdf:
        assert [label for _, label, _ in area_cells(pdf_pages(pdf), AKITA)] == ["秋田県", "山形県"]


# --------------------------------------------------------------------------- broken .docx


def _docx(path: Path, build: Callable[[docx.document.Document], None]) -> set[str]:
    word = docx.Document()
    build(word)
    word.save(str(path))
    return {defect.check for defect in check_docx(path, path.name)}


def _footer(word: docx.document.Document) -> None:
    docx_xml.set_page_number_footer(word, "Normal", "- ", " -")


def test_a_table_wider_than_the_text_is_found(tmp_path: Path) -> None:
    def table(word: docx.document.Document, width: int, indent: int = 0) -> None:
        _footer(word)
        section = word.sections[0]
        assert section.page_width and section.left_margin and section.right_margin
        text = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
        made = word.add_table(rows=1, cols=2)
        for column in made.columns:
            column.width = Twips((text + width) // 2)
        if indent:
            pr = made._tbl.tblPr
            docx_xml.set_child(pr, "w:tblInd", docx_xml.TBLPR_ORDER, w=str(indent), type="dxa")

    assert _docx(tmp_path / "wide.docx", lambda w: table(w, 200)) == {"docx-table-width"}
    assert _docx(tmp_path / "fits.docx", lambda w: table(w, 0)) == set()
    indented = _docx(tmp_path / "indented.docx", lambda w: table(w, 0, indent=240))
    assert indented == {"docx-table-width"}

    def nested(word: docx.document.Document, inner: int) -> None:
        _footer(word)
        outer = word.add_table(rows=1, cols=2)
        for column in outer.columns:
            column.width = Twips(4000)
        cell = outer.rows[0].cells[0]
        cell.width = Twips(4000)
        made = cell.add_table(rows=1, cols=2)
        for column in made.columns:
            column.width = Twips(inner // 2)

    assert _docx(tmp_path / "nested.docx", lambda w: nested(w, 4400)) == {"docx-table-width"}
    assert _docx(tmp_path / "nested-fits.docx", lambda w: nested(w, 3800)) == set()


def test_a_docx_without_a_page_field_in_a_footer_is_found(tmp_path: Path) -> None:
    def text_footer(word: docx.document.Document) -> None:
        word.sections[0].footer.paragraphs[0].text = "1"

    assert _docx(tmp_path / "none.docx", lambda w: None) == {"docx-page-footer"}
    assert _docx(tmp_path / "text.docx", text_footer) == {"docx-page-footer"}
    assert _docx(tmp_path / "page.docx", _footer) == set()


def test_a_label_paragraph_not_right_aligned_is_found(tmp_path: Path) -> None:
    def label(word: docx.document.Document, how: str) -> None:
        _footer(word)
        if how == "style":
            base = word.styles.add_style("Label Base", WD_STYLE_TYPE.PARAGRAPH)
            base.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            style = word.styles.add_style("Label", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = base
            word.add_paragraph("（別添1）", style="Label")
            return
        paragraph = word.add_paragraph("（別添1）")
        if how == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    assert _docx(tmp_path / "left.docx", lambda w: label(w, "left")) == {"label-right"}
    assert _docx(tmp_path / "right.docx", lambda w: label(w, "right")) == set()
    assert _docx(tmp_path / "style.docx", lambda w: label(w, "style")) == set()

    def in_table(word: docx.document.Document) -> None:
        _footer(word)
        word.add_table(rows=1, cols=2).rows[0].cells[0].paragraphs[0].text = "（別添1）"

    assert _docx(tmp_path / "table.docx", in_table) == set()
