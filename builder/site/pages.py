"""Which pages the publication site has, where each lives, and what each shows.

Paths are relative to the site folder (``site/`` under the build output)::

    index.html                          the notices
    downloads.html                      every generated file (size, sha256 folded away);
                                        様式例 if any, per form
    search-index.js                     the search box's prebuilt index (builder.site.search)
    prefectures/index.html              every prefecture of the area tables (if any)
    prefectures/<都道府県>.html           one prefecture: its row as of each version, the
                                        amendments that touched it, its 様式例
    <notice>/index.html                 one notice: its versions and amendments
    <notice>/<YYYY-MM-DD>/index.html    the consolidated text as of that version
    <notice>/<YYYY-MM-DD>/amendment.html  the amendment of that date: 改め文, 新旧対照表,
                                        cover notice, distribution letter

``<notice>`` is the notice id, as in the build's own folders. Links between pages and to
the generated files are relative (percent-encoded), so the site works from ``file://``
and from any folder of any static host, as long as it stays next to the files it lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from builder.documents.paths import (
    form_file_name,
    form_name,
    notice_folder,
    version_folder,
    version_name,
)
from builder.engine.amend import History, Version
from builder.japanese import PREFECTURES, format_wareki, format_wareki_month
from builder.sources.workspace import Workspace

SITE = "site"
"""The site's folder under the build output."""

KIND_LABELS = {
    "consolidated": "本文（溶け込み版）",
    "kaibun": "改め文",
    "cover-notice": "改正通知",
    "distribution-letter": "送付文（別記団体宛て）",
    "comparison": "新旧対照表",
    "form": "様式例",
}
"""What each kind of generated file is called on the site (unknown kinds show as is; a
``table`` shows as its attachment's id, 「別添1」)."""

FORMAT_LABELS = {
    "txt": "テキスト",
    "docx": "Word",
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "Excel",
}

COMMON = "（共通）"
"""Where a form entry without a prefecture is listed."""

_PREFECTURE_ORDER = {prefecture.name: prefecture.code for prefecture in PREFECTURES}


@lru_cache(maxsize=8192)
def href(page: str, target: str) -> str:
    """The relative, percent-encoded URL from the site page ``page`` to ``target`` (both
    relative to the build output folder). Cached: a page links the same files many
    times, and ``posixpath.relpath`` resolves both paths against the working folder."""
    start = posixpath.dirname(page)
    return quote(posixpath.relpath(target, start or "."), safe="/")


def site_path(path: str) -> str:
    """A site page's path relative to the build output folder."""
    return f"{SITE}/{path}"


def _text(entry: dict[str, object], key: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise TypeError(f"index entry {entry.get('file')!r}: {key} is not text")
    return value


@dataclass(frozen=True)
class Download:
    """One generated file, from its index entry."""

    file: str
    notice: str
    version: str
    kind: str
    format: str
    size: int
    sha256: str
    prefecture: str = ""
    area: str = ""
    attachment: str = ""
    form: str = ""
    """A 様式例's form id (its entry's ``form``)."""
    form_title: str = ""
    """A 様式例's title (「区域対応方針（様式例）」), set by :func:`plan` from the forms."""

    @classmethod
    def from_entry(cls, entry: dict[str, object]) -> Download:
        """The download of one index entry (``file``, ``notice``, ``version``, ``kind``,
        ``format``, ``size``, ``sha256``; form entries add ``form`` and may add
        ``prefecture``, ``area``; table entries add ``attachment``)."""
        size = entry.get("size")
        if not isinstance(size, int):
            raise TypeError(f"index entry {entry.get('file')!r}: size is not a number")
        return cls(
            _text(entry, "file"),
            _text(entry, "notice"),
            _text(entry, "version"),
            _text(entry, "kind"),
            _text(entry, "format"),
            size,
            _text(entry, "sha256"),
            _text(entry, "prefecture"),
            _text(entry, "area"),
            _text(entry, "attachment"),
            _text(entry, "form"),
        )

    @property
    def kind_label(self) -> str:
        """「本文（溶け込み版）」, 「新旧対照表」, 「別添1」 …"""
        if self.kind == "table" and self.attachment:
            return self.attachment
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def format_label(self) -> str:
        """「PDF」, 「Word」 …"""
        return FORMAT_LABELS.get(self.format, self.format)

    @property
    def name(self) -> str:
        """The file name without its folders."""
        return posixpath.basename(self.file)

    @property
    def save_as(self) -> str:
        """The name a 様式例 is saved under (「区域対応方針_兵庫県_東播磨.xlsx」, the
        ``download`` attribute of its links); empty for other files (saved as named)."""
        if self.kind != "form" or not self.form_title:
            return ""
        return form_file_name(self.form_title, self.prefecture, self.area, self.format)

    @property
    def size_text(self) -> str:
        """「11,647 バイト」."""
        return f"{self.size:,} バイト"


@dataclass(frozen=True)
class VersionPage:
    """One version of a notice: its text page and, for an amendment, its amendment page."""

    version: Version
    path: str
    amendment_path: str | None
    downloads: tuple[Download, ...]

    @property
    def date(self) -> dt.date:
        """The date the version is in force from."""
        return self.version.date

    @property
    def wareki(self) -> str:
        """「令和7年3月27日」."""
        return format_wareki(self.version.date)

    @property
    def issued_wareki(self) -> str:
        """The issue date of the amendment (or notice) that made this version (和暦)."""
        amendment = self.version.amendment
        return format_wareki(amendment.date if amendment is not None else self.version.date)

    @property
    def applies_note(self) -> str:
        """「（令和7年4月1日から適用）」 for an amendment whose 適用日 is not its issue date;
        empty otherwise."""
        amendment = self.version.amendment
        if amendment is None or amendment.effective is None:
            return ""
        return f"（{format_wareki(amendment.effective)}から適用）"

    @property
    def label(self) -> str:
        """「原文」 or 「一部改正」."""
        return "原文" if self.version.amendment is None else "一部改正"

    @property
    def number(self) -> str:
        """The number of the notice or of the amendment that made this version."""
        amendment = self.version.amendment
        if amendment is not None:
            return amendment.number
        return self.version.notice.number or "事務連絡"


@dataclass(frozen=True)
class FormRow:
    """The form downloads of one prefecture and area (every format)."""

    prefecture: str
    area: str
    downloads: tuple[Download, ...]


def version_wareki(version: str) -> str:
    """A version name or a form's version in 和暦: 「令和7年3月27日」 for 「2025-03-27」,
    「令和7年3月27日（医政発0327第2号）」 for 「2025-03-27_医政発0327第2号」
    (:func:`builder.documents.paths.version_name`), 「令和6年5月」 for 「2024-05」;
    anything else as is."""
    iso, _, number = version.partition("_")
    try:
        if len(iso) == len("2024-05"):
            wareki = format_wareki_month(dt.date.fromisoformat(f"{iso}-01"))
        else:
            wareki = format_wareki(dt.date.fromisoformat(iso))
    except ValueError:
        return version
    return f"{wareki}（{number}）" if number else wareki


@dataclass(frozen=True)
class FormGroup:
    """The downloads of one 様式例: blank (no notice), or prefilled per prefecture and area
    from one version of a notice's table."""

    form: str
    title: str
    notice: str
    version: str
    rows: tuple[FormRow, ...]

    @property
    def name(self) -> str:
        """The 様式名 (「区域対応方針」)."""
        return form_name(self.title)

    @property
    def version_wareki(self) -> str:
        """The version in 和暦 (「令和7年3月27日」, a blank form's 「令和6年5月」)."""
        return version_wareki(self.version)

    @property
    def downloads(self) -> tuple[Download, ...]:
        """Every file of the group, row by row."""
        return tuple(download for row in self.rows for download in row.downloads)


@dataclass(frozen=True)
class NoticeSite:
    """One notice: its overview page and the pages of its versions (oldest first)."""

    history: History
    path: str
    versions: tuple[VersionPage, ...]

    @property
    def title(self) -> str:
        """The notice's title as originally issued."""
        return self.history.notice.title

    @property
    def current_title(self) -> str:
        """The title as in force in the latest version."""
        return self.latest.version.notice.title

    @property
    def number(self) -> str:
        """Its 文書番号, or 「事務連絡」."""
        return self.history.notice.number or "事務連絡"

    @property
    def wareki(self) -> str:
        """Its date of issue in 和暦."""
        return format_wareki(self.history.notice.date)

    @property
    def latest(self) -> VersionPage:
        """The version in force now (the last one)."""
        return self.versions[-1]

    @property
    def amendments(self) -> tuple[VersionPage, ...]:
        """The versions made by an amendment."""
        return tuple(page for page in self.versions if page.amendment_path is not None)


@dataclass(frozen=True)
class Site:
    """Every page of the site and the downloads they list."""

    notices: tuple[NoticeSite, ...]
    downloads: tuple[Download, ...]

    @property
    def forms(self) -> tuple[FormGroup, ...]:
        """The 様式例 downloads per form, notice and version: the blank forms first (one
        group each), then the prefilled ones with the prefectures in JIS code order."""
        groups: dict[tuple[str, str, str, str], dict[tuple[str, str], list[Download]]] = {}
        for download in self.downloads:
            if download.kind == "form":
                key = (download.notice, download.form, download.form_title, download.version)
                rows = groups.setdefault(key, {})
                where = (download.prefecture or COMMON, download.area)
                rows.setdefault(where, []).append(download)
        result = []
        for (notice, form, title, version), rows in groups.items():
            ordered = sorted(rows.items(), key=lambda item: _prefecture_key(item[0][0]))
            files = tuple(FormRow(pref, area, tuple(found)) for (pref, area), found in ordered)
            result.append(FormGroup(form, title or form, notice, version, files))
        return tuple(sorted(result, key=lambda group: group.notice != ""))

    @property
    def documents(self) -> tuple[tuple[str, tuple[tuple[str, tuple[Download, ...]], ...]], ...]:
        """The downloads of each notice that are not 様式例, as (notice id, (version name,
        its files) …), in index order."""
        by_notice: dict[str, dict[str, list[Download]]] = {}
        for download in self.downloads:
            if download.kind != "form" and download.notice:
                versions = by_notice.setdefault(download.notice, {})
                versions.setdefault(download.version, []).append(download)
        return tuple(
            (notice, tuple((version, tuple(found)) for version, found in versions.items()))
            for notice, versions in by_notice.items()
        )

    def notice_title(self, notice_id: str) -> str:
        """The title of the notice ``notice_id``, or the id if the site does not know it."""
        for notice in self.notices:
            if notice.history.notice.id == notice_id:
                return notice.title
        return notice_id


def prefecture_key(name: str) -> int:
    """Sorts prefectures in JIS code order, 「（共通）」 first and other labels last."""
    return _prefecture_key(name)


def _prefecture_key(name: str) -> int:
    return 0 if name == COMMON else _PREFECTURE_ORDER.get(name, len(_PREFECTURE_ORDER) + 1)


def plan(workspace: Workspace, entries: Iterable[dict[str, object]]) -> Site:
    """The site for the notices of ``workspace`` and the generated files in ``entries``."""
    titles = {form_id: form.title for form_id, form in workspace.forms.items()}
    downloads = tuple(
        dataclasses.replace(download, form_title=titles.get(download.form, ""))
        for download in (Download.from_entry(entry) for entry in entries)
    )
    notices = []
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        folder = notice_folder(notice.id)
        versions = []
        for version in history.versions:
            when = version_name(history, version)
            here = version_folder(history, version)
            amendment_path = None
            if version.amendment is not None:
                amendment_path = f"{here}/amendment.html"
            mine = tuple(d for d in downloads if d.notice == notice.id and d.version == when)
            versions.append(VersionPage(version, f"{here}/index.html", amendment_path, mine))
        notices.append(NoticeSite(history, f"{folder}/index.html", tuple(versions)))
    return Site(tuple(notices), downloads)
