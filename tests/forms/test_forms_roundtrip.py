"""Round trip: write each form in each format, fill it as a user would, read it back.

The survey is filled with 群馬県's answers from seed 001 (藤岡構想区域, reason ④ and its
text); 区域対応方針 gets a value in every input. Filling: openpyxl cell values (.xlsx),
editing the content controls (.docx), pypdf ``update_page_form_field_values`` (.pdf);
and the .xlsx/.docx once more after LibreOffice opened and saved them. What
``read_form`` returns must equal what was filled (prefilled fields included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.forms import (
    FormReadError,
    read_form,
    render_form_pdf,
)
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


def _filled(
    tmp_path: Path, form_id: str, suffix: str, prefilled: bool
) -> tuple[Path, dict[str, str]]:
    item = form(form_id)
    prefill = HYOGO[form_id] if prefilled else {}
    path = tmp_path / f"{form_id}.{suffix}"
    path.write_bytes(WRITERS[suffix](item, prefill))
    values = full_filling(item)
    if prefilled:
        values.update(prefill)
    typed = {k: v for k, v in values.items() if k not in prefill}
    FILLERS[suffix](path, item, typed)
    return path, values


def _expected(form_id: str, values: dict[str, str]) -> dict[str, str]:
    return {field.id: values.get(field.id, "") for field in form(form_id).inputs()}


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
def test_gunma_survey_reads_back(tmp_path: Path, suffix: str) -> None:
    path, values = _filled(tmp_path, SURVEY, suffix, prefilled=False)
    assert values == GUNMA
    assert read_form(path, forms()) == (SURVEY, "2024-05", GUNMA)


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
@pytest.mark.parametrize("form_id", [KUIKI, SURVEY])
def test_prefilled_form_filled_reads_back(tmp_path: Path, form_id: str, suffix: str) -> None:
    path, values = _filled(tmp_path, form_id, suffix, prefilled=True)
    assert read_form(path, forms()) == (form_id, form(form_id).version, _expected(form_id, values))


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
def test_blank_form_reads_back_blank_with_prefill(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"blank.{suffix}"
    path.write_bytes(WRITERS[suffix](form(KUIKI), HYOGO[KUIKI]))
    form_id, version, values = read_form(path, forms())
    assert (form_id, version) == (KUIKI, "2024-07-31")
    assert {k: v for k, v in values.items() if v} == HYOGO[KUIKI]


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize("form_id", [KUIKI, SURVEY])
def test_libreoffice_saved_return_reads_back(tmp_path: Path, form_id: str, suffix: str) -> None:
    """LibreOffice drops w:tag and w:alias and rewrites the package; bookmarks, defined
    names and custom properties carry the ids and the form's identity through."""
    path, values = _filled(tmp_path, form_id, suffix, prefilled=True)
    saved = libreoffice_resave(path, tmp_path / "saved")
    assert saved.read_bytes() != path.read_bytes()
    assert read_form(saved, forms()) == (form_id, form(form_id).version, _expected(form_id, values))


def test_a_return_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "survey.pdf"
    path.write_bytes(render_form_pdf(form(SURVEY)))
    older = dict(forms())
    older[SURVEY] = type(form(SURVEY))(**{**form(SURVEY).__dict__, "version": "2024-04"})
    with pytest.raises(FormReadError, match="version 2024-05"):
        read_form(path, older)
    other = tmp_path / "other.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(FormReadError, match=r"not an \.xlsx"):
        read_form(other, forms())
