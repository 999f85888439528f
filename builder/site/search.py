"""The site's search index: a small prebuilt list of the notices, amendments, prefectures
and areas, written as a script (``site/search-index.js``) that sets
``window.NOTICES_SEARCH_INDEX``. The search box (``static/site.js``) loads it with a
``<script>`` element on first use, so searching works from ``file://`` with no server
(a browser refuses ``fetch`` of a local JSON file, not a script).

Each entry has a kind (通知, 改正, 都道府県, 区域), a title and a detail line to show, the
page's URL relative to the site folder (percent-encoded), and ``text``: everything it is
found by, normalised as the script normalises the query (:func:`normalise`: NFKC, so
full-width digits and letters match half-width ones; lower case; no white space).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from builder.documents.compose import kaibun_document
from builder.engine.area_profile import prefecture_rows
from builder.site.pages import NoticeSite, Site, version_wareki
from builder.site.prefectures import PrefecturePage
from builder.writers.text import render_text

INDEX_FILE = "search-index.js"
"""The index, relative to the site folder."""

GLOBAL = "NOTICES_SEARCH_INDEX"
"""The name of the global the index script sets (read by ``static/site.js``)."""


def normalise(text: str) -> str:
    """``text`` as searched: NFKC, lower case, white space removed (the script does the
    same to each word of the query)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@dataclass(frozen=True)
class SearchEntry:
    """One result the search can give."""

    kind: str
    title: str
    detail: str
    path: str
    """The page, relative to the site folder."""
    words: tuple[str, ...]
    """What it is found by besides its title and detail."""

    def as_json(self) -> dict[str, str]:
        """The entry as the script reads it."""
        found_by = " ".join((self.title, self.detail, *self.words))
        return {
            "kind": self.kind,
            "title": self.title,
            "detail": self.detail,
            "url": quote(self.path, safe="/"),
            "text": normalise(found_by),
        }


def _notice_entries(notice: NoticeSite) -> list[SearchEntry]:
    entries = [
        SearchEntry(
            "通知",
            notice.current_title,
            f"{notice.number}（{notice.wareki}）",
            notice.path,
            (notice.title, notice.history.notice.date.isoformat()),
        )
    ]
    for page in notice.amendments:
        version = page.version
        amendment = version.amendment
        assert amendment is not None and page.amendment_path is not None
        kaibun = render_text(kaibun_document(version, "kaibun"))
        entries.append(
            SearchEntry(
                "改正",
                f"{page.number}（{page.issued_wareki}一部改正）",
                f"{notice.number}「{notice.current_title}」の一部改正{page.applies_note}",
                page.amendment_path,
                (amendment.date.isoformat(), version_wareki(version.date.isoformat()), kaibun),
            )
        )
    return entries


def _prefecture_entries(page: PrefecturePage) -> list[SearchEntry]:
    now = [f"{part.notice.number} {part.table}：{part.current.text}" for part in page.notices]
    entries = [SearchEntry("都道府県", page.name, "／".join(now), page.path, ())]
    areas: dict[str, list[str]] = {}
    for part in page.notices:
        for state in part.states:
            for row in prefecture_rows(state.page.version.notice):
                if row.prefecture == page.name:
                    for area in row.areas:
                        where = f"{part.notice.number} {part.table}"
                        if where not in areas.setdefault(area, []):
                            areas[area].append(where)
    for area, tables in areas.items():
        detail = f"{page.name}の区域（{'、'.join(tables)}）"
        entries.append(SearchEntry("区域", area, detail, page.path, ()))
    return entries


def search_entries(site: Site, prefectures: tuple[PrefecturePage, ...]) -> list[SearchEntry]:
    """Every entry of the index: each notice and its amendments, then each prefecture and
    the areas it has had in any version."""
    entries: list[SearchEntry] = []
    for notice in site.notices:
        entries += _notice_entries(notice)
    for page in prefectures:
        entries += _prefecture_entries(page)
    return entries


def search_index_script(site: Site, prefectures: tuple[PrefecturePage, ...]) -> bytes:
    """The index as a script (the same input gives the same bytes)."""
    data = [entry.as_json() for entry in search_entries(site, prefectures)]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        "/* The search index of the site, made by notices build (builder/site/search.py). */\n"
        f"window.{GLOBAL} = {text};\n"
    ).encode()
