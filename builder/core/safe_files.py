"""Files and folders the tool writes or reads: one rule for each, checked before anything
is touched.

* **Folders the tool writes** (``build``/``forms`` ``--out``, ``ingest --records``):
  :func:`check_output_folder` accepts a path that does not exist under a writable
  folder, or an existing folder that is empty or holds what the tool wrote there before
  (a previous build, previous records). Everything else is refused with the path and
  what it is: a device, FIFO, socket, file or symlink (and where it points), ``/``, the
  home folder, the current folder, the project, a folder holding it, or a source folder.
* **Files the tool writes** (``--summary``, ``diff --out``): :func:`write_file` writes a
  temporary file of a random name in the target folder (``O_CREAT|O_EXCL``, so never
  through a planted symlink) and renames it over the target, which must be absent or a
  regular file (never a symlink, device or FIFO).
* **Files the tool reads from outside** (returns): :func:`open_regular` checks with
  ``lstat`` that the path is a regular file before opening it (``O_NOFOLLOW`` and
  ``O_NONBLOCK``, so a FIFO or symlink swapped in meanwhile neither is followed nor
  blocks) and checks the opened file again with ``fstat``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from builder.core.errors import NoticeError

__all__ = [
    "UnsafePathError",
    "check_output_folder",
    "describe",
    "open_regular",
    "write_file",
]

SOURCE_FOLDERS = ("notices", "amendments", "forms", "templates", "builder", "tests", ".git")
"""Folders of a project that hold sources, never output."""


class UnsafePathError(NoticeError):
    """A path the tool refuses to write or read, with what it is."""


def describe(path: Path) -> str | None:
    """What ``path`` is when it is neither missing, a folder nor a regular file (judged
    with ``lstat``: a symlink is a symlink, wherever it points); None otherwise."""
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"a symlink (to {target})"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return "not a file or folder"


def _absolute(path: Path) -> Path:
    """``path`` made absolute without resolving its last component (a symlink stays one)
    but with its parent resolved."""
    absolute = Path(os.path.abspath(path))
    if absolute.parent == absolute:  # "/"
        return absolute
    return absolute.parent.resolve() / absolute.name


def check_output_folder(
    path: Path,
    root: Path,
    option: str,
    holds_previous: Callable[[Path], bool],
    previous: str = "a previous build",
) -> Path:
    """``path`` made absolute if the tool may write its output there (the one rule of the
    module docstring); :class:`UnsafePathError` otherwise, naming ``option`` (e.g.
    ``--out``). ``holds_previous(folder)`` says whether an existing, non-empty folder
    holds what the tool wrote before (described as ``previous`` in the message)."""
    shown = str(path) or "''"
    out = _absolute(path)
    what = describe(out)
    if what is not None:
        raise UnsafePathError(f"{option} {shown}: {out} is {what}; give a folder")
    if out.parent == out:
        raise UnsafePathError(f"{option} {shown}: refusing to replace the root folder /")
    resolved = out.resolve()
    project = root.resolve()
    named = {
        Path.home().resolve(): "your home folder",
        Path.cwd().resolve(): "the current folder",
        project: "the project folder",
    }
    if resolved in named:
        raise UnsafePathError(
            f"{option} {shown}: refusing to replace {named[resolved]} ({resolved}); "
            "give a new or empty folder, e.g. out/"
        )
    if resolved in project.parents or resolved in Path.cwd().resolve().parents:
        raise UnsafePathError(
            f"{option} {shown}: {resolved} holds the project or the current folder; "
            "give a new or empty folder, e.g. out/"
        )
    for name in SOURCE_FOLDERS:
        folder = project / name
        if resolved == folder or folder in resolved.parents:
            raise UnsafePathError(
                f"{option} {shown}: {resolved} is inside the sources ({name}/); use out/"
            )
    if out.is_dir():
        if any(out.iterdir()) and not holds_previous(out):
            raise UnsafePathError(
                f"{option} {shown}: {out} holds files but not {previous}; "
                "choose an empty or new folder"
            )
        return out
    existing = out.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UnsafePathError(f"{option} {shown}: cannot create it: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UnsafePathError(f"{option} {shown}: cannot create it: {existing} is not writable")
    return out


def write_file(path: Path, data: bytes, option: str, mode: int = 0o644) -> None:
    """Write ``path`` whole or not at all: a new temporary file of a random name beside
    it, renamed over it. ``path`` must be missing or a regular file; the mode is ``mode``
    less the umask. :class:`UnsafePathError` names ``option`` on any refusal or failure."""
    target = _absolute(path)
    what = describe(target)
    if what is None and target.is_dir():
        what = "a folder"
    if what is not None:
        raise UnsafePathError(f"{option} {path}: {target} is {what}; give a new or regular file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing

        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise UnsafePathError(f"{option} {path}: cannot write there ({exc.strerror})") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, mode & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UnsafePathError(f"{option} {path}: cannot write it ({exc.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (not a symlink, FIFO, socket or
    device), checked with ``lstat`` before opening and ``fstat`` after;
    :class:`UnsafePathError` with what it is otherwise, :class:`OSError` if it cannot be
    opened."""
    what = describe(path)
    if what is None and path.is_dir():
        what = "a folder"
    if what is not None:
        raise UnsafePathError(f"{path}: is {what}, not a regular file; not read")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise UnsafePathError(f"{path}: changed while being opened; not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise
