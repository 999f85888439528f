"""A rebuild keeps a previous file only if it is the regular file the index describes,
reached without following any symlink: a folder (or file) of ``out/`` replaced by a
symlink, however well the files it points to match the index's names, sizes and times,
is made anew; so is a file whose size differs from the index."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from builder.build.build_record import INDEX, recorded_inputs, up_to_date
from builder.build.cache import ChangedError, keep, previous_files
from builder.build.write import build
from builder.sources.workspace import Workspace
from tests.conftest import ROOT

FOLDER = "医政発0731第1号/2024-07-31"
FILE = f"{FOLDER}/consolidated.txt"


def _fake_build(out: Path, files: dict[str, bytes]) -> None:
    """A previous build in ``out``: ``files`` and an index of them written after them."""
    entries = []
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
        entries.append(
            {
                "file": name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "key": f"key-{name}",
            }
        )
    (out / INDEX).write_text(json.dumps(entries), encoding="utf-8")


def _swap_for_symlink(out: Path, name: str, elsewhere: Path) -> Path:
    """Move ``out/name`` to ``elsewhere`` and leave a symlink to it in its place; the moved
    copy is edited without changing its size or times (the index still matches it)."""
    elsewhere.parent.mkdir(parents=True, exist_ok=True)
    (out / name).rename(elsewhere)
    (out / name).symlink_to(elsewhere, target_is_directory=elsewhere.is_dir())
    return elsewhere


def _edit_in_place(path: Path) -> None:
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[0] ^= 0x01
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_files_under_a_symlinked_folder_are_not_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fake_build(out, {"a/b/one.txt": b"one", "a/two.txt": b"two", "three.txt": b"three"})
    assert set(previous_files(out)) == {"a/b/one.txt", "a/two.txt", "three.txt"}
    moved = _swap_for_symlink(out, "a/b", tmp_path / "elsewhere" / "b")
    _edit_in_place(moved / "one.txt")
    assert set(previous_files(out)) == {"a/two.txt", "three.txt"}
    _swap_for_symlink(out, "a", tmp_path / "elsewhere" / "a")
    assert set(previous_files(out)) == {"three.txt"}


def test_a_file_replaced_by_a_symlink_is_not_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fake_build(out, {"a/one.txt": b"one", "two.txt": b"two"})
    _swap_for_symlink(out, "a/one.txt", tmp_path / "elsewhere" / "one.txt")
    assert set(previous_files(out)) == {"two.txt"}


def test_a_file_of_another_size_is_not_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fake_build(out, {"a/one.txt": b"one", "two.txt": b"two"})
    written = (out / INDEX).stat().st_mtime_ns
    (out / "a/one.txt").write_bytes(b"one more")
    os.utime(out / "a/one.txt", ns=(written - 10**9, written - 10**9))  # looks old
    assert set(previous_files(out)) == {"two.txt"}


def test_keep_links_the_file_it_checked_or_refuses(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _fake_build(out, {"a/one.txt": b"one", "two.txt": b"two"})
    previous = previous_files(out)
    staging = tmp_path / "staging"
    staging.mkdir()
    keep(previous["two.txt"], staging / "two.txt")
    assert (staging / "two.txt").stat().st_ino == (out / "two.txt").stat().st_ino
    # between previous_files and keep, the folder is swapped for a symlink to a look-alike
    _swap_for_symlink(out, "a", tmp_path / "elsewhere" / "a")
    with pytest.raises(ChangedError):
        keep(previous["a/one.txt"], staging / "one.txt")
    assert not (staging / "one.txt").exists()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real sources."""
    root = tmp_path_factory.mktemp("project")
    for name in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / name, root / name)
    return root


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("swapped", [FOLDER, FILE])
def test_a_rebuild_makes_anew_what_a_symlink_replaced(
    project: Path, tmp_path: Path, swapped: str
) -> None:
    out = tmp_path / "out"
    build(Workspace(project), out, jobs=2)
    fresh = _snapshot(out)
    moved = _swap_for_symlink(out, swapped, tmp_path / "elsewhere" / Path(swapped).name)
    _edit_in_place(moved / "consolidated.txt" if moved.is_dir() else moved)
    recorded = recorded_inputs(out)
    assert recorded is not None and not up_to_date(out, recorded)
    result = build(Workspace(project), out, jobs=2)
    assert not (out / swapped).is_symlink()
    assert _snapshot(out) == fresh
    assert result.kept > 0


def test_a_previous_file_changed_during_the_build_is_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep() finding the previous file changed (ChangedError) is not a failure: the build
    makes that file anew, and the result is what a fresh build writes."""
    import builder.build.write

    workspace = Workspace(ROOT)
    fresh, out = tmp_path / "fresh", tmp_path / "out"
    build(workspace, fresh, jobs=1, inputs="x")
    build(workspace, out, jobs=1, inputs="x")

    def changed(previous: object, target: Path) -> None:
        raise ChangedError("changed meanwhile")

    monkeypatch.setattr(builder.build.write, "keep", changed)
    written = build(workspace, out, jobs=1, inputs="x")
    assert written.kept == 0
    assert (out / INDEX).read_bytes() == (fresh / INDEX).read_bytes()
