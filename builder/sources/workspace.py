"""A loaded source tree: the project, each notice's history, and lookup by what users type."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from builder.core.errors import NoticeError
from builder.engine.amend import History
from builder.japanese import best_match
from builder.model.form import Form
from builder.model.notice import Amendment, Notice, Project
from builder.sources.project import load_project


class Workspace:
    """Sources under ``root``, loaded and checked once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.project: Project = load_project(root)
        self._histories: dict[str, History] = {}

    @cached_property
    def templates(self) -> Path | None:
        """The project's own template folder, if it has one."""
        folder = self.root / "templates"
        return folder if folder.is_dir() else None

    @cached_property
    def forms(self) -> dict[str, Form]:
        """The forms of ``forms/`` that define their form, by id (each file was read once,
        with the other sources)."""
        return {f.id: f.form for f in sorted(self.project.forms, key=lambda f: f.id) if f.form}

    def history(self, notice: Notice) -> History:
        """Every version of ``notice`` (computed once)."""
        if notice.id not in self._histories:
            self._histories[notice.id] = History(notice, self.project.amendments_of(notice.id))
        return self._histories[notice.id]

    def find_notice(self, query: str) -> Notice:
        """The notice named by ``query`` (its id or number, full-width digits allowed)."""
        names = [n.id for n in self.project.notices]
        found = best_match(query, names)
        notice = self.project.notice(found) if found else None
        if notice is None:
            raise NoticeError(f"no notice 「{query}」; notices here: {'、'.join(names) or 'none'}")
        return notice

    def find_amendment(self, query: str) -> Amendment:
        """The amendment whose number is ``query`` (full-width digits allowed)."""
        numbers = [a.number for a in self.project.amendments]
        found = best_match(query, numbers)
        for amendment in self.project.amendments:
            if amendment.number == found:
                return amendment
        raise NoticeError(
            f"no amendment 「{query}」; amendments here: {'、'.join(numbers) or 'none'}"
        )
