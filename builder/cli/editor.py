"""Commands for editors: ``notices schema`` writes the JSON Schemas of the source files
(for YAML completion and checking while typing)."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.app import cli


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: schemas/ of the project).",
)
@click.pass_context
def schema(ctx: click.Context, out: Path | None) -> None:
    """Write the JSON Schemas of notice, amendment, form and list files
    (<name>.schema.json), which YAML editors use for completion and checking."""
    from builder.core.safe_files import write_file
    from builder.sources.json_schema import SCHEMA_FILES, schema_text

    folder = out if out is not None else ctx.obj["root"] / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for name in SCHEMA_FILES:
        path = folder / f"{name}.schema.json"
        write_file(path, schema_text(name).encode("utf-8"), "--out")
        click.echo(str(path))
