"""PDF checks with qpdf and poppler-utils (pdffonts, pdftotext, pdftoppm)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from builder.verify.result import (
    CheckResult,
    ToolFailedError,
    ToolMissingError,
    missing_tool,
    output_of,
    run_tool,
)

__all__ = [
    "PdfFont",
    "parse_pdffonts",
    "pdffonts_embedded",
    "pdftotext_matches",
    "pdftotext_text",
    "qpdf_check",
    "render_first_page_png",
]

_TIMEOUT: Final = 120.0
# Whitespace ignored when comparing extracted text: ASCII whitespace (including the
# form feed pdftotext puts between pages) and the ideographic space U+3000.
_IGNORED_WHITESPACE: Final = re.compile("[ \t\n\r\f\v\u3000]+")
_CONTEXT: Final = 15
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"


def qpdf_check(pdf_path: str | Path) -> CheckResult:
    """``qpdf --check``: passes only on exit status 0 (exit 3 = warnings also fails)."""
    check = "qpdf --check"
    reason = missing_tool("qpdf")
    if reason:
        return CheckResult.skip(pdf_path, check, reason)
    try:
        completed = run_tool(["qpdf", "--check", str(pdf_path)], timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        return CheckResult.failed(pdf_path, check, f"timed out after {_TIMEOUT:.0f} s")
    if completed.returncode == 0:
        return CheckResult.passed(pdf_path, check, "no syntax or stream encoding errors")
    return CheckResult.failed(
        pdf_path, check, f"exit status {completed.returncode}:\n{output_of(completed)}"
    )


@dataclass(frozen=True)
class PdfFont:
    """One row of ``pdffonts`` output."""

    name: str
    type: str
    encoding: str
    embedded: bool
    subset: bool
    unicode: bool
    object_id: str


def parse_pdffonts(output: str) -> list[PdfFont]:
    """Parse the table printed by ``pdffonts``.

    Columns are cut at the positions of the dashed separator line, because names
    and types ("Type 1", "CID TrueType") may contain spaces.
    """
    lines = output.splitlines()
    separator_index = next(
        (i for i, line in enumerate(lines) if line.startswith("-") and set(line) <= {"-", " "}),
        None,
    )
    if separator_index is None:
        raise ValueError(f"no separator line in pdffonts output: {output!r}")
    spans = [match.span() for match in re.finditer(r"-+", lines[separator_index])]
    if len(spans) != 7:
        raise ValueError(f"expected 7 pdffonts columns, found {len(spans)}: {output!r}")
    fonts = []
    for line in lines[separator_index + 1 :]:
        if not line.strip():
            continue
        cells = [line[start:end].strip() for start, end in spans[:-1]]
        cells.append(line[spans[-1][0] :].strip())  # object ID may run past the dashes
        name, font_type, encoding, emb, sub, uni, object_id = cells
        fonts.append(
            PdfFont(
                name=name,
                type=font_type,
                encoding=encoding,
                embedded=emb == "yes",
                subset=sub == "yes",
                unicode=uni == "yes",
                object_id=object_id,
            )
        )
    return fonts


def pdffonts_embedded(pdf_path: str | Path) -> CheckResult:
    """Every font listed by ``pdffonts`` must be embedded (emb = yes)."""
    check = "pdffonts embedded"
    reason = missing_tool("pdffonts")
    if reason:
        return CheckResult.skip(pdf_path, check, reason)
    try:
        completed = run_tool(["pdffonts", str(pdf_path)], timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        return CheckResult.failed(pdf_path, check, f"timed out after {_TIMEOUT:.0f} s")
    if completed.returncode != 0:
        return CheckResult.failed(
            pdf_path, check, f"pdffonts exit status {completed.returncode}: {output_of(completed)}"
        )
    try:
        fonts = parse_pdffonts(completed.stdout)
    except ValueError as exc:
        return CheckResult.failed(pdf_path, check, str(exc))
    not_embedded = [font for font in fonts if not font.embedded]
    if not_embedded:
        listed = ", ".join(f"{font.name} ({font.type})" for font in not_embedded)
        return CheckResult.failed(
            pdf_path, check, f"{len(not_embedded)} of {len(fonts)} fonts not embedded: {listed}"
        )
    names = ", ".join(font.name for font in fonts)
    return CheckResult.passed(pdf_path, check, f"all {len(fonts)} fonts embedded: {names}")


def pdftotext_text(pdf_path: str | Path, *options: str) -> str:
    """The text of a PDF as extracted by ``pdftotext -enc UTF-8`` (plus ``options``, e.g.
    ``-raw`` for content-stream order).

    Raises :class:`ToolMissingError` if pdftotext is not installed and
    :class:`ToolFailedError` if it fails.
    """
    reason = missing_tool("pdftotext")
    if reason:
        raise ToolMissingError(reason)
    command = ["pdftotext", "-enc", "UTF-8", *options, str(pdf_path), "-"]
    completed = run_tool(command, timeout=_TIMEOUT)
    if completed.returncode != 0:
        raise ToolFailedError(
            f"pdftotext {pdf_path}: exit status {completed.returncode}: {output_of(completed)}"
        )
    return completed.stdout


PAGE_NUMBER_LINE = re.compile(r"^[ \t\f]*-[ \t]*\d+[ \t]*-[ \t]*$", re.MULTILINE)
"""A page number as the PDF writer prints it (「- 1 -」), alone on its line."""


def pdftotext_matches(
    pdf_path: str | Path, expected_text: str, *, raw: bool = False, page_numbers: bool = False
) -> CheckResult:
    """The extracted text equals ``expected_text`` once all whitespace is removed.

    ``raw`` extracts in content-stream order (``pdftotext -raw``: reading order for the
    PDFs this project writes, tables row by row); ``page_numbers`` drops 「- n -」 lines.

    Whitespace means ASCII whitespace and U+3000 (全角空白). On a mismatch the
    detail names the first differing character (with code points, so that
    ～ U+FF5E and 〜 U+301C are told apart) and its context.
    """
    check = "pdftotext text"
    reason = missing_tool("pdftotext")
    if reason:
        return CheckResult.skip(pdf_path, check, reason)
    try:
        actual = pdftotext_text(pdf_path, *(["-raw"] if raw else []))
        if page_numbers:
            actual = PAGE_NUMBER_LINE.sub("", actual)
    except (ToolFailedError, subprocess.TimeoutExpired) as exc:
        return CheckResult.failed(pdf_path, check, str(exc))
    expected_compact = _IGNORED_WHITESPACE.sub("", expected_text)
    actual_compact = _IGNORED_WHITESPACE.sub("", actual)
    if expected_compact == actual_compact:
        return CheckResult.passed(
            pdf_path, check, f"{len(actual_compact)} characters match (whitespace ignored)"
        )
    return CheckResult.failed(
        pdf_path, check, _describe_difference(expected_compact, actual_compact)
    )


def _describe_difference(expected: str, actual: str) -> str:
    index = next(
        (i for i, (e, a) in enumerate(zip(expected, actual, strict=False)) if e != a),
        min(len(expected), len(actual)),
    )

    def around(text: str) -> str:
        before = text[max(0, index - _CONTEXT) : index]
        here = f"[{text[index]}]" if index < len(text) else "[<end>]"
        after = text[index + 1 : index + 1 + _CONTEXT]
        return f"…{before}{here}{after}…"

    def code_point(text: str) -> str:
        return f"U+{ord(text[index]):04X}" if index < len(text) else "end of text"

    return (
        f"first difference at character {index} (whitespace removed; "
        f"expected {len(expected)}, extracted {len(actual)} characters): "
        f"expected {code_point(expected)}, extracted {code_point(actual)}\n"
        f"  expected:  {around(expected)}\n"
        f"  extracted: {around(actual)}"
    )


def render_first_page_png(
    pdf_path: str | Path, png_path: str | Path, *, dpi: int = 100
) -> CheckResult:
    """Render page 1 with ``pdftoppm -png`` to ``png_path`` (for looking at, or diffing)."""
    check = "pdftoppm first page"
    reason = missing_tool("pdftoppm")
    if reason:
        return CheckResult.skip(pdf_path, check, reason)
    target = Path(png_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="notices-pdftoppm-", dir=target.parent) as work:
        prefix = Path(work) / "page"
        args = ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
        try:
            completed = run_tool([*args, str(pdf_path), str(prefix)], timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            return CheckResult.failed(pdf_path, check, f"timed out after {_TIMEOUT:.0f} s")
        produced = prefix.with_suffix(".png")
        if completed.returncode != 0 or not produced.is_file():
            return CheckResult.failed(
                pdf_path, check, f"exit status {completed.returncode}: {output_of(completed)}"
            )
        os.replace(produced, target)
    with open(target, "rb") as handle:
        header = handle.read(24)
    if not header.startswith(_PNG_SIGNATURE):
        return CheckResult.failed(pdf_path, check, f"{target} is not a PNG file")
    width = int.from_bytes(header[16:20], "big")
    height = int.from_bytes(header[20:24], "big")
    return CheckResult.passed(pdf_path, check, f"wrote {target} ({width}×{height} px at {dpi} dpi)")
