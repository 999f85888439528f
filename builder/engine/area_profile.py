"""The area-table profile of a table: 別添1 of 医政発0731第1号, the 推進区域 (and
モデル推進区域) set in each 都道府県 — the rules that make its data
(:mod:`builder.model.area_table`) a table like any other.

* **Row text**: a row's areas as printed and quoted by a 改め文 (「能代・山本（●）、大館・鹿角
  （●）」, 「調整中」); 「（●）」, 「、」 and 「調整中」 are rendering, not data, and
  :func:`parse_row_text` turns edited text back into areas and flags, so a drafter may
  amend a row with a plain text change.
* **The printed table** (:func:`as_table`): the generic :class:`~builder.model.notice.Table`
  every writer prints — a header row (都道府県 | 推進区域…), one row per prefecture
  labelled by its name, one cell of its row text — folded into two column pairs
  (``builder.engine.tabular.printed_table``).
* **Records** (:func:`area_records`): one per area under :data:`CSV_HEADER` (都道府県コード,
  都道府県, 構想区域, モデル推進区域 flag), what its CSV and .xlsx data sheet hold and
  ``amend-from`` reads back.
* **Order**: rows in 都道府県コード order (checked when the notice is read).
* **Areas per prefecture** (:func:`areas_by_prefecture`): what the forms are prefilled with.
* **One prefecture's row** (:func:`prefecture_rows`, :func:`rows_touched`): what a page
  about one prefecture shows as of each version, and which rows an amendment's resolved
  changes touched.

Its structured changes (add_area, remove_area, rename_area, set_model, clear_model) are
applied in :mod:`builder.engine.amend` and quoted by :mod:`builder.engine.row_quotes`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.engine.address import AttachmentAddress, RowAddress, UnitError
from builder.japanese import prefecture_code
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.model.notice import AddRow, Notice, Table, TableRow

if TYPE_CHECKING:  # amend imports this module: its class is named for type checks only
    from builder.engine.amend import UnitChange

PENDING = "調整中"
MODEL_MARK = "（●）"
AREA_SEPARATOR = "、"


def row_text(row: AreaRow) -> str:
    """A row's areas as printed: 「中空知（●）」, 「松江、雲南」, or 「調整中」."""
    if row.pending:
        return PENDING
    return AREA_SEPARATOR.join([a.name + MODEL_MARK if a.model else a.name for a in row.areas])


def row_tokens(text: str) -> list[str]:
    """Whole area names, marks and separators: the words a row's 改め文 quotes."""
    return re.findall(rf"{MODEL_MARK}|{AREA_SEPARATOR}|[^{AREA_SEPARATOR}（]+|（", text)


def area_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an area name, or None: marks, separators and 「調整中」 are
    rendering, not names."""
    if not name or name != name.strip(" \u3000"):
        return f"area name 「{name}」 is empty or has surrounding spaces"
    if name == PENDING:
        return f"「{PENDING}」 is not an area; use pending: true for a row still being set"
    if "●" in name or "（" in name or "）" in name or AREA_SEPARATOR in name:
        return (
            f"area name 「{name}」 contains 「（●）」 or 「、」; those are rendering: use "
            "model: true and one entry per area"
        )
    return None


def row_problems(row: AreaRow) -> list[str]:
    """What is wrong with a row's data (area names, duplicates, empty), in order."""
    if row.pending:
        return [] if not row.areas else [f"{row.prefecture}の項 is pending and has areas"]
    if not row.areas:
        return [f"{row.prefecture}の項 has no area; use pending: true for 「{PENDING}」"]
    problems = [p for p in (area_name_problem(a.name) for a in row.areas) if p]
    counts = Counter(a.name for a in row.areas)
    problems += [
        f"area 「{n}」 appears twice in {row.prefecture}" for n in sorted(counts) if counts[n] > 1
    ]
    return problems


def parse_row_text(prefecture: str, text: str, reuse: tuple[Area, ...] = ()) -> AreaRow:
    """The row whose printed areas are ``text``; ``UnitError`` if it is not a list of areas.
    Areas equal to one of ``reuse`` are that object (versions share unchanged areas)."""
    if text == PENDING:
        return AreaRow(prefecture, (), pending=True)
    known = {area.name: area for area in reuse}
    areas: list[Area] = []
    for part in text.split(AREA_SEPARATOR):
        model = part.endswith(MODEL_MARK)
        name = part[: -len(MODEL_MARK)] if model else part
        if not name or name != name.strip() or "●" in name or "（" in name or "）" in name:
            raise UnitError(
                f"{prefecture}の項 would read 「{text}」, which is not a list of areas "
                f"separated by 「{AREA_SEPARATOR}」, each optionally followed by "
                f"「{MODEL_MARK}」 (or 「{PENDING}」 alone)"
            )
        if name == PENDING:
            raise UnitError(f"{prefecture}の項: 「{PENDING}」 cannot stand beside an area")
        area = known.get(name)
        areas.append(area if area is not None and area.model == model else Area(name, model))
    counts = Counter(a.name for a in areas)
    duplicates = sorted(n for n, count in counts.items() if count > 1)
    if duplicates:
        raise UnitError(f"{prefecture}の項 would name 「{duplicates[0]}」 twice")
    return AreaRow(prefecture, tuple(areas))


# --------------------------------------------------------------------------- the printed table


def as_table(table: AreaTable) -> Table:
    """The area table as the generic table every writer prints: its header row, then one
    row per prefecture labelled by its name with one one-line cell, its row text."""
    return Table(
        id=table.id,
        title=table.title,
        header=(tuple(table.columns),),
        rows=tuple(TableRow(row.prefecture, ((row_text(row),),)) for row in table.rows),
        note=table.note,
    )


def areas_by_prefecture(notice: Notice) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The areas of each prefecture in the notice's first area table, in table order
    (empty when the notice has none): what the 様式例 are prefilled with."""
    table = next((a for a in notice.attachments if isinstance(a, AreaTable)), None)
    if table is None:
        return ()
    return tuple((row.prefecture, tuple(a.name for a in row.areas)) for row in table.rows)


# --------------------------------------------------------------------------- records

CSV_HEADER = ("都道府県コード", "都道府県", "構想区域", "モデル推進区域")
"""The header of an area table's records."""


@dataclass(frozen=True)
class AreaRecord:
    """One area of an area table (or one 「調整中」 prefecture, with ``model`` None)."""

    code: int
    prefecture: str
    area: str
    model: bool | None


def area_records(table: AreaTable) -> list[AreaRecord]:
    """One record per area, in table order; a pending row gives one 「調整中」 record."""
    records = []
    for row in table.rows:
        code = prefecture_code(row.prefecture)
        if row.pending:
            records.append(AreaRecord(code, row.prefecture, PENDING, None))
        records.extend(AreaRecord(code, row.prefecture, a.name, a.model) for a in row.areas)
    return records


# --------------------------------------------------------------------------- one prefecture


@dataclass(frozen=True)
class PrefectureRow:
    """One prefecture's row of an area table, as a page about that prefecture shows it."""

    table: str
    """The area table's attachment id (「別添1」)."""
    prefecture: str
    text: str
    """The row as printed (:func:`row_text`): 「東播磨」, 「中空知（●）」, 「調整中」."""
    areas: tuple[str, ...]
    """The names of its areas (none while pending)."""
    model_areas: tuple[str, ...]
    """The names of its モデル推進区域."""
    pending: bool


def prefecture_rows(notice: Notice) -> tuple[PrefectureRow, ...]:
    """The rows of the notice's first area table, in table order (empty when the notice
    has none): for each prefecture its printed text, its areas and whether it is
    「調整中」."""
    table = next((a for a in notice.attachments if isinstance(a, AreaTable)), None)
    if table is None:
        return ()
    return tuple(
        PrefectureRow(
            table.id,
            row.prefecture,
            row_text(row),
            tuple(area.name for area in row.areas),
            tuple(area.name for area in row.areas if area.model),
            row.pending,
        )
        for row in table.rows
    )


def rows_touched(table_id: str, changes: Iterable[UnitChange]) -> frozenset[str]:
    """The labels (prefectures) of the rows of table ``table_id`` that an amendment's
    resolved changes (``Version.changes``) touch: a row whose text is changed, rewritten
    or deleted (a :class:`~builder.engine.address.RowAddress` of that table), and the rows
    it adds. A change to the table's title or note touches no row."""
    touched: set[str] = set()
    for change in changes:
        address = change.address
        if isinstance(address, RowAddress) and address.attachment == table_id:
            touched.add(address.row)
        elif (
            isinstance(address, AttachmentAddress)
            and address.attachment == table_id
            and isinstance(change.body, AddRow)
        ):
            touched.update(row.label for row in change.body.rows)
    return frozenset(touched)
