"""Bundled IPAex fonts, their hash check, and registration with reportlab."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from builder.formats import fonts
from builder.formats.fonts import (
    BUNDLED_GOTHIC_PATH,
    BUNDLED_MINCHO_PATH,
    FontError,
    FontSet,
    register_fonts,
)

FONTS_DIR = Path(BUNDLED_MINCHO_PATH).parent
SAMPLE = "厚生労働省医政局長　髙﨑①㈱〜～−－"


@pytest.fixture(autouse=True)
def _no_font_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start from the defaults whatever the caller's environment says."""
    monkeypatch.delenv(fonts.MINCHO_ENV, raising=False)
    monkeypatch.delenv(fonts.GOTHIC_ENV, raising=False)


def _sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _pdf_text(font_name: str, text: str) -> str:
    """Draw ``text`` in ``font_name`` on one page and extract it again with pypdf."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(font_name, 12)
    canvas.drawString(72, 720, text)
    canvas.save()
    return pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()


def _ttc_from_ttf(ttf: bytes) -> bytes:
    """Wrap one TrueType font in a one-font TrueType Collection ('ttcf' v1.0).

    Table offsets in a collection count from the start of the file, so each one
    moves by the 16-byte collection header.
    """
    header_size = 16
    num_tables = struct.unpack(">H", ttf[4:6])[0]
    table_dir = bytearray(ttf[: 12 + 16 * num_tables])
    for i in range(num_tables):
        offset_pos = 12 + 16 * i + 8
        (offset,) = struct.unpack(">I", table_dir[offset_pos : offset_pos + 4])
        table_dir[offset_pos : offset_pos + 4] = struct.pack(">I", offset + header_size)
    collection_header = b"ttcf" + struct.pack(">HHII", 1, 0, 1, header_size)
    return collection_header + bytes(table_dir) + ttf[len(table_dir) :]


def test_bundled_files_are_the_pinned_ipaex_fonts() -> None:
    assert _sha256(BUNDLED_MINCHO_PATH) == fonts.BUNDLED_MINCHO_SHA256
    assert _sha256(BUNDLED_GOTHIC_PATH) == fonts.BUNDLED_GOTHIC_SHA256
    readme = (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    assert fonts.BUNDLED_MINCHO_SHA256 in readme
    assert fonts.BUNDLED_GOTHIC_SHA256 in readme
    licence = (FONTS_DIR / "IPA_Font_License_Agreement_v1.0.txt").read_text(encoding="utf-8")
    assert licence.startswith("IPAフォントライセンスv1.0")
    assert "IPA Font License Agreement v1.0" in licence
    assert "The Recipient must attach a copy of this Agreement" in licence


def test_default_registers_bundled_fonts_once() -> None:
    font_set = register_fonts()
    assert font_set == FontSet(mincho="IPAexMincho", gothic="IPAexGothic")
    mincho = pdfmetrics.getFont(font_set.mincho)
    gothic = pdfmetrics.getFont(font_set.gothic)
    assert register_fonts() == font_set
    # The same TTFont objects: a second call registered nothing again.
    assert pdfmetrics.getFont(font_set.mincho) is mincho
    assert pdfmetrics.getFont(font_set.gothic) is gothic


def test_bundled_fonts_embed_and_extract_exactly() -> None:
    font_set = register_fonts()
    for name in (font_set.mincho, font_set.gothic):
        assert _pdf_text(name, SAMPLE).strip() == SAMPLE


def test_environment_variable_overrides_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafter_font = tmp_path / "drafter-mincho.ttf"
    drafter_font.write_bytes(Path(BUNDLED_MINCHO_PATH).read_bytes())
    monkeypatch.setenv(fonts.MINCHO_ENV, str(drafter_font))

    font_set = register_fonts()

    assert font_set.mincho.startswith("drafter-mincho-")
    assert font_set.gothic == "IPAexGothic"
    assert _pdf_text(font_set.mincho, SAMPLE).strip() == SAMPLE


def test_argument_wins_over_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fonts.GOTHIC_ENV, str(tmp_path / "does-not-exist.ttf"))
    explicit = tmp_path / "explicit-gothic.ttf"
    explicit.write_bytes(Path(BUNDLED_GOTHIC_PATH).read_bytes())

    font_set = register_fonts(gothic_path=str(explicit))

    assert font_set.gothic.startswith("explicit-gothic-")


def test_truetype_collection_uses_first_face(tmp_path: Path) -> None:
    collection = tmp_path / "msmincho.ttc"
    collection.write_bytes(_ttc_from_ttf(Path(BUNDLED_MINCHO_PATH).read_bytes()))

    font_set = register_fonts(mincho_path=str(collection))

    assert font_set.mincho.startswith("msmincho-")
    assert _pdf_text(font_set.mincho, SAMPLE).strip() == SAMPLE


def test_missing_file_names_path_and_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "msmincho.ttc"
    monkeypatch.setenv(fonts.MINCHO_ENV, str(missing))

    with pytest.raises(FontError) as caught:
        register_fonts()

    message = str(caught.value)
    assert str(missing) in message
    assert "not found" in message
    assert fonts.MINCHO_ENV in message


def test_cff_opentype_is_rejected_clearly(tmp_path: Path) -> None:
    # An sfnt whose version tag is 'OTTO' has CFF (PostScript) outlines.
    otf = tmp_path / "NotoSerifCJKjp-Regular.otf"
    otf.write_bytes(b"OTTO" + bytes(508))

    with pytest.raises(FontError) as caught:
        register_fonts(mincho_path=str(otf))

    message = str(caught.value)
    assert str(otf) in message
    assert "postscript outlines are not supported" in message
    assert "CFF" in message
    assert "mincho_path" in message


def test_file_that_is_not_a_font_is_rejected(tmp_path: Path) -> None:
    not_a_font = tmp_path / "mincho.ttf"
    not_a_font.write_text("this is not a font", encoding="utf-8")

    with pytest.raises(FontError, match="cannot load"):
        register_fonts(mincho_path=str(not_a_font))


def test_altered_bundled_font_fails_hash_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "ipaexm.ttf"
    damaged.write_bytes(Path(BUNDLED_MINCHO_PATH).read_bytes()[:4096])
    monkeypatch.setattr(fonts, "BUNDLED_MINCHO_PATH", str(damaged))

    with pytest.raises(FontError) as caught:
        register_fonts()

    message = str(caught.value)
    assert str(damaged) in message
    assert fonts.BUNDLED_MINCHO_SHA256 in message
    assert _sha256(damaged) in message
    assert "restore" in message
