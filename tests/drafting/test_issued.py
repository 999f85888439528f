"""Issued documents are frozen (builder/drafting/issued.py, `notices issue`): the record
issued.yaml, the refusal of a back-dated amendment that would change an issued document
or make an issued amendment fail, of an edit of the issued sources, and of issuing out of
date order; the real tree's record."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from builder.cli.main import main
from builder.drafting.issued import (
    DOCUMENT_KINDS,
    ISSUED_FILE,
    _excerpts,
    dump_issued,
    load_issued,
)
from tests.conftest import ROOT, amendment_yaml
from tests.engine.test_engine import MakeProject

LIST = "id: 別記\ntitle: 別記\naddressee: 別記団体の長\nmembers: [公益社団法人　日本医師会, 日本赤十字社]\n"

A = amendment_yaml(
    "医政発0501第1号", "2024-05-01", "  - {at: 記の2, replace: 都道府県, with: 各都道府県}\n"
)
B = amendment_yaml(
    "医政発0601第1号", "2024-06-01", "  - {at: 別添1 兵庫県の項, replace: 調整中, with: 東播磨}\n"
).replace("provenance:", "letter: {number: 医政発0601第2号, list: 別記}\nprovenance:")
PREAMBLE = "  - {at: 前文, replace: 試験のための前文, with: 検証のための前文}\n"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def issued_project(make_project, capsys: pytest.CaptureFixture[str]) -> Path:  # type: ignore[no-untyped-def]
    """The mini notice with 医政発0501第1号 and 医政発0601第1号 (with a letter), both issued."""
    root: Path = make_project({"a.yaml": A, "b.yaml": B})
    (root / "notices" / "lists").mkdir()
    (root / "notices" / "lists" / "bekki.yaml").write_text(LIST, encoding="utf-8")
    for number in ("医政発0501第1号", "医政発0601第1号"):
        code, out, err = run(root, capsys, "issue", number)
        assert (code, err) == (0, ""), err
        assert f"を発出済みとして{root / 'issued.yaml'} に記録しました" in out
        assert f" / recorded {number} (" in out
    return root


def _errors(err: str) -> list[str]:
    return err.splitlines()


# --------------------------------------------------------------------------- notices issue


def test_issue_records_every_document_of_the_package(issued_project: Path) -> None:
    issued = load_issued(issued_project)
    (notice,) = issued.notices
    assert notice.notice == "医政発0401第1号" and notice.file == "notices/mini.yaml"
    assert list(notice.original.sha256) == ["consolidated"]
    first, second = notice.amendments
    assert (first.number, first.file) == ("医政発0501第1号", "amendments/a.yaml")
    assert list(first.documents.sha256) == [k for k in DOCUMENT_KINDS if k != "distribution-letter"]
    assert list(second.documents.sha256) == list(DOCUMENT_KINDS)
    assert str(second.date) == "2024-06-01"
    text = (issued_project / ISSUED_FILE).read_text(encoding="utf-8")
    assert text.startswith("# Documents already issued")
    assert dump_issued(issued) == text  # written as it reads back


def test_the_recorded_digest_is_that_of_the_built_txt(
    issued_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "built"
    code, _, err = run(issued_project, capsys, "build", "--out", str(out), "-j", "1")
    assert (code, err) == (0, "")
    recorded = load_issued(issued_project).notices[0]
    for amendment, folder in zip(recorded.amendments, ("2024-05-01", "2024-06-01"), strict=True):
        for kind, digest in amendment.documents.sha256.items():
            data = (out / "医政発0401第1号" / folder / f"{kind}.txt").read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, (folder, kind)
    original = (out / "医政発0401第1号" / "2024-04-01" / "consolidated.txt").read_bytes()
    assert hashlib.sha256(original).hexdigest() == recorded.original.sha256["consolidated"]

    # A damaged record is seen by the next build, though no source changed: refused, and
    # the output folder is left as it was.
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    path = issued_project / ISSUED_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("2024-06-01", "2024-06-31"), "utf-8")
    code, _, err = run(issued_project, capsys, "build", "--out", str(out), "-j", "1")
    assert code == 1 and err.startswith("issued.yaml:21:15: expected an ISO date")
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_issue_refuses_out_of_date_order(
    make_project,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    root: Path = make_project(
        {"a.yaml": A, "b.yaml": B.replace("provenance:", "x: 1\nprovenance:")}
    )
    code, _, err = run(root, capsys, "issue", "医政発0501第1号")
    assert code == 1 and "unknown key 'x'" in err  # check fails: nothing is issued
    assert not (root / ISSUED_FILE).exists()
    (root / "amendments" / "b.yaml").write_text(
        B.replace("letter: {number: 医政発0601第2号, list: 別記}\n", ""), encoding="utf-8"
    )
    code, _, err = run(root, capsys, "issue", "医政発0601第1号")
    assert (code, err) == (
        1,
        "amendments/a.yaml:2:7: 医政発0501第1号 (2024-05-01) comes before 医政発0601第1号 and "
        "is not issued yet; issue amendments in date order: first notices issue 医政発0501第1号\n",
    )
    assert not (root / ISSUED_FILE).exists()
    assert run(root, capsys, "issue", "医政発０５０１第１号")[0] == 0  # typed full-width
    code, _, err = run(root, capsys, "issue", "医政発0501第1号")
    assert code == 1 and err.startswith("issued.yaml:12:17: 医政発0501第1号 is already issued;")
    assert run(root, capsys, "issue", "医政発0601第1号")[0] == 0


def test_a_project_without_issued_yaml_has_nothing_frozen(
    make_project,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    root: Path = make_project(
        {"a.yaml": A, "c.yaml": amendment_yaml("医政発0415第1号", "2024-04-15", PREAMBLE)}
    )
    assert run(root, capsys, "check")[0] == 0


# --------------------------------------------------------------------------- back-dated


def test_a_backdated_amendment_that_changes_the_cover_notice_is_refused(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (issued_project / "amendments" / "c.yaml").write_text(
        amendment_yaml("医政発0515第1号", "2024-05-15", PREAMBLE), encoding="utf-8"
    )
    code, _, err = run(issued_project, capsys, "check")
    assert code == 1
    (line,) = _errors(err)
    assert line.startswith(
        "amendments/c.yaml:2:7: 医政発0515第1号 (2024-05-15) is dated before 医政発0601第1号, "
        "which is already issued (issued.yaml:20:17), and changes its cover notice: line 11 "
        "would read 「…1号（令和6年5月15日一部改正））を下記…」 instead of "
        "「…1号（令和6年5月1日一部改正））を下記…」 (also its consolidated text); "
    )
    assert "date 医政発0515第1号 after 2024-06-01" in line


def test_even_a_backdated_amendment_of_another_unit_changes_the_issued_consolidated_text(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dated before both issued amendments, it leaves 医政発0601第1号's cover notice (which
    cites 医政発0501第1号) as it was, but every later consolidated text lists the
    amendments in force, and 医政発0501第1号's cover notice would cite it."""
    (issued_project / "amendments" / "c.yaml").write_text(
        amendment_yaml("医政発0415第1号", "2024-04-15", PREAMBLE), encoding="utf-8"
    )
    code, _, err = run(issued_project, capsys, "check")
    (line,) = _errors(err)
    assert code == 1 and line.startswith(
        "amendments/c.yaml:2:7: 医政発0415第1号 (2024-04-15) is dated before 医政発0501第1号, "
        "which is already issued (issued.yaml:12:17), and changes its cover notice: "
    )
    assert "(also its consolidated text; the documents of the issued 医政発0601第1号)" in line
    assert "delete 医政発0501第1号 and the entries after it from issued.yaml" in line


def test_a_backdated_amendment_that_breaks_an_issued_one_is_blamed(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (issued_project / "amendments" / "c.yaml").write_text(
        amendment_yaml(
            "医政発0515第1号",
            "2024-05-15",
            "  - {at: 別添1 兵庫県の項, replace: 調整中, with: 神戸}\n",
        ),
        encoding="utf-8",
    )
    code, _, err = run(issued_project, capsys, "check")
    (line,) = _errors(err)
    assert code == 1 and line.startswith(
        "amendments/c.yaml:2:7: 医政発0515第1号 (2024-05-15) is dated before 医政発0601第1号, "
        "which is already issued (issued.yaml:20:17), and makes it fail to apply "
        "(amendments/b.yaml:7:5: 「調整中」 is not in 別添1 兵庫県の項;"
    )
    # Without issued.yaml, the engine's own message stands, at the later file.
    (issued_project / ISSUED_FILE).unlink()
    code, _, err = run(issued_project, capsys, "check")
    assert code == 1 and err.startswith("amendments/b.yaml:7:5: 「調整中」 is not in")


def test_a_new_amendment_after_the_issued_ones_is_accepted(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same day as the latest issued one, numbered after it (applied after it), or
    any later day; and before an amendment not issued yet."""
    path = issued_project / "amendments" / "c.yaml"
    path.write_text(amendment_yaml("医政発0601第3号", "2024-06-01", PREAMBLE), encoding="utf-8")
    assert run(issued_project, capsys, "check") == (
        0,
        "医政発0401第1号: 4 versions, 3 amendments\nOK\n",
        "",
    )
    path.write_text(amendment_yaml("医政発0701第1号", "2024-07-01", PREAMBLE), encoding="utf-8")
    assert run(issued_project, capsys, "check")[0] == 0
    (issued_project / "amendments" / "d.yaml").write_text(
        amendment_yaml(
            "医政発0615第1号", "2024-06-15", "  - {at: 記の1, delete: 丙は丁とする。}\n"
        ),
        encoding="utf-8",
    )
    assert run(issued_project, capsys, "check")[0] == 0  # before 医政発0701第1号, not issued


def test_a_new_amendment_of_the_same_day_numbered_lower_is_refused(
    make_project,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    """History orders one day's amendments by number: a lower number comes first."""
    root: Path = make_project({"a.yaml": A, "b.yaml": B.replace("0601第1号", "0601第5号")})
    (root / "notices" / "lists").mkdir()
    (root / "notices" / "lists" / "bekki.yaml").write_text(LIST, encoding="utf-8")
    assert run(root, capsys, "issue", "医政発0501第1号")[0] == 0
    assert run(root, capsys, "issue", "医政発0601第5号")[0] == 0
    (root / "amendments" / "c.yaml").write_text(
        amendment_yaml("医政発0601第1号", "2024-06-01", PREAMBLE), encoding="utf-8"
    )
    code, _, err = run(root, capsys, "check")
    assert code == 1 and err.startswith(
        "amendments/c.yaml:2:7: 医政発0601第1号 (2024-06-01) comes before 医政発0601第5号 "
        "(same day, lower number), which is already issued (issued.yaml:20:17), and changes "
        "its cover notice: "
    )


# --------------------------------------------------------------------------- edits


def test_editing_an_issued_amendment_is_refused(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = issued_project / "amendments" / "a.yaml"
    path.write_text(A.replace("with: 各都道府県", "with: 全ての都道府県"), encoding="utf-8")
    code, _, err = run(issued_project, capsys, "check")
    (line,) = _errors(err)
    assert code == 1 and line.startswith(
        "amendments/a.yaml:6:3: 医政発0501第1号 is already issued (issued.yaml:12:17), but its "
        "consolidated text, 改め文, cover notice and 新旧対照表 would now read differently (and "
        "the documents of the issued 医政発0601第1号): this file was edited since it was issued"
    )
    assert line.endswith("make the change by a new amendment dated after 2024-06-01")


def test_editing_an_issued_letter_number_or_date(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = issued_project / "amendments" / "b.yaml"
    path.write_text(B.replace("医政発0601第2号", "医政発0601第5号"), encoding="utf-8")
    code, _, err = run(issued_project, capsys, "check")
    assert code == 1 and err.startswith(
        "amendments/b.yaml:4:9: 医政発0601第1号 is already issued (issued.yaml:20:17), but its "
        "distribution letter would now read differently: this file or notices/lists/bekki.yaml "
        "was edited since it was issued"
    )
    path.write_text(B.replace("date: 2024-06-01", "date: 2025-06-01"), encoding="utf-8")
    code, _, err = run(issued_project, capsys, "check")
    assert (
        code == 1
        and (
            "amendments/b.yaml:2:7: 医政発0601第1号 was issued dated 2024-06-01 "
            "(issued.yaml:20:17); put that date back"
        )
        in err
    )


def test_editing_the_list_of_issued_letters_blames_the_list(
    make_project,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    with_letter = A.replace(
        "provenance:", "letter: {number: 医政発0501第2号, list: 別記}\nprovenance:"
    )
    root: Path = make_project({"a.yaml": with_letter, "b.yaml": B})
    (root / "notices" / "lists").mkdir()
    path = root / "notices" / "lists" / "bekki.yaml"
    path.write_text(LIST, encoding="utf-8")
    assert run(root, capsys, "issue", "医政発0501第1号")[0] == 0
    assert run(root, capsys, "issue", "医政発0601第1号")[0] == 0
    path.write_text(LIST.replace("日本赤十字社", "日本赤十字社, 全国知事会"), encoding="utf-8")
    code, _, err = run(root, capsys, "check")
    assert code == 1 and err.startswith(
        "notices/lists/bekki.yaml:1:5: the distribution letters of the issued 医政発0501第1号 "
        "and 医政発0601第1号 (issued.yaml:12:17 on) were sent to 別記 as it was then"
    )
    assert "add a new list to notices/lists/" in err


def test_editing_the_issued_notice_blames_the_notice(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = issued_project / "notices" / "mini.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("戊は己とする。", "戊は庚とする。"),
        encoding="utf-8",
    )
    code, _, err = run(issued_project, capsys, "check")
    (line,) = _errors(err)
    assert code == 1 and line.startswith(
        "notices/mini.yaml:1:1: 医政発0401第1号 is already issued (issued.yaml:7:13), but its "
        "original consolidated text would now read differently (and the documents of the "
        "issued 医政発0501第1号 and 医政発0601第1号): this file was edited since it was issued"
    )


# --------------------------------------------------------------------------- the record


def test_a_malformed_record_is_reported_at_its_line(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = issued_project / ISSUED_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kaibun: ", "kaibun: x", 1), encoding="utf-8")
    code, _, err = run(issued_project, capsys, "check")
    assert code == 1 and re.fullmatch(
        r"issued\.yaml:17:19: 'kaibun' must be a sha256 \(64 hex digits\); issued\.yaml is "
        r"written by `notices issue`; restore it from git rather than edit it\n",
        err,
    )
    path.write_text("notices: [\n", encoding="utf-8")
    code, _, err = run(issued_project, capsys, "check")
    assert code == 1 and err.startswith("issued.yaml:2:1: YAML syntax: ")
    path.write_text("- 1\n", encoding="utf-8")
    code, _, err = run(issued_project, capsys, "check")
    assert (code, err) == (
        1,
        "issued.yaml:1:1: expected a mapping of notices, not a list\n",
    )


def test_a_record_under_another_name_is_refused(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (issued_project / ISSUED_FILE).rename(issued_project / "issued.yml")
    code, _, err = run(issued_project, capsys, "check")
    assert (code, err) == (
        1,
        "issued.yml:1:1: the record of issued documents is read only as issued.yaml; rename it\n",
    )


def test_excerpts_show_the_change_with_context() -> None:
    old = "　標記について、「試験用の通知について」（令和6年4月1日付け医政発0401第1号（令和6年5月1日一部改正））を下記"
    new = old.replace("5月1日", "5月15日")
    assert _excerpts(old, new) == (
        "…1号（令和6年5月1日一部改正））を下記",
        "…1号（令和6年5月15日一部改正））を下記",
    )
    assert _excerpts("    医政発1", "  医政発2") == ("医政発1", "医政発2")


# --------------------------------------------------------------------------- the real tree


def test_the_real_tree_records_its_three_amendments(capsys: pytest.CaptureFixture[str]) -> None:
    issued = load_issued(ROOT)
    assert [a.number for n in issued.notices for a in n.amendments] == [
        "医政発1010第2号",
        "医政発0120第2号",
        "医政発0327第2号",
    ]
    assert run(ROOT, capsys, "check")[0] == 0


def test_same_day_same_unit_blames_the_new_amendment_even_when_it_comes_first(
    make_project,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    issued = amendment_yaml(
        "医政発0601第5号", "2024-06-01", "  - {at: 記の2, replace: 区域対応方針, with: 対応方針}\n"
    )
    root: Path = make_project({"b.yaml": issued})
    assert run(root, capsys, "issue", "医政発0601第5号")[0] == 0
    (root / "amendments" / "c.yaml").write_text(
        amendment_yaml(
            "医政発0601第1号",
            "2024-06-01",
            "  - {at: 記の2, replace: 都道府県, with: 各都道府県}\n",
        ),
        encoding="utf-8",
    )
    code, _, err = run(root, capsys, "check")
    first, second = _errors(err)
    assert code == 1 and first == (
        "amendments/c.yaml:6:5: 医政発0601第1号 and 医政発0601第5号 (amendments/b.yaml:6:5) are "
        "both dated 2024-06-01 and both change 記の2, and 医政発0601第5号 is already issued "
        "(issued.yaml:12:17); date 医政発0601第1号 later"
    )
    assert second.startswith(
        "amendments/c.yaml:2:7: 医政発0601第1号 (2024-06-01) comes before 医政発0601第5号 "
        "(same day, lower number), which is already issued (issued.yaml:12:17)"
    )


# --------------------------------------------------------------------------- --reissue

REASON = "新旧対照表をMHLW様式に改めた (issue 16)"


@pytest.fixture
def new_comparison_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder prints the 新旧対照表 differently (its heading mark), the sources as
    they were issued: what a deliberate change of the comparison's form looks like."""
    monkeypatch.setattr("builder.documents.compose.HEADING_MARK", "◎")


def test_a_new_comparison_form_is_refused_without_a_reissue(
    issued_project: Path, capsys: pytest.CaptureFixture[str], new_comparison_form: None
) -> None:
    code, _, err = run(issued_project, capsys, "check")
    (line,) = _errors(err)
    assert code == 1 and line.startswith("amendments/a.yaml:")
    assert line.split(": ", 1)[1].startswith(
        "医政発0501第1号 is already issued (issued.yaml:12:17), but its "
        "新旧対照表 would now read differently (and the documents of the issued "
        "医政発0601第1号): this file was edited since it was issued (or, if not, the builder "
        "now makes it differently)"
    )
    code, _, err = run(issued_project, capsys, "build", "--out", str(issued_project / "out"))
    assert code == 1 and "issued.yaml:12:17" in err and err.startswith("amendments/a.yaml:")


def test_reissue_re_records_only_that_digest_with_its_reason(
    issued_project: Path, capsys: pytest.CaptureFixture[str], new_comparison_form: None
) -> None:
    before = load_issued(issued_project)
    code, out, err = run(
        issued_project,
        capsys,
        "issue",
        "--reissue",
        "医政発0501第1号",
        "--document",
        "comparison",
        "--reason",
        REASON,
    )
    assert (code, err) == (0, ""), err
    assert "re-recorded the comparison of 医政発0501第1号" in out and REASON in out
    after = load_issued(issued_project)
    old, new = before.notices[0].amendments[0], after.notices[0].amendments[0]
    changed = {
        kind
        for kind in DOCUMENT_KINDS
        if old.documents.sha256.get(kind) != new.documents.sha256.get(kind)
    }
    assert changed == {"comparison"}
    assert [(r.document, r.reason, r.was) for r in new.reissued] == [
        ("comparison", REASON, old.documents.sha256["comparison"])
    ]
    untouched, was = after.notices[0].amendments[1], before.notices[0].amendments[1]
    assert (untouched.documents, untouched.reissued) == (was.documents, ())  # (pos moved)
    assert after.notices[0].original == before.notices[0].original
    text = (issued_project / ISSUED_FILE).read_text(encoding="utf-8")
    assert f"reason: {REASON}" in text and dump_issued(after) == text
    # the other issued amendment is still refused until it is re-recorded too
    code, _, err = run(issued_project, capsys, "check")
    assert code == 1 and err.startswith("amendments/b.yaml:") and "医政発0601第1号" in err
    assert run(
        issued_project, capsys, "issue", "--reissue", "医政発0601第1号",
        "--document", "comparison", "--reason", REASON,
    )[0] == 0  # fmt: skip
    assert run(issued_project, capsys, "check")[0] == 0


def test_reissue_refuses_when_the_sources_were_edited(
    issued_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit of the issued amendment changes its other documents too: a re-record of
    its 新旧対照表 would hide it, so it is refused and nothing is written."""
    path = issued_project / "amendments" / "a.yaml"
    path.write_text(A.replace("with: 各都道府県", "with: 全ての都道府県"), encoding="utf-8")
    recorded = (issued_project / ISSUED_FILE).read_bytes()
    code, _, err = run(
        issued_project, capsys, "issue", "--reissue", "医政発0501第1号",
        "--document", "comparison", "--reason", REASON,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("issued.yaml:12:17: 医政発0501第1号: ")
    assert "consolidated text, 改め文 and cover notice" in err and "undo that change" in err
    assert (issued_project / ISSUED_FILE).read_bytes() == recorded


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--reissue", "医政発0501第1号", "--document", "comparison"], "--reissue needs"),
        (["--reissue", "医政発0501第1号", "--reason", REASON], "--reissue needs"),
        (["医政発0501第1号", "--document", "comparison", "--reason", REASON], "add --reissue"),
        (
            ["--reissue", "医政発0501第1号", "--document", "comparison", "--reason", REASON],
            "reads as issued; nothing to re-record",
        ),
    ],
)
def test_reissue_refusals(
    issued_project: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    recorded = (issued_project / ISSUED_FILE).read_bytes()
    code, _, err = run(issued_project, capsys, "issue", *args)
    assert code != 0 and expected in err, err
    assert (issued_project / ISSUED_FILE).read_bytes() == recorded


def test_a_reissue_of_an_unissued_amendment_is_refused(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root: Path = make_project({"a.yaml": A})
    code, _, err = run(
        root, capsys, "issue", "--reissue", "医政発0501第1号",
        "--document", "comparison", "--reason", REASON,
    )  # fmt: skip
    assert code == 1 and err.startswith("amendments/a.yaml:")
    assert "is not issued, so there is nothing to re-record" in err
    assert not (root / ISSUED_FILE).exists()


def test_the_real_tree_records_why_its_comparisons_were_re_recorded() -> None:
    issued = load_issued(ROOT)
    for amendment in issued.notices[0].amendments:
        assert [(r.document, r.reason) for r in amendment.reissued] == [("comparison", REASON)]
        assert amendment.reissued[0].was != amendment.documents.sha256["comparison"]
