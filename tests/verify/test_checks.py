"""The real-client checks in builder.verify.clients, run on small real files.

Each test that needs an external tool skips with "needs <tool> (Debian package
<pkg>)" when it is missing; `.ci/install-tools` installs them all.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from builder.formats.fonts import BUNDLED_MINCHO_PATH, register_fonts
from builder.formats.reproducible import normalize_ooxml, pdf_canvas_kwargs
from builder.verify.clients import (
    ALLOWED_ERRORS,
    CheckResult,
    OoxmlError,
    ToolMissingError,
    libreoffice_convert,
    missing_tool,
    missing_validator,
    ooxml_validate,
    parse_pdffonts,
    pdffonts_embedded,
    pdftotext_matches,
    pdftotext_text,
    qpdf_check,
    render_first_page_png,
    write_fontconfig,
)

HEADING = "医療法施行規則の一部を改正する省令の施行について"
BODY = "標記について、髙﨑①㈱〜～−－を含め、貴管下の医療機関に周知願います。"
# The same text as laid out: a 全角空白 and line breaks, which the comparison ignores.
EXPECTED_TEXT = f"{HEADING}\n\u3000{BODY}\n"


def require(tool: str) -> None:
    reason = missing_tool(tool)
    if reason:
        pytest.skip(reason)


def require_validator() -> None:
    reason = missing_validator()
    if reason:
        pytest.skip(reason)


# --- files ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small real files, good and broken, shared by the tests in this module."""
    directory = tmp_path_factory.mktemp("check-inputs")
    paths = {
        "pdf": directory / "notice.pdf",
        "helvetica_pdf": directory / "helvetica.pdf",
        "truncated_pdf": directory / "truncated.pdf",
        "bad_xref_pdf": directory / "bad-xref.pdf",
        "docx": directory / "notice.docx",
        "xlsx": directory / "form.xlsx",
        "misplaced_protection_docx": directory / "misplaced-protection.docx",
        "junk_docx": directory / "junk.docx",
    }
    _write_japanese_pdf(paths["pdf"])
    _write_helvetica_pdf(paths["helvetica_pdf"])
    pdf = paths["pdf"].read_bytes()
    paths["truncated_pdf"].write_bytes(pdf[: len(pdf) // 2])
    paths["bad_xref_pdf"].write_bytes(_shift_startxref(pdf))
    paths["docx"].write_bytes(_japanese_docx())
    paths["xlsx"].write_bytes(_japanese_xlsx())
    paths["misplaced_protection_docx"].write_bytes(_docx_with_misplaced_protection())
    paths["junk_docx"].write_bytes(b"PK\x03\x04 this is not a zip archive")
    return paths


def _write_japanese_pdf(path: Path) -> None:
    fonts = register_fonts()
    heading = ParagraphStyle("heading", fontName=fonts.gothic, fontSize=14, leading=20)
    body = ParagraphStyle("body", fontName=fonts.mincho, fontSize=10.5, leading=18, wordWrap="CJK")
    document = SimpleDocTemplate(str(path), pagesize=A4, **pdf_canvas_kwargs(HEADING, "test"))
    document.build([Paragraph(HEADING, heading), Paragraph(f"&#12288;{BODY}", body)])


def _write_helvetica_pdf(path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 12)  # one of the standard 14 fonts: never embedded
    canvas.drawString(72, 720, "Helvetica is not embedded")
    canvas.save()


def _shift_startxref(pdf: bytes) -> bytes:
    """Point startxref 7 bytes off: qpdf recovers, with warnings (exit status 3)."""
    match = re.search(rb"startxref\n(\d+)", pdf)
    assert match is not None
    wrong = str(int(match.group(1)) + 7).encode("ascii")
    return pdf[: match.start(1)] + wrong + pdf[match.end(1) :]


def _set_east_asian_font(run_properties: BaseOxmlElement, family: str) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), family)


def _japanese_docx() -> bytes:
    document = docx.Document()
    _set_east_asian_font(document.styles["Normal"].element.get_or_add_rPr(), "ＭＳ 明朝")
    document.add_paragraph(HEADING)
    document.add_paragraph(f"\u3000{BODY}")
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_ooxml(buffer.getvalue(), title=HEADING)


def _japanese_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = HEADING
    sheet["A1"].font = Font(name="ＭＳ 明朝", size=11, bold=True)
    sheet["A2"] = "様式第一号"
    sheet["A2"].font = Font(name="ＭＳ ゴシック", size=11)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalize_ooxml(buffer.getvalue(), title="様式")


def _docx_with_misplaced_protection() -> bytes:
    """w:documentProtection appended at the end of w:settings, not at its schema position."""
    document = docx.Document()
    document.add_paragraph("本文")
    protection = OxmlElement("w:documentProtection")
    protection.set(qn("w:edit"), "forms")
    protection.set(qn("w:enforcement"), "1")
    document.settings.element.append(protection)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- missing tools ---------------------------------------------------------------


def test_missing_tools_skip_with_a_reason(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setenv("NOTICES_TOOLS_DIR", str(tmp_path / "no-tools"))
    pdf = files["pdf"]

    results = [
        qpdf_check(pdf),
        pdffonts_embedded(pdf),
        pdftotext_matches(pdf, EXPECTED_TEXT),
        render_first_page_png(pdf, tmp_path / "page.png"),
        ooxml_validate(files["docx"]),
        *libreoffice_convert([files["docx"], files["xlsx"]], tmp_path / "out"),
    ]

    assert [(r.ok, r.skipped) for r in results] == [(False, True)] * len(results)
    assert results[0].detail == "needs qpdf (Debian package qpdf)"
    assert results[1].detail == "needs pdffonts (Debian package poppler-utils)"
    assert results[4].detail.startswith("needs node")
    assert results[5].detail.startswith("needs soffice (Debian package libreoffice-writer-nogui")
    with pytest.raises(ToolMissingError, match=r"needs pdftotext \(Debian package poppler-utils\)"):
        pdftotext_text(pdf)


def test_missing_validator_package_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require("node")
    monkeypatch.setenv("NOTICES_TOOLS_DIR", str(tmp_path))

    result = ooxml_validate(tmp_path / "any.docx")

    assert (result.ok, result.skipped) == (False, True)
    assert "@ooxml-tools/validate" in result.detail
    assert ".ci/install-tools" in result.detail


# --- qpdf ------------------------------------------------------------------------


def test_qpdf_check_passes_reportlab_pdf(files: dict[str, Path]) -> None:
    require("qpdf")
    result = qpdf_check(files["pdf"])
    assert result == CheckResult(
        str(files["pdf"]), "qpdf --check", True, False, "no syntax or stream encoding errors"
    )


@pytest.mark.parametrize(
    ("name", "exit_status"), [("truncated_pdf", "exit status 2"), ("bad_xref_pdf", "exit status 3")]
)
def test_qpdf_check_fails_damaged_pdf(files: dict[str, Path], name: str, exit_status: str) -> None:
    require("qpdf")
    result = qpdf_check(files[name])
    assert (result.ok, result.skipped) == (False, False)
    assert result.detail.startswith(exit_status)
    assert "damaged" in result.detail


# --- pdffonts --------------------------------------------------------------------


PDFFONTS_OUTPUT = """\
name                                 type              encoding         emb sub uni object ID
------------------------------------ ----------------- ---------------- --- --- --- ---------
AAAAAA+IPAexMincho                   TrueType          WinAnsi          yes yes yes      7  0
Helvetica                            Type 1            WinAnsi          no  no  no       2  0
[none]                               CID TrueType      Identity-H       yes no  yes  12345  0
"""


def test_parse_pdffonts_table_with_spaces_in_columns() -> None:
    fonts = parse_pdffonts(PDFFONTS_OUTPUT)
    assert [(f.name, f.type, f.embedded, f.subset) for f in fonts] == [
        ("AAAAAA+IPAexMincho", "TrueType", True, True),
        ("Helvetica", "Type 1", False, False),
        ("[none]", "CID TrueType", True, False),
    ]
    assert fonts[2].object_id == "12345  0"


def test_pdffonts_embedded_passes_bundled_fonts(files: dict[str, Path]) -> None:
    require("pdffonts")
    result = pdffonts_embedded(files["pdf"])
    assert result.ok, result.detail
    assert "+IPAexMincho" in result.detail
    assert "+IPAexGothic" in result.detail


def test_pdffonts_embedded_fails_standard_helvetica(files: dict[str, Path]) -> None:
    require("pdffonts")
    result = pdffonts_embedded(files["helvetica_pdf"])
    assert (result.ok, result.skipped) == (False, False)
    assert result.detail == "1 of 1 fonts not embedded: Helvetica (Type 1)"


# --- pdftotext -------------------------------------------------------------------


def test_pdftotext_text_extracts_japanese_exactly(files: dict[str, Path]) -> None:
    require("pdftotext")
    text = pdftotext_text(files["pdf"])
    assert HEADING in text
    assert "髙﨑①㈱〜～−－" in text


def test_pdftotext_matches_ignores_whitespace(files: dict[str, Path]) -> None:
    require("pdftotext")
    result = pdftotext_matches(files["pdf"], EXPECTED_TEXT.replace("、", "、 \n\u3000"))
    assert result.ok, result.detail


def test_pdftotext_matches_reports_first_difference(files: dict[str, Path]) -> None:
    require("pdftotext")
    wrong = EXPECTED_TEXT.replace("〜～", "～～")  # U+301C written as U+FF5E

    result = pdftotext_matches(files["pdf"], wrong)

    assert (result.ok, result.skipped) == (False, False)
    assert "expected U+FF5E, extracted U+301C" in result.detail
    assert "髙﨑①㈱[～]～−－" in result.detail
    assert "髙﨑①㈱[〜]～−－" in result.detail


def test_pdftotext_matches_reports_missing_text(files: dict[str, Path]) -> None:
    require("pdftotext")
    result = pdftotext_matches(files["pdf"], EXPECTED_TEXT + "以上")
    assert not result.ok
    assert "extracted end of text" in result.detail


# --- pdftoppm --------------------------------------------------------------------


def test_render_first_page_png(files: dict[str, Path], tmp_path: Path) -> None:
    require("pdftoppm")
    png = tmp_path / "pages" / "notice-p1.png"

    result = render_first_page_png(files["pdf"], png, dpi=50)

    assert result.ok, result.detail
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "(414×585 px at 50 dpi)" in result.detail  # A4 at 50 dpi
    assert list(png.parent.iterdir()) == [png]


def test_render_first_page_png_fails_on_broken_pdf(files: dict[str, Path], tmp_path: Path) -> None:
    require("pdftoppm")
    png = tmp_path / "broken.png"
    result = render_first_page_png(files["truncated_pdf"], png)
    assert (result.ok, result.skipped) == (False, False)
    assert not png.exists()


# --- LibreOffice -----------------------------------------------------------------


def test_fontconfig_aliases_ms_fonts_to_ipaex(tmp_path: Path) -> None:
    config = write_fontconfig(tmp_path / "fonts.conf")
    text = config.read_text(encoding="utf-8")
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in text
    assert f"<dir>{Path(BUNDLED_MINCHO_PATH).parent}</dir>" in text

    require("fc-match")
    for family, expected in [
        ("ＭＳ 明朝", "IPAexMincho"),
        ("MS Mincho", "IPAexMincho"),
        ("ＭＳ ゴシック", "IPAexGothic"),
        ("MS Gothic", "IPAexGothic"),
    ]:
        matched = subprocess.run(
            ["fc-match", "--format=%{family[0]}", family],
            env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        assert matched == expected, family


def test_libreoffice_convert_rejects_colliding_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="same PDF name"):
        libreoffice_convert([tmp_path / "a.docx", tmp_path / "a.xlsx"], tmp_path / "out")


def test_libreoffice_converts_batch_with_result_per_file(
    files: dict[str, Path], tmp_path: Path
) -> None:
    require("soffice")
    outdir = tmp_path / "pdf"
    not_office = tmp_path / "notes.txt"
    not_office.write_text("メモ", encoding="utf-8")
    inputs = [files["docx"], files["xlsx"], files["junk_docx"], not_office]

    results = libreoffice_convert(inputs, outdir)

    assert [r.file for r in results] == [str(p) for p in inputs]
    assert [(r.ok, r.skipped) for r in results] == [
        (True, False),
        (True, False),
        (False, False),
        (False, False),
    ], [r.detail for r in results]
    assert "source file could not be loaded" in results[2].detail
    assert results[3].detail == "not a .docx or .xlsx file: notes.txt"

    docx_pdf, xlsx_pdf = outdir / "notice.pdf", outdir / "form.pdf"
    if missing_tool("qpdf") is None:
        assert qpdf_check(docx_pdf).ok
        assert qpdf_check(xlsx_pdf).ok
    if missing_tool("pdffonts") is None:
        # The fontconfig alias made 「ＭＳ 明朝」 come out in IPAexMincho, not Gothic.
        assert "+IPAexMincho" in pdffonts_embedded(docx_pdf).detail
        fonts_in_xlsx = pdffonts_embedded(xlsx_pdf)
        assert fonts_in_xlsx.ok, fonts_in_xlsx.detail
        assert "+IPAexMincho" in fonts_in_xlsx.detail
        assert "+IPAexGothic" in fonts_in_xlsx.detail
    if missing_tool("pdftotext") is None:
        matched = pdftotext_matches(docx_pdf, EXPECTED_TEXT)
        assert matched.ok, matched.detail


# --- OOXML validator -------------------------------------------------------------


def _font_order_error(
    child: str, xpath: str = "/x:styleSheet[1]/x:fonts[1]/x:font[2]"
) -> OoxmlError:
    return OoxmlError(
        id="Sch_UnexpectedElementContentExpectingComplex",
        description=(
            "The element has unexpected child element "
            f"'http://schemas.openxmlformats.org/spreadsheetml/2006/main:{child}'."
        ),
        part="/xl/styles.xml",
        xpath=xpath,
    )


def test_allow_list_is_narrow() -> None:
    (rule,) = ALLOWED_ERRORS
    assert rule.matches(_font_order_error("color"), ".xlsx")
    assert rule.matches(
        _font_order_error("b", "/x:styleSheet[1]/x:dxfs[1]/x:dxf[3]/x:font[1]"), ".xlsx"
    )
    assert not rule.matches(_font_order_error("color"), ".docx")
    assert not rule.matches(_font_order_error("fill"), ".xlsx")
    assert not rule.matches(
        _font_order_error("b", "/x:styleSheet[1]/x:fills[1]/x:fill[1]"), ".xlsx"
    )


def test_ooxml_validate_passes_python_docx_file(files: dict[str, Path]) -> None:
    require_validator()
    result = ooxml_validate(files["docx"])
    assert result == CheckResult(
        str(files["docx"]), "ooxml-validate", True, False, "no schema errors (none allow-listed)"
    )


def test_ooxml_validate_allows_openpyxl_font_order(files: dict[str, Path]) -> None:
    require_validator()
    result = ooxml_validate(files["xlsx"])
    assert result.ok, result.detail
    assert re.fullmatch(r"no schema errors \([1-9]\d* allow-listed\)", result.detail)


def test_ooxml_validate_fails_misplaced_element(files: dict[str, Path]) -> None:
    require_validator()
    result = ooxml_validate(files["misplaced_protection_docx"])
    assert (result.ok, result.skipped) == (False, False)
    assert result.detail.startswith("1 schema errors")
    assert "/word/settings.xml" in result.detail
    assert "main:documentProtection'" in result.detail


def test_ooxml_validate_fails_unreadable_package(files: dict[str, Path]) -> None:
    require_validator()
    result = ooxml_validate(files["junk_docx"])
    assert (result.ok, result.skipped) == (False, False)
    assert result.detail == "validator exit status 1: Error: File contains corrupted data."
