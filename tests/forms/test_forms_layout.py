"""The forms' page layout (issue #16, item 5): the fillable PDF centred on the page, the
.xlsx broken into pages by hand so that no section heading, caption or table header ends
a page, the .docx keeping header rows with their first row and numbering its pages.

Positions are read with pdfplumber; the .xlsx and .docx are also printed through
LibreOffice (skipped, never passed, without it)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from lxml import etree  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet

from builder.forms import render_form_docx, render_form_pdf, render_form_xlsx
from builder.forms.xlsx_pages import page_breaks, printable_height
from builder.verify.clients import libreoffice_convert
from tests.forms.test_forms_common import HYOGO, KUIKI, SURVEY, form, needs

FORM_IDS = [KUIKI, SURVEY]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 25.4 / 72


# --------------------------------------------------------------------------- page breaks


def test_a_kept_row_goes_over_with_the_row_after_it() -> None:
    # Rows 1-3 fill 90 of 100 points; row 4 (a heading, kept with 5) would fit alone.
    assert page_breaks([30, 30, 30, 5, 40], keep_next={4}, page=100, slack=1) == [3]
    assert page_breaks([30, 30, 30, 5, 40], keep_next=set(), page=100, slack=1) == [4]


def test_natural_breaks_are_written_and_a_block_taller_than_a_page_is_split() -> None:
    assert page_breaks([60, 60, 60], keep_next=set(), page=100, slack=1) == [1, 2]
    assert page_breaks([10, 60, 60, 10], keep_next={2, 3}, page=100, slack=1) == [2]
    assert page_breaks([], keep_next=set(), page=100) == []


def test_printable_height_scales_with_the_width_fit() -> None:
    page = (595.28, 841.89)
    assert printable_height(page, (0.5, 0.5, 1, 1), columns=300) == pytest.approx(841.89 - 144)
    wide = printable_height(page, (0.5, 0.5, 1, 1), columns=2 * (595.28 - 72))
    assert wide == pytest.approx(2 * (841.89 - 144))


def _sheet(form_id: str, prefill: dict[str, str] | None = None) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(render_form_xlsx(form(form_id), prefill))).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _row_text(sheet: Worksheet, row: int) -> str:
    return "".join(str(sheet.cell(row, c).value or "") for c in range(1, 10))


def test_xlsx_breaks_never_leave_a_heading_caption_or_header_at_a_page_foot() -> None:
    sheet = _sheet(KUIKI)
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    assert len(breaks) >= 2, breaks
    captions = {row: _row_text(sheet, row) for row in range(1, sheet.max_row + 1)}
    five = next(r for r, t in captions.items() if t.startswith("⑤"))
    schedule = next(r for r, t in captions.items() if t.startswith("【4.工程表】"))
    for last in breaks:
        # The row that ends a page is never a heading, a caption or a header row.
        text = captions[last]
        assert not re.match(r"^(【|[①-⑳]|年度)", text), f"row {last} ends a page: {text}"
        assert last not in (five, schedule, schedule + 1)
    pages = [0, *breaks, sheet.max_row]

    def page_of(row: int) -> int:
        return next(i for i in range(len(pages) - 1) if pages[i] < row <= pages[i + 1])

    assert page_of(five) == page_of(five + 1), "⑤'s caption and its box on one page"
    assert page_of(schedule) == page_of(schedule + 2), "工程表 heading, header, first row"


def test_every_xlsx_row_has_a_height_so_the_breaks_are_known() -> None:
    sheet = _sheet(KUIKI)
    assert all(sheet.row_dimensions[r].height for r in range(1, sheet.max_row + 1))


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_libreoffice_prints_the_xlsx_on_the_pages_the_breaks_give(
    tmp_path: Path, form_id: str
) -> None:
    """No automatic break comes before one of ours: as many pages as breaks + 1, and each
    page after the first opens with the row after its break (a caption or heading)."""
    path = tmp_path / f"{form_id}.xlsx"
    path.write_bytes(render_form_xlsx(form(form_id), HYOGO[form_id]))
    sheet = _sheet(form_id, HYOGO[form_id])
    breaks = [brk.id for brk in sheet.row_breaks.brk]
    (converted,) = libreoffice_convert([path], tmp_path)
    needs(converted)
    assert converted.ok, converted.detail
    with pdfplumber.open(tmp_path / f"{form_id}.pdf") as pdf:
        assert len(pdf.pages) == len(breaks) + 1
        for page, last in zip(pdf.pages[1:], breaks, strict=True):
            first_line = (page.extract_text() or "").split("\n")[0].replace(" ", "")
            expected = _row_text(sheet, last + 1) or _row_text(sheet, last + 2)
            assert first_line.startswith(expected[:8]), (first_line, expected)


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_fillable_pdf_is_centred(form_id: str) -> None:
    """The content's bounding box (text, rules, boxes) stands as far from either edge on
    every page: within 0.1 mm (it was 2.1 mm right of centre on page 1)."""
    with pdfplumber.open(io.BytesIO(render_form_pdf(form(form_id)))) as pdf:
        for page in pdf.pages:
            objects = page.chars + page.lines + page.rects
            left = min(o["x0"] for o in objects)
            right = page.width - max(o["x1"] for o in objects)
            assert abs(left - right) * MM < 0.1, (page.page_number, left * MM, right * MM)
            assert left * MM == pytest.approx(20, abs=0.1)


# --------------------------------------------------------------------------- Word


def _document(form_id: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(render_form_docx(form(form_id)))) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_docx_header_rows_are_kept_with_their_first_row() -> None:
    tables = _document(KUIKI).iter(f"{W}tbl")
    headed = [t for t in tables if t.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
    assert len(headed) == 3  # ⑥, 3.④ and the 工程表
    for table in headed:
        header = table.find(f"{W}tr")
        assert header is not None
        paragraphs = list(header.iter(f"{W}p"))
        assert paragraphs
        assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in paragraphs)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_docx_numbers_its_pages_in_a_footer(form_id: str) -> None:
    with zipfile.ZipFile(io.BytesIO(render_form_docx(form(form_id)))) as package:
        footers = [n for n in package.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
        assert footers
        text = "".join(
            t.text or "" for t in etree.fromstring(package.read(footers[0])).iter(f"{W}instrText")
        )
    assert text.strip() == "PAGE"


# --------------------------------------------------------------------------- a box in a heading


def test_a_box_in_a_heading_stands_a_quarter_em_from_its_texts() -> None:
    """「（[box]時点）」 in the fillable PDF: a quarter em of the heading's size between
    「（」 and the box and between the box and 「時点」 (they butted), read with
    pdfplumber from the drawn box and the glyphs."""
    data = render_form_pdf(form(KUIKI))
    found = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            chars = page.chars
            for before, char, after in zip(chars, chars[1:], chars[2:], strict=False):
                if (char["text"], after["text"]) != ("時", "点") or before["text"] != "（":
                    continue
                boxes = [
                    r
                    for r in page.rects
                    if before["x1"] - 1 <= r["x0"]
                    and r["x1"] <= char["x0"] + 1
                    and r["top"] < char["bottom"]
                    and r["bottom"] > char["top"]
                ]
                assert len(boxes) == 1, boxes
                (box,) = boxes
                quarter = char["size"] / 4
                assert abs(box["x0"] - before["x1"] - quarter) < 0.3, (before["x1"], box["x0"])
                assert abs(char["x0"] - box["x1"] - quarter) < 0.3, (box["x1"], char["x0"])
                found += 1
    assert found == 1
