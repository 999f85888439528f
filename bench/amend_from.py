"""amend-from on an edited consolidated .docx, in a cold process (issue 17's bench line).

    python bench/amend_from.py [--rounds N]

A copy of the project without the amendments of 医政発0731第1号 (so the original is in
force); its consolidated.docx as built, with 別添1's 北海道 cell typed over (the first real
amendment, 「調整中」 → 「中空知（●）」) and a word of 記の2 typed over (「2024年度中に」 →
「2025年度中に」, which the quotes and the 新旧対照表's marks cut with the analyser).
Each round runs ``notices amend-from edited.docx --dry-run`` in a new process and times
it (wall and CPU, median of N; CPU is what to compare on a shared machine), with the
analyser's share of that run (SudachiPy's import, its dictionary load and every
tokenizing call: the process runs the command with ``builder.japanese.words._tokens``
timed, ``--child``), beside ``notices --version`` (the command line's start-up). Then, in
this process, the same work is timed by stage: loading the sources, rendering the
version in force as text (the reference the form pages are compared with), reading the
edited .docx, and drafting (read against the version, diff, YAML, apply and compare).
Exits 0; prints the numbers.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOTICE = "医政発0731第1号"
NUMBER, DATE = "医政発1010第2号", "2024-10-10"


def project_copy(folder: Path) -> Path:
    """The project without the amendments of ``NOTICE`` (nor issued.yaml)."""
    for name in ("notices", "forms"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "amendments").mkdir()
    return folder


TEXT_EDIT = ("2024年度中に", "2025年度中に")
"""A word of 記の2 typed over in the body."""
ANALYSER = "analyser:"
"""The line the child process prints its analyser's seconds on (stderr)."""


def edited_docx(root: Path) -> bytes:
    """The consolidated .docx of the original, 北海道's cell and a word of 記の2 typed
    over."""
    import docx

    from builder.documents.compose import consolidated
    from builder.sources.workspace import Workspace
    from builder.writers.docx import render_docx

    workspace = Workspace(root)
    version = workspace.history(workspace.find_notice(NOTICE)).versions[0]
    document = docx.Document(io.BytesIO(render_docx(consolidated(version, "c", workspace.forms))))
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    typed = next((run for run in runs if TEXT_EDIT[0] in run.text), None)
    if typed is None:
        raise SystemExit(f"no run holds 「{TEXT_EDIT[0]}」 in the built body")
    typed.text = typed.text.replace(*TEXT_EDIT, 1)
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text == "北海道":
                paragraph = row.cells[1].paragraphs[0]
                paragraph.runs[0].text = "中空知（●）"
                out = io.BytesIO()
                document.save(out)
                return out.getvalue()
    raise SystemExit("no row 北海道 in the built 別添1")


def stages(root: Path, edited: bytes) -> dict[str, float]:
    """Seconds spent in each stage of the work, warm, in this process."""
    import datetime as dt

    from builder.documents.compose import consolidated
    from builder.drafting.from_document import amendment_from_document
    from builder.drafting.pieces import text_pieces
    from builder.drafting.read_docx_notice import docx_pieces
    from builder.sources.workspace import Workspace
    from builder.writers.text import render_text

    times: dict[str, float] = {}
    start = time.perf_counter()
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice(NOTICE))
    base = history.as_of(dt.date.fromisoformat(DATE))
    times["load sources"] = time.perf_counter() - start
    start = time.perf_counter()
    reference = text_pieces(render_text(consolidated(base, "c", workspace.forms)), "(built)")
    times["render the version in force as text"] = time.perf_counter() - start
    start = time.perf_counter()
    pieces = docx_pieces(edited, "edited.docx").pieces
    times["read the edited .docx"] = time.perf_counter() - start
    start = time.perf_counter()
    amendment_from_document(
        workspace.project,
        history,
        pieces,
        reference,
        "edited.docx",
        NUMBER,
        dt.date.fromisoformat(DATE),
    )
    times["draft (read, diff, apply, compare)"] = time.perf_counter() - start
    return times


def child(arguments: list[str]) -> int:
    """Run ``notices arguments`` in this process with the analyser timed: every call of
    ``builder.japanese.words._tokens`` (the first one imports SudachiPy and loads its
    dictionary); prints the total wall and CPU seconds on stderr at exit."""
    from builder.cli.main import main as notices
    from builder.japanese import words

    spent = [0.0, 0.0]
    tokens = words._tokens

    def timed(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return tokens(text)
        finally:
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu

    words._tokens = timed
    atexit.register(lambda: print(f"{ANALYSER} {spent[0]:.4f} {spent[1]:.4f}", file=sys.stderr))
    return notices(arguments)


def cold(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system) of ``command`` in a new process, and its
    output (stdout, then stderr); exits with its error when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout + done.stderr


def analyser_seconds(output: str) -> tuple[float, float]:
    """The analyser's wall and CPU seconds a child printed."""
    line = next(line for line in output.splitlines() if line.startswith(ANALYSER))
    wall, cpu = line.split()[1:]
    return float(wall), float(cpu)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        sys.exit(child(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        root = project_copy(Path(folder))
        edited = root / "edited.docx"
        edited.write_bytes(edited_docx(root))
        command = [sys.executable, __file__, "--child", "--root", str(root), "amend-from"]
        command += [str(edited), "--number", NUMBER, "--date", DATE, "--dry-run"]
        runs = [cold(command) for _ in range(rounds)]
        floor = [cold([sys.executable, "-m", "builder", "--version"]) for _ in range(rounds)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        floor_cpu = statistics.median(r[1] for r in floor)
        shares = [analyser_seconds(r[2]) for r in runs]
        analyser_wall = statistics.median(a[0] for a in shares)
        analyser_cpu = statistics.median(a[1] for a in shares)
        print(
            f"amend-from edited.docx, cold: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"(median of {rounds}); notices --version, cold: {floor_cpu:.2f} s CPU; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"  the analyser (SudachiPy import, dictionary, tokenizing): {analyser_wall:.2f} s "
            f"wall ({100 * analyser_wall / wall:.0f}% of the run), {analyser_cpu:.2f} s CPU "
            f"({100 * analyser_cpu / cpu:.0f}%)"
        )
        print(f"  first line: {runs[-1][2].splitlines()[0]}")
        times = stages(root, edited.read_bytes())
        total = sum(times.values())
        for name, seconds in times.items():
            print(f"  {name:<38} {seconds:6.3f} s  {100 * seconds / total:4.0f}%")


if __name__ == "__main__":
    main()
