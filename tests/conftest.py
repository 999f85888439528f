"""Shared fixtures: the real project, small fixture projects written on the fly, the
golden-file helper (``pytest --update-golden`` rewrites golden files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from builder.sources.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden from the current output",
    )


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    """The real sources of this repository."""
    return Workspace(ROOT)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/<name>, or rewrite it with --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{name} differs from its golden file (pytest --update-golden)"

    return check


MINI_NOTICE = """\
id: 医政発0401第1号
kind: 通知
number: 医政発0401第1号
date: 2024-04-01
addressees: [{name: 各都道府県知事}]
sender: 厚生労働省医政局長
seal_omitted: true
title: 試験用の通知について
preamble:
  - 試験のための前文である。
  - なお、本通知は技術的助言である。
ki:
  - label: "1."
    title: 基本的な考え方
    paragraphs:
      - 甲は乙とする。丙は丁とする。
      - 戊は己とする。
    items:
      - label: "(1)"
        title: 細目
        items:
          - {label: ①, text: 第一の事項であること}
          - {label: ②, text: 第二の事項であること}
  - label: "2."
    title: 取組について
    paragraphs:
      - 都道府県においては、区域対応方針を策定する。
contact:
  heading: 担当者
  lines: [厚生労働省医政局地域医療計画課, 03-5253-1111（内線2663）]
attachments:
  - id: 別添1
    kind: area_table
    columns: [都道府県, 推進区域、モデル推進区域]
    note: ※（●）は推進区域かつモデル推進区域
    rows:
      - {prefecture: 北海道, pending: true}
      - {prefecture: 青森県, areas: [青森, {name: 津軽, model: true}]}
      - {prefecture: 岩手県, areas: [東部, 北部, 南東部]}
      - {prefecture: 兵庫県, pending: true}
"""


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a fixture project: the mini notice (or ``notice``) plus amendment files."""

    def write(amendments: dict[str, str] | None = None, notice: str = MINI_NOTICE) -> Path:
        (tmp_path / "notices").mkdir(exist_ok=True)
        (tmp_path / "amendments").mkdir(exist_ok=True)
        (tmp_path / "notices" / "mini.yaml").write_text(notice, encoding="utf-8")
        for name, text in (amendments or {}).items():
            (tmp_path / "amendments" / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write


def amendment_yaml(number: str, date: str, changes: str) -> str:
    """An amendment file of the mini notice with the given ``changes:`` YAML list."""
    return (
        f"number: {number}\ndate: {date}\nnotice: 医政発0401第1号\n"
        "provenance: test fixture\nchanges:\n" + changes
    )
