"""Commands people can guess (issue 18 item 4): -q/-v before or after the command name,
exit statuses (2 usage, 3 internal), an amendment named by number, file, stem or unique
date, completion of 文書番号, verify's missing tools and --skip, a progress bar only on a
terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from builder.cli.main import main
from tests.cli.terminal import notices
from tests.conftest import ROOT, amendment_yaml

MakeProject = Callable[..., Path]
KAIBUN_0327 = "別添1 兵庫県の項中「調整中」を「東播磨」に改める。\n"


def run(capsys: pytest.CaptureFixture[str], *args: str, root: Path = ROOT) -> tuple[int, str, str]:
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ -q and -v


@pytest.mark.parametrize(
    "args",
    [("-q", "check"), ("check", "-q"), ("check", "--quiet"), ("--quiet", "check")],
)
def test_quiet_before_or_after_the_command(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    assert run(capsys, *args, root=make_project()) == (0, "", "")


@pytest.mark.parametrize("args", [("-v", "check"), ("check", "-v"), ("check", "--verbose")])
def test_verbose_says_what_is_done(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    root = make_project()
    code, out, err = run(capsys, *args, root=root)
    assert code == 0 and out.endswith("OK\n")
    assert f"のソースを読み込みます / reading the sources under {root}" in err
    assert "通知1件、改正0件を読み込みました / read 1 notices and 0 amendments" in err
    assert err.startswith("[")


def test_check_says_ok_without_options(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", root=make_project())
    assert (code, out.splitlines()[-1], err) == (0, "OK", "")


def test_quiet_keeps_what_was_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "-q", "kaibun", "医政発0327第2号") == (0, KAIBUN_0327, "")


def test_quiet_and_verbose_together_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-q", "kaibun", "医政発0327第2号", "-v")
    assert (code, out) == (2, "")
    assert "-q と -v は同時に指定できません / give -q or -v, not both" in err


def test_every_command_takes_q_and_v() -> None:
    from builder.cli.app import cli

    for name, command in cli.load_all().items():
        options = {opt for param in command.params for opt in getattr(param, "opts", ())}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, name


def test_quiet_silences_errors_never(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-q", "kaibun", "医政発0101第9号")
    assert code == 1 and out == "" and "no amendment 「医政発0101第9号」" in err


# ------------------------------------------------------------------ exit statuses


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("kaibun",), "Missing argument 'AMENDMENT'"),
        (("nonsense",), "No such command 'nonsense'"),
        (("check", "--nonsense"), "No such option '--nonsense'"),
        (("show", "医政発0731第1号", "--as-of", "昨日"), "Invalid value for '--as-of'"),
        (("diff", "医政発0731第1号", "--from", "2025-01-01", "--to", "2024-12-01"), "'--to'"),
        (("diff", "医政発0731第1号", "--from", "2024-08-01", "--to", "2030-02-30"), "'--to'"),
        (
            (
                "diff",
                "医政発0731第1号",
                "--from",
                "2024-08-01",
                "--to",
                "2025-04-01",
                "--format",
                "pdf",
            ),
            "--format pdf writes a file: give --out FILE",
        ),
        (("forms", "--prefecture", "兵庫", "--all"), "give --prefecture or --all, not both"),
        (("verify", "--skip", "nonsense"), "Invalid value for '--skip'"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: str
) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("Usage: notices") and expected in err
    assert "コマンドの使い方に誤りがあります / usage error: " in err


def test_a_problem_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "医政発9999第1号")
    assert code == 1 and err.startswith("error: 通知「医政発9999第1号」はありません。")
    assert " / no notice 「医政発9999第1号」; notices here: 医政発0328第3号、" in err


def test_a_prefix_of_several_notices_is_ambiguous(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "医政発0")
    assert (
        code == 1
        and "「医政発0」は複数の通知に当てはまります: 医政発0328第3号、医政発0731第1号" in err
    )
    assert "「医政発0」 matches 2 notices" in err


def test_an_internal_error_exits_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.cli.read

    def broken(*args: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(builder.cli.read, "amendment_of", broken)
    monkeypatch.delenv("NOTICES_DEBUG", raising=False)
    code, out, err = run(capsys, "kaibun", "医政発0327第2号")
    assert (code, out) == (3, "")
    assert err.startswith("内部エラー: RuntimeError: a bug")
    assert "internal error: RuntimeError: a bug (rerun with NOTICES_DEBUG=1" in err


# ------------------------------------------------------------------ naming an amendment


@pytest.mark.parametrize(
    "name",
    [
        "医政発0327第2号",
        "医政発０３２７第２号",
        "amendments/2025-03-27_isei-0327-2.yaml",
        str(ROOT / "amendments" / "2025-03-27_isei-0327-2.yaml"),
        "2025-03-27_isei-0327-2",
        "2025-03-27",
        "令和7年3月27日",
    ],
)
def test_an_amendment_by_number_file_stem_or_date(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert run(capsys, "kaibun", name) == (0, KAIBUN_0327, "")


def test_an_amendment_by_its_path_from_here(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT / "amendments")
    assert run(capsys, "kaibun", "2025-03-27_isei-0327-2.yaml") == (0, KAIBUN_0327, "")


def test_a_date_without_an_amendment(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "kaibun", "2025-03-28")
    assert (code, out) == (1, "")
    assert "2025-03-28付けの改正はありません" in err
    assert "no amendment dated 2025-03-28; amendments here: 医政発1010第2号（2024-10-10）" in err


def test_an_unknown_name_lists_the_amendments(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "kaibun", "2025-03-27_nothing")
    assert code == 1 and "改正「2025-03-27_nothing」はありません" in err
    assert "name one by its number, file, file stem or date" in err
    assert "医政発0327第2号（2025-03-27）" in err


def test_a_prefix_of_several_numbers_is_ambiguous(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "kaibun", "医政発0")
    assert code == 1 and "「医政発0」は複数の改正に当てはまります" in err
    assert "「医政発0」 matches 2 amendments" in err
    assert "医政発0120第2号（amendments/2025-01-20_isei-0120-2.yaml）" in err


def test_a_date_of_two_amendments_is_ambiguous(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "a.yaml": amendment_yaml(
                "医政発0501第1号", "2024-05-01", "  - {at: 記の2, replace: 都道府県, with: 県}\n"
            ),
            "b.yaml": amendment_yaml(
                "医政発0501第2号", "2024-05-01", "  - {at: 記の1, replace: 甲, with: 子}\n"
            ),
        }
    )
    code, _, err = run(capsys, "kaibun", "2024-05-01", root=root)
    assert code == 1 and "「2024-05-01」はその日付の改正が複数あります" in err
    assert "「2024-05-01」 dated 2 amendments: 医政発0501第1号（amendments/a.yaml）、" in err
    code, out, _ = run(capsys, "kaibun", "b", root=root)
    assert code == 0 and "「甲」を「子」に改める" in out


# ------------------------------------------------------------------ completion


def complete(*words: str) -> list[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "_NOTICES_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(["notices", *words]),
        "COMP_CWORD": str(len(words)),
    }
    script = "import sys; from builder.cli.main import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", script, "notices"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_completion_of_amendment_numbers() -> None:
    assert complete("kaibun", "医政発0") == [
        "plain,医政発0120第2号",
        "plain,医政発0327第2号",
    ]
    assert complete("issue", "医政発1") == ["plain,医政発1010第2号"]


def test_completion_of_notice_numbers() -> None:
    assert complete("show", "") == [
        "plain,医政発0328第3号",
        "plain,医政発0731第1号",
        "plain,地域医療計画課事務連絡2024-06-11",
    ]
    assert complete("--root", str(ROOT), "table", "医政発07") == ["plain,医政発0731第1号"]


def test_completion_script_is_printed() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_NOTICES_COMPLETE": "bash_source"}
    script = "import sys; from builder.cli.main import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0 and "_NOTICES_COMPLETE=bash_complete" in result.stdout


# ------------------------------------------------------------------ verify


def fake_build(folder: Path) -> Path:
    folder.mkdir()
    (folder / "index.json").write_text(json.dumps([]), encoding="utf-8")
    return folder


def test_verify_names_each_missing_tool_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = fake_build(tmp_path / "out")
    code, stdout, err = run(capsys, "verify", "--out", str(out), "--skip", "node")
    assert (code, stdout) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 4, err
    assert lines[0] == (
        "error: verify: qpdf がありません（qpdf の検査）。Debian パッケージ qpdf を入れるか、"
        "--skip qpdf を付けてください / verify: needs qpdf (Debian package qpdf) for the qpdf "
        "check; install it or give --skip qpdf"
    )
    assert "Debian パッケージ poppler-utils を入れるか、--skip pdffonts" in lines[1]
    assert "Debian パッケージ poppler-utils を入れるか、--skip pdftotext" in lines[2]
    assert "needs soffice (Debian package libreoffice-writer-nogui" in lines[3]


def test_verify_skip_leaves_checks_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = fake_build(tmp_path / "out")
    skips = [
        arg
        for tool in ("qpdf", "pdffonts", "pdftotext", "soffice", "node")
        for arg in ("--skip", tool)
    ]
    code, stdout, err = run(capsys, "verify", "--out", str(out), *skips)
    assert (code, err) == (0, "")
    assert "0 checks on 0 files, 0 not passed" in stdout
    assert stdout.endswith(
        "left out with --skip: node (ooxml), pdffonts (fonts), pdftotext (text), qpdf (qpdf), "
        "soffice (libreoffice)\n"
    )
    assert run(capsys, "-q", "verify", "--out", str(out), *skips) == (0, "", "")


# ------------------------------------------------------------------ progress bar


def ingest_with_stderr(tmp_path: Path, terminal: bool, *options: str) -> tuple[int, str, str]:
    """Run ingest on two files that are not forms, stderr a terminal or a pipe."""
    tmp_path.mkdir()
    files = []
    for name in ("a.xlsx", "b.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"not a form")
        files.append(str(path))
    return notices(
        ROOT, terminal, "ingest", *files, "--records", str(tmp_path / "records"), *options
    )


def test_a_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    code, out, err = ingest_with_stderr(tmp_path / "pipe", False)
    assert code == 1 and out.count("refused   ") == 2
    assert err.splitlines() == [
        "error: ingest: 受け付けなかったファイルか問題のあるファイルがあります（上に列挙） / "
        "ingest: some files were refused or have problems (listed above)"
    ]
    code, out_tty, err_tty = ingest_with_stderr(tmp_path / "tty", True)
    assert code == 1 and out_tty.count("refused   ") == 2
    assert "読み込み / reading" in err_tty and "0/2" in err_tty and "2/2" in err_tty
    assert "error: ingest: " in err_tty
    code, _, quiet = ingest_with_stderr(tmp_path / "quiet", True, "-q")
    assert code == 1 and "読み込み" not in quiet and "error: ingest: " in quiet


def test_issue_document_help_names_every_kind() -> None:
    """``--document`` is checked when given (its kinds are not imported at start-up): its
    help must still name every kind issued.yaml knows."""
    from builder.cli.app import cli
    from builder.drafting.issued import DOCUMENT_KINDS

    (option,) = [p for p in cli.load_all()["issue"].params if p.name == "kind"]
    assert isinstance(option, click.Option) and option.help is not None
    assert all(kind in option.help for kind in DOCUMENT_KINDS)


def test_issue_refuses_an_unknown_document_kind(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("issue", "医政発0327第2号", "--reissue", "--document", "nope", "--reason", "x")
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "") and "「nope」 is not one of consolidated、kaibun" in err


def test_build_quiet_and_verbose(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    out = root / "out"
    assert run(capsys, "build", "-q", "--out", str(out), "--jobs", "1", root=root) == (0, "", "")
    assert (out / "site" / "index.html").is_file()
    code, stdout, err = run(capsys, "-v", "build", "--out", str(out), "--rebuild-all", root=root)
    assert code == 0 and stdout.splitlines()[-1].startswith("サイトの入口: ")
    steps = [line.split("] ", 1)[1] for line in err.splitlines()]
    assert [step.split(" / ", 1)[1] for step in steps] == [
        f"reading the sources under {root}",
        "read 1 notices and 0 amendments",
        "checking the sources",
        f"building into {out} on every core",
    ]
