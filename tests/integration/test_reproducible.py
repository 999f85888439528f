"""Byte-reproducible .docx/.xlsx (normalize_ooxml) and PDFs (reportlab invariant)."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from openpyxl.styles import Font
from reportlab.pdfgen.canvas import Canvas

from builder.formats.fonts import register_fonts
from builder.formats.reproducible import (
    GENERATOR,
    normalize_ooxml,
    pdf_canvas_kwargs,
    set_canvas_metadata,
)

TITLE = '医療法施行規則の一部を改正する省令の施行について <案> & "別紙"'
SUBJECT = "医政発0401第1号"
EPOCH = (1980, 1, 1, 0, 0, 0)
UTC = datetime.UTC
JST = datetime.timezone(datetime.timedelta(hours=9))
# Two clock readings a long way apart: the raw files must differ.
CLOCKS = (1_700_000_000.0, 1_735_000_000.0)


def _docx_bytes(clock: float) -> bytes:
    document = docx.Document()
    document.add_paragraph("厚生労働省医政局長　通知")
    document.core_properties.modified = datetime.datetime.fromtimestamp(clock, UTC)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes(clock: float) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.properties.created = datetime.datetime.fromtimestamp(clock, UTC).replace(tzinfo=None)
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "様式第一号"
    sheet["A1"].font = Font(name="ＭＳ 明朝", size=11)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _saved_at(
    make: Callable[[float], bytes], clock: float, monkeypatch: pytest.MonkeyPatch
) -> bytes:
    """Build a file while time.time() (used by zipfile for entry dates) reads ``clock``."""
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: clock)
        return make(clock)


@pytest.mark.parametrize("make", [_docx_bytes, _xlsx_bytes], ids=["docx", "xlsx"])
def test_normalised_packages_are_byte_identical(
    make: Callable[[float], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = (_saved_at(make, clock, monkeypatch) for clock in CLOCKS)
    assert first != second

    normalised = [normalize_ooxml(raw, title=TITLE, subject=SUBJECT) for raw in (first, second)]

    assert normalised[0] == normalised[1]
    assert normalize_ooxml(normalised[0], title=TITLE, subject=SUBJECT) == normalised[0]


@pytest.mark.parametrize("make", [_docx_bytes, _xlsx_bytes], ids=["docx", "xlsx"])
def test_zip_entries_are_fixed_and_in_original_order(make: Callable[[float], bytes]) -> None:
    raw = make(CLOCKS[0])
    normalised = normalize_ooxml(raw, title=TITLE)

    with (
        zipfile.ZipFile(io.BytesIO(raw)) as before,
        zipfile.ZipFile(io.BytesIO(normalised)) as after,
    ):
        assert after.namelist() == before.namelist()
        for info in after.infolist():
            assert info.date_time == EPOCH
            assert info.create_system == 3
            assert info.external_attr == 0o100644 << 16
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.extra == b""
            if info.filename != "docProps/core.xml":
                assert after.read(info) == before.read(info.filename)


def test_docx_still_opens_with_core_properties_set() -> None:
    normalised = normalize_ooxml(_docx_bytes(CLOCKS[0]), title=TITLE, subject=SUBJECT)

    document = docx.Document(io.BytesIO(normalised))

    assert document.paragraphs[0].text == "厚生労働省医政局長　通知"
    properties = document.core_properties
    assert properties.title == TITLE
    assert properties.subject == SUBJECT
    assert properties.author == GENERATOR
    assert properties.last_modified_by == GENERATOR
    assert properties.created == datetime.datetime(2000, 1, 1, tzinfo=UTC)
    assert properties.modified == datetime.datetime(2000, 1, 1, tzinfo=UTC)


def test_xlsx_still_opens_with_core_properties_set() -> None:
    created = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=JST)
    normalised = normalize_ooxml(
        _xlsx_bytes(CLOCKS[0]), title=TITLE, subject=SUBJECT, created=created
    )

    workbook = openpyxl.load_workbook(io.BytesIO(normalised))

    sheet = workbook.active
    assert sheet is not None
    assert sheet["A1"].value == "様式第一号"
    assert sheet["A1"].font.name == "ＭＳ 明朝"
    properties = workbook.properties
    assert properties.title == TITLE
    assert properties.subject == SUBJECT
    assert properties.creator == GENERATOR
    assert properties.lastModifiedBy == GENERATOR
    # openpyxl reads W3CDTF timestamps back as naive UTC.
    assert properties.created == datetime.datetime(2025, 4, 1, 0, 0)
    assert properties.modified == datetime.datetime(2025, 4, 1, 0, 0)


def test_core_xml_escapes_title_and_fixes_dates() -> None:
    normalised = normalize_ooxml(_docx_bytes(CLOCKS[0]), title=TITLE, subject=SUBJECT)

    with zipfile.ZipFile(io.BytesIO(normalised)) as package:
        core = package.read("docProps/core.xml").decode("utf-8")

    assert "&lt;案&gt; &amp;" in core
    assert (
        '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>' in core
    )
    assert "<dc:creator>notices builder</dc:creator>" in core
    assert "python-docx</dc:creator>" not in core


def test_naive_created_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        normalize_ooxml(_docx_bytes(CLOCKS[0]), title=TITLE, created=datetime.datetime(2025, 4, 1))


def test_package_without_core_properties_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValueError, match=r"docProps/core\.xml"):
        normalize_ooxml(buffer.getvalue(), title=TITLE)


def test_pdf_canvas_kwargs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTICES_MINCHO_FONT", raising=False)
    assert pdf_canvas_kwargs("題名", "件名") == {
        "invariant": 1,
        "title": "題名",
        "subject": "件名",
        "author": "厚生労働省医政局",
        "creator": GENERATOR,
        "initialFontName": "IPAexMincho",
    }
    assert pdf_canvas_kwargs("題名", "件名", "医政局長", initial_font="IPAexGothic") == {
        "invariant": 1,
        "title": "題名",
        "subject": "件名",
        "author": "医政局長",
        "creator": GENERATOR,
        "initialFontName": "IPAexGothic",
    }


def test_set_canvas_metadata_on_bare_canvas() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, **pdf_canvas_kwargs("無視される", "無視される"))
    set_canvas_metadata(canvas, title="題名", subject="件名")
    canvas.drawString(72, 720, "x")
    canvas.save()

    metadata = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).metadata
    assert metadata is not None
    assert metadata.title == "題名"
    assert metadata.subject == "件名"
    assert metadata.author == "厚生労働省医政局"
    assert metadata.creator == GENERATOR


_PDF_SCRIPT = textwrap.dedent(
    """
    import sys
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from builder.formats.fonts import register_fonts
    from builder.formats.reproducible import pdf_canvas_kwargs

    fonts = register_fonts()
    heading = ParagraphStyle("heading", fontName=fonts.gothic, fontSize=14, leading=20)
    body = ParagraphStyle("body", fontName=fonts.mincho, fontSize=10.5, leading=18,
                          wordWrap="CJK", firstLineIndent=10.5)
    document = SimpleDocTemplate(sys.argv[1], pagesize=A4,
                                 **pdf_canvas_kwargs(sys.argv[2], sys.argv[3]))
    document.build([
        Paragraph("医療法施行規則の一部を改正する省令の施行について", heading),
        Paragraph("標記について、別添のとおり公布され、令和7年4月1日から施行することとされたので、"
                  "髙﨑①㈱〜～−－を含め、貴管下の医療機関等に対し周知願います。", body),
    ])
    """
)


def test_pdf_is_byte_identical_across_processes(tmp_path: Path) -> None:
    script = tmp_path / "build_pdf.py"
    script.write_text(_PDF_SCRIPT, encoding="utf-8")
    outputs = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    for output in outputs:
        subprocess.run(
            [sys.executable, str(script), str(output), TITLE, SUBJECT],
            check=True,
            timeout=120,
        )

    first, second = (output.read_bytes() for output in outputs)
    assert first == second

    reader = pypdf.PdfReader(outputs[0])
    assert reader.metadata is not None
    assert reader.metadata.title == TITLE
    assert reader.metadata.subject == SUBJECT
    assert reader.metadata.author == "厚生労働省医政局"
    assert reader.metadata.creator == GENERATOR
    assert "髙﨑①㈱〜～−－" in reader.pages[0].extract_text()
    # The fonts the PDF uses are the bundled ones this process registers too.
    assert register_fonts().mincho.encode("ascii") in first
