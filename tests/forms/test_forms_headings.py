"""Column headings of a form table break only between words, in every format (issue #16,
review item 2), and the form .docx is centred with the header's note under its table
(item 4), the .xlsx's 「（」/「時点）」 clear of the input cell (item 5).

The rule is :mod:`builder.forms.headings`; each writer is checked from its output: the
.docx XML (``w:br`` between a heading's lines), the .xlsx cell values (``\\n``), the
fillable PDF and LibreOffice's rendering of the .docx and .xlsx (pdfplumber's lines)."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from lxml import etree  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet

from builder.forms import render_form_docx, render_form_pdf, render_form_xlsx
from builder.forms.headings import fitted_headings, heading_lines, heading_pieces
from builder.model.form import Grid
from builder.verify.clients import libreoffice_convert
from tests.forms.test_forms_common import KUIKI, form, needs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _grid() -> Grid:
    """The ⑥ table of 区域対応方針 (six count and computed columns)."""
    for section in form(KUIKI).sections:
        for item in section.items:
            if isinstance(item.body, Grid) and len(item.body.columns) == 6:
                return item.body
    raise AssertionError("no ⑥ table")


HEADINGS = [column.plain_label for column in _grid().columns]


def breaks_between_words(heading: str, lines: Sequence[str]) -> bool:
    """Whether ``lines`` are ``heading`` broken only where :func:`heading_pieces` may
    (a space at a break dropped)."""
    cuts, position = set(), 0
    for piece in heading_pieces(heading):
        position += len(piece)
        cuts.add(position)
    position = 0
    for index, line in enumerate(lines):
        if heading[position : position + len(line)] != line:
            return False
        position += len(line)
        if index < len(lines) - 1:
            position += heading[position : position + 1] == " "
            if position not in cuts:
                return False
    return position == len(heading)


# --------------------------------------------------------------------------- the rule


def test_pieces_break_after_a_year_the_particle_and_before_a_mark() -> None:
    assert heading_pieces("2023年度病床機能報告 (A)") == ["2023年度", "病床機能報告 ", "(A)"]
    assert heading_pieces("2025年の予定病床数 (B)※") == ["2025年の", "予定病床数 ", "(B)※"]
    assert heading_pieces("差し引き (C)-(A)") == ["差し引き ", "(C)-(A)"]
    assert heading_pieces("2015年病床数") == ["2015年", "病床数"]


def test_the_checker_refuses_a_break_inside_a_word() -> None:
    assert breaks_between_words("2015年病床数", ["2015年", "病床数"])
    assert not breaks_between_words("2015年病床数", ["2015年病床", "数"])
    assert not breaks_between_words("差し引き (C)-(A)", ["差し引き (C)-", "(A)"])


def test_fitted_widths_share_the_room_and_keep_words_whole() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    fitted = fitted_headings(HEADINGS, 60, measure, 1)
    assert fitted is not None
    widths, lines = fitted
    assert sum(widths) == pytest.approx(60)
    for heading, heading_lines_, width in zip(HEADINGS, lines, widths, strict=True):
        assert breaks_between_words(heading, heading_lines_), heading_lines_
        assert all(measure(line) <= width - 1 for line in heading_lines_)
    assert fitted_headings(HEADINGS, 10, measure, 1) is None  # no room: the caller's widths
    assert heading_lines(["2015年", "病床数"], 100, measure) == ["2015年病床数"]


# --------------------------------------------------------------------------- outputs


def _docx_heading_lines(data: bytes) -> list[list[str]]:
    """The lines (split at ``w:br``) of the cells of the ⑥ table's header row."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    for table in document.iter(f"{W}tbl"):
        cells = table.find(f"{W}tr").findall(f"{W}tc")
        texts = []
        for tc in cells:
            text = ""
            for element in tc.iter(f"{W}t", f"{W}br"):
                text += "\n" if element.tag == f"{W}br" else element.text or ""
            texts.append(text.split("\n"))
        if any("".join(t).startswith("2015年") for t in texts):
            return texts[1:]
    raise AssertionError("no ⑥ table in the .docx")


def test_docx_headings_break_between_words_and_widths_follow_them() -> None:
    data = render_form_docx(form(KUIKI))
    lines = _docx_heading_lines(data)
    assert len(lines) == len(HEADINGS)
    for heading, heading_lines_ in zip(HEADINGS, lines, strict=True):
        assert breaks_between_words(heading, heading_lines_), heading_lines_
    assert lines[0] == ["2015年", "病床数"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    grid = next(t for t in document.iter(f"{W}tbl") if "2015年" in "".join(t.itertext())).find(
        f"{W}tblGrid"
    )
    widths = [int(col.get(f"{W}w")) for col in grid.findall(f"{W}gridCol")][1:]
    assert len(set(widths)) > 1  # from the headings, not six equal shares


def _xlsx_sheet() -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(render_form_xlsx(form(KUIKI)))).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_xlsx_headings_are_broken_between_words_by_line_breaks() -> None:
    sheet = _xlsx_sheet()
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.replace("\n", "") in {
                h.replace(" ", "") for h in HEADINGS
            } | set(HEADINGS):
                found[value] = cell
    assert len(found) == len(HEADINGS), sorted(found)
    for value, cell in found.items():
        heading = next(h for h in HEADINGS if value.replace("\n", "") in (h, h.replace(" ", "")))
        assert breaks_between_words(heading, value.split("\n")), value
        assert cell.alignment.wrap_text
    assert "2023年度\n病床機能報告" in "".join(found)
    # The value columns D–I take their widths from the headings, together as wide as before.
    widths = [sheet.column_dimensions[letter].width for letter in "DEFGHI"]
    assert len(set(widths)) > 1
    assert sum(widths) == pytest.approx(66, abs=0.01)


def test_xlsx_heading_texts_stand_clear_of_the_input_cell() -> None:
    sheet = _xlsx_sheet()
    around = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and (cell.value.endswith("（") or cell.value == "時点）")
    ]
    assert len(around) == 2
    for cell in around:
        assert cell.alignment.indent >= 1, cell.coordinate


def _columns(words: list[dict[str, Any]]) -> list[list[str]]:
    """Words of a heading row grouped into columns by their centres, lines top to bottom."""
    by_column: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for word in sorted(words, key=lambda w: (w["x0"] + w["x1"]) / 2):
        centre = (word["x0"] + word["x1"]) / 2
        key = next((k for k in by_column if abs(k - centre) < 25), round(centre))
        by_column[key].append(word)
    out = []
    for _, column in sorted(by_column.items()):
        lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for word in column:  # a line's words (LibreOffice splits 「2015」 from 「年」)
            lines[round(word["top"])].append(word)
        out.append(
            [
                "".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])).strip()
                for _, ws in sorted(lines.items())
            ]
        )
    return out


def _heading_columns(pdf: Path | io.BytesIO) -> list[list[str]]:
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words(keep_blank_chars=True, x_tolerance=1.5)
            starts = [w["top"] for w in words if w["text"].startswith("2015")]
            heads = [w["top"] for w in words if w["text"] == "高度急性期"]
            if starts and heads:
                top = min(starts) - 12
                bottom = min(h for h in heads if h > top)
                row = [w for w in words if top < w["top"] < bottom - 2 and w["x0"] > 120]
                return _columns(row)
    raise AssertionError("no ⑥ table")


def _assert_rendered_headings(pdf: Path | io.BytesIO) -> None:
    columns = _heading_columns(pdf)
    assert len(columns) == len(HEADINGS), columns
    for heading, lines in zip(HEADINGS, columns, strict=True):
        assert breaks_between_words(heading, lines), (heading, lines)


def test_fillable_pdf_headings_break_between_words() -> None:
    _assert_rendered_headings(io.BytesIO(render_form_pdf(form(KUIKI))))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's PDFs of the form's .docx and .xlsx (the repository's font config)."""
    work = tmp_path_factory.mktemp("headings")
    (work / "form-docx.docx").write_bytes(render_form_docx(form(KUIKI)))
    (work / "form-xlsx.xlsx").write_bytes(render_form_xlsx(form(KUIKI)))
    results = libreoffice_convert([work / "form-docx.docx", work / "form-xlsx.xlsx"], work)
    for result in results:
        needs(result)
        assert result.ok, result.detail
    return {"docx": work / "form-docx.pdf", "xlsx": work / "form-xlsx.pdf"}


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_libreoffice_breaks_headings_between_words(rendered: dict[str, Path], kind: str) -> None:
    _assert_rendered_headings(rendered[kind])


def test_docx_is_centred_on_the_page(rendered: dict[str, Path]) -> None:
    """The tables' borders stand as far from the left edge as from the right (LibreOffice
    printed 52.2 pt left, 60.7 pt right before: the cell margin outside the margin)."""
    with pdfplumber.open(rendered["docx"]) as pdf:
        page = pdf.pages[0]
        edges = page.rects + page.lines
        left = min(e["x0"] for e in edges)
        right = page.width - max(e["x1"] for e in edges)
    assert abs(left - right) < 0.6, (left, right)
    assert abs(left - 20 / 25.4 * 72) < 0.6  # the 20 mm margin


def test_docx_header_note_is_a_line_under_its_table() -> None:
    with zipfile.ZipFile(io.BytesIO(render_form_docx(form(KUIKI)))) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    note = next(p for p in document.iter(f"{W}p") if "".join(p.itertext()).startswith("複数の"))
    assert note.getparent().tag == f"{W}body"  # not in the 構想区域名 input cell
    before = note.getprevious()
    assert before.tag == f"{W}tbl" and "構想区域名" in "".join(before.itertext())
