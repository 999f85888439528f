"""Commands that write the documents: build, forms, verify."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.app import (
    WAIT_OPTION,
    bilingual,
    capped_jobs,
    cli,
    collecting_garbage_less_often,
    detail,
    option_date,
    say,
    tell,
    workspace_of,
)
from builder.cli.build_summary import site_index_line, up_to_date_lines
from builder.cli.output import Verbosity, verbosity
from builder.cli.progress import progress_bar
from builder.core.errors import NoticeError, Problem

if TYPE_CHECKING:
    from builder.verify.result import CheckResult


@cli.command(name="build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder; replaced only when the whole build succeeds.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that make files at once.  [default: every available core]",
)
@click.option(
    "--rebuild-all",
    is_flag=True,
    help="Make every file anew, keeping nothing from the previous build.",
)
@WAIT_OPTION
@click.pass_context
def build_command(
    ctx: click.Context, out: Path, jobs: int | None, rebuild_all: bool, wait: bool
) -> None:
    """Build every document of every version and amendment into the output folder.

    Files whose content would not change are kept from the previous build in the
    output folder (see index.json's "key"); the rest are made anew. When nothing the
    build reads has changed and its files are as it left them, it does nothing."""
    from builder.build.build_record import inputs_digest, up_to_date
    from builder.build.out_folder import check_out_folder

    root: Path = ctx.obj["root"]
    check_out_folder(root, out)
    jobs = capped_jobs(jobs)
    inputs = inputs_digest(root)  # before the sources are read: a later edit is seen
    if not rebuild_all and up_to_date(out, inputs):
        for line in up_to_date_lines(out):
            say(line)
        return
    from builder.build.write import build
    from builder.drafting.check import check_workspace
    from builder.writers.text import render_text

    with collecting_garbage_less_often():
        workspace = workspace_of(ctx)
        detail(bilingual("ソースを検査します", "checking the sources"))
        check_workspace(workspace, render_text)
        cores = (f"{jobs}コア", f"{jobs} cores") if jobs else ("使えるすべてのコア", "every core")
        detail(
            bilingual(f"{out} にビルドします（{cores[0]}）", f"building into {out} on {cores[1]}")
        )
        with progress_bar("ビルド / building") as bar:
            written = build(workspace, out, jobs, inputs, not rebuild_all, wait, tell, bar)
    say(
        bilingual(
            f"{out} に{written.files}ファイルを書き出しました（新規作成{written.made}、"
            f"前回のビルドから流用{written.kept}）",
            f"built {written.files} files into {out}: {written.made} made, "
            f"{written.kept} kept unchanged from the previous build",
        )
    )
    index = site_index_line(out)
    if index is not None:
        say(index)


@cli.command()
@click.option("--prefecture", help="Only this prefecture's areas (兵庫 or 兵庫県).")
@click.option("--all", "all_areas", is_flag=True, help="Every 推進区域 (the default).")
@click.option("--as-of", "as_of", metavar="DATE", help="別添1 as in force then (default: latest).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out-forms"),
    show_default=True,
    help="Output folder; replaced only when every form was written.",
)
@WAIT_OPTION
@click.pass_context
def forms(
    ctx: click.Context,
    prefecture: str | None,
    all_areas: bool,
    as_of: str | None,
    out: Path,
    wait: bool,
) -> None:
    """Write the 様式例 prefilled for each 推進区域 (都道府県 and 構想区域 filled in and not
    editable) in .xlsx, .docx and .pdf, plus each form blank."""
    from builder.build.out_folder import check_out_folder
    from builder.build.plan import form_outputs
    from builder.build.write import write_atomically
    from builder.core.cores import available_cores

    out = check_out_folder(ctx.obj["root"], out)
    if prefecture and all_areas:
        raise click.UsageError(
            bilingual(
                "--prefecture と --all は同時に指定できません",
                "give --prefecture or --all, not both",
            )
        )
    from builder.japanese import find_prefecture

    try:
        name = find_prefecture(prefecture).name if prefecture else None
    except ValueError as exc:
        raise NoticeError(f"--prefecture: {exc}") from None
    date = option_date(as_of)
    with collecting_garbage_less_often():
        workspace = workspace_of(ctx)
        files = list(form_outputs(workspace, date, name))
        prefilled = [f for f in files if dict(f.extra).get("area")]
        if name is not None and not prefilled:
            raise NoticeError(
                bilingual(
                    f"{name}にはその日の別添1に推進区域がありません（調整中）。"
                    "記入済みの様式は作れません",
                    f"{name} has no 推進区域 in 別添1 on that date (調整中); nothing to prefill",
                )
            )
        detail(
            bilingual(
                f"{out} に{len(files)}ファイルを書き出します（記入済み{len(prefilled)}）",
                f"writing {len(files)} files into {out} ({len(prefilled)} prefilled)",
            )
        )
        with progress_bar("様式 / forms") as bar:
            written = write_atomically(
                out, iter(files), jobs=available_cores(), wait=wait, say=tell, progress=bar
            )
    say(
        bilingual(
            f"{out} に{written.files}ファイルを書き出しました（記入済み{len(prefilled)}）",
            f"wrote {written.files} files into {out} ({len(prefilled)} prefilled)",
        )
    )


TOOL_CHECKS = {
    "qpdf": "qpdf",
    "pdffonts": "fonts",
    "pdftotext": "text",
    "soffice": "libreoffice",
    "node": "ooxml",
}
"""Each external program verify runs, and the check (column of the table) it makes."""


def missing_tools(skipped: frozenset[str]) -> list[str]:
    """One line per program verify needs that is not installed and not skipped: the
    Debian package to install, or ``--skip`` it."""
    from builder.verify.ooxml import missing_validator
    from builder.verify.result import DEBIAN_PACKAGES, missing_tool

    lines = []
    for tool in TOOL_CHECKS:
        if tool in skipped:
            continue
        reason = missing_validator() if tool == "node" else missing_tool(tool)
        if reason is None:
            continue
        package = DEBIAN_PACKAGES.get(tool)
        if tool != "node" or reason.startswith("needs node"):
            install = f"Debian パッケージ {package} を入れるか" if package else f"{tool} を入れるか"
        else:
            install = ".ci/install-tools で検証ツールを入れるか"
        lines.append(
            bilingual(
                f"verify: {tool} がありません（{TOOL_CHECKS[tool]} の検査）。{install}、"
                f"--skip {tool} を付けてください",
                f"verify: {reason} for the {TOOL_CHECKS[tool]} check; install it or give "
                f"--skip {tool}",
            )
        )
    return lines


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="A folder written by `notices build`.",
)
@click.option(
    "--skip",
    "skipped",
    multiple=True,
    type=click.Choice(list(TOOL_CHECKS)),
    help="Leave out the checks of this program (repeatable): "
    + ", ".join(f"{tool} ({check})" for tool, check in TOOL_CHECKS.items())
    + ".",
)
def verify(out: Path, skipped: tuple[str, ...]) -> None:
    """Run every real-client check (qpdf, pdffonts, pdftotext, LibreOffice, OOXML validator)
    on a built folder and print a table of file × check; exit 1 unless all pass. A program
    that is not installed stops it before any check, with the Debian package to install,
    unless it is left out with --skip."""
    from builder.verify.report import report as verify_report
    from builder.verify.report import verify as verify_build

    left_out = frozenset(skipped)
    missing = missing_tools(left_out)
    if missing:
        raise NoticeError(Problem(line) for line in missing)
    detail(bilingual(f"{out} を検証します", f"verifying {out}"))
    with progress_bar("検証 / verifying") as bar:
        table = verify_build(out, {TOOL_CHECKS[tool] for tool in left_out}, bar)
    text, passed = verify_report(out, table)
    say(text.rstrip("\n"))
    if left_out:
        listed = ", ".join(f"{tool} ({TOOL_CHECKS[tool]})" for tool in sorted(left_out))
        say(bilingual(f"--skip で省いた検査: {listed}", f"left out with --skip: {listed}"))
    if not passed:
        raise NoticeError(Problem(line) for line in verify_failures(table))


def verify_failures(table: dict[Path, dict[str, CheckResult]]) -> list[str]:
    """What a failed verify says on stderr: that it failed and, with -q (no table
    printed), each check that did not pass."""
    from builder.verify.report import failures

    if verbosity() is not Verbosity.QUIET:
        return [
            bilingual(
                "verify: 合格しなかった検査があります（上の表を参照）",
                "verify: some checks did not pass (see the table above)",
            )
        ]
    return [
        *failures(table),
        bilingual(
            "verify: 合格しなかった検査があります（上に列挙）",
            "verify: some checks did not pass (listed above)",
        ),
    ]
