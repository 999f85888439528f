"""Orchestration of ``notices build``: which documents exist, where each goes, and an
atomic write of the whole output folder.

Layout under the output folder (each document in .txt, .docx and .pdf)::

    index.json                                     every file with its sha256
    <notice id>/<YYYY-MM-DD>/consolidated.*        溶け込み版 as of that version
    <notice id>/<YYYY-MM-DD>/beppyo1.csv|xlsx|pdf  別添1 as of that version (if any)
    <notice id>/<YYYY-MM-DD>/kaibun.txt            改め文 of the amendment of that date
    <notice id>/<YYYY-MM-DD>/cover-notice.*        its cover notice to 各都道府県知事
    <notice id>/<YYYY-MM-DD>/distribution-letter.* its letter to the 別記 organisations
    <notice id>/<YYYY-MM-DD>/comparison.*          its 新旧対照表
    site/                                          the publication site (builder.site)

The build writes into a temporary sibling folder and swaps it in only when everything
succeeded, so a failed build leaves the previous output as it was; which folder may be
replaced, the swap and the cleanup after a killed build are :mod:`builder.build.out_folder`'s,
the lock that keeps a second command out is :mod:`builder.core.folder_lock`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from builder.build.cache import (
    INDEX,
    INPUTS,
    ChangedError,
    content_key,
    inputs_digest,
    keep,
    previous_files,
)
from builder.build.out_folder import (
    check_out_folder,
    check_replaceable,
    make_staging,
    recover,
    swap,
)
from builder.build.parallel import Task, available_cores, make_files
from builder.core.errors import NoticeError
from builder.core.filenames import safe_component
from builder.core.folder_lock import folder_lock
from builder.documents.compose import (
    comparison,
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.documents.paths import version_folder, version_name
from builder.engine.amend import History, Version
from builder.forms.prefill import area_prefill
from builder.japanese import format_wareki
from builder.model.document import Document
from builder.model.form import Form
from builder.model.notice import AreaTable, FormRef
from builder.site import site_outputs
from builder.sources.workspace import Workspace
from builder.writers import registry as writers


def _no_key() -> str | None:
    return None


@dataclass(frozen=True)
class Output:
    """One file to write: where (relative to the output folder), how to make it, what it
    is (for the index) and its content key (:mod:`builder.build.cache`; None: always
    make it)."""

    path: str
    make: Callable[[], bytes]
    notice: str
    version: str
    kind: str
    format: str
    extra: tuple[tuple[str, str], ...] = ()
    key: Callable[[], str | None] = _no_key
    group: str = ""
    """Outputs of one group are made by one worker (:class:`builder.build.parallel.Task`)."""


Arguments = Callable[[], tuple[object, ...]]
"""Gives a writer's arguments (called lazily; the result should be cached)."""


def _apply(writer: Callable[..., bytes], arguments: Arguments) -> bytes:
    return writer(*arguments())


def _key(writer: Callable[..., bytes], arguments: Arguments) -> str | None:
    return content_key(writer, arguments())


def written_by(
    path: str,
    writer: Callable[..., bytes],
    arguments: Arguments,
    notice: str,
    version: str,
    kind: str,
    fmt: str,
    extra: tuple[tuple[str, str], ...] = (),
    group: str = "",
) -> Output:
    """The Output ``writer(*arguments())`` at ``path``, keyed on the writer and its
    arguments (``arguments`` is called lazily, and should cache what it builds)."""
    return Output(
        path,
        partial(_apply, writer, arguments),
        notice,
        version,
        kind,
        fmt,
        extra,
        partial(_key, writer, arguments),
        group,
    )


DOCUMENT_WRITERS: dict[str, Callable[[Document], bytes]] = {
    "txt": writers.document_txt,
    "docx": writers.document_docx,
    "pdf": writers.document_pdf,
}
"""Every document is written in each of these formats (one writer per format)."""


def outputs(workspace: Workspace) -> Iterator[Output]:
    """Every file of a full build, in a stable order."""
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        for version in history.versions:
            yield from _version_outputs(workspace, history, version)
    yield from form_outputs(workspace)


FORM_WRITERS: dict[str, Callable[[Form, dict[str, str]], bytes]] = {
    "xlsx": writers.form_xlsx,
    "docx": writers.form_docx,
    "pdf": writers.form_pdf,
}
"""Every form is written blank, and prefilled per 推進区域, in each of these formats."""


def _constant(*values: object) -> Arguments:
    return partial(tuple, values)


def form_outputs(
    workspace: Workspace,
    as_of: dt.date | None = None,
    prefecture: str | None = None,
    blank: bool = True,
) -> Iterator[Output]:
    """Each form blank (forms/<id>/<id>.*), and each form a notice attaches prefilled for
    every area of its 別添1 as in force on ``as_of`` (default: now), or only those of
    ``prefecture`` (forms/<id>/<都道府県>/<構想区域>.*), with 都道府県 and 構想区域 filled
    in and read-only."""
    for form_id, form in sorted(workspace.forms.items()):
        if not blank:
            break
        folder = f"forms/{safe_component(form_id)}"
        for fmt, writer in FORM_WRITERS.items():
            yield written_by(
                f"{folder}/{safe_component(form_id)}.{fmt}",
                writer,
                _constant(form, {}),
                "",
                form.version,
                "form",
                fmt,
                (("form", form_id),),
                f"{form_id}.{fmt}",
            )
    for notice in workspace.project.notices:
        refs = [a for a in notice.attachments if isinstance(a, FormRef)]
        if not refs:
            continue
        history = workspace.history(notice)
        version = history.as_of(as_of) if as_of else history.versions[-1]
        table = version.notice.attachment("別添1")
        if not isinstance(table, AreaTable):
            continue
        for ref in refs:
            loaded = workspace.forms.get(ref.form)  # None: a form still to be designed
            if loaded is None or loaded.role_field("prefecture") is None:
                continue
            form = loaded
            for row in table.rows:
                if prefecture is not None and row.prefecture != prefecture:
                    continue
                for area in row.areas:
                    prefill = area_prefill(form, row.prefecture, [area.name])
                    folder = f"forms/{safe_component(ref.form)}/{safe_component(row.prefecture)}"
                    extra = (
                        ("form", ref.form),
                        ("prefecture", row.prefecture),
                        ("area", area.name),
                    )
                    for fmt, writer in FORM_WRITERS.items():
                        yield written_by(
                            f"{folder}/{safe_component(area.name)}.{fmt}",
                            writer,
                            _constant(form, prefill),
                            notice.id,
                            version_name(history, version),
                            "form",
                            fmt,
                            extra,
                            f"{ref.form}.{fmt}",  # one worker stamps them from one template
                        )


def _documents(
    workspace: Workspace, history: History, version: Version
) -> Iterator[tuple[str, Callable[[], Document]]]:
    """(kind, how to make it) of every document of one version."""
    templates = workspace.templates
    yield "consolidated", lambda: consolidated(version, "consolidated", workspace.forms)
    amendment = version.amendment
    if amendment is None:
        return
    before = history.before(version)
    yield "cover-notice", lambda: cover_notice(history, version, templates, "cover-notice")
    if amendment.letter is not None:
        yield (
            "distribution-letter",
            lambda: distribution_letter(
                workspace.project, history, version, templates, "distribution-letter"
            ),
        )
    yield "comparison", lambda: comparison(before, version, "comparison")


def _one_argument(make: Callable[[], object]) -> tuple[object, ...]:
    return (make(),)


def _version_outputs(workspace: Workspace, history: History, version: Version) -> Iterator[Output]:
    folder = version_folder(history, version)
    when = version_name(history, version)
    notice = history.notice.id
    for kind, make in _documents(workspace, history, version):
        document = partial(_one_argument, cache(make))
        for fmt, writer in DOCUMENT_WRITERS.items():
            yield written_by(f"{folder}/{kind}.{fmt}", writer, document, notice, when, kind, fmt)
    if version.amendment is not None:
        kaibun = partial(_one_argument, cache(partial(kaibun_document, version, "kaibun")))
        yield written_by(
            f"{folder}/kaibun.txt", writers.document_txt, kaibun, notice, when, "kaibun", "txt"
        )
    for attachment in version.notice.attachments:
        if isinstance(attachment, AreaTable) and attachment.id == "別添1":
            table = attachment
            label = f"{format_wareki(version.date)}時点"
            subject = history.notice.number or notice
            title = history.notice.title
            table_writers: tuple[tuple[str, Callable[..., bytes], Arguments], ...] = (
                ("csv", writers.table_csv, _constant(table)),
                ("xlsx", writers.table_xlsx, _constant(table, title, subject, label)),
                ("pdf", writers.table_pdf, _constant(table, history.notice, label)),
            )
            for fmt, writer, arguments in table_writers:
                yield written_by(
                    f"{folder}/beppyo1.{fmt}", writer, arguments, notice, when, "beppyo1", fmt
                )


def index_json(entries: list[dict[str, object]]) -> bytes:
    """The index of everything built: file, notice, version, kind, format, size, sha256,
    and the content key that lets the next build keep the file."""
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


SiteMaker = Callable[[list[dict[str, object]]], Iterator[tuple[str, bytes]]]
"""Makes the publication site from the index entries of everything else built."""


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
) -> Written:
    """Write every file into a temporary sibling of ``out`` and swap it in at the end,
    keeping the previous build's files whose content key is unchanged and making the
    others on up to ``jobs`` cores; ``inputs`` (:func:`builder.build.cache.inputs_digest`)
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
        return _write_locked(out, files, site, jobs, inputs, reuse)


def _write_locked(
    out: Path,
    files: Iterator[Output],
    site: SiteMaker | None,
    jobs: int,
    inputs: str | None,
    reuse: bool,
) -> Written:
    try:
        check_replaceable(out)
        recover(out)
        staging = make_staging(out)
    except OSError as exc:
        raise NoticeError(f"--out {out}: cannot write there: {exc.strerror}") from None
    try:
        entries = _write_files(out if reuse else None, staging, list(files), jobs)
        kept = sum(1 for entry in entries if entry.pop("kept", False))
        if site is not None:
            for path, data in site(list(entries)):
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                entries.append(_entry(path, data, "", "", "site", path.rsplit(".", 1)[-1]))
        if inputs is not None:
            (staging / INPUTS).write_text(inputs + "\n", encoding="ascii")
        (staging / INDEX).write_bytes(index_json(entries))
        (staging / ".gitkeep").touch()
        swap(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise NoticeError(f"--out {out}: cannot write there: {exc.strerror}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(len(entries), len(entries) - kept, kept)


def _write_files(
    previous_build: Path | None, staging: Path, files: list[Output], jobs: int
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
    for made in make_files(staging, tasks, jobs):
        done[to_make[made.index]] = (made.size, made.sha256, False)
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
    )
