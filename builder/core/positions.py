"""Where a value of a source came from (file, line, column): what every error names.

Its own small module so that :mod:`builder.core.errors`, which every command imports, does
not load the whole model (:mod:`builder.model.notice` re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SourcePos"]


@dataclass(frozen=True)
class SourcePos:
    """Where a value came from: file, 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
