"""Stopping a command: SIGINT (Ctrl-C), SIGTERM and SIGHUP end it cleanly.

While :func:`stop_on_signals` is active, SIGTERM and SIGHUP raise :class:`Stopped` in the
main thread, as Python already does with :class:`KeyboardInterrupt` for SIGINT, so every
``finally`` and cleanup runs: a build removes its staging folder and kills its workers,
and a half-written file is deleted. The command line then prints one line and exits with
128 + the signal's number (130, 143, 129), as shells do.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

__all__ = ["Stopped", "exit_status", "stop_on_signals", "stopped_message"]


class Stopped(BaseException):
    """The command was stopped by a signal (a BaseException, like KeyboardInterrupt, so
    that ``except Exception`` does not swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


_CAUGHT = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` while the block runs (main thread
    only; elsewhere this does nothing), restoring the previous handlers after."""
    try:
        previous = {signum: signal.signal(signum, _raise) for signum in _CAUGHT}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def exit_status(signum: int) -> int:
    """The exit status of a command stopped by ``signum``: 128 + its number."""
    return 128 + signum


def stopped_message(signum: int) -> str:
    """The one line printed when a command is stopped by ``signum``."""
    name = signal.Signals(signum).name
    return (
        f"stopped by {name}: nothing half-written is left, and an output folder "
        "that was being replaced is as it was"
    )
