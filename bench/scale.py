"""Scale benchmark: does the amendment engine grow linearly with the number of amendments?

    python bench/scale.py [--quick] [--keep DIR]

What it builds. A synthetic notice: the real 医政発0731第1号 (its 前文, 記, 担当者 and 別添2)
with 別添1 replaced by a 10,000-area table. The model's 別添1 has one row per prefecture
(47 rows in 都道府県コード order, validated by the loader), so "a 10,000-row table" is
read as **10,000 areas spread over the 47 prefecture rows** (212 or 213 areas a row),
each with a synthetic unique name of four kanji (fixed length, so no name is part of
another and every area name is a unique quote), about one in ten a モデル推進区域. Then a
sequence of amendments on successive days from 2024-08-01, each with one to three changes
on different units, drawn (seeded, reproducible) from a realistic mix: rename_area,
add_area (at the end or after a given area), remove_area, set_model, clear_model, and
a quoted text replace in 記 (phrases of 記の1の(1), 記の2, 記の3 and 記の3の(1) toggled
between two wordings). Adds and removes are equally likely, so the table stays near
10,000 areas. Every change is generated against a shadow copy of the table kept with
plain lists, so every change applies, and the shadow is the expected result.

How it is built. Through the product's own path: the notice, its forms and every
amendment are written as YAML files into a temporary project and read with
``builder.sources.project.load_project`` (the loader the CLI uses). One project holds the longest
sequence; the runs of 100 and 1,000 amendments use its first 100 and 1,000 amendments.
Loading is **not** timed (it is printed separately).

What it times, per N (100, 1,000, 10,000; ``--quick``: 10, 100, 1,000):

(a) consolidation: a fresh ``History`` of the notice and its first N amendments, and
    the version in force on the last amendment's date (``History.as_of``), which resolves
    and applies every amendment in turn;
(b) 改め文: for every one of the N amendments, ``History.version_of`` and
    ``kaibun_text`` (what ``notices kaibun`` prints), on the history of (a).

Times are CPU seconds of the process (``time.process_time``: the machine is shared, and
wall time would measure the neighbours); the wall time of (a)+(b) is printed beside them.
Small runs are repeated (about 2,000 amendments' worth; 200 in ``--quick``) and the
median round is reported, as in ``bench/benchmark.py``. The table shows N, both times,
the time per amendment, and the per-amendment time as a ratio to the smallest run's:
linear growth keeps that ratio near 1. (Every version is kept alive, so each amendment
costs a little more as the heap grows, allocation and garbage collection: a linear engine
still drifts somewhat above 1x on a busy machine.)

Correctness is checked on every run (final table and texts equal to the shadow, one
sentence at least per amendment); a mismatch exits 2. The rule: exit 1 when the
per-amendment time (a + b) of the largest run is more than 2x that of the smallest run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from builder.engine.amend import History, Version  # noqa: E402
from builder.engine.area_profile import MODEL_MARK  # noqa: E402
from builder.engine.kaibun import kaibun_text  # noqa: E402
from builder.model.area_table import AreaTable  # noqa: E402
from builder.model.notice import Amendment, Item, Notice  # noqa: E402
from builder.sources.project import load_project  # noqa: E402

NOTICE_FILE = ROOT / "notices" / "isei-0731-1.yaml"
NOTICE_ID = "医政発0731第1号"
TABLE_ID = "別添1"
AREAS = 10_000
FULL_SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (10, 100, 1_000)
LIMIT = 2.0
"""Largest run's per-amendment time over the smallest run's: above this, exit 1."""
FIRST_DATE = dt.date(2024, 8, 1)
SEED = 20240731
KANJI = "東西南北中上下山川田原野沢宮島浜松本高大小新古長平岡村石井森林谷"
"""Area names are four of these (32**4 names, fixed length: none is part of another)."""

TOGGLES: tuple[tuple[str, str, str], ...] = (
    ("記の1の(1)", "一定の進捗が認められる", "一定の進捗が見られる"),
    ("記の2", "都道府県においては、2024年度中に", "都道府県においては、2025年度中に"),
    ("記の3", "伴走支援を行う", "伴走支援を実施する"),
    ("記の3の(1)", "技術的支援として想定している", "技術的支援として予定している"),
)
"""Text changes in 記: (unit, wording A, wording B), toggled A → B → A …"""

KINDS = (
    ("rename_area", 25),
    ("add_area", 20),
    ("remove_area", 20),
    ("set_model", 10),
    ("clear_model", 10),
    ("replace", 15),
)
"""The mix of change kinds and their weights."""


# --------------------------------------------------------------------------- generating


@dataclass
class Shadow:
    """The expected state, kept with plain lists: rows of [name, model] and the wording
    each toggle is at."""

    rows: list[tuple[str, list[list[Any]]]]
    wording: dict[str, int] = field(default_factory=dict)

    def table(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        """The rows as (prefecture, [(name, model), …])."""
        return [(pref, [(str(n), bool(m)) for n, m in areas]) for pref, areas in self.rows]

    def texts(self) -> dict[str, str]:
        """The expected wording of each toggled phrase, by its unit."""
        return {unit: (a, b)[self.wording.get(unit, 0)] for unit, a, b in TOGGLES}


@dataclass
class Expected:
    """What the engine must print for one generated change (checked by the tests)."""

    number: str
    sentence: str


@dataclass
class Synthetic:
    """A generated scenario: the notice as YAML data, the amendments as YAML data, the
    expected final state after each prefix, and the sentences known in advance."""

    notice: dict[str, Any]
    amendments: list[dict[str, Any]]
    final: Shadow
    expected: list[Expected]
    areas: int


def _name_maker(rng: random.Random) -> Callable[[], str]:
    used: set[str] = set()

    def fresh() -> str:
        while True:
            name = "".join(rng.choice(KANJI) for _ in range(4))
            if name not in used:
                used.add(name)
                return name

    return fresh


def _number(date: dt.date, index: int) -> str:
    return f"医政発{date:%m%d}第{index + 2}号"


def generate(count: int, areas: int = AREAS, seed: int = SEED) -> Synthetic:
    """The notice (10,000 areas over the 47 rows) and ``count`` amendments, each applying
    to the version before it; ``final`` is the table and texts after all of them."""
    rng = random.Random(seed)
    fresh = _name_maker(rng)
    source = yaml.safe_load(NOTICE_FILE.read_text(encoding="utf-8"))
    table = next(a for a in source["attachments"] if a["id"] == TABLE_ID)
    prefectures = [row["prefecture"] for row in table["rows"]]
    per_row, extra = divmod(areas, len(prefectures))
    shadow = Shadow(
        [
            (pref, [[fresh(), rng.random() < 0.1] for _ in range(per_row + (i < extra))])
            for i, pref in enumerate(prefectures)
        ]
    )
    table["rows"] = [
        {"prefecture": pref, "areas": [{"name": n, "model": True} if m else n for n, m in rows]}
        for pref, rows in shadow.rows
    ]
    table["provenance"] = f"SYNTHETIC: {areas} areas over the 47 prefecture rows (bench/scale.py)"
    source["date"] = "2024-07-31"  # YAML gave a date; the schema wants the text
    source.pop("transcription", None)  # the fidelity decisions are about the real seed
    source["provenance"] = "SYNTHETIC notice for bench/scale.py (the 記 of 医政発0731第1号)."

    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    amendments: list[dict[str, Any]] = []
    expected: list[Expected] = []
    for index in range(count):
        date = FIRST_DATE + dt.timedelta(days=index)
        number = _number(date, index)
        changes: list[dict[str, Any]] = []
        used_rows: set[int] = set()
        text_done = False
        for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0]):
            kind = rng.choices(kinds, weights)[0]
            if kind == "replace":
                if text_done:
                    continue
                text_done = True
                unit, a, b = rng.choice(TOGGLES)
                now = shadow.wording.get(unit, 0)
                old, new = (a, b) if now == 0 else (b, a)
                shadow.wording[unit] = 1 - now
                changes.append({"at": unit, "replace": old, "with": new})
                expected.append(Expected(number, f"{unit}中「{old}」を「{new}」に改める。"))
                continue
            free = [i for i in range(len(shadow.rows)) if i not in used_rows]
            row_no = rng.choice(free)
            pref, row = shadow.rows[row_no]
            at = f"{TABLE_ID} {pref}の項"
            if kind == "set_model":
                candidates = [i for i, (_, m) in enumerate(row) if not m]
            elif kind == "clear_model":
                candidates = [i for i, (_, m) in enumerate(row) if m]
            elif kind == "remove_area":
                candidates = list(range(len(row))) if len(row) > 1 else []
            else:
                candidates = list(range(len(row)))
            if not candidates:
                continue
            used_rows.add(row_no)
            position = rng.choice(candidates)
            name = row[position][0]
            if kind == "rename_area":
                new_name = fresh()
                row[position][0] = new_name
                changes.append({"at": at, "rename_area": name, "to": new_name})
                mark = MODEL_MARK if row[position][1] else ""  # a quote keeps the area's （●）
                expected.append(
                    Expected(number, f"{at}中「{name}{mark}」を「{new_name}{mark}」に改める。")
                )
            elif kind == "add_area":
                new_name, model = fresh(), rng.random() < 0.1
                change: dict[str, Any] = {"at": at, "add_area": new_name}
                if model:
                    change["model"] = True
                if rng.random() < 0.5:
                    change["after"] = name
                    row.insert(position + 1, [new_name, model])
                else:
                    row.append([new_name, model])
                changes.append(change)
            elif kind == "remove_area":
                del row[position]
                changes.append({"at": at, "remove_area": name})
            else:
                row[position][1] = kind == "set_model"
                changes.append({"at": at, kind: name})
                if kind == "set_model":
                    expected.append(
                        Expected(number, f"{at}中「{name}」を「{name}（●）」に改める。")
                    )
        if not changes:  # every draw was skipped: rename one area
            pref, row = shadow.rows[0]
            name, new_name = row[0][0], fresh()
            row[0][0] = new_name
            changes.append({"at": f"{TABLE_ID} {pref}の項", "rename_area": name, "to": new_name})
        amendments.append(
            {
                "number": number,
                "date": date.isoformat(),
                "notice": NOTICE_ID,
                "provenance": f"SYNTHETIC amendment {index + 1} of {count} (bench/scale.py).",
                "changes": changes,
            }
        )
    return Synthetic(source, amendments, shadow, expected, areas)


def write_project(root: Path, synthetic: Synthetic) -> None:
    """The scenario as a source tree: notices/, forms/ (別添2 refers to one), amendments/."""
    (root / "notices").mkdir(parents=True)
    (root / "amendments").mkdir()
    shutil.copytree(ROOT / "forms", root / "forms")

    def dump(path: Path, data: dict[str, Any]) -> None:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
        path.write_text(text, encoding="utf-8")

    dump(root / "notices" / "synthetic.yaml", synthetic.notice)
    for index, amendment in enumerate(synthetic.amendments):
        dump(root / "amendments" / f"{amendment['date']}_{index:05d}.yaml", amendment)


# --------------------------------------------------------------------------- checking


def table_rows(notice: Notice) -> list[tuple[str, list[tuple[str, bool]]]]:
    """別添1 of ``notice`` in the shadow's form."""
    found = notice.attachment(TABLE_ID)
    assert isinstance(found, AreaTable)
    return [(row.prefecture, [(a.name, a.model) for a in row.areas]) for row in found.rows]


def item_text(notice: Notice, unit: str) -> str:
    """All text of the item cited as ``unit`` (「記の3の(1)」)."""
    labels = unit.removeprefix("記の").split("の")
    level: tuple[Item, ...] = notice.ki
    item: Item | None = None
    for label in labels:
        item = next(it for it in level if it.label.removesuffix(".") == label)
        level = item.items

    def texts(it: Item) -> list[str]:
        own = ([it.title] if it.title else []) + list(it.paragraphs)
        return own + [t for child in it.items for t in texts(child)]

    assert item is not None
    return "".join(texts(item))


def mismatch(version: Version, shadow: Shadow) -> str | None:
    """Why the consolidated version differs from the shadow, or None."""
    if table_rows(version.notice) != shadow.table():
        return "the consolidated 別添1 differs from the expected table"
    for unit, wording in shadow.texts().items():
        if wording not in item_text(version.notice, unit):
            return f"{unit} does not read 「{wording}」"
    return None


# --------------------------------------------------------------------------- timing


@dataclass
class Run:
    """One timed size: CPU seconds for consolidation and for every 改め文, and the wall
    time of both."""

    n: int
    consolidate: float
    kaibun: float
    wall: float
    rounds: int
    version: Version
    texts: list[str]

    @property
    def per_amendment(self) -> float:
        """CPU seconds per amendment, (a) + (b)."""
        return (self.consolidate + self.kaibun) / self.n


def consolidate(notice: Notice, amendments: Sequence[Amendment]) -> tuple[History, Version]:
    """(a): a fresh history and the version in force on the last amendment's date."""
    history = History(notice, amendments)
    return history, history.as_of(amendments[-1].date)


def all_kaibun(history: History, amendments: Sequence[Amendment]) -> list[str]:
    """(b): the 改め文 of every amendment, as ``notices kaibun`` finds and writes it."""
    return [kaibun_text(history.version_of(a.number).changes) for a in amendments]


def timed_run(notice: Notice, amendments: Sequence[Amendment], budget: int = 2_000) -> Run:
    """The median of ``budget // N`` rounds (at least one) of (a) then (b), by (a)+(b)."""
    n = len(amendments)
    rounds = max(1, budget // n)
    runs: list[Run] = []
    for _ in range(rounds):
        gc.collect()  # the previous round's garbage is not this round's cost
        wall, cpu = time.perf_counter(), time.process_time()
        history, version = consolidate(notice, amendments)
        middle = time.process_time()
        texts = all_kaibun(history, amendments)
        end = time.process_time()
        elapsed = time.perf_counter() - wall
        runs.append(Run(n, middle - cpu, end - middle, elapsed, rounds, version, texts))
        del history, version, texts
    runs.sort(key=lambda run: run.per_amendment)
    return runs[(len(runs) - 1) // 2]


def prefix_shadow(synthetic: Synthetic, n: int) -> Shadow:
    """The expected state after the first ``n`` amendments (regenerated: same seed)."""
    if n == len(synthetic.amendments):
        return synthetic.final
    return generate(n, synthetic.areas).final


def scale(
    sizes: Sequence[int], workdir: Path, budget: int = 2_000, out: Callable[[str], None] = print
) -> list[Run]:
    """Generate, write and load the scenario for ``max(sizes)`` amendments under
    ``workdir``, then time and check each size; ``AssertionError`` on a wrong result."""
    start = time.perf_counter()
    synthetic = generate(max(sizes))
    write_project(workdir, synthetic)
    written = time.perf_counter()
    project = load_project(workdir, layout=False)  # no PDF page holds 213 areas a row
    loaded = time.perf_counter()
    notice = project.notice(NOTICE_ID)
    assert notice is not None
    amendments = project.amendments_of(NOTICE_ID)
    out(
        f"table: {synthetic.areas:,} areas spread over the 47 prefecture rows of {TABLE_ID} "
        "(the model has one row per prefecture)"
    )
    out(
        f"generated and wrote {len(amendments):,} amendments in {written - start:.1f} s; "
        f"load_project (not timed below) {loaded - written:.1f} s"
    )
    runs = []
    for n in sizes:
        run = timed_run(notice, amendments[:n], budget)
        problem = mismatch(run.version, prefix_shadow(synthetic, n))
        assert problem is None, f"N={n}: {problem}"
        assert len(run.texts) == n and all(t.strip() for t in run.texts), f"N={n}: empty 改め文"
        runs.append(run)
    return runs


def report(runs: Sequence[Run], out: Callable[[str], None] = print) -> bool:
    """Print the table; whether the largest run keeps within ``LIMIT`` per amendment."""
    base = runs[0].per_amendment
    out(
        f"{'N':>7}  {'(a) consolidate':>15}  {'(b) 改め文':>11}  {'(a+b)/N':>10}  "
        f"{'ratio to N=' + str(runs[0].n):>13}  {'wall a+b':>9}  rounds"
    )
    for run in runs:
        out(
            f"{run.n:>7,}  {run.consolidate:>13.3f} s  {run.kaibun:>9.3f} s  "
            f"{run.per_amendment * 1000:>7.3f} ms  {run.per_amendment / base:>12.2f}x  "
            f"{run.wall:>7.2f} s  {run.rounds:>6}"
        )
    ratio = runs[-1].per_amendment / base
    ok = ratio <= LIMIT
    out(
        "times are CPU seconds of this process (time.process_time; the machine is shared), "
        "the median round"
    )
    out(
        f"per-amendment time at N={runs[-1].n:,} is {ratio:.2f}x that at N={runs[0].n:,} "
        f"(limit {LIMIT:.0f}x): {'ok' if ok else 'SUPER-LINEAR'}"
    )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 linear, 1 super-linear, 2 a wrong result."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10, 100 and 1,000 amendments")
    parser.add_argument("--keep", type=Path, help="write the synthetic project here and keep it")
    args = parser.parse_args(argv)
    sizes, budget = (QUICK_SIZES, 200) if args.quick else (FULL_SIZES, 2_000)
    scratch = Path(tempfile.mkdtemp(prefix="notices-scale-"))
    workdir = args.keep if args.keep else scratch / "project"
    try:
        runs = scale(sizes, workdir, budget)
    except AssertionError as exc:
        print(f"wrong result: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if report(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
