"""The area-table profile (別添1) is a profile of a table, not a world of its own: its
classes are named only by its own modules (``area_*`` in each layer) and the engine's
table code, and the writers, documents, build, site and CLI know only generic tables.
These are source checks, so a new ``isinstance(x, AreaTable)`` in a writer fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILDER = ROOT / "builder"

PROFILE_MODULES = {
    "builder/model/area_table.py",
    "builder/engine/area_profile.py",
    "builder/sources/area_table.py",
    "builder/drafting/area_rows.py",
}
"""The profile's own modules, one per layer that needs one."""
ENGINE_TABLE_CODE = {
    "builder/model/notice.py",  # the Attachment and Row unions
    "builder/engine/units.py",
    "builder/engine/tabular.py",
    "builder/engine/textform.py",
    "builder/engine/amend.py",
    "builder/engine/compare.py",
    "builder/engine/kaibun.py",
    "builder/engine/kaibun_parse.py",
}
"""The engine's table code: units, records, text form, changes, 新旧対照表, 改め文."""
GENERIC_PACKAGES = ("writers", "documents", "build", "site", "cli", "serve", "verify", "forms")
"""Packages that print or ship tables and must treat every table alike."""

PROFILE_NAMES = re.compile(r"\b(AreaTable|AreaRow|AreaTableBlock)\b")
NOTICE_SPECIFIC = re.compile(r"別添1|医政発0731|都道府県")


def _sources() -> list[tuple[str, str]]:
    return [
        (path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(BUILDER.rglob("*.py"))
    ]


def test_the_profile_classes_are_named_only_by_the_profile_and_the_engines_table_code() -> None:
    allowed = PROFILE_MODULES | ENGINE_TABLE_CODE
    named = sorted(
        path for path, text in _sources() if PROFILE_NAMES.search(text) and path not in allowed
    )
    assert named == []


def test_the_generic_packages_never_name_the_profile() -> None:
    offenders = [
        f"{path}: {match.group(0)}"
        for path, text in _sources()
        if path.split("/")[1] in GENERIC_PACKAGES
        for match in [PROFILE_NAMES.search(text)]
        if match
    ]
    assert offenders == []


def test_the_writers_and_the_engine_name_no_notice_outside_the_profile() -> None:
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path, text in _sources()
        if path.split("/")[1] == "writers"
        for number, line in enumerate(text.splitlines(), start=1)
        if NOTICE_SPECIFIC.search(line)
    ]
    assert offenders == []


def test_the_checks_above_can_fail() -> None:
    assert PROFILE_NAMES.search("if isinstance(table, AreaTable):")
    assert not PROFILE_NAMES.search("area_table = printed.table")
    assert NOTICE_SPECIFIC.search("「（別添1）」")
