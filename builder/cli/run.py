"""The command line on click: runs a command and turns what it raised into the exit
statuses of :mod:`builder.cli.main` (and its messages)."""

from __future__ import annotations

import os
import signal

import click

from builder.cli.app import cli
from builder.cli.main import INTERNAL_ERROR, PROBLEM, USAGE_ERROR
from builder.cli.output import bilingual
from builder.core.errors import NoticeError


def run(argv: list[str] | None = None) -> int:
    """Run the command line on click; returns the exit status."""
    from builder.core.stopping import Stopped, exit_status, stop_on_signals, stopped_message

    try:
        with stop_on_signals():
            cli.main(args=argv, prog_name="notices", standalone_mode=False)
    except Stopped as exc:
        click.echo(stopped_message(exc.signum), err=True)
        return exit_status(exc.signum)
    except KeyboardInterrupt:
        click.echo(stopped_message(signal.SIGINT), err=True)
        return exit_status(signal.SIGINT)
    except NoticeError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}" if problem.pos is None else str(problem), err=True)
        return PROBLEM
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click's form of Ctrl-C
            click.echo(stopped_message(signal.SIGINT), err=True)
            return exit_status(signal.SIGINT)
        click.echo(bilingual("中止しました", "aborted"), err=True)
        return PROBLEM
    except click.UsageError as exc:
        show_usage_error(exc)
        return USAGE_ERROR
    except click.ClickException as exc:  # click's other refusals (a file it cannot open)
        click.echo(bilingual("エラー", f"error: {exc.format_message()}"), err=True)
        return PROBLEM
    except Exception as exc:
        if os.environ.get("NOTICES_DEBUG"):
            raise
        click.echo(
            bilingual(
                f"内部エラー: {type(exc).__name__}: {exc}。NOTICES_DEBUG=1 を付けて再実行し、"
                "報告してください",
                f"internal error: {type(exc).__name__}: {exc} "
                "(rerun with NOTICES_DEBUG=1 and report it)",
            ),
            err=True,
        )
        return INTERNAL_ERROR
    return 0


def show_usage_error(exc: click.UsageError) -> None:
    """The usage of the command typed, where to find its help, and what was wrong."""
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        helps = exc.ctx.help_option_names
        if helps:
            command = f"{exc.ctx.command_path} {helps[0]}"
            click.echo(
                bilingual(f"'{command}' で使い方を表示します", f"Try '{command}' for help."),
                err=True,
            )
        click.echo(err=True)
    click.echo(
        bilingual("コマンドの使い方に誤りがあります", f"usage error: {exc.format_message()}"),
        err=True,
    )
