"""Writing a build: every file of the plan (:mod:`builder.build.plan`) made or kept into
a staging folder beside the output folder, then swapped in whole, with index.json.

A failed build leaves the previous output as it was; which folder may be replaced, the
swap and the cleanup after a killed build are :mod:`builder.build.out_folder`'s, the
lock that keeps a second command out is :mod:`builder.core.folder_lock`'s.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from builder.build.build_record import INDEX, inputs_digest, write_inputs_record
from builder.build.cache import ChangedError, keep, previous_files
from builder.build.out_folder import (
    check_out_folder,
    check_replaceable,
    make_staging,
    recover,
    swap,
)
from builder.build.parallel import Task, make_files
from builder.build.plan import Output, outputs
from builder.core.cores import available_cores
from builder.core.errors import NoticeError
from builder.core.folder_lock import folder_lock
from builder.site import site_outputs
from builder.sources.workspace import Workspace


def index_json(entries: list[dict[str, object]]) -> bytes:
    """The index of everything built: file, notice, version, kind, format, size, sha256,
    and the content key that lets the next build keep the file."""
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


SiteMaker = Callable[[list[dict[str, object]]], Iterator[tuple[str, bytes]]]
"""Makes the publication site from the index entries of everything else built."""

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` files as a build goes: once the files kept from the previous
build are in place, then after each file made."""


def _entry(
    path: str, data: bytes, notice: str, version: str, kind: str, fmt: str
) -> dict[str, object]:
    return _entry_of(path, len(data), hashlib.sha256(data).hexdigest(), notice, version, kind, fmt)


def _entry_of(
    path: str, size: int, sha256: str, notice: str, version: str, kind: str, fmt: str
) -> dict[str, object]:
    return {
        "file": path,
        "notice": notice,
        "version": version,
        "kind": kind,
        "format": fmt,
        "size": size,
        "sha256": sha256,
    }


@dataclass(frozen=True)
class Written:
    """What a build wrote: every file, of which ``made`` were made anew and ``kept`` were
    kept from the previous build (unchanged content key); the site and index are made
    every time and counted in ``files`` and ``made``."""

    files: int
    made: int
    kept: int


def write_atomically(
    out: Path,
    files: Iterator[Output],
    site: SiteMaker | None = None,
    jobs: int = 1,
    inputs: str | None = None,
    reuse: bool = True,
    wait: bool = False,
    say: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> Written:
    """Write every file into a temporary sibling of ``out`` and swap it in at the end,
    keeping the previous build's files whose content key is unchanged and making the
    others on up to ``jobs`` cores; ``inputs`` (:func:`builder.build.build_record.inputs_digest`)
    is recorded for the next build; ``reuse=False`` makes every file anew. Any exception
    (a signal included) leaves ``out`` untouched and removes the temporary folder.

    ``out`` must have passed :func:`check_out_folder`. The folder's lock is held
    throughout; if another command holds it, this waits (``wait``, telling ``say``) or
    raises :class:`builder.core.folder_lock.FolderLockedError`."""
    out = out.parent.resolve() / out.name
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NoticeError(f"--out {out}: cannot write there: {exc.strerror}") from None
    with folder_lock(out, "--out", wait, say):
        return _write_locked(out, files, site, jobs, inputs, reuse, progress)


def _write_locked(
    out: Path,
    files: Iterator[Output],
    site: SiteMaker | None,
    jobs: int,
    inputs: str | None,
    reuse: bool,
    progress: Progress | None = None,
) -> Written:
    try:
        check_replaceable(out)
        recover(out)
        staging = make_staging(out)
    except OSError as exc:
        raise NoticeError(f"--out {out}: cannot write there: {exc.strerror}") from None
    try:
        entries = _write_files(out if reuse else None, staging, list(files), jobs, progress)
        kept = sum(1 for entry in entries if entry.pop("kept", False))
        if site is not None:
            for path, data in site(list(entries)):
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                entries.append(_entry(path, data, "", "", "site", path.rsplit(".", 1)[-1]))
        (staging / INDEX).write_bytes(index_json(entries))
        (staging / ".gitkeep").touch()
        if inputs is not None:
            write_inputs_record(inputs, staging)
        swap(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise NoticeError(f"--out {out}: cannot write there: {exc.strerror}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(len(entries), len(entries) - kept, kept)


def _write_files(
    previous_build: Path | None,
    staging: Path,
    files: list[Output],
    jobs: int,
    progress: Progress | None = None,
) -> list[dict[str, object]]:
    """Keep (from ``previous_build``, if given) or make every file under ``staging``;
    their index entries in order (with ``kept: True`` on the kept ones)."""
    paths = [output.path for output in files]
    if len(set(paths)) != len(paths):
        twice = sorted({p for p in paths if paths.count(p) > 1})
        raise NoticeError(f"internal: two outputs would be written to {twice[0]}")
    previous = previous_files(previous_build) if previous_build is not None else {}
    keys = [output.key() for output in files]
    done: dict[int, tuple[int, str, bool]] = {}
    to_make: list[int] = []
    for number, (output, key) in enumerate(zip(files, keys, strict=True)):
        old = previous.get(output.path)
        if key is not None and old is not None and old.key == key:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                keep(old, target)
            except ChangedError:  # someone changed the previous build meanwhile
                to_make.append(number)
                continue
            done[number] = (old.size, old.sha256, True)
        else:
            to_make.append(number)
    tasks = [Task(files[n].path, files[n].make, files[n].group) for n in to_make]
    if progress is not None:
        progress(len(done), len(files))
    for made in make_files(staging, tasks, jobs):
        done[to_make[made.index]] = (made.size, made.sha256, False)
        if progress is not None:
            progress(len(done), len(files))
    entries: list[dict[str, object]] = []
    for number, (output, key) in enumerate(zip(files, keys, strict=True)):
        size, sha256, kept = done[number]
        entry = _entry_of(
            output.path, size, sha256, output.notice, output.version, output.kind, output.format
        )
        entry.update(dict(output.extra))
        if key is not None:
            entry["key"] = key
        if kept:
            entry["kept"] = True
        entries.append(entry)
    return entries


def build(
    workspace: Workspace,
    out: Path,
    jobs: int | None = None,
    inputs: str | None = None,
    reuse: bool = True,
    wait: bool = False,
    say: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> Written:
    """Build everything into ``out`` on ``jobs`` cores (default: all available), holding
    its lock (``wait`` and ``say``: :func:`write_atomically`).

    ``inputs`` is the digest of the sources as they were read (taken before loading the
    workspace, so that an edit made meanwhile is seen by the next build); by default it
    is taken now. ``reuse=False`` keeps nothing of the previous build."""
    out = check_out_folder(workspace.root, out)
    return write_atomically(
        out,
        outputs(workspace),
        partial(site_outputs, workspace),
        available_cores() if jobs is None else jobs,
        inputs_digest(workspace.root) if inputs is None else inputs,
        reuse,
        wait,
        say,
        progress,
    )
