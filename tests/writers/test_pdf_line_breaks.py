"""Where the PDF's lines break (``builder.formats.pdf_paragraph.split_cjk``) and how they fill.

* every line of a body paragraph of the 事務連絡's page 3 but its last ends at the right
  margin, measured with pdfplumber (the line 「…医政局長通知）において、」 before
  「2025年までの…」 was 29 pt short: it broke before 「2025」 and a line lacking more than
  two ems was left ragged);
* a line never breaks inside a date (「令和6／年7月31日」 in the 新旧対照表's heading) or a
  number with its counter, in any paragraph;
* a paragraph's last line is not one character alone, and a table cell's line does not
  cut a run of kanji where it can end before it (別添3 of 医政発0328第3号: 「明確／化」,
  「進／捗管理」);
* a generic table's row labels have the room of the other cells.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest

from builder.documents.compose import comparison, consolidated
from builder.formats.fonts import register_fonts
from builder.formats.pdf_layout import (
    CELL_PADDING,
    EM,
    FRAME_WIDTH,
    LEADING,
    SIDE_MARGIN,
    TABLE_EM,
    TABLE_SIZE,
)
from builder.formats.pdf_paragraph import UNBREAKABLE, character_widths, split_cjk, unbreakable
from builder.model.document import Document
from builder.sources.workspace import Workspace
from builder.writers.pdf import render_pdf
from tests.writers.test_pdf_layout import pages

RIGHT_EDGE = SIDE_MARGIN + FRAME_WIDTH
JIMU = "地域医療計画課事務連絡2024-06-11"
NOTICE = "医政発0731第1号"
OTHER = "医政発0328第3号"
PDFMINER_SLACK = EM / 2
"""Points pdfplumber (pdfminer) may misplace a justified line's end: after a change of
character spacing (``Tc``) it places the glyphs up to 6 pt off where pypdf and
pdftoppm put them (a line set tight to the margin, 「…見据え、」, ends at 531.5 for it,
at 525.6 drawn; pypdf's positions are checked to 0.3 pt below). A line left ragged
before a number or a date lacks two ems or more."""


def _latest(workspace: Workspace, notice: str) -> Document:
    history = workspace.history(workspace.find_notice(notice))
    return consolidated(history.versions[-1], "consolidated", workspace.forms)


def _body_lines(data: bytes, page_number: int) -> list[tuple[float, float, float, str]]:
    """(top, x0, x1, text) of each line of 12 pt text on the page, top to bottom."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        characters = pdf.pages[page_number - 1].chars
    rows: dict[float, list[dict[str, Any]]] = {}
    for character in characters:
        if abs(float(character["size"]) - EM) < 0.1:
            rows.setdefault(round(float(character["top"]), 1), []).append(character)
    out = []
    for top in sorted(rows):
        row = sorted(rows[top], key=lambda c: float(c["x0"]))
        text = "".join(str(c["text"]) for c in row)
        out.append((top, float(row[0]["x0"]), float(row[-1]["x1"]), text))
    return out


def _paragraphs(lines: list[tuple[float, float, float, str]]) -> Iterator[list[str | float]]:
    """The lines of each body paragraph (its first line indented one em, the others at the
    margin, one leading apart), as [x1, text, x1, text, ...] per paragraph."""
    current: list[tuple[float, float, float, str]] = []
    for line in [*lines, (0.0, 0.0, 0.0, "")]:
        top, x0 = line[0], line[1]
        follows = (
            current and abs(x0 - SIDE_MARGIN) < 0.3 and abs(top - current[-1][0] - LEADING) < 0.3
        )
        if follows:
            current.append(line)
            continue
        if len(current) > 1:
            yield [value for _, _, x1, text in current for value in (x1, text)]
        current = [line] if abs(x0 - SIDE_MARGIN - EM) < 0.3 else []


def test_jimu_page_3_lines_reach_the_margin(workspace: Workspace) -> None:
    data = render_pdf(_latest(workspace, JIMU))
    lines = _body_lines(data, 3)
    measured = []
    for paragraph in _paragraphs(lines):
        ends = paragraph[0:-2:2]  # every line's end but the last's
        texts = paragraph[1:-2:2]
        measured += list(zip(ends, texts, strict=True))
    assert len(measured) >= 12, "too few lines measured: the check proves nothing"
    assert any(str(text).endswith("医政局長通知）において、") for _, text in measured)
    for end, text in measured:
        assert abs(float(end) - RIGHT_EDGE) <= PDFMINER_SLACK, (end, text)
    # The same lines as pypdf places them (test_pdf_layout's reader): at the margin.
    exact = {line.text: line.x1 for line in pages(data)[2]}
    for _, text in measured:
        assert exact[str(text)] == pytest.approx(RIGHT_EDGE, abs=0.3), text


# --------------------------------------------------------------------------- units


def test_unbreakable_units() -> None:
    text = "（令和6年7月31日付け医政発0731第1号）2025年度に1～2か所、10月1日"
    runs = [m.group() for m in UNBREAKABLE.finditer(text)]
    assert "令和6年7月31日" in runs
    assert "2025年度" in runs and "1～2か所" in runs and "10月1日" in runs and "第1号" in runs
    inside = unbreakable(text)
    start = text.index("令和")
    assert all(inside[i] == start for i in range(start + 1, start + len("令和6年7月31日")))
    assert start not in inside


@pytest.mark.parametrize("characters", range(9, 30))
def test_no_line_breaks_inside_a_date_or_a_counted_number(characters: int) -> None:
    """At every width that holds 「（令和6年7月31日」 (a date longer than a line is cut)."""
    font = register_fonts().mincho
    text = "○「地域医療構想における設定等について」（令和6年7月31日付け医政発0731第1号）2025年度までに10～20か所"
    widths = character_widths(text, font, EM)
    for ragged in (False, True):
        lines = [line for _, line in split_cjk(text, widths, [characters * EM], ragged)]
        assert "".join(lines) == text
        cuts = set(itertools.accumulate(len(line) for line in lines[:-1]))
        for match in UNBREAKABLE.finditer(text):
            assert not cuts & set(range(match.start() + 1, match.end())), (lines, match.group())


def test_comparison_heading_keeps_its_date_whole(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice(NOTICE))
    checked = 0
    for version in history.versions[1:]:
        document = comparison(history.before(version), version, "comparison")
        lines = [text for _, _, _, text in _body_lines(render_pdf(document), 1)]
        joined = "".join(lines)
        assert "令和6年7月31日付け" in joined
        for before, after in itertools.pairwise(lines):
            both = before + after
            for match in UNBREAKABLE.finditer(both):
                assert not match.start() < len(before) < match.end(), (before, after)
        assert any(line.startswith("（令和6年7月31日付け") for line in lines), lines
        checked += 1
    assert checked >= 3


# --------------------------------------------------------------------------- lone ends, cells


def test_last_line_is_not_one_character() -> None:
    font = register_fonts().mincho
    text = "国・都道府県・医療機関が取り組む事項を明確化"
    widths = character_widths(text, font, TABLE_SIZE)
    width = sum(widths[:-1]) + 0.5  # all but 「化」 fits
    for ragged in (False, True):
        lines = [line for _, line in split_cjk(text, widths, [width], ragged)]
        assert "".join(lines) == text
        assert len(lines[-1]) >= 2, lines


def test_ragged_line_ends_before_a_kanji_run() -> None:
    font = register_fonts().mincho
    text = "●医療機関対応方針の進捗管理"
    widths = character_widths(text, font, TABLE_SIZE)
    width = sum(widths[: text.index("捗")]) + 0.5  # 「…の進」 fits
    assert next(line for _, line in split_cjk(text, widths, [width], True)) == "●医療機関対応方針の"
    justified = [line for _, line in split_cjk(text, widths, [width], False)]
    assert justified[0] == "●医療機関対応方針の進"  # justified text breaks anywhere
    text = "●調整会議で医療機関対応方針の協議"
    widths = character_widths(text, font, TABLE_SIZE)
    width = sum(widths[: text.index("応")]) + 0.5  # a long run: cut between its pairs
    assert next(line for _, line in split_cjk(text, widths, [width], True)) == "●調整会議で医療機関"
    text = "このうち全国10～20か所程度のモデル推進区域を設定"
    widths = character_widths(text, font, TABLE_SIZE)
    width = sum(widths[: text.index("ル")]) + 0.5  # a run of katakana is a word
    assert next(line for _, line in split_cjk(text, widths, [width], True)).endswith("程度の")


def _cell_lines(data: bytes, page_number: int) -> list[tuple[float, float, str]]:
    """(x0, x1, text) of each piece of table text (10.5 pt) on the page, a piece ending
    where the next glyph is a column away."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = pdf.pages[page_number - 1].extract_words(x_tolerance=3, extra_attrs=["size"])
    return [
        (float(w["x0"]), float(w["x1"]), str(w["text"]))
        for w in words
        if abs(float(w["size"]) - TABLE_SIZE) < 0.1
    ]


def test_table_cells_break_between_words(workspace: Workspace) -> None:
    document = _latest(workspace, OTHER)
    data = render_pdf(document)
    pieces = _cell_lines(data, 2)
    texts = [text for _, _, text in pieces]
    assert any("明確化" in text for text in texts), texts
    assert any("進捗管理" in text for text in texts), texts
    assert any("モデル推進区域" in text for text in texts), texts
    assert not any(text in ("化", "捗管理") or text.startswith(("捗", "ル")) for text in texts)
    # The labels (国, 都道府県, 医療機関) have the cells' room: a padding each side and
    # the em kept for hanging punctuation, before the next column's text.
    labels = [piece for piece in pieces if piece[0] < SIDE_MARGIN + TABLE_EM]
    assert [text for _, _, text in labels] == ["国", "都道府県", "医療機関"]
    nearest = min(x0 for x0, _, _ in pieces if x0 > SIDE_MARGIN + TABLE_EM)
    for x0, x1, text in labels:
        assert x0 == pytest.approx(SIDE_MARGIN + CELL_PADDING, abs=0.3), text
        assert nearest - x1 >= 2 * CELL_PADDING + TABLE_EM, (text, x1, nearest)
