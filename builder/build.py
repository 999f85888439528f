"""Orchestration of ``notices build``: which documents exist, where each goes, and an
atomic write of the whole output folder.

Layout under the output folder::

    <notice id>/<YYYY-MM-DD>/consolidated.txt      溶け込み版 as of that version
    <notice id>/<YYYY-MM-DD>/beppyo1.csv           別添1 as of that version (if any)
    <notice id>/<YYYY-MM-DD>/kaibun.txt            改め文 of the amendment of that date
    <notice id>/<YYYY-MM-DD>/comparison.txt        its 新旧対照表 (changed runs in 〖〗)
    <notice id>/<YYYY-MM-DD>/cover-notice.txt      its cover notice to 各都道府県知事
    <notice id>/<YYYY-MM-DD>/distribution-letter.txt  its letter to the 別記 organisations

The build writes into a temporary sibling folder and swaps it in only when everything
succeeded, so a failed build leaves the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from builder.amend import History, Version
from builder.documents import (
    comparison,
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.model import AreaTable
from builder.paths import safe_component
from builder.render.text import render_text
from builder.tabular import area_records, records_csv
from builder.workspace import Workspace


@dataclass(frozen=True)
class Output:
    """One file to write: where (relative to the output folder) and how to make it."""

    path: str
    make: Callable[[], bytes]


def version_folder(notice_id: str, version: Version) -> str:
    """The folder of one version: 「医政発0731第1号/2025-03-27」."""
    return f"{safe_component(notice_id)}/{version.date.isoformat()}"


def _text(render: Callable[[], str]) -> Callable[[], bytes]:
    return lambda: render().encode("utf-8")


def outputs(workspace: Workspace) -> Iterator[Output]:
    """Every file of a full build, in a stable order."""
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        for version in history.versions:
            yield from _version_outputs(workspace, history, version)


def _version_outputs(workspace: Workspace, history: History, version: Version) -> Iterator[Output]:
    folder = version_folder(history.notice.id, version)
    templates = workspace.templates
    yield Output(
        f"{folder}/consolidated.txt",
        _text(lambda: render_text(consolidated(version, "consolidated"))),
    )
    for attachment in version.notice.attachments:
        if isinstance(attachment, AreaTable) and attachment.id == "別添1":
            yield Output(f"{folder}/beppyo1.csv", partial(_csv_bytes, attachment))
    amendment = version.amendment
    if amendment is None:
        return
    yield Output(
        f"{folder}/kaibun.txt", _text(lambda: render_text(kaibun_document(version, "kaibun")))
    )
    before = history.before(version)
    yield Output(
        f"{folder}/comparison.txt",
        _text(lambda: render_text(comparison(before, version, "comparison"))),
    )
    yield Output(
        f"{folder}/cover-notice.txt",
        _text(lambda: render_text(cover_notice(history, version, templates, "cover-notice"))),
    )
    if amendment.letter is not None:
        yield Output(
            f"{folder}/distribution-letter.txt",
            _text(
                lambda: render_text(
                    distribution_letter(
                        workspace.project, history, version, templates, "distribution-letter"
                    )
                )
            ),
        )


def _csv_bytes(table: AreaTable) -> bytes:
    """CSV with a BOM, so that Excel opens the Japanese correctly."""
    return ("\ufeff" + records_csv(area_records(table))).encode("utf-8")


def write_atomically(out: Path, files: Iterator[Output]) -> int:
    """Write every file into a temporary sibling of ``out`` and swap it in at the end.
    Any exception leaves ``out`` untouched and removes the temporary folder."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    count = 0
    try:
        for output in files:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.make())
            count += 1
        (staging / ".gitkeep").touch()
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _old_name(out: Path) -> Path:
    return out.with_name(f".{out.name}.previous")


def _swap(staging: Path, out: Path) -> None:
    old = _old_name(out)
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _recover(out: Path) -> None:
    """Undo what a killed build left behind: restore the previous output if the swap was
    cut between its two renames, and remove abandoned staging folders."""
    old = _old_name(out)
    if old.exists() and not out.exists():
        os.replace(old, out)
    for leftover in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def build(workspace: Workspace, out: Path) -> int:
    """Build everything into ``out``; returns the number of files written."""
    return write_atomically(out, outputs(workspace))
