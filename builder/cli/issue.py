"""``notices issue``: record an amendment's package as issued (issued.yaml), after which
``notices check`` and ``notices build`` refuse any change that would alter it; with
``--reissue``, re-record one document of an issued package on purpose, with a reason."""

from __future__ import annotations

import click

from builder.cli.app import amendment_of, bilingual, cli, complete_amendment, say


def _document_kind(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--document`` checked against the kinds issued.yaml names, imported only when the
    option is given (builder.drafting.issued loads the schema: 1.2 s that every other
    command, and shell completion, would pay at start-up)."""
    from builder.drafting.issued import DOCUMENT_KINDS

    if value is None or value in DOCUMENT_KINDS:
        return value
    kinds = "、".join(DOCUMENT_KINDS)
    raise click.BadParameter(
        bilingual(
            f"「{value}」は文書の種類ではありません（{kinds}）",
            f"「{value}」 is not one of {kinds}",
        ),
        ctx,
        param,
    )


@cli.command(name="issue")
@click.argument("amendment", shell_complete=complete_amendment)
@click.option(
    "--reissue",
    is_flag=True,
    help="Re-record one document of AMENDMENT, already issued, as the builder now prints "
    "it (its sources unchanged); needs --document and --reason.",
)
@click.option(
    "--document",
    "kind",
    metavar="KIND",
    callback=_document_kind,
    help="With --reissue: the document to re-record: consolidated, kaibun, cover-notice, "
    "distribution-letter or comparison.",
)
@click.option(
    "--reason",
    default="",
    help="With --reissue: why it now reads differently (kept in issued.yaml).",
)
@click.pass_context
def issue_command(
    ctx: click.Context, amendment: str, reissue: bool, kind: str | None, reason: str
) -> None:
    """Record AMENDMENT (its number, e.g. 医政発0327第2号, its file or file stem, or its
    date when unique) as issued in issued.yaml: the
    sha256 of the text of every document of its package (and of its notice's original
    text, with the notice's first issued amendment). From then on `notices check` refuses
    any change to the sources that would alter one of them. Refused unless `notices check`
    passes and every earlier amendment of the notice is issued (issue in date order).

    With --reissue --document KIND --reason TEXT: replace the recorded digest of one
    document of an issued AMENDMENT by that of the text the builder now makes (after a
    deliberate change of how that document is printed), keeping the reason and the old
    digest beside it under `reissued`. Refused if any other document of the package no
    longer reads as issued (the sources were edited), or the document reads as issued."""
    from builder.core.safe_files import write_file
    from builder.drafting.check import check_workspace
    from builder.drafting.issued import ISSUED_FILE, dump_issued, issue, load_issued
    from builder.drafting.issued import reissue as re_record
    from builder.writers.text import render_text

    if (kind is not None or reason) and not reissue:
        raise click.UsageError(
            bilingual(
                "--document と --reason は --reissue と一緒に使います。--reissue を付けてください",
                "--document and --reason go with --reissue; add --reissue",
            )
        )
    if reissue and (kind is None or not reason.strip()):
        raise click.UsageError(
            bilingual(
                "--reissue には --document KIND と --reason TEXT が要ります"
                "（発出済みの文書が変わった理由を書いてください）",
                "--reissue needs --document KIND and --reason TEXT "
                "(say why the issued document now reads differently)",
            )
        )
    workspace, found = amendment_of(ctx, amendment)
    before = load_issued(workspace.root)
    if reissue:
        assert kind is not None
        after = re_record(workspace, before, found, kind, reason, render_text)
    else:
        check_workspace(workspace, render_text)
        after = issue(workspace, before, found, render_text)
    text = dump_issued(after)
    path = workspace.root / ISSUED_FILE
    write_file(path, text.encode("utf-8"), ISSUED_FILE)
    entry = after.amendment(found.number)
    assert entry is not None
    if reissue:
        say(
            bilingual(
                f"{found.number} の {kind} を {path} に記録し直しました（理由: {reason.strip()}）。"
                "読み方を変えた変更と一緒にコミットしてください",
                f"re-recorded the {kind} of {found.number} in {path} (reason: {reason.strip()}); "
                "commit it with the change that made it read differently",
            )
        )
        return
    count = len(entry.documents.sha256)
    say(
        bilingual(
            f"{found.number}（{found.date.isoformat()}、文書{count}件）を発出済みとして"
            f"{path} に記録しました。ソースと一緒にコミットしてください",
            f"recorded {found.number} ({found.date.isoformat()}, {count} documents) as "
            f"issued in {path}; commit it with the sources",
        )
    )
