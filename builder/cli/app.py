"""The ``notices`` command group and what its commands share: parsing dates and numbers
as typed, loading the sources, naming an amendment (:mod:`builder.cli.naming`), ``-q``/``-v``
on the group and on every command (:mod:`builder.cli.output`), ``--wait``, ``--jobs``
capped at the cores, the garbage collector's thresholds during a build. Each command
imports what it needs when it runs: ``notices build`` with nothing to do must not pay for
the schema, templates and writers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli.naming import (
    complete_amendment,
    complete_notice,
    find_amendment,
    find_notice,
)
from builder.cli.output import bilingual, detail, say, tell, verbosity_options

if TYPE_CHECKING:
    from builder.model.notice import Amendment, Notice
    from builder.sources.workspace import Workspace

__all__ = [
    "WAIT_OPTION",
    "amendment_of",
    "bilingual",
    "capped_jobs",
    "cli",
    "collecting_garbage_less_often",
    "complete_amendment",
    "complete_notice",
    "detail",
    "document_number",
    "notice_of",
    "option_date",
    "say",
    "tell",
    "workspace_of",
]


def document_number(text: str) -> str:
    """A 文書番号 as typed (full-width digits allowed), normalised; one that cannot be
    read is a usage error (exit 2) naming its option."""
    from builder.japanese import parse_document_number
    from builder.japanese.docnumber import DocumentNumberError

    try:
        return str(parse_document_number(text))
    except DocumentNumberError as exc:
        raise click.BadParameter(str(exc), param_hint=_option_given(text, "--number")) from None


def option_date(text: str | None, option: str | None = None) -> dt.date | None:
    """A date option as typed (ISO or 和暦); one that is not a date is a usage error
    (exit 2) naming ``option`` (default: the option of the running command given as
    ``text``)."""
    from builder.japanese import DateError, parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        hint = option or _option_given(text, "--as-of")
        raise click.BadParameter(str(exc), param_hint=hint) from None


def _option_given(text: str, fallback: str) -> str:
    """The option of the running command whose value is ``text`` (for a message)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        for param in ctx.command.params:
            if param.name and ctx.params.get(param.name) == text and param.opts:
                return f"'{max(param.opts, key=len)}'"
    return f"'{fallback}'"


def workspace_of(ctx: click.Context) -> Workspace:
    """The sources under ``--root``, read and checked."""
    from builder.sources.workspace import Workspace

    root: Path = ctx.obj["root"]
    detail(bilingual(f"{root} のソースを読み込みます", f"reading the sources under {root}"))
    workspace = Workspace(root)
    project = workspace.project
    detail(
        bilingual(
            f"通知{len(project.notices)}件、改正{len(project.amendments)}件を読み込みました",
            f"read {len(project.notices)} notices and {len(project.amendments)} amendments",
        )
    )
    return workspace


def amendment_of(ctx: click.Context, name: str) -> tuple[Workspace, Amendment]:
    """The sources under ``--root`` and the amendment ``name`` designates: its 文書番号,
    its file or the file's stem, or its date when unique (:func:`find_amendment`)."""
    workspace = workspace_of(ctx)
    return workspace, find_amendment(workspace, name)


def notice_of(ctx: click.Context, name: str) -> tuple[Workspace, Notice]:
    """The sources under ``--root`` and the notice ``name`` designates (its 文書番号, or
    a prefix only it has; :func:`find_notice`)."""
    workspace = workspace_of(ctx)
    return workspace, find_notice(workspace, name)


COMMAND_MODULES: dict[str, str] = {
    "check": "builder.cli.read",
    "show": "builder.cli.read",
    "kaibun": "builder.cli.read",
    "table": "builder.cli.read",
    "diff": "builder.cli.read",
    "new-amendment": "builder.cli.draft",
    "amend-from": "builder.cli.draft",
    "build": "builder.cli.publish",
    "forms": "builder.cli.publish",
    "verify": "builder.cli.publish",
    "ingest": "builder.cli.returns",
    "issue": "builder.cli.issue",
    "schema": "builder.cli.editor",
    "serve": "builder.cli.serve",
}
"""Each command and the module that defines it: a command's module is imported only when
that command runs (or help lists them all), so `notices build` with nothing to do does
not pay for the others (about 0.1 s)."""


class NoticesGroup(click.Group):
    """The command group: every command added gets ``-q`` and ``-v`` as well, so that
    they work after the command name as before it; commands are loaded from
    :data:`COMMAND_MODULES` when first asked for."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Register ``cmd`` with the verbosity options appended to its own."""
        taken = {opt for param in cmd.params for opt in getattr(param, "opts", ())}
        cmd.params.extend(o for o in verbosity_options() if not taken & set(o.opts))
        super().add_command(cmd, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, loaded or not."""
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported (which registers it) if needed."""
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[cmd_name])
        return super().get_command(ctx, cmd_name)

    def load_all(self) -> dict[str, click.Command]:
        """Every command, each module imported (for tests and documentation)."""
        for module in sorted(set(COMMAND_MODULES.values())):
            importlib.import_module(module)
        return dict(self.commands)


@click.group(cls=NoticesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="mhlw-notices", prog_name="notices", message="%(prog)s %(version)s"
)
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
    every document. Dates are ISO (2025-03-27) or 和暦 (令和7年3月27日). An amendment is
    named by its 文書番号, its file or file stem, or its date when unique. -q and -v work
    before or after the command name. Exit status: 0 done, 1 a problem found (listed as
    file:line:col), 2 a usage error, 3 an internal error, 128+N a stop signal N. Shell
    completion (bash): eval "$(_NOTICES_COMPLETE=bash_source notices)"."""
    ctx.obj = {"root": root}


for _option in verbosity_options():
    cli.params.append(_option)


GC_THRESHOLDS = (50_000, 20, 100)
"""Allocations between young collections, and collections between older ones."""


@contextlib.contextmanager
def collecting_garbage_less_often() -> Iterator[None]:
    """A build makes millions of short-lived objects (pydantic, reportlab, python-docx).
    With Python's default thresholds (700, 10, 10) the cyclic collector took 15% of a
    one-process build (4.1 s → 3.5 s with :data:`GC_THRESHOLDS`, for 12 MB more peak
    memory); reference counting still frees everything that is not in a cycle. The
    thresholds are restored afterwards (for callers of :func:`main` in a process)."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


WAIT_OPTION = click.option(
    "--wait",
    is_flag=True,
    help="If another notices command is writing the output folder, wait for it "
    "(default: stop with a message).",
)


def capped_jobs(jobs: int | None) -> int | None:
    """``jobs`` at most the cores this process may use (saying so when it is cut)."""
    if jobs is None:
        return None
    from builder.core.cores import available_cores

    cores = available_cores()
    if jobs > cores:
        tell(
            bilingual(
                f"--jobs {jobs}: このマシンでビルドに使えるコアは{cores}個です。"
                f"{cores}で実行します",
                f"--jobs {jobs}: this machine gives the build {cores} cores; using {cores}",
            )
        )
        return cores
    return jobs
