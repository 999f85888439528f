"""The files made by a forked copy of the process (``builder.serve.background``): a copy
stopped in the middle of its build leaves nothing behind and lets the next one run."""

from __future__ import annotations

import time
from pathlib import Path

from builder.core.folder_lock import lock_path
from builder.serve.background import FilesInChild
from builder.serve.preview import Preview
from tests.serve.conftest import copy_sources


def test_a_stopped_copy_leaves_no_staging_folder_and_no_lock(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "p")
    preview = Preview(root, root / "out-preview")
    loaded = preview.pages()
    child = FilesInChild(preview, loaded)
    deadline = time.monotonic() + 60
    while not list(root.glob(".out-preview.building-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(root.glob(".out-preview.building-*")), "the copy never started writing"
    assert child.cancel()
    assert child.reaped(wait=True)
    assert not child.cancel()  # once stopped, it stays stopped
    assert not list(root.glob(".out-preview.*")), list(root.iterdir())
    assert not lock_path(root / "out-preview").exists()
    out = root / "out-preview"
    # Never swapped in half-written: a stop that lands during the swap (which holds stop
    # signals) lets it finish, so the folder is then the whole build, else it is not there.
    assert not out.exists() or ((out / "index.json").is_file() and (out / ".inputs").is_file())
