"""Security properties: names from sources never make paths outside the output folder,
and no CSV cell can become a formula."""

from __future__ import annotations

import csv
import io

import pytest

from builder.core.filenames import UnsafeNameError, safe_component
from builder.engine.tabular import records
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.writers.csv import records_csv, spreadsheet_safe


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "..",
        ".",
        "a/b",
        "a\\b",
        "/etc/passwd",
        "C:evil",
        "a\x00b",
        "CON",
        "nul.txt",
        "COM1",
        "LPT9.docx",
        "x.",
        "x ",
        "",
    ],
)
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(UnsafeNameError):
        safe_component(name)


@pytest.mark.parametrize(
    "name",
    [
        "医政発0731第1号",
        "地域医療計画課事務連絡2024-06-11",
        "2025-03-27_医政発0327第2号.yaml",
        "console",
    ],
)
def test_ordinary_names_pass(name: str) -> None:
    assert safe_component(name) == name


def test_csv_cells_never_become_formulas() -> None:
    hostile = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
    table = AreaTable(
        "別添1", "", ("都道府県", "区域"), (AreaRow("北海道", tuple(Area(n) for n in hostile)),)
    )
    rows = list(csv.reader(io.StringIO(records_csv(records(table)))))
    for row, name in zip(rows[1:], hostile, strict=True):
        assert row[2] == "'" + name
        assert spreadsheet_safe(name) == "'" + name
    assert spreadsheet_safe("東播磨") == "東播磨"
