"""Golden text files: the consolidated notice at every version, and each amendment's
改め文, cover notice and distribution letter. Update with ``pytest --update-golden``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from builder.documents.compose import (
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.sources.workspace import Workspace
from builder.writers.text import render_text

DATES = ["2024-07-31", "2024-10-10", "2025-01-20", "2025-03-27"]


@pytest.mark.parametrize("index", range(4))
def test_consolidated_versions(
    workspace: Workspace, golden: Callable[[str, str], None], index: int
) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    version = history.versions[index]
    assert version.date.isoformat() == DATES[index]
    golden(
        f"consolidated-{DATES[index]}.txt", render_text(consolidated(version, "c", workspace.forms))
    )


@pytest.mark.parametrize("index", range(1, 4))
def test_amendment_documents(
    workspace: Workspace, golden: Callable[[str, str], None], index: int
) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    version = history.versions[index]
    date = DATES[index]
    golden(f"kaibun-{date}.txt", render_text(kaibun_document(version, "k")))
    golden(f"cover-notice-{date}.txt", render_text(cover_notice(history, version, None, "c")))
    letter = distribution_letter(workspace.project, history, version, None, "d")
    golden(f"distribution-letter-{date}.txt", render_text(letter))


def test_history_block_lists_only_amendments_in_force(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    text = render_text(consolidated(history.versions[2], "c"))
    head = text[: text.index("各都道府県知事")]
    assert "医政発1010第2号" in head and "医政発0120第2号" in head
    assert "医政発0327第2号" not in head
    assert head.count("一部改正") == 2


def test_cover_notice_cites_latest_earlier_amendment(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    first = render_text(cover_notice(history, history.versions[1], None, "c"))
    last = render_text(cover_notice(history, history.versions[3], None, "c"))
    assert "（令和6年7月31日付け医政発0731第1号）を下記のとおり" in first
    assert "（令和6年7月31日付け医政発0731第1号（令和7年1月20日一部改正））を下記のとおり" in last


def test_jimu_renraku(workspace: Workspace, golden: Callable[[str, str], None]) -> None:
    """The 事務連絡 of seed 003: 「事務連絡」 in place of a number, 御中, （照会先）, 別紙."""
    notice = workspace.find_notice("地域医療計画課事務連絡2024-06-11")
    text = render_text(consolidated(workspace.history(notice).versions[0], "j"))
    assert text.splitlines()[0].strip() == "事務連絡"
    assert "各都道府県　地域医療構想担当課　御中" in text and "（照会先）" in text
    assert "（別紙）" in text and "殿" not in text
    golden("jimu-renraku-2024-06-11.txt", text)
