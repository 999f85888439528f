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
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from builder.cli.output import Verbosity, verbosity

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar as ProgressBarType


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal that can redraw a line."""
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except ValueError:  # a closed stream
        return False


class ProgressBar:
    """A bar drawn on stderr as work reports ``(done, total)``: made at the first report
    (a long step often learns its total only once it has started), moved forward at each
    one, finished by :meth:`close`. This is the ``progress`` callback a long step takes;
    without a terminal on stderr, or with ``-q``, it draws nothing."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = verbosity() is not Verbosity.QUIET and stderr_is_terminal()
        self._bar: ProgressBarType[int] | None = None
        self._stack = contextlib.ExitStack()

    def __call__(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps are done."""
        if not self.shown or total <= 0:
            return
        if self._bar is None or self._bar.length != total:
            self._stack.close()
            self._bar = self._stack.enter_context(
                click.progressbar(
                    length=total,
                    label=self.label,
                    file=sys.stderr,
                    show_pos=True,
                    show_eta=True,
                )
            )
        self._bar.update(max(0, min(done, total) - self._bar.pos))

    def close(self) -> None:
        """End the bar's line (nothing if none was drawn)."""
        self._stack.close()
        self._bar = None


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[ProgressBar]:
    """A :class:`ProgressBar` labelled ``label``, its line ended when the block ends
    (also on an error, so that the error starts a line of its own)."""
    bar = ProgressBar(label)
    try:
        yield bar
    finally:
        bar.close()
