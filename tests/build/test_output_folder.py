"""The one rule for folders and files the tool writes (builder.core.safe_files,
builder.build.out_folder), the lock per output folder (builder.core.folder_lock) and two builds of
one folder at once. Every special file is made inside a temporary folder: no test
touches a real system path."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.cli.main import main
from builder.core.folder_lock import folder_lock, lock_path
from tests.conftest import MINI_NOTICE, amendment_yaml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The mini notice as a project of its own."""
    root = tmp_path / "project"
    (root / "notices").mkdir(parents=True)
    (root / "amendments").mkdir()
    (root / "notices" / "mini.yaml").write_text(MINI_NOTICE, encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def device(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), made in the test's folder."""
    if os.geteuid() != 0:
        pytest.skip("os.mknod of a device needs root")
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


SPECIAL: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (fifo, "a FIFO (named pipe)"),
    "socket": (unix_socket, "a socket"),
    "device": (device, "a character device"),
}


def kind_of(path: Path) -> int:
    return stat.S_IFMT(path.lstat().st_mode)


# --------------------------------------------------------------------------- --out refused


@pytest.mark.parametrize("command", ["build", "forms"])
@pytest.mark.parametrize("special", sorted(SPECIAL))
def test_out_that_is_a_special_file_is_refused_and_left_alone(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, special: str
) -> None:
    make, what = SPECIAL[special]
    target = make(tmp_path / "target")
    before = kind_of(target)
    code, err = run(capsys, "--root", str(project), command, "--out", str(target))
    assert code == 1
    assert err == f"error: --out {target}: {target} is {what}; give a folder\n"
    assert kind_of(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "target"]


@pytest.mark.parametrize("command", ["build", "forms"])
def test_out_that_is_a_symlink_is_refused_saying_where_it_points(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    code, err = run(capsys, "--root", str(project), command, "--out", str(tmp_path / "link"))
    assert code == 1
    link = tmp_path / "link"
    assert (
        err == f"error: --out {link}: {link} is a symlink (to {tmp_path / 'real'}); give a folder\n"
    )
    assert link.is_symlink() and list((tmp_path / "real").iterdir()) == []


def test_out_root_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "--root", str(project), "build", "--out", "/")
    assert (code, err) == (1, "error: --out /: refusing to replace the root folder /\n")


@pytest.mark.parametrize("given", [".", ""])
def test_out_current_folder_is_refused(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    given: str,
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    code, err = run(capsys, "--root", str(project), "build", "--out", given)
    assert code == 1
    assert err == (
        f"error: --out .: refusing to replace the current folder ({here}); "
        "give a new or empty folder, e.g. out/\n"
    )


def test_out_home_folder_is_refused(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    (home / "documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    code, err = run(capsys, "--root", str(project), "build", "--out", str(home))
    assert code == 1
    assert err == (
        f"error: --out {home}: refusing to replace your home folder ({home}); "
        "give a new or empty folder, e.g. out/\n"
    )
    assert (home / "documents").is_dir()


def test_out_project_and_its_parent_are_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(capsys, "--root", str(project), "build", "--out", str(project))
    assert code == 1
    assert err == (
        f"error: --out {project}: refusing to replace the project folder ({project}); "
        "give a new or empty folder, e.g. out/\n"
    )
    code, err = run(capsys, "--root", str(project), "build", "--out", str(project.parent))
    assert code == 1
    assert err == (
        f"error: --out {project.parent}: {project.parent} holds the project or the current "
        "folder; give a new or empty folder, e.g. out/\n"
    )


def test_out_under_a_file_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / "file" / "out"
    code, err = run(capsys, "--root", str(project), "build", "--out", str(out))
    assert code == 1
    assert err == f"error: --out {out}: cannot create it: {tmp_path / 'file'} is not a folder\n"


def test_diff_out_never_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "diff.txt"
    link.symlink_to(victim)
    code, err = run(
        capsys, "diff", "医政発0731第1号", "--from", "2025-01-20", "--to", "2025-03-27",
        "--out", str(link),
    )  # fmt: skip
    assert code == 1
    assert err == (
        f"error: --out {link}: {link} is a symlink (to {victim}); give a new or regular file\n"
    )
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_diff_out_leaves_no_temporary_and_replaces_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "diff.txt"
    target.write_text("old\n", encoding="utf-8")
    code = main(
        ["diff", "医政発0731第1号", "--from", "2025-01-20", "--to", "2025-03-27",
         "--out", str(target)]
    )  # fmt: skip
    assert code == 0
    assert "（傍線部分は改正部分）" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["diff.txt"]


def test_jobs_beyond_the_cores_are_capped_with_a_message(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from builder.core.cores import available_cores

    cores = available_cores()
    code, err = run(
        capsys, "--root", str(project), "build", "--out", str(tmp_path / "out"), "--jobs", "100000"
    )
    assert code == 0
    assert err.endswith(
        f"--jobs 100000: this machine gives the build {cores} cores; using {cores}\n"
    )
    assert f"コアは{cores}個です" in err


# --------------------------------------------------------------------------- a read-only out


def _as_unprivileged(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``command`` as user nobody when the tests run as root (root ignores permissions),
    else as the current user."""
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_read_only_previous_output_is_named_and_nothing_is_left_behind() -> None:
    base = Path(tempfile.mkdtemp(prefix="notices-readonly-"))
    try:
        base.chmod(0o755)
        root = base / "project"
        (root / "notices").mkdir(parents=True)
        (root / "amendments").mkdir()
        (root / "notices" / "mini.yaml").write_text(MINI_NOTICE, encoding="utf-8")
        if os.geteuid() == 0:
            for path in [base, *base.rglob("*")]:
                os.chown(path, 65534, 65534)
        env = {**os.environ, "HOME": str(base), "NOTICES_CACHE_DIR": str(base / "cache")}
        out = base / "out"
        command = [sys.executable, "-m", "builder", "--root", str(root), "build"]
        first = _as_unprivileged([*command, "--out", str(out)], env)
        assert first.returncode == 0, first.stderr
        locked = next(p for p in out.iterdir() if p.is_dir())
        locked.chmod(0o555)
        before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
        again = _as_unprivileged([*command, "--out", str(out), "--rebuild-all"], env)
        assert again.returncode == 1
        assert again.stderr == (
            f"error: --out {out}: {locked} is read-only, so the previous build cannot be "
            f"replaced; make it writable (chmod -R u+w {out}) or remove it\n"
        )
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
        assert sorted(p.name for p in base.iterdir() if p.name != "cache") == ["out", "project"]
        locked.chmod(0o755)
        third = _as_unprivileged([*command, "--out", str(out), "--rebuild-all"], env)
        assert third.returncode == 0, third.stderr
        assert sorted(p.name for p in base.iterdir() if p.name != "cache") == ["out", "project"]
    finally:
        for path in base.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base)


# --------------------------------------------------------------------------- the lock


def test_a_held_lock_refuses_a_second_build_naming_the_holder(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    with folder_lock(out, "--out"):
        code, err = run(capsys, "--root", str(project), "build", "--out", str(out))
    assert code == 1
    assert err == (
        f"error: --out {out}: another notices command (process {os.getpid()}) is writing it; "
        "wait for it to finish, or rerun with --wait\n"
    )
    assert not out.exists() and not lock_path(out).exists()


def test_wait_waits_for_the_lock_then_builds(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "builder", "--root", str(project), "build"]
    with folder_lock(out, "--out"):
        waiting = subprocess.Popen(
            [*command, "--out", str(out), "--wait"], stderr=subprocess.PIPE, text=True
        )
        time.sleep(5)  # the mini build takes about 1 s: by now it has reached the lock
        assert waiting.poll() is None, "the build did not wait"
        assert not out.exists()
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0
    assert err == (f"waiting: another notices command (process {os.getpid()}) is writing {out}\n")
    assert (out / "index.json").is_file()


def test_a_lock_file_removed_while_waited_for_is_not_shared(tmp_path: Path) -> None:
    """The holder removes the lock file as it lets go; a waiter then takes a new one, so
    two holders never overlap."""
    out = tmp_path / "out"
    inside = threading.Lock()
    overlaps: list[int] = []

    def hold() -> None:
        for _ in range(20):
            with folder_lock(out, "--out", wait=True):
                if not inside.acquire(blocking=False):
                    overlaps.append(1)
                    continue
                time.sleep(0.002)
                inside.release()

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []
    assert not lock_path(out).exists()


def _index_matches_disk(out: Path) -> list[str]:
    """What differs between index.json and the files under ``out``."""
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    listed = {entry["file"]: entry for entry in index}
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in ("index.json", ".inputs", ".gitkeep")
    }
    problems = [f"missing {f}" for f in sorted(set(listed) - on_disk)]
    problems += [f"not indexed {f}" for f in sorted(on_disk - set(listed))]
    for name in sorted(set(listed) & on_disk):
        data = (out / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != listed[name]["sha256"]:
            problems.append(f"sha256 of {name}")
    return problems


def _builds(root: Path, out: Path, second: list[str]) -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, "-m", "builder", "--root", str(root), "build", "--rebuild-all"]
    yield subprocess.Popen(
        [*command, "--out", str(out), "--jobs", "1"], stderr=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    yield subprocess.Popen(
        [*command, "--out", str(out), "--jobs", "2", *second], stderr=subprocess.PIPE, text=True
    )


def test_two_builds_at_once_never_publish_an_incomplete_output(
    project: Path, tmp_path: Path
) -> None:
    """The issue's reproduction: a build started while another writes the same folder.
    With four amendments (73 files), builds without the lock lost files in 7 of 10 such
    attempts (measured on the commit before it)."""
    words = ["区域対応方針", "対応方針"]
    for k in range(4):
        change = f"  - {{at: 記の2, replace: {words[k % 2]}, with: {words[(k + 1) % 2]}}}\n"
        text = amendment_yaml(f"医政発050{k + 1}第1号", f"2024-05-0{k + 1}", change)
        (project / "amendments" / f"a{k}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    refused = waited = 0
    for attempt in range(20):
        second = ["--wait"] if attempt % 2 else []
        processes = list(_builds(project, out, second))
        results = [(p.wait(timeout=300), p.communicate()[1]) for p in processes]
        for code, err in results:
            if code == 1:
                assert "is writing it; wait for it to finish, or rerun with --wait" in err
                refused += 1
            else:
                assert code == 0, err
                waited += err.startswith("waiting: ")
        assert _index_matches_disk(out) == [], f"attempt {attempt}"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]
    assert refused + waited >= 1, "the two builds never overlapped"
