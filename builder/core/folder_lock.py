"""One writer per output folder: a lock file beside it, held for the whole command.

``notices build``, ``notices forms`` (and anything else that replaces a folder) take
:func:`folder_lock` on ``.<name>.lock`` next to the folder before they look at it. The
lock is ``flock`` on Linux and macOS and ``msvcrt.locking`` on Windows; the kernel
releases it however the process ends (even ``kill -9``), so a lock is never stale. A
second command on the same folder is refused at once, naming the process that holds it,
or with ``wait=True`` waits for it (saying so once). The lock file is removed by its
holder before it lets go; a waiter that then finds the file gone or replaced takes the
new one instead, so two commands never both believe they hold the lock.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from builder.core.errors import NoticeError

__all__ = ["FolderLockedError", "folder_lock", "lock_path"]


class FolderLockedError(NoticeError):
    """Another command is writing the folder."""


def lock_path(folder: Path) -> Path:
    """The lock file of ``folder``: ``.<name>.lock`` beside it."""
    return folder.with_name(f".{folder.name}.lock")


if sys.platform == "win32":  # pragma: no cover - not run on the Linux CI
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(handle: int) -> None:
        while not _try_lock(handle):
            import time

            time.sleep(0.2)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX)


def _open(path: Path, folder: Path, option: str) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise NoticeError(
            f"{option} {folder}: cannot make its lock file {path} ({exc.strerror})"
        ) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise NoticeError(
            f"{option} {folder}: its lock file {path} is not a regular file; remove it"
        )
    return handle


def _holder(handle: int) -> str:
    try:
        text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (process {text})" if text.isdigit() else ""


def _same_file(handle: int, path: Path) -> bool:
    try:
        on_disk = path.lstat()
    except FileNotFoundError:
        return False
    mine = os.fstat(handle)
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


@contextlib.contextmanager
def folder_lock(
    folder: Path, option: str, wait: bool = False, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lock of ``folder`` while the block runs. If another process holds it:
    :class:`FolderLockedError` (naming ``option`` and the process), or with ``wait``
    wait for it, after telling ``say`` once."""
    path = lock_path(folder)
    told = False
    while True:
        handle = _open(path, folder, option)
        if not _try_lock(handle):
            if not wait:
                holder = _holder(handle)
                os.close(handle)
                raise FolderLockedError(
                    f"{option} {folder}: another notices command{holder} is writing it; "
                    "wait for it to finish, or rerun with --wait"
                )
            if not told and say is not None:
                say(f"waiting: another notices command{_holder(handle)} is writing {folder}")
                told = True
            _lock(handle)
        if _same_file(handle, path):
            break
        os.close(handle)  # the holder removed it as it finished: take the new one
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(handle)
