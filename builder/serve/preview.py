"""The two phases of a preview rebuild, run in this process so that everything loaded
stays loaded: :meth:`Preview.pages` loads and checks the sources and renders the site's
pages in memory (what the open pages show, in a fraction of a second);
:meth:`Preview.files` then builds every file into the preview folder with
:func:`builder.build.write.build` (made or kept, swapped in whole, under the folder's
lock). :func:`warm_up` makes one file of each kind and format once, so that the first
edit does not pay for loading a writer."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.build.build_record import INDEX, inputs_digest, up_to_date
from builder.build.out_folder import check_out_folder
from builder.build.plan import outputs
from builder.build.write import Written, build
from builder.core.safe_files import UnsafePathError, open_regular
from builder.drafting.check import check_workspace
from builder.site import site_outputs
from builder.sources.workspace import Workspace
from builder.writers.text import render_text


@dataclass(frozen=True)
class Loaded:
    """Sources that passed ``notices check``, read at ``inputs``
    (:func:`builder.build.build_record.inputs_digest`), with their site's pages (path under the
    preview folder → bytes) and their drafts (``file: number``, left out of the build)."""

    workspace: Workspace
    inputs: str
    pages: dict[str, bytes]
    drafts: tuple[str, ...]


class Preview:
    """The preview of the project at ``root``, built into ``out`` (which must pass the
    rule of every output folder: :func:`builder.build.out_folder.check_out_folder`)."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = check_out_folder(root, out)

    def pages(self) -> Loaded:
        """Load and check the sources and render the site's pages, listing the files of
        the last build in the folder (those being made are listed once they are);
        ``NoticeError`` with every problem otherwise."""
        inputs = inputs_digest(self.root)  # before reading: an edit meanwhile is seen next
        workspace = Workspace(self.root)
        check_workspace(workspace, render_text)
        pages = dict(site_outputs(workspace, self.built_entries()))
        project = workspace.project
        drafts = tuple(
            f"{draft.source}: {draft.number}"
            for notice in project.notices
            for draft in project.drafts_of(notice.id)
        )
        return Loaded(workspace, inputs, pages, drafts)

    def files(
        self, loaded: Loaded, jobs: int = 1, say: Callable[[str], None] | None = None
    ) -> Written | None:
        """Build every file of ``loaded`` into the folder on ``jobs`` processes (1: in
        this process, warm), waiting for another command that holds its lock; None when
        the folder already holds this very build."""
        if up_to_date(self.out, loaded.inputs):
            return None
        return build(loaded.workspace, self.out, jobs, loaded.inputs, True, True, say)

    def built_entries(self) -> list[dict[str, object]]:
        """The index entries of the files (not the site) of the last build in the folder;
        [] if there is none or it cannot be read."""
        try:
            with open_regular(self.out / INDEX) as handle:
                entries = json.loads(handle.read().decode("utf-8"))
        except (OSError, UnsafePathError, ValueError):
            return []
        if not isinstance(entries, list):
            return []
        return [e for e in entries if isinstance(e, dict) and e.get("kind") != "site"]

    def built_file(self, path: str) -> bytes | None:
        """The bytes of ``path`` (under the folder) as the last build wrote it, or None."""
        try:
            with open_regular(self.out / path) as handle:
                return handle.read()
        except (OSError, UnsafePathError):
            return None


def warm_up(workspace: Workspace, stop: Callable[[], bool]) -> int:
    """Make (and drop) one file of each kind and format of ``workspace`` in this process,
    so that each writer's libraries, fonts and templates are loaded before the first edit;
    stops early when ``stop()`` says so. Returns how many were made."""
    seen: set[tuple[str, str]] = set()
    made = 0
    for output in outputs(workspace):
        if (output.kind, output.format) in seen:
            continue
        if stop():
            break
        seen.add((output.kind, output.format))
        output.make()
        made += 1
    return made
