"""別添1 as flat records, one per area: what its CSV and its .xlsx data sheet hold
(written by :mod:`builder.writers.csv` and :mod:`builder.writers.xlsx`), and what
``amend-from`` reads back."""

from __future__ import annotations

from dataclasses import dataclass

from builder.engine.units import PENDING
from builder.japanese import prefecture_code
from builder.model.notice import AreaTable

CSV_HEADER = ("都道府県コード", "都道府県", "構想区域", "モデル推進区域")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AreaRecord:
    """One area of 別添1 (or one 「調整中」 prefecture, with ``model`` None)."""

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
