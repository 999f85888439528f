"""The second real notice, 医政発0328第3号 with its 別添3 (a generic table), amended by a
fixture (tests/data/notice-0328: a cell changed, a row added, a row deleted): every
document in every format, passing the real-client checks of ``notices verify``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.build.write import build
from builder.drafting.check import round_trip
from builder.engine.kaibun import kaibun_text
from builder.sources.workspace import Workspace
from builder.verify.clients import missing_tool, missing_validator
from builder.verify.report import report, verify
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "data" / "notice-0328"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    (root / "notices").mkdir()
    shutil.copy(ROOT / "notices" / "isei-0328-3.yaml", root / "notices")
    shutil.copytree(FIXTURE, root / "amendments")
    return root


def test_the_fixture_amendment_reads_as_a_drafter_writes_it(tree: Path) -> None:
    workspace = Workspace(tree)
    history = workspace.history(workspace.find_notice("医政発0328第3号"))
    version = history.versions[-1]
    assert round_trip(history, version) is None
    lines = kaibun_text(version.changes).splitlines()
    assert lines[0] == "別添3 国の項中「好事例の周知等」を「好事例の周知・横展開等」に改める。"
    assert lines[1] == "別添3 都道府県の項の次に次のように加える。"
    assert lines[2:5] == [
        "　市町村",
        "　　【2023年度（令和5年度）】●調整会議への参加",
        "　　【2024年度（令和6年度）】●推進区域の区域対応方針の策定への協力",
    ]
    assert lines[-1] == "別添3 医療機関の項を削る。"


def test_it_builds_in_every_format_and_passes_verify(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(Workspace(tree), out, jobs=1)
    files = {str(e["file"]) for e in json.loads((out / "index.json").read_text(encoding="utf-8"))}
    for fmt in ("txt", "docx", "pdf"):
        assert f"医政発0328第3号/2024-03-28/consolidated.{fmt}" in files
        for kind in ("consolidated", "cover-notice", "comparison"):
            assert f"医政発0328第3号/2024-09-02/{kind}.{fmt}" in files
    assert "医政発0328第3号/2024-09-02/kaibun.txt" in files
    assert "site/index.html" in files
    text = (out / "医政発0328第3号/2024-09-02/consolidated.txt").read_text(encoding="utf-8")
    assert "好事例の周知・横展開等" in text and "\n市町村\n" in text and "\n医療機関\n" not in text
    for tool in ("qpdf", "pdffonts", "pdftotext", "soffice"):
        reason = missing_tool(tool)
        if reason:
            pytest.skip(reason)
    reason = missing_validator()
    if reason:
        pytest.skip(reason)
    table = verify(out)
    summary, passed = report(out, table)
    assert passed, summary
