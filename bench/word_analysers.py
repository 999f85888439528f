"""Which morphological analyser gives the word boundaries of quotes (issue #17 item 3):
start-up time, time per line and how many of the notice's own terms each keeps whole, on
the text of every document of the 0731 and 0328 notices.

    python bench/word_analysers.py [--build-out DIR]

Measures every analyser that is installed in this environment: SudachiPy with
sudachidict_core (split mode C; the project's dependency), fugashi with unidic-lite and
Janome (install them into a scratch venv to compare: they are not dependencies). Each is
timed in a fresh process (import, dictionary load and a first sentence). "Terms kept
whole" counts occurrences of the notice's terms (area names, counters with their numbers,
dates, offices) with no analyser boundary inside; builder.japanese.words glues numbers,
affixes and 文書番号 on top of the analyser, and keeps the notice's area names whole
from the data, so this is the analyser's raw share of the work.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMS = [
    *("東播磨", "北播磨", "中空知", "南河内", "東三河北部", "湖北", "丹後", "隠岐", "両磐"),
    *("能代・山本", "大館・鹿角", "取手・竜ケ崎", "石巻・登米・気仙沼", "会津・南会津"),
    *("厚生労働省", "医政局", "都道府県", "医療機関", "調整中"),
    *("2023年度", "2024年度", "2025年度", "2040年", "3月", "27日"),
]
"""Words no quote may cut: names of areas and offices, numbers with their counters."""
AREA_NAMES = TERMS[:14]
"""Area names: amend-from passes the table's names as atoms (the data knows them)."""
SETUP = {
    "project": (
        f"from builder.japanese.words import words\ndef cut(s): return words(s, {AREA_NAMES!r})\n"
    ),
    "sudachipy": (
        "from sudachipy import dictionary, tokenizer\n"
        "t = dictionary.Dictionary(dict='core').tokenizer()\n"
        "mode_c = tokenizer.Tokenizer.SplitMode.C\n"
        "def cut(s): return [x.surface() for x in t.tokenize(s, mode_c)]\n"
    ),
    "fugashi": "import fugashi\ng = fugashi.Tagger()\ndef cut(s): return [w.surface for w in g(s)]\n",
    "janome": (
        "from janome.tokenizer import Tokenizer\nt = Tokenizer()\n"
        "def cut(s): return list(t.tokenize(s, wakati=True))\n"
    ),
}
PROBE = """
import json, re, sys, time
t0 = time.perf_counter()
{setup}
cut("初期化の一文。")
startup = time.perf_counter() - t0
lines = json.load(open(sys.argv[1], encoding="utf-8"))
terms = json.load(open(sys.argv[2], encoding="utf-8"))
t1 = time.perf_counter()
whole = total = 0
for line in lines:
    cuts, pos = set(), 0
    for word in cut(line):
        pos += len(word)
        cuts.add(pos)
    for term in terms:
        for m in re.finditer(re.escape(term), line):
            total += 1
            whole += not any(m.start() < c < m.end() for c in cuts)
per_line = (time.perf_counter() - t1) / len(lines)
print(json.dumps({{"startup_s": startup, "per_line_ms": per_line * 1000,
                  "whole": whole, "total": total}}))
"""


def _lines(out: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(out.glob("医政発*/*/*.txt"))]
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-out", type=Path, help="a built out/ (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = args.build_out
        if out is None:
            out = Path(scratch) / "out"
            subprocess.run(
                [sys.executable, "-m", "builder", "build", "--out", str(out)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        lines_file = Path(scratch) / "lines.json"
        terms_file = Path(scratch) / "terms.json"
        lines_file.write_text(json.dumps(_lines(out), ensure_ascii=False), encoding="utf-8")
        terms_file.write_text(json.dumps(TERMS, ensure_ascii=False), encoding="utf-8")
        print(f"{'analyser':<10} {'start-up':>9} {'per line':>9} {'terms kept whole':>18}")
        print("(project: builder.japanese.words = SudachiPy C + glue rules + area names as atoms)")
        for name, setup in SETUP.items():
            probe = PROBE.format(setup=setup)
            done = subprocess.run(
                [sys.executable, "-c", probe, str(lines_file), str(terms_file)],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                missing = "ModuleNotFoundError" in done.stderr
                print(f"{name:<10} {'not installed' if missing else done.stderr.strip()[-200:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{name:<10} {r['startup_s']:>8.2f}s {r['per_line_ms']:>7.2f}ms "
                f"{r['whole']:>5}/{r['total']} ({100 * r['whole'] / r['total']:.0f}%)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
