"""Where the files of a build go: the one home of the folder and version names that the
build writes and the site links to.

A notice's versions are named by the date they take effect (「2025-03-27」); when two
versions of one notice share a date (two amendments issued the same day), each is named
by the date and the amendment's number (「2025-03-27_医政発0327第2号」). The name is the
version's folder under the notice's folder, and the ``version`` of its files in
``index.json``, by which the site finds each version's downloads.

A 様式例 is saved as 「<様式名>_<都道府県>_<区域>.<ext>」 (:func:`form_file_name`): the
name a prefecture keeps on its desktop says which form, prefecture and area it is.
"""

from __future__ import annotations

import re

from builder.core.filenames import safe_component
from builder.engine.amend import History, Version

__all__ = ["form_file_name", "form_name", "notice_folder", "version_folder", "version_name"]

FORM_EXAMPLE_MARK = "（様式例）"
"""Closes a form's title (「区域対応方針（様式例）」) and is not part of its name."""

_NOT_IN_FILE_NAMES = re.compile(r"[/\\:*?\"<>|\x00-\x1f]")


def version_name(history: History, version: Version) -> str:
    """「2025-03-27」, or 「2025-03-27_医政発0327第2号」 when another version of the notice
    has the same date."""
    name = version.date.isoformat()
    if version.amendment is not None:
        same_day = sum(1 for other in history.versions if other.date == version.date)
        if same_day > 1:
            name = f"{name}_{version.amendment.number}"
    return name


def notice_folder(notice_id: str) -> str:
    """The folder of a notice's files (relative to the output or site folder)."""
    return safe_component(notice_id)


def version_folder(history: History, version: Version) -> str:
    """The folder of one version: 「医政発0731第1号/2025-03-27」."""
    return f"{notice_folder(history.notice.id)}/{safe_component(version_name(history, version))}"


def form_name(title: str) -> str:
    """The 様式名 of a form whose title is ``title``: 「区域対応方針」 for
    「区域対応方針（様式例）」 (a title without the mark is its own name)."""
    name = title.strip(" \u3000")
    if name.endswith(FORM_EXAMPLE_MARK) and name != FORM_EXAMPLE_MARK:
        name = name[: -len(FORM_EXAMPLE_MARK)].rstrip(" \u3000")
    return name


def form_file_name(title: str, prefecture: str, area: str, fmt: str) -> str:
    """The name a 様式例 is saved under: 「区域対応方針_兵庫県_東播磨.xlsx」, or
    「区域対応方針.xlsx」 for the blank form (no prefecture or area). A character no file
    name may hold (「/」, 「:」 …) becomes 「＿」, so any title gives a portable name."""
    parts = [form_name(title), prefecture, area]
    stem = "_".join(part for part in parts if part)
    return safe_component(_NOT_IN_FILE_NAMES.sub("＿", f"{stem}.{fmt}"))
