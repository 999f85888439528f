"""A generic table attachment (``TableBlock``) laid out as a real table in Word, PDF and
HTML: the header rows repeated on each page, a row per label, each line of a cell its
own paragraph, the note after the table.

The words are the text rendering's (``builder.writers.text.table_lines``) without the
text form's marks for the table's structure, which the grid shows instead: the ［｜］
around a header row and the 【column】 opening each cell. :func:`expected_words` makes
that replacement, and only it, on the whole text rendering; everything else in the
document must read exactly as the text writer has it.

Checked on a small table (multi-line cells, an empty cell, ``<`` and ``&`` in the data,
a note), a long one (60 rows over several pages), a row taller than a page, the fixture
of ``tests/engine/test_generic_table.py`` and the real 別添3 of 医政発0328第3号, with
python-docx and the raw XML, ``qpdf --check``, ``pdftotext`` and LibreOffice (one
conversion of the .docx files to PDF). A test that needs a missing tool skips.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import docx
import pypdf
import pytest
from docx.document import Document as WordDocument
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from builder.documents.compose import consolidated
from builder.formats.docx_xml import MINCHO
from builder.formats.pdf_layout import FRAME_WIDTH, SIDE_MARGIN
from builder.model.document import (
    AttachmentStart,
    Document,
    Paragraph,
    TableBlock,
    Title,
)
from builder.model.notice import Table, TableRow
from builder.sources.workspace import Workspace
from builder.verify.clients import (
    CheckResult,
    libreoffice_convert,
    missing_tool,
    ooxml_validate,
    pdftotext_text,
    qpdf_check,
)
from builder.writers.docx import render_docx
from builder.writers.html import render_html
from builder.writers.pdf import render_pdf
from builder.writers.text import render_text, table_lines
from tests.engine.test_generic_table import NOTICE as FIXTURE_NOTICE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PAGE_NUMBER_LINE = re.compile(r"^[ \t\f]*-[ \t]*\d+[ \t]*-[ \t]*$", re.MULTILINE)
_BBOX_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)

SMALL = Table(
    "別添3",
    "計画的な取組",
    (("区分", "2024年度（令和6年度）", "2025年度（令和7年度）"),),
    (
        TableRow(
            "国",
            (
                ("●通知の発出", "・国・都道府県・医療機関が取り組む事項を明確化する<重要>"),
                ("●進捗の確認", "・好事例の周知 & 横展開"),
            ),
        ),
        TableRow("都道府県", (("●方針の協議",), ())),
        TableRow("医療機関", (("●方針の策定", "・検証", "・見直し"), ("●取組の実施",))),
    ),
    note="※ 年度は目安である。",
)

HEADING = ("区分", "前半", "後半")


def long_table(rows: int = 60) -> Table:
    return Table(
        "別添4",
        "長い表",
        (HEADING,),
        tuple(
            TableRow(
                f"項目{number:02d}",
                (
                    (f"●第{number}行の前半の取組", "・その内容を確認する"),
                    (f"●第{number}行の後半の取組",),
                ),
            )
            for number in range(1, rows + 1)
        ),
        note="※ 長い表の注記である。",
    )


TALL = Table(
    "別添5",
    "",
    (("区分", "内容"),),
    (
        TableRow("短い行", (("●一行",),)),
        TableRow("長い行", (tuple(f"・第{n}の事項を定めること" for n in range(1, 71)),)),
    ),
)

NO_HEADER = Table("別添6", "", (), (TableRow("甲", (("一", "二"), ("三",))), TableRow("乙", ())))
NOTE_ONLY = Table("別添7", "", (), (), note="※ 表は追って示す。")


def document_with(table: Table, name: str) -> Document:
    blocks = (
        Title("試験の通知について"),
        Paragraph("別添のとおり取組を進められたい。"),
        AttachmentStart(table.id, f"（{table.id}）", table.title),
        TableBlock(table),
    )
    return Document(name, "試験の通知について", "試験0401第1号", blocks)


def fixture_document(root: Path) -> Document:
    (root / "notices").mkdir(exist_ok=True)
    (root / "amendments").mkdir(exist_ok=True)
    (root / "notices" / "mini.yaml").write_text(FIXTURE_NOTICE, encoding="utf-8")
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    return consolidated(history.versions[-1], "consolidated")


@pytest.fixture(scope="module")
def documents(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Document]:
    real = workspace.history(workspace.find_notice("医政発0328第3号")).versions[0]
    return {
        "small": document_with(SMALL, "small"),
        "long": document_with(long_table(), "long"),
        "tall": document_with(TALL, "tall"),
        "no-header": document_with(NO_HEADER, "no-header"),
        "note-only": document_with(NOTE_ONLY, "note-only"),
        "fixture": fixture_document(tmp_path_factory.mktemp("fixture")),
        "0328": consolidated(real, "consolidated"),
    }


def tables_of(document: Document) -> list[Table]:
    return [block.table for block in document.blocks if isinstance(block, TableBlock)]


def compact(text: str) -> str:
    """``text`` without any whitespace (ASCII, U+3000, form feed)."""
    return "".join(text.split())


def table_words(table: Table) -> list[str]:
    """The words of a table as a grid reads them: each header row's cells, then per row
    its label and its cells' lines, then the note."""
    words = [cell for header in table.header for cell in header]
    for row in table.rows:
        words += [row.label, *(line for cell in row.cells for line in cell)]
    return [*words, table.note]


def expected_words(document: Document) -> str:
    """The text rendering, whitespace removed, with each table's text form replaced by
    its words (the only difference between a real table and the text form)."""
    text = compact(render_text(document))
    for table in tables_of(document):
        form = compact("".join(table_lines(table)))
        assert text.count(form) == 1
        text = text.replace(form, compact("".join(table_words(table))))
    return text


def test_the_words_differ_from_the_text_form_only_by_its_marks() -> None:
    """What :func:`expected_words` removes: the ［｜］ of the header rows and the
    【column】 opening every cell, nothing else."""
    form = compact("".join(table_lines(SMALL)))
    words = compact("".join(table_words(SMALL)))
    stripped = form.replace("［", "").replace("］", "").replace("｜", "")
    for heading in SMALL.columns[1:]:
        stripped = stripped.replace(f"【{heading}】", "")
    assert stripped == words


# --------------------------------------------------------------------------- Word


@pytest.fixture(scope="module")
def docx_files(
    documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    paths = {}
    for name, document in documents.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(render_docx(document))
    return paths


def word_of(path: Path) -> WordDocument:
    return docx.Document(str(path))


def body_texts(word: WordDocument) -> Iterator[str]:
    """Every paragraph's text in reading order; tables row by row, cells left to right."""
    for item in word.iter_inner_content():
        if isinstance(item, WordParagraph):
            yield item.text
        else:
            for row in item.rows:
                for cell in row.cells:
                    yield from (p.text for p in cell.paragraphs)


def word_tables(word: WordDocument) -> list[WordTable]:
    return [item for item in word.iter_inner_content() if isinstance(item, WordTable)]


def document_xml(path: Path) -> ElementTree.Element:
    with zipfile.ZipFile(path) as package:
        return ElementTree.fromstring(package.read("word/document.xml"))


def text_width(root: ElementTree.Element) -> int:
    """The section's page width less its left and right margins, in twips."""
    sect_pr = root.find(f"{W}body/{W}sectPr")
    assert sect_pr is not None
    size, margins = sect_pr.find(f"{W}pgSz"), sect_pr.find(f"{W}pgMar")
    assert size is not None and margins is not None
    return (
        int(size.get(f"{W}w", "0"))
        - int(margins.get(f"{W}left", "0"))
        - int(margins.get(f"{W}right", "0"))
    )


EVERY = ["small", "long", "tall", "no-header", "note-only", "fixture", "0328"]


@pytest.mark.parametrize("name", EVERY)
def test_docx_words_and_order(
    docx_files: dict[str, Path], documents: dict[str, Document], name: str
) -> None:
    words = compact("".join(body_texts(word_of(docx_files[name]))))
    assert words == expected_words(documents[name])


@pytest.mark.parametrize("name", ["small", "long", "fixture", "0328"])
def test_docx_is_a_table_with_repeating_header_rows(
    docx_files: dict[str, Path], documents: dict[str, Document], name: str
) -> None:
    (table,) = tables_of(documents[name])
    root = document_xml(docx_files[name])
    (tbl,) = root.iter(f"{W}tbl")
    rows = tbl.findall(f"{W}tr")
    assert len(rows) == len(table.header) + len(table.rows)
    for index, tr in enumerate(rows):
        is_header = tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert is_header == (index < len(table.header)), index
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None, index  # every row is short
    # The grid is within the text width, the label column narrower than the others.
    grid = [int(col.get(f"{W}w", "0")) for col in tbl.iter(f"{W}gridCol")]
    assert len(grid) == len(table.columns)
    assert sum(grid) <= text_width(root)
    assert all(grid[0] < width for width in grid[1:])
    width = tbl.find(f"{W}tblPr/{W}tblW")
    assert width is not None and int(width.get(f"{W}w", "0")) <= text_width(root)
    for tr in rows:
        cells = [int(w.get(f"{W}w", "0")) for w in tr.iter(f"{W}tcW")]
        assert cells == grid
    # Borders as 別添1's: single lines on every edge and between all cells.
    borders = tbl.find(f"{W}tblPr/{W}tblBorders")
    assert borders is not None
    assert [edge.get(f"{W}val") for edge in borders] == ["single"] * 6


@pytest.mark.parametrize("name", ["small", "fixture", "0328"])
def test_docx_cells_hold_one_paragraph_per_line(
    docx_files: dict[str, Path], documents: dict[str, Document], name: str
) -> None:
    (table,) = tables_of(documents[name])
    (grid,) = word_tables(word_of(docx_files[name]))
    for header, row in zip(table.header, grid.rows, strict=False):
        # A heading too wide for its column is a paragraph per line, broken before 「（」.
        assert ["".join(p.text for p in cell.paragraphs) for cell in row.cells] == list(header)
        assert {p.style.name for cell in row.cells for p in cell.paragraphs if p.style} == {
            "Notice Table Heading"
        }
    for source, row in zip(table.rows, grid.rows[len(table.header) :], strict=True):
        cells = row.cells
        assert [p.text for p in cells[0].paragraphs] == [source.label]
        for lines, cell in zip(source.cells, cells[1:], strict=True):
            assert [p.text for p in cell.paragraphs] == (list(lines) or [""])
            assert {p.style.name for p in cell.paragraphs if p.style} == {"Notice Table"}


def test_docx_table_styles_use_the_notice_fonts(docx_files: dict[str, Path]) -> None:
    word = word_of(docx_files["small"])
    for name in ("Notice Table", "Notice Table Heading", "Notice Left"):
        fonts = word.styles[name].element.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None
        assert fonts.get(f"{W}eastAsia") == MINCHO
        assert fonts.get(f"{W}ascii") == MINCHO


def test_docx_note_follows_the_table(docx_files: dict[str, Path]) -> None:
    word = word_of(docx_files["small"])
    content = list(word.iter_inner_content())
    index = next(i for i, item in enumerate(content) if isinstance(item, WordTable))
    after = content[index + 1]
    assert isinstance(after, WordParagraph)
    assert after.text == SMALL.note
    assert after.style is not None and after.style.name == "Notice Left"
    assert index + 2 == len(content)


def test_docx_long_table_repeats_only_its_header(docx_files: dict[str, Path]) -> None:
    (tbl,) = document_xml(docx_files["long"]).iter(f"{W}tbl")
    marked = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in tbl.findall(f"{W}tr")]
    assert marked == [True] + [False] * 60


def test_docx_row_taller_than_a_page_may_split(docx_files: dict[str, Path]) -> None:
    (tbl,) = document_xml(docx_files["tall"]).iter(f"{W}tbl")
    cant_split = [tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in tbl.findall(f"{W}tr")]
    assert cant_split == [True, True, False]


def test_a_table_without_header_or_rows(
    docx_files: dict[str, Path], documents: dict[str, Document]
) -> None:
    """No header: no header row (and no ``<thead>``); no rows at all: the note alone."""
    (tbl,) = document_xml(docx_files["no-header"]).iter(f"{W}tbl")
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in tbl.findall(f"{W}tr"))
    assert not list(document_xml(docx_files["note-only"]).iter(f"{W}tbl"))
    assert "<thead>" not in str(render_html(documents["no-header"]))
    assert "<table" not in str(render_html(documents["note-only"]))


def test_docx_validates_against_the_schemas(docx_files: dict[str, Path]) -> None:
    result = ooxml_validate(docx_files["small"])
    if result.skipped:
        pytest.skip(result.detail)
    assert result.ok, result.detail


@pytest.fixture(scope="module")
def libreoffice_pdfs(
    docx_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[CheckResult, Path]]:
    """The small and the long table's .docx converted by LibreOffice in one call."""
    names = ["small", "long"]
    outdir = tmp_path_factory.mktemp("libreoffice")
    results = libreoffice_convert([docx_files[name] for name in names], outdir)
    if any(result.skipped for result in results):
        pytest.skip(results[0].detail)
    return {
        name: (result, outdir / f"{name}.pdf") for name, result in zip(names, results, strict=True)
    }


def test_libreoffice_opens_the_docx_and_reads_the_table(
    libreoffice_pdfs: dict[str, tuple[CheckResult, Path]], documents: dict[str, Document]
) -> None:
    require("pdftotext")
    result, pdf = libreoffice_pdfs["small"]
    assert result.ok, result.detail
    text = compact(_PAGE_NUMBER_LINE.sub("", pdftotext_text(pdf, "-raw")))
    assert text == expected_words(documents["small"])


def test_libreoffice_repeats_the_docx_header_row(
    libreoffice_pdfs: dict[str, tuple[CheckResult, Path]],
) -> None:
    require("pdftotext")
    result, pdf = libreoffice_pdfs["long"]
    assert result.ok, result.detail
    pages = len(pypdf.PdfReader(pdf).pages)
    assert pages >= 3
    for page in range(3, pages + 1):  # page 1: the title; page 2: the table begins
        text = compact(pdftotext_text(pdf, "-raw", "-f", str(page), "-l", str(page)))
        assert text.startswith("".join(HEADING)), text[:40]


# --------------------------------------------------------------------------- PDF


def require(tool: str) -> None:
    reason = missing_tool(tool)
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def pdf_files(
    documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for name, document in documents.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(render_pdf(document))
    return paths


def pdf_text(path: Path, *options: str) -> str:
    require("pdftotext")
    return compact(_PAGE_NUMBER_LINE.sub("", pdftotext_text(path, "-raw", *options)))


def bbox_words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of one page, y measured from the top."""
    require("pdftotext")
    html = pdftotext_text(path, "-bbox", "-f", str(page), "-l", str(page))
    return [
        (float(x0), float(y0), float(x1), float(y1), word)
        for x0, y0, x1, y1, word in _BBOX_WORD.findall(html)
    ]


@pytest.mark.parametrize("name", EVERY)
def test_pdf_passes_qpdf_check(pdf_files: dict[str, Path], name: str) -> None:
    result = qpdf_check(pdf_files[name])
    if result.skipped:
        pytest.skip(result.detail)
    assert result.ok, result.detail


@pytest.mark.parametrize("name", ["small", "no-header", "note-only", "fixture", "0328"])
def test_pdf_words_and_order(
    pdf_files: dict[str, Path], documents: dict[str, Document], name: str
) -> None:
    """Every line of every cell, wrapped or not, in reading order (the table fits on one
    page, or its header is not repeated: see the long table's test)."""
    assert pdf_text(pdf_files[name]) == expected_words(documents[name])


def test_pdf_cells_sit_side_by_side(pdf_files: dict[str, Path]) -> None:
    """A real grid: a row's label and its cells start on one line, left to right, the
    label column the narrowest; no text leaves the frame."""
    words = bbox_words(pdf_files["small"], 2)
    starts = {}
    for word in ("国", "●通知の発出", "●進捗の確認", "区分", "2024年度（令和6年度）"):
        starts[word] = next(w for w in words if w[4] == word)
    assert starts["国"][1] == pytest.approx(starts["●通知の発出"][1], abs=0.5)
    assert starts["国"][1] == pytest.approx(starts["●進捗の確認"][1], abs=0.5)
    assert starts["国"][0] < starts["●通知の発出"][0] < starts["●進捗の確認"][0]
    assert starts["区分"][1] < starts["国"][1]
    label_column = starts["●通知の発出"][0] - starts["国"][0]
    assert label_column < starts["●進捗の確認"][0] - starts["●通知の発出"][0]
    for x0, _, x1, _, word in words:
        assert x0 >= SIDE_MARGIN - 0.5 and x1 <= SIDE_MARGIN + FRAME_WIDTH + 0.5, word


def test_pdf_long_table_repeats_its_header_on_every_page(
    pdf_files: dict[str, Path], documents: dict[str, Document]
) -> None:
    path = pdf_files["long"]
    pages = len(pypdf.PdfReader(path).pages)
    assert pages >= 3  # the title page and at least two pages of table
    header = "".join(HEADING)
    for page in range(2, pages + 1):
        text = pdf_text(path, "-f", str(page), "-l", str(page))
        assert text.removeprefix("（別添4）長い表").startswith(header), text[:40]
    # Apart from the repeated header rows (one a page), the words are the text rendering's.
    whole = pdf_text(path)
    assert whole.count(header) == pages - 1
    first = whole.index(header) + len(header)
    assert whole[:first] + whole[first:].replace(header, "") == expected_words(documents["long"])


def test_pdf_row_taller_than_a_page_is_split(
    pdf_files: dict[str, Path], documents: dict[str, Document]
) -> None:
    """reportlab splits the row (with the header repeated over its rest) rather than
    failing to lay it out; no line is lost or doubled."""
    path = pdf_files["tall"]
    pages = len(pypdf.PdfReader(path).pages)
    assert pages >= 3
    for page in range(3, pages + 1):
        assert pdf_text(path, "-f", str(page), "-l", str(page)).startswith("区分内容")
    whole = pdf_text(path)
    assert whole.count("区分内容") == pages - 1  # once a page: not again over the split row
    first = whole.index("区分内容") + len("区分内容")
    assert whole[:first] + whole[first:].replace("区分内容", "") == expected_words(
        documents["tall"]
    )


# --------------------------------------------------------------------------- HTML


class Parsed(HTMLParser):
    """Elements (tag, attributes) in document order and the text of every element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.closed: list[tuple[str, dict[str, str], str]] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.elements.append((tag, attributes))
        if tag not in ("col", "br"):
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        name, attributes, text = self._open.pop()
        assert name == tag, (name, tag)
        self.closed.append((name, attributes, "".join(text)))
        if self._open:
            self._open[-1][2].append("".join(text))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            self._open[-1][2].append(data)


@pytest.mark.parametrize("name", EVERY)
def test_html_words_and_order(documents: dict[str, Document], name: str) -> None:
    parsed = Parsed(str(render_html(documents[name])))
    assert compact("".join(parsed.text)) == expected_words(documents[name])


def test_html_table_structure() -> None:
    html = str(render_html(document_with(SMALL, "small")))
    parsed = Parsed(html)
    tags = [tag for tag, _ in parsed.elements]
    assert tags.count("table") == 1 and tags.count("thead") == 1 and tags.count("tbody") == 1
    headings = [(a, t) for n, a, t in parsed.closed if n == "th" and a.get("scope") == "col"]
    assert [text for _, text in headings] == list(SMALL.columns)
    labels = [(a, t) for n, a, t in parsed.closed if n == "th" and a.get("scope") == "row"]
    assert [text for _, text in labels] == [row.label for row in SMALL.rows]
    ids = {attributes["id"] for attributes, _ in headings + labels}
    cells = [(a, t) for n, a, t in parsed.closed if n == "td"]
    assert len(cells) == len(SMALL.rows) * (len(SMALL.columns) - 1)
    for attributes, _ in cells:
        assert set(attributes["headers"].split()) <= ids and len(attributes["headers"].split()) == 2
    # Each line of a cell is a paragraph of its own.
    lines = [
        text for name, a, text in parsed.closed if name == "p" and a.get("class") == "cell-line"
    ]
    assert lines == [line for row in SMALL.rows for cell in row.cells for line in cell]
    assert [a.get("class") for a, _ in cells].count("empty") == 1
    # The note after the table.
    notes = [
        text for name, a, text in parsed.closed if name == "p" and a.get("class") == "table-note"
    ]
    assert notes == [SMALL.note]
    assert html.index("</table>") < html.index(SMALL.note)


def test_html_escapes_the_data() -> None:
    html = str(render_html(document_with(SMALL, "small")))
    assert "&lt;重要&gt;" in html and "<重要>" not in html
    assert "好事例の周知 &amp; 横展開" in html


def test_html_empty_heading_is_not_a_header_cell(documents: dict[str, Document]) -> None:
    """The real 別添3 has no heading over its labels: that corner is a ``td``."""
    parsed = Parsed(str(render_html(documents["0328"])))
    head = [(n, a, t) for n, a, t in parsed.closed if n in ("th", "td")][:4]
    assert head[0][0] == "td" and head[0][2] == ""
    assert [n for n, _, _ in head[1:]] == ["th", "th", "th"]
    assert all(a.get("scope") == "col" for _, a, _ in head[1:])


def test_the_stylesheet_lays_out_the_table() -> None:
    css = (Path(__file__).resolve().parents[2] / "builder/site/static/site.css").read_text(
        encoding="utf-8"
    )
    assert ".generic-table {" in css
    assert ".generic-table th,\n.generic-table td {" in css
