"""The output folder of a build and the names beside it: which folder may be replaced,
how a finished build is swapped in, and how a killed one is cleaned up.

Beside ``out/`` a build uses ``.out.building-<random>`` (the staging folder it writes),
``.out.previous`` (the old output during the swap) and ``.out.lock``
(:mod:`builder.core.folder_lock`). Only this module and :mod:`builder.build.write` touch them.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from builder.build.build_record import INDEX
from builder.core.errors import NoticeError
from builder.core.safe_files import check_output_folder

__all__ = ["check_out_folder", "check_replaceable", "make_staging", "recover", "swap"]


def _holds_previous_build(folder: Path) -> bool:
    return (folder / INDEX).is_file() or (folder / ".gitkeep").exists()


def check_out_folder(root: Path, out: Path) -> Path:
    """``out`` made absolute if a build may replace it (:func:`builder.core.safe_files.
    check_output_folder`: missing, empty, or a previous build's output, and neither a
    special file, a symlink, nor the project or a folder of its sources); otherwise
    :class:`builder.core.safe_files.UnsafePathError`."""
    return check_output_folder(out, root, "--out", _holds_previous_build)


def check_replaceable(out: Path) -> None:
    """Refuse before anything is written when the previous output, or one left aside by
    an interrupted build, could not be removed (a read-only folder in it), naming it."""
    for folder in (out, _old_name(out)):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for current, _, _ in os.walk(folder):
            if not os.access(current, os.W_OK | os.X_OK):
                raise NoticeError(
                    f"--out {out}: {current} is read-only, so the previous build cannot be "
                    f"replaced; make it writable (chmod -R u+w {folder}) or remove it"
                )


def _old_name(out: Path) -> Path:
    return out.with_name(f".{out.name}.previous")


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM} | (
    {signal.SIGHUP} if hasattr(signal, "SIGHUP") else set()
)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block is done (where the platform can),
    so that the two renames of a swap are never separated by a stop."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap(staging: Path, out: Path) -> None:
    import shutil  # only when writing: a build with nothing to do does not pay for it

    old = _old_name(out)
    if old.exists():
        shutil.rmtree(old)
    with _signals_held():
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo what a killed build left behind: restore the previous output if the swap was
    cut between its two renames, and remove abandoned staging folders. Called with the
    folder's lock held (:mod:`builder.core.folder_lock`), so every staging folder found belongs
    to a build that is no longer running."""
    import shutil

    old = _old_name(out)
    if old.exists() and not out.exists():
        os.replace(old, out)
    for leftover in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def make_staging(out: Path) -> Path:
    """A new, empty staging folder beside ``out``, with ordinary permissions (``mkdtemp``
    makes it private; ``out/`` is an ordinary folder)."""
    import tempfile

    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging
