"""Read returned forms into records: ``notices ingest FILE... [--summary summary.xlsx]``.

For each file, in the order given, :func:`read_return`:

1. refuses a hostile file before parsing (:func:`builder.forms.guard.check_container`:
   size, zip bombs, DTDs) and parses it in a bounded child process
   (:func:`builder.forms.guard.run_bounded`);
2. recognises the form and its version (:func:`builder.forms.read.recognise`) — a file
   of no known form, or of another version, is refused with the reason;
3. compares the file's fixed parts with the blank form of that version
   (:mod:`builder.forms.layout`) — a tampered file is refused, listing the differences;
4. reads the values and checks them (:mod:`builder.forms.validate`) — a return with
   problems is still recorded, with its problems in the record.

A refused file never stops the others. :func:`write_record` writes one record per read
file, JSON or YAML, under a name built from the prefecture, the form and the file's
own name (``兵庫県_kuiki-taio-hoshin_東播磨.xlsx.json``), never overwriting an existing file
(``…_2.json`` and so on; the new file is linked into place, so even two ingests at
once cannot overwrite each other). :mod:`builder.forms.summary` writes the national
summary from the same records.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from builder.forms.guard import check_container, run_bounded
from builder.forms.layout import layout_problems
from builder.forms.model import CHOICES_SEPARATOR, Form, computed_values
from builder.forms.read import FormReadError, input_values, open_form_file, recognise
from builder.forms.validate import computed_shown, value_problems
from builder.japanese import PREFECTURES

__all__ = ["RECORD_FORMATS", "Return", "read_return", "read_returns", "record_name", "write_record"]

RECORD_FORMATS: Final = ("json", "yaml")
Status = Literal["ok", "problems", "refused"]

_PREFECTURE_NAMES: Final = frozenset(p.name for p in PREFECTURES)
_UNSAFE: Final = re.compile(r'[/\\:*?"<>|\x00-\x1f\s]+')


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
                "bytes": self.path.stat().st_size,
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
    try:
        digest = _sha256(path)
    except OSError as exc:
        return Return(path, "", problems=(f"{path.name}: cannot be read ({exc.strerror})",))
    try:
        check_container(path)
        opened = run_bounded(open_form_file, path)
        form = recognise(path.name, opened, forms)
    except FormReadError as exc:
        return Return(path, digest, problems=(str(exc),))
    tampered = layout_problems(form, opened)
    if tampered:
        lines = "; ".join(tampered)
        message = (
            f"{path.name}: its structure differs from the blank {form.id} (version "
            f"{form.version}) {opened.format}, so it was changed beyond filling in: {lines}. "
            "Ask the prefecture to fill in a fresh copy of the form"
        )
        return Return(path, digest, problems=(message,))
    values = input_values(form, opened.raw)
    shown = computed_shown(form, opened.raw, opened.shown)
    problems = value_problems(form, opened.raw, values, shown)
    computed = {item.id: "" for item in form.fields() if item.kind == "computed"}
    computed.update(computed_values(form, values))
    return Return(path, digest, form, opened.format, {**values, **computed}, tuple(problems))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def record_name(result: Return) -> str:
    """``<prefecture>_<form id>_<file name>``, safe as a file name whatever the return
    holds (a prefecture that is not one becomes 「都道府県不明」)."""
    assert result.form is not None
    prefecture = result.prefecture if result.prefecture in _PREFECTURE_NAMES else "都道府県不明"
    name = _UNSAFE.sub("_", result.path.name).strip("._") or "return"
    return f"{prefecture}_{result.form.id}_{name[-80:]}"


def write_record(result: Return, folder: Path, record_format: str = "json") -> Path:
    """Write ``result``'s record into ``folder`` under a new name; the path written."""
    if record_format not in RECORD_FORMATS:
        raise ValueError(f"record format {record_format!r}: use one of {RECORD_FORMATS}")
    record = result.record()
    if record_format == "json":
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
    folder.mkdir(parents=True, exist_ok=True)
    base = record_name(result)
    handle, temporary = tempfile.mkstemp(prefix=".ingest-", dir=folder)
    try:
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
    """:func:`read_return` of each path, in order."""
    return [read_return(path, forms) for path in paths]
