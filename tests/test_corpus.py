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

from builder.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
VALID = [name for name in CASES if name.startswith("valid-")]
BROKEN = [name for name in CASES if not name.startswith("valid-")]

ERROR_ONLY = {
    # No source file applies: the problem is the tree itself.
    "no-notices-folder": "the --root folder has no notices/ folder",
}
"""Cases whose stderr lines are ``error: …`` rather than ``file:line:col: …``."""

XFAIL = {
    "number-malformed": (
        "sources.read_notice compares the id with the malformed number and adds a second, "
        "wrong message: 'the id of a numbered notice is its number 「医政発第0401第1号」'"
    ),
    "dup-distribution-list-id": (
        "a duplicate distribution list id is reported as 'error: … already used in None' "
        "(no file:line:col, 'None' in the message): DistributionList has no position"
    ),
    "encoding-control-character": (
        "a NUL/control character gives a yaml.ReaderError reported at 1:1 over two lines "
        "('\\n  in \"<unicode string>\", position 138'), not at its line and column"
    ),
    "yaml-deep-nesting": (
        "deeply nested YAML ([[[[…]]]], 10 kB) raises RecursionError: 'internal error', exit 2"
    ),
    "yaml-python-tag": (
        "a tag on a sequence or mapping (!!python/object/apply:os.system [..]) is ignored: "
        "the message says 'must be text, not a list' instead of 'unsupported YAML tag'"
    ),
    "area-add-named-pending": (
        "add_area: 調整中 escapes as UnitError from amend.apply: 'internal error', exit 2"
    ),
    "area-add-with-mark": "add_area: 西部（●） is accepted (the notice itself refuses such names)",
    "area-rename-with-separator": (
        "rename_area to 「青森、弘前」 is accepted and silently makes two areas"
    ),
    "add-row-area-with-mark": (
        "add_row_after with an area 「仙南（●）」 is not refused; check reports a round-trip "
        "failure at 1:1 over several lines (the 改め文 on lines without file:line:col)"
    ),
    "add-row-unknown-prefecture": (
        "add_row_after accepts a row for 「夢の国」, not a prefecture (check passes) and build "
        "then fails with 'internal error: UnknownPrefectureError' (exit 2)"
    ),
    "add-row-twice-in-one-change": (
        "add_row_after with the same prefecture twice in rows: resolve checks the rows "
        "against the table only, and units.insert_row's UnitError escapes amend.apply: "
        "'internal error', exit 2 (found by test_properties' damaged YAML)"
    ),
    "add-row-out-of-order": (
        "add_row_after puts 沖縄県 after 岩手県, out of 都道府県コード order, and check accepts it"
    ),
    "quote-replacement-with-brackets": (
        "a replacement with unbalanced 「」 gives a multi-line round-trip message at 1:1 "
        "with an internal repr (_Quote(text=''))"
    ),
    "quote-old-with-brackets": (
        "a quote with an unbalanced 」 (試験」の) is accepted by resolve and gives a 改め文 "
        "that cannot be read back: a multi-line round-trip message at 1:1"
    ),
    "replace-with-same-text": (
        "a replace whose with: is the quote itself is accepted and gives the 改め文 "
        "「都道府県」を「都道府県」に改める"
    ),
    "nested-units-in-one-amendment": (
        "changes to 記の1 and to 記の1の(1)の① in one amendment: amend.apply takes the "
        "inner unit's text from the original notice and silently drops the outer change "
        "(① reads 第一の事項とする although the 改め文 says 「第一の事項」を「最初の事項」に改める)"
    ),
    "notice-id-not-a-file-name": (
        "check accepts a 事務連絡 id with '/', and build then fails with 'internal error: "
        "UnsafeNameError' (exit 2)"
    ),
    "template-syntax-error": (
        "check does not load templates/*.j2 (passes), and build reports the Jinja error as "
        "'error: template …' without file:line"
    ),
    "template-shift-jis": (
        "check passes and build fails with 'internal error: UnicodeDecodeError' (exit 2) "
        "for a Shift_JIS template"
    ),
    "dup-item-label-in-notice": (
        "a notice with two items labelled 「1.」 under 記 passes check (it cannot be addressed)"
    ),
}

BUILD_SUCCEEDS = {
    "add-row-out-of-order",
    "area-add-with-mark",
    "area-rename-with-separator",
    "dup-item-label-in-notice",
    "nested-units-in-one-amendment",
    "replace-with-same-text",
}
"""Bugs above that check does not see and build does not trip over: out/ is replaced."""

HEADING_ONLY = (
    "a rewrite to an item with a heading only ({label: '2.', title: …}) is refused by check: "
    "the printed item reads back as a paragraph (textform.parse_item_lines) and "
    "checks_sources.round_trip compares Notice objects ('report this with the amendment file')"
)

SAME_FOLDER = (
    "two amendments of one day (valid: they change different units) go to the same "
    "folder <notice>/<date>/: build.version_folder names a version by its date only, so "
    "the second amendment's kaibun, comparison, cover notice and distribution "
    "letter overwrite the first's (3 versions, 2 folders)"
)

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


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=HEADING_ONLY))
        if n == "valid-rewrite-heading-only"
        else n
        for n in VALID
    ],
)
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


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=SAME_FOLDER))
        if n == "valid-same-day-different-units"
        else pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=HEADING_ONLY))
        if n == "valid-rewrite-heading-only"
        else n
        for n in VALID
    ],
)
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
