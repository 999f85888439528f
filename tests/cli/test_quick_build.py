"""``notices build`` with nothing to do, answered before click loads
(``builder.cli.quick_build``): only the plainest command lines, only for a folder the
full command would accept, and with the full command's words."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli import quick_build
from builder.cli.run import run
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build"], (".", "out", False, None)),
        (["build", "-q"], (".", "out", True, None)),
        (["-q", "build", "--out", "x"], (".", "x", True, None)),
        (["--root", "p", "build", "--out=x", "--quiet"], ("p", "x", True, None)),
        (["--root=p", "build"], ("p", "out", False, None)),
        (["build", "--jobs", "2"], (".", "out", False, 2)),
        (["build", "-j", "1", "--out", "x"], (".", "x", False, 1)),
        (["build", "--jobs=12"], (".", "out", False, 12)),
    ],
)
def test_the_plainest_build_command_lines_are_read(
    args: list[str], expected: tuple[str, str, bool, int | None]
) -> None:
    request = quick_build._plain_build(args)
    assert request is not None
    assert (str(request[0]), str(request[1]), request[2], request[3]) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["build", "--jobs", "0"],
        ["build", "--jobs", "+2"],
        ["build", "--jobs", "２"],
        ["build", "-j2"],
        ["build", "--jobs", "1", "-j", "1"],
        ["build", "-v"],
        ["-v", "build"],
        ["build", "--rebuild-all"],
        ["build", "--out"],
        ["build", "--out", "a", "--out", "b"],
        ["build", "--out", "-q"],
        ["build", "--root", "p"],
        ["--out", "x", "build"],
        ["build", "-q", "-q"],
        ["build", "build"],
        ["build", "--help"],
        ["--version"],
    ],
)
def test_any_other_command_line_goes_to_click(args: list[str]) -> None:
    """Options the quick path does not know, usage errors and other commands: click
    answers them as always."""
    assert quick_build._plain_build(args) is None
    assert not quick_build.answered(args)


@pytest.fixture
def built(make_project: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    """A project and its build, made in a new process (the code digest of the builder's
    files as they are now)."""
    root = make_project()
    out = tmp_path / "out"
    command = [sys.executable, "-m", "builder", "--root", str(root), "build", "--out", str(out)]
    subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
    return root, out


def _in_new_process(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        "from builder.cli.main import main\n"
        f"status = main({['--root', str(root), 'build', '--out', str(out), *args]!r})\n"
        "print('status', status, 'click' in sys.modules)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )


def test_a_noop_says_what_the_full_command_says_without_loading_click(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, out = built
    quick = _in_new_process(root, out)
    lines = quick.stdout.splitlines()
    assert lines[-1] == "status 0 False"  # answered, click never imported
    assert run(["--root", str(root), "build", "--out", str(out)]) == 0
    assert lines[:-1] == capsys.readouterr().out.splitlines()
    assert "up to date" in lines[0] and "site" in lines[1]
    assert _in_new_process(root, out, "-q").stdout.splitlines() == ["status 0 False"]


def test_a_folder_the_full_command_refuses_is_not_answered(
    built: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out a symlink to an up-to-date build: the full command refuses it (a symlink is
    never replaced), so the quick path must not say it is up to date."""
    root, out = built
    link = tmp_path / "link"
    link.symlink_to(out, target_is_directory=True)
    assert not quick_build.answered(["--root", str(root), "build", "--out", str(link)])
    assert run(["--root", str(root), "build", "--out", str(link)]) == 1
    assert "symlink" in capsys.readouterr().err


def test_more_jobs_than_cores_goes_to_click_which_says_it_cuts_them(
    built: tuple[Path, Path],
) -> None:
    root, out = built
    command = ["--root", str(root), "build", "--out", str(out)]
    assert quick_build.answered([*command, "--jobs", "1"])
    assert not quick_build.answered([*command, "--jobs", "100000"])


def test_work_to_do_goes_to_the_full_build(built: tuple[Path, Path]) -> None:
    root, out = built
    (out / "index.json").write_text("[]", encoding="utf-8")  # a file not as written
    assert not quick_build.answered(["--root", str(root), "build", "--out", str(out)])
