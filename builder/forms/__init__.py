"""Fillable forms (様式) kept as data: the model, the loader, the writers and the reader.

A form is defined in ``forms/<id>.yaml`` (the project's keys ``id``, ``title``,
``provenance`` and one key ``form:`` with everything below; see
:mod:`builder.forms.schema` and :mod:`builder.forms.load`). From one definition:

* :func:`render_form_xlsx`, :func:`render_form_docx`, :func:`render_form_pdf` write the
  fillable .xlsx / .docx / .pdf (bytes, byte-reproducible), ``prefill`` (field id →
  value) shown and not editable; :func:`area_prefill` builds a prefill for one
  prefecture and its areas;
* :func:`read_form` reads a filled file back: ``(form_id, version, values)``;
* :func:`form_print_lines`, :func:`form_print_flowables`, :func:`append_form_docx` give
  the blank form in print layout for a notice's 別添2 (text, PDF, Word).
"""

from builder.forms.docx import append_form_docx, render_form_docx
from builder.forms.load import form_from_located, load_form, load_forms
from builder.forms.model import Control, Field, Form, computed_values
from builder.forms.pdf import form_print_flowables, render_form_pdf
from builder.forms.prefill import area_prefill, check_prefill, normalize_value
from builder.forms.read import FormReadError, read_form
from builder.forms.text import form_print_lines
from builder.forms.xlsx import render_form_xlsx

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
