"""The no-op rebuild's fast path: sha256 of the inputs remembered by stat (an edit that
keeps size and mtime is still seen, through the ctime; a file changed in the last two
seconds is always hashed), one walk of the output folder compared with what the build
recorded (index.json parsed only when something was added beside the build), and
nothing heavy imported when there is nothing to do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.build import build_record, cache, file_digests
from builder.build.file_digests import FileDigests
from builder.build.write import build
from builder.core.diskcache import CACHE_ENV
from builder.sources.workspace import Workspace
from tests.conftest import ROOT


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, and files counted as settled at once (the
    racy window is tested on its own)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    monkeypatch.setattr(file_digests, "RACY_NS", 0)
    build_record.code_digest.cache_clear()
    return folder


def _files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"f{n}.yaml" for n in range(count)]
    for n, path in enumerate(paths):
        path.write_text(f"n: {n}\n", encoding="utf-8")
    return paths


def _digests(paths: list[Path]) -> tuple[FileDigests, list[str]]:
    digests = FileDigests("test")
    found = [digests.sha256(str(p), os.stat(p)) for p in paths]
    digests.save()
    return digests, found


def test_a_file_seen_before_is_not_read_again(private_cache: Path, tmp_path: Path) -> None:
    paths = _files(tmp_path / "src", 5)
    first, hashes = _digests(paths)
    assert first.hashed == 5
    second, again = _digests(paths)
    assert second.hashed == 0 and again == hashes
    paths[2].write_text("n: 22\n", encoding="utf-8")
    third, changed = _digests(paths)
    assert third.hashed == 1 and changed[2] != hashes[2] and changed[:2] == hashes[:2]


def test_an_edit_that_keeps_size_and_mtime_is_seen(private_cache: Path, tmp_path: Path) -> None:
    """As ``touch -d`` after an edit, or an editor that puts the mtime back: size and
    mtime as before, but the ctime moved, so the file is read again."""
    (path,) = _files(tmp_path / "src", 1)
    before = os.stat(path)
    _, (old,) = _digests([path])
    time.sleep(0.01)  # a later ctime even on a coarse clock
    path.write_text("n: 9\n", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    digests, (new,) = _digests([path])
    assert digests.hashed == 1 and new != old


def test_a_file_changed_in_the_last_seconds_is_never_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racy files (git's word): changed less than RACY_NS before they were hashed, an
    edit in the same clock tick could leave their stat as it is; hashed every time."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    assert file_digests.RACY_NS >= 1_000_000_000
    fresh, settled = _files(tmp_path / "src", 2)
    old = time.time_ns() - 10 * file_digests.RACY_NS
    os.utime(settled, ns=(old, old))  # the ctime is now: still racy
    first, _ = _digests([fresh, settled])
    assert first.hashed == 2
    second, _ = _digests([fresh, settled])
    assert second.hashed == 2
    monkeypatch.setattr(file_digests, "time", _clock_ahead(3 * file_digests.RACY_NS))
    _digests([fresh, settled])  # hashed and remembered: settled by then
    fourth, _ = _digests([fresh, settled])
    assert fourth.hashed == 0


class _clock_ahead:
    def __init__(self, ahead: int) -> None:
        self.ahead = ahead

    def time_ns(self) -> int:
        return time.time_ns() + self.ahead


def test_a_damaged_record_is_ignored(private_cache: Path, tmp_path: Path) -> None:
    paths = _files(tmp_path / "src", 3)
    first, hashes = _digests(paths)
    assert first.path is not None and first.path.is_file()
    data = bytearray(first.path.read_bytes())
    data[-5] ^= 1
    first.path.write_bytes(bytes(data))
    second, again = _digests(paths)
    assert second.hashed == 3 and again == hashes


def test_the_remembered_digest_equals_the_one_read_from_scratch(
    private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remembered = [build_record.inputs_digest(ROOT), build_record.inputs_digest(ROOT)]
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))  # no cache: every file read
    build_record.code_digest.cache_clear()
    assert remembered == [build_record.inputs_digest(ROOT)] * 2


@pytest.fixture
def built(
    private_cache: Path, make_project: Callable[..., Path], tmp_path: Path
) -> tuple[Path, Path]:
    root = make_project()
    out = tmp_path / "out"
    build(Workspace(root), out, jobs=1)
    return root, out


def _no_index(out: Path) -> None:
    raise AssertionError("index.json parsed")


def _no_walk(*args: object, **kwargs: object) -> None:
    raise AssertionError("the output folder walked")


def test_a_noop_checks_the_record_and_walks_nothing(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record of .inputs answers: one lstat a recorded folder and file; no walk of
    the tree, no index.json."""
    root, out = built
    inputs = build_record.inputs_digest(root)
    monkeypatch.setattr(cache, "_index_entries", _no_index)
    monkeypatch.setattr(build_record, "walk", _no_walk)
    assert build_record.up_to_date(out, inputs)


def test_a_file_added_beside_the_build_does_not_count(built: tuple[Path, Path]) -> None:
    root, out = built
    inputs = build_record.inputs_digest(root)
    document = next(out.rglob("consolidated.docx"))
    (document.parent / f"~${document.name}").write_bytes(b"Word's lock file")
    assert build_record.up_to_date(out, inputs)  # index.json read: every file it lists is there


@pytest.mark.parametrize("damage", ["edit", "same size", "delete", "symlink", "no .gitkeep"])
def test_an_output_no_longer_as_built_is_not_up_to_date(
    built: tuple[Path, Path], tmp_path: Path, damage: str
) -> None:
    root, out = built
    inputs = build_record.inputs_digest(root)
    text = next(out.rglob("consolidated.txt"))
    time.sleep(0.01)
    if damage == "edit":
        text.write_text("edited\n", encoding="utf-8")
    elif damage == "same size":
        text.write_bytes(b"x" * text.stat().st_size)  # a later mtime than .inputs
    elif damage == "delete":
        text.unlink()
    elif damage == "symlink":
        moved = tmp_path / "elsewhere.txt"
        text.rename(moved)
        text.symlink_to(moved)
    else:
        (out / ".gitkeep").unlink()
    assert not build_record.up_to_date(out, inputs)


def test_a_changed_source_is_not_up_to_date(built: tuple[Path, Path]) -> None:
    root, out = built
    notice = root / "notices" / "mini.yaml"
    notice.write_text(notice.read_text("utf-8").replace("甲は乙", "甲は丙"), encoding="utf-8")
    assert not build_record.up_to_date(out, build_record.inputs_digest(root))


def test_an_inputs_file_without_the_record_is_not_up_to_date(
    built: tuple[Path, Path],
) -> None:
    """An .inputs of one line (a builder before the record) is never taken as up to date,
    even with the right digest: the build is made again and writes the record."""
    root, out = built
    inputs = build_record.inputs_digest(root)
    written = (out / "index.json").stat().st_mtime_ns
    (out / ".inputs").write_text(inputs + "\n", encoding="ascii")
    os.utime(out / ".inputs", ns=(written, written))
    assert not build_record.up_to_date(out, inputs)


def test_a_folder_replaced_by_a_symlink_to_its_copy_is_not_up_to_date(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every file under it is still found, of its size and age, through the symlink;
    the folder's own line of the record is what tells."""
    root, out = built
    inputs = build_record.inputs_digest(root)
    folder = next(out.rglob("consolidated.txt")).parent
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, copy_function=shutil.copy2)
    shutil.rmtree(folder)
    folder.symlink_to(copy, target_is_directory=True)
    assert (folder / "consolidated.txt").is_file()
    assert not build_record.up_to_date(out, inputs)


def test_the_record_is_the_same_for_two_builds(built: tuple[Path, Path], tmp_path: Path) -> None:
    """.inputs holds paths and sizes only, sorted: two builds stay byte-identical; every
    folder and file of the build is in it."""
    root, out = built
    again = tmp_path / "again"
    build(Workspace(root), again, jobs=1)
    assert (again / ".inputs").read_bytes() == (out / ".inputs").read_bytes()
    lines = (out / ".inputs").read_text("utf-8").splitlines()
    assert lines[1] == build_record.RECORD_FORM and len(lines) == 3
    record = json.loads(lines[2])
    listed = {name for _, name in record["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    folders = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}
    assert record["folders"] == sorted(folders)
    assert listed == on_disk - {".inputs"}


NOT_IN_A_NOOP = (
    "reportlab",
    "docx",
    "openpyxl",
    "jinja2",
    "pydantic",
    "yaml",
    "lxml",
    "pypdf",
    "builder.build.write",
    "builder.build.plan",
    "builder.model",
    "builder.engine",
    "builder.writers",
    "builder.documents",
    "builder.drafting",
    "builder.sources",
    "click",
    "builder.cli.app",
    "builder.cli.run",
)
"""What a build with nothing to do must not import (its libraries, the pipeline and the
command line library: :mod:`builder.cli.quick_build` answers first)."""


def test_a_noop_imports_nothing_heavy(built: tuple[Path, Path]) -> None:
    """``notices build`` with nothing to do, in a new process: which of the modules above
    it imported (measured after the command, in that process)."""
    root, out = built
    # a build in a new process first: its code digest is that of the builder's files now
    # (in a checkout shared with others, they may have changed since this process began)
    command = [sys.executable, "-m", "builder", "--root", str(root), "build", "--out", str(out)]
    subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
    script = (
        "import sys\n"
        "from builder.cli.main import main\n"
        f"status = main(['--root', {str(root)!r}, 'build', '--out', {str(out)!r}])\n"
        f"heavy = [m for m in sys.modules if m.startswith({NOT_IN_A_NOOP!r})]\n"
        "print(status, sorted(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "up to date" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout
