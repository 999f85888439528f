"""Build benchmarks, measured side by side in one run (ratios, so they hold on a noisy
machine). Prints a table and exits 1 when a target is missed.

    python bench/benchmark.py [--rounds N]

1. PDFs: producing every PDF of the full build in a cold Python process, against
   LibreOffice converting the same build's .docx files in one batch call (own profile,
   warmed by one untimed run). Target: ours at least 5x faster.
2. Floor: a full build (`notices build`) in a cold process, against a cold process that
   only imports the libraries the build uses. Target: at most 3x the import time.

The median of N rounds (default 3) is reported for every timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IMPORTS = (
    "import yaml, pydantic, click, jaconv, jinja2, docx, openpyxl, reportlab.platypus, "
    "reportlab.pdfbase.ttfonts"
)
PDFS_ONLY = """
import sys
from pathlib import Path
from builder.build import outputs
from builder.workspace import Workspace
for output in outputs(Workspace(Path(sys.argv[1]))):
    if output.format == "pdf":
        output.make()
"""


def timed(command: list[str], **kwargs: object) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    python = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="notices-bench-"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    rows: list[tuple[str, str, str, bool]] = []
    try:
        out = scratch / "out"
        subprocess.run(
            [python, "-m", "builder", "--root", str(ROOT), "build", "--out", str(out)],
            check=True,
            capture_output=True,
        )
        build_times = [
            timed(
                [
                    python,
                    "-m",
                    "builder",
                    "--root",
                    str(ROOT),
                    "build",
                    "--out",
                    str(scratch / f"b{i}"),
                ],
                env=env,
            )
            for i in range(rounds)
        ]
        import_times = [timed([python, "-c", IMPORTS], env=env) for _ in range(rounds)]
        pdf_times = [timed([python, "-c", PDFS_ONLY, str(ROOT)], env=env) for _ in range(rounds)]
        files = sorted(out.rglob("*.docx"))
        soffice = shutil.which("soffice")
        build_s, import_s, pdf_s = median(build_times), median(import_times), median(pdf_times)
        ratio = build_s / import_s
        rows.append(
            (
                "full build, cold process",
                f"{build_s:.2f} s",
                f"{ratio:.2f}x imports ({import_s:.2f} s); target <= 3x",
                ratio <= 3,
            )
        )
        if soffice and files:
            batch = scratch / "lo-in"
            batch.mkdir()
            for number, source in enumerate(files):
                shutil.copyfile(source, batch / f"{number:03d}-{source.name}")
            inputs = sorted(str(p) for p in batch.iterdir())
            profile = f"file://{scratch / 'lo-profile'}"
            command = [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(scratch / "lo-out"),
                *inputs,
            ]
            timed(command)  # warm the profile
            lo_s = median([timed(command) for _ in range(rounds)])
            speedup = lo_s / pdf_s
            rows.append(
                (
                    f"PDFs: ours ({len(files)} docx-equivalents + tables)",
                    f"{pdf_s:.2f} s",
                    f"LibreOffice {lo_s:.2f} s for {len(files)} .docx: {speedup:.1f}x faster; target >= 5x",
                    speedup >= 5,
                )
            )
        else:
            rows.append(
                (
                    "PDFs vs LibreOffice",
                    "-",
                    "soffice not found: install libreoffice-writer-nogui",
                    False,
                )
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    width = max(len(r[0]) for r in rows)
    for name, value, detail, ok in rows:
        print(f"{name:<{width}}  {value:>8}  {'ok  ' if ok else 'MISS'}  {detail}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
