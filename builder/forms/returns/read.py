"""Read a filled form back: which form, which version, and every field's value.

:func:`read_form` takes an .xlsx, .docx or .pdf made by :mod:`builder.forms` and filled
by a user (in Excel, Word, LibreOffice, a PDF viewer, or a program) and returns
``(form_id, version, values)``, ``values`` holding every input field of the form
(``""`` when blank) in the conventions of :mod:`builder.model.form` (dates ISO,
counts in ASCII digits, several-of values joined by 「、」). Computed cells are not
read: :func:`builder.model.form.computed_values` gives them from the inputs.

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

:func:`open_form_file` is the lower layer :mod:`builder.forms.returns.ingest` uses: it returns a
:class:`FormFile` with the raw control values, the values the file *shows* in computed
cells, and the file's **layout** (its fixed texts, formulas and controls, one line
each), which :mod:`builder.forms.returns.layout` compares with a fresh blank form to tell a
tampered file. It also lists what :mod:`builder.forms.returns.integrity` checks beyond the
layout: which inputs the file marks read-only (a prefilled copy locks 都道府県 and 構想区域:
a PDF field's ``ReadOnly`` flag, an .xlsx cell's ``locked`` protection, a .docx
control's ``sdtContentLocked``), whether the sheet / document protection is still on,
the appearance a read-only PDF field draws, a digest of each PDF page's content stream
(whitespace runs collapsed) and the annotations drawn on it that are not fields, and
every piece of active content in a PDF (each action by type and script or target,
``/OpenAction``, ``/AA``, document JavaScript, embedded files, XFA), found by looking at
*every* object of the file, not only those a viewer is expected to reach.

XML is parsed with defusedxml (no DTD, no entities); the PDF field tree is walked with a
visited set and a depth limit, so a reference loop is refused. Hostile sizes are
:mod:`builder.forms.returns.guard`'s job, before any of this runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from builder.forms.docx_xml_forms import CHECKED, W14
from builder.forms.pdf import FORM_ID_FIELD, FORM_VERSION_FIELD
from builder.forms.prefill import normalize_value
from builder.forms.xlsx import FORM_ID_NAME, FORM_VERSION_NAME
from builder.model.form import CHOICES_SEPARATOR, Form, field_controls
from builder.sources.forms import load_forms

__all__ = [
    "DEFAULT_FORMS_DIR",
    "FORMATS",
    "FormFile",
    "FormReadError",
    "open_form_file",
    "read_form",
    "recognise",
]

DEFAULT_FORMS_DIR: Final = Path(__file__).resolve().parents[3] / "forms"
"""The project's ``forms/`` folder, where form definitions are looked up by id."""

FORMATS: Final = ("xlsx", "docx", "pdf")
"""The formats a return can come in (its file name's suffix, any case)."""

MAX_PDF_FIELDS: Final = 5000
"""More fields than any form of ours has (about 200); a file with more is refused."""
MAX_PDF_FIELD_DEPTH: Final = 16
"""Deeper than any field tree of ours (2 levels)."""

_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CUSTOM: Final = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_BLANK: Final = " \u3000\t\r\n"
_CONTENT_LOCKS: Final = ("sdtContentLocked", "contentLocked")
_READ_ONLY: Final = 1
"""Bit 1 of a PDF field's ``/Ff``."""
_ACTIONS: Final = frozenset(
    [
        "/GoTo",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/Launch",
        "/Thread",
        "/URI",
        "/Sound",
        "/Movie",
        "/Hide",
        "/Named",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/JavaScript",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/RichMediaExecute",
    ]
)
"""Every action type of ISO 32000-2 (12.6.4)."""
_ACTIVE_KEYS: Final = {
    "/OpenAction": "an /OpenAction (run when the file is opened)",
    "/JavaScript": "document-level JavaScript (/Names /JavaScript)",
    "/EmbeddedFiles": "embedded files (/Names /EmbeddedFiles)",
    "/XFA": "an XFA form (/AcroForm /XFA)",
}
_ACTIVE_ANNOTATIONS: Final = frozenset(
    ["/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"]
)
_SCAN_DEPTH: Final = 32
"""How deep inside one object the scan for active content looks (real objects: 3)."""
_DIFFERENCE: Final = re.compile(r'^=IF\(COUNT\((\$?[A-Z]+\$?\d+),(\$?[A-Z]+\$?\d+)\)=2,\1-\2,""\)$')

Raw = dict[str, str]
"""Control id → text as found (check boxes: "1" when on, "" when off)."""


class FormReadError(ValueError):
    """The file is not a form this project made, or its form/version is unknown."""


@dataclass(frozen=True)
class FormFile:
    """What a return holds, before it is matched with a form definition.

    ``raw``: control id → text (a .pdf's computed fields too, by field id, when a viewer
    stored a value); ``shown``: (minuend id, subtrahend id) → the value an .xlsx shows
    in the computed cell over those two inputs (kept only by a spreadsheet program that
    calculates); ``layout``: the fixed parts, one line each.

    For :mod:`builder.forms.returns.integrity`: ``locked``, the control ids the file marks
    read-only; ``protected``, whether the sheet / document protection is on (always
    True for a PDF); ``appearances``, a read-only PDF field's id → sha256 of the
    appearance it draws; ``pages``, one line per PDF page (its content's digest and the
    annotations on it that are not fields); ``active``, one line per piece of active
    content in a PDF."""

    format: str
    form_id: str
    version: str
    raw: Raw
    shown: dict[tuple[str, str], str] = field(default_factory=dict)
    layout: tuple[str, ...] = ()
    locked: frozenset[str] = frozenset()
    protected: bool = True
    appearances: dict[str, str] = field(default_factory=dict)
    pages: tuple[str, ...] = ()
    active: tuple[str, ...] = ()


def read_form(
    path: str | Path, forms: Mapping[str, Form] | None = None
) -> tuple[str, str, dict[str, str]]:
    """``(form_id, version, values)`` of a filled form file (.xlsx, .docx or .pdf).

    ``forms`` maps form ids to definitions; by default the files in
    :data:`DEFAULT_FORMS_DIR` are loaded.
    """
    source = Path(path)
    opened = open_form_file(source)
    form = recognise(source.name, opened, forms)
    return form.id, form.version, input_values(form, opened.raw)


def recognise(name: str, opened: FormFile, forms: Mapping[str, Form] | None = None) -> Form:
    """The definition ``opened`` was made from; :class:`FormReadError` saying why not."""
    if not opened.form_id or not opened.version:
        raise FormReadError(
            f"{name}: no form id or version inside; it was not made by this project "
            "(send the prefecture the form from `notices forms`)"
        )
    known = forms if forms is not None else load_forms(DEFAULT_FORMS_DIR)
    form = known.get(opened.form_id)
    if form is None:
        raise FormReadError(
            f"{name}: form 「{opened.form_id}」 is not defined (known: {', '.join(known)})"
        )
    if form.version != opened.version:
        raise FormReadError(
            f"{name}: made from {form.id} version {opened.version}, but the definition is "
            f"version {form.version}; read it with the definition of that version"
        )
    return form


def open_form_file(path: Path) -> FormFile:
    """The raw contents of ``path`` by its suffix; :class:`FormReadError` if unreadable."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FormReadError(f"{path.name}: not an .xlsx, .docx or .pdf file")
    try:
        if suffix == "xlsx":
            return _read_xlsx(path)
        if suffix == "docx":
            return _read_docx(path)
        return _read_pdf(path)
    except FormReadError:
        raise
    except (zipfile.BadZipFile, KeyError, SafeET.ParseError, DefusedXmlException) as exc:
        raise FormReadError(f"{path.name}: not a readable .{suffix} file ({exc})") from None


def input_values(form: Form, raw: Raw) -> dict[str, str]:
    """Every input field of ``form`` from the raw control values, normalised where the
    value follows its field's rule and as typed (trimmed) where it does not."""
    values: dict[str, str] = {}
    for item in form.inputs():
        if item.kind == "choices":
            chosen = [
                item.options[c.option - 1].value
                for c in field_controls(item)
                if c.option is not None and raw.get(c.id)
            ]
            values[item.id] = CHOICES_SEPARATOR.join(chosen)
            continue
        text = raw.get(item.id, "").strip(_BLANK)
        try:
            values[item.id] = normalize_value(item, text) if text else ""
        except ValueError:
            values[item.id] = text
    return values


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(path: Path) -> FormFile:
    workbook = load_workbook(path)
    cached = load_workbook(path, data_only=True)
    properties = {p.name: str(p.value) for p in workbook.custom_doc_props}  # type: ignore[attr-defined]
    names = workbook.defined_names
    form_id = properties.get("form_id") or _constant(names.get(FORM_ID_NAME))
    version = properties.get("form_version") or _constant(names.get(FORM_VERSION_NAME))
    raw: Raw = {}
    named: dict[str, str] = {}
    layout: list[str] = []
    locked: set[str] = set()
    for name, defined in sorted(names.items()):
        if name.startswith("_"):
            continue
        for sheet_name, coordinate in defined.destinations:
            if sheet_name not in workbook.sheetnames:
                raise FormReadError(f"{path.name}: name {name} points at a missing sheet")
            where = f"{sheet_name}!{coordinate.replace('$', '')}"
            cell = workbook[sheet_name][coordinate.replace("$", "")]
            raw[name] = _cell_text(cell.value)
            if cell.protection.locked:
                locked.add(name)
            named[where] = name
            layout.append(f"input {name} at {where}")
    differences: dict[tuple[str, str], str] = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}"
                if cell.value is None or where in named:
                    continue
                text = _cell_text(cell.value)
                layout.append(f"{where} {text}")
                match = _DIFFERENCE.match(text.replace(" ", ""))
                if match:
                    operands = tuple(
                        named.get(f"{sheet.title}!{m.replace('$', '')}", "") for m in match.groups()
                    )
                    value = cached[sheet.title][cell.coordinate].value
                    differences[(operands[0], operands[1])] = _cell_text(value)
    shown = {operands: value for operands, value in differences.items() if value}
    protected = all(bool(sheet.protection.sheet) for sheet in workbook.worksheets)
    return FormFile(
        "xlsx", form_id, version, raw, shown, tuple(layout), frozenset(locked), protected
    )


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


def _read_docx(path: Path) -> FormFile:
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        document = SafeET.fromstring(package.read("word/document.xml"))
        properties: dict[str, str] = {}
        if "docProps/custom.xml" in names:
            custom = SafeET.fromstring(package.read("docProps/custom.xml"))
            for item in custom.iter(f"{{{_CUSTOM}}}property"):
                properties[item.get("name", "")] = "".join(item.itertext())
        protected = False
        if "word/settings.xml" in names:
            settings = SafeET.fromstring(package.read("word/settings.xml"))
            protection = settings.find(_w("documentProtection"))
            protected = protection is not None and protection.get(_w("enforcement"), "") in (
                "1",
                "true",
                "on",
            )
    raw: Raw = {}
    layout: list[str] = []
    locked: set[str] = set()
    for parent in document.iter():
        previous = None
        for child in parent:
            if child.tag == _w("sdt") and child.find(f".//{_w('sdt')}") is None:
                control_id = _control_id(child, previous)
                if control_id and control_id not in raw:
                    raw[control_id] = _sdt_value(child)
                    layout.append(f"input {control_id}")
                    lock = child.find(f"{_w('sdtPr')}/{_w('lock')}")
                    if lock is not None and lock.get(_w("val")) in _CONTENT_LOCKS:
                        locked.add(control_id)
            previous = child
    for paragraph in document.iter(_w("p")):
        text = "".join(_fixed_text(paragraph)).translate({ord(c): None for c in _BLANK})
        if text:
            layout.append(text)
    return FormFile(
        "docx",
        properties.get("form_id", ""),
        properties.get("form_version", ""),
        raw,
        {},
        tuple(layout),
        frozenset(locked),
        protected,
    )


def _fixed_text(element: Element) -> Iterator[str]:
    """The text of ``element`` outside content controls (and outside nested paragraphs,
    which are read on their own)."""
    for child in element:
        if child.tag in (_w("sdt"), _w("p")):
            continue
        if child.tag == _w("t"):
            yield child.text or ""
        yield from _fixed_text(child)


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _control_id(sdt: Element, previous: Element | None) -> str:
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


def _sdt_value(sdt: Element) -> str:
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


def _text(element: Element) -> str:
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


def _read_pdf(path: Path) -> FormFile:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # a damaged file's repairs are not the reader's news
    try:
        return _read_pdf_fields(path)
    finally:
        logger.setLevel(level)


def _read_pdf_fields(path: Path) -> FormFile:
    reader = PdfReader(path)
    root = _resolve(reader.trailer.get("/Root"))
    acroform = _resolve(root.get("/AcroForm")) if isinstance(root, DictionaryObject) else None
    fields = _resolve(acroform.get("/Fields")) if isinstance(acroform, DictionaryObject) else None
    raw: Raw = {}
    layout: list[str] = [f"pages {len(reader.pages)}"]
    locked: set[str] = set()
    appearances: dict[str, str] = {}
    if isinstance(fields, ArrayObject):
        walker = _FieldWalker(path.name)
        for kid in fields:
            walker.walk(kid, "", "", 0, 0)
        for name, kind, value, flags, appearance in walker.found:
            layout.append(f"field {name} {kind}")
            if kind == "/Btn":
                raw[name] = "1" if value and value != "/Off" else ""
            elif value:
                raw[name] = value
            if flags & _READ_ONLY:
                locked.add(name)
                appearances[name] = appearance
    metadata: Mapping[str, Any] = reader.metadata or {}
    form_id = raw.pop(FORM_ID_FIELD, "") or str(metadata.get("/FormId", ""))
    version = raw.pop(FORM_VERSION_FIELD, "") or str(metadata.get("/FormVersion", ""))
    return FormFile(
        "pdf",
        form_id,
        version,
        raw,
        {},
        tuple(layout),
        frozenset(locked),
        True,
        appearances,
        tuple(_pdf_pages(reader)),
        tuple(sorted(_active_content(reader))),
    )


def _pdf_pages(reader: PdfReader) -> Iterator[str]:
    """One line per page: the sha256 of its content (whitespace runs collapsed, so a
    rewrite that only re-spaces or re-compresses it is the same) and the annotations on
    it that are not form fields (a note, a stamp, ink or text drawn over the form)."""
    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        digest = hashlib.sha256(b" ".join(data.split())).hexdigest()[:16]
        drawn = []
        annotations = _resolve(page.get("/Annots"))
        if isinstance(annotations, ArrayObject):
            for annotation in annotations:
                node = _resolve(annotation)
                subtype = str(node.get("/Subtype", "?")) if isinstance(node, dict) else "?"
                if subtype not in ("/Widget", "/Popup"):
                    drawn.append(subtype)
        yield f"page {number} content {digest} annotations {' '.join(sorted(drawn)) or '-'}"


def _active_content(reader: PdfReader) -> set[str]:
    """One line per piece of active content anywhere in the file (every object the
    cross-reference table lists, so none hides from a walk of the usual places)."""
    numbers: set[tuple[int, int]] = set()
    for generation, table in reader.xref.items():
        numbers.update((number, generation) for number in table)
    numbers.update((number, 0) for number in reader.xref_objStm)
    found: set[str] = set()
    for number, generation in sorted(numbers):
        value = reader.get_object(IndirectObject(number, generation, reader))
        _scan(value, found, 0)
    _scan(reader.trailer, found, 0)
    return found


def _scan(value: Any, found: set[str], depth: int) -> None:
    """Add the active content in ``value`` (not following references: each referenced
    object is scanned on its own) to ``found``."""
    if depth > _SCAN_DEPTH:
        return
    if isinstance(value, ArrayObject):
        for item in value:
            _scan(item, found, depth + 1)
        return
    if not isinstance(value, DictionaryObject):
        return
    owner = f"field {value['/T']}" if "/T" in value else str(value.get("/Type", "object"))
    kind = value.get("/S")
    if kind in _ACTIONS or "/JS" in value:
        found.add(f"action {kind}{_action_detail(value)}")
    for key, what in _ACTIVE_KEYS.items():
        if key in value:
            found.add(what)
    if "/AA" in value:
        triggers = _resolve(value["/AA"])
        keys = sorted(triggers) if isinstance(triggers, DictionaryObject) else ["?"]
        found.add(f"{owner} /AA {' '.join(keys)}")
    if "/A" in value:
        found.add(f"{owner} /A (an action when clicked)")
    if value.get("/Subtype") in _ACTIVE_ANNOTATIONS:
        found.add(f"annotation {value['/Subtype']}")
    for item in value.values():
        _scan(item, found, depth + 1)


def _action_detail(action: DictionaryObject) -> str:
    """The script, file or address an action runs or opens."""
    for key in ("/JS", "/F", "/URI", "/Win", "/N"):
        if key not in action:
            continue
        target = _resolve(action[key])
        if isinstance(target, StreamObject):
            text = target.get_data().decode("utf-8", "replace")
        elif isinstance(target, DictionaryObject):
            text = str(target.get("/F", target.get("/UF", "")))
        else:
            text = str(target)
        return f" {key} {' '.join(text.split())}"
    return ""


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


class _FieldWalker:
    """Walks an AcroForm field tree once, refusing loops, shared nodes, deep trees and
    more fields than a form of ours can have."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: set[tuple[int, int]] = set()
        self.found: list[tuple[str, str, str, int, str]] = []
        """(full name, field type, value, flags, sha256 of its normal appearance) of each
        terminal field, in tree order."""

    def walk(self, reference: Any, parent: str, kind: str, flags: int, depth: int) -> None:
        if depth > MAX_PDF_FIELD_DEPTH:
            raise FormReadError(f"{self.name}: form fields nested more than {depth} deep")
        if isinstance(reference, IndirectObject):
            key = (reference.idnum, reference.generation)
            if key in self.seen:
                raise FormReadError(
                    f"{self.name}: the form fields refer back to object {key[0]} "
                    "(a reference loop); the file is damaged or crafted"
                )
            self.seen.add(key)
        node = _resolve(reference)
        if not isinstance(node, DictionaryObject):
            return
        title = node.get("/T")
        name = f"{parent}.{title}" if parent and title is not None else str(title or parent)
        kind = str(node.get("/FT", kind))
        own_flags = _resolve(node.get("/Ff", flags))
        flags = own_flags if isinstance(own_flags, int) else 0
        kids = _resolve(node.get("/Kids"))
        named_kids = isinstance(kids, ArrayObject) and any(
            isinstance(_resolve(k), DictionaryObject) and "/T" in _resolve(k) for k in kids
        )
        if named_kids:
            for kid in kids:
                self.walk(kid, name, kind, flags, depth + 1)
            return
        if len(self.found) >= MAX_PDF_FIELDS:
            raise FormReadError(f"{self.name}: more than {MAX_PDF_FIELDS} form fields")
        value = _resolve(node.get("/V"))
        appearance = ""
        if flags & _READ_ONLY:
            looks = _resolve(node.get("/AP"))
            normal = _resolve(looks.get("/N")) if isinstance(looks, DictionaryObject) else None
            if isinstance(normal, StreamObject):
                appearance = hashlib.sha256(normal.get_data()).hexdigest()
        self.found.append((name, kind, "" if value is None else str(value), flags, appearance))
