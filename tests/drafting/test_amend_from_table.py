"""amend-from for any table attachment (``--id``): a generic table edited as its CSV, its
.xlsx data sheet or YAML gives quoted changes per cell line, a rewritten row where a
cell's line count changed, add_row_after / add_row_before and delete_row, checked by
applying it; the area table (the real 別添1) as before, also named by --id."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli.main import main
from builder.core.errors import NoticeError
from builder.drafting import amendments
from builder.drafting.amendments import amendment_from_table, generic_changes
from builder.drafting.check import round_trip
from builder.engine.amend import History
from builder.engine.tabular import find_table
from builder.model.notice import Table, TableRow
from builder.sources.workspace import Workspace
from builder.writers import registry
from builder.writers.xlsx import DATA_SHEET
from tests.conftest import MINI_NOTICE, ROOT
from tests.engine.test_engine import MakeProject
from tests.engine.test_generic_table import NOTICE, TABLE

NOTICE_ID = "医政発0401第1号"
NEW = ("--number", "医政発0601第1号", "--date", "2024-06-01")


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def current(root: Path, table_id: str = "別添3") -> Table:
    workspace = Workspace(root)
    notice = workspace.history(workspace.find_notice(NOTICE_ID)).versions[-1].notice
    found = find_table(notice, table_id)
    assert isinstance(found, Table)
    return found


def csv_of(root: Path) -> str:
    return registry.table_csv(current(root)).decode("utf-8-sig")


def amend_from(
    root: Path, capsys: pytest.CaptureFixture[str], edited: Path, *extra: str
) -> tuple[int, str, str]:
    return run(root, capsys, "amend-from", str(edited), "--notice", NOTICE_ID, *NEW, *extra)


def written(root: Path) -> Path:
    return root / "amendments" / "2024-06-01_医政発0601第1号.yaml"


# --------------------------------------------------------------------------- generic tables


def test_an_edited_csv_gives_quoted_changes_and_rows(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=NOTICE)
    text = (
        csv_of(root)
        .replace("●進捗の確認", "●進捗の確認と公表")
        .replace("・取組の明確化", "・施策の明確化")
        .replace("区分,2024年度,2025年度\r\n", "区分,2024年度,2025年度\r\n全体,●周知,●評価\r\n")
        .replace("都道府県,●方針の協議,\r\n", "")
        .replace(
            "医療機関,●方針の策定,●取組の実施\r\n",
            '医療機関,●方針の策定,●取組の実施\r\n市町村,"●参加\r\n・協力",\r\n',
        )
    )
    edited = root / "edited.csv"
    edited.write_bytes(("\ufeff" + text).encode())
    code, out, err = amend_from(root, capsys, edited)
    assert code == 0, err
    assert out.splitlines() == [
        "別添3 国の項中「取組」を「施策」に改め、「確認」の下に「と公表」を加える。",
        "別添3 国の項の前に次のように加える。",
        "　全体",
        "　　【2024年度】●周知",
        "　　【2025年度】●評価",
        "別添3 都道府県の項を削る。",
        "別添3 医療機関の項の次に次のように加える。",
        "　市町村",
        "　　【2024年度】●参加",
        "　　　・協力",
        "　　【2025年度】",
        f"{written(root)} を書き出しました / wrote {written(root)}",
    ]
    assert run(root, capsys, "check")[0] == 0
    assert csv_of(root) == text.replace('"●参加\r\n・協力"', '"●参加\n・協力"')


def test_a_cell_whose_line_count_changed_rewrites_the_row(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=NOTICE)
    edited = root / "edited.csv"
    edited.write_text(
        csv_of(root).replace("●方針の協議,", '"●方針の協議\n●方針の公表",'), encoding="utf-8"
    )
    code, out, err = amend_from(root, capsys, edited, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[:4] == [
        "別添3 都道府県の項を次のように改める。",
        "　都道府県",
        "　　【2024年度】●方針の協議",
        "　　　●方針の公表",
    ]
    assert "rewrite:" in out and not written(root).exists()


def test_a_quote_not_found_once_in_the_row_widens_to_the_line_or_rewrites(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=NOTICE)
    edited = root / "edited.csv"
    # 「●」 is once in its line but in every line of the row: the whole line is quoted
    edited.write_text(csv_of(root).replace("●進捗の確認", "○進捗の確認"), encoding="utf-8")
    code, out, err = amend_from(root, capsys, edited, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[0] == "別添3 国の項中「●進捗の確認」を「○進捗の確認」に改める。"
    # a line that is part of another line of the row cannot be quoted once: rewrite
    root = make_project(notice=NOTICE.replace("●進捗の確認", "●通知の発出の確認"))
    edited.write_text(csv_of(root).replace('"●通知の発出\n', '"○通知の発出\n'), encoding="utf-8")
    code, out, err = amend_from(root, capsys, edited, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[:3] == [
        "別添3 国の項を次のように改める。",
        "　国",
        "　　【2024年度】○通知の発出",
    ]


def test_the_xlsx_data_sheet_is_an_input(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=NOTICE)
    path = root / "別添3.xlsx"
    path.write_bytes(registry.table_xlsx(current(root), "t", "s", "令和6年4月1日時点"))
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "医療機関":
            row[2].value = "●取組の実施・評価"
        if row[0].value == "都道府県":
            row[2].value = "●方針の推進\n"  # a trailing line break typed in the cell
    sheet.append(["市町村", 2024, None])
    book.save(path)
    code, out, err = amend_from(root, capsys, path, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[:7] == [
        "別添3 都道府県の項を次のように改める。",
        "　都道府県",
        "　　【2024年度】●方針の協議",
        "　　【2025年度】●方針の推進",
        "別添3 医療機関の項中「実施」の下に「・評価」を加える。",
        "別添3 医療機関の項の次に次のように加える。",
        "　市町村",
    ]
    assert "　　【2024年度】2024" in out


def test_yaml_rows_are_an_input(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=NOTICE)
    edited = root / "edited.yaml"
    edited.write_text(
        "- {label: 国, cells: [[●通知の発出, ・取組の明確化], ●進捗の確認]}\n"
        "- {label: 医療機関, cells: [●方針の策定, ●取組の実施]}\n",
        encoding="utf-8",
    )
    code, out, err = amend_from(root, capsys, edited, "--id", "別添3", "--dry-run")
    assert (code, out.splitlines()[0]) == (0, "別添3 都道府県の項を削る。"), err


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda t: t.replace("区分,", "区別,"),
            "edited.csv:1: the header must be 区分,2024年度,2025年度",
        ),
        (lambda t: t.replace("●方針の協議,", "●方針の協議"), "edited.csv:4: expected 3 columns"),
        (lambda t: t.replace("医療機関,", "国,"), "edited.csv:5: the row 「国」 is there twice"),
        (lambda t: t.replace("●方針の協議", "【協議】"), "a cell line may not start with 「【」"),
        (lambda t: t.replace("都道府県,", ","), "edited.csv:4: empty row label"),
        (lambda t: t, "the edited table equals 別添3 as in force on 2024-06-01; nothing to amend"),
        (
            lambda t: t.replace("医療機関,●方針の策定,●取組の実施\r\n", "").replace(
                "国,", "医療機関,●方針の策定,●取組の実施\r\n国,"
            ),
            "the row 「医療機関」 is not where it is in 別添3",
        ),
    ],
)
def test_bad_edits_are_refused_and_nothing_is_written(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], edit: object, expected: str
) -> None:
    root = make_project(notice=NOTICE)
    edited = root / "edited.csv"
    assert callable(edit)
    edited.write_text(edit(csv_of(root)), encoding="utf-8")
    code, _, err = amend_from(root, capsys, edited)
    assert code == 1 and expected in err, err
    assert not written(root).exists()


def test_a_notice_with_two_tables_needs_id(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice=MINI_NOTICE + TABLE)
    edited = root / "edited.csv"
    edited.write_text(csv_of(root).replace("●進捗の確認", "●進捗の公表"), encoding="utf-8")
    code, _, err = amend_from(root, capsys, edited)
    assert code == 1 and "has 2 table attachments (別添1、別添3); name one with --id" in err
    code, out, err = amend_from(root, capsys, edited, "--id", "別添3", "--dry-run")
    assert code == 0 and out.startswith("別添3 国の項中「確認」を「公表」に改める。\n"), err
    code, _, err = amend_from(root, capsys, edited, "--id", "別添1")
    assert code == 1 and "edited.csv:1: the header must be 都道府県コード" in err


def test_an_amendment_that_does_not_reproduce_the_edit_is_not_written(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(notice=NOTICE)
    edited = root / "edited.csv"
    edited.write_text(csv_of(root).replace("●進捗の確認", "●進捗の公表"), encoding="utf-8")
    wrong = [{"at": "別添3 国の項", "replace": "確認", "with": "点検"}]
    monkeypatch.setattr(amendments, "generic_changes", lambda table, rows: wrong)
    code, _, err = amend_from(root, capsys, edited)
    assert code == 1 and "does not reproduce the edited table" in err, err
    assert not written(root).exists()


LINE = st.text(alphabet="●・国県取組方針の確認策定", min_size=1, max_size=6).filter(
    lambda s: not s.startswith("【")
)
CELL = st.lists(LINE, min_size=0, max_size=3).map(tuple)


@st.composite
def generic_edits(draw: st.DrawFn, table: Table) -> tuple[TableRow, ...]:
    rows = list(table.rows)
    for _ in range(draw(st.integers(1, 5))):
        action = draw(st.sampled_from(["line", "cell", "add", "delete"]))
        index = draw(st.integers(0, len(rows) - 1))
        row = rows[index]
        if action == "line":
            lines = [(c, k) for c in range(len(row.cells)) for k in range(len(row.cells[c]))]
            if not lines:
                continue
            c, k = draw(st.sampled_from(lines))
            cell = list(row.cells[c])
            cell[k] = draw(LINE)
            cells = (*row.cells[:c], tuple(cell), *row.cells[c + 1 :])
            rows[index] = TableRow(row.label, cells)
        elif action == "cell":
            c = draw(st.integers(0, len(row.cells) - 1))
            cells = (*row.cells[:c], draw(CELL), *row.cells[c + 1 :])
            rows[index] = TableRow(row.label, cells)
        elif action == "add":
            labels = {r.label for r in rows}
            label = draw(st.sampled_from(["市町村", "全体", "保険者", "住民"]))
            if label in labels:
                continue
            new = TableRow(label, (draw(CELL), draw(CELL)))
            rows.insert(draw(st.integers(0, len(rows))), new)
        elif action == "delete" and len(rows) > 1:
            del rows[index]
    return tuple(rows)


@pytest.fixture(scope="module")
def generic_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, History]:
    root = tmp_path_factory.mktemp("generic")
    (root / "notices").mkdir()
    (root / "amendments").mkdir()
    (root / "notices" / "mini.yaml").write_text(NOTICE, encoding="utf-8")
    workspace = Workspace(root)
    return workspace, workspace.history(workspace.find_notice(NOTICE_ID))


TABLE_IN_FORCE = find_table(
    Workspace(ROOT).history(Workspace(ROOT).find_notice("医政発0328第3号")).versions[-1].notice
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_edits_of_a_generic_table_round_trip(
    generic_history: tuple[Workspace, History], data: st.DataObject
) -> None:
    """Applying the generated amendment yields exactly the edited table, its 改め文 reads
    back to the same result, and unchanged rows give no change."""
    workspace, history = generic_history
    table = find_table(history.versions[-1].notice, "別添3")
    assert isinstance(table, Table)
    edited = data.draw(generic_edits(table))
    if edited == table.rows:
        return
    try:
        _, version = amendment_from_table(
            workspace.project, history, edited, "医政発0601第1号", dt.date(2024, 6, 1), None
        )
    except NoticeError as exc:
        # the refusals random edits can meet: every row replaced, or new rows before
        # and after the one row kept
        assert "no row in common" in str(exc) or "make two amendments" in str(exc)
        return
    result = version.notice.attachment("別添3")
    assert isinstance(result, Table) and result.rows == edited
    old = {row.label: row for row in table.rows}
    touched = {
        change["at"].split(" ")[-1].removesuffix("の項")
        for change in generic_changes(table, edited)
        if " " in change["at"]
    }
    assert touched <= {row.label for row in table.rows if old[row.label] not in edited}
    full = History(history.notice, (*history.amendments, version.amendments[-1]))
    assert round_trip(full, full.versions[-1]) is None


# --------------------------------------------------------------------------- the area table


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real sources to write into."""
    for folder in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_the_area_table_by_its_id(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = run(project, capsys, "table", "医政発0731第1号", "--csv")
    edited = project / "edited.csv"
    edited.write_text(text.replace("2,青森県,青森,0", "2,青森県,青森地域,0"), encoding="utf-8")
    arguments = ("--notice", "医政発0731第1号", "--number", "医政発0701第1号")
    arguments += ("--date", "2025-07-01", "--dry-run")
    code, out, err = run(project, capsys, "amend-from", str(edited), *arguments, "--id", "別添1")
    assert code == 0, err
    assert out.splitlines()[0] == "別添1 青森県の項中「青森」を「青森地域」に改める。"
    assert run(project, capsys, "amend-from", str(edited), *arguments)[1] == out
    code, _, err = run(project, capsys, "amend-from", str(edited), *arguments, "--id", "別添2")
    assert code == 1 and "別添2 of 医政発0731第1号 is not a table (its tables: 別添1)" in err


def test_the_real_generic_table_from_its_built_csv(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert isinstance(TABLE_IN_FORCE, Table)
    text = registry.table_csv(TABLE_IN_FORCE).decode("utf-8-sig")
    edited = project / "別添3.csv"
    edited.write_bytes(
        ("\ufeff" + text.replace("好事例の周知等", "好事例の周知・横展開等")).encode()
    )
    code, out, err = run(
        project,
        capsys,
        "amend-from",
        str(edited),
        "--notice",
        "医政発0328第3号",
        "--number",
        "医政発0902第1号",
        "--date",
        "2024-09-02",
    )
    assert code == 0, err
    # 「周知」 is in another line of the row too: the quote is widened to be found once
    assert out.splitlines()[0] == "別添3 国の項中「周知等」を「周知・横展開等」に改める。"
    assert run(project, capsys, "check")[0] == 0
    assert io.StringIO(run(project, capsys, "table", "医政発0328第3号", "--csv")[1]).read() == (
        text.replace("\r\n", "\n").replace("好事例の周知等", "好事例の周知・横展開等")
    )
