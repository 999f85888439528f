"""適用日: an amendment in force from a date other than its issue date (``effective:``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.cli.main import main
from builder.core.errors import NoticeError
from builder.documents.compose import cover_notice
from builder.documents.paths import version_folder
from builder.sources.workspace import Workspace
from builder.writers.text import render_text
from tests.conftest import amendment_yaml
from tests.engine.test_engine import MakeProject


def effective(number: str, date: str, applies: str | None, changes: str) -> str:
    text = amendment_yaml(number, date, changes)
    return text.replace("notice:", f"effective: {applies}\nnotice:") if applies else text


def project(make_project: MakeProject, *amendments: tuple[str, str, str | None, str]) -> Path:
    return make_project(
        {f"{i}.yaml": effective(*amendment) for i, amendment in enumerate(amendments)}
    )


def test_in_force_from_its_effective_date(make_project: MakeProject) -> None:
    root = project(
        make_project,
        (
            "医政発0501第1号",
            "2024-05-01",
            "2024-06-01",
            "  - {at: 記の2, replace: 区域, with: 地域}\n",
        ),
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    original, amended = history.versions
    assert amended.date == dt.date(2024, 6, 1)
    assert history.as_of(dt.date(2024, 5, 31)) is original
    assert history.as_of(dt.date(2024, 6, 1)) is amended
    assert version_folder(history, amended).endswith("/2024-06-01")
    text = render_text(cover_notice(history, amended, None, "c"))
    assert "令和6年5月1日" in text  # the cover notice is dated when issued
    assert "を下記のとおり改正し、令和6年6月1日から適用することとしたので、御了知の上" in text


def test_without_effective_the_wording_is_unchanged(make_project: MakeProject) -> None:
    root = project(
        make_project,
        (
            "医政発0501第1号",
            "2024-05-01",
            "2024-05-01",
            "  - {at: 記の2, replace: 区域, with: 地域}\n",
        ),
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    assert history.amendments[0].effective is None  # the same as the issue date
    text = render_text(cover_notice(history, history.versions[1], None, "c"))
    assert "を下記のとおり改正することとしたので" in text


def test_order_is_by_effective_date_then_issue_order(make_project: MakeProject) -> None:
    root = project(
        make_project,
        (
            "医政発0501第1号",
            "2024-05-01",
            "2024-07-01",
            "  - {at: 記の2, replace: 区域, with: 地域}\n",
        ),
        ("医政発0515第1号", "2024-05-15", None, "  - {at: 記の2, replace: 策定, with: 作成}\n"),
        (
            "医政発0601第1号",
            "2024-06-01",
            "2024-07-01",
            "  - {at: 前文, replace: 試験, with: 検証}\n",
        ),
    )
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    numbers = [v.amendment.number for v in history.versions[1:] if v.amendment]
    assert numbers == ["医政発0515第1号", "医政発0501第1号", "医政発0601第1号"]
    assert [v.date.isoformat() for v in history.versions[1:]] == [
        "2024-05-15",
        "2024-07-01",
        "2024-07-01",
    ]
    assert history.as_of(dt.date(2024, 6, 30)).notice.ki[1].paragraphs == (
        "都道府県においては、区域対応方針を作成する。",
    )


def test_effective_before_the_notice_is_refused(make_project: MakeProject) -> None:
    root = project(
        make_project,
        (
            "医政発0501第1号",
            "2024-05-01",
            "2024-03-01",
            "  - {at: 記の2, replace: 区域, with: 地域}\n",
        ),
    )
    workspace = Workspace(root)
    with pytest.raises(NoticeError) as caught:
        _ = workspace.history(workspace.find_notice("医政発0401第1号")).versions
    assert (
        "amendments/0.yaml:3:12: 医政発0501第1号 would apply from 2024-03-01 (its 適用日)"
        in str(caught.value)
    )


def test_show_says_what_is_pending(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        make_project,
        (
            "医政発0501第1号",
            "2024-05-01",
            "2024-06-01",
            "  - {at: 記の2, replace: 区域, with: 地域}\n",
        ),
    )
    assert main(["--root", str(root), "show", "医政発0401第1号", "--as-of", "2024-05-20"]) == 0
    out, err = capsys.readouterr()
    assert "区域対応方針" in out
    assert err == (
        "未施行の改正: 医政発0501第1号（令和6年5月1日）は令和6年6月1日から適用されます"
        " (pending: 医政発0501第1号 applies from 2024-06-01)\n"
    )
    assert main(["--root", str(root), "show", "医政発0401第1号", "--as-of", "2024-06-01"]) == 0
    out, err = capsys.readouterr()
    assert "地域対応方針" in out and err == ""
