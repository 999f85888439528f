"""The PDF writer on the real documents, checked with real clients (qpdf, poppler, pypdf).

Text comparison: ``pdftotext -raw`` (content-stream order) must equal the text rendering
character for character once whitespace and the page-number lines are removed. The raw
mode is used because poppler's default mode builds columns from gaps of one em or more:
it splits 「(2)　財政的支援」 and 「支援　等」 at the 全角空白 and reorders the pieces, and
in 別添1 a cell that wraps over several lines is read out of row order. ``-layout`` fails
on those cells too (the wrapped lines of 東京都 interleave with the row beside them).
platypus draws the story in order and a table row by row, left to right, so the raw
stream is the reading order. The default mode is still checked to extract exactly the
same characters (as a multiset).

Each test that needs an external tool skips with "needs <tool> (Debian package <pkg>)".
"""

from __future__ import annotations

import collections
import hashlib
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest

from builder.documents.compose import consolidated, cover_notice, distribution_letter
from builder.engine.amend import History
from builder.engine.area_profile import as_table
from builder.engine.textform import item_lines
from builder.formats.fonts import BUNDLED_GOTHIC_PATH, register_fonts
from builder.formats.pdf_layout import (
    BOTTOM_MARGIN,
    EM,
    FRAME_WIDTH,
    LINE_CHARACTERS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIDE_MARGIN,
    TOP_MARGIN,
    Styles,
    markup,
)
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.model.document import (
    AddresseeLine,
    AmendmentSentence,
    AttachmentStart,
    Centered,
    Document,
    Items,
    Paragraph,
    TableBlock,
    Title,
)
from builder.model.notice import Item
from builder.sources.workspace import Workspace
from builder.verify.clients import (
    CheckResult,
    missing_tool,
    parse_pdffonts,
    pdffonts_embedded,
    pdftotext_text,
    qpdf_check,
)
from builder.writers.pdf import area_lines, render_pdf, title_lines
from builder.writers.text import render_text
from tests.conftest import ROOT

NOTICE = "医政発0731第1号"
AUTHOR = "厚生労働省医政局"
# (kind, version index): the consolidated text of all 4 versions, the cover notice and
# the distribution letter of each of the 3 amendments.
DOCUMENTS = [
    *(("consolidated", index) for index in range(4)),
    *(("cover-notice", index) for index in range(1, 4)),
    *(("distribution-letter", index) for index in range(1, 4)),
]
IDS = [f"{kind}-{index}" for kind, index in DOCUMENTS]

_WHITESPACE = re.compile("[ \t\n\r\f\v\u3000]+")
_PAGE_NUMBER_LINE = re.compile(r"^[ \t\f]*-[ \t]*(\d+)[ \t]*-[ \t]*$", re.MULTILINE)
_BBOX_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)

CONSOLIDATED_OUTLINE = [
    "1. 推進区域及びモデル推進区域について",
    "2. 推進区域における取組について",
    "3. モデル推進区域におけるアウトリーチの伴走支援について",
    "別添1",
    "別添2 区域対応方針（様式例）",
]


def require(tool: str) -> None:
    reason = missing_tool(tool)
    if reason:
        pytest.skip(reason)


def assert_passed(result: CheckResult) -> None:
    if result.skipped:
        pytest.skip(result.detail)
    assert result.ok, f"{result.check} failed on {result.file}:\n{result.detail}"


def build_document(workspace: Workspace, history: History, kind: str, index: int) -> Document:
    version = history.versions[index]
    if kind == "consolidated":
        return consolidated(version, kind)
    if kind == "cover-notice":
        return cover_notice(history, version, None, kind)
    return distribution_letter(workspace.project, history, version, None, kind)


@pytest.fixture(scope="module")
def documents(workspace: Workspace) -> dict[str, Document]:
    history = workspace.history(workspace.find_notice(NOTICE))
    assert len(history.versions) == 4
    return {
        name: build_document(workspace, history, kind, index)
        for name, (kind, index) in zip(IDS, DOCUMENTS, strict=True)
    }


@pytest.fixture(scope="module")
def pdfs(
    documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for name, document in documents.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(render_pdf(document))
        paths[name] = path
    return paths


def pdftotext(path: Path, *options: str) -> str:
    require("pdftotext")
    completed = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def without_page_numbers(text: str) -> str:
    return _PAGE_NUMBER_LINE.sub("", text)


def compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def first_difference(expected: str, actual: str) -> str:
    index = next(
        (i for i, (e, a) in enumerate(zip(expected, actual, strict=False)) if e != a),
        min(len(expected), len(actual)),
    )
    return (
        f"at character {index} (expected {len(expected)}, extracted {len(actual)}):\n"
        f"  expected:  …{expected[max(0, index - 20) : index + 20]}…\n"
        f"  extracted: …{actual[max(0, index - 20) : index + 20]}…"
    )


def bbox_words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of one page, y measured from the top."""
    html = pdftotext(path, "-bbox", "-f", str(page), "-l", str(page))
    return [
        (float(x0), float(y0), float(x1), float(y1), word)
        for x0, y0, x1, y1, word in _BBOX_WORD.findall(html)
    ]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, 0-based page) of every bookmark, in order."""
    reader = pypdf.PdfReader(path)
    entries: list[tuple[int, str, int]] = []

    def walk(nodes: list[object], level: int) -> None:
        for node in nodes:
            if isinstance(node, list):
                walk(node, level + 1)
            else:
                assert isinstance(node, pypdf.generic.Destination)
                page = reader.get_destination_page_number(node)
                entries.append((level, str(node.title), page))

    walk(reader.outline, 0)
    return entries


# --------------------------------------------------------------------------- real clients


@pytest.mark.parametrize("name", IDS)
def test_qpdf_check_passes(pdfs: dict[str, Path], name: str) -> None:
    assert_passed(qpdf_check(pdfs[name]))


@pytest.mark.parametrize("name", IDS)
def test_every_font_is_an_embedded_truetype_subset(pdfs: dict[str, Path], name: str) -> None:
    assert_passed(pdffonts_embedded(pdfs[name]))
    listing = subprocess.run(
        ["pdffonts", str(pdfs[name])], capture_output=True, text=True, check=True
    ).stdout
    fonts = parse_pdffonts(listing)
    assert fonts
    for font in fonts:
        assert font.type == "TrueType" and font.subset and font.unicode, font
        assert font.name.endswith("+IPAexMincho"), font


@pytest.mark.parametrize("name", IDS)
def test_pdftotext_equals_text_rendering(
    pdfs: dict[str, Path], documents: dict[str, Document], name: str
) -> None:
    extracted = compact(without_page_numbers(pdftotext(pdfs[name], "-raw")))
    expected = compact(render_text(documents[name]))
    assert extracted == expected, first_difference(expected, extracted)


@pytest.mark.parametrize("name", IDS)
def test_default_pdftotext_extracts_the_same_characters(
    pdfs: dict[str, Path], documents: dict[str, Document], name: str
) -> None:
    require("pdftotext")
    extracted = collections.Counter(compact(without_page_numbers(pdftotext_text(pdfs[name]))))
    expected = collections.Counter(compact(render_text(documents[name])))
    assert extracted == expected, (extracted - expected, expected - extracted)


@pytest.mark.parametrize("name", IDS)
def test_pages_are_a4_numbered_and_centred(pdfs: dict[str, Path], name: str) -> None:
    reader = pypdf.PdfReader(pdfs[name])
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (595.2756, 841.8898), abs=0.01
        )
    numbers = [int(n) for n in _PAGE_NUMBER_LINE.findall(pdftotext(pdfs[name], "-raw"))]
    assert numbers == list(range(1, len(reader.pages) + 1))
    for page_number in range(1, len(reader.pages) + 1):
        footer = [
            w for w in bbox_words(pdfs[name], page_number) if w[1] > PAGE_HEIGHT - BOTTOM_MARGIN
        ]
        assert "".join(word for *_, word in footer) == f"-{page_number}-"
        centre = (min(w[0] for w in footer) + max(w[2] for w in footer)) / 2
        assert centre == pytest.approx(PAGE_WIDTH / 2, abs=0.5)


def test_consolidated_texts_differ_between_versions(pdfs: dict[str, Path]) -> None:
    """The four versions really are different documents (their 別添1 rows change)."""
    texts = [compact(pdftotext(pdfs[f"consolidated-{i}"], "-raw")) for i in range(4)]
    assert len(set(texts)) == 4
    assert "北海道調整中" in texts[0] and "北海道中空知（●）" in texts[3]


# --------------------------------------------------------------------------- metadata, outline


@pytest.mark.parametrize("name", IDS)
def test_metadata(pdfs: dict[str, Path], documents: dict[str, Document], name: str) -> None:
    metadata = pypdf.PdfReader(pdfs[name]).metadata
    assert metadata is not None
    assert metadata.title == documents[name].title
    assert metadata.subject == documents[name].number
    assert metadata.author == AUTHOR


@pytest.mark.parametrize("index", range(4))
def test_consolidated_bookmarks(pdfs: dict[str, Path], index: int) -> None:
    path = pdfs[f"consolidated-{index}"]
    entries = outline(path)
    assert [(level, title) for level, title, _ in entries] == [
        (0, title) for title in CONSOLIDATED_OUTLINE
    ]
    reader = pypdf.PdfReader(path)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    for _, title, page in entries:
        page_text = compact(pdftotext(path, "-raw", "-f", str(page + 1), "-l", str(page + 1)))
        if title.startswith("別添"):
            attachment_id = title.split(" ")[0]
            assert page_text.startswith(f"-{page + 1}-（{attachment_id}）"), page_text[:30]
        else:
            assert compact(title.replace(" ", "\u3000")) in page_text


def test_letters_have_no_bookmarks(pdfs: dict[str, Path]) -> None:
    assert outline(pdfs["cover-notice-3"]) == []
    assert outline(pdfs["distribution-letter-3"]) == []


# --------------------------------------------------------------------------- layout


def test_attachment_label_top_right_of_new_page(pdfs: dict[str, Path]) -> None:
    path = pdfs["consolidated-3"]
    pages = len(pypdf.PdfReader(path).pages)
    labelled = {}
    for page in range(1, pages + 1):
        words = bbox_words(path, page)
        body = [w for w in words if w[1] < PAGE_HEIGHT - BOTTOM_MARGIN]
        first = min(body, key=lambda w: (w[1], w[0]))
        if first[4].startswith("（別添"):
            labelled[first[4]] = page
            assert first[2] == pytest.approx(SIDE_MARGIN + FRAME_WIDTH, abs=0.5)
            assert first[1] < TOP_MARGIN + EM
    assert list(labelled) == ["（別添1）", "（別添2）"]
    assert labelled["（別添2）"] == labelled["（別添1）"] + 1


def test_header_block_and_sender_are_flush_right(pdfs: dict[str, Path]) -> None:
    words = bbox_words(pdfs["consolidated-3"], 1)
    right_edge = SIDE_MARGIN + FRAME_WIDTH
    by_text = {w[4]: w for w in words}
    for text in ("令和6年10月10日", "厚生労働省医政局長", "（公印省略）"):
        assert by_text[text][2] == pytest.approx(right_edge, abs=0.5), text
    # The history block: labels in one column, numbers and dates left-aligned in another.
    numbers = [w for w in words if w[4].startswith("医政発")]
    assert len(numbers) == 4 and len({round(w[0], 1) for w in numbers}) == 1
    labels = [w for w in words if w[4] == "一部改正"]
    assert len(labels) == 3 and all(w[2] < numbers[0][0] for w in labels)
    addressee = by_text["各都道府県知事"]
    assert addressee[0] == pytest.approx(SIDE_MARGIN, abs=0.5)


def test_area_table_two_column_pairs(pdfs: dict[str, Path], documents: dict[str, Document]) -> None:
    """別添1: the header twice on one line, 北海道 beside 滋賀県 (the first of the second
    half), 東京都's long cell wrapped only after 「、」 inside its column."""
    path = pdfs["consolidated-3"]
    table = next(
        b.table
        for b in documents["consolidated-3"].blocks
        if isinstance(b, TableBlock) and b.folded
    )
    half = (len(table.rows) + 1) // 2
    page = next(p for _, t, p in outline(path) if t == "別添1") + 1
    words = bbox_words(path, page)
    headers = [w for w in words if w[4] == "都道府県"]
    assert len(headers) == 2 and headers[0][1] == headers[1][1]
    left = next(w for w in words if w[4] == table.rows[0].label)
    right = next(w for w in words if w[4] == table.rows[half].label)
    assert left[1] == pytest.approx(right[1]) and left[0] < right[0]
    tokyo = [w for w in words if left[0] < w[0] < right[0] and "区中央部" in w[4]]
    assert tokyo, "東京都's areas are in the left pair"
    raw = pdftotext(path, "-raw", "-f", str(page), "-l", str(page))
    tokyo_lines = raw[raw.index("区中央部") :].split("香川県")[0].split()
    assert len(tokyo_lines) > 1
    assert all(line.endswith("、") for line in tokyo_lines[:-1]), tokyo_lines


def _long_table(rows: int) -> Document:
    areas = tuple(Area(f"区域{n:02d}", model=n % 3 == 0) for n in range(12))
    table = AreaTable(
        "別添1",
        "",
        ("都道府県", "推進区域、モデル推進区域"),
        tuple(AreaRow(f"県{n:03d}", areas) for n in range(rows)),
        note="※（●）は推進区域かつモデル推進区域",
    )
    blocks = (
        Title("試験の通知について"),
        AttachmentStart("別添1", "（別添1）"),
        TableBlock(as_table(table), folded=True),
    )
    return Document("long-table", "試験の通知について", "試験0401第1号", blocks)


def test_area_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    document = _long_table(90)
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(document))
    pages = len(pypdf.PdfReader(path).pages)
    assert pages >= 4  # the title page and at least three pages of table
    header = "都道府県推進区域、モデル推進区域" * 2
    for page in range(2, pages + 1):
        text = compact(
            without_page_numbers(pdftotext(path, "-raw", "-f", str(page), "-l", str(page)))
        )
        assert text.removeprefix("（別添1）").startswith(header), text[:40]
    # Apart from the repeated header rows, the text is the text rendering's.
    whole = compact(without_page_numbers(pdftotext(path, "-raw")))
    first = whole.index(header) + len(header)
    assert whole[:first] + whole[first:].replace(header, "") == compact(render_text(document))


def test_markup_characters_are_text(tmp_path: Path) -> None:
    """& < > and U+3000 in the data are printed as themselves, never read as markup."""
    blocks = (
        Title("<b>試験</b> & 「A&amp;B」"),
        AddresseeLine("各位\u3000\u3000殿"),
        Paragraph("甲 < 乙 > 丙 &lt; 丁 &#12288; 戊"),
    )
    document = Document("markup", "<b>試験</b> & 「A&amp;B」", "試験0401第1号", blocks)
    path = tmp_path / "markup.pdf"
    path.write_bytes(render_pdf(document))
    assert compact(without_page_numbers(pdftotext(path, "-raw"))) == compact(render_text(document))
    metadata = pypdf.PdfReader(path).metadata
    assert metadata is not None and metadata.title == "<b>試験</b> & 「A&amp;B」"
    # Two U+3000 stay two characters wide (a raw U+3000 would collapse into one space).
    words = {word: (x0, x1) for x0, _, x1, _, word in bbox_words(path, 1)}
    assert words["殿"][0] - words["各位"][1] == pytest.approx(2 * EM, abs=0.5)


def test_amendment_block_and_attachment_items(tmp_path: Path) -> None:
    """A rewrite 改め文 with its indented new text, and items inside an attachment, whose
    bookmarks nest under the attachment's."""
    rewritten = Item("2.", "取組について", ("都道府県においては、方針を策定する。",))
    blocks = (
        Title("試験の通知について"),
        Centered("記"),
        Items((Item("1.", "基本的な考え方", ("甲は乙とする。",)),)),
        AmendmentSentence("記の2を次のように改める。", tuple(item_lines(rewritten))),
        AmendmentSentence("別添1 兵庫県の項の次に次のように加える。", ("奈良県\u3000中和",)),
        AttachmentStart("別紙", "（別紙）", "試験の別紙"),
        Items((Item("1.", None, ("第一の事項。", "※ 注記。")), Item("2.", "第二"))),
    )
    document = Document("amend", "試験の通知について", "試験0401第1号", blocks)
    path = tmp_path / "amend.pdf"
    path.write_bytes(render_pdf(document))
    assert compact(without_page_numbers(pdftotext(path, "-raw"))) == compact(render_text(document))
    assert [(level, title) for level, title, _ in outline(path)] == [
        (0, "1. 基本的な考え方"),
        (0, "別紙 試験の別紙"),
        (1, "1. 第一の事項。"),
        (1, "2. 第二"),
    ]


def test_markup() -> None:
    assert markup("A&B<C>\u3000D") == "A&amp;B&lt;C&gt;&#12288;D"


def test_body_line_holds_thirty_eight_characters() -> None:
    """38 characters of 12 pt, as the published letters (see pdf_layout.LINE_CHARACTERS)."""
    styles = Styles.for_fonts(register_fonts())
    assert LINE_CHARACTERS == 38
    assert styles.width("あ" * 38) == pytest.approx(FRAME_WIDTH)


def test_area_lines_break_only_after_separator() -> None:
    def width(text: str) -> float:
        return float(len(text))

    assert area_lines("松江、雲南、出雲、大田", width, 6) == ["松江、雲南、", "出雲、大田"]
    assert area_lines("能代・山本（●）、大館・鹿角（●）", width, 12) == [
        "能代・山本（●）、",
        "大館・鹿角（●）",
    ]
    assert area_lines("とても長い区域名の区域", width, 4) == ["とても長い区域名の区域"]
    assert area_lines("調整中", width, 10) == ["調整中"]


def test_long_title_splits_after_closing_bracket() -> None:
    def width(text: str) -> float:
        return float(len(text))

    title = "「地域医療構想における推進区域及びモデル推進区域の設定等について」の一部改正について"
    # The particle stays after the bracket, as in seed 000.
    assert title_lines(title, width, 38) == [
        "「地域医療構想における推進区域及びモデル推進区域の設定等について」の",
        "一部改正について",
    ]
    assert title_lines("「甲乙丙丁戊」、「己庚辛壬癸」について", width, 12) == [
        "「甲乙丙丁戊」、",
        "「己庚辛壬癸」について",
    ]
    assert title_lines("短い件名について", width, 40) == ["短い件名について"]
    assert title_lines("あ" * 50, width, 40) == ["あ" * 50]


# --------------------------------------------------------------------------- reproducibility, fonts

_HASH_SCRIPT = textwrap.dedent(
    """
    import hashlib
    from pathlib import Path
    from builder.sources.workspace import Workspace
    from builder.writers.pdf import render_pdf
    from tests.writers.test_render_pdf import DOCUMENTS, NOTICE, build_document

    workspace = Workspace(Path({root!r}))
    history = workspace.history(workspace.find_notice(NOTICE))
    for kind, index in DOCUMENTS:
        data = render_pdf(build_document(workspace, history, kind, index))
        print(hashlib.sha256(data).hexdigest())
    """
)


def test_byte_identical_in_two_processes(pdfs: dict[str, Path]) -> None:
    script = _HASH_SCRIPT.format(root=str(ROOT))
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    here = [hashlib.sha256(pdfs[name].read_bytes()).hexdigest() for name in IDS]
    assert runs[0] == runs[1] == here
    assert len(set(here)) == len(here)


def test_drafter_configured_mincho_is_embedded(
    documents: dict[str, Document], tmp_path: Path
) -> None:
    """A drafter's own 明朝 (here the bundled ゴシック stands in for, say, msmincho.ttc)."""
    fonts = register_fonts(mincho_path=BUNDLED_GOTHIC_PATH)
    assert fonts.mincho != register_fonts().mincho
    document = documents["cover-notice-3"]
    path = tmp_path / "drafter.pdf"
    path.write_bytes(render_pdf(document, fonts))
    assert_passed(pdffonts_embedded(path))
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    names = [font.name for font in parse_pdffonts(listing)]
    assert names and all(name.endswith("+IPAexGothic") for name in names), names
    extracted = compact(without_page_numbers(pdftotext(path, "-raw")))
    assert extracted == compact(render_text(document))
    assert_passed(qpdf_check(path))


def test_render_returns_pdf_bytes(documents: dict[str, Document]) -> None:
    data = render_pdf(documents["distribution-letter-1"])
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1


def test_reportlab_uses_its_c_accelerator() -> None:
    """rl_accel is a dependency (the notice PDFs take about 20% less time with it, with
    the same bytes); reportlab silently falls back to Python code when it is missing."""
    from reportlab.lib import rl_accel

    for name in ("fp_str", "asciiBase85Encode", "instanceStringWidthTTF"):
        assert type(getattr(rl_accel, name)).__name__ == "builtin_function_or_method", name
