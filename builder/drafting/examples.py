"""Examples of every change kind that applies to one notice, written with its own units
and words, for the commented scaffold of ``notices new-amendment``: a drafter sees
「記の2中…」 for an item that exists, a quote that occurs once in it, the next label of a
level, a row and an area of each of its tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.drafting import area_rows
from builder.engine.address import ItemAddress, citation_label, format_address
from builder.engine.labels import label_number, numbered_label
from builder.engine.textedit import find_all
from builder.engine.units import cell_lines, get_item, item_segments
from builder.model.notice import Item, Notice, Table

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff々〆]{2,}")
"""A run of two or more kanji: a word or a compound, never part of one (a quote such as
「けた」 out of 「向けた」, or a bare number, would not read as a drafter quotes)."""


def _word(texts: tuple[str, ...] | list[str]) -> str | None:
    """A run of kanji that occurs once in ``texts`` (the longest of the first text that
    has one)."""
    for text in texts:
        runs: list[str] = sorted(_KANJI_RUN.findall(text), key=len, reverse=True)
        for run in runs:
            if len(find_all(texts, run)) == 1:
                return run
    return None


def _cited(path: tuple[str, ...]) -> str:
    return format_address(ItemAddress(path))


def _items(items: tuple[Item, ...], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for item in items:
        here = (*path, citation_label(item.label))
        yield here
        yield from _items(item.items, here)


def _item(notice: Notice, path: tuple[str, ...]) -> Item:
    return get_item(notice, ItemAddress(path))


def _body_examples(notice: Notice) -> Iterator[str]:
    word = _word([notice.title])
    if word:
        yield f"- {{at: 件名, replace: {word}, with: …}}   # 件名中「{word}」を「…」に改める。"
    paths = [p for p in _items(notice.ki) if "・" not in p]
    texts = [(p, tuple(item_segments(_item(notice, p)))) for p in paths]
    quoted = next(((p, w) for p, t in texts if (w := _word(list(t)))), None)
    if quoted:
        cited, word = _cited(quoted[0]), quoted[1]
        yield f"- {{at: {cited}, replace: {word}, with: …}}   # 「{word}」を「…」に改める。"
        yield f"- {{at: {cited}, after: {word}, insert: …}}   # 「{word}」の下に「…」を加える。"
        yield f"- {{at: {cited}, delete: {word}}}   # 「{word}」を削る。"
    titled = next((p for p in paths if _item(notice, p).title is not None), None)
    if titled:
        cited = _cited(titled)
        yield f"- {{at: {cited}の見出し, rewrite: …}}   # {cited}の見出しを「…」に改める。"
    with_paragraphs = next((p for p in paths if _item(notice, p).paragraphs), None)
    if with_paragraphs:
        cited = _cited(with_paragraphs)
        yield f"- {{at: {cited}の第1段落, add_paragraphs: [….]}}   # …の次に次のように加える。"
    if notice.ki and label_number(notice.ki[-1].label):
        last = notice.ki[-1]
        found = label_number(last.label)
        assert found is not None
        new = numbered_label(found[0], found[1] + 1)
        yield (
            f"- {{at: 記, after: '{citation_label(last.label)}', add_items: "
            f"[{{label: '{new}', title: …, text: ….}}]}}   # 記の{citation_label(last.label)}の次に"
            "次のように加える。"
        )
        yield (
            f"- {{at: {_cited((citation_label(last.label),))}, delete_item: true}}   "
            f"# {_cited((citation_label(last.label),))}を削る。 (any items after it move up)"
        )
        yield (
            f"- at: {_cited((citation_label(last.label),))}   # …を次のように改める。\n"
            f"  rewrite: {{label: '{last.label}', title: …, paragraphs: [….]}}"
        )
    if notice.contact is not None and notice.contact.lines:
        word = _word(list(notice.contact.lines))
        if word:
            yield f"- {{at: {notice.contact.heading}, replace: {word}, with: …}}"


def _table_examples(notice: Notice) -> Iterator[str]:
    for found in notice.attachments:
        yield from area_rows.change_examples(found)
        if isinstance(found, Table) and found.rows:
            row = found.rows[0]
            at = f"{found.id} {row.label}の項"
            word = _word(list(cell_lines(row)))
            if word:
                yield f"- {{at: {at}, replace: {word}, with: …}}   # 「{word}」を「…」に改める。"
            cells = ", ".join("[…]" for _ in found.columns[1:])
            yield (
                f"- {{at: {found.id}, add_row_after: {row.label}, "
                f"rows: [{{label: …, cells: [{cells}]}}]}}"
            )
            yield f"- {{at: {at}, delete_row: true}}   # {at}を削る。"


def change_examples(notice: Notice) -> list[str]:
    """Example ``changes:`` entries (YAML lines) for ``notice`` as in force."""
    return [
        line
        for example in (*_body_examples(notice), *_table_examples(notice))
        for line in example.split("\n")
    ]
