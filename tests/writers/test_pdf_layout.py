"""The layout rules of the PDF writer, checked from where the glyphs land on the page.

Positions are read with pypdf (already a dependency): :func:`glyphs` interprets each
page's content stream (text and graphics matrices, ``Tf``, ``Tc``, ``Td``/``Tm``/``T*``,
``Tj``/``TJ``) and places every character with its font's ``/Widths`` and ``/ToUnicode``,
so each check sees the page as printed, not the writer's intentions:

* a contact block (【担当者】, （照会先）) is never alone on a page: there is text above it;
* no page ends with a heading (a 件名, 「記」, an item's title, an attachment's label or
  title, a 【】 heading, a form's section heading or caption);
* 「（別添1）」, 「（別添2）」, 「（別添）」, 「（別紙）」 stand top right, against the margin;
* every line of a paragraph but its last fills the frame (justified), half-width digits
  and all; the last line keeps its natural spacing;
* 別添1's 都道府県 column leaves 「神奈川県」 clear of both rules;
* the form printed as 別添2: its title once, column headings broken only between words,
  a space each side of the box in 「（[box]時点）」;
* the 事務連絡: its 別添 (the letter to the bank associations) before the 別紙, the
  letter's date and sender right, marked items with hanging indents, the 「：」 of ①–③ in
  one column, 「（以上）」 right.

The checks run on every document the build makes of the real notices (consolidated texts
of every version, cover notices, distribution letters, the 事務連絡, 医政発0328第3号),
rendered here in-process, and on synthetic documents that put a contact block at every
position around a page break.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdf
import pytest
from pypdf.generic import ContentStream
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from builder.documents.compose import consolidated, cover_notice, distribution_letter
from builder.documents.form_title import shares_title
from builder.formats.fonts import register_fonts
from builder.formats.pdf_layout import (
    BOTTOM_MARGIN,
    CELL_PADDING,
    EM,
    FRAME_WIDTH,
    PAGE_WIDTH,
    SIDE_MARGIN,
    TABLE_EM,
    TABLE_SIZE,
)
from builder.forms.headings import heading_pieces
from builder.model.document import (
    AttachmentStart,
    Block,
    Centered,
    ContactBlock,
    Document,
    FormBlock,
    Items,
    Paragraph,
    Title,
)
from builder.model.form import Grid
from builder.model.notice import Contact
from builder.sources.workspace import Workspace
from builder.writers.pdf import render_pdf

RIGHT_EDGE = SIDE_MARGIN + FRAME_WIDTH
NOTICE = "医政発0731第1号"
JIMU = "地域医療計画課事務連絡2024-06-11"
OTHER = "医政発0328第3号"


# --------------------------------------------------------------------------- positions


@dataclass(frozen=True)
class Glyph:
    """One character as printed: its left and right edge and baseline in points (y up)."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


@dataclass(frozen=True)
class Line:
    """The glyphs of one baseline, left to right, split where they are a column apart."""

    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def y(self) -> float:
        return self.glyphs[0].y


def _matrix(a: float, b: float, c: float, d: float, e: float, f: float) -> list[float]:
    return [a, b, c, d, e, f]


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """m × n for PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _font(font: Any) -> tuple[dict[int, str], dict[int, float]]:
    """(code → text, code → width in thousandths) of a simple font."""
    first = int(font.get("/FirstChar", 0))
    widths = {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}
    to_unicode: dict[int, str] = {}
    if "/ToUnicode" in font:
        data = font["/ToUnicode"].get_object().get_data()
        for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for code, text in _BFCHAR.findall(section):
                to_unicode[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return to_unicode, widths


def glyphs(page: Any, paths: list[float] | None = None) -> list[Glyph]:
    """Every character drawn on ``page``, placed (see the module); the height of every
    point of a path (rules, boxes) is appended to ``paths``."""
    fonts: dict[str, tuple[dict[int, str], dict[int, float]]] = {}
    resources = page["/Resources"].get("/Font", {})
    for name, entry in resources.items():
        fonts[name] = _font(entry.get_object())
    out: list[Glyph] = []
    ctm = _matrix(1, 0, 0, 1, 0, 0)
    stack: list[list[float]] = []
    tm = tlm = _matrix(1, 0, 0, 1, 0, 0)
    font: tuple[dict[int, str], dict[int, float]] = ({}, {})
    size = leading = char_space = word_space = 0.0

    def show(operand: Any) -> None:
        nonlocal tm
        to_unicode, widths = font
        data = operand.original_bytes if hasattr(operand, "original_bytes") else bytes(operand)
        for code in data:
            width = widths.get(code, 0.0) / 1000 * size
            x0, y = _multiply([1, 0, 0, 1, 0, 0], _multiply(tm, ctm))[4:6]
            advance = width + char_space + (word_space if code == 32 else 0.0)
            out.append(Glyph(to_unicode.get(code, "?"), x0, x0 + width, y, size))
            tm = _multiply(_matrix(1, 0, 0, 1, advance, 0), tm)

    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        match operator:
            case b"q":
                stack.append(ctm)
            case b"Q":
                ctm = stack.pop()
            case b"cm":
                ctm = _multiply([float(v) for v in operands], ctm)
            case b"m" | b"l" | b"re" if paths is not None:
                x, y = float(operands[0]), float(operands[1])
                corners = [(x, y)]
                if operator == b"re":
                    corners.append((x + float(operands[2]), y + float(operands[3])))
                for cx, cy in corners:
                    paths.append(_multiply(_matrix(1, 0, 0, 1, cx, cy), ctm)[5])
            case b"BT":
                tm = tlm = _matrix(1, 0, 0, 1, 0, 0)
            case b"Tm":
                tm = tlm = [float(v) for v in operands]
            case b"Td" | b"TD":
                if operator == b"TD":
                    leading = -float(operands[1])
                tm = tlm = _multiply(
                    _matrix(1, 0, 0, 1, float(operands[0]), float(operands[1])), tlm
                )
            case b"T*":
                tm = tlm = _multiply(_matrix(1, 0, 0, 1, 0, -leading), tlm)
            case b"TL":
                leading = float(operands[0])
            case b"Tc":
                char_space = float(operands[0])
            case b"Tw":
                word_space = float(operands[0])
            case b"Tf":
                font, size = fonts[operands[0]], float(operands[1])
            case b"Tj":
                show(operands[0])
            case b"'":
                tm = tlm = _multiply(_matrix(1, 0, 0, 1, 0, -leading), tlm)
                show(operands[0])
            case b"TJ":
                for part in operands[0]:
                    if isinstance(part, (int, float)) or hasattr(part, "as_numeric"):
                        shift = -float(part) / 1000 * size
                        tm = _multiply(_matrix(1, 0, 0, 1, shift, 0), tm)
                    else:
                        show(part)
    return out


def lines(page_glyphs: list[Glyph], gap: float = 3.0) -> list[Line]:
    """The glyphs in lines, top to bottom; a line is cut where two glyphs are more than
    ``gap`` points apart (table cells, the history block's columns)."""
    rows: dict[float, list[Glyph]] = {}
    for glyph in page_glyphs:
        rows.setdefault(round(glyph.y, 1), []).append(glyph)
    out: list[Line] = []
    for y in sorted(rows, reverse=True):
        row = sorted(rows[y], key=lambda g: g.x0)
        start = 0
        for index in range(1, len(row) + 1):
            if index == len(row) or row[index].x0 - row[index - 1].x1 > gap:
                out.append(Line(tuple(row[start:index])))
                start = index
    return out


def pages(data: bytes, paths: list[list[float]] | None = None) -> list[list[Line]]:
    """The lines of each page, the page number 「- n -」 left out; with ``paths``, the
    heights of each page's path points appended to it, a list a page."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    out = []
    for page in reader.pages:
        heights: list[float] = []
        body = [g for g in glyphs(page, heights) if g.y > BOTTOM_MARGIN - EM]
        out.append(lines(body))
        if paths is not None:
            paths.append(heights)
    return out


def compact(text: str) -> str:
    return re.sub(r"[ \u3000]+", "", text)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Rendered:
    document: Document
    pages: list[list[Line]]
    paths: list[list[float]]
    """Per page, the height of every point of its rules and boxes."""


def _render(document: Document) -> Rendered:
    paths: list[list[float]] = []
    return Rendered(document, pages(render_pdf(document), paths), paths)


def _documents(workspace: Workspace) -> Iterator[tuple[str, Document]]:
    forms = workspace.forms
    for notice_id in (NOTICE, JIMU, OTHER):
        history = workspace.history(workspace.find_notice(notice_id))
        for version in history.versions:
            name = f"{notice_id}/{version.date}"
            yield f"{name}/consolidated", consolidated(version, "consolidated", forms)
            if version.amendment is not None:
                yield f"{name}/cover-notice", cover_notice(history, version, None, "cover")
                letter = distribution_letter(workspace.project, history, version, None, "letter")
                yield f"{name}/distribution-letter", letter


@pytest.fixture(scope="module")
def rendered(workspace: Workspace) -> dict[str, Rendered]:
    return {name: _render(document) for name, document in _documents(workspace)}


def _consolidated(rendered: dict[str, Rendered], notice: str) -> Rendered:
    return rendered[
        max(name for name in rendered if name.startswith(notice) and name.endswith("/consolidated"))
    ]


# --------------------------------------------------------------------------- keep rules

CONTACT_HEADINGS = ("【担当者】", "（照会先）")


def _contact_pages(document_pages: list[list[Line]]) -> Iterator[tuple[list[Line], int]]:
    for page in document_pages:
        for index, line in enumerate(page):
            if compact(line.text) in CONTACT_HEADINGS:
                yield page, index


def test_every_document_is_rendered(rendered: dict[str, Rendered]) -> None:
    assert sum(name.endswith("/consolidated") for name in rendered) == 6
    assert any(name.endswith("/distribution-letter") for name in rendered)


def test_contact_block_is_never_alone_on_a_page(rendered: dict[str, Rendered]) -> None:
    found = 0
    for name, result in rendered.items():
        for page, index in _contact_pages(result.pages):
            found += 1
            assert index > 0, f"{name}: {page[index].text} opens its page"
            above = [line for line in page[:index] if line.y > page[index].y]
            assert above, f"{name}: nothing above {page[index].text}"
    assert found >= 6  # four consolidated texts, the 事務連絡 and its 別添


def _contact_document(paragraphs: int, length: int) -> Document:
    sentence = "都道府県においては、2024年度中に区域対応方針を策定し、令和6年3月28日付けの通知に基づき取組を進める。"
    blocks: tuple[Block, ...] = (
        Title("試験の通知について"),
        *(Paragraph((sentence * 3)[: 40 + (n * 37) % 150]) for n in range(paragraphs)),
        Paragraph(sentence * (1 + length % 4)),
        ContactBlock(
            Contact("担当者", ("厚生労働省医政局地域医療計画課", "03-5253-1111（内線2663）"))
        ),
    )
    return Document("contact", "試験の通知について", "試験0401第1号", blocks)


@pytest.mark.parametrize("paragraphs", range(20, 44, 2))
def test_contact_block_around_a_page_break(paragraphs: int) -> None:
    """Whatever the length of the text before it, 【担当者】 is on a page with some of
    that text, which leaves the page before it as full as it can."""
    for length in range(4):
        document = _contact_document(paragraphs, length)
        result = pages(render_pdf(document))
        ((_page, index),) = list(_contact_pages(result))
        assert index > 0, f"{paragraphs} paragraphs, {length}: the contact block opens a page"


def _headings(document: Document) -> set[str]:
    """The one-line headings of ``document`` that must not end a page, compacted."""
    out: set[str] = set()
    for block in document.blocks:
        match block:
            case Title(text):
                out.add(compact(text))
            case Centered(text):
                out.add(compact(text))
            case AttachmentStart(_, label, title):
                out.add(compact(label))
                if title:
                    out.add(compact(title))
            case Items(items):
                stack = list(items)
                while stack:
                    item = stack.pop()
                    if item.title is not None:
                        out.add(compact(f"{item.label}{item.title}"))
                    stack += item.items
            case Paragraph(text) if text.startswith("【") and text.endswith("】"):
                out.add(compact(text))
            case FormBlock(_, _, fields) if fields is not None:
                for section in fields.sections:
                    out.add(compact(section.heading + section.note))
                    out |= {compact(item.caption) for item in section.items if item.caption}
    return out


def test_no_page_ends_with_a_heading(rendered: dict[str, Rendered]) -> None:
    """Below every heading on a page there is text, a rule or a box (a form's caption is
    followed by its box, which holds no text)."""
    checked = 0
    for name, result in rendered.items():
        headings = _headings(result.document)
        for number, (page, paths) in enumerate(zip(result.pages, result.paths, strict=True), 1):
            for line in page:
                if compact(line.text) not in headings:
                    continue
                checked += 1
                below = [other for other in page if other.y < line.y - 1]
                drawn = [y for y in paths if BOTTOM_MARGIN - 1 < y < line.y - 4]
                assert below or drawn, f"{name} p.{number} ends with the heading {line.text}"
    assert checked > 50


# --------------------------------------------------------------------------- labels

LABEL = re.compile(r"（別(添\d*|紙|記)）")


def test_attachment_labels_stand_top_right(rendered: dict[str, Rendered]) -> None:
    seen: dict[str, list[str]] = {}
    for name, result in rendered.items():
        for page in result.pages:
            first = page[0]
            if LABEL.fullmatch(compact(first.text)) and compact(first.text) != "（別記）":
                seen.setdefault(name, []).append(compact(first.text))
                assert first.x1 == pytest.approx(RIGHT_EDGE, abs=0.5), (name, first.text)
                assert first.x0 > PAGE_WIDTH / 2
    assert seen[f"{NOTICE}/2025-03-27/consolidated"] == ["（別添1）", "（別添2）"]
    assert seen[f"{JIMU}/2024-06-11/consolidated"] == ["（別添）", "（別紙）"]
    assert seen[f"{OTHER}/2024-03-28/consolidated"] == ["（別添3）"]


# --------------------------------------------------------------------------- justification


def _paragraph_lines(page: list[Line], first: str, last: str) -> list[Line]:
    start = next(i for i, line in enumerate(page) if compact(line.text).startswith(first))
    end = next(i for i, line in enumerate(page) if i >= start and compact(line.text).endswith(last))
    return page[start : end + 1]


def test_lines_of_a_paragraph_fill_the_frame(rendered: dict[str, Rendered]) -> None:
    """The first paragraph of the 0731 notice (「2025年」, 「令和6年3月28日」,
    「医政発0328第3号」 in it): every line but the last ends at the right margin, the
    lines with half-width digits included, though set naturally they fall short."""
    page = _consolidated(rendered, NOTICE).pages[0]
    paragraph = _paragraph_lines(page, "地域医療構想については", "ところである。")
    assert len(paragraph) >= 5
    assert paragraph[0].x0 == pytest.approx(SIDE_MARGIN + EM, abs=0.3)  # 字下げ
    font = register_fonts().mincho
    short = 0
    for line in paragraph[:-1]:
        assert line.x0 == pytest.approx(SIDE_MARGIN, abs=0.3) or line is paragraph[0]
        assert line.x1 == pytest.approx(RIGHT_EDGE, abs=0.3), line.text
        natural = stringWidth(line.text, font, EM)
        if line.x0 + natural < RIGHT_EDGE - EM / 4:
            short += 1
    assert short >= 2, "no line needed justifying: the check proves nothing"
    last = paragraph[-1]
    assert last.x1 - last.x0 == pytest.approx(stringWidth(last.text, font, EM), abs=0.01)


def test_no_line_starts_with_a_closing_mark(rendered: dict[str, Rendered]) -> None:
    for name, result in rendered.items():
        for page in result.pages:
            for line in page:
                if line.x0 <= SIDE_MARGIN + 2.5 * EM and line.glyphs[0].size == EM:
                    assert line.text[0] not in "、。）」』】", (name, line.text)


def test_running_text_never_crosses_the_margin(rendered: dict[str, Rendered]) -> None:
    for name, result in rendered.items():
        for page in result.pages:
            for line in page:
                assert line.x1 <= RIGHT_EDGE + 0.3, (name, line.text)


# --------------------------------------------------------------------------- 別添1, 別添2


def _line_with(page: list[Line], text: str) -> Line:
    return next(line for line in page if compact(line.text) == text)


def test_prefecture_column_is_wider_than_its_names(rendered: dict[str, Rendered]) -> None:
    """From 「神奈川県」 to the text of the next column (「県西」) there is more than the
    two paddings: the name touches neither rule."""
    result = _consolidated(rendered, NOTICE)
    page = next(p for p in result.pages if compact(p[0].text) == "（別添1）")
    kanagawa = _line_with(page, "神奈川県")
    area = next(line for line in page if line.y == kanagawa.y and line.x0 > kanagawa.x1)
    name = stringWidth("神奈川県", register_fonts().mincho, TABLE_SIZE)
    assert kanagawa.x1 - kanagawa.x0 == pytest.approx(name, abs=0.01)
    column = area.x0 - kanagawa.x0  # from one cell's text start to the next's
    assert column >= name + 2 * CELL_PADDING + TABLE_EM / 2
    assert area.x0 - kanagawa.x1 >= 2 * CELL_PADDING + TABLE_EM / 2


def _form_pages(result: Rendered) -> list[list[Line]]:
    start = next(i for i, p in enumerate(result.pages) if compact(p[0].text) == "（別添2）")
    return result.pages[start:]


def test_form_title_is_printed_once(rendered: dict[str, Rendered], workspace: Workspace) -> None:
    result = _consolidated(rendered, NOTICE)
    first = _form_pages(result)[0]
    texts = [compact(line.text) for line in first]
    assert texts[1] == "区域対応方針（様式例）"
    assert "区域対応方針" not in texts
    assert shares_title("区域対応方針（様式例）", workspace.forms["kuiki-taio-hoshin"].header.title)


def test_form_column_headings_break_between_words(
    rendered: dict[str, Rendered], workspace: Workspace
) -> None:
    form = workspace.forms["kuiki-taio-hoshin"]
    headings = [
        column.plain_label
        for section in form.sections
        for item in section.items
        if isinstance(item.body, Grid)
        for column in item.body.columns
        if len(column.heading_parts()) == 1
    ]
    assert "2015年病床数" in headings
    joins = {
        compact("".join(pieces[i:j]))
        for heading in headings
        for pieces in [heading_pieces(heading)]
        for i in range(len(pieces))
        for j in range(i + 1, len(pieces) + 1)
    }
    page = next(
        p
        for p in _form_pages(_consolidated(rendered, NOTICE))
        if any(compact(line.text) == "⑥各時点の機能別病床数" for line in p)
    )
    top = _line_with(page, "⑥各時点の機能別病床数").y
    bottom = _line_with(page, "高度急性期").y
    heading_lines = [line for line in page if bottom < line.y < top]
    assert len(heading_lines) >= 8  # six headings, most on two lines
    for line in heading_lines:
        assert compact(line.text) in joins, f"heading line 「{line.text}」 splits a word"


def test_box_and_jiten_have_a_space_between(rendered: dict[str, Rendered]) -> None:
    page = next(
        p
        for p in _form_pages(_consolidated(rendered, NOTICE))
        if any(compact(line.text) == "時点）" for line in p)
    )
    before = next(line for line in page if compact(line.text).endswith("予定病床数（"))
    after = next(
        line
        for line in page
        if compact(line.text) == "時点）" and line.y == pytest.approx(before.y, abs=1)
    )
    gap = after.x0 - before.x1
    assert gap > 100 + 2 * 3.0  # the box, and at least 3 pt each side of it


# --------------------------------------------------------------------------- 事務連絡


def test_jimu_renraku_letter_and_attachments(rendered: dict[str, Rendered]) -> None:
    result = _consolidated(rendered, JIMU)
    start = next(i for i, p in enumerate(result.pages) if compact(p[0].text) == "（別添）")
    letter = result.pages[start]
    date = _line_with(letter, "令和6年6月6日")
    assert date.x1 == pytest.approx(RIGHT_EDGE, abs=0.5)
    addressee = _line_with(letter, "一般社団法人全国地方銀行協会御中")
    assert addressee.x0 == pytest.approx(SIDE_MARGIN, abs=0.3)
    sender = _line_with(letter, "厚生労働省医政局地域医療計画課")
    assert sender.x1 == pytest.approx(RIGHT_EDGE, abs=0.5)
    title = _line_with(letter, "地域医療構想に係る医療機関向け勉強会の実施について（周知依頼）")
    assert (title.x0 + title.x1) / 2 == pytest.approx(PAGE_WIDTH / 2, abs=0.5)
    assert date.y > addressee.y > sender.y > title.y


def _jimu_besshi(rendered: dict[str, Rendered]) -> list[Line]:
    result = _consolidated(rendered, JIMU)
    start = next(i for i, p in enumerate(result.pages) if compact(p[0].text) == "（別紙）")
    return [line for page in result.pages[start:] for line in page]


def test_jimu_renraku_items_hang(rendered: dict[str, Rendered]) -> None:
    besshi = _jimu_besshi(rendered)
    index = next(i for i, line in enumerate(besshi) if line.text.startswith("○\u3000今後の医療"))
    item, continuation = besshi[index], besshi[index + 1]
    assert item.x0 == pytest.approx(SIDE_MARGIN + EM, abs=0.3)
    assert continuation.x0 == pytest.approx(SIDE_MARGIN + 2 * EM, abs=0.3)
    note = next(line for line in besshi if line.text.startswith("※\u3000本勉強会"))
    assert note.x0 == pytest.approx(SIDE_MARGIN + 2 * EM, abs=0.3)
    after = besshi[besshi.index(note) + 1]
    assert after.x0 == pytest.approx(SIDE_MARGIN + 3 * EM, abs=0.3)


def test_jimu_renraku_colons_align_and_closing_is_right(rendered: dict[str, Rendered]) -> None:
    besshi = _jimu_besshi(rendered)
    speakers = [line for line in besshi if line.text[:1] in "①②③" and "：" in line.text]
    assert len(speakers) == 3
    colons = {round(next(g.x0 for g in line.glyphs if g.text == "："), 1) for line in speakers}
    assert len(colons) == 1, colons
    for line in speakers:
        following = besshi[besshi.index(line) + 1]
        assert following.text.startswith("（") and following.x0 == pytest.approx(
            SIDE_MARGIN + 2 * EM, abs=0.3
        )
    closing = _line_with(besshi, "（以上）")
    assert closing.x1 == pytest.approx(RIGHT_EDGE, abs=0.5)
