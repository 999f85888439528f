"""Stopping a command: SIGINT (Ctrl-C), SIGTERM and SIGHUP end it cleanly.

While :func:`stop_on_signals` is active, SIGTERM and SIGHUP raise :class:`Stopped` in the
main thread, as Python already does with :class:`KeyboardInterrupt` for SIGINT, so every
``finally`` and cleanup runs: a build removes its staging folder and kills its workers,
and a half-written file is deleted. The command line then prints one line and exits with
128 + the signal's number (130, 143, 129), as shells do.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
from collections.abc import Iterator
from types import FrameType

__all__ = [
    "Stopped",
    "die_with_parent",
    "exit_status",
    "ignore_stop_signals",
    "stop_on_signals",
    "stopped_message",
]

PR_SET_PDEATHSIG = 1
"""prctl option: the signal this process gets when its parent dies (Linux)."""


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


def ignore_stop_signals() -> None:
    """Ignore SIGINT, SIGTERM and SIGHUP in a child process (a build worker, a parse of a
    return): its parent handles them and stops it."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def die_with_parent(parent: int) -> None:
    """In a forked child: ask Linux to kill this process when its parent dies
    (``PR_SET_PDEATHSIG``), and end now if ``parent`` is already gone. Where prctl is
    missing, the child ends when it finds its pipe to the parent closed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
