"""The Word writer of forms (builder.forms.docx): content controls with tags, bookmarks
and Japanese aliases, no plain-text controls, forms-only protection at its schema
position, identity properties, East Asian fonts; LibreOffice converts it and the OOXML
validator finds no errors."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from builder.forms import append_form_docx, form_print_lines, render_form_docx
from builder.forms.docx import STYLE_NAMES
from builder.forms.docx_xml_forms import SETTINGS_ORDER, W14, bookmark_name
from builder.verify.clients import libreoffice_convert, ooxml_validate, pdftotext_text
from tests.forms.test_forms_common import HYOGO, KUIKI, SURVEY, form, needs

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "w14": W14}
FORM_IDS = [KUIKI, SURVEY]


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _controls(data: bytes) -> list[etree._Element]:
    return _part(data, "word/document.xml").findall(".//w:sdt", NS)


def _val(element: etree._Element, path: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(f"{{{W}}}val")


@pytest.mark.parametrize("prefilled", [False, True])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_content_controls_carry_tags_bookmarks_and_labels(form_id: str, prefilled: bool) -> None:
    item = form(form_id)
    prefill = HYOGO[form_id] if prefilled else {}
    data = render_form_docx(item, prefill)
    assert data == render_form_docx(item, prefill), "not byte-reproducible"
    controls = _controls(data)
    tags = [_val(sdt, "w:sdtPr/w:tag") for sdt in controls]
    assert tags == [c.id for c in item.controls()]
    document = _part(data, "word/document.xml")
    bookmarks = [b.get(f"{{{W}}}name") for b in document.iter(f"{{{W}}}bookmarkStart")]
    assert bookmarks == [bookmark_name(c.id) for c in item.controls()]
    for sdt, control in zip(controls, item.controls(), strict=True):
        properties = sdt.find("w:sdtPr", NS)
        assert _val(properties, "w:alias").startswith(control.field.label)
        assert properties.find("w:text", NS) is None, "plain-text control"
        assert sdt.getprevious().tag == f"{{{W}}}bookmarkStart"
        kind = control.field.kind
        expected = {"date": "w:date", "choice": "w:dropDownList", "choices": "w14:checkbox"}.get(
            kind, "w:richText"
        )
        assert properties.find(expected, NS) is not None, (control.id, kind)
        fixed = control.field.id in prefill
        assert (_val(properties, "w:lock") == "sdtContentLocked") is fixed
        text = "".join(sdt.find("w:sdtContent", NS).itertext())
        if fixed:
            assert text == prefill[control.field.id]
        elif kind != "choices":
            assert properties.find("w:showingPlcHdr", NS) is not None and not text.strip("\u3000")
    assert b"<w:text/>" not in data and not document.findall(".//w:text", NS)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_forms_protection_at_its_schema_position(form_id: str) -> None:
    settings = _part(render_form_docx(form(form_id)), "word/settings.xml")
    protection = settings.find("w:documentProtection", NS)
    assert (
        protection.get(f"{{{W}}}edit") == "forms" and protection.get(f"{{{W}}}enforcement") == "1"
    )
    prefixes = {W: "w", "http://schemas.openxmlformats.org/officeDocument/2006/math": "m"}
    names = [
        f"{prefixes[etree.QName(child).namespace]}:{etree.QName(child).localname}"
        for child in settings
        if etree.QName(child).namespace in prefixes
    ]
    assert "w:documentProtection" in names
    positions = [SETTINGS_ORDER.index(name) for name in names]
    assert positions == sorted(positions), names


def test_identity_properties_styles_and_page() -> None:
    item = form(KUIKI)
    data = render_form_docx(item)
    custom = _part(data, "docProps/custom.xml")
    properties = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert properties == {"form_id": KUIKI, "form_version": "2024-07-31"}
    word = docx.Document(io.BytesIO(data))
    for name in STYLE_NAMES:
        fonts = word.styles[name].element.find(".//w:rFonts", NS)
        assert fonts.get(f"{{{W}}}eastAsia") in ("ＭＳ 明朝", "ＭＳ ゴシック"), name
        assert word.styles[name].element.find(".//w:lang", NS).get(f"{{{W}}}eastAsia") == "ja-JP"
    section = word.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert word.core_properties.title == item.title


def test_prefilled_dates_and_computed_cells() -> None:
    item = form(KUIKI)
    data = render_form_docx(
        item, {"adopted_on": "2025-03-27", "beds_acute_a": "500", "beds_acute_c": "420"}
    )
    controls = {_val(s, "w:sdtPr/w:tag"): s for s in _controls(data)}
    date = controls["adopted_on"]
    assert date.find("w:sdtPr/w:date", NS).get(f"{{{W}}}fullDate") == "2025-03-27T00:00:00Z"
    assert "".join(date.find("w:sdtContent", NS).itertext()) == "令和7年3月27日"
    text = "".join(_part(data, "word/document.xml").itertext())
    assert "-80" in text


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_libreoffice_converts_and_validator_is_clean(tmp_path: Path, form_id: str) -> None:
    path = tmp_path / f"{form_id}.docx"
    path.write_bytes(render_form_docx(form(form_id), HYOGO[form_id]))
    (converted,) = libreoffice_convert([path], tmp_path / "pdf")
    needs(converted)
    assert converted.ok, converted.detail
    compact = re.sub(r"\s+", "", pdftotext_text(tmp_path / "pdf" / f"{form_id}.pdf"))
    for section in form(form_id).sections:
        assert section.heading in compact
    assert "兵庫県" in compact and "東播磨" in compact
    validated = needs(ooxml_validate(path))
    assert validated.ok, validated.detail
    assert "allow-listed" not in validated.detail or "none allow-listed" in validated.detail


def test_append_form_docx_gives_the_blank_form_without_controls() -> None:
    """What a notice's Word writer would append for 別添2: styles and tables, no controls."""
    word = docx.Document()
    append_form_docx(word, form(SURVEY))
    buffer = io.BytesIO()
    word.save(buffer)
    document = _part(buffer.getvalue(), "word/document.xml")
    assert not document.findall(".//w:sdt", NS)
    text = re.sub(r"\s+", "", "".join(document.itertext()))
    position = 0
    for line in form_print_lines(form(SURVEY)):
        expected = re.sub(r"[\s｜]+", "", line)
        position = text.index(expected, position) + len(expected)
    assert "Form Heading" in {style.name for style in word.styles}
