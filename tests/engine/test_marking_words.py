"""The 新旧対照表 marks (傍線) on the words a quote takes (issue 17 item 3): for the random
edits the quote tests draw (``tests.engine.test_properties.amendment_changes``, over the
real notice and the synthetic one with a generic table), every marked run of every changed
unit starts and ends on a word boundary of the analyser (``builder.japanese.words``; an
area table row's area names as words, as its row quotes take them), or at the edge of
the line's indent or an item's label."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.engine.amend import apply, resolve
from builder.engine.area_profile import row_tokens
from builder.engine.compare import MarkedLine, Unit, changed_row, mark, marked_text, paired
from builder.engine.textform import INDENT
from builder.japanese.words import word_boundaries
from builder.model.notice import Amendment, Notice
from tests.engine.test_properties import REAL, SYNTHETIC, amendment_changes

MARKS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def boundaries(line: str, unit: Unit) -> frozenset[int]:
    """Where a mark of ``line`` (a line of ``unit``) may start or end: inside the indent
    and around the label, then the analyser's word boundaries of the text after them."""
    text = line.lstrip(INDENT)
    start = len(line) - len(text)
    edges = set(range(start + 1))
    if unit.table_row:  # 「北海道　中空知、南空知」: label, space, areas
        label, _, rest = text.partition(INDENT)
        start += len(label) + 1
        edges |= {start - 1, start}
        atoms: tuple[str, ...] = tuple(row_tokens(rest))
    else:
        if unit.label and text.startswith(unit.label):
            start += len(unit.label)
            edges.add(start)
            while line[start : start + 1] == INDENT:
                start += 1
                edges.add(start)
        atoms = ()
    return frozenset(edges | {start + b for b in word_boundaries(line[start:], atoms)})


def marked_spans(line: MarkedLine) -> list[tuple[int, int]]:
    """The character spans of a line's marked runs."""
    at = list(itertools.accumulate((len(text) for text, _ in line), initial=0))
    return [(at[i], at[i + 1]) for i, (_, changed) in enumerate(line) if changed]


def check_marks(before: Notice, after: Notice) -> None:
    """Every mark of every unit changed between ``before`` and ``after`` on a boundary."""
    for old, new in paired(before, after):
        if old is None or new is None or old.lines == new.lines:
            continue
        row = changed_row(old, new)
        for unit, lines in ((new, row.after), (old, row.before)):
            for line, marked in zip(unit.lines, lines, strict=True):
                assert "".join(text for text, _ in marked) == line
                bounds = boundaries(line, unit)
                for start, end in marked_spans(marked):
                    assert start in bounds and end in bounds, (unit.key, marked_text(marked))


def edited(notice: Notice, data: st.DataObject) -> Notice:
    changes = data.draw(amendment_changes(notice))
    amendment = Amendment("医政発0801第1号", dt.date(2024, 8, 1), notice.id, tuple(changes))
    return apply(notice, resolve(notice, amendment))


@MARKS
@given(st.data())
def test_marks_of_random_edits_of_the_real_notice_are_whole_words(data: st.DataObject) -> None:
    check_marks(REAL, edited(REAL, data))


@MARKS
@given(st.data())
def test_marks_of_random_edits_of_a_synthetic_notice_are_whole_words(
    data: st.DataObject,
) -> None:
    check_marks(SYNTHETIC, edited(SYNTHETIC, data))


def test_a_mark_never_cuts_a_word_the_script_runs_would() -> None:
    """「行う」→「行った」: runs of one script (kanji, then kana) marked 「う」 and 「った」;
    on the analyser's words the whole word is marked."""
    before, after = mark("　支援を行う。", "　支援を行った。")
    assert marked_text(before) == "　支援を〖行う〗。"
    assert marked_text(after) == "　支援を〖行った〗。"


def test_the_boundaries_checked_are_not_every_offset() -> None:
    """The check can fail: a mark inside a word is off the boundaries."""
    unit = Unit(("前文", "0"), "前文", ("　区域の推進を図る。",))
    bounds = boundaries(unit.lines[0], unit)
    assert 5 not in bounds and {4, 6} <= bounds
