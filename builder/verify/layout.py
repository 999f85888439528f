"""Layout checks on the documents of a build, read from where things land on the page
(issue #16, item 6), so that a layout defect the text checks cannot see fails a test.

PDF (positions from pdfplumber; the page number 「- n -」 left out):

* ``contact-alone``: no page holds only a contact block (【担当者】 or （照会先） and the
  lines under it, none of them left of the heading);
* ``heading-alone``: no page holds only headings (an attachment label and its title, 「記」,
  a 【】 heading, an item label with its title, a line in ゴシック) and nothing drawn;
* ``heading-at-foot``: no page but the last ends with a heading with nothing drawn below
  it (a form's caption above its box is not alone);
* ``label-right``: every 「（別添1）」, 「（別添）」, 「（別紙）」… line outside a table ends
  at the text area's right margin (in a table it is a 新旧対照表 column's unit label);
* ``area-breaks``: in a folded table (別添1), no cell line ends inside an area name: each
  line of a row's areas ends after a 「、」 or at the end of a name of the row as the
  source has it (:func:`folded_rows_by_folder`).

Word (the package's XML):

* ``docx-table-width``: every table of the body, its indent included, is no wider than
  its section's text width (page width less the left and right margins and gutter), and
  a table inside a cell no wider than the cell (``w:tcW``);
* ``docx-page-footer``: every section has a footer holding a PAGE field;
* ``label-right``: every attachment-label paragraph of the body (not of a table) is
  right-aligned (its own ``w:jc`` or its style's, through ``w:basedOn``).

Each check returns :class:`Defect` values naming the file, the page (PDF) or the table
(Word), what is wrong and what to do, in Japanese with the English after it.
:func:`check_build` runs every check on every PDF and .docx listed in a build's
``index.json``.
"""

from __future__ import annotations

import itertools
import json
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import Element

import pdfplumber
from defusedxml import ElementTree

from builder.documents.paths import version_folder
from builder.engine.tabular import folded_rows, printed_table, table_attachments
from builder.formats.pdf_layout import FRAME_WIDTH, SIDE_MARGIN
from builder.sources.workspace import Workspace

__all__ = [
    "CONTACT_HEADINGS",
    "Defect",
    "PdfLine",
    "area_break_defects",
    "area_cells",
    "check_build",
    "check_docx",
    "check_pdf",
    "contact_alone_defects",
    "docx_footer_defects",
    "docx_label_defects",
    "docx_table_width_defects",
    "folded_rows_by_folder",
    "heading_alone_defects",
    "heading_at_foot_defects",
    "is_heading",
    "label_right_defects",
    "pdf_pages",
]

CONTACT_HEADINGS: Final = ("【担当者】", "（照会先）")
LABEL: Final = re.compile(r"（別[添紙][0-9０-９]*）")
"""An attachment label as printed: 「（別添1）」, 「（別添）」, 「（別紙）」."""
_PAGE_NUMBER: Final = re.compile(r"-\s*\d+\s*-")
_HEADING: Final = re.compile(
    r"記|【[^】]+】[^。]*|(?:\d+[.．]|[(（]\d+[)）]|[①-⑳])[^。、]{1,40}|" + LABEL.pattern
)
"""Lines that head what follows: 「記」, 【】 headings (a ※ note may follow), an item label
with a short title (no 「。」 or 「、」), an attachment label."""
LABEL_TOLERANCE: Final = 0.5
"""Points a label's right edge may stand from the margin (rounding of glyph widths)."""
RIGHT_EDGE: Final = SIDE_MARGIN + FRAME_WIDTH
"""The right margin of the notices' text area (``builder.formats.pdf_layout``)."""

W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_R: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Defect:
    """One layout defect: the file, the page (PDF, from 1; 0 for the whole file), the
    check that found it and a message saying what to do."""

    file: str
    page: int
    check: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} p.{self.page}" if self.page else self.file
        return f"{where}: [{self.check}] {self.message}"


@dataclass(frozen=True)
class PdfLine:
    """One line of text as printed: its text without spaces, edges in points (top down)
    and the fonts of its characters."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    fonts: frozenset[str]


@dataclass(frozen=True)
class PdfPage:
    """What the checks read of one page: its lines, the tops of its drawn rules and
    boxes, its width and the pdfplumber page (for tables)."""

    number: int
    lines: tuple[PdfLine, ...]
    graphics: tuple[float, ...]
    width: float
    page: Any


def _compact(text: str) -> str:
    return re.sub(r"[ \u3000]+", "", text)


def pdf_pages(pdf: Any) -> list[PdfPage]:
    """The pages of an open pdfplumber document, the page numbers 「- n -」 left out."""
    out: list[PdfPage] = []
    for page in pdf.pages:
        lines = []
        for line in page.extract_text_lines(strip=True, return_chars=True):
            text = _compact(line["text"])
            if not text or _PAGE_NUMBER.fullmatch(text):
                continue
            fonts = frozenset(str(c.get("fontname", "")) for c in line["chars"])
            lines.append(PdfLine(text, line["x0"], line["x1"], line["top"], line["bottom"], fonts))
        graphics = tuple(o["top"] for o in (*page.rects, *page.lines, *page.curves))
        out.append(PdfPage(page.page_number, tuple(lines), graphics, page.width, page))
    return out


# --------------------------------------------------------------------------- PDF checks


def contact_alone_defects(file: str, pages: Sequence[PdfPage]) -> list[Defect]:
    """Pages that open with a contact heading and hold nothing but its block."""
    defects = []
    for page in pages:
        if not page.lines or page.lines[0].text not in CONTACT_HEADINGS:
            continue
        heading = page.lines[0]
        if all(line.x0 >= heading.x0 - 1 for line in page.lines):
            defects.append(
                Defect(
                    file,
                    page.number,
                    "contact-alone",
                    f"{heading.text} とその連絡先だけのページです。前の本文の最後の行と"
                    "同じページに置いてください (the page holds only the contact block; keep "
                    "it with the last lines of the text before it)",
                )
            )
    return defects


def is_heading(line: PdfLine) -> bool:
    """Whether ``line`` heads what follows (see the module), set in ゴシック or not."""
    if line.text in CONTACT_HEADINGS:
        return False
    return bool(_HEADING.fullmatch(line.text)) or any("Gothic" in f for f in line.fonts)


def heading_alone_defects(file: str, pages: Sequence[PdfPage]) -> list[Defect]:
    """Pages whose every line is a heading (an attachment's title after its label counts
    as one) and on which nothing is drawn: a heading parted from what it heads."""
    defects = []
    for page in pages:
        if not page.lines or page.graphics:
            continue
        titled = [
            is_heading(line) or (index > 0 and bool(LABEL.fullmatch(page.lines[index - 1].text)))
            for index, line in enumerate(page.lines)
        ]
        if all(titled):
            text = "／".join(line.text for line in page.lines)
            defects.append(
                Defect(
                    file,
                    page.number,
                    "heading-alone",
                    f"見出し「{text}」だけのページです。見出しを次の内容と同じページに"
                    "置いてください (the page holds only a heading; keep it with what follows)",
                )
            )
    return defects


def heading_at_foot_defects(file: str, pages: Sequence[PdfPage]) -> list[Defect]:
    """Pages (the last one aside) whose last line is a heading with nothing drawn below
    it: what it heads begins on the next page."""
    defects = []
    for page in pages[:-1]:
        if not page.lines or not is_heading(page.lines[-1]):
            continue
        last = page.lines[-1]
        if not any(top > last.top for top in page.graphics):
            defects.append(
                Defect(
                    file,
                    page.number,
                    "heading-at-foot",
                    f"見出し「{last.text}」がページの最後の行です。次の内容と同じページに"
                    "置いてください (a heading ends the page; keep it with what follows)",
                )
            )
    return defects


def _inside(line: PdfLine, boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    return any(
        x0 <= line.x0 and line.x1 <= x1 and top <= line.top <= bottom
        for x0, top, x1, bottom in boxes
    )


def label_right_defects(
    file: str, pages: Sequence[PdfPage], right_edge: float = RIGHT_EDGE
) -> list[Defect]:
    """Attachment labels whose right edge is not at ``right_edge`` (the text area's right
    margin, in points from the page's left edge). A label inside a table (the 新旧対照表's
    unit label at the head of each column) is not an attachment's label and is left out."""
    defects = []
    for page in pages:
        labels = [line for line in page.lines if LABEL.fullmatch(line.text)]
        if not labels:
            continue
        tables = [table.bbox for table in page.page.find_tables()]
        for line in labels:
            if _inside(line, tables) or abs(line.x1 - right_edge) <= LABEL_TOLERANCE:
                continue
            defects.append(
                Defect(
                    file,
                    page.number,
                    "label-right",
                    f"「{line.text}」の右端が本文の右余白から {right_edge - line.x1:.1f} pt "
                    "離れています。右寄せにしてください (the label's right edge is "
                    f"{right_edge - line.x1:.1f} pt from the text area's right margin; "
                    "right-align it)",
                )
            )
    return defects


def area_boundaries(text: str) -> set[int]:
    """Where a line of a folded cell may end: after each 「、」 and at the end of each name
    (before its 「、」), as character offsets into ``text``."""
    ends: set[int] = set()
    position = 0
    for token in re.split("(?<=、)", text):
        position += len(token)
        ends.add(position)
        if token.endswith("、"):
            ends.add(position - 1)
    return ends


def _table_pairs(page: PdfPage) -> Iterator[tuple[str, list[str]]]:
    """(label, the lines of the cell right of it) for every pair of neighbouring cells
    of the page's tables."""
    for table in page.page.find_tables():
        for row in table.extract():
            for label, cell in itertools.pairwise(row):
                if label and cell:
                    yield _compact(label), [_compact(line) for line in cell.split("\n")]


def area_cells(
    pages: Sequence[PdfPage], rows: Mapping[str, str]
) -> list[tuple[int, str, list[str]]]:
    """The cells of a folded table found on ``pages``: (page, label, lines) for each cell
    whose label is a row of ``rows`` (label → areas, as the source gives them) and whose
    lines together are that row's areas."""
    expected = {label: _compact(text) for label, text in rows.items()}
    return [
        (page.number, label, lines)
        for page in pages
        for label, lines in _table_pairs(page)
        if label in expected and "".join(lines) == expected[label]
    ]


def area_break_defects(
    file: str, pages: Sequence[PdfPage], rows: Mapping[str, str]
) -> list[Defect]:
    """Cell lines of a folded table that end inside an area name: ``rows`` maps each
    row's label (「秋田県」) to its areas as the source gives them
    (「能代・山本（●）、大館・鹿角（●）」)."""
    defects = []
    for number, label, lines in area_cells(pages, rows):
        allowed = area_boundaries("".join(lines))
        position = 0
        for line in lines[:-1]:
            position += len(line)
            if position not in allowed:
                defects.append(
                    Defect(
                        file,
                        number,
                        "area-breaks",
                        f"「{label}」の欄の行が「{line}」で終わり、区域名の途中で改行して"
                        "います。「、」の後で改行してください (a line of the cell ends inside "
                        "an area name; break the cell only after 「、」)",
                    )
                )
    return defects


def check_pdf(
    path: Path, file: str, rows: Mapping[str, str] | None = None, right_edge: float = RIGHT_EDGE
) -> list[Defect]:
    """Every PDF check on ``path`` (named ``file`` in the messages); ``rows`` are the
    source's rows of the folded table the document prints, if any."""
    with pdfplumber.open(path) as pdf:
        pages = pdf_pages(pdf)
        defects = [
            *contact_alone_defects(file, pages),
            *heading_alone_defects(file, pages),
            *heading_at_foot_defects(file, pages),
            *label_right_defects(file, pages, right_edge),
        ]
        if rows:
            defects += area_break_defects(file, pages, rows)
    return defects


# --------------------------------------------------------------------------- Word checks


def _xml(package: zipfile.ZipFile, name: str) -> Element:
    root: Element = ElementTree.fromstring(package.read(name))
    return root


def _twips(element: Element | None, attribute: str) -> int:
    if element is None:
        return 0
    value = element.get(f"{W}{attribute}", "0")
    return int(float(value)) if re.fullmatch(r"-?\d+(\.\d+)?", value) else 0


def _text_width(section: Element) -> int:
    size = section.find(f"{W}pgSz")
    margins = section.find(f"{W}pgMar")
    return (
        _twips(size, "w")
        - _twips(margins, "left")
        - _twips(margins, "right")
        - _twips(margins, "gutter")
    )


def _sections(body: Element) -> Iterator[tuple[list[Element], Element]]:
    """The body's top-level tables of each section, with the section's ``w:sectPr``."""
    tables: list[Element] = []
    for child in body:
        if child.tag == f"{W}tbl":
            tables.append(child)
        section = child.find(f"{W}pPr/{W}sectPr") if child.tag == f"{W}p" else None
        if child.tag == f"{W}sectPr":
            section = child
        if section is not None:
            yield tables, section
            tables = []


def _table_width(table: Element) -> int:
    """A table's width as laid out: its grid columns plus its indent (if positive)."""
    grid = sum(_twips(column, "w") for column in table.findall(f"{W}tblGrid/{W}gridCol"))
    return grid + max(0, _twips(table.find(f"{W}tblPr/{W}tblInd"), "w"))


def _nested_tables(table: Element) -> Iterator[tuple[Element, int]]:
    """The tables inside ``table``'s cells, each with its cell's width (``w:tcW`` in
    twips), and theirs in turn."""
    for cell in table.findall(f"{W}tr/{W}tc"):
        width = cell.find(f"{W}tcPr/{W}tcW")
        for inner in cell.findall(f"{W}tbl"):
            if width is not None and width.get(f"{W}type", "dxa") == "dxa":
                yield inner, _twips(width, "w")
            yield from _nested_tables(inner)


def docx_table_width_defects(file: str, package: zipfile.ZipFile) -> list[Defect]:
    """Tables wider than their section's text width (the sum of their grid columns plus
    their indent), and tables in a cell wider than the cell."""
    defects = []
    body = _xml(package, "word/document.xml").find(f"{W}body")
    number = 0
    for tables, section in _sections(body if body is not None else Element("body")):
        available = _text_width(section)
        for table in tables:
            number += 1
            width = _table_width(table)
            if width > available:
                defects.append(
                    Defect(
                        file,
                        0,
                        "docx-table-width",
                        f"{number}番目の表の幅 {width} twips が本文の幅 {available} twips を"
                        f"超えています。列を狭めてください (table {number} is {width} twips "
                        f"wide with its indent, the text {available}; narrow its columns)",
                    )
                )
            for inner, cell in _nested_tables(table):
                if _table_width(inner) > cell:
                    defects.append(
                        Defect(
                            file,
                            0,
                            "docx-table-width",
                            f"{number}番目の表のセルの中の表の幅 {_table_width(inner)} twips が"
                            f"セルの幅 {cell} twips を超えています。列を狭めてください (a "
                            f"table in a cell of table {number} is {_table_width(inner)} twips "
                            f"wide, the cell {cell}; narrow its columns)",
                        )
                    )
    return defects


def docx_footer_defects(file: str, package: zipfile.ZipFile) -> list[Defect]:
    """Sections without a footer that holds a PAGE field (complex or simple)."""
    relations = _xml(package, "word/_rels/document.xml.rels")
    targets = {
        r.get("Id", ""): r.get("Target", "") for r in relations.iter(f"{_PACKAGE_R}Relationship")
    }
    body = _xml(package, "word/document.xml").find(f"{W}body")
    defects = []
    sections = [s for _, s in _sections(body if body is not None else Element("body"))]
    for number, section in enumerate(sections, start=1):
        found = False
        for reference in section.findall(f"{W}footerReference"):
            name = "word/" + targets.get(reference.get(f"{R}id", ""), "").lstrip("/")
            if name in package.namelist() and _has_page_field(_xml(package, name)):
                found = True
        if not found:
            defects.append(
                Defect(
                    file,
                    0,
                    "docx-page-footer",
                    f"{number}番目のセクションにページ番号（PAGE フィールド）のあるフッターが"
                    f"ありません。フッターにページ番号を入れてください (section {number} has no "
                    "footer with a PAGE field; put the page number in its footer)",
                )
            )
    return defects


def _has_page_field(footer: Element) -> bool:
    instructions = [t.text or "" for t in footer.iter(f"{W}instrText")]
    instructions += [f.get(f"{W}instr", "") for f in footer.iter(f"{W}fldSimple")]
    return any(re.match(r"\s*PAGE\b", instruction) for instruction in instructions)


def _style_justification(styles: Element) -> dict[str, str]:
    """Each paragraph style's justification, following ``w:basedOn``."""
    own: dict[str, str] = {}
    based: dict[str, str] = {}
    for style in styles.iter(f"{W}style"):
        name = style.get(f"{W}styleId", "")
        jc = style.find(f"{W}pPr/{W}jc")
        if jc is not None:
            own[name] = jc.get(f"{W}val", "")
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based[name] = parent.get(f"{W}val", "")
    resolved: dict[str, str] = {}
    for name in {*own, *based}:
        seen: set[str] = set()
        current = name
        while current not in own and current in based and current not in seen:
            seen.add(current)
            current = based[current]
        resolved[name] = own.get(current, "left")
    return resolved


def docx_label_defects(file: str, package: zipfile.ZipFile) -> list[Defect]:
    """Attachment-label paragraphs (「（別添1）」…) of the body not right-aligned, by their
    own justification or their style's (a label in a table cell, the 新旧対照表's unit
    label, is not an attachment's label)."""
    styles = (
        _style_justification(_xml(package, "word/styles.xml"))
        if "word/styles.xml" in package.namelist()
        else {}
    )
    defects = []
    body = _xml(package, "word/document.xml").find(f"{W}body")
    for paragraph in body.findall(f"{W}p") if body is not None else []:
        text = _compact("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
        if not LABEL.fullmatch(text):
            continue
        jc = paragraph.find(f"{W}pPr/{W}jc")
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        value = styles.get(style.get(f"{W}val", "") if style is not None else "", "left")
        if jc is not None:
            value = jc.get(f"{W}val", "")
        if value not in ("right", "end"):
            defects.append(
                Defect(
                    file,
                    0,
                    "label-right",
                    f"「{text}」の段落が右寄せではありません（{value}）。右寄せにしてください "
                    f"(the label's paragraph is justified {value!r}; right-align it)",
                )
            )
    return defects


def check_docx(path: Path, file: str) -> list[Defect]:
    """Every Word check on ``path`` (named ``file`` in the messages)."""
    with zipfile.ZipFile(path) as package:
        return [
            *docx_table_width_defects(file, package),
            *docx_footer_defects(file, package),
            *docx_label_defects(file, package),
        ]


# --------------------------------------------------------------------------- a build


def folded_rows_by_folder(workspace: Workspace) -> dict[str, dict[str, str]]:
    """For each version's folder of the build (「医政発0731第1号/2025-03-27」), the rows of
    the folded tables it prints: label → areas, as the source has them."""
    out: dict[str, dict[str, str]] = {}
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        for version in history.versions:
            rows: dict[str, str] = {}
            for attachment in table_attachments(version.notice):
                printed = printed_table(attachment)
                if printed.folded:
                    rows.update(folded_rows(printed.table))
            if rows:
                out[version_folder(history, version)] = rows
    return out


def check_build(out: Path, workspace: Workspace) -> list[Defect]:
    """Every check on every PDF and .docx of the build in ``out`` (its ``index.json``),
    the folded tables compared with ``workspace``'s sources."""
    entries: list[dict[str, str]] = json.loads((out / "index.json").read_text(encoding="utf-8"))
    rows = folded_rows_by_folder(workspace)
    defects: list[Defect] = []
    for entry in entries:
        file = entry["file"]
        if entry["format"] == "pdf":
            defects += check_pdf(out / file, file, rows.get(str(Path(file).parent.as_posix())))
        elif entry["format"] == "docx":
            defects += check_docx(out / file, file)
    return defects
