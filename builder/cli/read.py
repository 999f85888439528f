"""Commands that read the sources: check, show, kaibun, table, diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.app import (
    amendment_of,
    bilingual,
    cli,
    complete_amendment,
    complete_notice,
    notice_of,
    option_date,
    say,
    tell,
    workspace_of,
)
from builder.japanese.wareki import format_wareki

if TYPE_CHECKING:
    from builder.engine.amend import History, Version


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate every source and every amendment (exit 1 with file:line:col per problem)."""

    from builder.drafting.check import check_workspace
    from builder.writers.text import render_text

    workspace = workspace_of(ctx)
    for line in check_workspace(workspace, render_text):
        say(line)
    say("OK")


@cli.command()
@click.argument("notice", shell_complete=complete_notice)
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Date of the version to show (default: latest)."
)
@click.pass_context
def show(ctx: click.Context, notice: str, as_of: str | None) -> None:
    """Print the consolidated text of NOTICE as in force on a date."""
    from builder.documents.compose import consolidated
    from builder.writers.text import render_text

    workspace, found_notice = notice_of(ctx, notice)
    history = workspace.history(found_notice)
    date = option_date(as_of)
    version = history.as_of(date) if date else history.versions[-1]
    click.echo(render_text(consolidated(version, "consolidated", workspace.forms)), nl=False)
    for line in pending_notes(history, date or dt.date.today(), version):
        tell(line)


def pending_notes(history: History, day: dt.date, shown: Version) -> list[str]:
    """What ``show`` says beside the text: amendments issued by ``day`` but not yet in
    force on it (未施行), and whether the version shown is one of them."""
    notes = []
    if shown.amendment is not None and shown.date > day:
        notes.append(
            f"未施行: この版は{format_wareki(shown.date)}から適用されます"
            f" (not yet in force on {day.isoformat()}: applies from {shown.date.isoformat()})"
        )
    for amendment in history.amendments:
        if amendment.date <= day < amendment.applies_from and amendment is not shown.amendment:
            notes.append(
                f"未施行の改正: {amendment.number}（{format_wareki(amendment.date)}）は"
                f"{format_wareki(amendment.applies_from)}から適用されます"
                f" (pending: {amendment.number} applies from {amendment.applies_from.isoformat()})"
            )
    return notes


@cli.command()
@click.argument("amendment", shell_complete=complete_amendment)
@click.pass_context
def kaibun(ctx: click.Context, amendment: str) -> None:
    """Print the 改め文 of AMENDMENT: its number (医政発0327第2号), its file or the file's
    stem (2025-03-27_isei-0327-2), or its date when no other amendment has it."""
    from builder.documents.compose import kaibun_document
    from builder.writers.text import render_text

    workspace, found = amendment_of(ctx, amendment)
    notice = workspace.find_notice(found.notice)
    version = workspace.history(notice).version_of(found.number)
    click.echo(render_text(kaibun_document(version, "kaibun")), nl=False)


@cli.command()
@click.argument("notice", shell_complete=complete_notice)
@click.option(
    "--id",
    "attachment_id",
    metavar="ID",
    help="The table attachment, by its id (別添1, 別添3 …; default: the notice's only table).",
)
@click.option("--as-of", "as_of", metavar="DATE", help="Date of the version (default: latest).")
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="The CSV instead of the table: one record per area of an area table, per row of "
    "another table.",
)
@click.pass_context
def table(
    ctx: click.Context, notice: str, attachment_id: str | None, as_of: str | None, as_csv: bool
) -> None:
    """Print a table attachment of NOTICE as in force on a date."""
    from builder.engine.tabular import find_table, printed_table, records
    from builder.writers.csv import records_csv
    from builder.writers.text import folded_table_lines, table_lines

    workspace, found_notice = notice_of(ctx, notice)
    history = workspace.history(found_notice)
    date = option_date(as_of)
    version = history.as_of(date) if date else history.versions[-1]
    found = find_table(version.notice, attachment_id)
    if as_csv:
        click.echo(records_csv(records(found)).replace("\r\n", "\n"), nl=False)
        return
    printed = printed_table(found)
    lines = folded_table_lines if printed.folded else table_lines
    click.echo("\n".join(lines(printed.table)))


@cli.command()
@click.argument("notice", shell_complete=complete_notice)
@click.option("--from", "from_date", required=True, metavar="DATE", help="The older version.")
@click.option("--to", "to_date", required=True, metavar="DATE", help="The newer version.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "docx", "pdf"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--before-left", is_flag=True, help="Put 改正前 on the left (default: 改正後 left).")
@click.pass_context
def diff(
    ctx: click.Context,
    notice: str,
    from_date: str,
    to_date: str,
    fmt: str,
    out: Path | None,
    before_left: bool,
) -> None:
    """The 新旧対照表 of NOTICE between the versions in force on two dates."""
    from builder.build.plan import DOCUMENT_WRITERS
    from builder.documents.compose import comparison

    workspace, found_notice = notice_of(ctx, notice)
    history = workspace.history(found_notice)
    start, end = option_date(from_date), option_date(to_date)
    assert start is not None and end is not None
    if end < start:
        raise click.BadParameter(
            bilingual(
                f"--from {start.isoformat()}より前の日付です", "--to must not be before --from"
            ),
            param_hint="'--to'",
        )
    document = comparison(
        history.as_of(start), history.as_of(end), "diff", after_on_left=not before_left
    )
    data = DOCUMENT_WRITERS["txt" if fmt == "text" else fmt](document)
    if out is None:
        if fmt != "text":
            raise click.UsageError(
                bilingual(
                    f"--format {fmt} はファイルに書き出します。--out FILE を指定してください",
                    f"--format {fmt} writes a file: give --out FILE",
                )
            )
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from builder.core.safe_files import write_file

        write_file(out, data, "--out")
        say(bilingual(f"{out} を書き出しました（{fmt}）", f"wrote {out} ({fmt})"))
