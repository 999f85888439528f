"""Read returned forms into records: ``notices ingest FILE... [--summary summary.xlsx]``.

For each file, in the order given, :func:`read_return`:

1. refuses anything but a regular file before reading a byte of it
   (:func:`builder.core.safe_files.open_regular`: a symlink, FIFO, socket, device or folder
   is named as such), then a file over the size limit (from ``fstat``, before hashing);
   reads the file once, at most the size limit, hashes that and parses a private copy
   of it, so the file cannot be swapped for another meanwhile;
2. refuses a hostile file before parsing (:func:`builder.forms.returns.guard.check_container`:
   zip bombs, DTDs) and parses it in a bounded child process
   (:func:`builder.forms.returns.guard.run_bounded`);
3. recognises the form and its version (:func:`builder.forms.returns.read.recognise`) — a file
   of no known form, or of another version, is refused with the reason;
4. refuses a PDF with active content the form does not carry
   (:mod:`builder.forms.returns.integrity`), then compares the file's fixed parts with the blank
   form of that version (:mod:`builder.forms.returns.layout`) and a PDF's pages with the form's
   — a tampered file or a page drawn over is refused, listing the differences;
5. reads the values and checks them (:mod:`builder.forms.returns.validate`), and reports as
   problems a prefilled field unlocked or changed (:mod:`builder.forms.returns.integrity`), a
   value holding control characters (the summary shows it without them) and a value
   longer than a spreadsheet cell holds (:data:`MAX_CELL_CHARACTERS`; the summary shows
   a note in its place, never a cut value) — a return with problems is still
   recorded, with its problems in the record.

A refused file never stops the others, nor does anything that goes wrong reading one
(:func:`read_returns`). :func:`write_record` writes one record per read file, JSON or
YAML, under a name built from the prefecture, the form and the file's own name
(``兵庫県_kuiki-taio-hoshin_東播磨.xlsx.json``; a name that would pass
:data:`RECORD_NAME_BYTES` in UTF-8 is shortened and ends in a hash of the whole), never
overwriting an existing file (``…_2.json`` and so on; the new file is linked into
place, so even two ingests at once cannot overwrite each other, and a symlink planted
under the name is never followed), mode 0644 less the umask like every file the tool
writes. :func:`printable` is how the command line shows anything a return holds.
:mod:`builder.forms.returns.summary` writes the national summary from the same records.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from builder.core.safe_files import UnsafePathError, describe, open_regular
from builder.forms.returns.guard import (
    MAX_FILE_BYTES,
    HostileFileError,
    check_container,
    check_size,
    run_bounded,
)
from builder.forms.returns.integrity import (
    active_content_refusal,
    drawn_over_refusal,
    prefill_problems,
)
from builder.forms.returns.layout import layout_problems
from builder.forms.returns.read import FormReadError, input_values, open_form_file, recognise
from builder.forms.returns.validate import computed_shown, value_problems
from builder.japanese import PREFECTURES
from builder.model.form import CHOICES_SEPARATOR, Form, computed_values

__all__ = [
    "MAX_CELL_CHARACTERS",
    "RECORD_FORMATS",
    "RECORD_NAME_BYTES",
    "Return",
    "holds_records",
    "printable",
    "read_return",
    "read_returns",
    "record_name",
    "without_controls",
    "write_record",
]

RECORD_FORMATS: Final = ("json", "yaml")
RECORD_NAME_BYTES: Final = 200
"""A record's name before ``_<n>.<format>``, at most (in UTF-8; a file name is at most
255 bytes, and a kanji takes 3)."""
MAX_CELL_CHARACTERS: Final = 32767
"""The most characters a spreadsheet cell holds (Excel's limit)."""
Status = Literal["ok", "problems", "refused"]

_PREFECTURE_NAMES: Final = frozenset(p.name for p in PREFECTURES)
_TEMPORARY: Final = ".ingest-"
_BIDI: Final = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Characters that reorder the text around them on a terminal (a file name 「x\u202etxt.pdf」
shows as 「xfdp.txt」), as a regular expression class."""
_CONTROLS: Final = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
"""What :func:`without_controls` removes: control characters but tab and line breaks."""
_UNSAFE: Final = re.compile(f'[/\\\\:*?"<>|\x00-\x1f\x7f-\x9f{_BIDI}\\s]+')


@dataclass(frozen=True)
class Return:
    """One ingested file: refused (``form`` is None, ``problems`` say why) or read."""

    path: Path
    sha256: str
    form: Form | None = None
    file_format: str = ""
    values: dict[str, str] = field(default_factory=dict)
    """Every input field, then every computed cell (computed from the inputs)."""
    problems: tuple[str, ...] = ()
    size: int = 0
    """The file's size in bytes, as read."""

    @property
    def status(self) -> Status:
        if self.form is None:
            return "refused"
        return "problems" if self.problems else "ok"

    @property
    def prefecture(self) -> str:
        return self._role_value("prefecture")

    @property
    def areas(self) -> tuple[str, ...]:
        """The areas the return is about (its ``role: areas`` field, split at 「、」)."""
        text = self._role_value("areas")
        return tuple(part.strip() for part in text.split(CHOICES_SEPARATOR) if part.strip())

    def _role_value(self, role: Literal["prefecture", "areas"]) -> str:
        item = self.form.role_field(role) if self.form is not None else None
        return self.values.get(item.id, "") if item is not None else ""

    def record(self) -> dict[str, Any]:
        """The record written for a read return (plain data, JSON/YAML-ready)."""
        assert self.form is not None, "a refused file has no record"
        form = self.form
        labels = {item.id: item.label for item in form.fields()}
        return {
            "form": {"id": form.id, "version": form.version, "title": form.title},
            "source": {
                "file": self.path.name,
                "format": self.file_format,
                "sha256": self.sha256,
                "bytes": self.size,
            },
            "prefecture": self.prefecture,
            "areas": list(self.areas),
            "status": self.status,
            "problems": list(self.problems),
            "values": dict(self.values),
            "labels": {key: labels[key] for key in self.values},
        }


def read_return(path: Path, forms: Mapping[str, Form]) -> Return:
    """Read, recognise, check and validate one returned file; never raises for the
    file's content (a refusal is a :class:`Return` with ``status == "refused"``)."""
    name = path.name
    try:
        data = _read_regular(path)
    except UnsafePathError:
        what = describe(path) or "a folder"
        return Return(
            path, "", problems=(f"{name}: is {what}, not a regular file; refused unread",)
        )
    except HostileFileError as exc:
        return Return(path, "", problems=(str(exc),))
    except OSError as exc:
        return Return(path, "", problems=(f"{name}: cannot be read ({exc.strerror})",))
    digest = hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory(prefix="notices-ingest-") as private:
        copy = Path(private) / name
        copy.write_bytes(data)
        return _read_copy(path, copy, digest, len(data), forms)


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most the size limit (checked
    with ``lstat``/``fstat`` before reading; at most the limit is ever read)."""
    with open_regular(path) as stream:
        check_size(path.name, os.fstat(stream.fileno()).st_size)
        data = stream.read(MAX_FILE_BYTES + 1)
    check_size(path.name, len(data))  # it grew meanwhile
    return data


def _read_copy(path: Path, copy: Path, digest: str, size: int, forms: Mapping[str, Form]) -> Return:
    """:func:`read_return` of the private ``copy`` of ``path``."""
    name = path.name

    def refused(message: str) -> Return:
        return Return(path, digest, problems=(message,), size=size)

    try:
        check_container(copy)
        opened = run_bounded(open_form_file, copy)
        form = recognise(name, opened, forms)
    except FormReadError as exc:
        return refused(str(exc))
    active = active_content_refusal(name, form, opened)
    if active:
        return refused(active)
    tampered = layout_problems(form, opened)
    if tampered:
        lines = "; ".join(tampered)
        return refused(
            f"{name}: its structure differs from the blank {form.id} (version "
            f"{form.version}) {opened.format}, so it was changed beyond filling in: {lines}. "
            "Ask the prefecture to fill in a fresh copy of the form"
        )
    drawn = drawn_over_refusal(name, form, opened)
    if drawn:
        return refused(drawn)
    values = input_values(form, opened.raw)
    shown = computed_shown(form, opened.raw, opened.shown)
    problems = value_problems(form, opened.raw, values, shown)
    problems += prefill_problems(form, opened, values)
    problems += _text_problems(form, values)
    computed = {item.id: "" for item in form.fields() if item.kind == "computed"}
    computed.update(computed_values(form, values))
    return Return(path, digest, form, opened.format, {**values, **computed}, tuple(problems), size)


def _text_problems(form: Form, values: Mapping[str, str]) -> list[str]:
    """A value holding control characters, or too long for a spreadsheet cell."""
    problems = []
    for item in form.inputs():
        value = values.get(item.id, "")
        controls = sorted(set(_CONTROLS.findall(value)))
        if controls:
            codes = ", ".join(f"U+{ord(c):04X}" for c in controls)
            problems.append(
                f"{item.label} ({item.id}): holds control characters ({codes}), which no one "
                "types; the summary shows the value without them, the record keeps it as read"
            )
        if len(value) > MAX_CELL_CHARACTERS:
            problems.append(
                f"{item.label} ({item.id}): {len(value):,} characters, more than a "
                f"spreadsheet cell holds ({MAX_CELL_CHARACTERS:,}); the summary shows a note "
                "in its place (never a cut value), the record keeps it whole"
            )
    return problems


def without_controls(text: str) -> str:
    """``text`` without the control characters :func:`printable` escapes, tab and line
    breaks kept (what the summary shows)."""
    return _CONTROLS.sub("", text)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (C0 — a line break
    too, so one line stays one line —, DEL, C1) as ``\\x1b``, and characters that
    reorder text (bidirectional controls) as ``\\u202e``."""
    return _PRINTABLE.sub(_escape, text)


_PRINTABLE: Final = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def record_name(result: Return) -> str:
    """``<prefecture>_<form id>_<file name>``, safe as a file name whatever the return
    holds (a prefecture that is not one becomes 「都道府県不明」; control characters and
    path separators become ``_``) and at most :data:`RECORD_NAME_BYTES` in UTF-8: a
    longer one keeps its start and ends in ``~`` and the first 12 hex digits of the
    sha256 of the whole name, so two long names stay apart."""
    assert result.form is not None
    prefecture = result.prefecture if result.prefecture in _PREFECTURE_NAMES else "都道府県不明"
    name = _UNSAFE.sub("_", result.path.name).strip("._") or "return"
    whole = f"{prefecture}_{result.form.id}_{name}"
    if len(whole.encode("utf-8")) <= RECORD_NAME_BYTES:
        return whole
    tag = "~" + hashlib.sha256(whole.encode("utf-8")).hexdigest()[:12]
    room = RECORD_NAME_BYTES - len(tag.encode("utf-8"))
    kept = whole.encode("utf-8")[:room].decode("utf-8", "ignore")
    return kept + tag


def holds_records(folder: Path) -> bool:
    """Whether ``folder`` holds only what ``notices ingest`` writes there: regular files
    named ``*.json`` / ``*.yaml`` (records) or ``.ingest-*`` (a killed run's
    temporaries)."""
    for entry in folder.iterdir():
        try:
            regular = stat.S_ISREG(entry.lstat().st_mode)
        except OSError:
            return False
        if not regular or not (
            entry.suffix in (".json", ".yaml") or entry.name.startswith(_TEMPORARY)
        ):
            return False
    return True


def write_record(result: Return, folder: Path, record_format: str = "json") -> Path:
    """Write ``result``'s record into ``folder`` under a new name, mode 0644 less the
    umask; the path written. ``folder`` must not be a symlink, device, FIFO or socket
    (:class:`builder.core.safe_files.UnsafePathError`); the record is linked into place, so
    it never replaces anything, a planted symlink included."""
    if record_format not in RECORD_FORMATS:
        raise ValueError(f"record format {record_format!r}: use one of {RECORD_FORMATS}")
    record = result.record()
    if record_format == "json":
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
    what = describe(folder)
    if what is not None:
        raise UnsafePathError(f"{folder}: is {what}; records go into a folder")
    folder.mkdir(parents=True, exist_ok=True)
    base = record_name(result)
    handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY, dir=folder)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o644 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        for number in range(1, 10_000):
            suffix = "" if number == 1 else f"_{number}"
            target = folder / f"{base}{suffix}.{record_format}"
            try:
                os.link(temporary, target)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"{folder}: 9,999 records named {base} already")
    finally:
        os.unlink(temporary)


def read_returns(paths: Sequence[Path], forms: Mapping[str, Form]) -> list[Return]:
    """:func:`read_return` of each path, in order; whatever goes wrong reading one file
    (a bug of ours or a library's included) refuses that file, never the others."""
    results = []
    for path in paths:
        try:
            results.append(read_return(path, forms))
        except Exception as exc:  # a crafted file may break a library anywhere
            message = f"{path.name}: could not be read ({type(exc).__name__}: {exc})"
            results.append(Return(path, "", problems=(message,)))
    return results
