"""The progress bar of build, forms and verify: drawn on a terminal (stderr a pty), not a
byte of it when stderr is a pipe or with -q."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.terminal import notices
from tests.conftest import MINI_NOTICE, ROOT


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    (root / "notices").mkdir()
    (root / "amendments").mkdir()
    (root / "notices" / "mini.yaml").write_text(MINI_NOTICE, encoding="utf-8")
    return root


def full_bar(err: str, label: str) -> int:
    """The total of the bar labelled ``label`` that reached its end."""
    found = re.findall(re.escape(label) + r"\s+\[#+\]\s+(\d+)/(\d+)", err)
    assert found and found[-1][0] == found[-1][1], err
    return int(found[-1][1])


def test_build_draws_a_bar_only_on_a_terminal(project: Path) -> None:
    out = project / "out-tty"
    code, _, err = notices(project, True, "build", "--out", str(out), "--jobs", "1")
    assert code == 0, err
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert full_bar(err, "ビルド / building") == sum(e["kind"] != "site" for e in entries)
    code, _, err = notices(project, False, "build", "--out", str(project / "out-pipe"))
    assert (code, err) == (0, "")
    code, _, err = notices(project, True, "-q", "build", "--out", str(project / "out-quiet"))
    assert (code, err) == (0, "")


def test_forms_draws_a_bar_only_on_a_terminal(tmp_path: Path) -> None:
    code, _, err = notices(
        ROOT, True, "forms", "--prefecture", "兵庫", "--out", str(tmp_path / "a")
    )
    assert code == 0, err
    written = json.loads((tmp_path / "a" / "index.json").read_text(encoding="utf-8"))
    assert full_bar(err, "様式 / forms") == len(written)
    code, _, err = notices(
        ROOT, False, "forms", "--prefecture", "兵庫", "--out", str(tmp_path / "b")
    )
    assert (code, err) == (0, "")


def test_verify_draws_a_bar_only_on_a_terminal(project: Path) -> None:
    out = project / "out-verify"
    assert notices(project, False, "build", "--out", str(out))[0] == 0
    skip = ("--skip", "soffice", "--skip", "node")
    code, stdout, err = notices(project, True, "verify", "--out", str(out), *skip)
    assert code == 0, stdout + err
    pdfs = len(list(out.rglob("*.pdf")))
    assert full_bar(err, "検証 / verifying") == pdfs
    assert "libreoffice" in stdout and "left out with --skip: node (ooxml), soffice" in stdout
    code, stdout, err = notices(project, False, "verify", "--out", str(out), *skip)
    assert (code, err) == (0, "")
