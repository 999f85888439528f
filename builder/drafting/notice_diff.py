"""The changes that turn one notice into another, unit by unit, as the entries of an
amendment's ``changes:`` (the inverse of applying them).

* 件名, 前文, 担当者, an item's 見出し and paragraphs, a table's title, header and note,
  a generic row's cell lines: quoted text changes (``builder.drafting.quotes``: whole
  words, found once in the unit they are cited at), else the unit is rewritten.
* An item's text is cited at the item (記の2中「Ａ」を「Ｂ」に改める) when every quote is
  found once among all its text and no item inside it is cited too (the engine takes one
  sentence per part); otherwise at its 見出し or 第n段落.
* Items: a level that gained items gets one ``add_items`` (the run of new items placed
  where the items around it match best; the engine renumbers the rest), a level that lost
  one item one ``delete_item``; labels of kept items are the old ones (the 改め文 cites
  the labels in force). Paragraphs likewise (``add_paragraphs`` after the paragraph before
  them, ``delete_paragraph``). What one amendment cannot say of a level (two separate runs,
  several deletions, a 見出し added or removed) rewrites the item that holds the level;
  at 記 itself it is refused.
* A 別紙 (text attachment): each changed title, paragraph or item line quoted at the
  attachment (「別紙中「WEB等」を「対面」に改める」), each quote found once in all its
  text; its paragraphs and items keep their places (``read_edited`` refuses others).
* Rows: ``builder.drafting.amendments.changes_for`` (area rows by ``row_quotes``; generic
  rows per cell line, added and deleted rows).
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from builder.core.errors import NoticeError
from builder.drafting.amendments import changes_for
from builder.drafting.change_yaml import change_yaml
from builder.drafting.pieces import refusal
from builder.drafting.quotes import segment_quotes
from builder.engine.address import (
    HeadingAddress,
    ItemAddress,
    ParagraphAddress,
    citation_label,
    format_address,
)
from builder.engine.labels import label_number
from builder.engine.units import cell_lines, item_segments, table_segments
from builder.model.notice import (
    AddItems,
    AddParagraphs,
    Change,
    DeleteItem,
    DeleteParagraph,
    Item,
    Notice,
    Rewrite,
    Table,
    TableAttachment,
    TextAttachment,
    TextChange,
)

Entry = dict[str, Any]


# --------------------------------------------------------------------------- quotes


def _quoted(at: str, changes: list[TextChange]) -> list[Entry]:
    return [change_yaml(Change(at, change)) for change in changes]


def _unit_segments(at: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[Entry]:
    """Quoted changes of a unit of several segments (前文, 担当者, a table's own text), or
    its rewrite when segments were added or removed or a quote cannot be found once."""
    if old == new:
        return []
    if len(old) == len(new):
        entries: list[Entry] = []
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            if before == after:
                continue
            found = segment_quotes(old, index, after)
            if found is None:
                break
            entries += _quoted(at, found)
        else:
            return entries
    return [{"at": at, "rewrite": list(new)}]


# --------------------------------------------------------------------------- items


def _text(item: Item) -> str:
    return "\n".join(item_segments(item))


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _best_gap(old: list[str], new: list[str], lowest: int = 0) -> int:
    """Where a run of ``len(new) - len(old)`` new entries goes in ``old`` (an index of
    ``old``, at least ``lowest``) so that the entries around it match best; the latest
    such place on a tie. For a deletion (``new`` shorter by one) the index deleted."""
    k = len(new) - len(old)
    best, best_score = -1, -1.0
    if k > 0:
        places = range(lowest, len(old) + 1)
        for place in places:
            pairs = list(zip(old[:place], new[:place], strict=True))
            pairs += list(zip(old[place:], new[place + k :], strict=True))
            score = sum(_similarity(a, b) for a, b in pairs)
            if score >= best_score:
                best, best_score = place, score
        return best
    for place in range(len(old)):
        kept = old[:place] + old[place + 1 :]
        score = sum(_similarity(a, b) for a, b in zip(kept, new, strict=True))
        if score >= best_score:
            best, best_score = place, score
    return best


@dataclasses.dataclass
class _ItemDiff:
    entries: list[Entry]
    claims: bool
    """Whether the item or one inside it is cited as an item or a 見出し (then an item
    holding it cannot be cited with quotes: the engine takes one sentence per part)."""


def _numbered(items: tuple[Item, ...]) -> bool:
    return all(label_number(item.label) is not None for item in items)


def level_entries(
    path: tuple[str, ...], old: tuple[Item, ...], new: tuple[Item, ...]
) -> _ItemDiff | None:
    """The changes turning the level of items ``old`` under ``path`` into ``new``; None
    when one amendment cannot say it (the holder is then rewritten)."""
    at = format_address(ItemAddress(path))
    entries: list[Entry] = []
    pairs: list[tuple[Item, Item]]
    if len(new) == len(old):
        if any(a.label != b.label for a, b in zip(old, new, strict=True)):
            return None
        pairs = list(zip(old, new, strict=True))
    elif len(new) > len(old):
        if not _numbered(old) or not _numbered(new):
            return None
        count = len(new) - len(old)
        place = _best_gap([_text(i) for i in old], [_text(i) for i in new])
        added = new[place : place + count]
        body = AddItems(
            added,
            after=citation_label(old[place - 1].label) if place else None,
            first=bool(old) and place == 0,
        )
        entries.append(change_yaml(Change(at, body)))
        pairs = list(zip(old[:place], new[:place], strict=True))
        pairs += list(zip(old[place:], new[place + count :], strict=True))
    else:
        if len(old) - len(new) > 1 or not _numbered(old):
            return None
        place = _best_gap([_text(i) for i in old], [_text(i) for i in new])
        gone = ItemAddress((*path, citation_label(old[place].label)))
        entries.append(change_yaml(Change(format_address(gone), DeleteItem())))
        pairs = list(zip(old[:place] + old[place + 1 :], new, strict=True))
    claims = False
    for before, after in pairs:
        item_path = (*path, citation_label(before.label))
        found = item_entries(item_path, before, after)
        if found is None:
            rewritten = dataclasses.replace(after, label=before.label)
            entries.append(
                change_yaml(Change(format_address(ItemAddress(item_path)), Rewrite(rewritten)))
            )
            claims = True
            continue
        entries += found.entries
        claims = claims or found.claims
    return _ItemDiff(entries, claims)


def _paragraph_entries(
    path: tuple[str, ...], old: tuple[str, ...], new: tuple[str, ...]
) -> tuple[list[Entry], list[tuple[int, str, str]]] | None:
    """The paragraphs added or deleted, and the pairs (old index, old, new) of the kept
    paragraphs; None when one amendment cannot say it."""
    if len(new) == len(old):
        return [], [(i, a, b) for i, (a, b) in enumerate(zip(old, new, strict=True))]
    if len(new) > len(old):
        if not old:
            return None
        count = len(new) - len(old)
        place = _best_gap(list(old), list(new), lowest=1)
        body = AddParagraphs(new[place : place + count])
        at = format_address(ParagraphAddress(path, place))
        kept = [(i, old[i], new[i]) for i in range(place)]
        kept += [(i, old[i], new[i + count]) for i in range(place, len(old))]
        return [change_yaml(Change(at, body))], kept
    if len(old) - len(new) > 1:
        return None
    place = _best_gap(list(old), list(new))
    at = format_address(ParagraphAddress(path, place + 1))
    indexes = [i for i in range(len(old)) if i != place]
    kept = [(i, old[i], new[n]) for n, i in enumerate(indexes)]
    return [change_yaml(Change(at, DeleteParagraph()))], kept


def item_shape(items: tuple[Item, ...]) -> tuple[object, ...]:
    """The labels and the number of texts of ``items`` at every depth: two levels of one
    shape have their text segments in the same places."""
    return tuple(
        (item.label, item.title is None, len(item.paragraphs), item_shape(item.items))
        for item in items
    )


def item_entries(path: tuple[str, ...], old: Item, new: Item) -> _ItemDiff | None:
    """The changes turning the item ``old`` (cited by ``path``) into ``new``; None when
    it must be rewritten. Its 「・」 items cannot be cited one by one: their text is
    quoted at this item, and any other change to them rewrites it."""
    if old == dataclasses.replace(new, label=old.label):
        return _ItemDiff([], False)
    if (old.title is None) != (new.title is None):
        return None
    bullets = bool(old.items) and not _numbered(old.items)
    if bullets and item_shape(old.items) != item_shape(new.items):
        return None
    children = _ItemDiff([], False) if bullets else level_entries(path, old.items, new.items)
    paragraphs = _paragraph_entries(path, old.paragraphs, new.paragraphs)
    if children is None or paragraphs is None:
        return None
    structural, kept = paragraphs
    segments = tuple(item_segments(old))
    offset = 1 if old.title is not None else 0
    changed: list[tuple[int, str]] = [
        (offset + index, after) for index, before, after in kept if before != after
    ]
    if old.title is not None and new.title is not None and old.title != new.title:
        changed.insert(0, (0, new.title))
    inner = offset + len(old.paragraphs)  # where the 「・」 items' texts start
    if bullets:
        below = [text for child in new.items for text in item_segments(child)]
        changed += [
            (inner + index, text)
            for index, text in enumerate(below)
            if segments[inner + index] != text
        ]
    at = format_address(ItemAddress(path))
    own: list[Entry] = []
    claims = children.claims
    whole = [segment_quotes(segments, index, text) for index, text in changed]
    if changed and not children.claims and all(found is not None for found in whole):
        own = [entry for found in whole if found for entry in _quoted(at, found)]
        claims = True
    elif any(index >= inner for index, _ in changed):
        return None
    else:
        for index, text in changed:
            if index < offset:
                heading = format_address(HeadingAddress(path))
                found = segment_quotes((segments[0],), 0, text)
                own += _quoted(heading, found) if found else [{"at": heading, "rewrite": text}]
                claims = True
                continue
            number = index - offset + 1
            cited = format_address(ParagraphAddress(path, number))
            found = segment_quotes((segments[index],), 0, text)
            assert found is not None  # the whole paragraph is found once in itself
            own += _quoted(cited, found)
    return _ItemDiff(own + structural + children.entries, claims)


# --------------------------------------------------------------------------- the notice


def _refused(japanese: str, english: str) -> NoticeError:
    return NoticeError(refusal(japanese, english))


def notice_entries(old: Notice, new: Notice) -> list[Entry]:
    """The ``changes:`` entries that turn ``old`` into ``new`` (both with the same
    attachments, in the same order)."""
    entries: list[Entry] = []
    if old.title != new.title:
        found = segment_quotes((old.title,), 0, new.title)
        entries += _quoted("件名", found) if found else [{"at": "件名", "rewrite": new.title}]
    entries += _unit_segments("前文", old.preamble, new.preamble)
    if old.ki != new.ki:
        level = level_entries((), old.ki, new.ki)
        if level is None:
            raise _refused(
                "記の項目は一つの改正で一か所に追加するか、一つだけ削除できます。改正を二つに分けてください",
                "one amendment adds items to 記 in one place or deletes one of them; make "
                "two amendments",
            )
        entries += level.entries
    if old.contact is not None and new.contact is not None:
        entries += _unit_segments(old.contact.heading, old.contact.lines, new.contact.lines)
    for before, after in zip(old.attachments, new.attachments, strict=True):
        entries += attachment_entries(before, after)
    return entries


def _attachment_texts(found: TextAttachment) -> tuple[str, ...]:
    """A 別紙's texts as the engine cites them at 「別紙」: title, paragraphs, items."""
    return (
        found.title,
        *found.paragraphs,
        *(t for item in found.items for t in item_segments(item)),
    )


def text_attachment_entries(old: TextAttachment, new: TextAttachment) -> list[Entry]:
    """The changes of a 別紙 of the same shape (``read_edited`` refuses another): each
    changed title, paragraph or item line quoted at the attachment (「別紙中「Ａ」を「Ｂ」に
    改める」), every quote found once in all its text, as the engine locates it. Refused
    when a change cannot be quoted once (the line is there twice): a 別紙 has no rewrite."""
    old_texts, new_texts = _attachment_texts(old), _attachment_texts(new)
    entries: list[Entry] = []
    for index, (before, after) in enumerate(zip(old_texts, new_texts, strict=True)):
        if before == after:
            continue
        found = segment_quotes(old_texts, index, after)
        if found is None:
            raise _refused(
                f"{old.id}の「{before}」の変更を、{old.id}の中で一度だけ現れる引用で書けません"
                f"（同じ文が{old.id}に二度あります）。改正を二つに分けるか、YAML で書いてください",
                f"the change of 「{before}」 in {old.id} cannot be quoted so that the quote "
                f"is found once in {old.id} (the same text is there twice); make two "
                "amendments or write it by hand",
            )
        entries += _quoted(old.id, found)
    return entries


def attachment_entries(old: object, new: object) -> list[Entry]:
    """The changes of one attachment: a 別紙's quoted changes
    (:func:`text_attachment_entries`); a table's own text (title, header, note) quoted at
    the attachment, then its rows."""
    if isinstance(old, TextAttachment) and isinstance(new, TextAttachment):
        return text_attachment_entries(old, new) if old != new else []
    if (
        isinstance(old, TableAttachment)
        and not isinstance(old, Table)
        and isinstance(new, TableAttachment)
    ):
        entries = _unit_segments(old.id, (old.title, old.note), (new.title, new.note))
    elif isinstance(old, Table) and isinstance(new, Table):
        if [len(row) for row in old.header] != [len(row) for row in new.header]:
            raise _refused(
                f"{old.id}の見出しの行・列の数は変えられません。改正を YAML で書いてください",
                f"the header rows and columns of {old.id} cannot change here; write the "
                "amendment by hand",
            )
        entries = _unit_segments(old.id, table_segments(old), table_segments(new))
    else:
        return []
    if any(entry.get("rewrite") is not None for entry in entries):
        raise _refused(
            f"{old.id}の題名・注記の変更を引用で書けません。改正を YAML で書いてください",
            f"the change of {old.id}'s title or note cannot be quoted; write it by hand",
        )
    if old.rows == new.rows:
        return entries
    if isinstance(old, Table) and isinstance(new, Table):
        return entries + _generic_rows(old, new)
    return entries + changes_for(old, new.rows)


def _generic_rows(old: Table, new: Table) -> list[Entry]:
    """The changes of a generic table's rows: a kept row whose cells keep their line
    counts by quoted changes, each quote found once among the row's lines (widened a word
    at a time, as in the body); added, deleted and otherwise changed rows as
    ``changes_for`` writes them."""
    quoted: list[Entry] = []
    rows = list(new.rows)
    for index, row in enumerate(rows):
        before = old.row(row.label)
        if before is None or before == row:
            continue
        if [len(cell) for cell in before.cells] != [len(cell) for cell in row.cells]:
            continue
        lines, after = cell_lines(before), cell_lines(row)
        found: list[TextChange] = []
        for line, (was, now) in enumerate(zip(lines, after, strict=True)):
            if was != now:
                changes = segment_quotes(lines, line, now)
                if changes is None:
                    break
                found += changes
        else:
            quoted += _quoted(f"{old.id} {row.label}の項", found)
            rows[index] = before
    return quoted + changes_for(old, tuple(rows))
