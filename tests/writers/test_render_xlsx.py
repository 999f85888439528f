"""The Excel writer for 別添1 (builder.writers.xlsx), on the real table at every version.

Each file is reloaded with openpyxl and checked against the model and the text writer;
LibreOffice (a real spreadsheet application) must convert it to PDF with the words in
it, and the OOXML validator must find no errors beyond its allow-list. Tests that need
those tools skip with "needs <tool> (Debian package <pkg>)" when they are missing.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from builder.engine.area_profile import CSV_HEADER, area_records, as_table, row_text
from builder.japanese import format_wareki
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.sources.workspace import Workspace
from builder.verify.clients import (
    CheckResult,
    libreoffice_convert,
    missing_tool,
    ooxml_validate,
    pdftotext_text,
    render_first_page_png,
)
from builder.writers.registry import table_xlsx
from builder.writers.text import folded_table_lines
from builder.writers.xlsx import DATA_SHEET, FONT_NAME, LINE_HEIGHT

NOTICE = "医政発0731第1号"
DATES = ("2024-07-31", "2024-10-10", "2025-01-20", "2025-03-27")
HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-1")


def _table(workspace: Workspace, date: str) -> tuple[AreaTable, str, str, str]:
    """別添1 of the version of ``date`` with the title, subject and as-of label to use."""
    history = workspace.history(workspace.find_notice(NOTICE))
    version = next(v for v in history.versions if str(v.date) == date)
    table = version.notice.attachment("別添1")
    assert isinstance(table, AreaTable)
    number = version.notice.number or ""
    return table, version.notice.title, number, f"{format_wareki(version.date)}時点"


def _render(workspace: Workspace, date: str) -> bytes:
    table, title, subject, as_of = _table(workspace, date)
    return table_xlsx(table, title=title, subject=subject, as_of_label=as_of)


def _hostile_table() -> AreaTable:
    return AreaTable(
        id="別添1",
        title="",
        columns=("都道府県", "推進区域、モデル推進区域"),
        rows=(
            AreaRow("北海道", (Area(HOSTILE[0], model=True), Area(HOSTILE[1]))),
            AreaRow("青森県", (Area(HOSTILE[2]),)),
            AreaRow("岩手県", (Area(HOSTILE[3]),)),
        ),
        note="=1+1",
    )


@pytest.fixture(scope="module")
def files(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The rendered .xlsx of every version, by date."""
    directory = tmp_path_factory.mktemp("xlsx")
    paths = {}
    for date in DATES:
        path = directory / f"beppyo1-{date}.xlsx"
        path.write_bytes(_render(workspace, date))
        paths[date] = path
    hostile = directory / "hostile.xlsx"
    hostile.write_bytes(
        table_xlsx(_hostile_table(), title="=t", subject="+s", as_of_label="@as_of")
    )
    paths["hostile"] = hostile
    return paths


def _sheets(path: Path) -> tuple[Worksheet, Worksheet]:
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["別添1", DATA_SHEET]
    return workbook["別添1"], workbook[DATA_SHEET]


def _header_row(sheet: Worksheet) -> int:
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        if cell.value == "都道府県":
            return int(cell.row)
    raise AssertionError("no header row 「都道府県」 in column A")


def _no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


# --- the data sheet ---------------------------------------------------------------


@pytest.mark.parametrize("date", DATES)
def test_data_sheet_rows_are_the_area_records(
    workspace: Workspace, files: dict[str, Path], date: str
) -> None:
    table = _table(workspace, date)[0]
    _, data = _sheets(files[date])
    rows = list(data.iter_rows(values_only=True))

    assert rows[0] == CSV_HEADER
    expected = [
        (r.code, r.prefecture, r.area, None if r.model is None else int(r.model))
        for r in area_records(table)
    ]
    assert rows[1:] == expected
    assert 69 <= len(expected) <= 74
    for row in data.iter_rows(min_row=2):
        assert row[0].data_type == "n" and isinstance(row[0].value, int)
        assert (row[1].data_type, row[2].data_type) == ("s", "s")
        assert row[3].value in (0, 1, None)
    assert data.auto_filter.ref == f"A1:D{len(rows)}"
    assert data.freeze_panes == "A2"


def test_data_sheet_pending_flag_is_empty(workspace: Workspace, files: dict[str, Path]) -> None:
    _, data = _sheets(files["2024-07-31"])
    pending = [row for row in data.iter_rows(min_row=2, values_only=True) if row[2] == "調整中"]
    assert [row[1] for row in pending] == ["北海道", "兵庫県", "鳥取県"]
    assert all(row[3] is None for row in pending)
    _, final = _sheets(files["2025-03-27"])
    assert (28, "兵庫県", "東播磨", 0) in list(final.iter_rows(min_row=2, values_only=True))


# --- the print sheet --------------------------------------------------------------


@pytest.mark.parametrize("date", DATES)
def test_print_sheet_reads_like_the_text_table(
    workspace: Workspace, files: dict[str, Path], date: str
) -> None:
    table, _, _, as_of = _table(workspace, date)
    sheet, _ = _sheets(files[date])
    header = _header_row(sheet)

    read = []
    for row in sheet.iter_rows(min_row=header, values_only=True):
        line = "".join(str(value) for value in row if value is not None)
        if line:
            read.append(_no_space(line))
    expected = [_no_space(line) for line in folded_table_lines(as_table(table)) if line.strip()]
    assert read == expected

    above = [v for row in sheet.iter_rows(max_row=header - 1, values_only=True) for v in row if v]
    assert above == ["（別添1）", as_of]
    assert sheet.cell(header - 1, 4).alignment.horizontal == "right"


@pytest.mark.parametrize("date", DATES)
def test_print_sheet_layout(workspace: Workspace, files: dict[str, Path], date: str) -> None:
    table = _table(workspace, date)[0]
    sheet, _ = _sheets(files[date])
    header = _header_row(sheet)
    half = (len(table.rows) + 1) // 2
    last_table_row = header + half

    # Two column pairs: the first ceil(n/2) rows left, the rest right.
    assert [sheet.cell(header, c).value for c in range(1, 5)] == list(table.columns) * 2
    assert sheet.cell(header + 1, 1).value == table.rows[0].prefecture
    assert sheet.cell(header + 1, 3).value == table.rows[half].prefecture
    assert sheet.cell(last_table_row, 1).value == table.rows[half - 1].prefecture
    assert sheet.cell(last_table_row + 1, 1).value == table.note

    for row in range(header, last_table_row + 1):
        for column in range(1, 5):
            border = sheet.cell(row, column).border
            sides = (border.left, border.right, border.top, border.bottom)
            assert [s.style for s in sides] == ["thin"] * 4, sheet.cell(row, column).coordinate
        for column in (2, 4):
            assert sheet.cell(row, column).alignment.wrap_text
    # Rows are tall enough for their longest area cell (東京都: 13 areas).
    tokyo = next(i for i, r in enumerate(table.rows) if r.prefecture == "東京都")
    tokyo_height = sheet.row_dimensions[header + 1 + tokyo].height
    assert tokyo_height is not None
    assert tokyo_height >= 4 * LINE_HEIGHT
    assert len(row_text(table.rows[tokyo])) > 3 * 18  # more than three lines of 18

    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths[1] == widths[3] > 3 * widths[0]


@pytest.mark.parametrize("date", DATES)
def test_label_is_top_right_across_the_print_area(files: dict[str, Path], date: str) -> None:
    """「（別添1）」 is right-aligned over the whole print area (A1:D1 merged), top right as
    in the PDF and Word, not at the top left."""
    sheet, _ = _sheets(files[date])
    label = sheet["A1"]
    assert label.value == "（別添1）"
    assert label.alignment.horizontal == "right"
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    assert str(sheet.print_area).split("!")[-1].replace("$", "").startswith("A1:D")


def test_fonts_are_mincho_everywhere(files: dict[str, Path]) -> None:
    for sheet in _sheets(files["2025-03-27"]):
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == FONT_NAME, cell.coordinate
                    assert 10.5 <= cell.font.size <= 11, cell.coordinate
    with zipfile.ZipFile(files["2025-03-27"]) as package:
        styles = package.read("xl/styles.xml").decode()
    assert re.findall(r'<name val="([^"]+)"', styles) == [FONT_NAME] * styles.count("<name ")
    assert "Calibri" not in styles


@pytest.mark.parametrize("date", DATES)
def test_print_setup(workspace: Workspace, files: dict[str, Path], date: str) -> None:
    table = _table(workspace, date)[0]
    sheet, data = _sheets(files[date])
    header = _header_row(sheet)
    last = header + (len(table.rows) + 1) // 2 + 1  # the note row

    for page_sheet in (sheet, data):
        setup = page_sheet.page_setup
        assert setup.paperSize == 9  # A4 (ECMA-376 paper size code)
        assert setup.orientation == "portrait"
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert page_sheet.sheet_properties.pageSetUpPr.fitToPage is True
        margins = page_sheet.page_margins
        assert 0.5 <= margins.left == margins.right <= 1.0
        assert 0.5 <= margins.top == margins.bottom <= 1.0
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.print_area == f"'別添1'!$A$1:$D${last}"
    assert data.print_title_rows == "$1:$1"


@pytest.mark.parametrize("date", DATES)
def test_two_renders_are_byte_identical(workspace: Workspace, date: str) -> None:
    first = _render(workspace, date)
    assert _render(workspace, date) == first
    properties = openpyxl.load_workbook(io.BytesIO(first)).properties
    _, title, subject, _ = _table(workspace, date)
    assert (properties.title, properties.subject) == (title, subject)


# --- text is text ------------------------------------------------------------------


def test_formula_like_text_stays_text(files: dict[str, Path]) -> None:
    path = files["hostile"]

    with zipfile.ZipFile(path) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 2
        for name in sheets:
            xml = package.read(name).decode()
            assert re.search(r"<f[\s>/]", xml) is None, name
            assert "HYPERLINK" in xml

    sheet, data_sheet = _sheets(path)
    values = {}
    for page in (sheet, data_sheet):
        for row in page.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", cell.coordinate
                    values[f"{page.title}!{cell.coordinate}"] = cell.value
    areas = [data_sheet.cell(row, 3).value for row in range(2, 6)]
    assert areas == list(HOSTILE)
    assert [data_sheet.cell(row, 3).quotePrefix for row in range(2, 6)] == [True] * 4
    assert sheet.cell(4, 2).value == f"{HOSTILE[0]}（●）、{HOSTILE[1]}"
    assert sheet.cell(5, 2).value == HOSTILE[2]
    assert sheet.cell(4, 4).value == HOSTILE[3]
    assert "=1+1" in values.values()
    assert "@as_of" in values.values()


# --- real clients ------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every version (and the hostile table) converted by LibreOffice in one call."""
    reason = missing_tool("soffice")
    if reason:
        pytest.skip(reason)
    outdir = tmp_path_factory.mktemp("xlsx-pdf")
    results = libreoffice_convert(list(files.values()), outdir)
    for result in results:
        assert result.ok, result.detail
    return {key: outdir / f"{path.stem}.pdf" for key, path in files.items()}


def _require_poppler() -> None:
    reason = missing_tool("pdftotext")
    if reason:
        pytest.skip(reason)


@pytest.mark.parametrize("date", DATES)
def test_libreoffice_shows_every_area(
    workspace: Workspace, pdfs: dict[str, Path], date: str
) -> None:
    _require_poppler()
    table = _table(workspace, date)[0]
    text = _no_space(pdftotext_text(pdfs[date]))
    for row in table.rows:
        assert row.prefecture in text
        for area in row.areas:
            assert area.name in text, (row.prefecture, area.name)
    assert _no_space(table.note) in text
    if date == "2025-03-27":
        assert "東播磨" in text and "調整中" not in text
    if date == "2024-07-31":
        assert "調整中" in text and "東播磨" not in text


def test_libreoffice_prints_formula_like_text_as_written(pdfs: dict[str, Path]) -> None:
    _require_poppler()
    text = _no_space(pdftotext_text(pdfs["hostile"]))
    for value in (*HOSTILE, "=1+1", "@as_of"):
        assert _no_space(value) in text, value


def test_libreoffice_first_page_renders(pdfs: dict[str, Path], tmp_path: Path) -> None:
    png = tmp_path / "page1.png"
    result = render_first_page_png(pdfs["2025-03-27"], png)
    if result.skipped:
        pytest.skip(result.detail)
    assert result.ok, result.detail
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize("date", DATES)
def test_ooxml_validator_finds_no_errors(files: dict[str, Path], date: str) -> None:
    result: CheckResult = ooxml_validate(files[date])
    if result.skipped:
        pytest.skip(result.detail)
    assert result.ok, result.detail
