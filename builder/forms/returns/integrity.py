"""What :mod:`builder.forms.returns.ingest` checks in a return beyond its layout: active content,
pages drawn over, prefilled values changed.

* **Active content** (PDF): every action, trigger and script found anywhere in the file
  (:func:`builder.forms.returns.read.open_form_file` lists them) must be one the form itself
  carries (the digits-only keystroke script of a count, the calculation of a 差し引き
  cell). Anything else — JavaScript of its own, ``/Launch``, ``/OpenAction``, another
  ``/AA`` trigger, a link, document-level JavaScript, embedded files, XFA — refuses the
  return (:func:`active_content_refusal`): a filled form needs none of it, and a viewer
  may run it.
* **Pages drawn over** (PDF): each page's content stream (compared by digest, whitespace
  runs collapsed) and the annotations on it that are not fields must be those of the
  form as written for the fields the return keeps read-only (the page itself differs
  with which fields are prefilled, never with their values). A differing page refuses
  the return like any other change to the form's fixed parts
  (:func:`drawn_over_refusal`).
* **Prefilled values** (:func:`prefill_problems`): the copy sent to a prefecture has its
  都道府県 and 構想区域 fields (``role: prefecture`` / ``role: areas``) filled in and
  read-only. A return that still marks one of them read-only came from such a copy, and
  then is reported as a *problem* (recorded, 要確認, never silently accepted) when:
  the other is no longer read-only (someone unlocked it to edit it); the .xlsx sheet or
  .docx document protection was removed (the only way to edit a locked cell or control
  in Excel or Word); or, in a PDF, a read-only field's value is not what the field
  draws (its ``/V`` was changed by a program, which leaves the appearance the ministry
  wrote). The comparison is with the field's own appearance rather than with the
  別添1 table: the table lists every area of a prefecture, so an area changed into
  another area of the same prefecture would pass it; the appearance is what the
  ministry wrote into that very copy. A return whose role fields were *all* unlocked and
  edited in a viewer cannot be told from a blank copy filled in; its values are still
  validated like any other.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from builder.forms.docx import render_form_docx
from builder.forms.pdf import render_form_pdf
from builder.forms.returns.read import FormFile, open_form_file
from builder.forms.xlsx import render_form_xlsx
from builder.model.form import Field, Form

__all__ = ["active_content_refusal", "drawn_over_refusal", "prefill_problems"]

SHOWN: Final = 3
"""Pieces of active content or pages listed in a message."""
_WIDTH: Final = 100
_FRESH: Final = "Ask the prefecture to fill in a fresh copy of the form"
_WRITERS = {"xlsx": render_form_xlsx, "docx": render_form_docx, "pdf": render_form_pdf}
_PLACEHOLDERS: Final = {"date": "2025-01-01", "count": "0"}


def active_content_refusal(name: str, form: Form, opened: FormFile) -> str | None:
    """Why ``opened`` is refused for active content its form does not carry, or None."""
    if opened.format != "pdf":
        return None
    allowed = set(_reference(form, opened).active)
    extra = [line for line in opened.active if line not in allowed]
    if not extra:
        return None
    shown = [_short(line) for line in extra[:SHOWN]]
    if len(extra) > SHOWN:
        shown.append(f"… and {len(extra) - SHOWN} more")
    return (
        f"{name}: active content that the blank {form.id} (version {form.version}) does not "
        f"have: {'; '.join(shown)}. A return needs no scripts or actions, so it was "
        f"refused. {_FRESH}"
    )


def drawn_over_refusal(name: str, form: Form, opened: FormFile) -> str | None:
    """Why ``opened`` is refused because a page was drawn over, or None."""
    if opened.format != "pdf":
        return None
    expected = _reference(form, opened).pages
    changes = []
    for number, (found, wanted) in enumerate(zip(opened.pages, expected, strict=False), 1):
        found_content, found_notes = found.split(" annotations ")
        wanted_content, wanted_notes = wanted.split(" annotations ")
        if found_content != wanted_content:
            changes.append(f"page {number}: its content differs from the form's")
        if found_notes != wanted_notes:
            changes.append(f"page {number}: annotations added ({found_notes})")
    if not changes:
        return None
    return (
        f"{name}: drawn over: {'; '.join(changes[:SHOWN])}"
        f"{f' … and {len(changes) - SHOWN} more' if len(changes) > SHOWN else ''}. The "
        f"printed form of {form.id} (version {form.version}) must stay as written. {_FRESH}"
    )


def prefill_problems(form: Form, opened: FormFile, values: Mapping[str, str]) -> list[str]:
    """The problems of a return made from a prefilled copy whose prefilled fields were
    unlocked or changed (see the module docstring); empty for any other return."""
    roles = [f for f in (form.role_field("prefecture"), form.role_field("areas")) if f]
    locked = [f for f in roles if f.id in opened.locked]
    if not locked:
        return []
    problems = [
        f"{f.label} ({f.id}): read-only in the prefilled copy sent, but unlocked in this "
        f"return and holding 「{values.get(f.id, '')}」; check it against the copy sent"
        for f in roles
        if f not in locked
    ]
    if not opened.protected:
        what = {"xlsx": "sheet", "docx": "document"}.get(opened.format, "file")
        shown = "、".join(f"「{values.get(f.id, '')}」" for f in locked)
        labels = "、".join(f.label for f in locked)
        problems.append(
            f"the {what}'s protection was removed, so the prefilled {labels} ({shown}) "
            "may have been changed; check them against the copy sent"
        )
    if opened.format == "pdf":
        reference = _reference(form, opened)
        for item in locked:
            if reference.appearances.get(item.id) != opened.appearances.get(item.id):
                problems.append(
                    f"{item.label} ({item.id}): prefilled read-only, but it holds "
                    f"「{values.get(item.id, '')}」 while the field shows something else; "
                    "the value was changed after the copy was sent"
                )
    return problems


def _reference(form: Form, opened: FormFile) -> FormFile:
    """The form as written with ``opened``'s read-only inputs prefilled with its values
    (a placeholder where such a value is not one the field takes); when one of the role
    fields is read-only, both are (a prefilled copy's page is drawn for both, and one
    unlocked is :func:`prefill_problems`' to report, not a page drawn over)."""
    roles = {f.id for f in (form.role_field("prefecture"), form.role_field("areas")) if f}
    locked = set(opened.locked)
    if locked & roles:
        locked |= roles
    prefilled: list[tuple[str, str]] = []
    for item in form.inputs():
        if item.kind != "choices" and item.id in locked:
            prefilled.append((item.id, opened.raw.get(item.id, "").strip()))
    return _written(form, opened.format, tuple(prefilled))


@functools.cache
def _written(form: Form, file_format: str, prefill: tuple[tuple[str, str], ...]) -> FormFile:
    """``form`` written in ``file_format`` with ``prefill`` and read back (once each)."""
    writer = _WRITERS[file_format]
    try:
        data = writer(form, dict(prefill))
    except ValueError:
        data = writer(form, {key: _placeholder(form.field(key)) for key, _ in prefill})
    with tempfile.TemporaryDirectory(prefix="notices-integrity-") as folder:
        path = Path(folder) / f"reference.{file_format}"
        path.write_bytes(data)
        return open_form_file(path)


def _placeholder(item: Field) -> str:
    """A value ``item`` takes (for a reference whose read-only values are not valid)."""
    if item.kind == "choice":
        return item.options[0].value
    return _PLACEHOLDERS.get(item.kind, "x")


def _short(line: str) -> str:
    return line if len(line) <= _WIDTH else line[: _WIDTH - 1] + "…"
