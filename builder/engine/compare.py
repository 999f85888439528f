"""新旧対照表: the units that differ between two versions of a notice, side by side, with
the changed characters marked (傍線).

Units are compared as printed (the title, each 前文 paragraph, each item's own lines, the
contact block, each table row, and a text attachment's title, each of its paragraphs and
each of its items' own lines), so a changed row of 別添1 shows as that row and a changed
item of a 別紙 as that item (「別紙の1」). The marks come from a diff on word-like tokens
(``builder.engine.textedit.tokens``; whole area names for table rows), so no fragment of a
word is ever marked.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from builder.engine.address import citation_label
from builder.engine.textedit import tokens
from builder.engine.textform import INDENT, label_separator, row_line
from builder.engine.units import row_tokens
from builder.model.notice import AreaTable, Item, Notice, TextAttachment

Segment = tuple[str, bool]
"""A run of text and whether it is changed (underlined)."""

MarkedLine = tuple[Segment, ...]

NOTE = "（傍線部分は改正部分）"
AFTER = "改正後"
BEFORE = "改正前"


@dataclass(frozen=True)
class Unit:
    """One comparable unit: a stable key, the context shown above it, and its lines."""

    key: tuple[str, ...]
    context: str
    lines: tuple[str, ...]
    table_row: bool = False


@dataclass(frozen=True)
class ComparisonRow:
    """One changed unit: its context and the marked lines after and before the change."""

    context: str
    after: tuple[MarkedLine, ...]
    before: tuple[MarkedLine, ...]


ITEMS_KEY = "項目"
"""The key part between a text attachment's id and its items' labels (its paragraphs are
keyed by their index, so the two never meet)."""


def _item_units(
    items: tuple[Item, ...],
    key: tuple[str, ...],
    cited: str,
    citable: bool = True,
    depth: int = 0,
) -> Iterator[Unit]:
    """Each item's own lines, then its sub-items', keyed under ``key`` by their labels (「・#3」
    for a label that repeats at its level). The context is the item's citation, ``cited``
    followed by its labels (「記の1の(2)」, 「別紙の1」); an item that cannot be cited (its
    label repeats at its level, or an ancestor's does) shows its nearest citable ancestor's."""
    labels = [citation_label(item.label) for item in items]
    for index, item in enumerate(items):
        label = labels[index]
        unique = labels.count(label) == 1
        here = (*key, label if unique else f"{label}#{index}")
        citable_here = citable and unique
        context = f"{cited}の{label}" if citable_here else cited
        indent = INDENT * depth
        first = (
            item.title
            if item.title is not None
            else (item.paragraphs[0] if item.paragraphs else "")
        )
        rest = item.paragraphs if item.title is not None else item.paragraphs[1:]
        label_line = f"{indent}{item.label}{label_separator(item.label)}{first}"
        lines = (label_line, *(f"{indent}{INDENT}{p}" for p in rest))
        yield Unit(here, context, lines)
        yield from _item_units(item.items, here, context, citable_here, depth + 1)


def _text_attachment_units(attachment: TextAttachment) -> Iterator[Unit]:
    """A text attachment's title, its paragraphs, then its items (cited 「別紙の1」)."""
    label = f"（{attachment.id}）"
    for index, text in enumerate((attachment.title, *attachment.paragraphs)):
        yield Unit((attachment.id, str(index)), label, (text,))
    yield from _item_units(attachment.items, (attachment.id, ITEMS_KEY), attachment.id)


def units(notice: Notice) -> list[Unit]:
    """Every comparable unit of ``notice`` in document order."""
    found = [Unit(("件名",), "件名", (notice.title,))]
    found += [Unit(("前文", str(i)), "前文", (INDENT + p,)) for i, p in enumerate(notice.preamble)]
    found += list(_item_units(notice.ki, ("記",), "記"))
    if notice.contact is not None:
        found.append(Unit(("担当者",), notice.contact.label, notice.contact.lines))
    for attachment in notice.attachments:
        if isinstance(attachment, AreaTable):
            found += [
                Unit(
                    (attachment.id, row.prefecture), f"（{attachment.id}）", (row_line(row),), True
                )
                for row in attachment.rows
            ]
        elif isinstance(attachment, TextAttachment):
            found += list(_text_attachment_units(attachment))
    return found


def _row_tokenize(line: str) -> list[str]:
    label, _, text = line.partition(INDENT)
    return [label, INDENT, *row_tokens(text)]


def mark(
    old: str, new: str, tokenize: Callable[[str], list[str]] = tokens
) -> tuple[MarkedLine, MarkedLine]:
    """``old`` and ``new`` as runs with the differing tokens marked."""
    a, b = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    before: list[Segment] = []
    after: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            before.append(("".join(a[i1:i2]), changed))
        if j2 > j1:
            after.append(("".join(b[j1:j2]), changed))
    return _merge(before), _merge(after)


def _merge(segments: list[Segment]) -> MarkedLine:
    merged: list[Segment] = []
    for text, changed in segments:
        if merged and merged[-1][1] == changed:
            merged[-1] = (merged[-1][0] + text, changed)
        else:
            merged.append((text, changed))
    return tuple(merged)


def _whole(lines: tuple[str, ...], changed: bool) -> tuple[MarkedLine, ...]:
    return tuple(((line, changed),) for line in lines)


def compare(before: Notice, after: Notice) -> list[ComparisonRow]:
    """The changed units between two versions, in the document order of ``after`` (units
    only in ``before`` are placed where they stood)."""
    old_units = {unit.key: unit for unit in units(before)}
    new_list = units(after)
    new_keys = {unit.key for unit in new_list}
    order: list[tuple[Unit | None, Unit | None]] = []
    for unit in new_list:
        order.append((old_units.get(unit.key), unit))
    for index, unit in enumerate(units(before)):
        if unit.key not in new_keys:
            order.insert(min(index, len(order)), (unit, None))
    rows: list[ComparisonRow] = []
    for old, new in order:
        if old is not None and new is not None:
            if old.lines == new.lines:
                continue
            tokenize = _row_tokenize if new.table_row else tokens
            pairs = [mark(o, n, tokenize) for o, n in zip(old.lines, new.lines, strict=False)]
            extra_old = _whole(old.lines[len(new.lines) :], True)
            extra_new = _whole(new.lines[len(old.lines) :], True)
            rows.append(
                ComparisonRow(
                    new.context,
                    tuple(p[1] for p in pairs) + extra_new,
                    tuple(p[0] for p in pairs) + extra_old,
                )
            )
        elif new is not None:
            rows.append(ComparisonRow(new.context, _whole(new.lines, True), ()))
        elif old is not None:
            rows.append(ComparisonRow(old.context, (), _whole(old.lines, True)))
    return rows


OPEN_MARK, CLOSE_MARK = "〖", "〗"
"""How the text rendering shows an underlined (changed) run: 〖東播磨〗."""


def marked_text(line: MarkedLine) -> str:
    """A marked line as text, changed runs in 〖〗."""
    return "".join(f"{OPEN_MARK}{t}{CLOSE_MARK}" if changed else t for t, changed in line)
