"""What a command says, and how much: ``-q``/``--quiet`` (only errors) and
``-v``/``--verbose`` (also what is being done), given before or after the command name.

Three kinds of message: :func:`say` prints a command's closing summary on stdout;
:func:`tell` prints a note on stderr (a cut ``--jobs``, a wait for a lock); :func:`detail`
prints a step on stderr, only with ``-v``. ``-q`` silences all three; what a command is
asked for (the text of ``show``, ``kaibun``, ``table``, ``diff``) is printed whatever the
level, and errors always are. Every message is in Japanese, then in English
(:func:`bilingual`).
"""

from __future__ import annotations

import enum
import time

import click

from builder.core import messages

_KEY = "notices.verbosity"
_STARTED = "notices.started"


class Verbosity(enum.IntEnum):
    """How much a command says."""

    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


def bilingual(japanese: str, english: str) -> str:
    """A message in Japanese, then in English, in the one form every message of the
    project has (:func:`builder.core.messages.bilingual`)."""
    return messages.bilingual(japanese, english)


def verbosity() -> Verbosity:
    """The level asked for on the command line of the command running now (NORMAL
    outside a command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return Verbosity.NORMAL
    level = ctx.find_root().meta.get(_KEY, Verbosity.NORMAL)
    assert isinstance(level, Verbosity)
    return level


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    root = ctx.find_root()
    level = Verbosity.QUIET if param.name == "quiet" else Verbosity.VERBOSE
    if root.meta.get(_KEY, level) != level:
        raise click.UsageError(
            bilingual("-q と -v は同時に指定できません", "give -q or -v, not both"), ctx
        )
    root.meta[_KEY] = level
    root.meta.setdefault(_STARTED, time.perf_counter())


def verbosity_options() -> list[click.Option]:
    """Fresh ``-q`` and ``-v`` options (a parameter object belongs to one command)."""
    return [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_set_verbosity,
            help="Print only errors (and what the command is asked to print).",
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_set_verbosity,
            help="Also say what is being done, with the time taken so far.",
        ),
    ]


def say(message: str) -> None:
    """A command's result line, on stdout (not with -q)."""
    if verbosity() is not Verbosity.QUIET:
        click.echo(message)


def tell(message: str) -> None:
    """A note on stderr (not with -q)."""
    if verbosity() is not Verbosity.QUIET:
        click.echo(message, err=True)


def detail(message: str) -> None:
    """A step of the work, on stderr with the seconds since the command started (only
    with -v)."""
    if verbosity() is not Verbosity.VERBOSE:
        return
    ctx = click.get_current_context()
    started = ctx.find_root().meta.setdefault(_STARTED, time.perf_counter())
    click.echo(f"[{time.perf_counter() - started:6.2f} s] {message}", err=True)
