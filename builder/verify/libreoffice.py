"""Open .docx/.xlsx files in LibreOffice and convert them to PDF, as a recipient would.

All files go to ONE ``soffice --headless --convert-to pdf`` call (start-up is most
of the cost). Each call gets:

* its own fresh user profile (``-env:UserInstallation=file:///tmp/...``), so
  parallel calls do not fight over a profile lock and no earlier settings leak in;
* its own fontconfig configuration (``FONTCONFIG_FILE``), which includes the
  system configuration, adds the bundled ``builder/fonts`` directory, and makes
  the Microsoft font names used in the documents prefer the IPAex fonts.
  Without the alias, LibreOffice with only IPAex installed substitutes
  IPAexGothic for 「ＭＳ 明朝」.

LibreOffice's PDFs are not reproducible; they are for checking, not for release.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

from builder.formats.fonts import BUNDLED_FONTS_DIR
from builder.verify.result import CheckResult, missing_tool, output_of, run_tool

__all__ = ["FONT_ALIASES", "libreoffice_convert", "write_fontconfig"]

_CHECK: Final = "libreoffice convert-to pdf"
_SUFFIXES: Final = frozenset({".docx", ".xlsx"})
_SYSTEM_FONTCONFIG: Final = "/etc/fonts/fonts.conf"

# Family names found in Word/Excel documents → the font LibreOffice should use.
FONT_ALIASES: Final[Mapping[str, str]] = {
    "ＭＳ 明朝": "IPAexMincho",
    "MS Mincho": "IPAexMincho",
    "ＭＳ Ｐ明朝": "IPAexMincho",
    "MS PMincho": "IPAexMincho",
    "ＭＳ ゴシック": "IPAexGothic",
    "MS Gothic": "IPAexGothic",
    "ＭＳ Ｐゴシック": "IPAexGothic",
    "MS PGothic": "IPAexGothic",
}


def write_fontconfig(path: str | Path, font_dirs: Iterable[str | Path] = ()) -> Path:
    """Write a fonts.conf for ``FONTCONFIG_FILE``: system config + bundled fonts + aliases.

    ``font_dirs`` are extra font directories; the bundled ``builder/fonts`` is
    always added.
    """
    directories = [BUNDLED_FONTS_DIR, *(Path(d) for d in font_dirs)]
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        f'  <include ignore_missing="yes">{_SYSTEM_FONTCONFIG}</include>',
    ]
    lines += [f"  <dir>{escape(str(directory.resolve()))}</dir>" for directory in directories]
    for family, preferred in FONT_ALIASES.items():
        lines += [
            '  <alias binding="strong">',
            f"    <family>{escape(family)}</family>",
            f"    <prefer><family>{escape(preferred)}</family></prefer>",
            "  </alias>",
        ]
    lines.append("</fontconfig>")
    target = Path(path)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def libreoffice_convert(
    paths: Sequence[str | Path], outdir: str | Path, *, timeout: float = 300.0
) -> list[CheckResult]:
    """Convert .docx/.xlsx files to PDF in ``outdir``; one result per input file.

    The PDF for ``name.docx`` is ``outdir/name.pdf``; an existing file of that
    name is removed first so a stale PDF cannot pass. Two inputs with the same
    stem would overwrite each other's PDF: that raises ``ValueError``.
    """
    inputs = [Path(p) for p in paths]
    stems = [p.stem for p in inputs]
    duplicates = sorted({stem for stem in stems if stems.count(stem) > 1})
    if duplicates:
        raise ValueError(f"inputs would produce the same PDF name: {duplicates}")

    reason = missing_tool("soffice")
    if reason:
        return [CheckResult.skip(p, _CHECK, reason) for p in inputs]

    results: dict[Path, CheckResult] = {}
    to_convert: list[Path] = []
    for source in inputs:
        if source.suffix.lower() not in _SUFFIXES:
            results[source] = CheckResult.failed(
                source, _CHECK, f"not a .docx or .xlsx file: {source.name}"
            )
        elif not source.is_file():
            results[source] = CheckResult.failed(source, _CHECK, f"no such file: {source}")
        else:
            to_convert.append(source)

    target_dir = Path(outdir).resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    if to_convert:
        results.update(_convert_batch(to_convert, target_dir, timeout))
    return [results[source] for source in inputs]


def _convert_batch(sources: list[Path], outdir: Path, timeout: float) -> dict[Path, CheckResult]:
    pdfs = {source: outdir / f"{source.stem}.pdf" for source in sources}
    for pdf in pdfs.values():
        pdf.unlink(missing_ok=True)

    work = Path(tempfile.mkdtemp(prefix="notices-soffice-"))
    try:
        fontconfig = write_fontconfig(work / "fonts.conf")
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig))
        args = [
            "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(source.resolve()) for source in sources),
        ]
        try:
            completed = run_tool(args, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return {
                source: CheckResult.failed(
                    source, _CHECK, f"soffice timed out after {timeout:.0f} s"
                )
                for source in sources
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # soffice reports "convert a -> b" for successes and an unattributed "Error: ..."
    # line for each failure; keep everything except the success lines.
    output = "\n".join(
        line for line in output_of(completed).splitlines() if not line.startswith("convert ")
    )
    results = {}
    for source, pdf in pdfs.items():
        if _is_pdf(pdf):
            results[source] = CheckResult.passed(
                source, _CHECK, f"converted to {pdf} ({pdf.stat().st_size} bytes)"
            )
        else:
            results[source] = CheckResult.failed(
                source,
                _CHECK,
                f"no PDF produced (soffice exit status {completed.returncode}): {output}",
            )
    return results


def _is_pdf(path: Path) -> bool:
    if not path.is_file():
        return False
    with open(path, "rb") as handle:
        return handle.read(5) == b"%PDF-"
