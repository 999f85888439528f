"""A project in a folder with a Japanese name (通知作業), built into another (出力) with
workers started by ``spawn`` (as on Windows and macOS, where the folder's name travels to
each worker pickled): the same files, byte for byte, as the fork build of the project
where it is; a second build finds nothing to do."""

from __future__ import annotations

from pathlib import Path

from tests.build.start_methods import cli_build, copy_project, files_of, index_without_keys


def test_a_project_under_japanese_names_builds_the_same_files(
    fork_build: Path, tmp_path: Path
) -> None:
    root = copy_project(tmp_path / "通知作業" / "令和7年度")
    out = tmp_path / "出力"
    printed = cli_build(root, out, "spawn")
    assert str(out) in printed
    assert files_of(out) == files_of(fork_build)
    assert index_without_keys(out) == index_without_keys(fork_build)
    assert "up to date" in cli_build(root, out, "spawn")
    # an edit under the Japanese path is seen: only what depends on it is made anew
    notice = next((root / "notices").glob("*.yaml"))
    notice.write_text(notice.read_text("utf-8") + "\n# 追記\n", encoding="utf-8")
    assert "kept unchanged" in cli_build(root, out, "spawn")
