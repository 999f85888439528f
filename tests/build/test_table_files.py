"""Table files for every table attachment of every notice, named by its id
(``<version>/<id>.csv|xlsx|pdf``): the area table as before, a generic table as CSV (one
record per row), .xlsx (print sheet and data sheet) and PDF; and ``notices table`` for any
table attachment (``--id``)."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import Cell

from builder.build.plan import Output, outputs
from builder.cli.main import main
from builder.documents.compose import table_document
from builder.engine.area_profile import as_table
from builder.engine.tabular import find_table, table_records
from builder.model.area_table import AreaTable
from builder.model.document import TableBlock
from builder.model.notice import Notice, Table, TableRow
from builder.sources.workspace import Workspace
from builder.writers import registry
from builder.writers.registry import table_xlsx
from builder.writers.text import table_lines
from builder.writers.xlsx import DATA_SHEET
from tests.conftest import MINI_NOTICE, ROOT, amendment_yaml
from tests.engine.test_engine import MakeProject
from tests.engine.test_generic_table import NOTICE, TABLE

NOTICE_ID = "医政発0401第1号"
BOTH = MINI_NOTICE + TABLE
"""The mini notice with its area table 別添1 and the generic table 別添3."""
AMENDED = amendment_yaml(
    "医政発0501第1号",
    "2024-05-01",
    "  - {at: 別添3 国の項, replace: 取組の明確化, with: 取組の周知}\n",
)


def table_outputs(workspace: Workspace) -> dict[str, Output]:
    return {o.path: o for o in outputs(workspace) if o.kind == "table"}


def generic(workspace: Workspace, notice_id: str = NOTICE_ID, table_id: str = "別添3") -> Table:
    found = workspace.history(workspace.find_notice(notice_id)).versions[-1].notice
    table = find_table(found, table_id)
    assert isinstance(table, Table)
    return table


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- which files


def test_every_table_attachment_of_every_version_gets_its_files(
    make_project: MakeProject,
) -> None:
    workspace = Workspace(make_project({"a.yaml": AMENDED}, notice=BOTH))
    found = table_outputs(workspace)
    expected = {
        f"{NOTICE_ID}/{date}/{table}.{fmt}"
        for date in ("2024-04-01", "2024-05-01")
        for table in ("別添1", "別添3")
        for fmt in ("csv", "xlsx", "pdf")
    }
    assert set(found) == expected
    for path, output in found.items():
        assert dict(output.extra) == {"attachment": path.rsplit("/", 1)[1].split(".")[0]}
        assert output.format == path.rsplit(".", 1)[1]
    later = found[f"{NOTICE_ID}/2024-05-01/別添3.csv"].make().decode("utf-8-sig")
    assert "取組の周知" in later and "取組の明確化" not in later


def test_the_real_tree_has_both_kinds_of_table_files(workspace: Workspace) -> None:
    found = table_outputs(workspace)
    for fmt in ("csv", "xlsx", "pdf"):
        assert f"医政発0328第3号/2024-03-28/別添3.{fmt}" in found
        for date in ("2024-07-31", "2024-10-10", "2025-01-20", "2025-03-27"):
            assert f"医政発0731第1号/{date}/別添1.{fmt}" in found
    assert not any(path.startswith("地域医療計画課事務連絡") for path in found)


AREA_CSV_SHA256 = {
    "2024-07-31": "5b06feb9a780d13aea6c9935c95250b7ebf5d8b43849b58f77762d08d1f112f1",
    "2024-10-10": "b1db6377c08591e5aa01b0bf91c9579d252bd7aaeeeefce19a24c0b657714e2e",
    "2025-01-20": "c963b9bddc9e045ae82ddf7b54e229481d19f995cfda8f39dcd7063bfee9d75d",
    "2025-03-27": "6b76da5fb1e356073b2e11b11c65f600f3cc25475a9f6fb7cba58f349da7b35b",
}
"""The area table's CSV as built before table files were generalised (byte for byte)."""


def test_the_area_table_files_are_as_before(workspace: Workspace) -> None:
    found = table_outputs(workspace)
    for date, digest in AREA_CSV_SHA256.items():
        data = found[f"医政発0731第1号/{date}/別添1.csv"].make()
        assert hashlib.sha256(data).hexdigest() == digest
    book = openpyxl.load_workbook(io.BytesIO(found["医政発0731第1号/2025-03-27/別添1.xlsx"].make()))
    assert book.sheetnames == ["別添1", DATA_SHEET]
    header = [c.value for c in book[DATA_SHEET][1]]
    assert header == ["都道府県コード", "都道府県", "構想区域", "モデル推進区域"]
    assert [c.value for c in book["別添1"][3]] == ["都道府県", "推進区域、モデル推進区域"] * 2


# --------------------------------------------------------------------------- a generic table


def test_generic_csv_is_one_record_per_row(make_project: MakeProject) -> None:
    table = generic(Workspace(make_project(notice=NOTICE)))
    data = registry.table_csv(table)
    assert (
        data
        == (
            "\ufeff区分,2024年度,2025年度\r\n"
            '国,"●通知の発出\n・取組の明確化",●進捗の確認\r\n'
            "都道府県,●方針の協議,\r\n"
            "医療機関,●方針の策定,●取組の実施\r\n"
        ).encode()
    )
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert records[0] == list(table.columns)
    assert [tuple(r) for r in records[1:]] == table_records(table)


FORMULAS = Table(
    "別添3",
    "",
    (("=区分", "+年度", "年度"),),
    (
        TableRow("=HYPERLINK(1)", (("@SUM(A1)", "・二行目"), ("-1",))),
        TableRow("国", (("普通",), ())),
    ),
)


def test_generic_files_are_formula_safe() -> None:
    text = registry.table_csv(FORMULAS).decode("utf-8-sig")
    assert text.splitlines()[:2] == ["'=区分,'+年度,年度", "'=HYPERLINK(1),\"'@SUM(A1)"]
    book = openpyxl.load_workbook(
        io.BytesIO(table_xlsx(FORMULAS, title="t", subject="s", as_of_label="x"))
    )
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell, Cell) and isinstance(cell.value, str):
                    assert cell.data_type == "s", cell.coordinate
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, cell.coordinate
    assert [c.value for c in book[DATA_SHEET][2]] == ["=HYPERLINK(1)", "@SUM(A1)\n・二行目", "-1"]


def test_generic_xlsx_print_sheet_and_data_sheet(make_project: MakeProject) -> None:
    table = generic(Workspace(make_project(notice=NOTICE)))
    data = registry.table_xlsx(table, "試験用の通知について", NOTICE_ID, "令和6年4月1日時点")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["別添3", DATA_SHEET]
    sheet = book["別添3"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [
        ["（別添3）", None, None],
        ["計画的な取組", None, None],
        [None, None, "令和6年4月1日時点"],
        ["区分", "2024年度", "2025年度"],
        ["国", "●通知の発出\n・取組の明確化", "●進捗の確認"],
        ["都道府県", "●方針の協議", None],
        ["医療機関", "●方針の策定", "●取組の実施"],
        ["※ 年度は目安である。", None, None],
    ]
    assert {str(r) for r in sheet.merged_cells.ranges} == {
        "A1:C1",
        "A2:C2",
        "A8:C8",
    }  # the label right across the print area
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.print_area == "'別添3'!$A$1:$C$8"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "portrait"  # three narrow columns
    assert sheet["B5"].alignment.wrap_text and sheet["B5"].border.left.style == "thin"
    assert sheet.row_dimensions[5].height > sheet.row_dimensions[6].height  # two lines
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[0] >= 10 and all(w >= 8 for w in widths)
    flat = book[DATA_SHEET]
    rows = [[c.value or "" for c in row] for row in flat.iter_rows()]
    expected = list(csv.reader(io.StringIO(registry.table_csv(table).decode("utf-8-sig"))))
    assert rows == expected
    assert flat.freeze_panes == "A2" and flat.auto_filter.ref == "A1:C4"


def test_a_wide_table_prints_landscape(workspace: Workspace) -> None:
    table = generic(workspace, "医政発0328第3号")
    book = openpyxl.load_workbook(
        io.BytesIO(table_xlsx(table, title="t", subject="s", as_of_label="x"))
    )
    sheet = book["別添3"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths[1:] == [40.0, 40.0, 40.0]  # long lines wrap at the widest column
    assert sheet.print_title_rows == "$4:$4"


def test_header_rows_are_repeated_and_merged() -> None:
    table = Table(
        "別表",
        "",
        (("区分", "年度", "年度"), ("区分", "2024年度", "2025年度")),
        (TableRow("国", (("a",), ("b",))),),
    )
    book = openpyxl.load_workbook(
        io.BytesIO(table_xlsx(table, title="t", subject="s", as_of_label="x"))
    )
    sheet = book["別表"]
    assert sheet.print_title_rows == "$3:$4"  # no title row: the header starts at row 3
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "B3:C3", "A3:A4"}
    assert [c.value for c in book[DATA_SHEET][1]] == ["区分", "2024年度", "2025年度"]


def test_the_table_pdf_shows_a_generic_table_as_a_table_block(make_project: MakeProject) -> None:
    workspace = Workspace(make_project(notice=BOTH))
    notice: Notice = workspace.find_notice(NOTICE_ID)
    document = table_document(generic(workspace), notice, "令和6年4月1日時点")
    assert document.name == "別添3" and isinstance(document.blocks[-1], TableBlock)
    area = find_table(notice, "別添1")
    assert isinstance(area, AreaTable)
    assert table_document(area, notice, "x").blocks[-1] == TableBlock(as_table(area), folded=True)
    assert registry.table_pdf(generic(workspace), notice, "令和6年4月1日時点").startswith(b"%PDF-")


# --------------------------------------------------------------------------- notices table


def test_table_command_prints_any_table(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({"a.yaml": AMENDED}, notice=BOTH)
    table = generic(Workspace(root))
    code, out, err = run(root, capsys, "table", NOTICE_ID, "--id", "別添3")
    assert (code, out) == (0, "\n".join(table_lines(table)) + "\n"), err
    code, out, _ = run(root, capsys, "table", NOTICE_ID, "--id", "別添3", "--csv")
    assert out == registry.table_csv(table).decode("utf-8-sig").replace("\r\n", "\n")
    code, out, _ = run(
        root, capsys, "table", NOTICE_ID, "--id", "別添3", "--as-of", "2024-04-30", "--csv"
    )
    assert code == 0 and "取組の明確化" in out
    code, out, _ = run(root, capsys, "table", NOTICE_ID, "--id", "別添1", "--csv")
    assert code == 0 and out.startswith("都道府県コード,都道府県,構想区域,モデル推進区域\n")


def test_table_command_names_the_tables_to_choose_from(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=BOTH)
    code, _, err = run(root, capsys, "table", NOTICE_ID)
    assert code == 1 and "has 2 table attachments (別添1、別添3); name one with --id" in err
    code, _, err = run(root, capsys, "table", NOTICE_ID, "--id", "別添9")
    assert code == 1 and "has no attachment 「別添9」 (its tables: 別添1、別添3)" in err
    code, _, err = run(ROOT, capsys, "table", "医政発0731第1号", "--id", "別添2")
    assert code == 1 and "別添2 of 医政発0731第1号 is not a table (its tables: 別添1)" in err
    code, _, err = run(ROOT, capsys, "table", "地域医療計画課事務連絡2024-06-11")
    assert code == 1 and "has no table attachment" in err


def test_table_command_defaults_to_the_only_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(ROOT, capsys, "table", "医政発0328第3号")
    assert code == 0, err
    assert (
        out.splitlines()[0]
        == "［｜2023年度（令和5年度）｜2024年度（令和6年度）｜2025年度（令和7年度）］"
    )
    code, out, _ = run(ROOT, capsys, "table", "医政発0731第1号", "--id", "別添1")
    assert code == 0 and out == run(ROOT, capsys, "table", "医政発0731第1号")[1]
