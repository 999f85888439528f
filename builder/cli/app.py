"""The ``notices`` command group and what its commands share: parsing dates and numbers
as typed, loading the sources, ``--wait``, ``--jobs`` capped at the cores, the garbage
collector's thresholds during a build. Each command imports what it needs when it runs:
``notices build`` with nothing to do must not pay for the schema, templates and writers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.core.errors import NoticeError

if TYPE_CHECKING:
    from builder.sources.workspace import Workspace


def document_number(text: str) -> str:
    """A 文書番号 as typed (full-width digits allowed), normalised."""
    from builder.japanese import parse_document_number

    return str(parse_document_number(text))


def option_date(text: str | None) -> dt.date | None:
    from builder.japanese import DateError, parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise NoticeError(f"--as-of: {exc}") from None


def workspace_of(ctx: click.Context) -> Workspace:
    from builder.sources.workspace import Workspace

    root: Path = ctx.obj["root"]
    return Workspace(root)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    every document. Dates are ISO (2025-03-27) or 和暦 (令和7年3月27日)."""
    ctx.obj = {"root": root}


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


def tell(message: str) -> None:
    click.echo(message, err=True)


def capped_jobs(jobs: int | None) -> int | None:
    """``jobs`` at most the cores this process may use (saying so when it is cut)."""
    if jobs is None:
        return None
    from builder.build.parallel import available_cores

    cores = available_cores()
    if jobs > cores:
        tell(f"--jobs {jobs}: this machine gives the build {cores} cores; using {cores}")
        return cores
    return jobs
