"""A temporary copy of the project's sources with an amendment in progress (not issued,
so its quote may change), and ``notices serve`` running on it on a free port."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.serve.client import EventStream
from tests.conftest import ROOT

IN_PROGRESS = "amendments/2025-06-02_isei-0602-1.yaml"
"""The amendment being drafted in the tests (after the three issued ones)."""

IN_PROGRESS_YAML = """\
number: 医政発0602第1号
date: 2025-06-02
notice: 医政発0731第1号
provenance: test fixture (an amendment in progress)
changes:
  - at: 別添1 兵庫県の項
    replace: 東播磨
    with: 西播磨
"""

AMENDMENT_PAGE = "site/医政発0731第1号/2025-06-02/amendment.html"


def copy_sources(target: Path) -> Path:
    """The sources of this repository (what a build reads) copied under ``target``,
    plus the amendment in progress."""
    for name in ("notices", "amendments", "forms", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "issued.yaml", target / "issued.yaml")
    (target / IN_PROGRESS).write_text(IN_PROGRESS_YAML, encoding="utf-8")
    return target


@dataclass
class Served:
    """A running ``notices serve``: its process, project and address."""

    process: subprocess.Popen[str]
    root: Path
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def log(self) -> str:
        """What it printed on stderr so far."""
        return (self.root.parent / "serve.log").read_text(encoding="utf-8")

    def wait_until_ready(self, seconds: float) -> None:
        """Wait for the first build of every file and for the warm-up (every writer
        loaded in the server), as a drafter who opened the page a little later."""
        deadline = time.monotonic() + seconds
        while "warm: " not in self.log:
            assert time.monotonic() < deadline, self.log
            time.sleep(0.1)
        events = EventStream(self.host, self.port)
        try:
            events.until(lambda e: not e["building"], deadline - time.monotonic())
        finally:
            events.close()


def start(root: Path, *args: str) -> Served:
    """``notices serve --port 0`` on ``root``, once it says where it serves."""
    log = (root.parent / "serve.log").open("w", encoding="utf-8")  # never a full pipe
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "--root", str(root), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log,
        cwd=root,  # the preview folder, out-preview/, is relative to it
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    log.close()
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("serving http://127.0.0.1:"):
        process.kill()
        process.wait()
        errors = (root.parent / "serve.log").read_text(encoding="utf-8")
        raise AssertionError(f"notices serve did not start: {line!r} {errors}")
    address = line.split()[1].removeprefix("http://").rstrip("/")
    host, port = address.rsplit(":", 1)
    return Served(process, root, host, int(port))


def stop(served: Served) -> None:
    """Stop the server if it still runs (as Ctrl-C would)."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
        try:
            served.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait()
    if served.process.stdout is not None:
        served.process.stdout.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``notices serve`` on a copy of the sources (its preview folder: out-preview/)."""
    root = copy_sources(tmp_path_factory.mktemp("serve") / "プロジェクト")
    running = start(root)
    try:
        yield running
    finally:
        stop(running)
