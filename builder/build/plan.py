"""The plan of ``notices build``: every file a build writes, where it goes, how it is
made and what it is made from (its content key). Nothing is written here
(:mod:`builder.build.write` writes the plan).

Layout under the output folder (each document in .txt, .docx and .pdf)::

    index.json                                     every file with its sha256
    <notice id>/<version>/consolidated.*           溶け込み版 as of that version
    <notice id>/<version>/<table id>.csv|xlsx|pdf  each table attachment (別添1 …) as of it
    <notice id>/<version>/kaibun.txt               改め文 of the amendment of that version
    <notice id>/<version>/cover-notice.*           its cover notice to 各都道府県知事
    <notice id>/<version>/distribution-letter.*    its letter to the 別記 organisations
    <notice id>/<version>/comparison.*             its 新旧対照表
    forms/<form id>/…                              each 様式, blank and prefilled per area
                                                   (<都道府県>/<様式名>_<都道府県>_<構想区域>.*)
    site/                                          the publication site (builder.site)

``<version>`` is the date, or the date and the amendment's number when two versions
share a date (:mod:`builder.documents.paths`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial

from builder.build.cache import (
    content_key,
)
from builder.core.filenames import safe_component
from builder.documents.compose import (
    comparison,
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.documents.paths import form_file_name, version_folder, version_name
from builder.engine.amend import History, Version
from builder.engine.area_profile import areas_by_prefecture
from builder.engine.tabular import table_attachments
from builder.forms.prefill import area_prefill
from builder.japanese import format_wareki
from builder.model.document import Document
from builder.model.form import Form
from builder.model.notice import FormRef
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
    every area of its area table (別添1) as in force on ``as_of`` (default: now), or only
    those of ``prefecture``, with 都道府県 and 構想区域 filled in and read-only
    (forms/<id>/<都道府県>/<様式名>_<都道府県>_<構想区域>.*: the name says which form it is,
    also where a browser ignores the site's ``download`` attribute, as from file://)."""
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
        areas = areas_by_prefecture(version.notice)
        if not areas:
            continue
        for ref in refs:
            loaded = workspace.forms.get(ref.form)  # None: a form still to be designed
            if loaded is None or loaded.role_field("prefecture") is None:
                continue
            form = loaded
            for row_prefecture, area_names in areas:
                if prefecture is not None and row_prefecture != prefecture:
                    continue
                for area in area_names:
                    prefill = area_prefill(form, row_prefecture, [area])
                    folder = f"forms/{safe_component(ref.form)}/{safe_component(row_prefecture)}"
                    extra = (
                        ("form", ref.form),
                        ("prefecture", row_prefecture),
                        ("area", area),
                    )
                    for fmt, writer in FORM_WRITERS.items():
                        yield written_by(
                            f"{folder}/{form_file_name(form.title, row_prefecture, area, fmt)}",
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
    for table in table_attachments(version.notice):
        label = f"{format_wareki(version.date)}時点"
        subject = history.notice.number or notice
        title = version.notice.title
        table_writers: tuple[tuple[str, Callable[..., bytes], Arguments], ...] = (
            ("csv", writers.table_csv, _constant(table)),
            ("xlsx", writers.table_xlsx, _constant(table, title, subject, label)),
            ("pdf", writers.table_pdf, _constant(table, version.notice, label)),
        )
        for fmt, writer, arguments in table_writers:
            yield written_by(
                f"{folder}/{safe_component(table.id)}.{fmt}",
                writer,
                arguments,
                notice,
                when,
                "table",
                fmt,
                (("attachment", table.id),),
            )
