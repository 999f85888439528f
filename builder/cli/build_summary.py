"""What ``notices build`` says when it is done: that ``out/`` was up to date, and where
the site's index is. Imports only the standard library: the no-op is answered before
click loads (:mod:`builder.cli.quick_build`)."""

from __future__ import annotations

from pathlib import Path

from builder.core.messages import bilingual


def up_to_date_lines(out: Path) -> list[str]:
    """What ``notices build`` says when ``out`` (as the user gave it) is up to date: that,
    and where the site's index is."""
    lines = [
        bilingual(
            f"{out} は最新です。ソース、テンプレート、ビルダーのどれも変わっていません",
            f"{out} is up to date: no source, template or part of the builder changed",
        )
    ]
    index = site_index_line(out)
    return lines if index is None else [*lines, index]


def site_index_line(out: Path) -> str | None:
    """The last line of a build: where to open the site (None: the build has no site)."""
    index = site_index(out)
    if index is None:
        return None
    return bilingual(f"サイトの入口: {index}", f"the site's index: {index}")


def site_index(out: Path) -> Path | None:
    """The site's front page in a built folder: ``site/index.html`` when it is a regular
    file (no index.json to parse: a no-op build of 100 notices would spend 0.2 s on it),
    else the shallowest index.html its index.json lists as part of the site (None if it
    lists none)."""
    front = out / "site" / "index.html"
    if not front.is_symlink() and front.is_file():
        return front.resolve()
    import json  # only for a build whose site has no front page where it usually is

    try:
        entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pages = [
        str(e["file"])
        for e in entries
        if e.get("kind") == "site" and str(e.get("file", "")).rsplit("/", 1)[-1] == "index.html"
    ]
    if not pages:
        return None
    return (out / min(pages, key=lambda page: (page.count("/"), page))).resolve()
