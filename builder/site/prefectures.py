"""The site's pages per prefecture, for prefectures to find what concerns them: for every
notice with an area table (the area-table profile), the prefecture's row as of each
version, the amendments that touched that row (with the text before and after and the
dates each took effect), and the 様式例 prefilled for its areas.

The rows come from the profile's functions (:func:`builder.engine.area_profile.prefecture_rows`
and :func:`~builder.engine.area_profile.rows_touched`); a notice without an area table has
no part here. Paths are relative to the site folder::

    prefectures/index.html          every prefecture, with its row as in force now
    prefectures/<都道府県>.html       one prefecture
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.core.filenames import safe_component
from builder.engine.area_profile import PrefectureRow, prefecture_rows, rows_touched
from builder.site.pages import (
    Download,
    FormGroup,
    NoticeSite,
    Site,
    VersionPage,
    prefecture_key,
)

FOLDER = "prefectures"
INDEX = f"{FOLDER}/index.html"


@dataclass(frozen=True)
class RowState:
    """A prefecture's row as of one version of a notice."""

    page: VersionPage
    row: PrefectureRow | None
    """None when the table of that version has no row for the prefecture."""
    since: VersionPage
    """The first version of the run of versions in which the row reads the same."""
    touched: bool
    """Whether the amendment that made this version touched the row."""

    @property
    def text(self) -> str:
        """The row as printed (「東播磨」, 「調整中」), or 「（表に記載なし）」."""
        return self.row.text if self.row is not None else "（表に記載なし）"


@dataclass(frozen=True)
class RowChange:
    """An amendment that touched the prefecture's row: the row before and after it."""

    before: RowState
    after: RowState

    @property
    def page(self) -> VersionPage:
        """The version the amendment made (its page and amendment page)."""
        return self.after.page


@dataclass(frozen=True)
class PrefectureNotice:
    """One prefecture in one notice's area table."""

    notice: NoticeSite
    table: str
    states: tuple[RowState, ...]

    @property
    def current(self) -> RowState:
        """The row as in force now (the latest version)."""
        return self.states[-1]

    @property
    def changes(self) -> tuple[RowChange, ...]:
        """The amendments that touched the row, oldest first."""
        return tuple(
            RowChange(self.states[index - 1], state)
            for index, state in enumerate(self.states)
            if index and state.touched
        )


@dataclass(frozen=True)
class FormArea:
    """The files of one 様式例 prefilled for one area."""

    area: str
    downloads: tuple[Download, ...]


@dataclass(frozen=True)
class PrefectureForms:
    """One 様式例 prefilled for each area of the prefecture."""

    group: FormGroup
    areas: tuple[FormArea, ...]


@dataclass(frozen=True)
class PrefecturePage:
    """The page of one prefecture."""

    name: str
    path: str
    notices: tuple[PrefectureNotice, ...]
    forms: tuple[PrefectureForms, ...]


def _states(notice: NoticeSite, prefecture: str) -> tuple[str, tuple[RowState, ...]] | None:
    """The table id and the prefecture's row as of each version; None if no version of the
    notice has an area table with that prefecture."""
    states: list[RowState] = []
    table = ""
    for page in notice.versions:
        rows = prefecture_rows(page.version.notice)
        table = table or (rows[0].table if rows else "")
        row = next((r for r in rows if r.prefecture == prefecture), None)
        touched = prefecture in rows_touched(table, page.version.changes) if table else False
        state = RowState(page, row, page, touched)
        if states and states[-1].text == state.text:
            state = RowState(page, row, states[-1].since, touched)
        states.append(state)
    if not any(state.row is not None for state in states):
        return None
    return table, tuple(states)


def _names(site: Site) -> list[str]:
    """Every prefecture of any version of any notice's area table, in JIS code order."""
    names: set[str] = set()
    for notice in site.notices:
        for page in notice.versions:
            names.update(row.prefecture for row in prefecture_rows(page.version.notice))
    return sorted(names, key=lambda name: (prefecture_key(name), name))


def _forms(site: Site, prefecture: str) -> tuple[PrefectureForms, ...]:
    found = []
    for group in site.forms:
        areas = tuple(
            FormArea(row.area, row.downloads) for row in group.rows if row.prefecture == prefecture
        )
        if areas:
            found.append(PrefectureForms(group, areas))
    return tuple(found)


def page_path(prefecture: str) -> str:
    """The page of a prefecture, relative to the site folder: 「prefectures/兵庫県.html」."""
    return f"{FOLDER}/{safe_component(prefecture)}.html"


def prefecture_pages(site: Site) -> tuple[PrefecturePage, ...]:
    """A page for every prefecture named in an area table of any notice (none when no
    notice has one), in JIS code order."""
    pages = []
    for name in _names(site):
        notices = []
        for notice in site.notices:
            found = _states(notice, name)
            if found is not None:
                notices.append(PrefectureNotice(notice, *found))
        pages.append(PrefecturePage(name, page_path(name), tuple(notices), _forms(site, name)))
    return tuple(pages)
