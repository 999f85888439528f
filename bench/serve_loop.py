"""The drafter's loop: save an amendment → the open page reloads (issue 18, item 2).

    python bench/serve_loop.py [--edits 10] [--keep DIR]

What it does. Copies this repository's sources (notices/, amendments/, forms/,
templates/, issued.yaml) into a temporary folder and adds an amendment in progress
(医政発0602第1号 of 2025-06-02: 別添1 兵庫県の項 「東播磨」 → a quote; not issued, so it
may change). Starts ``notices serve --port 0`` on it (``python -m builder`` from this
checkout), waits for the first build and the warm-up, and reads the event stream as an
open page does (:class:`builder.serve.client.EventStream`). Then ``--edits`` times
(default 10): writes the amendment with a new quote and measures

* **edit → reload**: from just before the write to the event that tells the amendment's
  page to reload (the page then shows the new 改め文; checked after each edit);
* **edit → files**: to the event saying every file (Word, PDF, Excel …) was rebuilt;
* the server's own time for the pages, wall and CPU (its ``pages rendered in`` line;
  the CPU seconds are what other load on a shared machine disturbs least).

Then, on a second copy, ``notices build`` (a fresh process: the cold incremental build of
the same change, as a drafter without ``serve`` runs it) after each of the same edits,
the previous build in place. Prints the medians (min–max), the target (edit → reload
≤ 0.3 s) with PASS/FAIL, and exits 0 either way (a benchmark, not a test); exits 2 if the
server or a build fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.serve.client import EventStream  # noqa: E402

AMENDMENT = "amendments/2025-06-02_isei-0602-1.yaml"
TEMPLATE = """\
number: 医政発0602第1号
date: 2025-06-02
notice: 医政発0731第1号
provenance: bench/serve_loop.py (an amendment in progress)
changes:
  - at: 別添1 兵庫県の項
    replace: 東播磨
    with: {quote}
"""
PAGE = "site/医政発0731第1号/2025-06-02/amendment.html"
QUOTES = (
    "西播磨",
    "北播磨",
    "南播磨",
    "中播磨",
    "播磨灘",
    "淡路北",
    "淡路南",
    "但馬北",
    "但馬南",
    "丹波東",
)
TARGET_SECONDS = 0.3
READY_SECONDS = 600


def copy_sources(target: Path) -> Path:
    for name in ("notices", "amendments", "forms", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "issued.yaml", target / "issued.yaml")
    (target / AMENDMENT).write_text(TEMPLATE.format(quote="東播磨甲"), encoding="utf-8")
    return target


def quotes(count: int) -> list[str]:
    return [f"{QUOTES[i % len(QUOTES)]}{'甲' * (i // len(QUOTES))}" for i in range(count)]


def wait_for(log: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text(encoding="utf-8"):
            return
        time.sleep(0.1)
    raise TimeoutError(f"the server did not print {text!r}: {log.read_text(encoding='utf-8')}")


def warm_loop(
    root: Path, edits: list[str]
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Edit → reload and edit → files (seconds) per edit, and the server's times for the
    pages (wall, CPU)."""
    log = root.parent / "serve.log"
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "builder", "--root", str(root), "serve", "--port", "0"],
            cwd=root,  # out-preview/ goes there
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("serving "):
            raise RuntimeError(f"notices serve did not start: {line!r} {log.read_text()}")
        address = line.split()[1].removeprefix("http://").rstrip("/")
        host, port = address.rsplit(":", 1)
        wait_for(log, "warm: ", READY_SECONDS)
        events = EventStream(host, int(port), timeout=120)
        events.until(lambda e: not e["building"], READY_SECONDS)  # the first build done
        reload_times: list[float] = []
        file_times: list[float] = []
        for text in edits:
            start = time.perf_counter()
            (root / AMENDMENT).write_text(TEMPLATE.format(quote=text), encoding="utf-8")
            events.until(lambda e: e["reload"] is None or PAGE in e["reload"], 60)
            reload_times.append(time.perf_counter() - start)
            events.until(lambda e: not e["building"], 120)
            file_times.append(time.perf_counter() - start)
            with urllib.request.urlopen(f"http://{address}/{quote(PAGE)}") as response:
                page = response.read().decode("utf-8")
            if f"「東播磨」を「{text}」に改める" not in page:
                raise RuntimeError(f"the page does not show the new 改め文 ({text})")
            time.sleep(0.5)
        events.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    found = re.findall(r"pages rendered in ([0-9.]+) s \(CPU ([0-9.]+) s", log.read_text())
    pages = [float(wall) for wall, _ in found][-len(edits) :]
    cpu = [float(seconds) for _, seconds in found][-len(edits) :]
    return reload_times, file_times, pages, cpu


def cold_loop(root: Path, edits: list[str]) -> list[float]:
    """``notices build`` (a fresh process) after each edit, seconds."""
    command = [sys.executable, "-m", "builder", "--root", str(root), "build", "--out"]
    command.append(str(root / "out"))
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    times = []
    for text in edits:
        (root / AMENDMENT).write_text(TEMPLATE.format(quote=text), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def spread(values: Sequence[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--edits", type=int, default=10, help="edits to time (default 10)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="serve-loop-"))
    edits = quotes(args.edits)
    try:
        reloads, files, pages, cpu = warm_loop(copy_sources(work / "serve"), edits)
        cold = cold_loop(copy_sources(work / "build"), edits)
    except (RuntimeError, TimeoutError, subprocess.CalledProcessError) as exc:
        print(f"serve_loop failed: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    verdict = "PASS" if statistics.median(reloads) <= TARGET_SECONDS else "FAIL"
    print(
        f"serve_loop: {len(edits)} edits of the quote of {AMENDMENT} (loadavg {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  notices serve, edit → reload event:     {spread(reloads)}  target ≤ {TARGET_SECONDS} s: {verdict}"
    )
    print(f"  notices serve, its pages phase:         {spread(pages)}")
    print(f"  notices serve, its pages phase, CPU:    {spread(cpu)}")
    print(f"  notices serve, edit → every file built: {spread(files)}")
    print(f"  notices build (cold, incremental):      {spread(cold)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
