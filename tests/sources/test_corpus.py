"""A corpus of broken source trees (tests/corpus/<case>/): ``notices check`` must exit 1
with one ``file:line:col: message`` line per problem (the exact stderr is golden, in the
case's expected.txt), never a traceback, and ``notices build`` must leave an existing
output folder byte-for-byte as it was. Trees named ``valid-*`` must pass.

``pytest --update-golden`` rewrites expected.txt from the current output, except for the
cases in ``XFAIL``: their expected.txt says what the output should be once the bug is
fixed (review the wording then, and rewrite it with --update-golden).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli.main import main

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
VALID = [name for name in CASES if name.startswith("valid-")]
BROKEN = [name for name in CASES if not name.startswith("valid-")]

ERROR_ONLY = {
    # No source file applies: the problem is the tree itself.
    "no-notices-folder": "the --root folder has no notices/ folder",
}
"""Cases whose stderr lines are ``error: …`` rather than ``file:line:col: …``."""

XFAIL: dict[str, str] = {}
"""Known bugs: case → what goes wrong (empty: every case found so far is fixed)."""

BUILD_SUCCEEDS: set[str] = set()
"""Bugs above that check does not see and build does not trip over: out/ is replaced."""

LINE_RE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): \S")

HUGE_BYTES = 10 * 1024 * 1024


def _huge_amendment(tree: Path) -> None:
    """10 MiB of a well-formed amendment: refused on its size before any parsing."""
    head = (
        "number: 医政発0601第1号\ndate: 2024-06-01\nnotice: 医政発0401第1号\n"
        "provenance: corpus case\nchanges:\n"
    ).encode()
    change = "  - {at: 記の2, replace: 区域対応方針, with: 対応方針}\n".encode()
    body = change * ((HUGE_BYTES - len(head)) // len(change) + 1)
    (tree / "amendments" / "huge.yaml").write_bytes((head + body)[:HUGE_BYTES])


GENERATED: dict[str, Callable[[Path], None]] = {"yaml-huge-file": _huge_amendment}
"""Files too big to commit, written into the case's copy at test time."""


def _params(names: list[str]) -> list[object]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=XFAIL[n])) if n in XFAIL else n
        for n in names
    ]


def _tree(case: str, tmp_path: Path) -> Path:
    """A copy of the case (never run the builder on the committed tree), plus any
    generated files."""
    tree = tmp_path / "tree"
    shutil.copytree(CORPUS / case, tree, ignore=shutil.ignore_patterns("expected.txt"))
    if case in GENERATED:
        GENERATED[case](tree)
    return tree


def _run(capsys: pytest.CaptureFixture[str], tree: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(tree), *args])
    out, err = capsys.readouterr()
    return code, out, err.replace(str(tree), "<root>")


def _golden(request: pytest.FixtureRequest, case: str, actual: str) -> None:
    path = CORPUS / case / "expected.txt"
    if request.config.getoption("--update-golden") and case not in XFAIL:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no {path}; run pytest --update-golden and review it"
    assert actual == path.read_text(encoding="utf-8")


def _lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().replace(b"\r\n", b"\n").split(b"\n")


def assert_located(case: str, tree: Path, err: str) -> None:
    """Every line names a file of the tree and a line and column inside it."""
    lines = err.splitlines()
    assert lines, "no message at all"
    for line in lines:
        if case in ERROR_ONLY:
            assert line.startswith("error: "), line
            continue
        match = LINE_RE.match(line)
        assert match, f"not file:line:col: message: {line!r}"
        path = tree / match["path"]
        assert not Path(match["path"]).is_absolute() and path.exists(), line
        number, column = int(match["line"]), int(match["col"])
        if path.is_dir():  # a folder where a source file was expected
            assert (number, column) == (1, 1), line
            continue
        source_lines = _lines_of(path)
        assert 1 <= number <= len(source_lines), line
        text = source_lines[number - 1]
        try:
            width = len(text.decode("utf-8-sig"))
        except UnicodeDecodeError:
            width = len(text)
        assert 1 <= column <= width + 1, line


# --------------------------------------------------------------------------- the corpus


def test_corpus_size() -> None:
    assert len(BROKEN) >= 40
    assert len(VALID) >= 3
    assert set(XFAIL) <= set(CASES)
    assert set(ERROR_ONLY) <= set(BROKEN)
    assert set(XFAIL) >= BUILD_SUCCEEDS


@pytest.mark.parametrize("case", _params(BROKEN))
def test_check_reports_every_problem_with_its_position(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    tree = _tree(case, tmp_path)
    code, out, err = _run(capsys, tree, "check")
    assert code == 1, out + err
    assert "Traceback" not in err and "internal error" not in err
    assert "OK" not in out
    assert_located(case, tree, err)
    if case not in ERROR_ONLY:
        assert "error: " not in err
    _golden(request, case, err)


@pytest.mark.parametrize("case", VALID)
def test_valid_trees_pass(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    code, out, err = _run(capsys, _tree(case, tmp_path), "check")
    assert (code, err) == (0, "")
    assert out.endswith("OK\n")
    _golden(request, case, out)


# --------------------------------------------------------------------------- build


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: sha256 of files, 'dir' for folders."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        )
        for p in sorted(folder.rglob("*"))
    }


def _previous_output(tmp_path: Path) -> Path:
    """An output folder from an earlier build (contents that no build of the case makes)."""
    out = tmp_path / "site" / "out"
    (out / "医政発0401第1号" / "2024-04-01").mkdir(parents=True)
    (out / ".gitkeep").touch()
    (out / "医政発0401第1号" / "2024-04-01" / "consolidated.txt").write_text(
        "an earlier build\n", encoding="utf-8"
    )
    (out / "notes.bin").write_bytes(bytes(range(256)))
    return out


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=f"check passes: {XFAIL[n]}"))
        if n in BUILD_SUCCEEDS
        else n
        for n in BROKEN
    ],
)
def test_failed_build_leaves_out_untouched(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(case, tmp_path)
    out = _previous_output(tmp_path)
    before = _snapshot(out)
    code, _, err = _run(capsys, tree, "build", "--out", str(out))
    assert code != 0
    assert "Traceback" not in err
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no .out.* left behind


@pytest.mark.parametrize("case", _params(BROKEN))
def test_failed_build_reports_what_check_reports(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(case, tmp_path)
    code, out, err = _run(capsys, tree, "build", "--out", str(tmp_path / "out"))
    assert code == 1, out + err
    assert err == (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", VALID)
def test_valid_build_replaces_out(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(case, tmp_path)
    out = _previous_output(tmp_path)
    code, stdout, err = _run(capsys, tree, "build", "--out", str(out))
    assert (code, err) == (0, ""), stdout
    after = _snapshot(out)
    assert "notes.bin" not in after
    consolidated = out / "医政発0401第1号" / "2024-04-01" / "consolidated.txt"
    assert "試験用の通知について" in consolidated.read_text(encoding="utf-8")
    # One folder per version, each with its consolidated text.
    _, checked, _ = _run(capsys, tree, "check")
    versions = int(re.search(r": (\d+) versions", checked)[1])  # type: ignore[index]
    folders = [p for p in (out / "医政発0401第1号").iterdir() if p.is_dir()]
    assert len(folders) == versions
    assert all((p / "consolidated.txt").is_file() for p in folders)
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
