"""The command line, run in-process through ``builder.cli.main.main``."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli.main import main
from tests.conftest import ROOT, amendment_yaml

MakeProject = Callable[..., Path]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(ROOT), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_kaibun_prints_the_published_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "kaibun", "医政発0327第2号") == (
        0,
        "別添1 兵庫県の項中「調整中」を「東播磨」に改める。\n",
        "",
    )


def test_kaibun_accepts_full_width_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kaibun", "医政発０３２７第２号")
    assert code == 0 and "東播磨" in out


def test_table_csv_as_of_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, before, _ = run(capsys, "table", "医政発0731第1号", "--as-of", "2024-08-01", "--csv")
    assert code == 0
    assert before.splitlines()[0] == "都道府県コード,都道府県,構想区域,モデル推進区域"
    assert "28,兵庫県,調整中," in before.splitlines()
    code, after, _ = run(capsys, "table", "医政発0731第1号", "--as-of", "令和7年3月27日", "--csv")
    assert "28,兵庫県,東播磨,0" in after.splitlines()
    assert "1,北海道,中空知,1" in after.splitlines()
    assert len(after.splitlines()) == 1 + 74  # header + one row per area (74 areas)


def test_table_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "table", "兵庫".replace("兵庫", "医政発0731第1号"))
    assert code == 0 and "東播磨" in out and "※（●）は推進区域かつモデル推進区域" in out


def test_show_as_of_lists_only_amendments_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "医政発0731第1号", "--as-of", "2024-12-31")
    assert code == 0
    assert "医政発1010第2号" in out and "医政発0120第2号" not in out
    assert "兵庫県  　調整中" in out


def test_show_before_the_base_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "医政発0731第1号", "--as-of", "2024-07-30")
    assert code == 1 and out == ""
    assert "issued on 2024-07-31" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2025-02-30", "February 2025 has 28 days"), ("平成32年1月1日", "平成"), ("昨日", "")],
)
def test_bad_dates(capsys: pytest.CaptureFixture[str], as_of: str, expected: str) -> None:
    code, _, err = run(capsys, "show", "医政発0731第1号", "--as-of", as_of)
    assert code == 2 and expected in err and "Traceback" not in err  # a usage error
    assert "Invalid value for '--as-of'" in err


def test_unknown_notice_and_amendment(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "医政発9999第1号")
    assert code == 1 and "notices here: 医政発0328第3号、医政発0731第1号" in err
    code, _, err = run(capsys, "kaibun", "医政発0101第9号")
    assert code == 1 and "amendments here:" in err


def test_check_passes_on_the_real_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check")
    assert code == 0 and out.endswith("OK\n")


def test_build_writes_every_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, "build", "--out", str(out))
    assert code == 0, stdout
    index = (out / "site" / "index.html").resolve()
    assert stdout.splitlines()[-1] == f"サイトの入口: {index} / the site's index: {index}"
    assert index.is_file()
    code, again, _ = run(capsys, "build", "--out", str(out))
    assert code == 0 and "is up to date" in again
    assert again.splitlines()[-1] == f"サイトの入口: {index} / the site's index: {index}"
    folder = out / "医政発0731第1号"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2024-07-31",
        "2024-10-10",
        "2025-01-20",
        "2025-03-27",
    ]
    assert (folder / "2025-03-27" / "kaibun.txt").read_text(encoding="utf-8") == (
        "別添1 兵庫県の項中「調整中」を「東播磨」に改める。\n"
    )
    assert not (folder / "2024-07-31" / "kaibun.txt").exists()
    csv_bytes = (folder / "2024-07-31" / "別添1.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_out_as_it_was(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    good = amendment_yaml(
        "医政発0501第1号", "2024-05-01", "  - {at: 記の2, replace: 都道府県, with: 各都道府県}\n"
    )
    root = make_project({"a.yaml": good})
    out = root / "out"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    before = tree_digest(out)
    (root / "amendments" / "a.yaml").write_text(
        good.replace("replace: 都道府県", "replace: 存在しない"), encoding="utf-8"
    )
    assert main(["--root", str(root), "build", "--out", str(out)]) == 1
    _, err = capsys.readouterr()
    assert "amendments/a.yaml:6:5:" in err and "「存在しない」 is not in 記の2" in err
    assert tree_digest(out) == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".out")] == []


def test_python_dash_m_and_help() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "builder", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0
    for command in ("check", "show", "kaibun", "table", "build"):
        assert command in result.stdout
    for command in ("check", "show", "kaibun", "table", "build"):
        sub = subprocess.run(
            [sys.executable, "-m", "builder", command, "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert sub.returncode == 0 and "Usage:" in sub.stdout


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"notices {version('mhlw-notices')}\n"
