"""Commands that write an amendment for the drafter: new-amendment, amend-from."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.app import (
    cli,
    document_number,
    option_date,
    workspace_of,
)
from builder.core.errors import NoticeError


@cli.command(name="new-amendment")
@click.argument("notice")
@click.option("--date", "date_text", required=True, metavar="DATE", help="Issue date.")
@click.option("--number", required=True, help="文書番号 of the cover notice.")
@click.option("--letter-number", help="文書番号 of the distribution letter, if there is one.")
@click.pass_context
def new_amendment(
    ctx: click.Context, notice: str, date_text: str, number: str, letter_number: str | None
) -> None:
    """Write a new amendment file for NOTICE with commented examples of every change kind."""
    from builder.drafting.amendments import new_amendment_path, scaffold

    workspace = workspace_of(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = option_date(date_text)
    assert date is not None
    text = scaffold(workspace.project, history, number, date, letter_number)
    path = new_amendment_path(workspace.root, document_number(number), date)
    if path.exists():
        raise NoticeError(f"{path} exists already; nothing was written")
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")


@cli.command(name="amend-from")
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--notice", required=True, help="The notice whose table was edited.")
@click.option(
    "--id",
    "attachment_id",
    metavar="ID",
    help="The table attachment edited, by its id (default: the notice's only table).",
)
@click.option("--number", required=True, help="文書番号 of the new amendment.")
@click.option("--date", "date_text", required=True, metavar="DATE", help="Issue date.")
@click.option("--letter-number", help="文書番号 of the distribution letter, if there is one.")
@click.option("--dry-run", is_flag=True, help="Print the amendment and its 改め文; write nothing.")
@click.option(
    "--kaibun",
    "from_kaibun",
    is_flag=True,
    help="EDITED is a cover notice as text: read its 改め文 (the sentences under 記).",
)
@click.pass_context
def amend_from(
    ctx: click.Context,
    edited: Path,
    notice: str,
    attachment_id: str | None,
    number: str,
    date_text: str,
    letter_number: str | None,
    dry_run: bool,
    from_kaibun: bool,
) -> None:
    """Write the amendment that turns a table of NOTICE as in force into EDITED (.csv,
    .yaml or .xlsx: the table's CSV or .xlsx data sheet as built, edited); with --kaibun,
    the amendment whose 改め文 are those of EDITED, a published cover notice as text."""
    from builder.documents.compose import kaibun_document
    from builder.drafting.amendments import (
        amendment_from_table,
        check_new_amendment,
        new_amendment_path,
        read_edited_rows,
    )
    from builder.engine.tabular import find_table
    from builder.writers.text import render_text

    workspace = workspace_of(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = option_date(date_text)
    assert date is not None
    number = check_new_amendment(workspace.project, history, number, date)
    if from_kaibun:
        from builder.drafting.from_kaibun import amendment_from_kaibun

        published = edited.read_text(encoding="utf-8-sig")
        text, version = amendment_from_kaibun(history, published, str(edited), number, date)
    else:
        table = find_table(history.as_of(date).notice, attachment_id)
        rows = read_edited_rows(edited, table)
        text, version = amendment_from_table(
            workspace.project, history, rows, number, date, letter_number, table.id
        )
    click.echo(render_text(kaibun_document(version, "kaibun")), nl=False)
    if dry_run:
        click.echo(text, nl=False)
        return
    path = new_amendment_path(workspace.root, document_number(number), date)
    if path.exists():
        raise NoticeError(f"{path} exists already; nothing was written")
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")
