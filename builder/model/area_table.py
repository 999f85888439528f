"""The data of the area-table profile: 別添1 of 医政発0731第1号, a table of 都道府県 and
the 構想区域 set in each (one ``AreaRow`` per prefecture, each with its ``Area`` list).

A profile of a table, not a world of its own: :func:`builder.engine.area_profile.as_table`
gives the generic :class:`~builder.model.notice.Table` every writer prints, and the
profile's rules (「（●）」, 「、」 and 「調整中」 are rendering, not data; 都道府県コード
order; the structured changes add_area … set_model) live in
:mod:`builder.engine.area_profile`. Only the profile's modules (``area_*`` in each layer)
and the engine's table code name these classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    """One 構想区域 named in 別添1; ``model`` marks a モデル推進区域."""

    name: str
    model: bool = False


@dataclass(frozen=True)
class AreaRow:
    """One prefecture's row of 別添1; ``pending`` is 「調整中」 (no areas yet)."""

    prefecture: str
    areas: tuple[Area, ...] = ()
    pending: bool = False

    @property
    def label(self) -> str:
        """The row's label, as a 改め文 cites it (「兵庫県の項」)."""
        return self.prefecture


@dataclass(frozen=True)
class AreaTable:
    """別添1: the 推進区域 (and モデル推進区域) per prefecture."""

    id: str
    title: str
    columns: tuple[str, str]
    rows: tuple[AreaRow, ...]
    note: str = ""

    def row(self, label: str) -> AreaRow | None:
        """The row whose label is ``label``, or None."""
        for candidate in self.rows:
            if candidate.prefecture == label:
                return candidate
        return None
