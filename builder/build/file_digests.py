"""sha256 of the files a build reads, remembered between runs by what ``stat`` says of
them, so that a build with nothing to do reads no file it read before.

A file's sha256 is taken from the record (a JSON file in the cache folder,
:mod:`builder.core.diskcache`, one per set of files: a project's sources or the
builder's own code) when its **stat key** is the one recorded: size, mtime, ctime (in
ns), inode and device. Otherwise the file is read and hashed, and the record updated.

**Edits that keep size and mtime** (an editor or ``touch -d`` that puts the old mtime
back; a copy with ``cp -p``) are the known hole of stat-based checks. They are closed
two ways:

* the ctime is part of the key: a write, a ``touch -d``, a rename or a ``chmod`` sets
  it to the present, and no program can set it back (POSIX; on Windows, Python 3.11's
  ``st_ctime`` is the creation time, so there an edit in place that restores the mtime
  is not seen: the inode number — the file index — still changes when an editor saves
  by replacing the file, as most do);
* **racy files**: a file whose mtime or ctime is less than :data:`RACY_NS` (2 s, the
  coarsest timestamp granularity of a common file system, FAT) before the moment it was
  hashed is hashed again on every run and never recorded, as git treats "racily clean"
  index entries: an edit in the same clock tick as the hash leaves the stat key as it
  was, so a key recorded then would not say that the content changed.

A hash is recorded only if the file's ``fstat`` is the same before and after reading it
(an edit during the read is not recorded). Records are data, never code: JSON with the
sha256 of its text on the first line, checked on every read; damaged, foreign,
unreadable or untrusted records are ignored (everything is hashed, as before). A record
names files by absolute path; a moved project gets a record of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Final

from builder.core.diskcache import load, store, trusted_folder

__all__ = ["RACY_NS", "FileDigests", "stat_key"]

RACY_NS: Final = 2_000_000_000
"""How close (ns) to the moment a file is hashed its mtime or ctime may be for the hash
to be recorded: 2 s, FAT's mtime granularity (NTFS 100 ns, ext4 and APFS 1 ns)."""

FOLDER: Final = "file-digests"
"""The folder of records under the cache folder."""

LIMIT: Final = 64 * 1024 * 1024
"""The largest record read (about 400,000 files)."""

VERSION: Final = 2


def stat_key(info: os.stat_result) -> str:
    """What a file's record is keyed on: size, mtime and ctime (ns), inode, device."""
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}"


class FileDigests:
    """The sha256 of files, from the record named ``name`` (a digest of what the files
    are, e.g. the project's folder) when their stat key is unchanged; :meth:`save` writes
    the record back if it changed. Without a usable cache folder nothing is remembered
    and every file is hashed."""

    def __init__(self, name: str) -> None:
        folder = trusted_folder()
        self.path = None if folder is None else folder / FOLDER / f"{name}.json"
        self.recorded = _read(self.path) if self.path is not None else {}
        self.seen: dict[str, object] = {}
        self.hashed = 0
        """Files read and hashed by this object (the others came from the record)."""

    def sha256(self, path: str, info: os.stat_result) -> str:
        """The sha256 of the regular file ``path`` (absolute; ``info`` its ``stat``, taken
        just before): recorded, or read now. ``OSError`` when it cannot be read."""
        found = self.recorded.get(path)
        if (
            isinstance(found, list)
            and len(found) == 2
            and found[0] == stat_key(info)
            and isinstance(found[1], str)
            and len(found[1]) == 64
            and not _racy(info, time.time_ns())
        ):
            self.seen[path] = found
            return found[1]
        return self._hash(path)

    def _hash(self, path: str) -> str:
        self.hashed += 1
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
        handle = os.open(path, flags)
        try:
            before = os.fstat(handle)
            with os.fdopen(os.dup(handle), "rb") as stream:
                sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
            after = os.fstat(handle)
        finally:
            os.close(handle)
        now = time.time_ns()
        steady = stat.S_ISREG(after.st_mode) and stat_key(before) == stat_key(after)
        if steady and not _racy(after, now):
            self.seen[path] = [stat_key(after), sha256]
        return sha256

    def save(self) -> None:
        """Write the record of the files seen in this run (only those: a deleted file's
        entry goes), if it differs from the one read."""
        if self.path is None or self.seen == self.recorded:
            return
        files = dict(sorted(self.seen.items()))
        text = json.dumps({"version": VERSION, "files": files}, separators=(",", ":"))
        body = text.encode("utf-8")
        store(self.path, hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)


def _racy(info: os.stat_result, now: int) -> bool:
    """Whether the file changed so shortly before ``now`` (or after it: a clock set back)
    that a later edit could leave its stat key as it is."""
    return max(info.st_mtime_ns, info.st_ctime_ns) > now - RACY_NS


def _read(path: Path) -> dict[str, object]:
    """The record at ``path``: each file's ``[stat key, sha256]``, checked when used; empty
    when the record is missing, damaged or not ours."""
    data = load(path, LIMIT)
    if data is None:
        return {}
    checksum, _, body = data.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode("ascii") != checksum:
        return {}
    try:
        record = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("version") != VERSION:
        return {}
    files = record.get("files")
    return files if isinstance(files, dict) else {}
