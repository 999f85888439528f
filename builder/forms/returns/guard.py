"""Refuse a hostile return before it is parsed, and parse it inside fixed bounds.

A return comes from outside the ministry and may be damaged or crafted. Two layers:

* :func:`check_container` looks at the file without parsing it as a form: its size
  (at most :data:`MAX_FILE_BYTES`); for .xlsx/.docx (zip packages) the number of
  entries, each entry's declared and *actual* decompressed size (decompressed in
  chunks, stopping at the limit, so a zip bomb costs at most the limit), the
  compression ratio, and every XML part for a DTD or entity declaration (Office files
  never carry one; entity expansion is the "billion laughs" attack); for .pdf the
  ``%PDF-`` header. A refusal is a :class:`HostileFileError` that says what and why.
* :func:`run_bounded` runs the parser in a forked child process whose address space
  and CPU time are capped (:data:`MEMORY_BYTES` more than the parent uses,
  :data:`SECONDS`), with a wall-clock timeout; whatever the file does (deep nesting, a
  reference loop the walker misses, a slow path in a library) costs at most that, and
  the parent reports it and goes on with the next file. The child dies with the
  parent (``PR_SET_PDEATHSIG`` on Linux, as the build's workers do:
  :func:`builder.core.stopping.die_with_parent`) and ignores SIGINT, SIGTERM and SIGHUP, so
  a killed or interrupted ``notices ingest`` leaves no parse behind and only the parent
  reports the signal. Where ``fork`` is missing (Windows, macOS), the parser runs
  in-process after the container checks.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import zipfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final, TypeVar, cast

from builder.core.stopping import die_with_parent, ignore_stop_signals
from builder.forms.returns.read import FormReadError

__all__ = [
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "MEMORY_BYTES",
    "SECONDS",
    "HostileFileError",
    "check_container",
    "check_size",
    "run_bounded",
]

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
"""A return is at most 20 MB (our PDF form is 2 MB, the .xlsx/.docx under 100 kB)."""
MAX_ENTRIES: Final = 1000
"""Entries of a zip package (our forms have about 20)."""
MAX_ENTRY_BYTES: Final = 50 * 1024 * 1024
"""Decompressed size of one entry."""
MAX_TOTAL_BYTES: Final = 100 * 1024 * 1024
"""Decompressed size of all entries together."""
MAX_RATIO: Final = 200
"""Decompressed : compressed, for an entry larger than 1 MB decompressed (Office XML
compresses about 10:1; a zip bomb 1000:1)."""
MEMORY_BYTES: Final = 1024 * 1024 * 1024
"""Address space a parse may add to what the process already uses."""
SECONDS: Final = 60
"""CPU and wall-clock seconds a parse may take (a real return takes under 2)."""

_CHUNK: Final = 1024 * 1024
_DECLARATION: Final = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)

T = TypeVar("T")


class HostileFileError(FormReadError):
    """The file is refused before (or while) it is read: too large, a zip bomb, XML with
    a DTD, a parse over its memory or time bound."""


def check_size(name: str, size: int) -> None:
    """Raise :class:`HostileFileError` if a return of ``size`` bytes is too large."""
    if size > MAX_FILE_BYTES:
        raise HostileFileError(
            f"{name}: {size:,} bytes; a return is at most {MAX_FILE_BYTES:,} bytes "
            "(ask the sender for the form as filled, without embedded attachments)"
        )


def check_container(path: Path) -> None:
    """Raise :class:`HostileFileError` if ``path`` is too large or a dangerous package."""
    check_size(path.name, path.stat().st_size)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx"):
        _check_zip(path)
    elif suffix == ".pdf":
        with path.open("rb") as stream:
            head = stream.read(1024)
        if b"%PDF-" not in head:
            raise HostileFileError(f"{path.name}: not a PDF file (no %PDF- header)")


def _check_zip(path: Path) -> None:
    name = path.name
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise HostileFileError(f"{name}: not a readable {path.suffix} package ({exc})") from None
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ENTRIES:
            raise HostileFileError(
                f"{name}: {len(entries):,} entries in the package; at most {MAX_ENTRIES:,}"
            )
        declared = sum(e.file_size for e in entries)
        if declared > MAX_TOTAL_BYTES:
            raise HostileFileError(
                f"{name}: would decompress to {declared:,} bytes; at most "
                f"{MAX_TOTAL_BYTES:,} (a zip bomb?)"
            )
        total = 0
        for entry in entries:
            _check_ratio(name, entry)
            total += _check_entry(name, package, entry, MAX_TOTAL_BYTES - total)


def _check_ratio(name: str, entry: zipfile.ZipInfo) -> None:
    if entry.file_size > MAX_ENTRY_BYTES:
        raise HostileFileError(
            f"{name}: entry {entry.filename} would decompress to {entry.file_size:,} bytes; "
            f"at most {MAX_ENTRY_BYTES:,}"
        )
    if entry.file_size > _CHUNK and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        ratio = entry.file_size // max(entry.compress_size, 1)
        raise HostileFileError(
            f"{name}: entry {entry.filename} is compressed {ratio:,}:1; at most "
            f"{MAX_RATIO}:1 (a zip bomb?)"
        )


def _check_entry(name: str, package: zipfile.ZipFile, entry: zipfile.ZipInfo, room: int) -> int:
    """Decompress ``entry`` in chunks (never more than the limits), scan XML for
    declarations; the number of bytes it holds."""
    limit = min(MAX_ENTRY_BYTES, room)
    count = 0
    tail = b""
    is_xml = entry.filename.lower().endswith((".xml", ".rels", ".vml"))
    try:
        with package.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                count += len(chunk)
                if count > limit:
                    raise HostileFileError(
                        f"{name}: entry {entry.filename} decompresses to more than "
                        f"{limit:,} bytes (a zip bomb?)"
                    )
                if is_xml and _DECLARATION.search(tail + chunk):
                    raise HostileFileError(
                        f"{name}: {entry.filename} declares a DTD or entities "
                        "(<!DOCTYPE/<!ENTITY); Office files never do, and entity "
                        "expansion can exhaust memory"
                    )
                tail = chunk[-16:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise HostileFileError(f"{name}: entry {entry.filename} is damaged ({exc})") from None
    except NotImplementedError as exc:
        raise HostileFileError(f"{name}: entry {entry.filename}: {exc}") from None
    return count


def run_bounded(
    function: Callable[[Path], T],
    path: Path,
    *,
    seconds: int = SECONDS,
    memory: int = MEMORY_BYTES,
) -> T:
    """``function(path)`` in a child process capped at ``memory`` more bytes of address
    space and ``seconds`` of CPU and wall-clock time; its :class:`FormReadError` is
    raised here as is; anything else it raises, or running out of a bound, as
    :class:`HostileFileError`."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return cast(T, _result(path, *_outcome(function, path, memory)))
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, function, path, seconds, memory, os.getpid()), daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds + 2):
            raise HostileFileError(
                f"{path.name}: reading took longer than {seconds} s and was stopped"
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise HostileFileError(
                f"{path.name}: reading it ran out of its memory bound "
                f"({memory // 2**20} MB) or its {seconds} s and was stopped"
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    return cast(T, _result(path, status, payload))


def _result(path: Path, status: str, payload: object) -> object:
    if status == "ok":
        return payload
    if status == "refused":
        raise FormReadError(str(payload))
    raise HostileFileError(f"{path.name}: {payload}")


def _child(
    sender: Connection,
    function: Callable[[Path], object],
    path: Path,
    seconds: int,
    memory: int,
    parent: int,
) -> None:
    import resource  # POSIX only, like fork

    _die_with_parent(parent)
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    sender.send(_outcome(function, path, memory))
    sender.close()


def _die_with_parent(parent: int) -> None:
    """Die at once when the parent does (SIGKILL from the kernel, Linux), and leave
    SIGINT, SIGTERM and SIGHUP to the parent, which reports them."""
    ignore_stop_signals()
    die_with_parent(parent)


def _outcome(function: Callable[[Path], object], path: Path, memory: int) -> tuple[str, object]:
    """("ok", result), ("refused", message) or ("bound", what went wrong)."""
    try:
        return "ok", function(path)
    except FormReadError as exc:
        return "refused", str(exc)
    except MemoryError:
        return "bound", f"reading it needed more than {memory // 2**20} MB; refused"
    except RecursionError:
        return "bound", "objects nested too deep to read; refused"
    except Exception as exc:  # a crafted file may break a library anywhere
        return "bound", f"unreadable ({type(exc).__name__}: {exc})"


def _address_space() -> int:
    """The bytes of address space this process uses now (Linux), else a generous guess."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 4 * 1024 * 1024 * 1024
