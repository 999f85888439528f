"""The ``notices`` command line (also ``python -m builder``).

Every failure prints one line per problem as ``file:line:col: message`` on stderr and
exits with status 1; a traceback is shown only with NOTICES_DEBUG=1.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from builder.build import build
from builder.checks_sources import check_workspace
from builder.documents import consolidated, kaibun_document
from builder.errors import NoticeError
from builder.japanese import DateError, parse_date
from builder.model import AreaTable
from builder.render.text import area_table_lines, render_text
from builder.tabular import area_records, records_csv
from builder.workspace import Workspace


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise NoticeError(f"--as-of: {exc}") from None


def _workspace(ctx: click.Context) -> Workspace:
    root: Path = ctx.obj["root"]
    return Workspace(root)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder holding notices/, amendments/ and forms/.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Official notices kept as data: check sources, show any version, write 改め文 and build
    every document. Dates are ISO (2025-03-27) or 和暦 (令和7年3月27日)."""
    ctx.obj = {"root": root}


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate every source and every amendment (exit 1 with file:line:col per problem)."""
    workspace = _workspace(ctx)
    for line in check_workspace(workspace):
        click.echo(line)
    click.echo("OK")


@cli.command()
@click.argument("notice")
@click.option(
    "--as-of", "as_of", metavar="DATE", help="Date of the version to show (default: latest)."
)
@click.pass_context
def show(ctx: click.Context, notice: str, as_of: str | None) -> None:
    """Print the consolidated text of NOTICE as in force on a date."""
    workspace = _workspace(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = _date(as_of)
    version = history.as_of(date) if date else history.versions[-1]
    click.echo(render_text(consolidated(version, "consolidated")), nl=False)


@cli.command()
@click.argument("amendment")
@click.pass_context
def kaibun(ctx: click.Context, amendment: str) -> None:
    """Print the 改め文 of AMENDMENT (named by its number, e.g. 医政発0327第2号)."""
    workspace = _workspace(ctx)
    found = workspace.find_amendment(amendment)
    notice = workspace.find_notice(found.notice)
    version = workspace.history(notice).version_of(found.number)
    click.echo(render_text(kaibun_document(version, "kaibun")), nl=False)


@cli.command()
@click.argument("notice")
@click.option("--as-of", "as_of", metavar="DATE", help="Date of the version (default: latest).")
@click.option("--csv", "as_csv", is_flag=True, help="One CSV row per area instead of the table.")
@click.pass_context
def table(ctx: click.Context, notice: str, as_of: str | None, as_csv: bool) -> None:
    """Print 別添1 of NOTICE as in force on a date."""
    workspace = _workspace(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = _date(as_of)
    version = history.as_of(date) if date else history.versions[-1]
    tables = [a for a in version.notice.attachments if isinstance(a, AreaTable)]
    if not tables:
        raise NoticeError(f"{history.notice.id} has no table attachment")
    if as_csv:
        click.echo(records_csv(area_records(tables[0])).replace("\r\n", "\n"), nl=False)
    else:
        click.echo("\n".join(area_table_lines(tables[0])))


@cli.command(name="build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder; replaced only when the whole build succeeds.",
)
@click.pass_context
def build_command(ctx: click.Context, out: Path) -> None:
    """Build every document of every version and amendment into the output folder."""
    workspace = _workspace(ctx)
    check_workspace(workspace)
    count = build(workspace, out)
    click.echo(f"built {count} files into {out}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        cli.main(args=argv, prog_name="notices", standalone_mode=False)
    except NoticeError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}" if problem.pos is None else str(problem), err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Exception as exc:
        if os.environ.get("NOTICES_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} "
            "(rerun with NOTICES_DEBUG=1 and report it)",
            err=True,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
