"""Atomic output: a build that is killed, fails or is interrupted never leaves a partial
out/ behind, the next build cleans up what a killed one left, and ``--out`` can never
destroy anything but a previous output."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from builder.build.out_folder import recover as _recover
from builder.build.plan import Output
from builder.build.write import write_atomically
from builder.cli.main import main
from tests.conftest import ROOT


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` ('dir' for folders), by relative path."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(folder.rglob("*"))
    }


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def build(out: Path, root: Path = ROOT) -> int:
    return main(["--root", str(root), "build", "--out", str(out)])


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What a complete build of the real project contains."""
    out = tmp_path_factory.mktemp("reference") / "out"
    assert build(out) == 0
    return snapshot(out)


# --------------------------------------------------------------------------- killed builds

ATTEMPTS = 3


def _staging(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.building-*"))


def _start_build(out: Path, *options: str) -> subprocess.Popen[bytes]:
    """``notices build --out out`` with ``options``, in a subprocess."""
    command = [sys.executable, "-m", "builder", "--root", str(ROOT), "build", *options]
    return subprocess.Popen(
        [*command, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _start_and_kill(out: Path, delay: float) -> bool:
    """Start a build in a subprocess and SIGKILL it as soon as (plus ``delay``) its staging
    folder exists; False when the build finished before the folder was seen."""
    process = _start_build(out, "--rebuild-all")  # a build with files to make
    try:
        deadline = time.monotonic() + 120
        while not _staging(out):
            if process.poll() is not None:
                return False
            assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    return process.returncode == -signal.SIGKILL


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_build_leaves_the_previous_output(
    tmp_path: Path, reference: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build(out) == 0
    assert snapshot(out) == reference
    chance = random.Random(20250327)
    killed_while_staging = 0
    for _ in range(ATTEMPTS):
        if not _start_and_kill(out, chance.uniform(0.0, 0.08)):
            continue
        if _staging(out):
            killed_while_staging += 1
        previous = out.with_name(f".{out.name}.previous")
        if out.exists():
            # Killed before the swap, or after it: either way a complete output.
            assert snapshot(out) == reference
        else:
            # Killed between the two renames of the swap: the old output waits aside.
            assert snapshot(previous) == reference
        # Nothing else but leftovers of this build may be next to out/.
        assert {n for n in siblings(out) if n != "out" and not n.startswith(".out.")} == set()

    assert killed_while_staging >= 1, "no kill landed while the build was writing"
    capsys.readouterr()
    assert build(out) == 0
    assert snapshot(out) == reference
    assert siblings(out) == ["out"]


def _builds_running(out: Path) -> list[int]:
    """Processes (a build or its workers, which share its command line) writing ``out``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(out).encode() in command and b"build" in command:
            found.append(int(proc.name))
    return found


def _wait_for_workers(process: subprocess.Popen[Any], out: Path) -> None:
    """Wait until the build ``process`` has workers writing into its staging folder."""
    deadline = time.monotonic() + 120
    while not any(any(folder.rglob("*.docx")) for folder in _staging(out)):
        assert process.poll() is None, "the build ended before its workers were seen"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.01)
    assert len(_builds_running(out)) >= 2, "no worker process was running"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG, /proc")
def test_killed_parallel_build_leaves_no_worker_behind(tmp_path: Path) -> None:
    """Workers die with the build: none goes on writing into a folder that the next build
    removes."""
    out = tmp_path / "out"
    process = _start_build(out, "--jobs", "2")
    try:
        _wait_for_workers(process, out)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 10
    while _builds_running(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _builds_running(out) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete build of the real project, to copy as a previous output."""
    out = tmp_path_factory.mktemp("built") / "out"
    assert build(out) == 0
    return out


STOPS = [
    (signal.SIGINT, 130, "SIGINT"),
    (signal.SIGTERM, 143, "SIGTERM"),
    (signal.SIGHUP, 129, "SIGHUP"),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals, /proc")
@pytest.mark.parametrize(("signum", "status", "name"), STOPS)
def test_stop_signal_gives_one_line_and_leaves_the_previous_output(
    tmp_path: Path,
    built: Path,
    reference: dict[str, str],
    signum: int,
    status: int,
    name: str,
) -> None:
    """SIGINT, SIGTERM and SIGHUP while workers are writing: one line, 128 + n, the
    previous output intact, no staging folder, no process left."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    command = [sys.executable, "-m", "builder", "--root", str(ROOT), "build", "--rebuild-all"]
    process = subprocess.Popen(
        [*command, "--jobs", "2", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_workers(process, out)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == status
    # For Ctrl-C click first ends the terminal's 「^C」 line with a newline.
    assert err.removeprefix("\n" if signum == signal.SIGINT else "") == (
        f"stopped by {name}: nothing half-written is left, and an output folder that was "
        "being replaced is as it was\n"
    )
    assert snapshot(out) == reference
    assert siblings(out) == ["out"]
    assert _builds_running(out) == []


# --------------------------------------------------------------------------- failures


def output(path: str, make: Callable[[], bytes]) -> Output:
    """An Output of ``path`` (its other fields, for the index, are placeholders)."""
    extra = {
        f.name: "test"
        for f in dataclasses.fields(Output)
        if f.name not in ("path", "make") and f.default is dataclasses.MISSING
    }
    return Output(path=path, make=make, **extra)


def _content(index: int) -> bytes:
    return f"file {index}\n".encode()


def _outputs(count: int, fail_with: BaseException | None = None) -> Iterator[Output]:
    for index in range(count):
        yield output(f"folder/{index}.txt", partial(_content, index))
    if fail_with is not None:
        raise fail_with


def _previous_output(parent: Path) -> tuple[Path, dict[str, str]]:
    out = parent / "out"
    (out / "kept").mkdir(parents=True)
    (out / "kept" / "a.txt").write_text("previous output\n", encoding="utf-8")
    (out / ".gitkeep").touch()
    return out, snapshot(out)


@pytest.mark.parametrize("error", [RuntimeError("render failed"), KeyboardInterrupt()])
def test_failure_midway_leaves_out_untouched(tmp_path: Path, error: BaseException) -> None:
    out, before = _previous_output(tmp_path)
    with pytest.raises(type(error)):
        write_atomically(out, _outputs(5, error))
    assert snapshot(out) == before
    assert siblings(out) == ["out"]


def test_failure_in_a_document_leaves_out_untouched(tmp_path: Path) -> None:
    def broken() -> bytes:
        raise ValueError("cannot render")

    out, before = _previous_output(tmp_path)
    files = iter([output("a.txt", lambda: b"a"), output("b/c.txt", broken)])
    with pytest.raises(ValueError, match="cannot render"):
        write_atomically(out, files)
    assert snapshot(out) == before
    assert siblings(out) == ["out"]


def test_successful_write_replaces_out(tmp_path: Path) -> None:
    out, _ = _previous_output(tmp_path)
    assert write_atomically(out, _outputs(3)).files == 3
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k.startswith("folder")} == {
        "folder": "dir",
        **{f"folder/{i}.txt": hashlib.sha256(f"file {i}\n".encode()).hexdigest() for i in range(3)},
    }
    assert "kept" not in after and "kept/a.txt" not in after
    assert siblings(out) == ["out"]


def test_first_build_creates_out(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "out"
    assert write_atomically(out, _outputs(1)).files == 1
    assert (out / "folder" / "0.txt").read_text(encoding="utf-8") == "file 0\n"
    assert siblings(out) == ["out"]


# --------------------------------------------------------------------------- recovery


def test_recover_restores_previous_when_out_is_missing(tmp_path: Path) -> None:
    """A build killed between the two renames of the swap left only .out.previous."""
    out, before = _previous_output(tmp_path)
    previous = out.with_name(".out.previous")
    os.replace(out, previous)
    (tmp_path / ".out.building-x1y2z3" / "part").mkdir(parents=True)
    _recover(out)
    assert snapshot(out) == before
    assert siblings(out) == ["out"]


def test_recover_keeps_out_when_both_exist(tmp_path: Path) -> None:
    """Killed after the swap, while deleting the old output: out/ is the new one."""
    out, before = _previous_output(tmp_path)
    previous = out.with_name(".out.previous")
    previous.mkdir()
    (previous / "old.txt").write_text("older output\n", encoding="utf-8")
    _recover(out)
    assert snapshot(out) == before


def test_recover_leaves_other_folders_alone(tmp_path: Path) -> None:
    out, _ = _previous_output(tmp_path)
    for name in (".outer.building-1", ".out.building", "out.building-2", ".other.previous"):
        (tmp_path / name).mkdir()
    _recover(out)
    assert siblings(out) == [
        ".other.previous",
        ".out.building",
        ".outer.building-1",
        "out",
        "out.building-2",
    ]


def test_failed_build_after_interrupted_swap_restores_previous(tmp_path: Path) -> None:
    out, before = _previous_output(tmp_path)
    os.replace(out, out.with_name(".out.previous"))
    with pytest.raises(RuntimeError):
        write_atomically(out, _outputs(2, RuntimeError("render failed")))
    assert snapshot(out) == before
    assert siblings(out) == ["out"]


def test_build_after_interrupted_swap_replaces_previous(
    tmp_path: Path, reference: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _previous_output(tmp_path)
    os.replace(out, out.with_name(".out.previous"))
    (tmp_path / ".out.building-abandoned").mkdir()
    assert build(out) == 0
    assert snapshot(out) == reference
    assert siblings(out) == ["out"]


# --------------------------------------------------------------------------- where --out points


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "work" / "project"
    for folder in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.mark.parametrize("where", [".", "notices", ".."])
def test_out_never_replaces_the_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    root = _project_copy(tmp_path)
    sources = snapshot(root)
    out = (root / where).resolve()
    code = build(out, root)
    _, err = capsys.readouterr()
    assert snapshot(root) == sources
    assert code == 1
    assert err.startswith("error: ") and "Traceback" not in err


def test_out_has_ordinary_permissions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (tmp_path / "plain").mkdir()
    assert build(out) == 0
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE((tmp_path / "plain").stat().st_mode)


def test_out_that_cannot_be_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("not a folder\n", encoding="utf-8")
    code = build(tmp_path / "file" / "out")
    _, err = capsys.readouterr()
    assert "internal error" not in err
    assert code == 1
    assert (tmp_path / "file").read_text(encoding="utf-8") == "not a folder\n"


def test_out_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("a file\n", encoding="utf-8")
    code = build(tmp_path / "out")
    _, err = capsys.readouterr()
    assert (tmp_path / "out").read_text(encoding="utf-8") == "a file\n"
    assert "Traceback" not in err and "internal error" not in err
    assert code == 2  # --out must be a folder: a usage error (click's convention)
