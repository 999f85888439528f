"""The scale benchmark's quick mode, and what its speed-ups must not change.

``bench/scale.py --quick`` runs in-process here (10, 100 and 1,000 amendments over a
10,000-area 別添1). Its timing verdict is not asserted (speed targets live in the script);
the results are: the consolidated table and 記 equal the state the generator computed with
plain lists, the 改め文 sentences known in advance appear verbatim, and sampled 改め文
read back and re-apply. Then the exactness of the faster diff matcher against difflib, and
the shared-amendments ``Version`` against the frozen dataclass it replaced.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.util
import io
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from builder.drafting.check import round_trip
from builder.engine.amend import History, Version
from builder.engine.area_profile import row_tokens
from builder.engine.kaibun import kaibun_text
from builder.engine.textedit import _Matcher
from builder.sources.project import load_project
from builder.sources.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


scale = _load_bench()


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """The quick mode run once, its synthetic project kept: (project, exit code, output)."""
    project = tmp_path_factory.mktemp("scale") / "project"
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = scale.main(["--quick", "--keep", str(project)])
    return project, code, output.getvalue()


@pytest.fixture(scope="module")
def synthetic() -> Any:
    """The scenario of the quick mode, generated again from the same seed."""
    return scale.generate(1_000)


@pytest.fixture(scope="module")
def history(quick: tuple[Path, int, str]) -> History:
    project = load_project(quick[0], layout=False)
    notice = project.notice(scale.NOTICE_ID)
    assert notice is not None
    return History(notice, project.amendments_of(scale.NOTICE_ID))


def test_quick_mode_completes_with_a_right_result(quick: tuple[Path, int, str]) -> None:
    _, code, output = quick
    assert code in (0, 1), output  # 2 is a wrong result; 1 only a timing verdict
    assert "10,000 areas spread over the 47 prefecture rows" in output
    rows = [line.split()[0] for line in output.splitlines() if line.strip()[:1].isdigit()]
    assert rows == ["10", "100", "1,000"]
    assert "per-amendment time at N=1,000" in output


def test_final_table_and_texts_equal_the_independent_shadow(
    history: History, synthetic: Any
) -> None:
    final = history.as_of(history.amendments[-1].date)
    assert len(history.versions) == 1_001
    assert scale.table_rows(final.notice) == synthetic.final.table()
    assert sum(len(areas) for _, areas in scale.table_rows(final.notice)) == sum(
        len(areas) for _, areas in synthetic.final.rows
    )
    for unit, wording in synthetic.final.texts().items():
        assert wording in scale.item_text(final.notice, unit)
    # a prefix is the same scenario stopped early
    middle = history.versions[100]
    assert scale.table_rows(middle.notice) == scale.generate(100).final.table()


def test_known_sentences_appear_in_the_kaibun(history: History, synthetic: Any) -> None:
    kinds = {"を削る": 0, "改める": 0, "加える": 0}
    assert len(synthetic.expected) > 300
    for expected in synthetic.expected:
        lines = kaibun_text(history.version_of(expected.number).changes).splitlines()
        assert expected.sentence in lines, (expected.number, lines)
        for verb in kinds:
            kinds[verb] += expected.sentence.endswith(verb + "。")
    assert kinds["改める"]  # renames, text replaces and set_model (「東部」を「東部（●）」に改める)
    assert any("（●）」に改める" in e.sentence for e in synthetic.expected)


def test_sampled_kaibun_read_back_and_reapply(history: History) -> None:
    for version in history.versions[1::37]:
        assert round_trip(history, version) is None


def test_one_sentence_per_change(history: History, synthetic: Any) -> None:
    for amendment in synthetic.amendments:
        lines = kaibun_text(history.version_of(amendment["number"]).changes).splitlines()
        assert len(lines) == len(amendment["changes"])  # each change on its own unit
        assert all(line.endswith("。") and "中「" in line for line in lines)


# --------------------------------------------------------------------------- the matcher


def _opcodes(matcher: difflib.SequenceMatcher[str]) -> list[tuple[str, int, int, int, int]]:
    return matcher.get_opcodes()


def _edited(rng: random.Random, tokens: list[str], alphabet: str) -> list[str]:
    result = list(tokens)
    for _ in range(rng.randint(0, 3)):
        position = rng.randint(0, len(result))
        choice = rng.random()
        if choice < 0.35:
            result.insert(position, rng.choice(alphabet))
        elif result and choice < 0.7:
            del result[min(position, len(result) - 1)]
        elif result:
            result[min(position, len(result) - 1)] = rng.choice(alphabet)
    return result


def test_matcher_gives_difflibs_opcodes_on_random_sequences() -> None:
    rng = random.Random(7)
    for _ in range(5_000):
        alphabet = "abcdefgh"[: rng.randint(1, 8)]
        a = [rng.choice(alphabet) for _ in range(rng.randint(0, 16))]
        b = (
            _edited(rng, a, alphabet)
            if rng.random() < 0.6
            else [rng.choice(alphabet) for _ in range(rng.randint(0, 16))]
        )
        expected = _opcodes(difflib.SequenceMatcher(None, a, b, autojunk=False))
        assert _opcodes(_Matcher(a, b)) == expected, (a, b)


def test_matcher_gives_difflibs_opcodes_on_rows() -> None:
    rng = random.Random(11)
    names = [f"区域{i}" for i in range(60)]
    for _ in range(500):
        picked = rng.sample(names, rng.randint(1, 40))
        old = "、".join(n + ("（●）" if rng.random() < 0.2 else "") for n in picked)
        parts = old.split("、")
        for _ in range(rng.randint(1, 3)):
            index = rng.randrange(len(parts))
            action = rng.random()
            if action < 0.3:
                parts.insert(index, rng.choice(names))
            elif action < 0.5 and len(parts) > 1:
                del parts[index]
            elif action < 0.75:
                parts[index] = parts[index].removesuffix("（●）") + "（●）"
            else:
                parts[index] = parts[index].removesuffix("（●）")
        a, b = row_tokens(old), row_tokens("、".join(parts))
        expected = _opcodes(difflib.SequenceMatcher(None, a, b, autojunk=False))
        assert _opcodes(_Matcher(a, b)) == expected, (old, parts)


# --------------------------------------------------------------------------- versions


def test_versions_share_amendments_and_keep_dataclass_behaviour(workspace: Workspace) -> None:
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        for index, version in enumerate(history.versions):
            assert version.amendments == history.amendments[:index]
            assert version.amendment == (history.amendments[index - 1] if index else None)
            copy = Version(version.notice, version.date, tuple(version.amendments), version.changes)
            assert copy == version and hash(copy) == hash(version)
            assert copy != Version(version.notice, version.date, (), version.changes) or not index
            assert repr(copy) == repr(version)
            assert repr(version).startswith(f"Version(notice={version.notice!r}, date=")
            assert history.before(copy) is history.before(version)
            if version.amendment is not None:
                assert history.version_of(version.amendment.number) is version
        with pytest.raises(AttributeError):
            history.versions[0].date = history.versions[0].date  # type: ignore[misc]


def test_the_synthetic_table_is_refused_for_a_build_but_loads_for_the_engine(
    tmp_path: Path,
) -> None:
    """The synthetic 別添1 (10,000 areas in 47 rows) cannot be laid out in a PDF: the
    loader the CLI uses refuses it; the engine's benchmark loads it with ``layout=False``."""
    from builder.core.errors import NoticeError

    scale.write_project(tmp_path, scale.generate(1))
    with pytest.raises(NoticeError, match="more than the 48 that fit on a page"):
        load_project(tmp_path)
    assert load_project(tmp_path, layout=False).notice(scale.NOTICE_ID) is not None
