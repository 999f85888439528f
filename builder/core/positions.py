"""Where a value of a source came from (file, line, column): what every error names.

Its own small module so that :mod:`builder.core.errors`, which every command imports, does
not load the whole model (:mod:`builder.model.notice` re-exports it).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SourcePos"]


class SourcePos(NamedTuple):
    """Where a value came from: file, 1-based line and column. A named tuple, not a
    dataclass: every command imports it, and ``dataclasses`` costs a no-op build 15 ms
    (it imports ``inspect``)."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
