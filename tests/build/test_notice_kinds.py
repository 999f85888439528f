"""Notices of every shape build and round-trip: a numberless 事務連絡 with a 別紙, a notice
with no attachments (items deleted, a 見出し changed), and one with two generic tables
(one of them called 別添1: nothing depends on that id)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from builder.build.write import build
from builder.drafting.check import round_trip
from builder.sources.workspace import Workspace
from tests.conftest import MINI_NOTICE, ROOT, amendment_yaml

NO_ATTACHMENTS = MINI_NOTICE.split("attachments:")[0] + "attachments: []\n"
TWO_TABLES = (
    MINI_NOTICE.split("attachments:")[0]
    .replace("医政発0401第1号", "医政発0402第1号")
    .replace("2024-04-01", "2024-04-02")
    + """attachments:
  - id: 別添1
    kind: table
    title: 工程
    header: [[区分, 前期, 後期]]
    rows:
      - {label: 国, cells: [●通知, ●確認]}
      - {label: 都道府県, cells: [[●協議, ・公表], []]}
  - id: 別添2
    kind: table
    header: [[項目, 内容]]
    rows:
      - {label: 目的, cells: [地域医療構想の推進]}
"""
)


def test_every_shape_builds_and_round_trips(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "notices").mkdir(parents=True)
    (root / "amendments").mkdir()
    shutil.copy(ROOT / "notices" / "jimu-renraku-2024-06-11.yaml", root / "notices")
    (root / "notices" / "plain.yaml").write_text(NO_ATTACHMENTS, encoding="utf-8")
    (root / "notices" / "tables.yaml").write_text(TWO_TABLES, encoding="utf-8")
    (root / "amendments" / "a.yaml").write_text(
        amendment_yaml(
            "医政発0501第1号",
            "2024-05-01",
            "  - {at: 記の1の(1)の①, delete_item: true}\n"
            "  - {at: 記の1の見出し, replace: 基本的な, with: 基礎的な}\n",
        ),
        encoding="utf-8",
    )
    (root / "amendments" / "b.yaml").write_text(
        amendment_yaml(
            "医政発0502第1号",
            "2024-05-02",
            "  - {at: 別添1 都道府県の項, replace: ・公表, with: ・公表及び報告}\n"
            "  - at: 別添2\n    add_row_after: 目的\n    rows: [{label: 期間, cells: [[令和6年度, 令和7年度]]}]\n",
        ).replace("医政発0401第1号", "医政発0402第1号"),
        encoding="utf-8",
    )
    workspace = Workspace(root)
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        for version in history.versions[1:]:
            assert round_trip(history, version) is None
    out = tmp_path / "out"
    build(workspace, out, jobs=1)
    files = {str(e["file"]) for e in json.loads((out / "index.json").read_text(encoding="utf-8"))}
    for fmt in ("txt", "docx", "pdf"):
        assert f"地域医療計画課事務連絡2024-06-11/2024-06-11/consolidated.{fmt}" in files
        for notice, date in (("医政発0401第1号", "2024-05-01"), ("医政発0402第1号", "2024-05-02")):
            for kind in ("consolidated", "cover-notice", "comparison"):
                assert f"{notice}/{date}/{kind}.{fmt}" in files
    kaibun = (out / "医政発0401第1号/2024-05-01/kaibun.txt").read_text(encoding="utf-8")
    assert kaibun == (
        "記の1の見出し中「基本的な」を「基礎的な」に改める。\n記の1の(1)中①を削り、②を①とする。\n"
    )
    kaibun = (out / "医政発0402第1号/2024-05-02/kaibun.txt").read_text(encoding="utf-8")
    assert kaibun.splitlines()[0] == "別添1 都道府県の項中「・公表」を「・公表及び報告」に改める。"
    assert "別添2 目的の項の次に次のように加える。" in kaibun
    comparison = (out / "医政発0402第1号/2024-05-02/comparison.txt").read_text(encoding="utf-8")
    assert comparison.count("（別添1）") == 2 and comparison.count("（別添2）") == 2
