"""Form definitions (forms/*.yaml → builder.forms), their checks, prefill rules, and the
helpers the other test_forms_* modules share: the two real forms, 群馬県's answers to
the survey (seed 001), a complete filling of 区域対応方針, and how a user fills each
format (openpyxl cell values, editing the content controls of the .docx, pypdf)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

from builder.core.errors import NoticeError
from builder.forms import (
    Form,
    area_prefill,
    check_prefill,
    computed_values,
    load_form,
    load_forms,
    render_form_docx,
    render_form_pdf,
    render_form_xlsx,
)
from builder.forms.docx_xml_forms import CHECKED, UNCHECKED, W14
from builder.japanese import format_wareki
from builder.model.form import field_controls
from builder.sources.workspace import Workspace
from builder.verify.clients import CheckResult, missing_tool, write_fontconfig
from tests.conftest import ROOT

FORMS_DIR = ROOT / "forms"
KUIKI = "kuiki-taio-hoshin"
SURVEY = "suishin-kuiki-chosa"
HYOGO = {
    KUIKI: {"prefecture": "兵庫県", "areas": "東播磨"},
    SURVEY: {"prefecture": "兵庫県", "suishin_area": "東播磨"},
}

GUNMA_REASON = "国の推計によると、藤岡構想区域は県平均を上回るペースでの人口減少が予想されており、2020年から2040年にかけて、年少人口（0～14歳）は4割超、生産年齢人口（15～64歳）は3割超の人口減少が見込まれている。これによる疾病構造の変化や医療従事者の不足などを踏まえた、議論の加速が喫緊の課題である。加えて、本区域は埼玉県との県境に位置し、同県北部からの流入患者が多い。2021年の県調査によると、本区域の入院患者の26.4%が県外から流入している。現在、各医療機関の役割の明確化や相互連携の促進を図っているところであるが、こうした地域の特性を考慮した上で取組を進めるべきと考えている。県境をまたいだ地域における医療体制整備を進めるため、国による技術的支援及び財政的支援を絶好の機会と捉え、推進区域及びモデル推進区域に選定されることを目指すこととしたい。"
"""群馬県's answer in seed 001 (line 193, and line 203 word for word the same)."""

GUNMA = {
    "prefecture": "群馬県",
    "suishin_area": "藤岡構想区域",
    "suishin_reasons": "④",
    "suishin_reason_detail": GUNMA_REASON,
    "model_area": "藤岡構想区域",
    "model_reason": GUNMA_REASON,
}
"""群馬県's filled survey (seed 001); 都道府県名 is the one inferred field."""


@functools.cache
def forms() -> dict[str, Form]:
    return load_forms(FORMS_DIR)


def form(form_id: str) -> Form:
    return forms()[form_id]


def full_filling(item: Form) -> dict[str, str]:
    """A value for every input of ``item`` (the survey: 群馬県's answers), with two lines
    in multi-line fields, 〜 and ～ both, and a level-2 kanji (鬱)."""
    if item.id == SURVEY:
        return dict(GUNMA)
    values: dict[str, str] = {}
    for number, field in enumerate(item.inputs(), start=1):
        match field.kind:
            case "text":
                values[field.id] = f"項目{number}の記入（髙﨑）"
            case "multiline":
                values[field.id] = (
                    f"第{number}欄の一行目、0～14歳と0〜14歳。\n二行目：鬱蒼とした山間地域"
                )
            case "date":
                values[field.id] = dt.date(2025, 3, number % 28 + 1).isoformat()
            case "count":
                values[field.id] = str(100 + number)
            case "choice":
                values[field.id] = field.options[number % len(field.options)].value
            case "choices":
                values[field.id] = field.options[-1].value
    values["prefecture"] = "兵庫県"
    values["areas"] = "東播磨"
    return values


def needs(result: CheckResult) -> CheckResult:
    """Skip (never pass) when the check's tool is missing."""
    if result.skipped:
        pytest.skip(result.detail)
    return result


# --------------------------------------------------------------------------- filling


def fill_xlsx(path: Path, item: Form, values: dict[str, str]) -> None:
    """Fill like a user in a spreadsheet: type into the cells (found by their names)."""
    workbook = openpyxl.load_workbook(path)
    for field_id, value in values.items():
        field = item.field(field_id)
        for control in field_controls(field):
            name = workbook.defined_names[control.id]
            ((sheet, coordinate),) = list(name.destinations)
            cell = workbook[sheet][coordinate.replace("$", "")]
            if field.kind == "choices":
                assert control.option is not None
                chosen = field.options[control.option - 1].value in value.split("、")
                cell.value = "○" if chosen else None
            elif field.kind == "count":
                cell.value = int(value)
            elif field.kind == "date":
                cell.value = dt.date.fromisoformat(value)
            else:
                cell.value = value
    workbook.save(path)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def fill_docx(path: Path, item: Form, values: dict[str, str]) -> None:
    """Fill like Word does: set each content control's content (and its date, check
    state), dropping the placeholder mark."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    controls = {c.id: c for c in item.controls()}
    for sdt in root.iter(_w("sdt")):
        tag = sdt.find(f"{_w('sdtPr')}/{_w('tag')}")
        control = controls.get(tag.get(_w("val"))) if tag is not None else None
        if control is None or control.field.id not in values:
            continue
        value = values[control.field.id]
        properties = sdt.find(_w("sdtPr"))
        content = sdt.find(_w("sdtContent"))
        for mark in properties.findall(_w("showingPlcHdr")):
            properties.remove(mark)
        run = content.find(_w("r"))
        for extra in content.findall(_w("r"))[1:]:
            content.remove(extra)
        for child in list(run):
            if child.tag != _w("rPr"):
                run.remove(child)
        field = control.field
        if field.kind == "choices":
            assert control.option is not None
            chosen = field.options[control.option - 1].value in value.split("、")
            properties.find(f"{{{W14}}}checkbox/{{{W14}}}checked").set(
                f"{{{W14}}}val", "1" if chosen else "0"
            )
            lines = [CHECKED if chosen else UNCHECKED]
        elif field.kind == "date":
            date = dt.date.fromisoformat(value)
            properties.find(_w("date")).set(_w("fullDate"), f"{value}T00:00:00Z")
            lines = [format_wareki(date)]
        else:
            lines = value.split("\n")
        for index, line in enumerate(lines):
            if index:
                etree.SubElement(run, _w("br"))
            text = etree.SubElement(run, _w("t"))
            text.text = line
    parts["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def fill_pdf(path: Path, item: Form, values: dict[str, str]) -> None:
    """Fill like a program does (pypdf): text values by field name, check boxes /Yes."""
    writer = PdfWriter(clone_from=PdfReader(path))
    mapping: dict[str, str] = {}
    for field_id, value in values.items():
        field = item.field(field_id)
        for control in field_controls(field):
            if field.kind == "choices":
                assert control.option is not None
                chosen = field.options[control.option - 1].value in value.split("、")
                mapping[control.id] = "/Yes" if chosen else "/Off"
            elif field.kind == "date":
                mapping[control.id] = format_wareki(dt.date.fromisoformat(value))
            else:
                mapping[control.id] = value
    for page in writer.pages:
        writer.update_page_form_field_values(page, mapping, auto_regenerate=False)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())


def libreoffice_resave(source: Path, outdir: Path) -> Path:
    """Open ``source`` in LibreOffice and save it again in its own format (as a user of
    LibreOffice returns the form); skips when soffice is missing."""
    reason = missing_tool("soffice")
    if reason:
        pytest.skip(reason)
    work = Path(tempfile.mkdtemp(prefix="forms-soffice-"))
    try:
        env = dict(os.environ, FONTCONFIG_FILE=str(write_fontconfig(work / "fonts.conf")))
        outdir.mkdir(parents=True, exist_ok=True)
        command = [
            "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            source.suffix.lstrip("."),
            "--outdir",
            str(outdir),
            str(source),
        ]
        subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    saved = outdir / source.name
    assert saved.is_file(), f"LibreOffice did not save {source.name}"
    return saved


WRITERS: dict[str, Callable[..., bytes]] = {
    "xlsx": render_form_xlsx,
    "docx": render_form_docx,
    "pdf": render_form_pdf,
}
"""The form writers by format."""
FILLERS = {"xlsx": fill_xlsx, "docx": fill_docx, "pdf": fill_pdf}
"""How a user fills each format."""


# --------------------------------------------------------------------------- tests


def test_both_forms_load_with_versions_and_fields() -> None:
    kuiki, survey = form(KUIKI), form(SURVEY)
    assert (kuiki.title, kuiki.version) == ("区域対応方針（様式例）", "2024-07-31")
    assert (survey.title, survey.version) == (
        "推進区域（仮称）及びモデル推進区域（仮称）について",
        "2024-05",
    )
    assert [f.id for f in survey.inputs()] == list(GUNMA)
    assert [c.id for c in survey.controls()][2:6] == [f"suishin_reasons.{n}" for n in range(1, 5)]
    kinds = {f.kind for f in kuiki.fields()}
    assert kinds == {"text", "multiline", "date", "count", "choice", "computed"}
    assert {f.kind for f in survey.fields()} >= {"text", "multiline", "choices"}
    difference = kuiki.field("beds_acute_c_minus_a").formula
    assert difference is not None
    assert (difference.minuend, difference.subtrahend) == ("beds_acute_c", "beds_acute_a")
    assert computed_values(kuiki, {"beds_acute_c": "420", "beds_acute_a": "500"}) == {
        "beds_acute_c_minus_a": "-80"
    }


def test_verbatim_parts_of_kuiki_are_as_transcribed() -> None:
    kuiki = form(KUIKI)
    sections = {s.heading: s for s in kuiki.sections}
    table_item = next(i for i in sections["【2.現状と課題】"].items if i.label == "⑥")
    assert table_item.caption == "⑥各時点の機能別病床数" and not table_item.inferred
    grid = table_item.body
    assert [r.label for r in grid.rows] == ["高度急性期", "急性期", "回復期", "慢性期"]
    assert [c.label for c in grid.columns] == [
        "2015年病床数",
        "2023年度病床機能報告 (A)",
        "2025年の予定病床数 (B)※",
        "2025年病床数の必要量 (C)",
        "差し引き (C)-(A)",
        "差し引き (C)-(B)",
    ]
    assert (
        grid.note
        == "※ 病床機能報告における「2025年7月1日時点における病床の整備の予定」として報告された病床数の合計又は各医療機関における対応方針の予定病床数の合計"
    )
    third = sections["【3.今後の対応方針】"]
    assert third.note == "※2を踏まえた具体的な方針について記載" and not third.inferred
    assert [i.caption for i in third.items] == [
        "①構想区域における対応方針",
        "②「①構想区域における対応方針」を達成するための取組",
        "③必要量との乖離に対する取組",
        "④3.②及び③による取組の結果、想定される2025年の予定病床数",
    ]
    planned = third.items[3].body
    assert planned.columns[0].plain_label == "2025年の予定病床数（　　時点）"
    assert planned.heading_fields[0].kind == "date"
    inferred = [s.heading for s in kuiki.sections if s.inferred]
    assert inferred == ["【1.構想区域のグランドデザイン】", "【2.現状と課題】", "【4.工程表】"]
    assert all(s.provenance for s in kuiki.sections if s.inferred)
    assert kuiki.header.inferred and "RECONSTRUCTION" in kuiki.header.provenance


def test_form_files_are_accepted_by_the_project_loader(workspace: Workspace) -> None:
    assert {f.id for f in workspace.project.forms} >= {KUIKI, SURVEY}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\ntitle: 試験\nform:\n  version: '1'\n  header:\n    title: 試験\n" + body,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("  sections:\n    - heading: 【1】\n      itmes: []\n", ":9:14:", "unknown key 'itmes'"),
        (
            "  sections:\n    - heading: 【1】\n      items:\n        - field: {id: Bad-Id, label: あ, kind: text}\n",
            ":10:23:",
            "lower-case ASCII",
        ),
        (
            "  sections:\n    - heading: 【1】\n      items:\n        - field: {id: ab12, label: あ, kind: text}\n",
            ":10:23:",
            "cell reference",
        ),
        (
            "  sections:\n    - heading: 【1】\n      items:\n        - field: {id: a_x, label: あ, kind: text}\n        - field: {id: a_x, label: い, kind: text}\n",
            ":11:23:",
            "already used at",
        ),
        (
            "  sections:\n    - heading: 【１】\n      items:\n        - field: {id: a_x, label: あ, kind: text}\n",
            ":8:16:",
            "１",
        ),
        (
            "  sections:\n    - heading: 【1】\n      items:\n        - table:\n            id: t\n            rows: [{id: r, label: 行}]\n            columns:\n              - {id: a, label: A, kind: count}\n              - {id: d, label: D, kind: computed, formula: c - a}\n",
            ":15:60:",
            "「c」 is not a count column",
        ),
        (
            "  sections:\n    - heading: 【1】\n      items:\n        - field: {id: x_y, label: あ, kind: choice, options: [{value: あ}]}\n",
            ":10:61:",
            "at least two options",
        ),
        (
            "  sections:\n    - heading: 【1】\n      items:\n        - field: {id: x_y, label: あ, kind: multiline, when: {field: nothing, includes: ④}}\n",
            ":10:61:",
            "not a choice field",
        ),
    ],
)
def test_form_errors_name_file_line_and_column(
    tmp_path: Path, body: str, where: str, message: str
) -> None:
    with pytest.raises(NoticeError) as caught:
        load_form(_write(tmp_path, body))
    text = str(caught.value)
    assert where in text and message in text, text


def test_prefill_is_checked_and_normalised() -> None:
    kuiki, survey = form(KUIKI), form(SURVEY)
    assert check_prefill(kuiki, {"adopted_on": "令和７年３月２７日", "beds_acute_a": "１２０"}) == {
        "adopted_on": "2025-03-27",
        "beds_acute_a": "120",
    }
    assert check_prefill(survey, {"suishin_reasons": "④、①"}) == {"suishin_reasons": "①、④"}
    for bad in (
        {"nothing": "x"},
        {"beds_acute_a": "十"},
        {"beds_acute_c_minus_a": "1"},
        {"suishin_reasons": "⑤"},
    ):
        target = survey if "suishin_reasons" in bad else kuiki
        with pytest.raises(ValueError):
            check_prefill(target, bad)
    assert area_prefill(kuiki, "兵庫県", ["東播磨"]) == HYOGO[KUIKI]
    assert area_prefill(kuiki, "北海道", ["南渡島", "中空知"]) == {
        "prefecture": "北海道",
        "areas": "南渡島、中空知",
    }
    assert area_prefill(survey, "群馬県") == {"prefecture": "群馬県"}
    assert area_prefill(survey, "群馬県", ["藤岡構想区域"]) == {
        "prefecture": "群馬県",
        "suishin_area": "藤岡構想区域",
    }
    header = kuiki.header
    no_areas = dataclasses.replace(
        kuiki,
        header=dataclasses.replace(
            header, fields=tuple(f for f in header.fields if f.role != "areas")
        ),
    )
    with pytest.raises(ValueError, match="role: areas"):
        area_prefill(no_areas, "群馬県", ["藤岡"])
