"""The national summary of ingested returns: one .xlsx, one row per area.

:func:`render_summary_xlsx` takes the :class:`builder.forms.returns.ingest.Return` of every
ingested file and writes:

* sheet 「受付状況」: one row per file, in the order given — file, sha256, status
  (受理 / 要確認 / 不受理), form, version, prefecture, areas and the problems or the
  reason for refusal;
* one sheet per form returned (named after the form's title): one row per area — a
  return about 「東播磨、中播磨」 gives two rows — sorted by prefecture code, then area,
  then file; columns 都道府県, 構想区域, 状態, ファイル, then every field of the form in
  reading order (headed by its label), computed
  cells included. Counts are numbers (so a column can be summed), everything else is
  text that can never become a formula.

Every text cell is shown without control characters (which a spreadsheet cannot hold;
:func:`builder.forms.returns.ingest.without_controls` — the return lists the value as a problem
and its record keeps it as read). A value longer than a cell holds
(:data:`builder.forms.returns.ingest.MAX_CELL_CHARACTERS`, also a problem of its return) is never
cut: its cell says how long it is and that the record holds it. Only the status sheet's
list of problems, which quotes values, is cut when it would not fit, and then says so.

The file is byte-reproducible (:func:`builder.formats.reproducible.normalize_ooxml`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from builder.engine.tabular import FORMULA_PREFIXES
from builder.formats.reproducible import normalize_ooxml
from builder.forms.returns.ingest import MAX_CELL_CHARACTERS, Return, without_controls
from builder.japanese import prefecture_code
from builder.model.form import Form

__all__ = ["STATUS_LABELS", "render_summary_xlsx"]

STATUS_LABELS: Final = {"ok": "受理", "problems": "要確認", "refused": "不受理"}
_FONT: Final = Font(name="IPAexGothic", size=10)
_HEAD_FONT: Final = Font(name="IPAexGothic", size=10, bold=True)
_HEAD_FILL: Final = PatternFill("solid", fgColor="DDDDDD")
_WRAP: Final = Alignment(vertical="top", wrap_text=True)
_FIXED: Final = ("都道府県", "構想区域", "状態", "ファイル")
_CUT: Final = "…（以下略。全文は記録にあります）"


def render_summary_xlsx(returns: Sequence[Return]) -> bytes:
    """The summary workbook of ``returns`` as bytes."""
    workbook = Workbook()
    status = workbook.active
    assert status is not None
    status.title = "受付状況"
    _status_sheet(status, returns)
    forms: dict[str, Form] = {}
    for result in returns:
        if result.form is not None:
            forms.setdefault(result.form.id, result.form)
    for form_id in sorted(forms):
        form = forms[form_id]
        sheet = workbook.create_sheet(_sheet_title(form.title, workbook.sheetnames))
        _form_sheet(
            sheet, form, [r for r in returns if r.form is not None and r.form.id == form_id]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalize_ooxml(buffer.getvalue(), title="受付状況の集計", subject="notices ingest")


def _status_sheet(sheet: Worksheet, returns: Sequence[Return]) -> None:
    heads = (
        "ファイル",
        "sha256",
        "状態",
        "様式",
        "版",
        "都道府県",
        "構想区域",
        "問題・不受理の理由",
    )
    _header(sheet, heads, (28, 18, 8, 24, 12, 10, 20, 80))
    for number, result in enumerate(returns, start=2):
        form = result.form
        row = (
            result.path.name,
            result.sha256,
            STATUS_LABELS[result.status],
            form.id if form else "",
            form.version if form else "",
            result.prefecture,
            "、".join(result.areas),
            "\n".join(result.problems),
        )
        for column, value in enumerate(row, start=1):
            _text(sheet.cell(number, column), value, cut=True)


def _form_sheet(sheet: Worksheet, form: Form, returns: Sequence[Return]) -> None:
    roles = {f.id for f in (form.role_field("prefecture"), form.role_field("areas")) if f}
    fields = [f for f in form.fields() if f.id not in roles]
    heads = (*_FIXED, *(f.label for f in fields))
    _header(sheet, heads, (10, 16, 8, 24, *(_width(f.kind) for f in fields)))
    rows = []
    for result in returns:
        for area in result.areas or ("",):
            rows.append((_prefecture_order(result.prefecture), area, result.path.name, result))
    rows.sort(key=lambda row: row[:3])
    for number, (_, area, _, result) in enumerate(rows, start=2):
        fixed = (result.prefecture, area, STATUS_LABELS[result.status], result.path.name)
        for column, value in enumerate(fixed, start=1):
            _text(sheet.cell(number, column), value)
        for column, item in enumerate(fields, start=len(_FIXED) + 1):
            value = result.values.get(item.id, "")
            cell = sheet.cell(number, column)
            if item.kind in ("count", "computed") and _is_integer(value):
                cell.value = int(value)
                cell.font = _FONT
            else:
                _text(cell, value)


def _header(sheet: Worksheet, heads: Sequence[str], widths: Sequence[int]) -> None:
    for column, (head, width) in enumerate(zip(heads, widths, strict=True), start=1):
        cell = sheet.cell(1, column)
        _text(cell, head)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}1"


def _text(cell: Cell | MergedCell, value: str, *, cut: bool = False) -> None:
    """A string cell, never a formula (text starting with = + - @ gets the quote prefix),
    without control characters; a value longer than a cell holds is replaced by a note
    (or, with ``cut``, cut with a note saying so)."""
    value = without_controls(value)
    if len(value) > MAX_CELL_CHARACTERS:
        if cut:
            value = value[: MAX_CELL_CHARACTERS - len(_CUT)] + _CUT
        else:
            value = f"（{len(value):,}字：セルに入らないため記録を参照）"
    if value:
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)
    cell.font = _FONT
    cell.alignment = _WRAP


def _is_integer(value: str) -> bool:
    return value.lstrip("-").isdigit() and value.isascii()


def _width(kind: str) -> int:
    return {"multiline": 40, "text": 20, "date": 12}.get(kind, 10)


def _prefecture_order(name: str) -> int:
    try:
        return prefecture_code(name)
    except ValueError:
        return 99


def _sheet_title(title: str, taken: Sequence[str]) -> str:
    """``title`` as a sheet name: at most 31 characters, none of []:*?/\\, unique."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title)[:28] or "様式"
    candidate, number = cleaned, 2
    while candidate in taken:
        candidate, number = f"{cleaned[:26]}_{number}", number + 1
    return candidate
