"""``notices check`` finds everything ``notices build`` would fail on.

Each case here failed before (``check`` said OK and ``build`` exited 2 "internal error",
or ``check`` hung, or the problem was reported at the wrong place); the broken source
trees with their exact messages are in ``tests/corpus`` (``text-*``, ``quote-*``,
``lookalike-*``, ``area-*``, ``source-*``, ``date-wareki-huge-year``,
``number-huge-serial``). What a corpus tree cannot hold is here: FIFOs and symlinks,
the 別添1 page limit against the real PDF writer, and a fuzz test: for every tree that
``check`` accepts among random mutations of the mini notice, ``build`` does not exit 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder.cli.main import main
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.sources import area_table as tablecheck
from tests.conftest import MINI_NOTICE, ROOT, amendment_yaml

MakeProject = Callable[..., Path]
ROW = "areas: [東部, 北部, 南東部]"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, (err or out).replace(str(root), "<root>")


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging (a FIFO read blocks forever)."""

    def timeout(_signal: int, _frame: object) -> None:
        raise TimeoutError("check hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- files


def test_fifo_named_like_a_source_is_refused(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], alarm: None
) -> None:
    root = make_project()
    os.mkfifo(root / "notices" / "x.yaml")
    code, err = run(root, capsys, "check")
    assert (code, err) == (
        1,
        "notices/x.yaml:1:1: is a FIFO (named pipe); a source must be a regular file\n",
    )


def test_symlink_to_a_fifo_or_device_is_refused(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], alarm: None, tmp_path: Path
) -> None:
    root = make_project()
    os.mkfifo(tmp_path / "pipe")
    (root / "amendments" / "a.yaml").symlink_to(tmp_path / "pipe")
    (root / "amendments" / "b.yaml").symlink_to("/dev/null")
    code, err = run(root, capsys, "check")
    assert code == 1
    assert err == (
        "amendments/a.yaml:1:1: is a symlink (to <root>/pipe), which is a FIFO "
        "(named pipe); a source must be a regular file\n"
        "amendments/b.yaml:1:1: is a symlink (to /dev/null), which is a character device; "
        "a source must be a regular file\n"
    )


def test_symlink_to_a_regular_file_is_read(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_project()
    shared = tmp_path / "shared.yaml"
    (root / "notices" / "mini.yaml").rename(shared)
    (root / "notices" / "mini.yaml").symlink_to(shared)
    assert run(root, capsys, "check") == (0, "医政発0401第1号: 1 versions, 0 amendments\nOK\n")


def test_forms_folder_listing_is_the_loaders(tmp_path: Path) -> None:
    """The forms the writers load are the form files the project loader reads (.yml too)."""
    from builder.sources.forms import load_forms

    forms = tmp_path / "forms"
    forms.mkdir()
    shutil.copy(ROOT / "forms" / "kuiki-taio-hoshin.yaml", forms / "kuiki-taio-hoshin.yml")
    assert list(load_forms(forms)) == ["kuiki-taio-hoshin"]


# --------------------------------------------------------------------------- 別添1 in the PDF


def test_table_geometry_is_the_pdf_writers() -> None:
    from builder.formats import pdf_layout

    assert tablecheck.EM == pdf_layout.TABLE_EM
    assert tablecheck.FRAME_WIDTH == pdf_layout.FRAME_WIDTH
    frame = pdf_layout.PAGE_HEIGHT - pdf_layout.TOP_MARGIN - pdf_layout.BOTTOM_MARGIN
    assert abs(tablecheck.FRAME_HEIGHT - frame) < 1e-9
    assert tablecheck.TABLE_LEADING == pdf_layout.TABLE_LEADING
    assert tablecheck.CELL_PADDING == pdf_layout.CELL_PADDING


def test_no_glyph_is_wider_than_one_em() -> None:
    """The line count of tablecheck is an upper bound: every character of IPAex明朝 is at
    most one em wide, but those listed with their width in ``WIDER_THAN_EM``."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(ROOT / "builder" / "fonts" / "ipaexm.ttf", lazy=True) as font:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        wider = {
            chr(code): metrics[glyph][0] / units
            for code, glyph in font.getBestCmap().items()
            if metrics[glyph][0] > units
        }
    assert wider == tablecheck.WIDER_THAN_EM


def _names(count: int) -> list[str]:
    kanji = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    return [a + b + "区" for a in kanji for b in kanji][:count]


def _largest_accepted() -> int:
    columns = ("都道府県", "推進区域、モデル推進区域")
    for count in range(300, 0, -1):
        row = AreaRow("岩手県", tuple(Area(n, model=True) for n in _names(count)))
        table = AreaTable("別添1", "", columns, (row,))
        if tablecheck.row_layout_problem(table, row) is None:
            return count
    raise AssertionError("no row fits")


def test_longest_accepted_row_builds(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The longest row check accepts (every area a モデル推進区域: the widest text) is laid
    out by the PDF writer; one more area is refused with the message."""
    count = _largest_accepted()
    areas = ", ".join(f"{{name: {n}, model: true}}" for n in _names(count))
    root = make_project(notice=MINI_NOTICE.replace(ROW, f"areas: [{areas}]"))
    code, out = run(root, capsys, "build", "--out", str(tmp_path / "out"), "--jobs", "1")
    assert code == 0, out
    areas = ", ".join(f"{{name: {n}, model: true}}" for n in _names(count + 1))
    root = make_project(notice=MINI_NOTICE.replace(ROW, f"areas: [{areas}]"))
    code, err = run(root, capsys, "check")
    assert code == 1
    assert err.startswith(
        f"notices/mini.yaml:39:9: row 「岩手県」 of 別添1 ({count + 1} areas) needs up to"
    )
    assert "a row cannot continue on the next page; list fewer areas or shorter names" in err


# --------------------------------------------------------------------------- fuzz

NORMAL = "東西南北中央山川海原野島あいうかきくさ甲乙丙・"
STRANGE = (
    "\x00\x07\x1b\t\r\x0b\x7f\x85\x9f\u2028\u2029\u200b\u200c\u200d\u2060\ufeff\u200e"
    "\u200f\u202a\u202e\u2066\u2069\ufe00\ufe0f\U000e0100\u3099\u0301\u00a0\u2003\ue000"
    '\u0378\uf91d\ufa11/\\:*?"<>|.０１２ 　、（●）「」'
)
CLEAN = st.text(alphabet=NORMAL, min_size=1, max_size=8)
MIXED = st.text(
    alphabet=st.one_of(*[st.sampled_from(NORMAL)] * 3, st.sampled_from(STRANGE)),
    min_size=1,
    max_size=8,
)
TEXT = st.one_of(CLEAN, CLEAN, CLEAN, CLEAN, MIXED)
"""Text mostly accepted by check (so that builds are tried), sometimes anything."""
AREA = st.one_of(
    *[TEXT] * 6,
    st.sampled_from(["..", ".", "../../x", "a/b", "CON", "nul.txt", "x.", "x ", "〇〇"]),
)
AREAS = st.one_of(
    *[st.lists(AREA, min_size=1, max_size=4)] * 3,
    st.integers(min_value=40, max_value=200).map(lambda n: _names(n)),
)
DATE = st.one_of(
    *[st.just("2024-04-01"), st.just("令和6年4月1日")] * 3,
    st.integers(min_value=0, max_value=10**60).map(lambda n: f"令和{n}年4月1日"),
    st.integers(min_value=0, max_value=10**5).map(lambda n: f"平成{n}年4月1日"),
)


def _quoted(text: str, escape: bool) -> str:
    """``text`` as a YAML double-quoted scalar: characters raw, or as escapes."""
    return json.dumps(text, ensure_ascii=escape)


@st.composite
def trees(draw: st.DrawFn) -> tuple[str, str]:
    """The mini notice (with the 別添2 form when areas are mutated, so that their names
    become file names) and an amendment, one part of them mutated (or none): title, date, areas, a quote, an area
    added by the amendment; strings written raw or as YAML escapes."""
    escape = draw(st.booleans())
    part = draw(st.sampled_from(["title", "date", "areas", "quote", "add_area", "none"]))
    title = draw(TEXT) if part == "title" else "試験用の通知について"
    date = draw(DATE) if part == "date" else "2024-04-01"
    areas = draw(AREAS) if part == "areas" else ["東部", "北部", "南東部"]
    quote = draw(TEXT) if part == "quote" else "対応方針"
    new_area = draw(AREA) if part == "add_area" else "中空知"
    notice = MINI_NOTICE.replace("title: 試験用の通知について", f"title: {_quoted(title, escape)}")
    notice = notice.replace("date: 2024-04-01", f"date: {_quoted(date, escape)}")
    listed = ", ".join(_quoted(a, escape) for a in dict.fromkeys(areas))
    notice = notice.replace(ROW, f"areas: [{listed}]")
    if part in ("areas", "add_area"):  # the names become file names; forms take time
        notice += "  - {id: 別添2, kind: form, title: 様式例, form: kuiki-taio-hoshin}\n"
    amendment = amendment_yaml(
        "医政発0501第1号",
        "2024-05-01",
        f"  - {{at: 記の2, replace: 区域対応方針, with: {_quoted(quote, escape)}}}\n"
        f"  - {{at: 別添1 北海道の項, add_area: {_quoted(new_area, escape)}}}\n",
    )
    return notice, amendment


FUZZ = settings(
    max_examples=int(os.environ.get("NOTICES_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(tree=trees())
def test_what_check_accepts_builds(tree: tuple[str, str]) -> None:
    notice, amendment = tree
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "notices").mkdir()
        (root / "amendments").mkdir()
        (root / "forms").mkdir()
        shutil.copy(ROOT / "forms" / "kuiki-taio-hoshin.yaml", root / "forms")
        (root / "notices" / "mini.yaml").write_text(notice, encoding="utf-8")
        (root / "amendments" / "a.yaml").write_text(amendment, encoding="utf-8")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            checked = main(["--root", str(root), "check"])
        if checked != 0:
            event("refused by check: " + re.sub(r".*?: |「.*|U\+\w+ |\d+", "", err.getvalue())[:40])
            return
        event("accepted by check")
        code = main(["--root", str(root), "build", "--out", str(root / "out"), "--jobs", "1"])
        assert code == 0
