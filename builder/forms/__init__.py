"""Fillable forms (様式) kept as data: the model, the loader, the writers and the reader.

A form is defined in ``forms/<id>.yaml`` (the project's keys ``id``, ``title``,
``provenance`` and one key ``form:`` with everything below; see
:mod:`builder.sources.form_schema` and :mod:`builder.sources.forms`). From one definition:

* :func:`render_form_xlsx`, :func:`render_form_docx`, :func:`render_form_pdf` write the
  fillable .xlsx / .docx / .pdf (bytes, byte-reproducible), ``prefill`` (field id →
  value) shown and not editable; :func:`area_prefill` builds a prefill for one
  prefecture and its areas;
* :func:`read_form` reads a filled file back: ``(form_id, version, values)``;
* :func:`form_print_lines`, :func:`form_print_flowables`, :func:`append_form_docx` give
  the blank form in print layout for a notice's 別添2 (text, PDF, Word).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.forms.docx import append_form_docx, render_form_docx
    from builder.forms.pdf import form_print_flowables, render_form_pdf
    from builder.forms.prefill import area_prefill, check_prefill, normalize_value
    from builder.forms.returns.read import FormReadError, read_form
    from builder.forms.text import form_print_lines
    from builder.forms.xlsx import render_form_xlsx
    from builder.model.form import Control, Field, Form, computed_values
    from builder.sources.forms import form_from_located, load_form, load_forms

_HOMES = {
    "append_form_docx": "builder.forms.docx",
    "render_form_docx": "builder.forms.docx",
    "form_from_located": "builder.sources.forms",
    "load_form": "builder.sources.forms",
    "load_forms": "builder.sources.forms",
    "Control": "builder.model.form",
    "Field": "builder.model.form",
    "Form": "builder.model.form",
    "computed_values": "builder.model.form",
    "form_print_flowables": "builder.forms.pdf",
    "render_form_pdf": "builder.forms.pdf",
    "area_prefill": "builder.forms.prefill",
    "check_prefill": "builder.forms.prefill",
    "normalize_value": "builder.forms.prefill",
    "FormReadError": "builder.forms.returns.read",
    "read_form": "builder.forms.returns.read",
    "form_print_lines": "builder.forms.text",
    "render_form_xlsx": "builder.forms.xlsx",
}
"""Where each name lives: a module is imported only when one of its names is used, so
that loading forms does not import python-docx, reportlab, openpyxl and pypdf."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "Control",
    "Field",
    "Form",
    "FormReadError",
    "append_form_docx",
    "area_prefill",
    "check_prefill",
    "computed_values",
    "form_from_located",
    "form_print_flowables",
    "form_print_lines",
    "load_form",
    "load_forms",
    "normalize_value",
    "read_form",
    "render_form_docx",
    "render_form_pdf",
    "render_form_xlsx",
]
