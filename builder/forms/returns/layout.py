"""Tell a tampered return: compare its fixed parts with the blank form's.

Every reader of :mod:`builder.forms.returns.read` lists a file's **layout**, one line per fixed
part: an .xlsx's label cells, formulas and named input cells; a .docx's content
controls and the text outside them (paragraph by paragraph, blanks removed); a .pdf's
page count and its fields with their types. A return filled as intended (values typed
into the inputs, in Excel, Word, LibreOffice or a PDF viewer) has exactly the layout of
the blank form of its version, written afresh here. A file whose labels were edited,
inputs deleted or added, or formulas replaced differs; :func:`layout_problems` says
where, a few lines at most.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Final

from builder.forms.docx import render_form_docx
from builder.forms.pdf import render_form_pdf
from builder.forms.returns.read import FormFile, open_form_file
from builder.forms.xlsx import render_form_xlsx
from builder.model.form import Form

__all__ = ["blank_layout", "layout_problems"]

SHOWN: Final = 3
"""Differences listed per direction (missing / unexpected)."""

_WRITERS = {"xlsx": render_form_xlsx, "docx": render_form_docx, "pdf": render_form_pdf}


@functools.cache
def blank_layout(form: Form, file_format: str) -> tuple[str, ...]:
    """The layout of ``form``'s blank file in ``file_format`` (rendered once)."""
    with tempfile.TemporaryDirectory(prefix="notices-layout-") as folder:
        path = Path(folder) / f"blank.{file_format}"
        path.write_bytes(_WRITERS[file_format](form))
        return open_form_file(path).layout


def layout_problems(form: Form, opened: FormFile) -> list[str]:
    """How ``opened``'s layout differs from the blank form's (empty when it does not)."""
    expected = blank_layout(form, opened.format)
    if opened.layout == expected:
        return []
    found = set(opened.layout)
    wanted = set(expected)
    missing = [line for line in expected if line not in found]
    unexpected = [line for line in opened.layout if line not in wanted]
    problems = [f"missing: {_short(line)}" for line in missing[:SHOWN]]
    problems += [f"not in the form: {_short(line)}" for line in unexpected[:SHOWN]]
    more = len(missing) + len(unexpected) - len(problems)
    if more > 0:
        problems.append(f"… and {more} more differences")
    if not problems:
        problems.append("the form's parts are in a different order")
    return problems


def _short(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
