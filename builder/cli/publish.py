"""Commands that write the documents: build, forms, verify."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.app import (
    WAIT_OPTION,
    capped_jobs,
    cli,
    collecting_garbage_less_often,
    option_date,
    tell,
    workspace_of,
)
from builder.core.errors import NoticeError


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
    from builder.build.cache import inputs_digest, up_to_date
    from builder.build.out_folder import check_out_folder

    root: Path = ctx.obj["root"]
    check_out_folder(root, out)
    jobs = capped_jobs(jobs)
    inputs = inputs_digest(root)  # before the sources are read: a later edit is seen
    if not rebuild_all and up_to_date(out, inputs):
        click.echo(f"{out} is up to date: no source, template or part of the builder changed")
        return
    from builder.build.write import build
    from builder.drafting.check import check_workspace
    from builder.writers.text import render_text

    with collecting_garbage_less_often():
        workspace = workspace_of(ctx)
        check_workspace(workspace, render_text)
        written = build(workspace, out, jobs, inputs, not rebuild_all, wait, tell)
    click.echo(
        f"built {written.files} files into {out}: {written.made} made, "
        f"{written.kept} kept unchanged from the previous build"
    )


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
    from builder.build.parallel import available_cores
    from builder.build.plan import form_outputs
    from builder.build.write import write_atomically

    out = check_out_folder(ctx.obj["root"], out)
    if prefecture and all_areas:
        raise NoticeError("give --prefecture or --all, not both")
    from builder.japanese import find_prefecture

    try:
        name = find_prefecture(prefecture).name if prefecture else None
    except ValueError as exc:
        raise NoticeError(f"--prefecture: {exc}") from None
    with collecting_garbage_less_often():
        workspace = workspace_of(ctx)
        files = list(form_outputs(workspace, option_date(as_of), name))
        prefilled = [f for f in files if dict(f.extra).get("area")]
        if name is not None and not prefilled:
            raise NoticeError(
                f"{name} has no 推進区域 in 別添1 on that date (調整中); nothing to prefill"
            )
        written = write_atomically(out, iter(files), jobs=available_cores(), wait=wait, say=tell)
    click.echo(f"wrote {written.files} files into {out} ({len(prefilled)} prefilled)")


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="A folder written by `notices build`.",
)
def verify(out: Path) -> None:
    """Run every real-client check (qpdf, pdffonts, pdftotext, LibreOffice, OOXML validator)
    on a built folder and print a table of file × check; exit 1 unless all pass."""
    from builder.verify.report import report as verify_report
    from builder.verify.report import verify as verify_build

    text, passed = verify_report(out, verify_build(out))
    click.echo(text, nl=False)
    if not passed:
        raise NoticeError("verify: some checks did not pass (see the table above)")
