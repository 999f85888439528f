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

Before any of that, :func:`up_to_date` answers whether there is anything to do at all:
the build records :func:`inputs_digest` — every file of the source folders and
:func:`code_digest` — in ``.inputs`` beside ``index.json``, with :func:`files_digest` of
what it wrote; when the digest is unchanged and every file of the build is as it left
it, ``notices build`` stops there, without loading the sources (as ``make`` does).

**What a no-op costs.** Both digests read only what changed: a file's sha256 is
remembered by its stat (size, mtime, ctime, inode; :mod:`builder.build.file_digests`,
which says how an edit that keeps size and mtime is still seen), and the output folder
is walked once (``os.scandir``, one ``lstat`` a file), its names and sizes compared with
the recorded digest; ``index.json`` is parsed only when that digest differs (a file
added beside the build, such as Word's ``~$`` lock file, is allowed). Nothing else is
imported: no model, no writer, no template engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import builder
from builder.build.file_digests import FileDigests

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

INDEX = "index.json"
"""The index of a build (every file, its size, sha256 and content key)."""

INPUTS = ".inputs"
"""The digest of everything a build read (:func:`inputs_digest`), beside the index."""

INPUT_FOLDERS = ("notices", "amendments", "forms", "templates")
"""The folders of a project that a build reads."""

INPUT_FILES = ("issued.yaml",)
"""Files at a project's root that a build reads (the record of issued documents, which
decides whether the build is refused)."""

_UNFAITHFUL_REPR = re.compile(r" at 0x[0-9a-fA-F]+>")


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


def files_digest(found: Mapping[str, os.stat_result]) -> str:
    """sha256 of the names and sizes of ``found`` (:func:`regular_files` of an output
    folder, without ``.inputs``): what the build records of what it wrote, compared by
    :func:`up_to_date` with what is there now."""
    return _listing_digest([f"{name}\0{info.st_size}\n" for name, info in found.items()])


def _listing_digest(lines: list[str]) -> str:
    lines.sort()
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def inputs_record(inputs: str, found: Mapping[str, os.stat_result]) -> str:
    """The text of ``.inputs``: the inputs digest, then ``files`` and the
    :func:`files_digest` of the output folder as the build leaves it (``.inputs``, written
    last, not among ``found``)."""
    return f"{inputs}\nfiles {files_digest(found)}\n"


def up_to_date(out: Path, inputs: str) -> bool:
    """True when the build in ``out`` was made from ``inputs`` (:func:`inputs_digest`),
    each of its files is still as it was written, and no killed build left anything
    beside it (a build, not this shortcut, cleans that up).

    One walk of ``out`` (:func:`_as_recorded`) answers when nothing was added beside the
    build; otherwise every file ``index.json`` lists is looked for among the regular files
    of ``out``: a file added beside the build (Word's ``~$`` lock file) does not count."""
    leftovers = [
        *out.parent.glob(f".{out.name}.building-*"),
        out.with_name(f".{out.name}.previous"),
    ]
    if any(path.exists() for path in leftovers):
        return False
    try:
        recorded = (out / INPUTS).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    if not recorded or recorded[0] != inputs.strip():
        return False
    files = recorded[1].split() if len(recorded) > 1 else []
    if len(files) == 2 and files[0] == "files" and _as_recorded(out, files[1]):
        return True
    found = regular_files(out)
    if INPUTS not in found or ".gitkeep" not in found:
        return False
    entries = _index_entries(out)
    if entries is None:
        return False
    return all(_listed_intact(found, entry, entries.written) for entry in entries.entries)


def _as_recorded(out: Path, recorded: str) -> bool:
    """Whether the regular files under ``out`` (reached through real folders, symlinks
    not followed), but ``.inputs``, have the names and sizes whose :func:`files_digest`
    is ``recorded``, and none was modified after ``.inputs`` was written (the build
    writes it last). One ``os.scandir`` a folder and one ``lstat`` a file."""
    lines: list[str] = []
    newest = 0
    written = -1
    for name, entry in walk(str(out)):
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            return False
        if name == INPUTS:
            written = info.st_mtime_ns
            continue
        lines.append(f"{name}\0{info.st_size}\n")
        if info.st_mtime_ns > newest:
            newest = info.st_mtime_ns
    return 0 <= newest <= written and _listing_digest(lines) == recorded


def regular_files(out: Path) -> dict[str, os.stat_result]:
    """Every regular file under ``out`` reached through real folders only (a symlink, to a
    folder or a file, is not followed and not listed), by its path relative to ``out``,
    with its ``lstat``: one walk of the tree, instead of opening every folder on the path
    of every file (the no-op rebuild of a large build was three opens a file)."""
    found: dict[str, os.stat_result] = {}
    for name, entry in walk(str(out)):
        try:
            found[name] = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # gone meanwhile: missing, so not up to date
    return found


def _listed_intact(
    found: Mapping[str, os.stat_result], entry: Mapping[str, object], written: int
) -> bool:
    """Whether the file of ``entry`` is among ``found`` as the build wrote it: a regular
    file of its recorded size, not modified after the index was written."""
    name, size = entry.get("file"), entry.get("size")
    if not isinstance(name, str) or not isinstance(size, int):
        return False
    info = found.get(name)
    return (
        info is not None
        and stat.S_ISREG(info.st_mode)
        and info.st_size == size
        and info.st_mtime_ns <= written
    )


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
