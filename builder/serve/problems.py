"""The lines a failed rebuild shows on the page and in the terminal."""

from __future__ import annotations

from builder.core.errors import NoticeError


def problem_lines(exc: Exception) -> tuple[str, ...]:
    """Each problem as ``file:line:col: message`` (as the command line prints them), or
    one line for an internal error."""
    if isinstance(exc, NoticeError):
        return tuple(
            f"error: {problem}" if problem.pos is None else str(problem) for problem in exc.problems
        )
    return (
        f"internal error: {type(exc).__name__}: {exc} (rerun with NOTICES_DEBUG=1 and report it)",
    )
