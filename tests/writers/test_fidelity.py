"""Fidelity: the consolidated text as of 2025-03-27 equals seed 000's consolidated body,
after the documented normalisations of the transcription.

Normalisations of the seed, in this order:
1. markdown artefacts: heading marks (#), list marks (- at a line start) and the
   mailto link are removed;
2. every transcription decision recorded in notices/isei-0731-1.yaml (seed → used) is
   applied, e.g. 隱岐 → 隠岐, あつて → あって, (公印省略) → （公印省略）;
3. all whitespace (spaces, tabs, line breaks, U+3000) is removed on both sides.
Our rendering is compared up to the 別添2 label: the seed ends with 別添1's note.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from builder.documents.compose import consolidated
from builder.sources.workspace import Workspace
from builder.writers.text import render_text

SEED = Path(__file__).resolve().parents[1] / "data" / "seed_000.txt"


def seed_body() -> str:
    """The consolidated text part of seed 000: from the history block to the end."""
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("\t医政発 0731 第 1 号") :]


def strip_markdown(text: str) -> str:
    text = re.sub(r"^#+ ", "", text, flags=re.MULTILINE)
    text = re.sub(r"^- ", "", text, flags=re.MULTILINE)
    return re.sub(r"\[([^\]]+)\]\(mailto:[^)]+\)", r"\1", text)


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def first_difference(expected: str, actual: str) -> str:
    """Every differing character, with context, for the assertion message."""
    lines = []
    for index, (e, a) in enumerate(zip(expected, actual, strict=False)):
        if e != a:
            lines.append(
                f"at {index}: seed {e!r} (U+{ord(e):04X}) vs ours {a!r} (U+{ord(a):04X}); "
                f"seed …{expected[max(index - 15, 0) : index + 15]}… ours …"
                f"{actual[max(index - 15, 0) : index + 15]}…"
            )
            if len(lines) >= 20:
                break
    if len(expected) != len(actual):
        lines.append(f"lengths differ: seed {len(expected)}, ours {len(actual)}")
    return "\n".join(lines)


def test_consolidated_text_matches_seed_000(workspace: Workspace) -> None:
    notice = workspace.find_notice("医政発0731第1号")
    version = workspace.history(notice).as_of(dt.date(2025, 3, 27))
    ours = render_text(consolidated(version, "consolidated"))
    ours = ours[: ours.index("（別添2）")]
    seed = strip_markdown(seed_body())
    assert notice.decisions, "the transcription decisions must be recorded in the YAML"
    for decision in notice.decisions:
        seed = seed.replace(squeeze(decision.seed), decision.used)
        seed = seed.replace(decision.seed, decision.used)
    expected, actual = squeeze(seed), squeeze(ours)
    for decision in notice.decisions:
        expected = expected.replace(squeeze(decision.seed), decision.used)
    assert actual == expected, "\n" + first_difference(expected, actual)


def test_every_decision_is_used(workspace: Workspace) -> None:
    """A recorded decision must match something in the seed (no stale entries)."""
    notice = workspace.find_notice("医政発0731第1号")
    seed = squeeze(strip_markdown(seed_body()))
    for decision in notice.decisions:
        assert squeeze(decision.seed) in seed, decision


SEED_004 = Path(__file__).resolve().parents[1] / "data" / "seed_004.txt"


def test_the_0328_table_is_seed_004_after_the_recorded_decisions(workspace: Workspace) -> None:
    """別添3 of 医政発0328第3号 reads as seed 004's extraction of it, cell by cell in
    order, once the recorded decisions are applied and the chart's 「新」 marks (left out,
    a recorded decision) are dropped."""
    from builder.model.notice import Table

    notice = workspace.find_notice("医政発0328第3号")
    text = SEED_004.read_text(encoding="utf-8")
    seed = text[
        text.index("2023年度 (令和5年度)") : text.rindex("医療機関対応方針の取組の実施") + 14
    ]
    for decision in notice.decisions:
        seed = seed.replace(decision.seed, decision.used)
    table = notice.attachment("別添3")
    assert isinstance(table, Table)
    ours = [
        *table.columns,
        *(
            part
            for row in table.rows
            for part in (row.label, *(line for cell in row.cells for line in cell))
        ),
    ]
    assert squeeze(seed) == squeeze("".join(ours))
