"""Hostile returns: each crafted file is refused with a message, within bounded memory
and time, and never stops the other files (issue: reading returns is bounded in file
size, decompressed size, XML entity expansion, PDF object depth and time).

The bounds themselves (:mod:`builder.forms.returns.guard`): a file over 20 MB, a package whose
entries would decompress past 50 MB each / 100 MB in all or at more than 200:1, more
than 1,000 entries, an XML part with a DTD or entity declaration; the parse runs in a
child process with its address space and CPU time capped. The tests use small bounds
where the real ones would make them slow."""

from __future__ import annotations

import io
import shutil
import struct
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from builder.forms import render_form_docx, render_form_pdf, render_form_xlsx
from builder.forms.returns.guard import (
    MAX_FILE_BYTES,
    HostileFileError,
    check_container,
    run_bounded,
)
from builder.forms.returns.ingest import read_return, read_returns
from builder.forms.returns.read import FormReadError, open_form_file
from tests.forms.test_forms_common import GUNMA, SURVEY, fill_xlsx, form, forms

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n<lolz>&lol9;</lolz>\n"
)


def _survey(tmp_path: Path, suffix: str) -> Path:
    writer = {"xlsx": render_form_xlsx, "docx": render_form_docx, "pdf": render_form_pdf}[suffix]
    path = tmp_path / f"survey.{suffix}"
    path.write_bytes(writer(form(SURVEY)))
    return path


def _refused(path: Path, match: str) -> str:
    started = time.monotonic()
    result = read_return(path, forms())
    assert result.status == "refused", result
    (message,) = result.problems
    assert message.startswith(path.name), message
    assert match in message, message
    assert time.monotonic() - started < 30  # bounded: the child's own limit is 60 s
    return message


def _with_entry(source: Path, target: Path, name: str, data: bytes) -> Path:
    shutil.copyfile(source, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(name, data)
    return target


def _replace_part(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as original:
        parts = {item: original.read(item) for item in original.namelist()}
    parts[name] = data
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for item, content in parts.items():
            package.writestr(item, content)
    return target


# --------------------------------------------------------------------------- size


def test_an_oversized_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk, no memory
    _refused(path, f"a return is at most {MAX_FILE_BYTES:,} bytes")


# --------------------------------------------------------------------------- zip bombs


def test_a_zip_bomb_declaring_its_size_is_refused(tmp_path: Path) -> None:
    bomb = _with_entry(
        _survey(tmp_path, "xlsx"), tmp_path / "bomb.xlsx", "xl/media/x.bin", bytes(120 * 2**20)
    )
    assert bomb.stat().st_size < 1024 * 1024  # 120 MB of zeros compress to about 120 kB
    _refused(bomb, "would decompress to")


def test_a_highly_compressed_entry_is_refused(tmp_path: Path) -> None:
    bomb = _with_entry(
        _survey(tmp_path, "docx"), tmp_path / "ratio.docx", "word/media/x.bin", bytes(20 * 2**20)
    )
    _refused(bomb, "compressed")


def test_a_zip_bomb_lying_about_its_size_costs_at_most_the_declared_size(tmp_path: Path) -> None:
    """The central directory and local header say 1,000 bytes; the data inflates to 64 MB.
    Decompression stops at the declared size and the CRC check fails."""
    bomb = _with_entry(
        _survey(tmp_path, "xlsx"), tmp_path / "liar.xlsx", "xl/media/x.bin", bytes(64 * 2**20)
    )
    data = bytearray(bomb.read_bytes())
    name = b"xl/media/x.bin"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.rfind(signature + b"", 0, data.rfind(name))
        while data[start + (30 if signature == b"PK\x03\x04" else 46) :][: len(name)] != name:
            start = data.rfind(signature, 0, start)
        struct.pack_into("<I", data, start + offset, 1000)
    bomb.write_bytes(bytes(data))
    with zipfile.ZipFile(bomb) as package:
        assert package.getinfo("xl/media/x.bin").file_size == 1000
    _refused(bomb, "damaged")


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    shutil.copyfile(_survey(tmp_path, "docx"), path)
    with zipfile.ZipFile(path, "a") as package:
        for number in range(1001):
            package.writestr(f"word/media/{number}.bin", b"")
    _refused(path, "entries in the package")


def test_a_broken_package_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_survey(tmp_path, "xlsx").read_bytes()[:4000])
    _refused(path, "not a readable .xlsx package")


# --------------------------------------------------------------------------- XML


@pytest.mark.parametrize(
    ("suffix", "part"), [("docx", "word/document.xml"), ("xlsx", "xl/workbook.xml")]
)
def test_entity_expansion_is_refused_before_parsing(tmp_path: Path, suffix: str, part: str) -> None:
    path = _replace_part(
        _survey(tmp_path, suffix), tmp_path / f"laughs.{suffix}", part, BILLION_LAUGHS
    )
    _refused(path, "declares a DTD or entities")


def test_the_reader_itself_refuses_entities_too(tmp_path: Path) -> None:
    """Defence in depth: without the container check, defusedxml refuses the DTD."""
    path = _replace_part(
        _survey(tmp_path, "docx"), tmp_path / "laughs.docx", "word/document.xml", BILLION_LAUGHS
    )
    with pytest.raises(FormReadError, match=r"not a readable \.docx"):
        open_form_file(path)


# --------------------------------------------------------------------------- PDF


def _pdf_with_fields(path: Path, fields: ArrayObject, writer: PdfWriter) -> Path:
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): fields})
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_pdf_field_tree_with_a_reference_loop_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    node = DictionaryObject({NameObject("/T"): TextStringObject("a")})
    reference = writer._add_object(node)
    node[NameObject("/Kids")] = ArrayObject([reference])
    path = _pdf_with_fields(tmp_path / "loop.pdf", ArrayObject([reference]), writer)
    _refused(path, "reference loop")


def test_a_pdf_field_tree_nested_deep_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    child = writer._add_object(DictionaryObject({NameObject("/T"): TextStringObject("leaf")}))
    for number in range(100):
        child = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/T"): TextStringObject(f"n{number}"),
                    NameObject("/Kids"): ArrayObject([child]),
                }
            )
        )
    path = _pdf_with_fields(tmp_path / "deep-fields.pdf", ArrayObject([child]), writer)
    _refused(path, "nested more than")


def _raw_pdf(objects: list[bytes], trailer: bytes) -> bytes:
    """A PDF from numbered object bodies, with a correct xref table."""
    data = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj " % number + body + b" endobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return data + b"trailer <<" + trailer % {b"xref": xref} + b">>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_a_pdf_object_nested_50000_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.pdf"
    path.write_bytes(
        _raw_pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/AcroForm <</Fields 3 0 R>>>>",
                b"<</Type/Pages/Kids[]/Count 0>>",
                b"[" * 50000 + b"]" * 50000,
            ],
            b"/Size 4/Root 1 0 R",
        )
    )
    _refused(path, "nested too deep")


def test_a_pdf_whose_xref_chain_loops_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "prev.pdf"
    path.write_bytes(
        _raw_pdf(
            [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"],
            b"/Size 3/Root 1 0 R/Prev %(xref)d",
        )
    )
    _refused(path, "no form id or version inside")


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"MZ\x90\x00" + bytes(2000))
    _refused(path, "no %PDF- header")


# --------------------------------------------------------------------------- the bounds


def _allocate(path: Path) -> object:
    return bytearray(2 * 1024 * 1024 * 1024)


def _spin(path: Path) -> object:
    while True:
        pass


def _sleep(path: Path) -> object:
    time.sleep(30)
    return None


def test_a_parse_over_its_memory_bound_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(HostileFileError, match="more than 256 MB"):
        run_bounded(_allocate, tmp_path / "x.pdf", memory=256 * 2**20)


@pytest.mark.parametrize("function", [_spin, _sleep])
def test_a_parse_over_its_time_bound_is_stopped(tmp_path: Path, function: object) -> None:
    started = time.monotonic()
    with pytest.raises(HostileFileError, match=r"x\.pdf: reading"):
        run_bounded(function, tmp_path / "x.pdf", seconds=1)  # type: ignore[arg-type]
    assert time.monotonic() - started < 10


def test_container_check_accepts_every_real_form(tmp_path: Path) -> None:
    for suffix in ("xlsx", "docx", "pdf"):
        check_container(_survey(tmp_path, suffix))


def test_hostile_files_do_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "gunma.xlsx"
    good.write_bytes(render_form_xlsx(form(SURVEY)))
    fill_xlsx(good, form(SURVEY), GUNMA)
    laughs = _replace_part(
        _survey(tmp_path, "docx"), tmp_path / "laughs.docx", "word/document.xml", BILLION_LAUGHS
    )
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    results = read_returns([laughs, good, huge], forms())
    assert [r.status for r in results] == ["refused", "ok", "refused"]
    assert {k: v for k, v in results[1].values.items() if k in GUNMA} == GUNMA
