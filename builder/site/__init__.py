"""The publication site: static HTML pages of every notice as of each version, each
amendment (改め文, 新旧対照表, cover notice, distribution letter) and every generated
file, under ``site/`` in the build output.

No server-side code and no absolute links: the pages work from ``file://`` and from any
folder of a static host. The only script (``static/site.js``) makes the version selector
navigate (without it, the 改正の経緯 table links every version) and runs the search box
over the prebuilt ``search-index.js`` (:mod:`builder.site.search`; without the script
the box stays hidden). Each prefecture of an area table has its own page
(:mod:`builder.site.prefectures`). Pages are rendered with
Jinja2 (autoescape on) from ``builder/site/templates``; documents are turned into HTML by
``builder.writers.html``, which escapes every text.

Use :func:`site_outputs` after every other file of the build was written, with the index
entries of those files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

from builder.documents.compose import (
    comparison,
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.site.pages import (
    SITE,
    Download,
    NoticeSite,
    Site,
    VersionPage,
    href,
    plan,
    site_path,
    version_wareki,
)
from builder.site.prefectures import INDEX as PREFECTURE_INDEX
from builder.site.prefectures import PrefecturePage, prefecture_pages
from builder.site.search import INDEX_FILE as SEARCH_INDEX
from builder.site.search import search_index_script
from builder.sources.workspace import Workspace
from builder.writers.html import render_html

__all__ = ["SITE", "STATIC_FILES", "render_html", "site_outputs"]

SITE_NAME = "通知の溶け込み版と改正履歴"

STATIC_FILES = ("site.css", "site.js", "favicon.svg")
"""Files copied from ``builder/site/static`` to ``site/static``."""

AMENDMENT_KINDS = frozenset({"kaibun", "cover-notice", "distribution-letter", "comparison"})
"""Generated files listed on an amendment's page (the others on the version's page)."""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("builder.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class _Section:
    """One document of an amendment's page."""

    id: str
    heading: str
    document: Markup


def _render(template: str, at: str, with_prefectures: bool, **values: object) -> bytes:
    """The page at ``at`` (relative to the site folder) from ``template``; the header
    links 都道府県別 when ``with_prefectures`` (the site has prefecture pages)."""
    here = site_path(at)

    def link(target: str) -> str:
        return href(here, site_path(target))

    def file_link(download: Download) -> str:
        return href(here, download.file)

    def file_link_path(target: str) -> str:
        return href(here, target)

    loaded = _environment().get_template(template)
    defaults: dict[str, object] = {"crumbs": (), "current": "", "current_kind": ""}
    text = loaded.render(
        {
            **defaults,
            **values,
            "site_name": SITE_NAME,
            "link": link,
            "file_link": file_link,
            "file_link_path": file_link_path,
            "wareki": version_wareki,
            "has_prefectures": with_prefectures,
            "prefecture_index": PREFECTURE_INDEX,
            "search_index": SEARCH_INDEX,
        }
    )
    return text.encode("utf-8")


def _crumbs(notice: NoticeSite, last: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("通知一覧", "index.html")]
    if last is None:
        return [*crumbs, (notice.number, None)]
    return [*crumbs, (notice.number, notice.path), (last, None)]


def _version_page(notice: NoticeSite, page: VersionPage, prefectures: bool) -> bytes:
    document = render_html(consolidated(page.version, "consolidated"), heading_level=2)
    downloads = tuple(d for d in page.downloads if d.kind not in AMENDMENT_KINDS)
    return _render(
        "version.html.j2",
        page.path,
        prefectures,
        notice=notice,
        page=dataclasses.replace(page, downloads=downloads),
        document=document,
        crumbs=_crumbs(notice, f"{page.wareki}時点"),
        current_kind="version",
    )


def _amendment_page(
    workspace: Workspace, notice: NoticeSite, page: VersionPage, prefectures: bool
) -> bytes:
    history = notice.history
    version = page.version
    amendment = version.amendment
    assert amendment is not None and page.amendment_path is not None
    templates = workspace.templates
    sections = [
        _Section(
            "kaibun", "改め文", render_html(kaibun_document(version, "kaibun"), id_prefix="k-")
        ),
        _Section(
            "comparison",
            "新旧対照表",
            render_html(
                comparison(history.before(version), version, "comparison"),
                heading_level=3,
                id_prefix="c-",
            ),
        ),
        _Section(
            "cover-notice",
            "改正通知（各都道府県知事宛て）",
            render_html(
                cover_notice(history, version, templates, "cover-notice"),
                heading_level=3,
                id_prefix="n-",
            ),
        ),
    ]
    if amendment.letter is not None:
        letter = distribution_letter(
            workspace.project, history, version, templates, "distribution-letter"
        )
        sections.append(
            _Section(
                "distribution-letter",
                "送付文（別記団体の長宛て）",
                render_html(letter, heading_level=3, id_prefix="l-"),
            )
        )
    downloads = tuple(d for d in page.downloads if d.kind in AMENDMENT_KINDS)
    return _render(
        "amendment.html.j2",
        page.amendment_path,
        prefectures,
        notice=notice,
        page=page,
        sections=sections,
        downloads=downloads,
        crumbs=_crumbs(notice, f"{page.wareki}一部改正"),
        current_kind="amendment",
    )


def _downloads_page(site: Site, prefectures: tuple[PrefecturePage, ...]) -> bytes:
    return _render(
        "downloads.html.j2",
        "downloads.html",
        bool(prefectures),
        forms=site.forms,
        documents=site.documents,
        notice_title=site.notice_title,
        prefecture_paths={page.name: page.path for page in prefectures},
        crumbs=[("通知一覧", "index.html"), ("ダウンロード", None)],
        current="downloads",
    )


def _sources(prefectures: tuple[PrefecturePage, ...]) -> list[tuple[str, str, str]]:
    """The (number, table id, overview page) of every notice the prefecture pages show."""
    found: dict[tuple[str, str, str], None] = {}
    for page in prefectures:
        for part in page.notices:
            found[(part.notice.number, part.table, part.notice.path)] = None
    return list(found)


def _prefecture_pages(prefectures: tuple[PrefecturePage, ...]) -> Iterator[tuple[str, bytes]]:
    """The index of the prefectures and the page of each (none without area tables)."""
    if not prefectures:
        return
    index = _render(
        "prefectures.html.j2",
        PREFECTURE_INDEX,
        True,
        prefectures=prefectures,
        sources=_sources(prefectures),
        crumbs=[("通知一覧", "index.html"), ("都道府県別", None)],
        current="prefectures",
    )
    yield site_path(PREFECTURE_INDEX), index
    for page in prefectures:
        crumbs = [("通知一覧", "index.html"), ("都道府県別", PREFECTURE_INDEX), (page.name, None)]
        yield (
            site_path(page.path),
            _render("prefecture.html.j2", page.path, True, page=page, crumbs=crumbs),
        )


def _static(name: str) -> bytes:
    return files("builder.site").joinpath("static", name).read_bytes()


def site_outputs(
    workspace: Workspace, entries: Iterable[dict[str, object]]
) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (path relative to the build output, bytes), all under
    ``site/``, in a stable order; the same input gives the same bytes.

    ``entries`` are the index entries of every other generated file (``file``, ``notice``,
    ``version``, ``kind``, ``format``, ``size``, ``sha256``; entries of kind ``form`` may
    carry ``prefecture`` and ``area`` and are listed under 様式例 and on the page of
    their prefecture). The pages link to those files relatively, so the site must stay in
    the same output folder.
    """
    site = plan(workspace, entries)
    prefectures = prefecture_pages(site)
    shown = bool(prefectures)
    for name in STATIC_FILES:
        yield f"{SITE}/static/{name}", _static(name)
    yield site_path(SEARCH_INDEX), search_index_script(site, prefectures)
    yield (
        f"{SITE}/index.html",
        _render("index.html.j2", "index.html", shown, notices=site.notices, current="index"),
    )
    yield f"{SITE}/downloads.html", _downloads_page(site, prefectures)
    yield from _prefecture_pages(prefectures)
    for notice in site.notices:
        overview = _render(
            "notice.html.j2", notice.path, shown, notice=notice, crumbs=_crumbs(notice)
        )
        yield site_path(notice.path), overview
        for page in notice.versions:
            yield site_path(page.path), _version_page(notice, page, shown)
            if page.amendment_path is not None:
                yield (
                    site_path(page.amendment_path),
                    _amendment_page(workspace, notice, page, shown),
                )
