"""What a build records of what it read and wrote (``.inputs``), and the check that
there is nothing to do: the no-op of ``notices build``.

The build writes ``.inputs`` last, beside ``index.json``: :func:`inputs_digest` — every
file of the source folders, issued.yaml and :func:`code_digest` — then a record of what
it wrote (:func:`inputs_record`): each folder by its path, each file by its path and size.
When the digest is unchanged and every recorded folder and file is still as written,
``notices build`` stops there, without loading the sources (as ``make`` does).

**What a no-op costs** (issue #15: ≤ 0.2 s at 100 notices, 15,800 files). Both digests
read only what changed: a file's sha256 is remembered by its stat (size, mtime, ctime,
inode; :mod:`builder.build.file_digests`, which says how an edit that keeps size and
mtime is still seen). The output is checked with one ``lstat`` a recorded folder and
file, not a walk of the tree (listing 2,400 folders cost 46 ms of the 0.2 s) and not
``index.json`` (5 MB to parse at 100 notices). This module imports only the standard
library: the command line answers a no-op before loading click
(:mod:`builder.cli.quick_build`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import builder
from builder.build.file_digests import FileDigests

INDEX = "index.json"
"""The index of a build (every file, its size, sha256 and content key)."""

INPUTS = ".inputs"
"""The digest of everything a build read (:func:`inputs_digest`) and the record of what it
wrote (:func:`inputs_record`), beside the index."""

INPUT_FOLDERS = ("notices", "amendments", "forms", "templates")
"""The folders of a project that a build reads."""

INPUT_FILES = ("issued.yaml",)
"""Files at a project's root that a build reads (the record of issued documents, which
decides whether the build is refused)."""

LIBRARIES = (
    "python-docx",
    "openpyxl",
    "Jinja2",
    "MarkupSafe",
    "reportlab",
    "pypdf",
    "fonttools",
    "lxml",
    "PyYAML",
    "pydantic",
    "jaconv",
    "rl_accel",
)
"""Libraries whose version can change the bytes of an output."""

FONT_VARIABLES = ("NOTICES_MINCHO_FONT", "NOTICES_GOTHIC_FONT")
"""Environment variables that choose another font for the PDFs."""

FONTS = (".ttf", ".ttc", ".otf")
"""Suffixes of the bundled fonts, which count in :func:`code_digest` by size only."""


@cache
def code_digest() -> str:
    """sha256 of everything besides the sources that decides the bytes of an output: the
    builder's files (their sha256, remembered by stat: :class:`FileDigests`), the
    versions of :data:`LIBRARIES`, Python's version and the fonts chosen by
    :data:`FONT_VARIABLES`.

    The bundled fonts count by name and size only: they are sha256-checked against fixed
    digests whenever they are loaded, so a changed font is refused, not built with.
    """
    digest = hashlib.sha256()
    package = Path(os.path.abspath(builder.__file__)).parent
    digests = FileDigests(record_name("code", package))
    lines = [
        f"{name}\0{_font_size_or_sha256(digests, name, path, info)}\0"
        for name, path, info in files_under(package, skip=("__pycache__",))
        if not name.endswith(".pyc")
    ]
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    digests.save()
    versions = library_versions()
    for library in LIBRARIES:
        digest.update(f"{library}={versions.get(library, '-')}\0".encode())
    digest.update(f"python={sys.version.split()[0]}\0".encode())
    for variable in FONT_VARIABLES:
        value = os.environ.get(variable)
        if value:
            try:
                found = os.stat(value)
                seen = f"{found.st_size}:{found.st_mtime_ns}"
            except OSError:
                seen = "missing"
            digest.update(f"{variable}={value}:{seen}\0".encode())
    return digest.hexdigest()


def record_name(kind: str, folder: Path) -> str:
    """The name of the :class:`FileDigests` record of the files of ``kind`` under
    ``folder`` (an absolute path)."""
    text = f"{kind}\0{folder}".encode("utf-8", "surrogateescape")
    return f"{kind}-{hashlib.sha256(text).hexdigest()[:32]}"


def walk(
    folder: str, follow_files: bool = False, skip: tuple[str, ...] = ()
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file under ``folder`` (a regular file; with ``follow_files``, also a symlink
    to one) by its path relative to it, with its ``os.scandir`` entry, reached through
    real folders only (a symlinked folder is not entered), in no particular order; folders
    named in ``skip`` are not entered, an unreadable one is passed over. One
    ``os.scandir`` a folder: the callers ``stat`` what they need."""
    folders: list[tuple[str, str]] = [(folder, "")]
    while folders:
        path, prefix = folders.pop()
        try:
            with os.scandir(path) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in skip:
                            folders.append((entry.path, f"{prefix}{entry.name}/"))
                    elif entry.is_file(follow_symlinks=follow_files):
                        yield f"{prefix}{entry.name}", entry
        except OSError:
            continue


def files_under(folder: Path, skip: tuple[str, ...] = ()) -> list[tuple[str, str, os.stat_result]]:
    """Every file under ``folder`` as ``Path.rglob`` and ``is_file`` find them (a symlink
    to a file counts, with the stat of its target; a symlinked folder is not entered),
    by relative POSIX name, sorted by it: (name, absolute path, stat). Folders named in
    ``skip`` are not entered; an unreadable folder, or a file gone meanwhile, is passed
    over (the build that reads it says what is wrong)."""
    found: list[tuple[str, str, os.stat_result]] = []
    for name, entry in walk(os.path.abspath(folder), follow_files=True, skip=skip):
        try:
            found.append((name, entry.path, entry.stat()))
        except OSError:
            continue
    found.sort(key=lambda item: item[0])
    return found


def _font_size_or_sha256(
    digests: FileDigests, name: str, path: str, info: os.stat_result
) -> str | int:
    return info.st_size if name.lower().endswith(FONTS) else _sha256(digests, path, info)


def _sha256(digests: FileDigests, path: str, info: os.stat_result) -> str:
    """The file's sha256, or "-" when it cannot be read (then the digest matches no build,
    and the build that reads the file says what is wrong)."""
    try:
        return digests.sha256(path, info)
    except OSError:
        return "-"


def library_versions() -> dict[str, str]:
    """The installed version of each of :data:`LIBRARIES`, from the name of its
    ``<name>-<version>.dist-info`` folder (the wheel format's naming) in the first entry
    of ``sys.path`` that has one, as ``importlib.metadata.version`` finds it; reading the
    folder names takes a millisecond, importing ``importlib.metadata`` 25 ms of every
    command (``tests/build/test_incremental.py`` checks the two agree)."""
    wanted = {_normalised(name): name for name in LIBRARIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            project, _, version = name.removesuffix(".dist-info").partition("-")
            library = wanted.get(_normalised(project))
            if library is not None and library not in found:
                found[library] = version
    return found


def _normalised(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()


def inputs_digest(root: Path) -> str:
    """sha256 of every file under the source folders of ``root`` (names and sha256 of
    their bytes, remembered by stat: :class:`FileDigests`), of issued.yaml and of
    :func:`code_digest`: equal digests, equal builds."""
    root = Path(os.path.abspath(root))
    digest = hashlib.sha256(code_digest().encode("ascii"))
    digests = FileDigests(record_name("inputs", root))
    for name in INPUT_FOLDERS:
        folder = root / name
        digest.update(f"\0{name}:{folder.is_dir()}\0".encode())
        lines = [
            f"{name}/{relative}\0{_sha256(digests, path, info)}\0"
            for relative, path, info in (files_under(folder) if folder.is_dir() else ())
        ]
        digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    for name in INPUT_FILES:
        file = str(root / name)
        try:
            seen: os.stat_result | None = os.stat(file)
        except OSError:
            seen = None
        digest.update(f"\0{name}:{seen is not None and stat.S_ISREG(seen.st_mode)}\0".encode())
        if seen is not None and stat.S_ISREG(seen.st_mode):
            digest.update(_sha256(digests, file, seen).encode("ascii"))
    digests.save()
    return digest.hexdigest()


RECORD_FORM = "output 3"
"""The second line of ``.inputs`` when a record of the output follows it."""


def write_inputs_record(inputs: str, staging: Path) -> None:
    """Write ``.inputs`` (:func:`inputs_record`) into ``staging``, last of the build (no
    file of it is newer: :func:`up_to_date`)."""
    record = inputs_record(inputs, staging)
    (staging / INPUTS).write_bytes(record.encode("utf-8", "surrogateescape"))


def inputs_record(inputs: str, folder: Path) -> str:
    """The text of ``.inputs`` for the build in ``folder``: the inputs digest,
    :data:`RECORD_FORM`, then one line of JSON: ``{"folders": [relative path, …],
    "files": [[size, relative path], …]}``, each list sorted, so that two builds of the
    same sources write the same bytes. ``.inputs`` itself is not among the files."""
    files: list[tuple[int, str]] = []
    folders: set[str] = set()
    for name, entry in walk(os.path.abspath(folder)):
        if name == INPUTS:
            continue
        files.append((entry.stat(follow_symlinks=False).st_size, name))
        parent = name.rpartition("/")[0]
        while parent and parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    files.sort(key=lambda file: file[1])
    record = {"folders": sorted(folders), "files": files}
    return f"{inputs.strip()}\n{RECORD_FORM}\n{json.dumps(record, ensure_ascii=False)}\n"


def up_to_date(out: Path, inputs: str) -> bool:
    """True when the build in ``out`` was made from ``inputs`` (:func:`inputs_digest`),
    each of its files is still as it was written, and no killed build left anything
    beside it (a build, not this shortcut, cleans that up).

    The record of ``.inputs`` answers (:func:`_as_recorded`); a file added beside the
    build (Word's ``~$`` lock file) does not count. An ``.inputs`` without the record
    (from a builder before it) was made by other code, so its digest never matches."""
    leftovers = [
        *out.parent.glob(f".{out.name}.building-*"),
        out.with_name(f".{out.name}.previous"),
    ]
    if any(path.exists() for path in leftovers):
        return False
    recorded = _record_of(out)
    if not recorded or recorded[0] != inputs.strip():
        return False
    return len(recorded) > 1 and recorded[1] == RECORD_FORM and _as_recorded(out, recorded)


def recorded_inputs(out: Path) -> str | None:
    """The inputs digest the build in ``out`` recorded (None: no readable ``.inputs``)."""
    recorded = _record_of(out)
    return recorded[0] if recorded else None


def _record_of(out: Path) -> list[str]:
    try:
        text = (out / INPUTS).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return []
    return text.split("\n")


def _as_recorded(out: Path, recorded: list[str]) -> bool:
    """Whether what ``recorded`` (the lines of the ``.inputs`` of ``out``,
    :func:`inputs_record`) records is still in ``out``: each folder a real folder (not a
    symlink), each file a regular file of its size not modified after ``.inputs`` was
    written. One ``lstat`` a folder and a file: since every folder on a file's path is
    recorded, a symlink anywhere on the way is seen. Entries added beside the build
    (Word's ``~$`` lock file) do not count. A record of another form: not as recorded."""
    base = os.path.join(os.path.abspath(out), "")
    lstat, is_folder, is_file = os.lstat, stat.S_ISDIR, stat.S_ISREG
    try:
        record = json.loads(recorded[2])
        written = lstat(base + INPUTS).st_mtime_ns
        for name in record["folders"]:
            if not is_folder(lstat(base + name).st_mode):
                return False
        for size, name in record["files"]:
            info = lstat(base + name)
            if not is_file(info.st_mode) or info.st_size != size or info.st_mtime_ns > written:
                return False
    except (OSError, ValueError, LookupError, TypeError):
        return False
    return True
