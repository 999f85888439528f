"""A progress bar on stderr while a long command works, only where someone watches it.

The bar is click's own (:func:`click.progressbar`: bar, percentage, count and time left,
redrawn in place): it needs no further dependency and does what is asked here. It is
shown only when stderr is a terminal, and not with ``-q``; piped or redirected, a
command prints nothing extra (click would still print the label once: the bar is not
made at all then).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator

import click

from builder.cli.output import Verbosity, verbosity

Advance = Callable[[int], None]
"""Called with the number of steps just done."""


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal that can redraw a line."""
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except ValueError:  # a closed stream
        return False


def _ignore(steps: int) -> None:
    """Nothing to show."""


@contextlib.contextmanager
def progress(total: int, label: str) -> Iterator[Advance]:
    """A bar of ``total`` steps labelled ``label`` while the block runs; yields the
    function that advances it. Without a terminal on stderr, or with ``-q``, or with
    nothing to do, the function does nothing and nothing is printed."""
    if total <= 0 or verbosity() is Verbosity.QUIET or not stderr_is_terminal():
        yield _ignore
        return
    with click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
    ) as bar:
        yield bar.update
