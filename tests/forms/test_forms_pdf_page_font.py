"""The fillable PDF carries IPAex明朝 once (builder.forms.pdf_page_font, pdf_font):

* the page's printed 明朝 text is set in the field font; reportlab's own 明朝 subsets are
  gone from the file; the ゴシック headings keep reportlab's subset;
* the page looks the same to the pixel (poppler) and extracts the same text as the page
  reportlab wrote, for both forms and both glyph sets;
* the field font's glyphs are in code-point order with the bundled font's outlines and
  metrics, and its ToUnicode map (ranges and singles) reads back to the same mapping;
* a 明朝 named by the environment is left to reportlab, and a page using word spacing is
  refused rather than changed.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from builder.formats.fonts import BUNDLED_MINCHO_PATH
from builder.forms import pdf as form_pdf
from builder.forms import pdf_page_font
from builder.forms.pdf import _render_direct
from builder.forms.pdf_font import _runs, _to_unicode_cmap, field_font
from builder.verify.clients import missing_tool, pdftotext_text
from tests.forms.test_forms_common import HYOGO, KUIKI, SURVEY, form

CASES = [(KUIKI, "jis"), (SURVEY, "jis"), (SURVEY, "used")]


def _fonts(data: bytes) -> list[tuple[str, str]]:
    """(base font, subtype) of every font the pages use."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for entry in page["/Resources"]["/Font"].values():
            font = entry.get_object()
            found.add((str(font["/BaseFont"]).split("+")[-1], str(font["/Subtype"])))
    return sorted(found)


def _as_reportlab_wrote(form_id: str, glyph_set: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The same form with the page left in reportlab's own 明朝 subsets."""
    with monkeypatch.context() as patch:
        patch.setattr(form_pdf, "set_page_text_in_field_font", lambda *_: False)
        return _render_direct(form(form_id), HYOGO[form_id], glyph_set=glyph_set)  # type: ignore[arg-type]


@pytest.mark.parametrize(("form_id", "glyph_set"), CASES)
def test_one_mincho_in_the_file(
    form_id: str, glyph_set: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _render_direct(form(form_id), HYOGO[form_id], glyph_set=glyph_set)  # type: ignore[arg-type]
    assert _fonts(data) == [("IPAexGothic", "/TrueType"), ("IPAexMincho", "/Type0")]
    before = _as_reportlab_wrote(form_id, glyph_set, monkeypatch)
    assert ("IPAexMincho", "/TrueType") in _fonts(before)
    assert data.count(b"/FontFile2") == 2  # the ゴシック subset and the field font
    assert len(data) < len(before) - 40_000


def _pages(path: Path, prefix: Path) -> list[bytes]:
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", str(path), str(prefix)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return [p.read_bytes() for p in sorted(prefix.parent.glob(f"{prefix.name}-*.pgm"))]


@pytest.mark.parametrize(("form_id", "glyph_set"), CASES)
def test_page_looks_and_reads_as_reportlab_wrote_it(
    tmp_path: Path, form_id: str, glyph_set: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if missing_tool(tool):
            pytest.skip(missing_tool(tool))
    ours, theirs = tmp_path / "ours.pdf", tmp_path / "theirs.pdf"
    ours.write_bytes(_render_direct(form(form_id), HYOGO[form_id], glyph_set=glyph_set))  # type: ignore[arg-type]
    theirs.write_bytes(_as_reportlab_wrote(form_id, glyph_set, monkeypatch))
    ours_pages = _pages(ours, tmp_path / "ours")
    theirs_pages = _pages(theirs, tmp_path / "theirs")
    assert ours_pages and len(ours_pages) == len(theirs_pages)
    for number, (a, b) in enumerate(zip(ours_pages, theirs_pages, strict=True), start=1):
        assert a == b, f"page {number} differs from reportlab's rendering"
    for mode in ("-raw", "-layout"):
        assert pdftotext_text(ours, mode) == pdftotext_text(theirs, mode)


def test_field_font_glyphs_follow_code_points_with_the_bundled_outlines() -> None:
    font = field_font("jis")
    ids = [font.glyphs[c] for c in sorted(font.glyphs)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    subset = TTFont(io.BytesIO(font.data))
    bundled = TTFont(io.BytesIO(Path(BUNDLED_MINCHO_PATH).read_bytes()), lazy=True)
    subset_cmap, bundled_cmap = subset.getBestCmap(), bundled.getBestCmap()
    chosen = [c for c in font.glyphs if c.isascii()]
    chosen += random.Random(7).sample(sorted(font.glyphs), 400)
    for char in chosen:
        mine, theirs = subset_cmap[ord(char)], bundled_cmap[ord(char)]
        assert subset.getGlyphID(mine) == font.glyphs[char]
        assert subset["hmtx"][mine] == bundled["hmtx"][theirs], char
        a, b = subset["glyf"][mine], bundled["glyf"][theirs]
        assert a.numberOfContours == b.numberOfContours, char
        if a.numberOfContours:
            assert list(a.getCoordinates(subset["glyf"])[0]) == list(
                b.getCoordinates(bundled["glyf"])[0]
            ), char
        scale = 1000 / bundled["head"].unitsPerEm
        assert font.widths[font.glyphs[char]] == round(bundled["hmtx"][theirs][0] * scale, 4)


def _read_cmap(data: bytes) -> dict[int, str]:
    text = data.decode("ascii")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar\n(.*?)endbfchar", text, re.S):
        for code, char in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(char).decode("utf-16-be")
    for block in re.findall(r"beginbfrange\n(.*?)endbfrange", text, re.S):
        for first, last, char in re.findall(
            r"<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>", block
        ):
            assert int(first, 16) >> 8 == int(last, 16) >> 8
            start = int(char, 16)
            assert (start + int(last, 16) - int(first, 16)) >> 8 == start >> 8
            for offset in range(int(last, 16) - int(first, 16) + 1):
                assert int(first, 16) + offset not in mapping
                mapping[int(first, 16) + offset] = chr(start + offset)
    assert all(int(n) <= 100 for n in re.findall(r"(\d+) beginbf", text))
    return mapping


def test_to_unicode_map_reads_back() -> None:
    font = field_font("jis")
    data = _to_unicode_cmap(font.glyphs)
    assert _read_cmap(data) == {g: c for c, g in font.glyphs.items() if g}
    singles, ranges = _runs(sorted((g, c) for c, g in font.glyphs.items() if g))
    assert len(ranges) > 500 and len(singles) + len(ranges) < len(font.glyphs) * 0.7


def test_runs_break_at_high_bytes_and_outside_the_bmp() -> None:
    pairs = [(0x00FE, "\u30fe"), (0x00FF, "\u30ff"), (0x0100, "\u3100"), (0x0101, "\u3101")]
    pairs += [(0x0102, "\U00020000"), (0x0103, "\U00020001"), (0x0105, "a"), (0x0106, "c")]
    singles, ranges = _runs(pairs)
    assert ranges == [(0x00FE, 0x00FF, "\u30fe"), (0x0100, 0x0101, "\u3100")]
    assert singles == [(0x0102, "\U00020000"), (0x0103, "\U00020001"), (0x0105, "a"), (0x0106, "c")]
    assert _read_cmap(_to_unicode_cmap({c: g for g, c in pairs})) == {g: c for g, c in pairs}


def test_a_mincho_from_the_environment_is_left_to_reportlab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "other-mincho.ttf"
    copy.write_bytes(Path(BUNDLED_MINCHO_PATH).read_bytes())
    monkeypatch.setenv("NOTICES_MINCHO_FONT", str(copy))
    data = _render_direct(form(SURVEY), HYOGO[SURVEY])
    assert ("IPAexMincho", "/TrueType") in _fonts(data)


def _page_drawing(content: bytes) -> tuple[PdfWriter, IndirectObject]:
    """A one-page document showing ``content`` with a reportlab-like 明朝 subset ``/F2+0``
    whose code 1 is 漢, and a stand-in for the field font's dictionary."""
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    to_unicode = StreamObject()
    to_unicode.set_data(b"begincmap\n2 beginbfchar\n<00> <0000>\n<01> <6F22>\nendbfchar\n")
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): NameObject("/AAAAAA+IPAexMincho"),
            NameObject("/ToUnicode"): writer._add_object(to_unicode),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F2+0"): writer._add_object(font)})}
    )
    stream = ContentStream(None, None)
    stream.set_data(content)
    page.replace_contents(stream)
    return writer, writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font")}))


def _raw(operand: object) -> object:
    if isinstance(operand, list):
        return [_raw(item) for item in operand]
    if isinstance(operand, TextStringObject):
        return operand.get_original_bytes()
    return bytes(operand) if isinstance(operand, ByteStringObject) else operand


def test_strings_in_the_subset_are_reencoded_and_others_kept() -> None:
    font = field_font("jis")
    writer, reference = _page_drawing(
        b"BT /F2+0 10 Tf (\\001) Tj [(\\001) -20 (\\001)] TJ q /F1+0 9 Tf (\\001) Tj Q (\\001) Tj ET"
    )
    subset = writer.pages[0]["/Resources"]["/Font"].raw_get("/F2+0")
    assert pdf_page_font.set_page_text_in_field_font(writer, font, NameObject("/FJ"), reference)
    page = writer.pages[0]
    assert dict(page["/Resources"]["/Font"]) == {"/FJ": reference}
    assert writer._objects[subset.idnum - 1] is None  # left out of the file
    code = font.glyphs["漢"].to_bytes(2, "big")
    operations = page.get_contents().operations  # type: ignore[union-attr]
    shown = [(_raw(o[0]), op) for o, op in operations if op in (b"Tj", b"TJ")]
    assert shown[0] == (code, b"Tj")
    assert shown[1] == ([code, -20, code], b"TJ")
    assert shown[2] == (b"\x01", b"Tj")  # in /F1+0: not ours to change
    assert shown[3] == (code, b"Tj")  # Q restored /FJ
    fonts = [o[0] for o, op in operations if op == b"Tf"]
    assert fonts == ["/FJ", "/F1+0"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"BT /F2+0 10 Tf 2 Tw (\\001) Tj ET", "Tw"),
        (b"BT /F2+0 10 Tf (\\001) ' ET", "'"),
        (b"BT /F2+0 10 Tf (\\002) Tj ET", "code 0x02"),
        (b"BT /F2+0 10 Tf (\\000) Tj ET", "code 0x00"),
    ],
)
def test_what_cannot_be_carried_over_is_refused(content: bytes, message: str) -> None:
    with pytest.raises(RuntimeError, match=re.escape(message)):
        writer, reference = _page_drawing(content)
        pdf_page_font.set_page_text_in_field_font(
            writer, field_font("jis"), NameObject("/FJ"), reference
        )
