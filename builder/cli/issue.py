"""``notices issue``: record an amendment's package as issued (issued.yaml), after which
``notices check`` and ``notices build`` refuse any change that would alter it."""

from __future__ import annotations

import click

from builder.cli.app import cli, workspace_of


@cli.command(name="issue")
@click.argument("amendment")
@click.pass_context
def issue_command(ctx: click.Context, amendment: str) -> None:
    """Record AMENDMENT (its number, e.g. 医政発0327第2号) as issued in issued.yaml: the
    sha256 of the text of every document of its package (and of its notice's original
    text, with the notice's first issued amendment). From then on `notices check` refuses
    any change to the sources that would alter one of them. Refused unless `notices check`
    passes and every earlier amendment of the notice is issued (issue in date order)."""
    from builder.core.safe_files import write_file
    from builder.drafting.check import check_workspace
    from builder.drafting.issued import ISSUED_FILE, dump_issued, issue, load_issued
    from builder.writers.text import render_text

    workspace = workspace_of(ctx)
    check_workspace(workspace, render_text)
    found = workspace.find_amendment(amendment)
    before = load_issued(workspace.root)
    after = issue(workspace, before, found, render_text)
    text = dump_issued(after)
    path = workspace.root / ISSUED_FILE
    write_file(path, text.encode("utf-8"), ISSUED_FILE)
    entry = after.amendment(found.number)
    assert entry is not None
    click.echo(
        f"recorded {found.number} ({found.date.isoformat()}, {len(entry.documents.sha256)} "
        f"documents) as issued in {path}; commit it with the sources"
    )
