"""Content keys of built files, and which files of the previous build can be kept.

Every file of a build has a **content key**: the sha256 of what it is made from — the
writer's name, the ``repr`` of the writer's arguments (the document, table or form with
its prefill: the model objects are frozen dataclasses whose ``repr`` shows every field),
and :func:`code_digest` (the builder's own files, the versions of the libraries that
write the bytes, Python's version, and a font chosen by environment variable). The key
is recorded in ``index.json``; the next build keeps (hard-links) a previous file whose
key is unchanged instead of writing it again. Changing one amendment therefore rebuilds
exactly the files whose content depends on it.

A previous file is kept only if it still looks as that build left it: a regular file
reached from the output folder through real folders (a symlink anywhere on its path, to
a folder or to a file, means it is made anew: what it points to is not what the index
describes), the size the index records, and not modified after the build wrote
``index.json``; :func:`keep` opens it again without following symlinks and links that
very file. Arguments without a faithful ``repr`` (an
object shown as ``<… at 0x…>``) get no key and are always rebuilt.

Before any of that, :func:`builder.build.build_record.up_to_date` answers whether there
is anything to do at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from builder.build.build_record import INDEX, code_digest

_UNFAITHFUL_REPR = re.compile(r" at 0x[0-9a-fA-F]+>")


def content_key(writer: Callable[..., bytes], arguments: Sequence[object]) -> str | None:
    """The content key of ``writer(*arguments)``; None when an argument has no faithful
    ``repr`` (then the file is always rebuilt)."""
    shown = repr(tuple(arguments))
    if _UNFAITHFUL_REPR.search(shown):
        return None
    digest = hashlib.sha256()
    digest.update(code_digest().encode("ascii"))
    digest.update(f"\0{writer.__module__}.{writer.__qualname__}\0".encode())
    digest.update(shown.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Previous:
    """A file of the previous build that may be kept: where it is and what it was."""

    path: Path
    key: str
    size: int
    sha256: str
    out: Path = Path()
    """The previous build's folder, and ``name`` the file's path relative to it."""
    name: str = ""
    device: int = 0
    inode: int = 0
    """Which file :func:`previous_files` found (0: not found by it)."""
    written: int = 0
    """When that build wrote its index (ns): the file is not modified after it."""


@dataclass(frozen=True)
class _Index:
    entries: list[Mapping[str, object]]
    written: int
    """When the index was written (ns): a file modified later is not as the build left it."""


def _index_entries(out: Path) -> _Index | None:
    """The entries of ``out/index.json`` (the objects of its list); None when it cannot
    be read."""
    index = out / INDEX
    try:
        written = index.stat().st_mtime_ns
        entries = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entries, list):
        return None
    return _Index([e for e in entries if isinstance(e, Mapping)], written)


def _as_written(out: Path, name: str, size: int, written: int) -> os.stat_result | None:
    """The ``lstat`` of ``out/name`` if it is a regular file of ``size`` bytes not modified
    after ``written`` (ns), reached through real folders only; None otherwise."""
    try:
        with _folder_of(out, name) as (folder, last):
            info = os.stat(last, dir_fd=folder, follow_symlinks=False)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size != size or info.st_mtime_ns > written:
        return None
    return info


@contextmanager
def _folder_of(out: Path, name: str) -> Iterator[tuple[int, str]]:
    """The folder holding ``out/name`` (an open descriptor, each folder below ``out``
    opened with ``O_NOFOLLOW``: a symlink anywhere on the way is an ``OSError``) and the
    file's last name part. ``ValueError`` for a name that is not a plain relative path."""
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in name or "\0" in name:
        raise ValueError(f"not a relative path: {name!r}")
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    folder = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for part in parts[:-1]:
            inner = os.open(part, flags, dir_fd=folder)
            os.close(folder)
            folder = inner
        yield folder, parts[-1]
    finally:
        os.close(folder)


def previous_files(out: Path) -> dict[str, Previous]:
    """The files of the build in ``out`` that are still as it wrote them, by relative path,
    with their content keys; empty when there is no readable previous build. A file is
    one only if it is reached from ``out`` through real folders (no symlink anywhere on
    the way), is a regular file and has the size the index records."""
    index = _index_entries(out)
    if index is None:
        return {}
    kept: dict[str, Previous] = {}
    for entry in index.entries:
        name, key = entry.get("file"), entry.get("key")
        size, sha256 = entry.get("size"), entry.get("sha256")
        if not (isinstance(name, str) and isinstance(key, str) and isinstance(sha256, str)):
            continue
        if not isinstance(size, int):
            continue
        info = _as_written(out, name, size, index.written)
        if info is not None:
            kept[name] = Previous(
                out / name, key, size, sha256, out, name, info.st_dev, info.st_ino, index.written
            )
    return kept


class ChangedError(OSError):
    """A previous file changed between :func:`previous_files` and :func:`keep`."""


def keep(previous: Previous, target: Path) -> None:
    """Put the previous file at ``target``: a hard link, or a copy where links fail.

    The file is opened again without following any symlink and must still be the regular
    file :func:`previous_files` found (same inode, size, not modified since the build);
    :class:`ChangedError` otherwise (someone is changing the previous build meanwhile).
    What ends up at ``target`` is that very file (the link is checked afterwards)."""
    if previous.inode == 0:  # made by hand, not by previous_files: check it now
        found = _as_written(previous.path.parent, previous.path.name, previous.size, 2**63)
        if found is None:
            raise ChangedError(f"{previous.path} is not a regular file of {previous.size} bytes")
        previous = replace(
            previous,
            out=previous.path.parent,
            name=previous.path.name,
            device=found.st_dev,
            inode=found.st_ino,
            written=2**63,
        )
    try:
        _keep(previous, target)
    except ChangedError:
        raise
    except (OSError, ValueError) as exc:
        raise ChangedError(f"{previous.path} cannot be kept: {exc}") from exc


def _keep(previous: Previous, target: Path) -> None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with _folder_of(previous.out, previous.name) as (folder, last):
        handle = os.open(last, flags, dir_fd=folder)
        try:
            info = os.fstat(handle)
            if not _same(info, previous):
                raise ChangedError(f"{previous.path} changed during the build")
            try:
                os.link(last, target, src_dir_fd=folder, follow_symlinks=False)
                linked = os.lstat(target)
                if (linked.st_dev, linked.st_ino) == (info.st_dev, info.st_ino):
                    return
                target.unlink()  # swapped between fstat and link: copy what was checked
            except OSError:
                pass
            with os.fdopen(os.dup(handle), "rb") as source:
                os.set_blocking(source.fileno(), True)
                data = source.read(previous.size + 1)
            if len(data) != previous.size:
                raise ChangedError(f"{previous.path} changed during the build")
            target.write_bytes(data)
        finally:
            os.close(handle)


def _same(info: os.stat_result, previous: Previous) -> bool:
    return (
        stat.S_ISREG(info.st_mode)
        and (info.st_dev, info.st_ino) == (previous.device, previous.inode)
        and info.st_size == previous.size
        and info.st_mtime_ns <= previous.written
    )
