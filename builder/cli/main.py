"""The ``notices`` command line (also ``python -m builder``): :func:`main` runs it.

Every failure prints one line per problem as ``file:line:col: message`` on stderr and
exits with status 1; a traceback is shown only with NOTICES_DEBUG=1; a stop signal gives
one line and 128 + its number.
"""

from __future__ import annotations

import os
import signal
import sys

import click

from builder.cli import draft, editor, issue, publish, read, returns, serve
from builder.cli.app import cli
from builder.core.errors import NoticeError

COMMAND_MODULES = (read, draft, publish, returns, issue, editor, serve)
"""Importing these registers their commands on :data:`builder.cli.app.cli`."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
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
        return 1
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click's form of Ctrl-C
            click.echo(stopped_message(signal.SIGINT), err=True)
            return exit_status(signal.SIGINT)
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 1  # a wrong request is a problem like any other (README: exit status 1)
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
