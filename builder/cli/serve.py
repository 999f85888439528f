"""``notices serve``: the site as the sources are edited, on 127.0.0.1, reloaded in the
browser after each save (:mod:`builder.serve`)."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.app import cli, collecting_garbage_less_often, tell


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the browser.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out-preview"),
    show_default=True,
    help="Preview folder (the rules of build --out; never out/ unless you say so).",
)
@click.pass_context
def serve(ctx: click.Context, port: int, open_browser: bool, out: Path) -> None:
    """Build the site into the preview folder, serve it on http://127.0.0.1:PORT/ and
    rebuild after every change to notices/, amendments/, forms/, templates/ or
    issued.yaml: open pages reload by themselves, and a problem in the sources shows on
    the page with its file:line:col. Ctrl-C stops it."""
    from builder.serve.loop import serve as run

    def ready(url: str) -> None:
        click.echo(f"serving {url} (Ctrl-C to stop)")

    with collecting_garbage_less_often():
        run(ctx.obj["root"], out, port, open_browser, ready, tell)
