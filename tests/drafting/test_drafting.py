"""The drafter's workflow: new-amendment scaffolds, diff on the command line, and
amend-from an edited 別添1 (CSV, YAML, xlsx), round-tripped on many random edits."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli.main import main
from builder.core.errors import NoticeError
from builder.drafting.amendments import amendment_from_table, changes_for
from builder.drafting.area_rows import read_edited_area_rows as read_edited_table
from builder.engine.tabular import records
from builder.model.area_table import Area, AreaRow, AreaTable
from builder.sources.workspace import Workspace
from builder.writers.csv import records_csv
from tests.conftest import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real sources to write into."""
    for folder in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        ROOT, capsys, "diff", "医政発0731第1号", "--from", "2025-01-20", "--to", "2025-03-27"
    )
    assert code == 0 and "兵庫県｜〖東播磨〗\n（略）\n｜\n（別添1）" in out
    assert "兵庫県｜〖調整中〗" in out and out.startswith("○「")
    target = tmp_path / "d.txt"
    code, _, _ = run(
        ROOT,
        capsys,
        "diff",
        "医政発0731第1号",
        "--from",
        "2024-07-31",
        "--to",
        "令和7年3月27日",
        "--out",
        str(target),
    )
    changed_rows = re.findall(r"^(\S+)｜〖", target.read_text(encoding="utf-8"), re.M)
    assert code == 0 and changed_rows == ["北海道", "兵庫県", "鳥取県"] * 2  # 改正後, 改正前
    code, _, err = run(
        ROOT, capsys, "diff", "医政発0731第1号", "--from", "2025-03-27", "--to", "2024-08-01"
    )
    assert code == 2 and "--to must not be before --from" in err  # a usage error


def test_new_amendment_scaffold(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        project,
        capsys,
        "new-amendment",
        "医政発0731第1号",
        "--date",
        "2025-06-30",
        "--number",
        "医政発0630第1号",
        "--letter-number",
        "医政発0630第2号",
    )
    assert code == 0, err
    path = project / "amendments" / "2025-06-30_医政発0630第1号.yaml"
    text = path.read_text(encoding="utf-8")
    assert "（令和6年7月31日付け医政発0731第1号（令和7年3月27日一部改正））" in text
    for example in (
        "replace:",
        "insert:",
        "delete:",
        "rewrite:",
        "add_items:",
        "delete_item:",
        "add_paragraphs:",
        "記の1の見出し",
        "add_row_after:",
        "delete_row:",
        "add_area:",
        "set_model:",
        "rename_area:",
        "# effective:",
    ):
        assert example in text
    # as written, the scaffold is a draft: check passes and reports it; a second draft too
    code, out, err = run(project, capsys, "check")
    assert code == 0, err
    assert "draft 医政発0630第1号 has no changes yet" in out
    code, _, err = run(
        project,
        capsys,
        "new-amendment",
        "医政発0328第3号",
        "--date",
        "2025-07-01",
        "--number",
        "医政発0701第3号",
    )
    assert code == 0, err
    other = (project / "amendments" / "2025-07-01_医政発0701第3号.yaml").read_text(encoding="utf-8")
    assert "別添3 国の項" in other and "別添1" not in other and "add_area" not in other
    assert run(project, capsys, "check")[0] == 0
    # filled in with a change from its commented examples, it checks and builds a 改め文
    path.write_text(
        text.replace(
            "changes: []", "changes:\n  - {at: 別添1 青森県の項, rename_area: 青森, to: 青森地域}"
        ),
        encoding="utf-8",
    )
    code, out, err = run(project, capsys, "kaibun", "医政発0630第1号")
    assert (code, out) == (0, "別添1 青森県の項中「青森」を「青森地域」に改める。\n"), err


@pytest.mark.parametrize(
    ("date", "number", "expected"),
    [
        ("2025-03-27", "医政発0327第9号", "already has an amendment dated 2025-03-27"),
        ("2025-03-27", "医政発0327第3号", "already used"),
        ("2025-04-01", "医政発0402第1号", "MMDD 0402 must be the issue date 0401"),
        ("2024-07-01", "医政発0701第1号", "is not after 医政発0731第1号"),
    ],
)
def test_new_amendment_refuses_clashes(
    project: Path, capsys: pytest.CaptureFixture[str], date: str, number: str, expected: str
) -> None:
    code, _, err = run(
        project, capsys, "new-amendment", "医政発0731第1号", "--date", date, "--number", number
    )
    assert code == 1 and expected in err
    assert sorted(p.name for p in (project / "amendments").iterdir()) == sorted(
        p.name for p in (ROOT / "amendments").iterdir()
    )


def current_table(workspace: Workspace) -> AreaTable:
    table = (
        workspace.history(workspace.find_notice("医政発0731第1号"))
        .versions[-1]
        .notice.attachment("別添1")
    )
    assert isinstance(table, AreaTable)
    return table


def test_amend_from_csv_writes_a_checked_amendment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = Workspace(project)
    table = current_table(workspace)
    csv_text = records_csv(records(table))
    csv_text = csv_text.replace("28,兵庫県,東播磨,0", "28,兵庫県,東播磨,1\r\n28,兵庫県,北播磨,0")
    csv_text = csv_text.replace("2,青森県,青森,0", "2,青森県,青森地域,0")
    csv_text = "\r\n".join(
        line for line in csv_text.split("\r\n") if not line.startswith("3,岩手県")
    )
    edited = project / "edited.csv"
    edited.write_text(csv_text, encoding="utf-8")
    code, out, err = run(
        project,
        capsys,
        "amend-from",
        str(edited),
        "--notice",
        "医政発0731第1号",
        "--number",
        "医政発0701第1号",
        "--date",
        "2025-07-01",
        "--letter-number",
        "医政発0701第2号",
    )
    assert code == 0, err
    assert out.splitlines()[:3] == [
        "別添1 青森県の項中「青森」を「青森地域」に改める。",
        "別添1 岩手県の項を削る。",
        "別添1 兵庫県の項中「東播磨」を「東播磨（●）、北播磨」に改める。",
    ]
    assert run(project, capsys, "check")[0] == 0
    code, out, _ = run(project, capsys, "table", "医政発0731第1号", "--csv")
    assert "28,兵庫県,北播磨,0" in out and "3,岩手県" not in out


def test_amend_from_unchanged_table_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = project / "same.csv"
    edited.write_text(records_csv(records(current_table(Workspace(project)))), encoding="utf-8")
    code, _, err = run(
        project,
        capsys,
        "amend-from",
        str(edited),
        "--notice",
        "医政発0731第1号",
        "--number",
        "医政発0701第1号",
        "--date",
        "2025-07-01",
    )
    assert code == 1 and "nothing to amend" in err


def test_amend_from_yaml(project: Path) -> None:
    edited = project / "edited.yaml"
    edited.write_text(
        "- {prefecture: 北海道, areas: [{name: 中空知, model: true}, 南空知]}\n", encoding="utf-8"
    )
    rows = read_edited_table(edited)
    assert rows == (AreaRow("北海道", (Area("中空知", True), Area("南空知"))),)


def test_bad_csv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "都道府県コード,都道府県,構想区域,モデル推進区域\n1,北海道,中空知,2\n", encoding="utf-8"
    )
    with pytest.raises(NoticeError, match=r"bad.csv:2: モデル推進区域 must be 1, 0 or empty"):
        read_edited_table(path)


AREA_NAMES = st.text(alphabet="東西南北中央部区市郡山川", min_size=1, max_size=4)


@st.composite
def edits(draw: st.DrawFn, table: AreaTable) -> tuple[AreaRow, ...]:
    rows = list(table.rows)
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(rows) - 1))
        row = rows[index]
        action = draw(st.sampled_from(["add", "remove", "rename", "flag", "pending", "delete"]))
        names = [a.name for a in row.areas]
        if action == "add":
            name = draw(AREA_NAMES.filter(lambda n, names=names: n not in names and n != "調整中"))
            areas = list(row.areas)
            areas.insert(draw(st.integers(0, len(areas))), Area(name, draw(st.booleans())))
            rows[index] = AreaRow(row.prefecture, tuple(areas))
        elif action == "remove" and len(row.areas) > 1:
            victim = draw(st.integers(0, len(row.areas) - 1))
            rows[index] = AreaRow(row.prefecture, row.areas[:victim] + row.areas[victim + 1 :])
        elif action == "rename" and row.areas:
            victim = draw(st.integers(0, len(row.areas) - 1))
            name = draw(AREA_NAMES.filter(lambda n, names=names: n not in names and n != "調整中"))
            areas = list(row.areas)
            areas[victim] = Area(name, areas[victim].model)
            rows[index] = AreaRow(row.prefecture, tuple(areas))
        elif action == "flag" and row.areas:
            victim = draw(st.integers(0, len(row.areas) - 1))
            areas = list(row.areas)
            areas[victim] = Area(areas[victim].name, not areas[victim].model)
            rows[index] = AreaRow(row.prefecture, tuple(areas))
        elif action == "pending":
            rows[index] = AreaRow(row.prefecture, (), True)
        elif action == "delete" and len(rows) > 2 and index > 0:
            del rows[index]
    return tuple(rows)


REAL = Workspace(ROOT)
REAL_TABLE = current_table(REAL)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited=edits(REAL_TABLE))
def test_amend_from_round_trips_random_edits(edited: tuple[AreaRow, ...]) -> None:
    """Applying the generated amendment yields exactly the edited table, and its 改め文
    reads back to the same result; unchanged rows produce no change."""
    history = REAL.history(REAL.find_notice("医政発0731第1号"))
    if edited == REAL_TABLE.rows:
        return
    _, version = amendment_from_table(
        REAL.project, history, edited, "医政発0701第1号", dt.date(2025, 7, 1), None
    )
    table = version.notice.attachment("別添1")
    assert isinstance(table, AreaTable) and table.rows == edited
    changed = {r.prefecture for r in edited} ^ {r.prefecture for r in REAL_TABLE.rows} | {
        r.prefecture for r in edited if REAL_TABLE.row(r.prefecture) not in (None, r)
    }
    touched = {
        change["at"].split(" ")[-1].removesuffix("の項")
        for change in changes_for(REAL_TABLE, edited)
        if " " in change["at"]
    }
    assert touched <= changed
    from builder.drafting.check import round_trip
    from builder.engine.amend import History

    full = History(history.notice, (*history.amendments, version.amendments[-1]))
    assert round_trip(full, full.versions[-1]) is None


def test_amend_from_the_xlsx_data_sheet(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The flat data sheet of the built .xlsx, edited in a spreadsheet, is an input too."""
    import openpyxl

    from builder.writers.registry import table_xlsx

    table = current_table(Workspace(project))
    path = project / "beppyo1.xlsx"
    path.write_bytes(table_xlsx(table, title="t", subject="s", as_of_label="令和7年3月27日時点"))
    book = openpyxl.load_workbook(path)
    sheet = book["データ"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "兵庫県":
            row[2].value = "西播磨"
            row[3].value = 1
    book.save(path)
    code, out, err = run(
        project,
        capsys,
        "amend-from",
        str(path),
        "--notice",
        "医政発0731第1号",
        "--number",
        "医政発0701第1号",
        "--date",
        "2025-07-01",
        "--dry-run",
    )
    assert code == 0, err
    assert out.splitlines()[0] == "別添1 兵庫県の項中「東播磨」を「西播磨（●）」に改める。"
