"""The Word files of a build of the real tree laid out as the PDFs are (issue 16, item 2).

Checked on the built files' XML (what Word reads), with LibreOffice where the check is
about where lines actually break:

* every notice document has a footer whose paragraph is a PAGE field between the texts
  the PDF prints around its page number (「- 1 -」);
* every table of every .docx (forms included) is within its section's text width;
* 記 items at depths 0 and 1 and the 別添 labels have outline levels in their styles (Word's
  navigation pane), the labels right-aligned; the real notices' paragraphs carry no indent
  of their own (indents come from the styles), the form's print layout included;
* 別添2 in consolidated.docx has no shading (the fillable form keeps its own), its title
  printed once (the attachment's, in the form's title style), the ⑥ table's headings
  broken only between words (``w:br``), the header's note a line under its table;
* no line of a 別添1 cell ends inside an area name: in the XML (paragraphs and ``w:br``
  of each cell) and in LibreOffice's rendering (pdftotext word positions);
* amendment titles break as the seed and the PDF break them: 「「…について」の」 /
  「一部改正について」;
* the body is the PDF's in LibreOffice's rendering: 12 pt, 38 full-width characters on a
  full line, 19 pt leading.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from statistics import median
from typing import Any
from xml.etree import ElementTree as ET

import docx
import pdfplumber
import pytest
from docx.text.paragraph import Paragraph as WordParagraph

from builder.build.write import build
from builder.formats.pdf_layout import page_number_text
from builder.japanese.normalize import display_width
from builder.sources.workspace import Workspace
from builder.verify.clients import libreoffice_convert, missing_tool
from tests.conftest import ROOT
from tests.forms.test_forms_headings import HEADINGS, breaks_between_words

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_R = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NOTICE = "医政発0731第1号"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx-layout") / "out"
    build(Workspace(ROOT), out, jobs=2)
    return out


def docx_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.docx"))


def notice_files(out: Path) -> list[Path]:
    """The notices' documents (not the standalone forms)."""
    return [path for path in docx_files(out) if "forms" not in path.relative_to(out).parts]


def part(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as package:
        return ET.fromstring(package.read(name))


def w(element: ET.Element, name: str) -> str:
    return element.get(f"{W}{name}", "")


def paragraph_text(p: ET.Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def style_ids(path: Path) -> dict[str, ET.Element]:
    """Paragraph styles by name."""
    styles = part(path, "word/styles.xml")
    out = {}
    for style in styles.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None:
            out[w(name, "val")] = style
    return out


def style_id(path: Path, name: str) -> str:
    return w(style_ids(path)[name], "styleId")


def text_width(document: ET.Element) -> int:
    sect_pr = document.find(f"{W}body/{W}sectPr")
    assert sect_pr is not None
    size, margins = sect_pr.find(f"{W}pgSz"), sect_pr.find(f"{W}pgMar")
    assert size is not None and margins is not None
    return int(w(size, "w")) - int(w(margins, "left")) - int(w(margins, "right"))


def body_after_label(document: ET.Element, label: str) -> list[ET.Element]:
    """The body's elements from the paragraph reading ``label`` to the next 別添 label."""
    body = document.find(f"{W}body")
    assert body is not None
    elements = list(body)
    starts = [i for i, e in enumerate(elements) if e.tag == f"{W}p" and paragraph_text(e) == label]
    assert starts, label
    out = []
    for element in elements[starts[0] + 1 :]:
        if element.tag == f"{W}p" and re.fullmatch("（別[添紙].*）", paragraph_text(element)):
            break
        out.append(element)
    return out


# --------------------------------------------------------------------------- page numbers


def test_every_notice_document_has_a_footer_with_a_page_field(built: Path) -> None:
    files = notice_files(built)
    assert len(files) == 15
    for path in files:
        document = part(path, "word/document.xml")
        references = document.findall(f"{W}body/{W}sectPr/{W}footerReference")
        assert [w(ref, "type") for ref in references] == ["default"], path
        rels = part(path, "word/_rels/document.xml.rels")
        targets = {
            rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{PACKAGE_R}Relationship")
        }
        footer = part(path, "word/" + str(targets[references[0].get(f"{R}id")]))
        (p,) = footer.iter(f"{W}p")
        kinds = [w(c, "fldCharType") for c in p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"], path
        (instruction,) = p.iter(f"{W}instrText")
        assert (instruction.text or "").split() == ["PAGE"], path
        # The same form as the PDF's page number: the texts around the field's result.
        assert paragraph_text(p) == page_number_text(1), path
        style = style_ids(path)["Notice Footer"]
        jc = style.find(f"{W}pPr/{W}jc")
        assert jc is not None and w(jc, "val") == "center"


# --------------------------------------------------------------------------- tables


def test_every_table_is_within_the_text_width(built: Path) -> None:
    files = docx_files(built)
    assert len(files) > 15  # the forms too
    for path in files:
        document = part(path, "word/document.xml")
        available = text_width(document)
        nested = {id(t) for tc in document.iter(f"{W}tc") for t in tc.iter(f"{W}tbl")}
        for tbl in document.iter(f"{W}tbl"):
            if id(tbl) in nested:
                continue  # a table in a cell is held to its cell (builder.verify.layout)
            grid_element = tbl.find(f"{W}tblGrid")
            assert grid_element is not None, path
            grid = sum(int(w(col, "w")) for col in grid_element.findall(f"{W}gridCol"))
            tbl_pr = tbl.find(f"{W}tblPr")
            assert tbl_pr is not None
            indent = tbl_pr.find(f"{W}tblInd")
            jc = tbl_pr.find(f"{W}jc")
            shift = int(w(indent, "w")) if indent is not None else 0
            if jc is not None and w(jc, "val") in ("center", "right"):
                shift = 0  # Word ignores the indent of a centred or right-aligned table
            assert grid + shift <= available, (path, grid, shift, available)
            width = tbl_pr.find(f"{W}tblW")
            assert width is not None and int(w(width, "w")) + shift <= available, path


def test_beppyo2_in_the_notice_has_no_shading(built: Path) -> None:
    consolidated = sorted(built.glob(f"{NOTICE}/*/consolidated.docx"))
    assert len(consolidated) == 4
    for path in consolidated:
        elements = body_after_label(part(path, "word/document.xml"), "（別添2）")
        assert any(e.tag == f"{W}tbl" for e in elements), path  # the form is there
        assert not [s for e in elements for s in e.iter(f"{W}shd")], path
    # The fillable form keeps its shaded inputs.
    (form,) = built.glob("forms/kuiki-taio-hoshin/kuiki-taio-hoshin.docx")
    assert list(part(form, "word/document.xml").iter(f"{W}shd"))


def test_beppyo2_title_is_printed_once_as_the_forms_title(built: Path) -> None:
    """The attachment's title 「区域対応方針（様式例）」 stands in the Form Title style and
    the form's own 「区域対応方針」 is not printed again (as in the PDF)."""
    for path in sorted(built.glob(f"{NOTICE}/*/consolidated.docx")):
        elements = body_after_label(part(path, "word/document.xml"), "（別添2）")
        paragraphs = [e for e in elements if e.tag == f"{W}p"]
        first_style = paragraphs[0].find(f"{W}pPr/{W}pStyle")
        assert first_style is not None
        assert w(first_style, "val") == style_id(path, "Form Title"), path
        assert paragraph_text(paragraphs[0]) == "区域対応方針（様式例）", path
        texts = [paragraph_text(p) for p in paragraphs]
        assert "区域対応方針" not in texts, path
        assert texts.count("区域対応方針（様式例）") == 1, path


def _cell_lines(tc: ET.Element) -> list[str]:
    text = ""
    for element in tc.iter():
        if element.tag in (f"{W}t", f"{W}br"):
            text += "\n" if element.tag == f"{W}br" else element.text or ""
    return text.split("\n")


def test_beppyo2_headings_break_between_words(built: Path) -> None:
    """The ⑥ table's headings in 別添2 are broken by ``w:br`` only between words
    (「2015年」／「病床数」, never 「2015年病床／数」), its widths from the headings."""
    path = built / NOTICE / "2025-03-27" / "consolidated.docx"
    elements = body_after_label(part(path, "word/document.xml"), "（別添2）")
    table = next(e for e in elements if e.tag == f"{W}tbl" and "2015年" in "".join(e.itertext()))
    header = table.find(f"{W}tr")
    assert header is not None
    lines = [_cell_lines(tc) for tc in header.findall(f"{W}tc")][1:]
    assert [line for line in lines if len(line) > 1] == lines  # every heading broken by w:br
    for heading, heading_lines in zip(HEADINGS, lines, strict=True):
        assert breaks_between_words(heading, heading_lines), heading_lines
    grid = table.find(f"{W}tblGrid")
    assert grid is not None
    widths = [int(w(col, "w")) for col in grid.findall(f"{W}gridCol")][1:]
    assert len(set(widths)) > 1


def test_beppyo2_header_note_is_a_line_under_the_table(built: Path) -> None:
    path = built / NOTICE / "2025-03-27" / "consolidated.docx"
    elements = body_after_label(part(path, "word/document.xml"), "（別添2）")
    notes = [e for e in elements if paragraph_text(e).startswith("複数の構想区域")]
    assert len(notes) == 1 and notes[0].tag == f"{W}p"  # a body paragraph, not in a cell
    before = elements[elements.index(notes[0]) - 1]
    assert before.tag == f"{W}tbl" and "構想区域名" in "".join(before.itertext())


# --------------------------------------------------------------------------- styles


def test_outline_levels_on_ki_items_and_attachment_labels(built: Path) -> None:
    path = built / NOTICE / "2025-03-27" / "consolidated.docx"
    styles = style_ids(path)

    def level(name: str) -> str | None:
        outline = styles[name].find(f"{W}pPr/{W}outlineLvl")
        return None if outline is None else w(outline, "val")

    assert level("Notice Item 1") == "0"
    assert level("Notice Item 2") == "1"
    assert level("Notice Attachment Label") == "0"
    assert level("Notice Item 3") is None and level("Notice Body") is None
    # The navigation pane of the consolidated notice: 記 items, then the attachments.
    levels = {
        style_id(path, name): int(level(name) or 0)
        for name in ("Notice Item 1", "Notice Item 2", "Notice Attachment Label")
    }
    outline = []
    for p in part(path, "word/document.xml").iter(f"{W}p"):
        p_style = p.find(f"{W}pPr/{W}pStyle")
        if p_style is not None and w(p_style, "val") in levels:
            outline.append((levels[w(p_style, "val")], paragraph_text(p)))
    assert outline[:2] == [
        (0, "1.　推進区域及びモデル推進区域について"),
        (1, "(1)　基本的な考え方"),
    ]
    assert [text for lvl, text in outline if lvl == 0] == [
        "1.　推進区域及びモデル推進区域について",
        "2.　推進区域における取組について",
        "3.　モデル推進区域におけるアウトリーチの伴走支援について",
        "（別添1）",
        "（別添2）",
    ]


def test_attachment_labels_are_right_aligned_by_their_style(built: Path) -> None:
    for path in notice_files(built):
        label_style = style_ids(path)["Notice Attachment Label"]
        jc = label_style.find(f"{W}pPr/{W}jc")
        assert jc is not None and w(jc, "val") == "right"
        body = part(path, "word/document.xml").find(f"{W}body")
        assert body is not None
        for p in body.findall(f"{W}p"):  # not a 新旧対照表's cell citing 「（別添1）」
            if re.fullmatch("（別[添紙].*）", paragraph_text(p)):
                p_style = p.find(f"{W}pPr/{W}pStyle")
                assert p_style is not None and w(p_style, "val") == w(label_style, "styleId")
                assert p.find(f"{W}pPr/{W}jc") is None, path


def test_indents_come_from_the_styles(built: Path) -> None:
    """No paragraph of a real notice carries its own indent, the form's print layout
    included (the ※ note under ⑥ is in the Form Table Note style, one character in); the
    contact block's indent is its style's."""
    for path in notice_files(built):
        document = part(path, "word/document.xml")
        for p in document.iter(f"{W}p"):
            assert p.find(f"{W}pPr/{W}ind") is None, (path, paragraph_text(p))
    consolidated = built / NOTICE / "2025-03-27" / "consolidated.docx"
    table_note = style_ids(consolidated)["Form Table Note"]
    note_ind = table_note.find(f"{W}pPr/{W}ind")
    assert note_ind is not None and w(note_ind, "leftChars") == "100"
    note_id = w(table_note, "styleId")
    notes = [
        paragraph_text(p)
        for p in part(consolidated, "word/document.xml").iter(f"{W}p")
        if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and w(s, "val") == note_id
    ]
    assert len(notes) == 1 and notes[0].startswith("※ 病床機能報告における")
    contact = style_ids(built / NOTICE / "2025-03-27" / "consolidated.docx")["Notice Contact"]
    ind = contact.find(f"{W}pPr/{W}ind")
    assert ind is not None and int(w(ind, "leftChars")) > 1500  # the right half


def test_amendment_titles_break_after_the_particle_as_in_the_seed(built: Path) -> None:
    for kind in ("cover-notice", "distribution-letter"):
        for path in sorted(built.glob(f"{NOTICE}/*/{kind}.docx")):
            title_id = style_id(path, "Notice Title")
            lines = [
                paragraph_text(p)
                for p in part(path, "word/document.xml").iter(f"{W}p")
                if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and w(s, "val") == title_id
            ]
            assert lines == [
                "「地域医療構想における推進区域及びモデル推進区域の設定等について」の",
                "一部改正について",
            ], path


# --------------------------------------------------------------------------- 別添1


def area_table(document: ET.Element) -> ET.Element:
    (tbl,) = [e for e in body_after_label(document, "（別添1）") if e.tag == f"{W}tbl"]
    return tbl


def cell_lines(tc: ET.Element) -> list[str]:
    """The lines of a cell as Word is told to break them: paragraphs and ``w:br``."""
    lines: list[str] = []
    for p in tc.findall(f"{W}p"):
        lines.append("")
        for node in p.iter():
            if node.tag == f"{W}t":
                lines[-1] += node.text or ""
            elif node.tag in (f"{W}br", f"{W}cr"):
                lines.append("")
    return lines


def test_area_cells_break_only_after_the_comma(built: Path) -> None:
    checked = 0
    for path in sorted(built.glob(f"{NOTICE}/*/consolidated.docx")):
        rows = area_table(part(path, "word/document.xml")).findall(f"{W}tr")
        for tr in rows[1:]:
            for tc in tr.findall(f"{W}tc")[1::2]:  # the areas columns
                lines = cell_lines(tc)
                names = "".join(lines).split("、")
                assert all(names) or names == [""], (path, names)
                for line in lines[:-1]:
                    assert line.endswith("、"), (path, lines)  # a break only after 「、」
                for line in lines:
                    assert set(line.rstrip("、").split("、")) <= set(names), (path, lines)
                checked += len(lines) > 1
    assert checked == 4 * 3  # 秋田県, 東京都 and 島根県 wrap, in every version
    tokyo = area_table(part(path, "word/document.xml")).findall(f"{W}tr")[13]
    assert cell_lines(tokyo.findall(f"{W}tc")[1]) == [
        "区中央部、区南部、区西南部、",
        "区西部、区西北部、区東北部、",
        "区東部、西多摩、南多摩、",
        "北多摩西部、北多摩南部、",
        "北多摩北部、島しょ",
    ]


def test_libreoffice_breaks_area_cells_only_after_the_comma(built: Path, tmp_path: Path) -> None:
    """Where LibreOffice actually breaks the lines (the measured widths hold): every
    printed line of an areas column is whole names, never part of one."""
    for tool in ("soffice", "pdftotext"):
        reason = missing_tool(tool)
        if reason:
            pytest.skip(reason)
    sources = sorted(built.glob(f"{NOTICE}/*/consolidated.docx"))
    inputs = []
    for path in sources:
        copy = tmp_path / f"{path.parent.name}.docx"
        copy.write_bytes(path.read_bytes())
        inputs.append(copy)
    results = libreoffice_convert(inputs, tmp_path / "pdf")
    assert all(r.ok for r in results), [r.detail for r in results]
    for source, copy in zip(sources, inputs, strict=True):
        document = part(source, "word/document.xml")
        tbl = area_table(document)
        widths = [int(w(col, "w")) / 20 for col in tbl.iter(f"{W}gridCol")]
        sect_pr = document.find(f"{W}body/{W}sectPr/{W}pgMar")
        assert sect_pr is not None
        left = int(w(sect_pr, "left")) / 20 + (text_width(document) / 20 - sum(widths)) / 2
        edges = [left + sum(widths[:i]) for i in range(5)]
        names = {
            name
            for tr in tbl.findall(f"{W}tr")
            for tc in tr.findall(f"{W}tc")[1::2]
            for name in "".join(cell_lines(tc)).split("、")
            if name
        }
        lines = _area_column_lines(tmp_path / "pdf" / f"{copy.stem}.pdf", edges)
        assert len(lines) > 47, source
        for line in lines:
            pieces = line.rstrip("、").split("、")
            assert set(pieces) <= names, (source, line)


def _area_column_lines(pdf: Path, edges: list[float]) -> list[str]:
    """The printed lines of the two areas columns of 別添1's page(s), from pdftotext's
    word boxes: words grouped by column and baseline, in reading order."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ET.fromstring(xhtml)
    ns = "{http://www.w3.org/1999/xhtml}"
    out: list[str] = []
    for page in root.iter(f"{ns}page"):
        words = [
            (float(word.get("yMin", "0")), float(word.get("xMin", "0")), word.text or "")
            for word in page.iter(f"{ns}word")
        ]
        texts = [text for _, _, text in words]
        if "都道府県" not in texts or "".join(texts).startswith("（別添2）"):
            continue  # not a page of 別添1
        top = min(y for y, _, text in words if text == "都道府県")
        bottom = min((y for y, _, text in words if text.startswith("※")), default=1e9)
        grouped: dict[tuple[int, float], list[tuple[float, str]]] = defaultdict(list)
        for y, x, text in words:
            if not top < y < bottom:
                continue
            column = next((i for i in range(4) if edges[i] - 2 <= x < edges[i + 1] - 2), None)
            if column in (1, 3):
                grouped[(column, round(y))].append((x, text))
        for key in sorted(grouped):
            out.append("".join(text for _, text in sorted(grouped[key])))
    return [line for line in out if line != "推進区域、モデル推進区域"]


def test_area_table_columns_fit_the_widest_prefecture(built: Path) -> None:
    path = built / NOTICE / "2025-03-27" / "consolidated.docx"
    tbl = area_table(part(path, "word/document.xml"))
    grid = [int(w(col, "w")) for col in tbl.iter(f"{W}gridCol")]
    assert grid[0] == grid[2] and abs(grid[1] - grid[3]) <= 1
    # 神奈川県 (four characters, 840 twips in ＭＳ 明朝) and the cell margins fit.
    assert 840 + 2 * 85 <= grid[0] <= 1100
    assert sum(grid) == text_width(part(path, "word/document.xml"))


def test_package_is_read_by_python_docx(built: Path) -> None:
    """The footer part is a real part: python-docx sees the PAGE field in the footer."""
    path = built / NOTICE / "2025-03-27" / "cover-notice.docx"
    word = docx.Document(io.BytesIO(path.read_bytes()))
    footer = word.sections[0].footer
    assert not footer.is_linked_to_previous
    assert footer.paragraphs[0].text == page_number_text(1)


def test_a_text_attachment_is_laid_out_as_in_the_pdf(built: Path) -> None:
    """The 事務連絡's 別添 (a letter) and 別紙 in Word: date, sender and 「（以上）」 right,
    addressees left, ○ ① items and ※ notes with hanging indents from their styles (first
    line one and two characters in, continuation lines one more), as
    builder.formats.attachment_layout places them for the PDF."""
    (path,) = built.glob("*事務連絡*/*/consolidated.docx")
    word = docx.Document(str(path))

    def name(p: WordParagraph) -> str:
        assert p.style is not None
        return str(p.style.name)

    style_of = {p.text: name(p) for p in word.paragraphs if p.text}
    assert style_of["令和6年6月6日"] == "Notice Right"
    assert style_of["一般社団法人　全国地方銀行協会　御中"] == "Notice Left"
    assert style_of["厚生労働省医政局地域医療計画課"] == "Notice Right"
    items = [p for p in word.paragraphs if p.text[:1] in ("○", "①")]
    notes = [p for p in word.paragraphs if p.text.startswith("※")]
    assert items and notes
    assert {name(p) for p in items} == {"Notice Attachment Item 1"}
    assert "Notice Attachment Item 2" in {name(p) for p in notes}
    assert all(p.paragraph_format.left_indent is None for p in items + notes)  # styles only
    first = word.styles["Notice Attachment Item 1"].paragraph_format
    second = word.styles["Notice Attachment Item 2"].paragraph_format
    assert first.first_line_indent < 0 and second.left_indent > first.left_indent
    closing = [p for p in word.paragraphs if p.text in ("（以上）", "以上")]
    assert closing and {name(p) for p in closing} == {"Notice Right"}


# --------------------------------------------------------------------------- the body


def test_libreoffice_sets_the_body_as_the_pdf(built: Path, tmp_path: Path) -> None:
    """The body in LibreOffice's rendering of consolidated.docx is the PDF's: 明朝 12 pt,
    38 full-width characters on every full line of running text, 19 pt from baseline to
    baseline. From pdfplumber's character boxes: a full line reaches the right margin (a
    「、」 or 「。」 hung beyond it not counted) and holds only full-width characters; its
    characters and the ems of its indent make 38."""
    reason = missing_tool("soffice")
    if reason:
        pytest.skip(reason)
    source = built / NOTICE / "2025-03-27" / "consolidated.docx"
    copy = tmp_path / "consolidated.docx"
    copy.write_bytes(source.read_bytes())
    (result,) = libreoffice_convert([copy], tmp_path)
    assert result.ok, result.detail
    document = part(source, "word/document.xml")
    margins = document.find(f"{W}body/{W}sectPr/{W}pgMar")
    assert margins is not None
    left = int(w(margins, "left")) / 20
    right = left + text_width(document) / 20
    full: list[tuple[float, str]] = []
    pitches: list[float] = []
    with pdfplumber.open(tmp_path / "consolidated.pdf") as pdf:
        for page in pdf.pages[:3]:  # the notice's body, before its attachments
            lines: dict[float, list[dict[str, Any]]] = defaultdict(list)
            for char in page.chars:
                if char["size"] > 11:  # not the page number's or a table's text
                    lines[round(char["bottom"], 1)].append(char)
            assert {round(c["size"], 1) for chars in lines.values() for c in chars} == {12.0}
            pitches += [b - a for a, b in pairwise(sorted(lines))]
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                while chars[-1]["x0"] >= right - 1 and chars[-1]["text"] in "、。":
                    chars.pop()  # hung punctuation (ぶら下げ)
                text = "".join(c["text"] for c in chars)
                if abs(chars[-1]["x1"] - right) < 1 and all(display_width(c) == 2 for c in text):
                    full.append(((chars[0]["x0"] - left) / 12, text))
    assert len(full) >= 20, full
    assert all(abs(indent - round(indent)) < 0.1 for indent, _ in full), full  # whole ems
    assert {round(indent) + len(text) for indent, text in full} == {38}, full
    assert sum(round(indent) == 0 for indent, _ in full) >= 5  # from margin to margin
    assert round(median(pitches), 1) == 19.0, pitches
