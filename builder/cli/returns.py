"""Reading the filled 様式 that prefectures return: ingest."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.app import (
    bilingual,
    cli,
    detail,
    say,
    workspace_of,
)
from builder.cli.progress import progress_bar
from builder.core.errors import NoticeError


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
    (\\x1b). With -q only the files refused or with problems are listed."""
    from builder.core.safe_files import check_output_folder, describe
    from builder.forms.returns.ingest import (
        Return,
        holds_records,
        printable,
        read_returns,
        write_record,
    )
    from builder.forms.returns.summary import render_summary_xlsx

    if summary is not None and summary.suffix.lower() != ".xlsx":
        raise click.BadParameter(
            bilingual(
                f"{summary}: 集計は .xlsx ファイルです", f"{summary}: the summary is an .xlsx file"
            ),
            param_hint="'--summary'",
        )
    what = describe(summary) if summary is not None else None
    if what is not None:  # said before reading anything; write_file checks again
        raise NoticeError(
            bilingual(
                f"--summary {summary}: 通常のファイルではありません（{what}）。新しいファイルか"
                "通常のファイルを指定してください",
                f"--summary {summary}: is {what}; give a new or regular file",
            )
        )
    root: Path = ctx.obj["root"]
    records = check_output_folder(records, root, "--records", holds_records, "previous records")
    forms = workspace_of(ctx).forms
    detail(bilingual(f"{len(files)}ファイルを読みます", f"reading {len(files)} files"))
    results: list[Return] = []
    with progress_bar("読み込み / reading") as bar:
        for path in files:
            bar(len(results), len(files))
            results.extend(read_returns([path], forms))
        bar(len(results), len(files))
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
        line = printable(
            f"{result.status:<9} {result.path}: {result.form.id} {result.form.version}"
            f" {result.file_format} {about} → {target}"
        )
        if result.problems or target.startswith("no record"):
            click.echo(line)
        else:
            say(line)
        for problem in result.problems:
            click.echo(printable(f"          - {problem}"))
    if summary is not None:
        _write_file(summary, render_summary_xlsx(results))
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "problems", "refused")}
    say(printable(_summary_line(len(results), counts, unrecorded, summary)))
    if counts["problems"] or counts["refused"] or unrecorded:
        raise NoticeError(
            bilingual(
                "ingest: 受け付けなかったファイルか問題のあるファイルがあります（上に列挙）",
                "ingest: some files were refused or have problems (listed above)",
            )
        )


def _summary_line(files: int, counts: dict[str, int], unrecorded: int, summary: Path | None) -> str:
    """The last line of ingest: how many files were read, and how."""
    japanese = (
        f"{files}ファイル: 問題なし{counts['ok']}、問題あり{counts['problems']}、"
        f"受け付けず{counts['refused']}"
        + (f"、記録できず{unrecorded}" if unrecorded else "")
        + (f"。集計 {summary}" if summary else "")
    )
    english = (
        f"{files} files: {counts['ok']} ok, {counts['problems']} with problems, "
        f"{counts['refused']} refused"
        + (f", {unrecorded} not recorded" if unrecorded else "")
        + (f"; summary {summary}" if summary else "")
    )
    return bilingual(japanese, english)


def _write_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (:func:`builder.core.safe_files.write_file`: a
    temporary file of a random name, never a symlink followed)."""
    from builder.core.safe_files import write_file

    write_file(path, data, "--summary")
