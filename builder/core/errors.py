"""User-facing errors: every problem names the file, line and column and says what to do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from builder.core.positions import SourcePos


class Problem(NamedTuple):
    """One problem in the sources, printed as ``file:line:col: message`` (a named tuple,
    as :class:`builder.core.positions.SourcePos`)."""

    message: str
    pos: SourcePos | None = None

    def __str__(self) -> str:
        if self.pos is None:
            return self.message
        return f"{self.pos}: {self.message}"


class NoticeError(Exception):
    """One or more problems that stop a command; ``problems`` holds each of them."""

    def __init__(self, problems: Iterable[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, pos: SourcePos | None, message: str) -> NoticeError:
        """A single problem at ``pos``."""
        return cls(Problem(message, pos))
