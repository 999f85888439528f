"""Bad sources: one clear message naming file and line, exit 1, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from builder.cli.main import main
from tests.conftest import MINI_NOTICE, amendment_yaml

MakeProject = Callable[..., Path]


def check_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["--root", str(root), "check"])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert "Traceback" not in err and "internal error" not in err
    return err


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (
            MINI_NOTICE.replace("title: 試験用の通知について", "title: [試験"),
            "notices/mini.yaml:9:9: YAML syntax",
        ),
        (
            MINI_NOTICE.replace("seal_omitted: true", "seal_omitted: true\ncolour: red"),
            "notices/mini.yaml:8:9: unknown key 'colour'",
        ),
        (
            MINI_NOTICE.replace("seal_omitted: true", "seal_omitted: 3"),
            "notices/mini.yaml:7:15: 'seal_omitted' must be true or false, not the number 3",
        ),
        (MINI_NOTICE.replace("sender: 厚生労働省医政局長\n", ""), "missing required key 'sender'"),
        (
            MINI_NOTICE.replace("date: 2024-04-01", "date: 2025-02-30"),
            "2025-02-30 is not a date: February 2025 has 28 days",
        ),
        (MINI_NOTICE.replace("date: 2024-04-01", "date: 平成37年4月1日"), "notices/mini.yaml:4:7:"),
        (
            MINI_NOTICE.replace("number: 医政発0401第1号", "number: 医政発第0401第1号"),
            "notices/mini.yaml:3:9:",
        ),
        (
            MINI_NOTICE.replace("number: 医政発0401第1号", "number: 医政発0402第1号"),
            "MMDD 0402 must be the issue date 0401",
        ),
        (
            MINI_NOTICE.replace("{prefecture: 青森県,", "{prefecture: 青森,"),
            "write the full name 「青森県」",
        ),
        (MINI_NOTICE.replace("{prefecture: 青森県,", "{prefecture: 夢の国,"), "夢の国"),
        (MINI_NOTICE.replace("areas: [青森,", "areas: [青森（●）,"), "are rendering"),
        (
            MINI_NOTICE.replace("試験のための前文である。", "試験のための前文である２。"),
            "notices/mini.yaml:10:5:",
        ),
        (MINI_NOTICE.replace('label: "(1)"', 'label: "(ア)"'), "unknown item label"),
        (
            MINI_NOTICE.replace("title: 試験用の通知について", "title: a\ntitle: b"),
            "duplicate key 'title'",
        ),
        (
            MINI_NOTICE.replace("title: 試験用の通知について", "title: &x a\nsender2: *x"),
            "anchors (&x) are not allowed",
        ),
    ],
)
def test_bad_notice(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], notice: str, expected: str
) -> None:
    assert expected in check_errors(make_project(notice=notice), capsys)


@pytest.mark.parametrize(
    ("changes", "header_edit", "expected"),
    [
        (
            "  - {at: 記の9, replace: a, with: b}\n",
            None,
            "記の9 does not exist (labels at that level: 1、2)",
        ),
        ("  - {at: 記の2, replace: a}\n", None, "replace needs with"),
        (
            "  - {at: 記の2, replace: a, with: b, delete: c}\n",
            None,
            "a change needs exactly one of",
        ),
        ("  - {at: 第3条, replace: a, with: b}\n", None, "cannot read the address 「第3条」"),
        (
            "  - {at: 記の2, replace: 都道府県, with: b}\n",
            ("notice: 医政発0401第1号", "notice: 医政発0999第1号"),
            "notice 「医政発0999第1号」 does not exist",
        ),
        (
            "  - {at: 記の2, replace: 都道府県, with: b}\n",
            ("provenance: test fixture\n", ""),
            "missing required key 'provenance'",
        ),
        (
            "  - {at: 記の2, replace: 都道府県, with: b}\n",
            ("date: 2024-05-01", "date: 令和0年5月1日"),
            "amendments/a.yaml:2:7:",
        ),
    ],
)
def test_bad_amendment(
    make_project: MakeProject,
    capsys: pytest.CaptureFixture[str],
    changes: str,
    header_edit: tuple[str, str] | None,
    expected: str,
) -> None:
    text = amendment_yaml("医政発0501第1号", "2024-05-01", changes)
    if header_edit:
        text = text.replace(*header_edit)
    err = check_errors(make_project({"a.yaml": text}), capsys)
    assert expected in err
    assert "amendments/a.yaml:" in err


def test_non_utf8_file(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project()
    (root / "amendments" / "sjis.yaml").write_bytes("number: 医政発0501第1号\n".encode("shift_jis"))
    err = check_errors(root, capsys)
    assert "amendments/sjis.yaml:1:9: file is not valid UTF-8" in err


def test_bom_and_crlf_are_accepted(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(notice="\ufeff" + MINI_NOTICE.replace("\n", "\r\n"))
    assert main(["--root", str(root), "check"]) == 0


def test_huge_file_is_refused(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    (root / "amendments" / "big.yaml").write_text("# " + "x" * 2_000_000 + "\n", encoding="utf-8")
    assert "over the 1,000,000-byte limit" in check_errors(root, capsys)


def test_every_problem_is_reported(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    text = amendment_yaml(
        "医政発0501第1号",
        "2024-05-01",
        "  - {at: 記の2, replace: 無い, with: b}\n  - {at: 前文, replace: 無い, with: c}\n",
    )
    err = check_errors(make_project({"a.yaml": text}), capsys)
    assert err.count("amendments/a.yaml:") == 2
