"""The many-notices benchmark's source tree (``bench/many_notices.py``), for N=3: it is
reproducible, every number is unique and matches its date, each notice's 10 amendments
use every change kind, and the tree passes ``notices check`` and builds. No timing is
asserted: speed is measured by the script, not here."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from builder.cli.main import main
from tests.conftest import ROOT

N = 3


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_many_notices", ROOT / "bench" / "many_notices.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


many = _load_bench()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("many") / "src"
    assert many.write_tree(root, many.generate(N)) == N * (1 + many.AMENDMENTS)
    return root


def test_generation_is_reproducible_and_a_prefix_of_larger_sizes() -> None:
    three = many.generate(N)
    assert [(s.notice, s.amendments) for s in three] == [
        (s.notice, s.amendments) for s in many.generate(N)
    ]
    assert [(s.notice, s.amendments) for s in three] == [
        (s.notice, s.amendments) for s in many.generate(N + 2)[:N]
    ]


def test_numbers_are_unique_and_match_their_dates() -> None:
    numbers = []
    for synthetic in many.generate(N):
        documents = [synthetic.notice] + [a for _, a in synthetic.amendments]
        for document in documents:
            date = dt.date.fromisoformat(document["date"])
            assert f"{date:%m%d}第" in document["number"], document["number"]
            numbers.append(document["number"])
        assert synthetic.notice["id"] == synthetic.notice["number"]
        assert len(synthetic.amendments) == many.AMENDMENTS
        assert all("letter" not in a for _, a in synthetic.amendments)
        dates = [a["date"] for _, a in synthetic.amendments]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert len(numbers) == len(set(numbers)) == N * (1 + many.AMENDMENTS)


def test_every_change_kind_is_used_by_each_notice() -> None:
    for synthetic in many.generate(N):
        assert set(many.KINDS) <= synthetic.kinds
        keys = {key for _, a in synthetic.amendments for change in a["changes"] for key in change}
        for key in (
            "replace",
            "insert",
            "delete",
            "rewrite",
            "add_items",
            "first",
            "delete_item",
            "add_row_after",
            "add_row_before",
            "delete_row",
            "add_paragraphs",
            "delete_paragraph",
        ):
            assert key in keys, key
        assert any("effective" in a for _, a in synthetic.amendments)


def test_the_tree_passes_check(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tree), "check"]) == 0
    out, _ = capsys.readouterr()
    assert out.count(f"11 versions, {many.AMENDMENTS} amendments") == N


def test_the_tree_builds(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["--root", str(tree), "build", "--out", str(out), "--jobs", "2"]) == 0
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    kaibun = [e for e in entries if e["kind"] == "kaibun"]
    assert len(kaibun) == N * many.AMENDMENTS
    text = "".join((out / e["file"]).read_text(encoding="utf-8") for e in kaibun)
    for form in ("」を「", "」の下に「", "」を削る。", "を次のように改める。", "の見出しを「"):
        assert form in text, form
    for form in (
        "の次に次のように加える。",
        "の前に次のように加える。",
        "を削り、",
        "の項を削る。",
        "段落中「",
        "段落の次に次のように加える。",
        "段落を削る。",
    ):
        assert form in text, form


def test_a_later_notice_cites_an_earlier_one_as_it_is() -> None:
    notices = many.generate(len(many.BUREAUS) + 1)
    cited, citing = notices[0].notice, notices[-1].notice
    assert f"「{cited['title']}」（令和5年4月3日付け{cited['number']}" in citing["preamble"][0]
