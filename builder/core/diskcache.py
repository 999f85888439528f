"""The folder of what builds keep between runs to save time, never to change a result.

It holds **data, never code**: the PDF form fields' font subset (deflated TrueType) and
its metrics (JSON), both made by :mod:`builder.forms.pdf_font`. Nothing in it is
unpickled, unmarshalled, imported or executed. (Compiled Jinja2 templates used to be kept
here as Jinja2's bytecode cache, which is a pickle plus marshalled code: anyone who could
write the folder ran code in every build. They are no longer cached: compiling them costs,
in a fresh process, about 10 ms for the letters' two templates (once per worker) and
80–90 ms for the site's seven (once per build); with the cache it was 1.5 and 5 ms.)

**Threat model.** The folder is as trusted as the user's own files, and no more: it is
used only when the folder is owned by the user running the build and not writable by
group or others, and every folder above it is owned by that user or root and not
writable by others unless sticky (as ssh treats ``~/.ssh``). Otherwise it is not used at
all (one warning line on stderr) and everything is made anew. Each file is read only if
it is a regular file (never through a symlink), owned by the user, not writable by group
or others, and no larger than its kind allows. Within a trusted folder, every file is
keyed by content: its name says what it was made from (a digest of the inputs) and
carries the sha256 (and for deflated data the size) of what it holds, checked on every
read, so damage — a truncated write, a flipped bit, an unrelated file under the name, a
deflate bomb (never inflated beyond the size its name states) — costs only the time to
make it again. A *consistent forgery* (right names, right hashes, wrong content) can
only be written by the user or root, who can as well edit the project's sources; re-deriving
the subset to verify it costs as much as making it (about 1 s), which the cache exists
to save, so ownership, not re-derivation, is the defence against forgery.

Location: ``$NOTICES_CACHE_DIR``, else the user cache folder of the platform as
``platformdirs`` names it (:func:`cache_folder`): ``$XDG_CACHE_HOME/notices`` or
``~/.cache/notices`` on Linux, ``~/Library/Caches/notices`` on macOS,
``%LOCALAPPDATA%\\notices\\Cache`` on Windows; made with mode 0700 when missing. A missing,
unwritable, refused or damaged folder costs only time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import Final

__all__ = [
    "APP_NAME",
    "CACHE_ENV",
    "cache_folder",
    "inflate",
    "load",
    "store",
    "trusted_folder",
]

CACHE_ENV: Final = "NOTICES_CACHE_DIR"
"""Environment variable naming the cache folder."""

_WARNED: set[str] = set()
"""Folders already warned about in this process (one warning line each)."""


APP_NAME: Final = "notices"
"""The application's name in the platform's cache folder."""


def cache_folder() -> Path | None:
    """Where the cache folder is (not necessarily existing, not necessarily usable: see
    :func:`trusted_folder`): ``$NOTICES_CACHE_DIR``, else ``platformdirs``'
    ``user_cache_dir`` (which honours ``$XDG_CACHE_HOME`` on Linux); None when the
    platform names no absolute folder (no home folder)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    import platformdirs  # only when the cache is used: a no-op build does not pay for it

    try:
        folder = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    except (RuntimeError, KeyError, OSError):  # no home folder, no profile
        return None
    return folder if folder.is_absolute() else None


def trusted_folder() -> Path | None:
    """The cache folder as a resolved path, made (mode 0700) if missing, when only the
    current user (or root) can write it; None otherwise (without a home folder, when it
    cannot be made, or when others can write it: then with one warning line on stderr)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        _make_private(Path(os.path.abspath(folder)))
        real = Path(os.path.realpath(folder))
        problem = _untrusted(real)
    except OSError:
        return None
    if problem is not None:
        if str(real) not in _WARNED:
            _WARNED.add(str(real))
            sys.stderr.write(
                f"notices: cache folder {real} not used: {problem} "
                f"(make it yours and `chmod go-w` it, or set {CACHE_ENV})\n"
            )
        return None
    return real


def _make_private(folder: Path) -> None:
    """Make ``folder`` and any missing folder above it with mode 0700."""
    missing: list[Path] = []
    path = folder
    while not os.path.lexists(path):
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)


def _untrusted(real: Path) -> str | None:
    """Why others could change what is in the folder ``real`` (a resolved path); None when
    they cannot. Without POSIX owners (Windows), the folder is trusted."""
    if not hasattr(os, "geteuid"):
        return None
    user = os.geteuid()
    info = os.stat(real)
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != user:
        return f"it belongs to user id {info.st_uid}, not to you ({user})"
    if info.st_mode & 0o022:
        return f"group or others can write it (mode {stat.S_IMODE(info.st_mode):04o})"
    for above in real.parents:
        info = os.stat(above)
        if info.st_uid not in (user, 0):
            return f"{above} belongs to user id {info.st_uid}"
        if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX:
            return f"others can write {above} (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def load(path: Path, limit: int) -> bytes | None:
    """The bytes of the cache file ``path`` if it is a regular file (opened without
    following a symlink) of at most ``limit`` bytes that only the user can write; None
    otherwise (missing, damaged or not to be trusted: the caller makes it anew)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_size > limit
            or info.st_mode & 0o022
            or (hasattr(os, "geteuid") and info.st_uid != os.geteuid())
        ):
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(handle)


def inflate(flate: bytes, size: int, sha256: str) -> bytes | None:
    """``flate`` (a zlib stream) inflated, if it holds exactly ``size`` bytes whose sha256 is
    ``sha256``; None otherwise. Never inflates more than ``size + 1`` bytes, so a deflate
    bomb costs no more memory than the genuine file."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(flate, size + 1)
    except zlib.error:
        return None
    if len(data) != size or not inflater.eof or inflater.unused_data:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically (a new temporary of a random name, ``O_EXCL``, so
    never through a planted symlink; mode 0600), renamed to ``path``; a cache that cannot
    be written is left alone."""
    import tempfile  # only when writing: a build with nothing to do does not pay for it

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
