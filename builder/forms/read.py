"""Read a filled form back: which form, which version, and every field's value.

:func:`read_form` takes an .xlsx, .docx or .pdf made by :mod:`builder.forms` and filled
by a user (in Excel, Word, LibreOffice, a PDF viewer, or a program) and returns
``(form_id, version, values)``, ``values`` holding every input field of the form
(``""`` when blank) in the conventions of :mod:`builder.forms.model` (dates ISO,
counts in ASCII digits, several-of values joined by 「、」). Computed cells are not
read: :func:`builder.forms.model.computed_values` gives them from the inputs.

Where each format keeps the identity and the values:

* .xlsx: custom properties ``form_id``/``form_version`` (else the hidden names
  ``_form_id``/``_form_version``); each control's cell by its defined name;
* .docx: custom properties ``form_id``/``form_version``; each content control by its
  ``w:tag``, or, when an editor dropped the tag (LibreOffice does), by the bookmark
  around it; a control showing its placeholder is blank; dates from ``w:fullDate``.
  Only innermost controls count (LibreOffice may wrap paragraphs holding controls in
  a block-level control of its own);
* .pdf: the hidden fields ``_form_id``/``_form_version`` (else the document information
  ``/FormId``/``/FormVersion``); each field by its full name (``/T``), check boxes as
  ``<field id>.<n>``, on when their value is not ``/Off``.

The form definition (``forms/<id>.yaml``) says which controls exist and what kind each
is; a file made from another version of the form is refused (:class:`FormReadError`).
A value that breaks its field's rule (a count of 「十」) is returned as typed, trimmed.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree as ET

from openpyxl import load_workbook
from pypdf import PdfReader

from builder.forms.docx_xml_forms import CHECKED, W14
from builder.forms.load import load_forms
from builder.forms.model import CHOICES_SEPARATOR, Form, field_controls
from builder.forms.pdf import FORM_ID_FIELD, FORM_VERSION_FIELD
from builder.forms.prefill import normalize_value
from builder.forms.xlsx import FORM_ID_NAME, FORM_VERSION_NAME

__all__ = ["DEFAULT_FORMS_DIR", "FormReadError", "read_form"]

DEFAULT_FORMS_DIR: Final = Path(__file__).resolve().parents[2] / "forms"
"""The project's ``forms/`` folder, where form definitions are looked up by id."""

_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CUSTOM: Final = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT: Final = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_BLANK: Final = " \u3000\t\r\n"

Raw = dict[str, str]
"""Control id → text as found (check boxes: "1" when on, "" when off)."""


class FormReadError(ValueError):
    """The file is not a form this project made, or its form/version is unknown."""


def read_form(
    path: str | Path, forms: Mapping[str, Form] | None = None
) -> tuple[str, str, dict[str, str]]:
    """``(form_id, version, values)`` of a filled form file (.xlsx, .docx or .pdf).

    ``forms`` maps form ids to definitions; by default the files in
    :data:`DEFAULT_FORMS_DIR` are loaded.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix == ".xlsx":
        form_id, version, raw = _read_xlsx(source)
    elif suffix == ".docx":
        form_id, version, raw = _read_docx(source)
    elif suffix == ".pdf":
        form_id, version, raw = _read_pdf(source)
    else:
        raise FormReadError(f"{source.name}: not an .xlsx, .docx or .pdf file")
    if not form_id or not version:
        raise FormReadError(f"{source.name}: no form id or version; not made by builder.forms")
    known = forms if forms is not None else load_forms(DEFAULT_FORMS_DIR)
    form = known.get(form_id)
    if form is None:
        raise FormReadError(
            f"{source.name}: form 「{form_id}」 is not defined ({', '.join(known)})"
        )
    if form.version != version:
        raise FormReadError(
            f"{source.name}: made from {form_id} version {version}, but the definition is "
            f"version {form.version}; read it with the definition of that version"
        )
    return form_id, version, _values(form, raw)


def _values(form: Form, raw: Raw) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in form.inputs():
        if field.kind == "choices":
            chosen = [
                field.options[c.option - 1].value
                for c in field_controls(field)
                if c.option is not None and raw.get(c.id)
            ]
            values[field.id] = CHOICES_SEPARATOR.join(chosen)
            continue
        text = raw.get(field.id, "").strip(_BLANK)
        try:
            values[field.id] = normalize_value(field, text) if text else ""
        except ValueError:
            values[field.id] = text
    return values


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(path: Path) -> tuple[str, str, Raw]:
    workbook = load_workbook(path)
    properties = {p.name: str(p.value) for p in workbook.custom_doc_props}  # type: ignore[attr-defined]
    names = workbook.defined_names
    form_id = properties.get("form_id") or _constant(names.get(FORM_ID_NAME))
    version = properties.get("form_version") or _constant(names.get(FORM_VERSION_NAME))
    raw: Raw = {}
    for name, defined in names.items():
        if name.startswith("_"):
            continue
        for sheet_name, coordinate in defined.destinations:
            cell = workbook[sheet_name][coordinate.replace("$", "")]
            raw[name] = _cell_text(cell.value)
    return form_id, version, raw


def _constant(defined: Any) -> str:
    text = str(defined.attr_text) if defined is not None else ""
    return text.strip('"')


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- docx


def _read_docx(path: Path) -> tuple[str, str, Raw]:
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        document = ET.fromstring(package.read("word/document.xml"))
        properties: dict[str, str] = {}
        if "docProps/custom.xml" in names:
            custom = ET.fromstring(package.read("docProps/custom.xml"))
            for item in custom.iter(f"{{{_CUSTOM}}}property"):
                properties[item.get("name", "")] = "".join(item.itertext())
    raw: Raw = {}
    for parent in document.iter():
        previous = None
        for child in parent:
            if child.tag == _w("sdt") and child.find(f".//{_w('sdt')}") is None:
                control_id = _control_id(child, previous)
                if control_id and control_id not in raw:
                    raw[control_id] = _sdt_value(child)
            previous = child
    return properties.get("form_id", ""), properties.get("form_version", ""), raw


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _control_id(sdt: ET.Element, previous: ET.Element | None) -> str:
    """The control's id: its ``w:tag``, else the bookmark just before it or at the start
    of its content."""
    tag = sdt.find(f"{_w('sdtPr')}/{_w('tag')}")
    if tag is not None and tag.get(_w("val")):
        return str(tag.get(_w("val")))
    candidates = [previous]
    content = sdt.find(_w("sdtContent"))
    if content is not None:
        candidates += list(content.iter(_w("bookmarkStart")))[:1]
    for candidate in candidates:
        if candidate is not None and candidate.tag == _w("bookmarkStart"):
            return str(candidate.get(_w("name"), "")).replace("__", ".")
    return ""


def _sdt_value(sdt: ET.Element) -> str:
    properties = sdt.find(_w("sdtPr"))
    content = sdt.find(_w("sdtContent"))
    text = _text(content) if content is not None else ""
    if properties is None:
        return text
    checkbox = properties.find(f"{{{W14}}}checkbox")
    if checkbox is not None:
        checked = checkbox.find(f"{{{W14}}}checked")
        if checked is not None:
            return "1" if checked.get(f"{{{W14}}}val") in ("1", "true") else ""
        return "1" if CHECKED in text else ""
    if properties.find(_w("showingPlcHdr")) is not None:
        return ""
    date = properties.find(_w("date"))
    if date is not None and date.get(_w("fullDate")):
        return str(date.get(_w("fullDate")))[:10]
    return text


def _text(element: ET.Element) -> str:
    """The text of runs under ``element``: ``w:br`` and paragraph ends as line breaks."""
    paragraphs = element.findall(f".//{_w('p')}") or [element]
    lines = []
    for paragraph in paragraphs:
        parts = []
        for node in paragraph.iter():
            if node.tag == _w("t"):
                parts.append(node.text or "")
            elif node.tag == _w("tab"):
                parts.append("\t")
            elif node.tag in (_w("br"), _w("cr")):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


# --------------------------------------------------------------------------- pdf


def _read_pdf(path: Path) -> tuple[str, str, Raw]:
    reader = PdfReader(path)
    fields = reader.get_fields() or {}
    raw: Raw = {}
    for name, field in fields.items():
        value = field.get("/V")
        if field.get("/FT") == "/Btn":
            raw[name] = "1" if value is not None and str(value) != "/Off" else ""
        elif value is not None:
            raw[name] = str(value)
    metadata: Mapping[str, Any] = reader.metadata or {}
    form_id = raw.pop(FORM_ID_FIELD, "") or str(metadata.get("/FormId", ""))
    version = raw.pop(FORM_VERSION_FIELD, "") or str(metadata.get("/FormVersion", ""))
    return form_id, version, raw
