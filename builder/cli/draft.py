"""Commands that write an amendment for the drafter: new-amendment, amend-from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.app import (
    cli,
    document_number,
    notice_of,
    option_date,
    workspace_of,
)
from builder.cli.naming import complete_notice, find_notice
from builder.cli.output import bilingual, say
from builder.core.errors import NoticeError

if TYPE_CHECKING:
    from builder.model.notice import Notice


def _written(path: Path) -> None:
    """One line saying ``path`` was written (silent with -q)."""
    say(bilingual(f"{path} を書き出しました", f"wrote {path}"))


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise NoticeError(
            bilingual(
                f"{path} は既にあります。何も書き出していません",
                f"{path} exists already; nothing was written",
            )
        )


@cli.command(name="new-amendment")
@click.argument("notice", shell_complete=complete_notice)
@click.option("--date", "date_text", required=True, metavar="DATE", help="Issue date.")
@click.option("--number", required=True, help="文書番号 of the cover notice.")
@click.option("--letter-number", help="文書番号 of the distribution letter, if there is one.")
@click.pass_context
def new_amendment(
    ctx: click.Context, notice: str, date_text: str, number: str, letter_number: str | None
) -> None:
    """Write a new amendment file for NOTICE with commented examples of every change kind."""
    from builder.drafting.amendments import new_amendment_path, scaffold

    workspace, found = notice_of(ctx, notice)
    history = workspace.history(found)
    date = option_date(date_text)
    assert date is not None
    text = scaffold(workspace.project, history, number, date, letter_number)
    path = new_amendment_path(workspace.root, document_number(number), date)
    _refuse_existing(path)
    path.write_text(text, encoding="utf-8")
    _written(path)


@cli.command(name="amend-from")
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--notice",
    shell_complete=complete_notice,
    help="The notice edited (default for a .txt or .docx: the one its history block names).",
)
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
    notice: str | None,
    attachment_id: str | None,
    number: str,
    date_text: str,
    letter_number: str | None,
    dry_run: bool,
    from_kaibun: bool,
) -> None:
    """Write the amendment that turns NOTICE as in force into EDITED: its consolidated.txt
    or consolidated.docx as built, edited anywhere (件名, 前文, items, 見出し, 担当者,
    tables); or a table's .csv, .yaml or .xlsx data sheet as built, edited. With --kaibun,
    the amendment whose 改め文 are those of EDITED, a published cover notice as text."""
    if edited.suffix.lower() in (".txt", ".docx") and not from_kaibun:
        _amend_from_document(ctx, edited, notice, number, date_text, letter_number, dry_run)
        return
    if notice is None:
        raise click.UsageError(
            bilingual(
                "表のファイルや --kaibun には --notice で通知を指定してください",
                "--notice is required for a table file or --kaibun",
            )
        )
    from builder.documents.compose import kaibun_document
    from builder.drafting.amendments import (
        amendment_from_table,
        check_new_amendment,
        new_amendment_path,
        read_edited_rows,
    )
    from builder.engine.tabular import find_table
    from builder.writers.text import render_text

    workspace, found = notice_of(ctx, notice)
    history = workspace.history(found)
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
    _refuse_existing(path)
    path.write_text(text, encoding="utf-8")
    _written(path)


def _notice_named_in(edited: Path, notices: Iterable[Notice]) -> str:
    """The notice an edited consolidated document names
    (:func:`builder.drafting.named_notice.notice_named`): the .docx's custom property,
    else the 文書番号 of its history block; a 事務連絡 by its date."""
    from builder.drafting.named_notice import notice_named
    from builder.drafting.pieces import text_pieces

    if edited.suffix.lower() == ".docx":
        from builder.drafting.read_docx_notice import docx_pieces

        read = docx_pieces(edited.read_bytes(), str(edited))
        return notice_named(read.pieces, notices, read.properties)
    text = edited.read_text(encoding="utf-8-sig")
    return notice_named(text_pieces(text, str(edited)), notices)


def _amend_from_document(
    ctx: click.Context,
    edited: Path,
    notice: str | None,
    number: str,
    date_text: str,
    letter_number: str | None,
    dry_run: bool,
) -> None:
    """amend-from an edited consolidated.txt or consolidated.docx."""
    from builder.documents.compose import comparison, consolidated, kaibun_document
    from builder.drafting.amendments import new_amendment_path
    from builder.drafting.from_document import amendment_from_document
    from builder.drafting.pieces import Piece, refusal, text_pieces
    from builder.writers.text import render_text

    shown = str(edited)
    workspace = workspace_of(ctx)
    named = notice or _notice_named_in(edited, workspace.project.notices)
    found = find_notice(workspace, named)
    history = workspace.history(found)
    date = option_date(date_text)
    assert date is not None
    base = history.as_of(date)
    reference = text_pieces(
        render_text(consolidated(base, "consolidated", workspace.forms)), "(built)"
    )
    pieces: list[Piece]
    if edited.suffix.lower() == ".docx":
        from builder.drafting.read_docx_notice import docx_pieces

        read = docx_pieces(edited.read_bytes(), shown)
        expected = history.notice.number or "事務連絡"
        if read.subject and read.subject != expected:
            raise NoticeError(
                refusal(
                    f"{shown}: このファイルは{read.subject}の文書です（{expected}ではありません）",
                    f"{shown}: the file is of {read.subject} (its properties say so), not "
                    f"{expected}",
                )
            )
        built_as = read.properties.get("version")
        if built_as is not None and built_as != base.date.isoformat():
            raise NoticeError(
                refusal(
                    f"{shown}: このファイルは{built_as}の版です（文書のプロパティ）。"
                    f"改正の基になる版は{base.date.isoformat()}の版です。notices build で"
                    "その版の consolidated.docx を作り、編集し直してください",
                    f"{shown}: the file is the version of {built_as} (its custom properties "
                    f"say so); the amendment is drafted against the version in force on its "
                    f"date, {base.date.isoformat()}: edit that version's consolidated.docx",
                )
            )
        pieces = read.pieces
    else:
        try:
            text = edited.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NoticeError(
                refusal(
                    f"{shown}: UTF-8 ではありません。UTF-8 で保存してください",
                    f"{shown}: not UTF-8 ({exc.reason}); save it as UTF-8",
                )
            ) from None
        pieces = text_pieces(text, shown)
    yaml_text, version, _ = amendment_from_document(
        workspace.project, history, pieces, reference, shown, number, date, letter_number
    )
    click.echo(render_text(kaibun_document(version, "kaibun")), nl=False)
    if dry_run:
        click.echo(render_text(comparison(base, version, "comparison")), nl=False)
        click.echo(yaml_text, nl=False)
        return
    path = new_amendment_path(workspace.root, document_number(number), date)
    _refuse_existing(path)
    path.write_text(yaml_text, encoding="utf-8")
    _written(path)
