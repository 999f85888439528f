"""Incremental and parallel builds: a rebuild keeps exactly the files whose content key
is unchanged, and what it leaves in out/ is byte for byte what a fresh build of the same
sources writes; a file changed in out/ after the build is made again; work done in
worker processes reports its errors like work done in the build's own process."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from builder.build import parallel
from builder.build.cache import content_key
from builder.build.parallel import Task, work_units
from builder.build.plan import Output, outputs
from builder.build.write import build, write_atomically
from builder.cli.main import main
from builder.core.errors import NoticeError
from builder.drafting.issued import Render
from builder.sources.workspace import Workspace
from tests.conftest import ROOT

AMENDMENT = "amendments/2025-01-20_isei-0120-2.yaml"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def made_files(out: Path, before: dict[str, str]) -> set[str]:
    """Files of ``out`` (not the site) whose inode differs from the one ``before`` saw."""
    return {
        name
        for name, entry in _inodes(out).items()
        if not name.startswith("site/") and before.get(name) != entry
    }


def _inodes(out: Path) -> dict[str, str]:
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return {e["file"]: f"{(out / e['file']).stat().st_ino}" for e in entries}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real sources, to edit."""
    root = tmp_path_factory.mktemp("project")
    for name in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / name, root / name)
    return root


def test_rebuilds_keep_what_did_not_change(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(Workspace(project), out, jobs=2)
    assert first.kept == 0
    fresh = snapshot(out)
    inodes = _inodes(out)

    again = build(Workspace(project), out, jobs=2)
    site_files = sum(1 for name in fresh if name.startswith("site/"))
    assert again.files == first.files
    assert again.kept == first.files - site_files  # everything but the site
    assert snapshot(out) == fresh
    assert made_files(out, inodes) == set()

    # 鳥取県 東部 loses its （●） in the amendment of 2025-01-20: that version's documents
    # and 別添1 change, and so do the consolidated text and 別添1 of the later version;
    # nothing of 2024, the letters (they do not quote the change), or the forms.
    source = project / AMENDMENT
    original = source.read_text(encoding="utf-8")
    try:
        source.write_text(original.replace("model: true", "model: false"), encoding="utf-8")
        inodes = _inodes(out)
        build(Workspace(project), out, jobs=2)
        expected = {
            *(
                f"医政発0731第1号/2025-01-20/{kind}.{fmt}"
                for kind in ("consolidated", "cover-notice", "comparison")
                for fmt in ("txt", "docx", "pdf")
            ),
            "医政発0731第1号/2025-01-20/kaibun.txt",
            *(f"医政発0731第1号/2025-01-20/別添1.{fmt}" for fmt in ("csv", "xlsx", "pdf")),
            *(f"医政発0731第1号/2025-03-27/consolidated.{fmt}" for fmt in ("txt", "docx", "pdf")),
            *(f"医政発0731第1号/2025-03-27/別添1.{fmt}" for fmt in ("csv", "xlsx", "pdf")),
        }
        assert made_files(out, inodes) == expected
        assert "「東部（●）」" not in (out / "医政発0731第1号/2025-01-20/kaibun.txt").read_text(
            encoding="utf-8"
        )
        # ... and the result is exactly a fresh one-process build of the changed sources.
        reference = tmp_path / "reference"
        build(Workspace(project), reference, jobs=1)
        assert snapshot(out) == snapshot(reference)
    finally:
        source.write_text(original, encoding="utf-8")


def test_a_file_changed_in_out_is_made_again(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(Workspace(project), out, jobs=2)
    fresh = snapshot(out)
    inodes = _inodes(out)
    target = out / "医政発0731第1号/2024-07-31/consolidated.txt"
    target.write_text("edited by hand\n", encoding="utf-8")  # same inode, newer than the index
    built_at = (out / "index.json").stat().st_mtime_ns
    os.utime(target, ns=(built_at + 10**9, built_at + 10**9))
    (out / "医政発0731第1号/2024-07-31/別添1.csv").unlink()
    build(Workspace(project), out, jobs=2)
    assert snapshot(out) == fresh
    assert made_files(out, inodes) == {
        "医政発0731第1号/2024-07-31/consolidated.txt",
        "医政発0731第1号/2024-07-31/別添1.csv",
    }


def test_a_damaged_index_means_a_full_build(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(Workspace(project), out, jobs=2)
    (out / "index.json").write_text("[{not json", encoding="utf-8")
    again = build(Workspace(project), out, jobs=2)
    assert again.kept == 0 and again.files == first.files


def test_every_output_of_the_real_build_has_a_content_key(workspace: Workspace) -> None:
    keys = [output.key() for output in outputs(workspace)]
    assert None not in keys
    assert len(set(keys)) == len(keys)  # no two files from the same writer and arguments


def test_content_key_refuses_an_unfaithful_repr() -> None:
    def writer(value: object) -> bytes:
        return b""

    assert content_key(writer, (object(),)) is None
    assert content_key(writer, ("a",)) != content_key(writer, ("b",))


def _failing(message: str) -> bytes:
    raise NoticeError(message)


def _files(count: int, fail_at: int) -> Iterator[Output]:
    for index in range(count):
        if index == fail_at:
            make = partial(_failing, f"document {index} cannot be made")
        else:
            make = partial(str.encode, f"file {index}\n")
        yield Output(f"folder/{index}.txt", make, "n", "v", "k", "txt")


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_in_a_worker_is_raised_and_out_is_untouched(tmp_path: Path, jobs: int) -> None:
    out = tmp_path / "out"
    write_atomically(out, _files(3, fail_at=-1))
    before = snapshot(out)
    with pytest.raises(NoticeError, match="document 7 cannot be made"):
        write_atomically(out, _files(12, fail_at=7), jobs=jobs)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_build_with_nothing_to_do_does_nothing(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    command = ["--root", str(project), "build", "--out", str(out)]
    assert main(command) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    capsys.readouterr()

    assert main(command) == 0
    assert "is up to date" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before

    # Any source file, even one the loader would not read, means building again ...
    note = project / "amendments" / "notes.txt"
    note.write_text("a drafter's note\n", encoding="utf-8")
    try:
        assert main(command) == 0
        assert "kept unchanged" in capsys.readouterr().out
    finally:
        note.unlink()
    assert main(command) == 0
    assert "kept unchanged" in capsys.readouterr().out
    assert main(command) == 0
    assert "is up to date" in capsys.readouterr().out

    # --rebuild-all makes every file anew (and leaves the same bytes).
    assert main([*command, "--rebuild-all"]) == 0
    assert " made, 0 kept unchanged" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} != before
    # ... and so does a file of out/ that is no longer as the build left it.
    for damage in ("unlink", "edit"):
        kaibun = out / "医政発0731第1号/2024-10-10/kaibun.txt"
        if damage == "unlink":
            kaibun.unlink()
        else:
            (out / "site" / "index.html").write_text("<p>edited</p>\n", encoding="utf-8")
        assert main(command) == 0
        assert "kept unchanged" in capsys.readouterr().out
        assert kaibun.is_file()
        assert (out / "site" / "index.html").read_text(encoding="utf-8") != "<p>edited</p>\n"


def test_work_units_keep_groups_whole_and_start_with_the_costliest() -> None:
    def task(path: str, group: str = "") -> Task:
        return Task(path, partial(bytes), group)

    tasks = [
        task("a.txt"),
        task("form/x.xlsx", "x.xlsx"),
        task("form/y.xlsx", "x.xlsx"),
        task("b.pdf"),
        task("form/x.pdf", "x.pdf"),
        task("form/y.pdf", "x.pdf"),
        task("c.docx"),
    ]
    assert work_units(tasks) == [(4, 5), (1, 2), (3,), (6,), (0,)]


def test_a_worker_gets_more_of_the_formats_it_has_made() -> None:
    """The queue of builder.build.parallel: costliest first, but a worker that has made PDFs
    is given the next PDF before a costlier .docx, and a fresh one the costliest."""
    tasks = [
        Task("f/a.pdf", partial(bytes), "a.pdf"),
        Task("f/b.pdf", partial(bytes), "a.pdf"),
        Task("f/a.docx", partial(bytes), "a.docx"),
        Task("f/b.docx", partial(bytes), "a.docx"),
        Task("n.docx", partial(bytes)),
        Task("n.pdf", partial(bytes)),
        Task("n.txt", partial(bytes)),
    ]
    queue = parallel._Queue(tasks, work_units(tasks))
    pdf_worker: set[str] = set()
    docx_worker: set[str] = set()
    assert queue.next_for(pdf_worker) == (0, 1) and pdf_worker == {".pdf"}
    assert queue.next_for(docx_worker) == (2, 3) and docx_worker == {".docx"}
    assert queue.next_for(docx_worker) == (4,)  # its .docx, though n.pdf costs more
    assert queue.next_for(pdf_worker) == (5,)
    assert queue.next_for(pdf_worker) == (6,)  # nothing of its own left: the costliest
    assert not queue and pdf_worker == {".pdf"}


def _exit_worker() -> bytes:
    os._exit(3)


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    tasks = [Task(f"{n}.txt", partial(str.encode, f"{n}\n")) for n in range(6)]
    tasks[4] = Task("4.txt", _exit_worker)
    with pytest.raises(parallel.WorkerError, match=r"ended unexpectedly \(exit code 3\)"):
        list(parallel.make_files(tmp_path, tasks, jobs=2))
    assert not multiprocessing.active_children()


def test_every_task_is_made_once_on_every_core(tmp_path: Path) -> None:
    tasks = [
        Task(f"{n}.{suffix}", partial(str.encode, f"{n}\n"), group=f"g{n % 3}" if n % 2 else "")
        for n, suffix in enumerate(["pdf", "docx", "xlsx", "txt"] * 10)
    ]
    made = list(parallel.make_files(tmp_path, tasks, jobs=3))
    assert sorted(m.index for m in made) == list(range(len(tasks)))
    for m in made:
        data = (tmp_path / tasks[m.index].path).read_bytes()
        assert data == f"{m.index}\n".encode() and m.sha256 == hashlib.sha256(data).hexdigest()
    assert not multiprocessing.active_children()


def test_library_versions_are_the_ones_importlib_metadata_finds() -> None:
    from importlib import metadata

    from builder.build.build_record import LIBRARIES, library_versions

    versions = library_versions()
    for library in LIBRARIES:
        assert versions[library] == metadata.version(library), library


def test_a_build_collects_garbage_less_often_and_restores_the_thresholds(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from builder.cli import app as cli
    from builder.drafting import check as checks_sources

    seen: list[tuple[int, ...]] = []
    real = checks_sources.check_workspace  # the command imports it when it runs

    def checking(workspace: Workspace, render: Render) -> None:
        seen.append(gc.get_threshold())
        real(workspace, render)

    monkeypatch.setattr(checks_sources, "check_workspace", checking)
    before = gc.get_threshold()
    assert main(["--root", str(project), "build", "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    assert seen == [cli.GC_THRESHOLDS]
    assert gc.get_threshold() == before
