"""Where the files of a build go: the one home of the folder and version names that the
build writes and the site links to.

A notice's versions are named by the date they take effect (「2025-03-27」); when two
versions of one notice share a date (two amendments issued the same day), each is named
by the date and the amendment's number (「2025-03-27_医政発0327第2号」). The name is the
version's folder under the notice's folder, and the ``version`` of its files in
``index.json``, by which the site finds each version's downloads.
"""

from __future__ import annotations

from builder.core.filenames import safe_component
from builder.engine.amend import History, Version

__all__ = ["notice_folder", "version_folder", "version_name"]


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
