"""Helpers of the start-method and path tests: a full ``notices build`` in a new process
with a chosen start method, and what two builds' files are (to compare them byte for
byte)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from builder.build.parallel import START_METHOD_ENV
from tests.conftest import ROOT

SOURCES = ("notices", "amendments", "forms", "templates", "issued.yaml")
"""What a project holds that a build reads (copied into another folder by the tests)."""


def copy_project(target: Path, names: tuple[str, ...] = SOURCES) -> Path:
    """The project's sources (``names``, the folders and files there are) copied into
    ``target`` (made with its parents)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def cli_build(root: Path, out: Path, method: str, jobs: int = 2) -> str:
    """``notices --root ROOT build --out OUT --jobs JOBS`` in a new process whose workers
    start with ``method``; what it printed. Fails the test with its stderr if it fails."""
    command = [sys.executable, "-m", "builder", "--root", str(root), "build"]
    result = subprocess.run(
        [*command, "--out", str(out), "--jobs", str(jobs)],
        env={**os.environ, START_METHOD_ENV: method},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def files_of(out: Path) -> dict[str, str]:
    """Every file under ``out`` (relative POSIX path) with the sha256 of its bytes,
    except ``.inputs`` and ``index.json``, which hold digests of the builder's own code
    (compared separately, without the content keys)."""
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name not in (".inputs", "index.json")
    }


def index_without_keys(out: Path) -> list[dict[str, object]]:
    """index.json's entries without their content keys (a key includes the digest of the
    builder's files, which another engineer's edit in a shared checkout changes)."""
    entries: list[dict[str, object]] = json.loads((out / "index.json").read_text("utf-8"))
    return [{k: v for k, v in entry.items() if k != "key"} for entry in entries]
