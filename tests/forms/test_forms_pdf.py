"""The fillable PDF writer (builder.forms.pdf): fields with ids and Japanese labels,
Japanese options and prefilled values that read back, read-only prefills, identity;
qpdf finds no error, pdftotext shows the labels in reading order, every font is
embedded; and text typed later (a value without appearance, NeedAppearances set, which
makes poppler lay it out with the field font as when a user types) displays."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from builder.formats.pdf_layout import FRAME_WIDTH, SIDE_MARGIN
from builder.formats.reproducible import pdf_canvas_kwargs
from builder.forms import form_print_flowables, form_print_lines, render_form_pdf
from builder.forms.pdf import FORM_ID_FIELD, FORM_VERSION_FIELD
from builder.verify.clients import missing_tool, pdffonts_embedded, pdftotext_text, qpdf_check
from tests.forms.test_forms_common import HYOGO, KUIKI, SURVEY, form, needs

FORM_IDS = [KUIKI, SURVEY]
READ_ONLY = 1


def _fields(data: bytes) -> dict[str, dict]:
    return PdfReader(io.BytesIO(data)).get_fields() or {}


@pytest.mark.parametrize("prefilled", [False, True])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_fields_have_ids_japanese_labels_and_prefilled_values(
    tmp_path: Path, form_id: str, prefilled: bool
) -> None:
    item = form(form_id)
    prefill = HYOGO[form_id] if prefilled else {}
    data = render_form_pdf(item, prefill)
    assert data == render_form_pdf(item, prefill), "not byte-reproducible"
    path = tmp_path / f"{form_id}.pdf"
    path.write_bytes(data)
    checked = needs(qpdf_check(path))
    assert checked.ok, checked.detail
    fields = _fields(data)
    for control in item.controls():
        field = fields[control.id]
        label = field.get("/TU", "")
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label), (control.id, label)
        read_only = bool(int(field.get("/Ff", 0)) & READ_ONLY)
        assert read_only is (control.field.id in prefill), control.id
        if control.field.id in prefill:
            assert field["/V"] == prefill[control.field.id]
        elif control.field.kind != "choices":
            assert field.get("/V") in (None, "")
    assert fields[FORM_ID_FIELD]["/V"] == item.id
    assert fields[FORM_VERSION_FIELD]["/V"] == item.version
    metadata = PdfReader(path).metadata
    assert (metadata["/FormId"], metadata["/FormVersion"], metadata.title) == (
        item.id,
        item.version,
        item.title,
    )


def test_choice_options_are_japanese_and_computed_cells_read_only() -> None:
    reader = PdfReader(
        io.BytesIO(render_form_pdf(form(KUIKI), {"beds_acute_a": "500", "beds_acute_c": "420"}))
    )
    fields = reader.get_fields()
    assert list(fields["schedule_1_year"]["/Opt"]) == ["2024年度", "2025年度", "2026年度以降"]
    computed = fields["beds_acute_c_minus_a"]
    assert int(computed["/Ff"]) & READ_ONLY
    widgets = {
        a.get_object()["/T"]: a.get_object()
        for page in reader.pages
        for a in page["/Annots"]
        if "/T" in a.get_object()
    }
    assert "/JS" in widgets["beds_acute_c_minus_a"]["/AA"]["/C"]
    assert widgets["beds_acute_a"]["/Q"] == 2
    order = [ref.get_object()["/T"] for ref in reader.trailer["/Root"]["/AcroForm"]["/CO"]]
    assert len(order) == 8 and "beds_acute_c_minus_a" in order


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_pdftotext_shows_the_labels_in_reading_order(tmp_path: Path, form_id: str) -> None:
    path = tmp_path / f"{form_id}.pdf"
    path.write_bytes(render_form_pdf(form(form_id)))
    if missing_tool("pdftotext"):
        pytest.skip(missing_tool("pdftotext"))
    extracted = re.sub(r"\s+", "", pdftotext_text(path, "-raw"))
    expected = [re.sub(r"[\s｜□]+", "", line) for line in form_print_lines(form(form_id))]
    position = 0
    for line in expected:
        found = extracted.find(line, position)
        assert found >= 0, (
            f"「{line}」 not found after position {position}: …{extracted[position : position + 60]}"
        )
        position = found + len(line)
    embedded = needs(pdffonts_embedded(path))
    assert embedded.ok, embedded.detail


def test_field_font_sizes() -> None:
    jis = render_form_pdf(form(SURVEY), HYOGO[SURVEY])
    used = render_form_pdf(form(SURVEY), HYOGO[SURVEY], glyph_set="used")
    assert 1_500_000 < len(jis) < 2_500_000
    assert len(used) < 200_000


def _typed(data: bytes, values: dict[str, str]) -> bytes:
    """``values`` set as a viewer stores typed text before drawing it: /V without an
    appearance, and NeedAppearances so that the viewer lays it out with /DA's font."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        for reference in page.get("/Annots", []):
            widget = reference.get_object()
            if widget.get("/T") in values:
                widget[NameObject("/V")] = TextStringObject(values[widget["/T"]])
                del widget["/AP"]
    writer._root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _render(path: Path, prefix: Path) -> tuple[Image.Image, str]:
    completed = subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(prefix),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return Image.open(f"{prefix}.png").convert("L"), completed.stderr


@pytest.mark.parametrize(("glyph_set", "shown"), [("jis", True), ("used", False)])
def test_typed_japanese_displays_in_poppler(tmp_path: Path, glyph_set: str, shown: bool) -> None:
    """With the JIS field font, text typed later (level-2 kanji 鬱, 髙﨑, ～ and 〜) is laid
    out by poppler with no missing glyph; with only the used glyphs it is not."""
    if missing_tool("pdftoppm"):
        pytest.skip(missing_tool("pdftoppm"))
    data = render_form_pdf(form(SURVEY), HYOGO[SURVEY], glyph_set=glyph_set)  # type: ignore[arg-type]
    blank, typed = tmp_path / "blank.pdf", tmp_path / "typed.pdf"
    blank.write_bytes(_typed(data, {}))
    typed.write_bytes(_typed(data, {"model_area": "鬱蒼とした髙﨑の山間地域、0～14歳と0〜14歳"}))
    before, _ = _render(blank, tmp_path / "blank")
    after, errors = _render(typed, tmp_path / "typed")
    assert ("couldn't find a font" not in errors) is shown, errors
    changed = sum(
        1 for a, b in zip(before.tobytes(), after.tobytes(), strict=True) if abs(a - b) > 64
    )
    assert changed > 100, "the typed text left no ink"


def test_print_flowables_give_the_blank_form_inside_another_pdf(tmp_path: Path) -> None:
    """What a notice's PDF writer would append for 別添2: boxes, no fields, same words."""

    path = tmp_path / "print.pdf"
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        **pdf_canvas_kwargs("別添2", "print"),
    )
    document.build(form_print_flowables(form(KUIKI), FRAME_WIDTH))
    assert "/AcroForm" not in PdfReader(path).trailer["/Root"]
    if missing_tool("pdftotext"):
        pytest.skip(missing_tool("pdftotext"))
    extracted = re.sub(r"\s+", "", pdftotext_text(path, "-raw"))
    position = 0
    for line in form_print_lines(form(KUIKI)):
        text = re.sub(r"[\s｜□]+", "", line)
        position = extracted.index(text, position) + len(text)
