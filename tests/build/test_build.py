"""The full build: every document in every format, reproducible to the byte, and every
file passing the real-client checks of ``notices verify``."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.build.write import build
from builder.sources.workspace import Workspace
from builder.verify.clients import missing_tool, missing_validator
from builder.verify.report import report, verify
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    build(Workspace(ROOT), out, jobs=2)  # two worker processes, even on one core
    return out


def index(out: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return entries


def test_every_document_in_every_format(built: Path) -> None:
    files = {str(entry["file"]) for entry in index(built)}
    for date in ("2024-07-31", "2024-10-10", "2025-01-20", "2025-03-27"):
        for fmt in ("txt", "docx", "pdf"):
            assert f"医政発0731第1号/{date}/consolidated.{fmt}" in files
        for fmt in ("csv", "xlsx", "pdf"):
            assert f"医政発0731第1号/{date}/別添1.{fmt}" in files
    for date in ("2024-10-10", "2025-01-20", "2025-03-27"):
        for kind in ("cover-notice", "distribution-letter", "comparison"):
            for fmt in ("txt", "docx", "pdf"):
                assert f"医政発0731第1号/{date}/{kind}.{fmt}" in files
        assert f"医政発0731第1号/{date}/kaibun.txt" in files
    for fmt in ("txt", "docx", "pdf"):
        assert f"地域医療計画課事務連絡2024-06-11/2024-06-11/consolidated.{fmt}" in files
        assert f"医政発0328第3号/2024-03-28/consolidated.{fmt}" in files


def test_index_matches_the_files(built: Path) -> None:
    entries = index(built)
    on_disk = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert on_disk == {str(e["file"]) for e in entries} | {"index.json", ".gitkeep", ".inputs"}
    for entry in entries:
        data = (built / str(entry["file"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    """The fixture's build ran in this process on two workers; this one runs in a new
    process (nothing cached, another second on the clock) with one: same bytes."""
    again = tmp_path / "again"
    command = [sys.executable, "-m", "builder", "--root", str(ROOT), "build", "--jobs", "1"]
    subprocess.run([*command, "--out", str(again)], check=True, capture_output=True)
    assert (again / "index.json").read_bytes() == (built / "index.json").read_bytes()


def test_every_file_passes_the_real_client_checks(built: Path) -> None:
    for tool in ("qpdf", "pdffonts", "pdftotext", "soffice"):
        reason = missing_tool(tool)
        if reason:
            pytest.skip(reason)
    reason = missing_validator()
    if reason:
        pytest.skip(reason)
    table = verify(built)
    text, passed = report(built, table)
    assert passed, text
    pdfs = [path for path in table if path.suffix == ".pdf"]
    assert all({"qpdf", "fonts"} <= set(table[p]) for p in pdfs)
    # every PDF with a text rendering beside it is compared with it (15: 医政発0731第1号's
    # 4 consolidated and 3 × 3 amendment documents, the 事務連絡, the 0328 notice)
    with_text = sum(1 for txt in built.rglob("*.txt") if txt.with_suffix(".pdf").is_file())
    assert sum("text" in table[p] for p in pdfs) == with_text >= 15
    office = [path for path in table if path.suffix in (".docx", ".xlsx")]
    assert all("libreoffice" in table[p] for p in office)
    validated = [p for p in office if "ooxml" in table[p]]
    forms = [p for p in office if "forms" in p.parts]
    assert len(office) - len(validated) == len(forms) - 2 * 2 - 2  # sample of prefilled forms
