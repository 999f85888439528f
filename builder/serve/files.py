"""Which file of the preview folder a URL path names, refusing anything that could leave
the folder: ``..``, a symlink anywhere on the way, a special file. A folder names its
``index.html``; ``/`` names the site's index."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from builder.site import SITE

HOME = f"/{SITE}/index.html"
"""Where ``/`` leads."""


@dataclass(frozen=True)
class Target:
    """What a URL path names: ``page`` (a path under the preview folder, with ``/``), or
    ``redirect`` (a URL path to send the browser to); ``page`` may not exist yet."""

    page: str = ""
    redirect: str = ""


def target(url_path: str) -> Target | None:
    """The :class:`Target` of ``url_path`` (percent-encoded, query already removed), or
    None if it is not a path the preview serves."""
    if url_path in ("", "/"):
        return Target(redirect=HOME)
    try:
        path = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if not path.startswith("/") or "\0" in path or "\\" in path:
        return None
    parts = path[1:].split("/")
    if parts[-1] == "":
        parts[-1] = "index.html"
    if any(part in ("", ".", "..") for part in parts):
        return None
    return Target(page="/".join(parts))


def regular_file(folder: Path, page: str) -> Path | None:
    """``folder/page`` if it is a regular file reached through real folders (no
    symlink on the way, checked with ``lstat``), else None."""
    current = folder
    mode = 0
    for part in page.split("/"):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
    return current if stat.S_ISREG(mode) else None


def is_folder(folder: Path, page: str) -> bool:
    """True when ``folder/page`` is a real folder (to be asked for with a ``/``)."""
    try:
        mode = os.lstat(folder / page).st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode)
