"""`notices ingest`: returns filled as a user would, in each format, come back as records
equal to what was filled; bad values are reported, tampered and unknown files refused,
records never overwritten, and the national summary has one row per area.

Filling as a user would: openpyxl cell values, editing the .docx content controls, pypdf
(see tests/forms/test_forms_common.py), and once more after LibreOffice opened and saved the
.xlsx/.docx (it rewrites the whole package and stores calculated values)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml
from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject

from builder.cli.main import main
from builder.forms import computed_values, render_form_pdf
from builder.forms.returns.ingest import Return, read_return, read_returns, write_record
from builder.forms.returns.summary import render_summary_xlsx
from tests.conftest import ROOT
from tests.forms.test_forms_common import (
    FILLERS,
    GUNMA,
    HYOGO,
    KUIKI,
    SURVEY,
    WRITERS,
    form,
    forms,
    full_filling,
    libreoffice_resave,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _filled(
    tmp_path: Path, form_id: str, suffix: str, values: dict[str, str], prefill: dict[str, str]
) -> Path:
    path = tmp_path / f"{form_id}-{len(list(tmp_path.iterdir()))}.{suffix}"
    path.write_bytes(WRITERS[suffix](form(form_id), prefill))
    typed = {k: v for k, v in values.items() if k not in prefill and v}  # blank: left alone
    FILLERS[suffix](path, form(form_id), typed)
    return path


def _expected(form_id: str, values: dict[str, str]) -> dict[str, str]:
    item = form(form_id)
    inputs = {f.id: values.get(f.id, "") for f in item.inputs()}
    computed = {f.id: "" for f in item.fields() if f.kind == "computed"}
    return {**inputs, **computed, **computed_values(item, inputs)}


def _hyogo(form_id: str) -> dict[str, str]:
    return {**full_filling(form(form_id)), **HYOGO[form_id]}


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
def test_gunma_survey_ingests_as_the_seed_says(tmp_path: Path, suffix: str) -> None:
    path = _filled(tmp_path, SURVEY, suffix, GUNMA, {})
    result = read_return(path, forms())
    assert (result.status, result.problems) == ("ok", ())
    assert result.values == GUNMA
    assert (result.prefecture, result.areas) == ("群馬県", ("藤岡構想区域",))


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
def test_prefilled_kuiki_ingests_every_value_and_the_differences(
    tmp_path: Path, suffix: str
) -> None:
    values = _hyogo(KUIKI)
    path = _filled(tmp_path, KUIKI, suffix, values, HYOGO[KUIKI])
    result = read_return(path, forms())
    assert (result.status, result.problems) == ("ok", ())
    assert result.values == _expected(KUIKI, values)
    assert result.values["beds_acute_c_minus_a"] == str(
        int(values["beds_acute_c"]) - int(values["beds_acute_a"])
    )


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize("form_id", [KUIKI, SURVEY])
def test_libreoffice_saved_returns_are_not_taken_for_tampered(
    tmp_path: Path, form_id: str, suffix: str
) -> None:
    values = _hyogo(form_id)
    path = _filled(tmp_path, form_id, suffix, values, HYOGO[form_id])
    saved = libreoffice_resave(path, tmp_path / "saved")
    result = read_return(saved, forms())
    assert (result.status, result.problems) == ("ok", ())
    assert result.values == _expected(form_id, values)


def test_libreoffice_calculated_differences_are_checked(tmp_path: Path) -> None:
    """LibreOffice stores the computed cells' values; they agree with the inputs."""
    values = _hyogo(KUIKI)
    saved = libreoffice_resave(
        _filled(tmp_path, KUIKI, "xlsx", values, HYOGO[KUIKI]), tmp_path / "s"
    )
    with zipfile.ZipFile(saved) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    shown = re.findall(r"<f[^>]*>[^<]*COUNT[^<]*</f><v>(-?\d+)</v>", sheet)
    assert len(shown) == 8  # 4 rows × (C)-(A), (C)-(B), as LibreOffice calculated them
    assert read_return(saved, forms()).status == "ok"


# --------------------------------------------------------------------------- values


def test_blank_required_fields_and_conditions_are_reported(tmp_path: Path) -> None:
    values = {**GUNMA, "suishin_reason_detail": "", "suishin_area": ""}
    path = _filled(tmp_path, SURVEY, "pdf", values, {})
    result = read_return(path, forms())
    assert result.status == "problems"
    assert result.problems == (
        "検討されている推進区域（仮称） (suishin_area): required, but blank; ask the prefecture to fill it in",
        "上記④の具体的な理由 (suishin_reason_detail): required because 推進区域（仮称）を選定する理由 includes ④, but blank",
    )


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
def test_bad_values_are_reported_and_kept_as_typed(tmp_path: Path, suffix: str) -> None:
    values = {**_hyogo(KUIKI), "beds_acute_a": "1200000", "adopted_on": ""}
    path = _filled(tmp_path, KUIKI, suffix, values, HYOGO[KUIKI])
    result = read_return(path, forms())
    assert result.status == "problems"
    assert result.problems == (
        "策定日 (adopted_on): required, but blank; ask the prefecture to fill it in",
        "急性期・2023年度病床機能報告 (A) (beds_acute_a): 1200000 is more than 200,000; check for a typing slip",
    )
    assert result.values["beds_acute_a"] == "1200000"


def test_a_count_that_is_not_a_number_is_reported(tmp_path: Path) -> None:
    path = _filled(tmp_path, KUIKI, "pdf", {**_hyogo(KUIKI), "beds_acute_b": "約百"}, HYOGO[KUIKI])
    result = read_return(path, forms())
    assert result.problems == (
        "beds_acute_b (急性期・2025年の予定病床数 (B)※): 「約百」 is not a whole number of 0 or more; correct it in the return",
    )
    assert result.values["beds_acute_b"] == "約百"
    assert result.values["beds_acute_c_minus_b"] == ""


def test_a_prefecture_that_is_not_one_is_reported(tmp_path: Path) -> None:
    path = _filled(tmp_path, SURVEY, "docx", {**GUNMA, "prefecture": "群馬"}, {})
    assert read_return(path, forms()).problems == (
        "都道府県名 (prefecture): 「群馬」 is not the official name of a prefecture (e.g. 兵庫県)",
    )


def test_a_stale_calculated_value_in_an_xlsx_is_reported(tmp_path: Path) -> None:
    values = _hyogo(KUIKI)
    path = _filled(tmp_path, KUIKI, "xlsx", values, HYOGO[KUIKI])
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, count = re.subn(
        r"(<f>IF\(COUNT[^<]*</f>)(<v>[^<]*</v>)?", r"\g<1><v>999</v>", sheet, count=1
    )
    assert count == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    expected = int(values["beds_high_acute_c"]) - int(values["beds_high_acute_a"])
    assert read_return(path, forms()).problems == (
        f"高度急性期・差し引き (C)-(A) (beds_high_acute_c_minus_a): shows 999, but "
        f"{values['beds_high_acute_c']} − {values['beds_high_acute_a']} = {expected}; the file's "
        "calculation is stale or was overwritten",
    )


def test_a_computed_pdf_field_that_disagrees_is_reported(tmp_path: Path) -> None:
    values = _hyogo(KUIKI)
    path = _filled(tmp_path, KUIKI, "pdf", values, HYOGO[KUIKI])
    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        writer.update_page_form_field_values(
            page, {"beds_chronic_c_minus_b": "7"}, auto_regenerate=False
        )
    writer.write(path)
    (problem,) = read_return(path, forms()).problems
    assert problem.startswith("慢性期・差し引き (C)-(B) (beds_chronic_c_minus_b): shows 7, but ")


# --------------------------------------------------------------------------- tampering


def _tampered_xlsx(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def _relabel(workbook: openpyxl.Workbook) -> None:
    sheet = workbook.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "【推進区域（仮称）】":
                cell.value = "【推進区域】"
                return
    raise AssertionError("heading not found")


def _unname(workbook: openpyxl.Workbook) -> None:
    del workbook.defined_names["model_reason"]


def _overwrite_formula(workbook: openpyxl.Workbook) -> None:
    for row in workbook.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=IF(COUNT("):
                cell.value = 5
                return
    raise AssertionError("no formula")


@pytest.mark.parametrize(
    ("form_id", "change", "shown"),
    [
        (SURVEY, _relabel, "missing: 推進区域（仮称）及びモデル推進区域（仮称）について!A"),
        (SURVEY, _unname, "missing: input model_reason at"),
        (KUIKI, _overwrite_formula, "=IF(COUNT("),
    ],
)
def test_a_tampered_xlsx_is_refused(
    tmp_path: Path, form_id: str, change: Callable[..., None], shown: str
) -> None:
    path = _filled(tmp_path, form_id, "xlsx", _hyogo(form_id), {})
    _tampered_xlsx(path, change)
    result = read_return(path, forms())
    assert result.status == "refused"
    (message,) = result.problems
    assert "its structure differs from the blank" in message and shown in message, message
    assert message.endswith("Ask the prefecture to fill in a fresh copy of the form")


def _edit_docx(path: Path, change: Callable[[etree._Element], None]) -> Path:
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    change(root)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _drop_control(root: etree._Element) -> None:
    for sdt in root.iter(f"{_W}sdt"):
        tag = sdt.find(f"{_W}sdtPr/{_W}tag")
        if tag is not None and tag.get(f"{_W}val") == "model_area":
            sdt.getparent().remove(sdt)
            return
    raise AssertionError("control not found")


def _reword(root: etree._Element) -> None:
    for text in root.iter(f"{_W}t"):
        if text.text and "区域を選定する理由" in text.text:
            text.text = text.text.replace("区域を選定する理由", "区域の理由")
            return
    raise AssertionError("text not found")


@pytest.mark.parametrize(
    ("change", "shown"),
    [(_drop_control, "missing: input model_area"), (_reword, "not in the form: ")],
)
def test_a_tampered_docx_is_refused(
    tmp_path: Path, change: Callable[..., None], shown: str
) -> None:
    path = _edit_docx(_filled(tmp_path, SURVEY, "docx", GUNMA, {}), change)
    (message,) = read_return(path, forms()).problems
    assert "its structure differs" in message and shown in message, message


def test_a_pdf_with_a_field_removed_is_refused(tmp_path: Path) -> None:
    path = _filled(tmp_path, SURVEY, "pdf", GUNMA, {})
    writer = PdfWriter(clone_from=PdfReader(path))
    fields = writer._root_object["/AcroForm"]["/Fields"]
    kept = [f for f in fields if f.get_object().get("/T") != "model_area"]
    writer._root_object["/AcroForm"][NameObject("/Fields")] = ArrayObject(kept)
    writer.write(path)
    (message,) = read_return(path, forms()).problems
    assert "missing: field model_area /Tx" in message, message


# --------------------------------------------------------------------------- unknown files


def test_unknown_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    import docx

    plain = tmp_path / "letter.docx"
    docx.Document().save(str(plain))
    other = tmp_path / "other.pdf"
    other.write_bytes(render_form_pdf(form(SURVEY)))
    writer = PdfWriter(clone_from=PdfReader(other))
    for field in writer._root_object["/AcroForm"]["/Fields"]:
        if field.get_object().get("/T") == "_form_id":
            field.get_object()[NameObject("/V")] = TextStringObject("suishin-kuiki-xxxxx")
    writer.write(other)
    text = tmp_path / "memo.txt"
    text.write_text("x", encoding="utf-8")
    results = read_returns([plain, other, text, tmp_path / "absent.xlsx", tmp_path], forms())
    assert [r.problems[0] for r in results] == [
        "letter.docx: no form id or version inside; it was not made by this project (send the prefecture the form from `notices forms`)",
        "other.pdf: form 「suishin-kuiki-xxxxx」 is not defined (known: kuiki-taio-hoshin, suishin-kuiki-chosa)",
        "memo.txt: not an .xlsx, .docx or .pdf file",
        "absent.xlsx: cannot be read (No such file or directory)",
        f"{tmp_path.name}: is a folder, not a regular file; refused unread",
    ]


def test_a_return_of_another_version_is_refused(tmp_path: Path) -> None:
    path = _filled(tmp_path, SURVEY, "xlsx", GUNMA, {})
    older = dict(forms())
    older[SURVEY] = type(form(SURVEY))(**{**form(SURVEY).__dict__, "version": "2024-04"})
    (message,) = read_return(path, older).problems
    assert (
        "made from suishin-kuiki-chosa version 2024-05, but the definition is version 2024-04"
        in message
    )


# --------------------------------------------------------------------------- records


def test_records_are_never_overwritten_and_load_back(tmp_path: Path) -> None:
    path = _filled(tmp_path, SURVEY, "xlsx", GUNMA, {})
    result = read_return(path, forms())
    folder = tmp_path / "records"
    first = write_record(result, folder, "json")
    second = write_record(result, folder, "json")
    third = write_record(result, folder, "yaml")
    assert [p.name for p in (first, second, third)] == [
        f"群馬県_suishin-kuiki-chosa_{path.name}.json",
        f"群馬県_suishin-kuiki-chosa_{path.name}_2.json",
        f"群馬県_suishin-kuiki-chosa_{path.name}.yaml",
    ]
    loaded = json.loads(first.read_text(encoding="utf-8"))
    assert loaded == yaml.safe_load(third.read_text(encoding="utf-8")) == result.record()
    assert loaded["values"] == GUNMA and loaded["areas"] == ["藤岡構想区域"]
    assert loaded["source"]["sha256"] == result.sha256
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in (first, second, third)
    )


def test_a_hostile_prefecture_cannot_steer_the_record_name(tmp_path: Path) -> None:
    path = _filled(tmp_path, SURVEY, "pdf", {**GUNMA, "prefecture": "../../etc/x"}, {})
    result = read_return(path, forms())
    target = write_record(result, tmp_path / "records")
    assert target.parent == tmp_path / "records"
    assert target.name.startswith("都道府県不明_suishin-kuiki-chosa_")


# --------------------------------------------------------------------------- summary


def test_summary_has_one_row_per_area_sorted_by_prefecture(tmp_path: Path) -> None:
    returns: list[Return] = []
    for prefecture, areas, suffix in (
        ("群馬県", "藤岡、前橋", "docx"),
        ("北海道", "南渡島", "pdf"),
    ):
        values = {**full_filling(form(KUIKI)), "prefecture": prefecture, "areas": areas}
        values["grand_design"] = '=HYPERLINK("http://x")'
        returns.append(read_return(_filled(tmp_path, KUIKI, suffix, values, {}), forms()))
    returns.append(read_return(_filled(tmp_path, SURVEY, "xlsx", GUNMA, {}), forms()))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 junk")
    returns.append(read_return(junk, forms()))
    path = tmp_path / "summary.xlsx"
    path.write_bytes(render_summary_xlsx(returns))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "受付状況",
        "区域対応方針（様式例）",
        "推進区域（仮称）及びモデル推進区域（仮称）について"[:28],
    ]
    status = [row[:3] for row in workbook["受付状況"].iter_rows(min_row=2, values_only=True)]
    assert [row[2] for row in status] == ["受理", "受理", "受理", "不受理"]
    kuiki = list(workbook["区域対応方針（様式例）"].iter_rows(values_only=True))
    assert kuiki[0][:5] == ("都道府県", "構想区域", "状態", "ファイル", "策定日")
    assert [row[:2] for row in kuiki[1:]] == [
        ("北海道", "南渡島"),
        ("群馬県", "前橋"),
        ("群馬県", "藤岡"),
    ]
    heads = list(kuiki[0])
    column = heads.index("高度急性期・差し引き (C)-(A)")
    assert all(isinstance(row[column], int) for row in kuiki[1:])
    design = workbook["区域対応方針（様式例）"].cell(
        2, heads.index("構想区域のグランドデザイン") + 1
    )
    assert design.data_type == "s" and design.value == '=HYPERLINK("http://x")'
    assert render_summary_xlsx(returns) == path.read_bytes()  # reproducible


# --------------------------------------------------------------------------- command line


def test_ingest_command_reads_what_it_can_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _filled(tmp_path, SURVEY, "docx", GUNMA, {})
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK not really")
    records, summary = tmp_path / "records", tmp_path / "out" / "summary.xlsx"
    argv = ["--root", str(ROOT), "ingest", str(good), str(bad), "--records", str(records)]
    assert main([*argv, "--summary", str(summary), "--format", "yaml"]) == 1
    out = capsys.readouterr()
    assert f"ok        {good}: suishin-kuiki-chosa 2024-05 docx 群馬県 藤岡構想区域 → " in out.out
    assert "refused   bad.xlsx: not a readable .xlsx package" in out.out
    assert "2 files: 1 ok, 0 with problems, 1 refused; summary" in out.out
    assert " / ingest: some files were refused or have problems" in out.err
    assert [p.suffix for p in records.iterdir()] == [".yaml"]
    assert summary.is_file()
    assert main(["--root", str(ROOT), "ingest", str(good), "--records", str(records)]) == 0
    assert len(list(records.iterdir())) == 2
