"""`notices forms`: prefilled 様式例 per 推進区域, read back with the forms reader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.cli.main import main
from builder.forms import read_form
from tests.conftest import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_prefecture_forms_are_prefilled_and_readable(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "out-forms"
    assert main(["--root", str(project), "forms", "--prefecture", "兵庫", "--out", str(out)]) == 0
    assert "(3 prefilled)" in capsys.readouterr().out
    folder = out / "forms" / "kuiki-taio-hoshin" / "兵庫県"
    assert sorted(p.name for p in folder.iterdir()) == [
        "区域対応方針_兵庫県_東播磨.docx",
        "区域対応方針_兵庫県_東播磨.pdf",
        "区域対応方針_兵庫県_東播磨.xlsx",
    ]
    for path in folder.iterdir():
        form_id, _, values = read_form(path)
        assert form_id == "kuiki-taio-hoshin"
        assert "兵庫県" in values.values() and "東播磨" in values.values()
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert {e["area"] for e in entries if "area" in e} == {"東播磨"}


def test_pending_prefecture_has_nothing_to_prefill(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--root",
            str(project),
            "forms",
            "--prefecture",
            "兵庫県",
            "--as-of",
            "2024-08-01",
            "--out",
            str(project / "f"),
        ]
    )
    assert code == 1 and "兵庫県 has no 推進区域" in capsys.readouterr().err
    assert not (project / "f").exists()


def test_unknown_prefecture(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "forms", "--prefecture", "夢の国"]) == 1
    assert "--prefecture:" in capsys.readouterr().err


def test_all_areas_as_of_a_date(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "all"
    assert (
        main(["--root", str(project), "forms", "--all", "--as-of", "2024-08-01", "--out", str(out)])
        == 0
    )
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    areas = {(e["prefecture"], e["area"]) for e in entries if "area" in e}
    assert len(areas) == 74 - 3  # 北海道, 兵庫県 and 鳥取県 were 調整中 on 2024-08-01
    assert ("兵庫県", "東播磨") not in areas
