"""The Excel writer of forms (builder.forms.xlsx): protection, inputs, validations,
formulas only in computed cells, text stays text, identity, print setup; and real
clients: LibreOffice converts it, the OOXML validator finds nothing beyond its
allow-list."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import Cell

from builder.forms import render_form_xlsx
from builder.forms.xlsx import COUNT_ERROR, FORM_ID_NAME, FORM_VERSION_NAME
from builder.verify.clients import libreoffice_convert, ooxml_validate, pdftotext_text
from tests.forms.test_forms_common import HYOGO, KUIKI, SURVEY, form, needs

FORM_IDS = [KUIKI, SURVEY]


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _named_cells(workbook: openpyxl.Workbook) -> dict[str, Cell]:
    cells = {}
    for name, defined in workbook.defined_names.items():
        if name.startswith("_"):
            continue
        ((sheet, coordinate),) = list(defined.destinations)
        cells[name] = workbook[sheet][coordinate.replace("$", "")]
    return cells


@pytest.mark.parametrize("prefilled", [False, True])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_inputs_unlocked_and_shaded_everything_else_locked(form_id: str, prefilled: bool) -> None:
    item = form(form_id)
    prefill = HYOGO[form_id] if prefilled else {}
    data = render_form_xlsx(item, prefill)
    assert data == render_form_xlsx(item, prefill), "not byte-reproducible"
    workbook = _load(data)
    sheet = workbook.active
    assert sheet.protection.sheet is True and not sheet.protection.password
    cells = _named_cells(workbook)
    assert set(cells) == {c.id for c in item.controls()}
    inputs = {c.coordinate for name, c in cells.items() if name.split(".")[0] not in prefill}
    for name, cell in cells.items():
        fixed = name in prefill
        assert cell.protection.locked is fixed, name
        assert (cell.fill.fgColor.rgb == "FFFFF2CC") is not fixed, name
        if fixed:
            assert cell.value == prefill[name]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell, Cell) and cell.coordinate not in inputs:
                assert cell.protection.locked, cell.coordinate


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_identity_is_in_properties_and_hidden_names(form_id: str) -> None:
    item = form(form_id)
    workbook = _load(render_form_xlsx(item))
    properties = {p.name: p.value for p in workbook.custom_doc_props}
    assert properties == {"form_id": item.id, "form_version": item.version}
    for name, value in ((FORM_ID_NAME, item.id), (FORM_VERSION_NAME, item.version)):
        defined = workbook.defined_names[name]
        assert defined.hidden and defined.attr_text == f'"{value}"'


def test_validations_and_formulas() -> None:
    item = form(KUIKI)
    workbook = _load(render_form_xlsx(item))
    sheet = workbook.active
    cells = _named_cells(workbook)
    rules = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row in (
                sheet[cell_range.coord] if ":" in cell_range.coord else [[sheet[cell_range.coord]]]
            ):
                for cell in row:
                    rules[cell.coordinate] = validation
    for field in item.inputs():
        rule = rules.get(cells[field.id].coordinate) if field.kind != "choices" else None
        if field.kind == "count":
            assert (rule.type, rule.operator, rule.formula1, rule.error) == (
                "whole",
                "greaterThanOrEqual",
                "0",
                COUNT_ERROR,
            )
            assert rule.showErrorMessage and "入力" in rule.errorTitle
        elif field.kind == "choice":
            assert rule.type == "list" and rule.formula1 == '"2024年度,2025年度,2026年度以降"'
        elif field.kind == "date":
            assert rule.type == "date"
        else:
            assert rule is None, field.id
    count_cells = {cells[f.id].coordinate for f in item.inputs() if f.kind == "count"}
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    computed = [f for f in item.fields() if f.kind == "computed"]
    assert len(formulas) == len(computed) == 8
    for cell in formulas:
        match = re.fullmatch(r'=IF\(COUNT\(([A-Z]+\d+),([A-Z]+\d+)\)=2,\1-\2,""\)', cell.value)
        assert match is not None, cell.value
        assert set(match.groups()) <= count_cells
        assert cell.protection.locked
    minuend = cells["beds_acute_c"].coordinate
    subtrahend = cells["beds_acute_a"].coordinate
    assert any(c.value.startswith(f"=IF(COUNT({minuend},{subtrahend})") for c in formulas)
    survey = _load(render_form_xlsx(form(SURVEY)))
    checks = [v for v in survey.active.data_validations.dataValidation if v.formula1 == '"○"']
    assert len(checks) == 1 and len(list(checks[0].sqref.ranges)) == 4


def test_hostile_prefill_stays_text(tmp_path: Path) -> None:
    item = form(SURVEY)
    data = render_form_xlsx(item, {"prefecture": "=1+1", "suishin_area": '=HYPERLINK("x")'})
    workbook = _load(data)
    cells = _named_cells(workbook)
    for name, value in (("prefecture", "=1+1"), ("suishin_area", '=HYPERLINK("x")')):
        assert cells[name].data_type == "s" and cells[name].value == value
        assert cells[name].quotePrefix
    assert not [c for row in workbook.active.iter_rows() for c in row if c.data_type == "f"]
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    (result,) = libreoffice_convert([path], tmp_path)
    needs(result)
    assert result.ok, result.detail
    text = pdftotext_text(tmp_path / "hostile.pdf")
    assert "=1+1" in text and '=HYPERLINK("x")' in text


def test_print_setup_is_a4_fitted_to_width() -> None:
    sheet = _load(render_form_xlsx(form(KUIKI))).active
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert sheet.page_setup.orientation == "portrait"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_area.endswith(f"$I${sheet.max_row}")


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_libreoffice_converts_and_validator_is_clean(tmp_path: Path, form_id: str) -> None:
    path = tmp_path / f"{form_id}.xlsx"
    path.write_bytes(render_form_xlsx(form(form_id), HYOGO[form_id]))
    (converted,) = libreoffice_convert([path], tmp_path / "pdf")
    needs(converted)
    assert converted.ok, converted.detail
    text = pdftotext_text(tmp_path / "pdf" / f"{form_id}.pdf")
    compact = re.sub(r"\s+", "", text)
    assert form(form_id).header.title.replace("\u3000", "") in compact
    assert "兵庫県" in compact and "東播磨" in compact
    validated = needs(ooxml_validate(path))
    assert validated.ok, validated.detail
