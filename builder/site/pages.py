"""Which pages the publication site has, where each lives, and what each shows.

Paths are relative to the site folder (``site/`` under the build output)::

    index.html                          the notices
    downloads.html                      every generated file (size, sha256); 様式例 if any
    <notice>/index.html                 one notice: its versions and amendments
    <notice>/<YYYY-MM-DD>/index.html    the consolidated text as of that version
    <notice>/<YYYY-MM-DD>/amendment.html  the amendment of that date: 改め文, 新旧対照表,
                                        cover notice, distribution letter

``<notice>`` is the notice id, as in the build's own folders. Links between pages and to
the generated files are relative (percent-encoded), so the site works from ``file://``
and from any folder of any static host, as long as it stays next to the files it lists.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from builder.documents.paths import notice_folder, version_folder, version_name
from builder.engine.amend import History, Version
from builder.japanese import PREFECTURES, format_wareki
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

    @classmethod
    def from_entry(cls, entry: dict[str, object]) -> Download:
        """The download of one index entry (``file``, ``notice``, ``version``, ``kind``,
        ``format``, ``size``, ``sha256``; form entries may add ``prefecture``, ``area``,
        table entries add ``attachment``)."""
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
    def forms(self) -> tuple[tuple[str, str, tuple[FormRow, ...]], ...]:
        """The 様式例 downloads as (notice, version, rows per prefecture and area), the
        prefectures in JIS code order (forms for all prefectures first)."""
        groups: dict[tuple[str, str], dict[tuple[str, str], list[Download]]] = {}
        for download in self.downloads:
            if download.kind == "form":
                rows = groups.setdefault((download.notice, download.version), {})
                key = (download.prefecture or COMMON, download.area)
                rows.setdefault(key, []).append(download)
        result = []
        for (notice, version), rows in groups.items():
            ordered = sorted(rows.items(), key=lambda item: _prefecture_key(item[0][0]))
            result.append(
                (
                    notice,
                    version,
                    tuple(FormRow(pref, area, tuple(files)) for (pref, area), files in ordered),
                )
            )
        return tuple(result)

    def notice_title(self, notice_id: str) -> str:
        """The title of the notice ``notice_id``, or the id if the site does not know it."""
        for notice in self.notices:
            if notice.history.notice.id == notice_id:
                return notice.title
        return notice_id


def _prefecture_key(name: str) -> int:
    return 0 if name == COMMON else _PREFECTURE_ORDER.get(name, len(_PREFECTURE_ORDER) + 1)


def plan(workspace: Workspace, entries: Iterable[dict[str, object]]) -> Site:
    """The site for the notices of ``workspace`` and the generated files in ``entries``."""
    downloads = tuple(Download.from_entry(entry) for entry in entries)
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
