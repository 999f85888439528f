"""新旧対照表 in MHLW form: what each column shows (``layout``).

The changed units (``builder.engine.compare``) are laid out as 厚生労働省 prints a
新旧対照表 of a 通知: each column (改正後, 改正前) shows its own version of what changed
under its own labels, and 「（略）」 for what is left out.

* A section of the notice (記, 前文, 件名, 担当者, each attachment) in which nothing
  changed is left out whole (the heading's 「（抄）」 says so).
* In a section that changed: its label in each column (「記」, 「（別添1）」), then its
  units in order: a changed unit as its marked lines; a run of unchanged units as
  「（略）」 — an unchanged item as its label and 「（略）」 (「1.　（略）」, a run of items of
  one level as a range, 「2.～4.　（略）」), other units (前文, a 別紙's paragraphs) as a
  bare 「（略）」 at their indent; and an unchanged item whose sub-item is shown as its
  label and 「（略）」, so that the shown item is cited by its place. A unit only in
  改正後 has 「（新設）」 on the 改正前 side; a unit only in 改正前 leaves the 改正後 side
  empty.
* A table attachment in both versions is reproduced as a table fragment in each column
  under its label: its header rows, the changed rows (their cells marked), and a
  「（略）」 row for each run of rows left out before, between and after them; a changed
  title or note is shown as a line above or below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, zip_longest

from builder.engine.area_profile import row_tokens
from builder.engine.compare import Unit, changed_row, mark, paired, whole
from builder.engine.tabular import is_table, printed_table
from builder.engine.textedit import tokens
from builder.engine.textform import INDENT, label_separator, starts_with_label
from builder.engine.units import UnitError
from builder.model.document import (
    OMITTED,
    ComparisonPiece,
    ComparisonTable,
    ComparisonTableRow,
    MarkedLine,
)
from builder.model.notice import FormRef, Notice, TableAttachment, TableRow

NEW = "（新設）"
"""What the 改正前 column shows against a unit that the amendment adds."""

Pieces = tuple[ComparisonPiece, ...]
Pair = tuple[Unit | None, Unit | None]


@dataclass(frozen=True)
class Part:
    """One row of the 新旧対照表: what the 改正後 and the 改正前 columns show side by side."""

    after: Pieces
    before: Pieces


@dataclass(frozen=True)
class Layout:
    """The parts of a 新旧対照表, and whether anything of the notice is left out (「（抄）」)."""

    parts: tuple[Part, ...]
    abridged: bool


def _section(pair: Pair) -> str:
    unit = pair[1] or pair[0]
    assert unit is not None
    return unit.key[0]


def _changed(pair: Pair) -> bool:
    old, new = pair
    return old is None or new is None or old.lines != new.lines


def _plain(text: str) -> MarkedLine:
    return ((text, False),) if text else ()


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(INDENT))]


def _is_item(unit: Unit) -> bool:
    return bool(unit.label)


def _omitted_lines(units: Sequence[Unit]) -> list[MarkedLine]:
    """What stands for a run of left-out units in one column: 「（略）」 at the indent of
    each stretch of units that are not items (前文, a 別紙's paragraphs); for items, one
    line per item whose parent is not left out with it, its label then 「（略）」
    (「2.　（略）」), consecutive ones of one level as a range (「2.～4.　（略）」)."""
    keys = {unit.key for unit in units}
    lines: list[MarkedLine] = []
    group: list[Unit] = []

    def flush() -> None:
        if group:
            first, last = group[0], group[-1]
            label = first.label if first is last else f"{first.label}～{last.label}"
            lines.append(_plain(f"{_indent(first.lines[0])}{label}{_separator(last)}{OMITTED}"))
            group.clear()

    previous: Unit | None = None
    for unit in units:
        if not _is_item(unit):
            flush()
            if previous is None or _is_item(previous):
                lines.append(_plain(_indent(unit.lines[0]) + OMITTED))
        elif unit.key[:-1] not in keys:  # its parent is shown (or it is at the top)
            if group and _indent(group[-1].lines[0]) != _indent(unit.lines[0]):
                flush()
            group.append(unit)
        previous = unit
    flush()
    return lines


def _separator(unit: Unit) -> str:
    """What follows an item's label on its first line: a full-width space or nothing."""
    rest = unit.lines[0].lstrip(INDENT)
    after = rest[len(unit.label) : len(unit.label) + 1]
    return after if after == INDENT else ""


def _ancestor_line(unit: Unit) -> MarkedLine:
    """An unchanged item above a shown one: its label, then 「（略）」 (「1.　（略）」)."""
    return _plain(f"{_indent(unit.lines[0])}{unit.label}{_separator(unit)}{OMITTED}")


def _unit_part(old: Unit | None, new: Unit | None) -> Part:
    """A shown unit: its marked lines in each column (「（新設）」 against an added one)."""
    if old is not None and new is not None:
        row = changed_row(old, new)
        return Part(row.after, row.before)
    if new is not None:
        return Part(whole(new.lines), (_plain(NEW),))
    assert old is not None
    return Part((), whole(old.lines))


def _ancestors(pairs: Sequence[Pair], shown: set[int]) -> set[int]:
    """The indexes of unchanged items that are ancestors of a shown item (key prefixes)."""
    found: set[int] = set()
    for index in shown:
        unit = pairs[index][1] or pairs[index][0]
        assert unit is not None
        for other, (old, new) in enumerate(pairs):
            if other in shown or old is None or new is None or not _is_item(new):
                continue
            if len(new.key) < len(unit.key) and unit.key[: len(new.key)] == new.key:
                found.add(other)
    return found


def _section_label(section: str, notice: Notice) -> str | None:
    """A section's label as its column prints it: 「記」, 「（別添1）」, a contact block's
    heading; None for 件名 and 前文 (which have none)."""
    if section == "記":
        return "記"
    if section == "担当者":
        return notice.contact.label if notice.contact is not None else None
    if section in ("件名", "前文"):
        return None
    return f"（{section}）" if notice.attachment(section) is not None else None


def _text_section(section: str, pairs: Sequence[Pair], before: Notice, after: Notice) -> list[Part]:
    """A changed section of text: its label, then its shown units and 「（略）」 runs, one
    part each (so that each stands level with its counterpart, and a page may break
    between them)."""
    shown = {i for i, pair in enumerate(pairs) if _changed(pair)}
    labels = _ancestors(pairs, shown)
    parts: list[Part] = []
    after_label, before_label = _section_label(section, after), _section_label(section, before)
    if section == "担当者":  # its one unit's lines are the block's lines, under its heading
        after_label = after_label if pairs[0][1] is not None else None
        before_label = before_label if pairs[0][0] is not None else None
    if after_label or before_label:
        parts.append(
            Part(
                (_plain(after_label),) if after_label else (),
                (_plain(before_label),) if before_label else (),
            )
        )
    for kind, run in groupby(
        range(len(pairs)),
        key=lambda i: "shown" if i in shown else "label" if i in labels else "omitted",
    ):
        indexes = list(run)
        if kind == "shown":
            parts += [_unit_part(*pairs[index]) for index in indexes]
        elif kind == "label":
            for index in indexes:
                old, new = pairs[index]
                assert old is not None and new is not None
                parts.append(Part((_ancestor_line(new),), (_ancestor_line(old),)))
        else:
            olds = [old for old, _ in (pairs[i] for i in indexes) if old is not None]
            news = [new for _, new in (pairs[i] for i in indexes) if new is not None]
            after_lines, before_lines = _omitted_lines(news), _omitted_lines(olds)
            parts += [
                Part((a,) if a else (), (b,) if b else ())
                for a, b in zip_longest(after_lines, before_lines)
            ]
    return parts


Tokenize = Callable[[str], list[str]]


def _marked_cells(
    old: TableRow | None, new: TableRow | None, tokenize: Tokenize
) -> tuple[tuple[tuple[MarkedLine, ...], ...] | None, tuple[tuple[MarkedLine, ...], ...] | None]:
    """A row's cells (label first) in each version, the changed runs marked: a row in one
    version only is marked whole."""

    def cells(row: TableRow) -> list[tuple[str, ...]]:
        return [(row.label,), *row.cells]

    if old is None or new is None:
        only = new or old
        assert only is not None
        marked = tuple(whole(cell) for cell in cells(only))
        return (marked, None) if new is not None else (None, marked)
    after_cells: list[tuple[MarkedLine, ...]] = []
    before_cells: list[tuple[MarkedLine, ...]] = []
    old_cells, new_cells = cells(old), cells(new)
    for index in range(max(len(old_cells), len(new_cells))):
        o = old_cells[index] if index < len(old_cells) else ()
        n = new_cells[index] if index < len(new_cells) else ()
        pairs = [mark(a, b, tokenize) for a, b in zip(o, n, strict=False)]
        before_cells.append(tuple(p[0] for p in pairs) + whole(o[len(n) :]))
        after_cells.append(tuple(p[1] for p in pairs) + whole(n[len(o) :]))
    return tuple(after_cells), tuple(before_cells)


def _header(
    old: tuple[tuple[str, ...], ...], new: tuple[tuple[str, ...], ...]
) -> tuple[tuple[tuple[MarkedLine, ...], ...], tuple[tuple[MarkedLine, ...], ...]]:
    """The header rows of each version, a changed heading marked (a row of another shape
    marked whole)."""
    after_rows: list[tuple[MarkedLine, ...]] = []
    before_rows: list[tuple[MarkedLine, ...]] = []
    for index in range(max(len(old), len(new))):
        o = old[index] if index < len(old) else ()
        n = new[index] if index < len(new) else ()
        if len(o) == len(n):
            pairs = [
                mark(a, b) if a != b else (_plain(a), _plain(b)) for a, b in zip(o, n, strict=True)
            ]
            before_rows.append(tuple(p[0] for p in pairs))
            after_rows.append(tuple(p[1] for p in pairs))
        else:
            before_rows.append(tuple(whole((a,))[0] for a in o))
            after_rows.append(tuple(whole((b,))[0] for b in n))
    return tuple(r for r in after_rows if r), tuple(r for r in before_rows if r)


def _row_label(unit: Unit) -> str | None:
    """The label of the table row ``unit`` is (None for a title, header or note unit)."""
    if unit.table_row:
        return unit.key[1]
    if len(unit.key) == 3 and unit.key[1] == "行":
        return unit.key[2]
    return None


def _table_section(
    section: str, pairs: Sequence[Pair], before: TableAttachment, after: TableAttachment
) -> Part:
    """A changed table attachment: in each column its label, a changed title, the table
    fragment (header, changed rows, 「（略）」 rows), a changed note."""
    old_printed, new_printed = printed_table(before), printed_table(after)
    old_table, new_table = old_printed.table, new_printed.table
    tokenize: Tokenize = row_tokens if new_printed.folded else tokens
    after_header, before_header = _header(old_table.header, new_table.header)
    after_rows: list[ComparisonTableRow] = []
    before_rows: list[ComparisonTableRow] = []
    above: list[Part] = []
    below: list[Part] = []
    omitted = False
    for pair in pairs:
        old, new = pair
        unit = new or old
        assert unit is not None
        label = _row_label(unit)
        if label is None:  # title, header or note
            if unit.key[-1] == "注" and _changed(pair):
                below.append(_unit_part(old, new))
            elif unit.key[-1] == "見出し" and _changed(pair):
                above.append(_unit_part(old, new))
            continue
        if not _changed(pair):
            if not omitted:
                omitted_row = ComparisonTableRow((), omitted=True)
                after_rows.append(omitted_row)
                before_rows.append(omitted_row)
            omitted = True
            continue
        omitted = False
        new_cells, old_cells = _marked_cells(
            old_table.row(label) if old is not None else None,
            new_table.row(label) if new is not None else None,
            tokenize,
        )
        if new_cells is not None:
            after_rows.append(ComparisonTableRow(new_cells))
        if old_cells is not None:
            before_rows.append(ComparisonTableRow(old_cells))
        elif new_cells is not None:
            before_rows.append(ComparisonTableRow(((_plain(NEW),),)))
    after_side: list[ComparisonPiece] = [_plain(f"（{after.id}）")]
    before_side: list[ComparisonPiece] = [_plain(f"（{before.id}）")]
    for part in above:
        after_side += part.after
        before_side += part.before
    after_side.append(ComparisonTable(after_header, tuple(after_rows)))
    before_side.append(ComparisonTable(before_header, tuple(before_rows)))
    for part in below:
        after_side += part.after
        before_side += part.before
    return Part(tuple(after_side), tuple(before_side))


def _sections(pairs: list[Pair]) -> Iterator[tuple[str, list[Pair]]]:
    for section, run in groupby(pairs, key=_section):
        yield section, list(run)


def layout(before: Notice, after: Notice) -> Layout:
    """The 新旧対照表 of ``before`` → ``after`` in MHLW form (see the module docstring)."""
    parts: list[Part] = []
    abridged = any(isinstance(a, FormRef) for a in (*before.attachments, *after.attachments))
    for section, pairs in _sections(paired(before, after)):
        if not all(_changed(pair) for pair in pairs):
            abridged = True
        if not any(_changed(pair) for pair in pairs):
            continue
        old_attachment, new_attachment = before.attachment(section), after.attachment(section)
        if is_table(old_attachment) and is_table(new_attachment):
            parts.append(_table_section(section, pairs, old_attachment, new_attachment))
        else:
            parts += _text_section(section, pairs, before, after)
    return Layout(tuple(parts), abridged)


def line_hang(line: MarkedLine) -> tuple[int, str]:
    """How a 新旧対照表 line is indented when it wraps: the number of 字下げ characters it
    starts with, and the item label with its separator that follows them (「(1)　」,
    「①」; empty when the line is not an item's first line), so that a writer hangs the
    wrapped lines under the text after the label, as in the notice itself."""
    text = "".join(run for run, _ in line)
    body = text.lstrip(INDENT)
    label = starts_with_label(body)
    if label is None or body == label:
        return len(text) - len(body), ""
    try:
        lead = label + label_separator(label)
    except UnitError:
        return len(text) - len(body), ""
    return len(text) - len(body), lead if body.startswith(lead) else ""


def without_indent(line: MarkedLine, count: int) -> MarkedLine:
    """``line`` without its first ``count`` characters (its 字下げ), runs kept."""
    out: list[tuple[str, bool]] = []
    for text, changed in line:
        cut = min(count, len(text))
        count -= cut
        if text[cut:]:
            out.append((text[cut:], changed))
    return tuple(out)
