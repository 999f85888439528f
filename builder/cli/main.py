"""The ``notices`` command line (also ``python -m builder``).

Every failure prints one line per problem as ``file:line:col: message`` on stderr and
exits with status 1; a traceback is shown only with NOTICES_DEBUG=1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.core.errors import NoticeError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from builder.sources.workspace import Workspace

# Each command imports what it needs: `notices build` with nothing to do must not pay for
# loading the sources' schema, the templates and the writers.


def _document_number(text: str) -> str:
    from builder.japanese import parse_document_number

    return str(parse_document_number(text))


def _date(text: str | None) -> dt.date | None:
    from builder.japanese import DateError, parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise NoticeError(f"--as-of: {exc}") from None


def _workspace(ctx: click.Context) -> Workspace:
    from builder.sources.workspace import Workspace

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
    from builder.drafting.check import check_workspace

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
    from builder.documents.compose import consolidated
    from builder.writers.text import render_text

    workspace = _workspace(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = _date(as_of)
    version = history.as_of(date) if date else history.versions[-1]
    click.echo(render_text(consolidated(version, "consolidated", workspace.forms)), nl=False)


@cli.command()
@click.argument("amendment")
@click.pass_context
def kaibun(ctx: click.Context, amendment: str) -> None:
    """Print the 改め文 of AMENDMENT (named by its number, e.g. 医政発0327第2号)."""
    from builder.documents.compose import kaibun_document
    from builder.writers.text import render_text

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
    from builder.engine.tabular import area_records, records_csv
    from builder.model.notice import AreaTable
    from builder.writers.text import area_table_lines

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


GC_THRESHOLDS = (50_000, 20, 100)
"""Allocations between young collections, and collections between older ones."""


@contextlib.contextmanager
def _collecting_garbage_less_often() -> Iterator[None]:
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


_WAIT_OPTION = click.option(
    "--wait",
    is_flag=True,
    help="If another notices command is writing the output folder, wait for it "
    "(default: stop with a message).",
)


def _tell(message: str) -> None:
    click.echo(message, err=True)


def _capped_jobs(jobs: int | None) -> int | None:
    """``jobs`` at most the cores this process may use (saying so when it is cut)."""
    if jobs is None:
        return None
    from builder.build.parallel import available_cores

    cores = available_cores()
    if jobs > cores:
        _tell(f"--jobs {jobs}: this machine gives the build {cores} cores; using {cores}")
        return cores
    return jobs


@cli.command(name="build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder; replaced only when the whole build succeeds.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that make files at once.  [default: every available core]",
)
@click.option(
    "--rebuild-all",
    is_flag=True,
    help="Make every file anew, keeping nothing from the previous build.",
)
@_WAIT_OPTION
@click.pass_context
def build_command(
    ctx: click.Context, out: Path, jobs: int | None, rebuild_all: bool, wait: bool
) -> None:
    """Build every document of every version and amendment into the output folder.

    Files whose content would not change are kept from the previous build in the
    output folder (see index.json's "key"); the rest are made anew. When nothing the
    build reads has changed and its files are as it left them, it does nothing."""
    from builder.build.cache import inputs_digest, up_to_date
    from builder.build.out_folder import check_out_folder

    root: Path = ctx.obj["root"]
    check_out_folder(root, out)
    jobs = _capped_jobs(jobs)
    inputs = inputs_digest(root)  # before the sources are read: a later edit is seen
    if not rebuild_all and up_to_date(out, inputs):
        click.echo(f"{out} is up to date: no source, template or part of the builder changed")
        return
    from builder.build.outputs import build
    from builder.drafting.check import check_workspace

    with _collecting_garbage_less_often():
        workspace = _workspace(ctx)
        check_workspace(workspace)
        written = build(workspace, out, jobs, inputs, not rebuild_all, wait, _tell)
    click.echo(
        f"built {written.files} files into {out}: {written.made} made, "
        f"{written.kept} kept unchanged from the previous build"
    )


@cli.command()
@click.argument("notice")
@click.option("--from", "from_date", required=True, metavar="DATE", help="The older version.")
@click.option("--to", "to_date", required=True, metavar="DATE", help="The newer version.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "docx", "pdf"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--before-left", is_flag=True, help="Put 改正前 on the left (default: 改正後 left).")
@click.pass_context
def diff(
    ctx: click.Context,
    notice: str,
    from_date: str,
    to_date: str,
    fmt: str,
    out: Path | None,
    before_left: bool,
) -> None:
    """The 新旧対照表 of NOTICE between the versions in force on two dates."""
    from builder.build.outputs import DOCUMENT_WRITERS
    from builder.documents.compose import comparison

    workspace = _workspace(ctx)
    history = workspace.history(workspace.find_notice(notice))
    start, end = _date(from_date), _date(to_date)
    assert start is not None and end is not None
    if end < start:
        raise NoticeError("--to must not be before --from")
    document = comparison(
        history.as_of(start), history.as_of(end), "diff", after_on_left=not before_left
    )
    data = DOCUMENT_WRITERS["txt" if fmt == "text" else fmt](document)
    if out is None:
        if fmt != "text":
            raise NoticeError(f"--format {fmt} writes a file: give --out FILE")
        click.echo(data.decode("utf-8"), nl=False)
    else:
        from builder.core.safe_files import write_file

        write_file(out, data, "--out")
        click.echo(f"wrote {out} ({fmt})")


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

    workspace = _workspace(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = _date(date_text)
    assert date is not None
    text = scaffold(workspace.project, history, number, date, letter_number)
    path = new_amendment_path(workspace.root, _document_number(number), date)
    if path.exists():
        raise NoticeError(f"{path} exists already; nothing was written")
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")


@cli.command(name="amend-from")
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--notice", required=True, help="The notice whose 別添1 was edited.")
@click.option("--number", required=True, help="文書番号 of the new amendment.")
@click.option("--date", "date_text", required=True, metavar="DATE", help="Issue date.")
@click.option("--letter-number", help="文書番号 of the distribution letter, if there is one.")
@click.option("--dry-run", is_flag=True, help="Print the amendment and its 改め文; write nothing.")
@click.pass_context
def amend_from(
    ctx: click.Context,
    edited: Path,
    notice: str,
    number: str,
    date_text: str,
    letter_number: str | None,
    dry_run: bool,
) -> None:
    """Write the amendment that turns 別添1 as in force into EDITED (.csv, .yaml or .xlsx)."""
    from builder.documents.compose import kaibun_document
    from builder.drafting.amendments import (
        amendment_from_table,
        new_amendment_path,
        read_edited_table,
    )
    from builder.writers.text import render_text

    workspace = _workspace(ctx)
    history = workspace.history(workspace.find_notice(notice))
    date = _date(date_text)
    assert date is not None
    rows = read_edited_table(edited)
    text, version = amendment_from_table(
        workspace.project, history, rows, number, date, letter_number
    )
    click.echo(render_text(kaibun_document(version, "kaibun")), nl=False)
    if dry_run:
        click.echo(text, nl=False)
        return
    path = new_amendment_path(workspace.root, _document_number(number), date)
    if path.exists():
        raise NoticeError(f"{path} exists already; nothing was written")
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")


@cli.command()
@click.option("--prefecture", help="Only this prefecture's areas (兵庫 or 兵庫県).")
@click.option("--all", "all_areas", is_flag=True, help="Every 推進区域 (the default).")
@click.option("--as-of", "as_of", metavar="DATE", help="別添1 as in force then (default: latest).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out-forms"),
    show_default=True,
    help="Output folder; replaced only when every form was written.",
)
@_WAIT_OPTION
@click.pass_context
def forms(
    ctx: click.Context,
    prefecture: str | None,
    all_areas: bool,
    as_of: str | None,
    out: Path,
    wait: bool,
) -> None:
    """Write the 様式例 prefilled for each 推進区域 (都道府県 and 構想区域 filled in and not
    editable) in .xlsx, .docx and .pdf, plus each form blank."""
    from builder.build.out_folder import check_out_folder
    from builder.build.outputs import form_outputs, write_atomically
    from builder.build.parallel import available_cores

    out = check_out_folder(ctx.obj["root"], out)
    if prefecture and all_areas:
        raise NoticeError("give --prefecture or --all, not both")
    from builder.japanese import find_prefecture

    try:
        name = find_prefecture(prefecture).name if prefecture else None
    except ValueError as exc:
        raise NoticeError(f"--prefecture: {exc}") from None
    with _collecting_garbage_less_often():
        workspace = _workspace(ctx)
        files = list(form_outputs(workspace, _date(as_of), name))
        prefilled = [f for f in files if dict(f.extra).get("area")]
        if name is not None and not prefilled:
            raise NoticeError(
                f"{name} has no 推進区域 in 別添1 on that date (調整中); nothing to prefill"
            )
        written = write_atomically(out, iter(files), jobs=available_cores(), wait=wait, say=_tell)
    click.echo(f"wrote {written.files} files into {out} ({len(prefilled)} prefilled)")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--records",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("returns"),
    show_default=True,
    help="Folder for the records, one per file read (never overwritten).",
)
@click.option(
    "--format",
    "record_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Format of the records.",
)
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the national summary (.xlsx, one row per area) here.",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    files: tuple[Path, ...],
    records: Path,
    record_format: str,
    summary: Path | None,
) -> None:
    """Read filled 様式 (.xlsx, .docx, .pdf) into one record each and, with --summary, a
    national summary. A file that is not a form of this project, of another version,
    tampered with, hostile or not a regular file is refused with the reason; the others
    are still read. Exit 1 if any file was refused, has problems (blank required
    fields, bad values, computed cells that disagree, prefilled fields changed) or could
    not be recorded. Anything a file holds is printed with control characters escaped
    (\\x1b)."""
    from builder.core.safe_files import check_output_folder, describe
    from builder.forms.returns.ingest import holds_records, printable, read_returns, write_record
    from builder.forms.returns.summary import render_summary_xlsx

    if summary is not None and summary.suffix.lower() != ".xlsx":
        raise NoticeError(f"--summary {summary}: the summary is an .xlsx file")
    what = describe(summary) if summary is not None else None
    if what is not None:  # said before reading anything; write_file checks again
        raise NoticeError(f"--summary {summary}: is {what}; give a new or regular file")
    root: Path = ctx.obj["root"]
    records = check_output_folder(records, root, "--records", holds_records, "previous records")
    results = read_returns(list(files), _workspace(ctx).forms)
    unrecorded = 0
    for result in results:
        if result.form is None:
            click.echo(printable(f"refused   {' '.join(result.problems)}"))
            continue
        try:
            target = str(write_record(result, records, record_format))
        except (OSError, NoticeError) as exc:
            unrecorded += 1
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            target = f"no record ({reason})"
        about = " ".join(filter(None, (result.prefecture, "、".join(result.areas))))
        click.echo(
            printable(
                f"{result.status:<9} {result.path}: {result.form.id} {result.form.version}"
                f" {result.file_format} {about} → {target}"
            )
        )
        for problem in result.problems:
            click.echo(printable(f"          - {problem}"))
    if summary is not None:
        _write_file(summary, render_summary_xlsx(results))
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "problems", "refused")}
    click.echo(
        printable(
            f"{len(results)} files: {counts['ok']} ok, {counts['problems']} with problems, "
            f"{counts['refused']} refused"
            + (f", {unrecorded} not recorded" if unrecorded else "")
            + (f"; summary {summary}" if summary else "")
        )
    )
    if counts["problems"] or counts["refused"] or unrecorded:
        raise NoticeError("ingest: some files were refused or have problems (listed above)")


def _write_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (:func:`builder.core.safe_files.write_file`: a
    temporary file of a random name, never a symlink followed)."""
    from builder.core.safe_files import write_file

    write_file(path, data, "--summary")


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="A folder written by `notices build`.",
)
def verify(out: Path) -> None:
    """Run every real-client check (qpdf, pdffonts, pdftotext, LibreOffice, OOXML validator)
    on a built folder and print a table of file × check; exit 1 unless all pass."""
    from builder.verify.report import report as verify_report
    from builder.verify.report import verify as verify_build

    text, passed = verify_report(out, verify_build(out))
    click.echo(text, nl=False)
    if not passed:
        raise NoticeError("verify: some checks did not pass (see the table above)")


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
