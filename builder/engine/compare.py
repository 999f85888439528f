"""新旧対照表: the units that differ between two versions of a notice, side by side, with
the changed characters marked (傍線).

Units are compared as printed (the title, each 前文 paragraph, each item's own lines, the
contact block, each table row, and a text attachment's title, each of its paragraphs and
each of its items' own lines), so a changed row of 別添1 shows as that row and a changed
item of a 別紙 as that item (「別紙の1」). The marks come from a diff on the words a quote
of ``amend-from`` holds (``builder.engine.textedit.tokens``, on
``builder.japanese.words.quote_words``: the analyser's words, a number with its counter,
a run of hiragana whole; the table cells of ``comparison_layout`` and the quotes of
``diff_segment`` use it too), whole area names for 別添1's rows (as its row quotes take
them), an item's label as one token: so a marked run starts and ends where a quote may,
and no fragment of a word is ever marked.

Items are paired by identity, not by label, so that items added to or deleted from a
level (and the items after them, renumbered) show as a drafter expects: a deleted item
only on the 改正前 side, wholly marked; an added item only on the 改正後 side, wholly
marked; an item that only moved on both sides with only its label marked (「②」 and
「①」); an item that moved and changed with its label and the changed words marked. A
level whose labels are the same in both versions is paired label by label (nothing was
added to or deleted from it); otherwise its items are aligned by their text without the
labels (``_align``), and the sub-items of each pair in the same way.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import assert_never

from builder.engine.address import citation_label
from builder.engine.area_profile import row_tokens
from builder.engine.textedit import tokens
from builder.engine.textform import INDENT, label_separator, row_line, table_row_lines
from builder.model.area_table import AreaTable
from builder.model.notice import FormRef, Item, Notice, Table, TextAttachment

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
    label: str = ""
    """An item's label, printed at the start of its first line after the indent (「①」,
    「(1)」, 「1.」); empty for other units."""


@dataclass(frozen=True)
class ComparisonRow:
    """One changed unit: its context and the marked lines after and before the change."""

    context: str
    after: tuple[MarkedLine, ...]
    before: tuple[MarkedLine, ...]


ITEMS_KEY = "項目"
"""The key part between a text attachment's id and its items' labels (its paragraphs are
keyed by their index, so the two never meet)."""


def _level_keys(items: tuple[Item, ...], key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The keys of a level's items under ``key``: their citation labels (「1」, 「(2)」), or
    「・#3」 for a label that repeats at the level."""
    labels = [citation_label(item.label) for item in items]
    return [
        (*key, label if labels.count(label) == 1 else f"{label}#{index}")
        for index, label in enumerate(labels)
    ]


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
    for item, here in zip(items, _level_keys(items, key), strict=True):
        label = citation_label(item.label)
        citable_here = citable and here[-1] == label
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
        yield Unit(here, context, lines, label=item.label)
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
        match attachment:
            case AreaTable():
                found += [
                    Unit(
                        (attachment.id, row.prefecture),
                        f"（{attachment.id}）",
                        (row_line(row),),
                        True,
                    )
                    for row in attachment.rows
                ]
            case Table():
                found += list(_table_units(attachment))
            case TextAttachment():
                found += list(_text_attachment_units(attachment))
            case FormRef():
                pass  # a form is kept in forms/; no amendment changes it
            case _:
                assert_never(attachment)  # a new kind of attachment: compare its units
    return found


def _table_units(found: Table) -> Iterator[Unit]:
    """A generic table's title, header rows, each row (its text form: label, then each
    cell opened by its heading) and note."""
    context = f"（{found.id}）"
    yield Unit((found.id, "見出し"), context, (found.title,))
    for index, header in enumerate(found.header):
        yield Unit((found.id, "表頭", str(index)), context, ("｜".join(header),))
    for row in found.rows:
        lines = tuple(table_row_lines(row, found.columns))
        yield Unit((found.id, "行", row.label), f"{found.id} {row.label}の項", lines)
    if found.note:
        yield Unit((found.id, "注"), context, (found.note,))


def _row_tokenize(line: str) -> list[str]:
    label, _, text = line.partition(INDENT)
    return [label, INDENT, *row_tokens(text)]


def _label_tokens(line: str, label: str) -> list[str]:
    """Tokens of an item's first line: its indent, its label as one token (so that a
    renumbered 「(1)」 → 「(2)」 is marked whole, not its digit), then its text's words
    (the space after the label apart, as an indent)."""
    text = line.lstrip(INDENT)
    if not label or not text.startswith(label):
        return tokens(line)
    return [*line[: len(line) - len(text)], label, *tokens(text[len(label) :])]


def mark(
    old: str, new: str, tokenize: Callable[[str], list[str]] = tokens
) -> tuple[MarkedLine, MarkedLine]:
    """``old`` and ``new`` as runs with the differing tokens marked."""
    return _marked(tokenize(old), tokenize(new))


def _marked(a: list[str], b: list[str]) -> tuple[MarkedLine, MarkedLine]:
    """The token lists ``a`` (before) and ``b`` (after) as runs, differing tokens marked."""
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


def whole(lines: tuple[str, ...]) -> tuple[MarkedLine, ...]:
    """``lines`` wholly marked (an added or deleted unit, or its added or deleted lines),
    but for their indent: a line that is only indent is marked whole."""
    marked: list[MarkedLine] = []
    for line in lines:
        text = line.lstrip(INDENT)
        indent = line[: len(line) - len(text)]
        marked.append(((indent, False), (text, True)) if indent and text else ((line, True),))
    return tuple(marked)


# --------------------------------------------------------------------------- pairing items

SIMILAR = 0.5
"""How alike two items must be (``difflib`` ratio of their texts without labels) to be
paired where the items around them were added or deleted and their counts differ."""


Content = tuple[object, ...]
"""An item's content for pairing (``_content``)."""


def _content(item: Item) -> Content:
    """What an item is whatever its label: its title, paragraphs and its sub-items'
    contents (their labels left out too)."""
    return (item.title, item.paragraphs, tuple(_content(child) for child in item.items))


def _text(item: Item) -> str:
    """An item's text without labels, its sub-items' included (to measure likeness)."""
    own = [item.title or "", *item.paragraphs]
    return "\n".join([*own, *(_text(child) for child in item.items)])


def _similar(old: tuple[Item, ...], new: tuple[Item, ...]) -> list[tuple[int, int]]:
    """The pairs (index in ``old``, index in ``new``), in order, of items at least
    ``SIMILAR`` alike, chosen for the most likeness in all."""
    weight = [
        [difflib.SequenceMatcher(None, _text(o), _text(n), autojunk=False).ratio() for n in new]
        for o in old
    ]
    best = [[0.0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in reversed(range(len(old))):
        for j in reversed(range(len(new))):
            options = [best[i + 1][j], best[i][j + 1]]
            if weight[i][j] >= SIMILAR:
                options.append(best[i + 1][j + 1] + weight[i][j])
            best[i][j] = max(options)
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < len(old) and j < len(new):
        if weight[i][j] >= SIMILAR and best[i][j] == best[i + 1][j + 1] + weight[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _anchors(a: list[Content], b: list[Content]) -> list[tuple[int, int]]:
    """The pairs (index in ``a``, index in ``b``) of items whose content is found once in
    each version, as many of them as keep their order: items that did not change (but
    perhaps moved), which nothing else at their level can be taken for."""
    count_a, count_b = Counter(a), Counter(b)
    index_a = {content: i for i, content in enumerate(a) if count_a[content] == 1}
    candidates = [
        (index_a[content], j)
        for j, content in enumerate(b)
        if count_b[content] == 1 and content in index_a
    ]
    candidates.sort()
    length: list[int] = []
    previous: list[int] = []
    for k, (_, j) in enumerate(candidates):
        best, back = 1, -1
        for m in range(k):
            if candidates[m][1] < j and length[m] + 1 > best:
                best, back = length[m] + 1, m
        length.append(best)
        previous.append(back)
    chain: list[tuple[int, int]] = []
    k = max(range(len(candidates)), key=length.__getitem__, default=-1)
    while k >= 0:
        chain.append(candidates[k])
        k = previous[k]
    return chain[::-1]


def _align_run(
    old: tuple[Item, ...], new: tuple[Item, ...], a: list[Content], b: list[Content]
) -> list[tuple[int, int]]:
    """The items of a run between two anchors paired (``difflib`` over their contents
    ``a`` and ``b``): equal items pair, a stretch of changed items pairs one to one when
    both versions have as many, else by likeness (``_similar``)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
        elif tag == "replace":
            pairs += [(i1 + i, j1 + j) for i, j in _similar(old[i1:i2], new[j1:j2])]
    return pairs


def _align(old: tuple[Item, ...], new: tuple[Item, ...]) -> list[tuple[int, int]]:
    """The items of one level paired between two versions, as (index in ``old``, index
    in ``new``) in order. Label by label when the labels are the same (nothing added or
    deleted); otherwise by content without labels: first the items whose content is found
    once in each version (``_anchors``), then the runs between them (``_align_run``). An
    item left unpaired was deleted (in ``old``) or added (in ``new``)."""
    if [item.label for item in old] == [item.label for item in new]:
        return [(index, index) for index in range(len(old))]
    a, b = [_content(item) for item in old], [_content(item) for item in new]
    pairs: list[tuple[int, int]] = []
    i0 = j0 = 0
    for i, j in [*_anchors(a, b), (len(a), len(b))]:
        run = _align_run(old[i0:i], new[j0:j], a[i0:i], b[j0:j])
        pairs += [(i0 + x, j0 + y) for x, y in run]
        if i < len(a):
            pairs.append((i, j))
        i0, j0 = i + 1, j + 1
    return pairs


Key = tuple[str, ...]


def _match_level(
    old: tuple[Item, ...], new: tuple[Item, ...], old_key: Key, new_key: Key, found: dict[Key, Key]
) -> None:
    """Add to ``found`` the new key of each item of ``old`` (keyed under ``old_key``) paired
    with an item of ``new`` (under ``new_key``), their sub-items' included."""
    old_keys, new_keys = _level_keys(old, old_key), _level_keys(new, new_key)
    for i, j in _align(old, new):
        found[old_keys[i]] = new_keys[j]
        _match_level(old[i].items, new[j].items, old_keys[i], new_keys[j], found)


def _matched_items(before: Notice, after: Notice) -> dict[Key, Key]:
    """The key in ``after`` of each item of ``before`` that is still there (under 記 and in
    each text attachment that both have)."""
    found: dict[Key, Key] = {}
    _match_level(before.ki, after.ki, ("記",), ("記",), found)
    for attachment in before.attachments:
        other = after.attachment(attachment.id)
        if isinstance(attachment, TextAttachment) and isinstance(other, TextAttachment):
            key = (attachment.id, ITEMS_KEY)
            _match_level(attachment.items, other.items, key, key, found)
    return found


def _is_item(key: Key) -> bool:
    return key[0] == "記" or key[1:2] == (ITEMS_KEY,)


def paired(before: Notice, after: Notice) -> list[tuple[Unit | None, Unit | None]]:
    """Every unit of either version, paired with its counterpart in the other (None when
    it was added or deleted), in the document order of ``after``; a unit only in
    ``before`` comes right after the unit that preceded it there (after that unit's
    counterpart)."""
    old_list, new_list = units(before), units(after)
    new_keys = {unit.key for unit in new_list}
    new_key_of = {
        unit.key: unit.key for unit in old_list if not _is_item(unit.key) and unit.key in new_keys
    } | _matched_items(before, after)
    old_of = {new_key_of[unit.key]: unit for unit in old_list if unit.key in new_key_of}
    deleted: dict[Key | None, list[Unit]] = {}
    anchor: Key | None = None
    for unit in old_list:
        if unit.key in new_key_of:
            anchor = new_key_of[unit.key]
        else:
            deleted.setdefault(anchor, []).append(unit)
    order: list[tuple[Unit | None, Unit | None]] = [(unit, None) for unit in deleted.get(None, [])]
    for unit in new_list:
        order.append((old_of.get(unit.key), unit))
        order += [(gone, None) for gone in deleted.get(unit.key, [])]
    return order


def changed_row(old: Unit, new: Unit) -> ComparisonRow:
    """A unit in both versions whose lines differ: its lines paired and marked, the
    label of an item as one token, lines only one version has marked whole."""
    pairs: list[tuple[MarkedLine, MarkedLine]] = []
    for index, (o, n) in enumerate(zip(old.lines, new.lines, strict=False)):
        if new.table_row:
            pairs.append(mark(o, n, _row_tokenize))
        elif index == 0 and (old.label or new.label):
            pairs.append(_marked(_label_tokens(o, old.label), _label_tokens(n, new.label)))
        else:
            pairs.append(mark(o, n))
    return ComparisonRow(
        new.context,
        tuple(p[1] for p in pairs) + whole(new.lines[len(old.lines) :]),
        tuple(p[0] for p in pairs) + whole(old.lines[len(new.lines) :]),
    )


def compare(before: Notice, after: Notice) -> list[ComparisonRow]:
    """The changed units between two versions, in the document order of ``after`` (units
    only in ``before`` are placed where they stood). Items are paired by identity
    (``_align``): a deleted item shows only before, an added one only after, both wholly
    marked; a renumbered item shows on both sides with its label marked, and its text
    only where it changed. A row's context cites the unit as it is after the change (as
    it was before, for a deleted one)."""
    rows: list[ComparisonRow] = []
    for old, new in paired(before, after):
        if old is not None and new is not None:
            if old.lines != new.lines:
                rows.append(changed_row(old, new))
        elif new is not None:
            rows.append(ComparisonRow(new.context, whole(new.lines), ()))
        elif old is not None:
            rows.append(ComparisonRow(old.context, (), whole(old.lines)))
    return rows


OPEN_MARK, CLOSE_MARK = "〖", "〗"
"""How the text rendering shows an underlined (changed) run: 〖東播磨〗."""


def marked_text(line: MarkedLine) -> str:
    """A marked line as text, changed runs in 〖〗."""
    return "".join(f"{OPEN_MARK}{t}{CLOSE_MARK}" if changed else t for t, changed in line)
