"""``notices verify``: every real-client check on a built output folder, as a table of
file × check.

For each PDF: ``qpdf --check``, every font embedded (``pdffonts``), and the text
(``pdftotext -raw``, page numbers dropped) equal to the document's own text rendering
(the ``.txt`` beside it) once whitespace is removed and, in the text rendering, what the
PDF shows otherwise or once (:func:`strip_table_marks`, :func:`strip_comparison_marks`,
:func:`strip_repeated_form_title`). For each .docx/.xlsx: LibreOffice
converts it to PDF (all files in one call) and the OOXML validator finds no error outside
its allow-list. A missing tool is reported, never passed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from builder.core.errors import NoticeError
from builder.documents.form_title import shares_title
from builder.engine.compare import CLOSE_MARK, OPEN_MARK
from builder.engine.textform import INDENT
from builder.verify.clients import (
    CheckResult,
    libreoffice_convert,
    ooxml_validate,
    pdffonts_embedded,
    pdftotext_matches,
    qpdf_check,
)

CHECKS = ("qpdf", "fonts", "text", "libreoffice", "ooxml")

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` steps as verify goes: a step is one PDF's checks, the
LibreOffice conversion of every .docx/.xlsx, or one file's OOXML validation."""


def _built_entries(out: Path) -> list[dict[str, str]]:
    index = out / "index.json"
    if not index.is_file():
        raise NoticeError(f"{out}: no index.json; run `notices build --out {out}` first")
    entries: list[dict[str, str]] = json.loads(index.read_text(encoding="utf-8"))
    return entries


def schema_sample(entries: list[dict[str, str]]) -> set[str]:
    """The files the (slow) OOXML validator checks: every document, every blank form, and
    one prefilled copy of each form per format — the prefilled copies differ only in the
    two values filled in, written by the same code."""
    chosen: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if entry["format"] not in ("docx", "xlsx"):
            continue
        prefilled = entry["kind"] == "form" and "area" in entry
        key = (entry.get("form", ""), entry["format"])
        if not prefilled or key not in seen:
            chosen.add(entry["file"])
        if prefilled:
            seen.add(key)
    return chosen


def _pdf_checks(pdf: Path, skip: frozenset[str] = frozenset()) -> list[tuple[str, CheckResult]]:
    results = []
    if "qpdf" not in skip:
        results.append(("qpdf", qpdf_check(pdf)))
    if "fonts" not in skip:
        results.append(("fonts", pdffonts_embedded(pdf)))
    text = pdf.with_suffix(".txt")
    if "text" not in skip and text.is_file():
        expected = text.read_text(encoding="utf-8")
        expected = strip_comparison_marks(strip_table_marks(strip_repeated_form_title(expected)))
        results.append(("text", pdftotext_matches(pdf, expected, raw=True, page_numbers=True)))
    return results


def strip_table_marks(text: str) -> str:
    """A text rendering with each generic table's text form (``table_lines``) reduced to
    the words its grid shows: a header row's ［｜］ dropped and, in the rows under the
    header, the 【column】 that opens each cell. A table is found by its header rows
    (lines that are ［…］ whole: nothing else in a text rendering starts with ［) and runs
    to the next blank line (the one before its note) or page; a table without header rows
    keeps its 【】 (it has no heading to recognise them by)."""
    out: list[str] = []
    openers: tuple[str, ...] = ()
    for line in text.split("\n"):
        if len(line) >= 2 and line.startswith("［") and line.endswith("］"):
            headings = line[1:-1].split("｜")
            openers = tuple(f"{INDENT}【{heading}】" for heading in [*headings[1:], ""])
            out.append("".join(headings))
        elif openers and line.strip(" " + INDENT) and not line.startswith("\f"):
            opener = next((o for o in openers if line.startswith(o)), "")
            out.append(line[len(opener) :])
        else:
            openers = ()
            out.append(line)
    return "\n".join(out)


def strip_repeated_form_title(text: str) -> str:
    """A text rendering without a form's own title where the PDF prints it once: the
    line after an attachment's label, its title and a blank line, when the attachment's
    title starts with it (「区域対応方針（様式例）」 then 「区域対応方針」, the form's
    print layout; :func:`builder.documents.form_title.shares_title`)."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        out.append(lines[index])
        if lines[index].startswith("\f（") and index + 3 < len(lines):
            title, blank, first = lines[index + 1].strip(" "), lines[index + 2], lines[index + 3]
            if title and not blank and shares_title(title, first):
                out += [lines[index + 1], blank]
                index += 4
                continue
        index += 1
    return "\n".join(out)


def strip_comparison_marks(text: str) -> str:
    """A text rendering without its plain-text decorations (a 新旧対照表's ■ before each
    unit and 〖〗 around changed runs; ｜ between table columns of the 新旧対照表 and of a
    form's print layout), which the PDF shows as rules, boxes and underlines: what is left
    is the words pdftotext can see."""
    return text.translate({ord(c): None for c in "■｜" + OPEN_MARK + CLOSE_MARK})


def _office_checks(
    files: list[Path], validate: list[Path], step: Callable[[], None]
) -> list[tuple[Path, str, CheckResult]]:
    results: list[tuple[Path, str, CheckResult]] = []
    if files:
        results += _converted(files)
        step()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for source, result in zip(validate, pool.map(ooxml_validate, validate), strict=True):
            results.append((source, "ooxml", result))
            step()
    return results


def _converted(files: list[Path]) -> list[tuple[Path, str, CheckResult]]:
    """LibreOffice's conversion of every file (copies of them, in one call)."""
    with tempfile.TemporaryDirectory(prefix="notices-verify-") as scratch:
        folder = Path(scratch)
        copies = []
        for number, source in enumerate(files):
            copy = folder / f"{number:04d}-{source.name}"
            shutil.copyfile(source, copy)
            copies.append(copy)
        converted = libreoffice_convert(copies, folder / "pdf")
        return [(files[i], "libreoffice", r) for i, r in enumerate(converted)]


def verify(
    out: Path, skip: Iterable[str] = (), progress: Progress | None = None
) -> dict[Path, dict[str, CheckResult]]:
    """Every check of every built file but those named in ``skip`` (of :data:`CHECKS`):
    file → check name → result. ``progress`` is told how far it has got."""
    left_out = frozenset(skip)
    unknown = sorted(left_out - set(CHECKS))
    if unknown:
        raise ValueError(f"no such check: {', '.join(unknown)} (checks: {', '.join(CHECKS)})")
    entries = _built_entries(out)
    files = [out / entry["file"] for entry in entries]
    sample = schema_sample(entries)
    table: dict[Path, dict[str, CheckResult]] = {path: {} for path in files}
    pdfs = [path for path in files if path.suffix == ".pdf"]
    pdfs = pdfs if not {"qpdf", "fonts", "text"} <= left_out else []
    office = [path for path in files if path.suffix in (".docx", ".xlsx")]
    office = office if "libreoffice" not in left_out else []
    validate = [out / entry["file"] for entry in entries if entry["file"] in sample]
    validate = validate if "ooxml" not in left_out else []
    total = len(pdfs) + (1 if office else 0) + len(validate)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    with ThreadPoolExecutor(max_workers=2) as pool:
        checked = pool.map(lambda pdf: _pdf_checks(pdf, left_out), pdfs)
        for path, results in zip(pdfs, checked, strict=True):
            table[path].update(dict(results))
            step()
    for path, name, result in _office_checks(office, validate, step):
        table[path][name] = result
    return table


def _mark(result: CheckResult | None) -> str:
    if result is None:
        return "-"
    if result.skipped:
        return "skipped"
    return "ok" if result.ok else "FAILED"


def report(out: Path, table: dict[Path, dict[str, CheckResult]]) -> tuple[str, bool]:
    """The table as text, and whether every check passed (a skipped check does not)."""
    rows: list[tuple[str, ...]] = [("file", *CHECKS)]
    problems: list[str] = []
    for path, results in table.items():
        if not results:
            continue
        rows.append((path.relative_to(out).as_posix(), *(_mark(results.get(c)) for c in CHECKS)))
        for name, result in results.items():
            if not result.ok:
                problems.append(f"{path.relative_to(out).as_posix()}: {name}: {result.detail}")
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)) for row in rows]
    checked = sum(len(results) for results in table.values())
    lines.append("")
    lines.append(f"{checked} checks on {len(rows) - 1} files, {len(problems)} not passed")
    lines.extend(problems)
    return "\n".join(lines) + "\n", not problems


def _width(text: str) -> int:
    from builder.japanese.normalize import display_width

    return display_width(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def failures(table: dict[Path, dict[str, CheckResult]]) -> Iterable[str]:
    """Each check that did not pass, as 「file: check: detail」."""
    for path, results in table.items():
        for name, result in results.items():
            if not result.ok:
                yield f"{path}: {name}: {result.detail}"
