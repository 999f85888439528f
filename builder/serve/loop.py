"""``notices serve`` from start to Ctrl-C: the preview folder checked, the port taken,
the sources watched, the pages rendered and served, then one rebuild per batch of
changes: the pages in this process, the files in a forked copy of it once no further
change is waiting. Ctrl-C (or SIGTERM, SIGHUP) stops the copy (a build being written
leaves the folder as it was), the watcher and the server: no thread or process is
left."""

from __future__ import annotations

import queue
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from builder.serve.preview import Preview, warm_up
from builder.serve.rebuild import Rebuilder
from builder.serve.server import make_server
from builder.serve.state import Broadcaster
from builder.serve.watch import SourceWatcher

POLL_SECONDS = 0.5
"""How often the main thread wakes while waiting for a change (it stays responsive to
a stop signal either way)."""

CHILD_POLL_SECONDS = 0.02
"""While files are being made: how long to wait for them before looking for a change."""


def _drain(changes: queue.Queue[set[str]]) -> set[str]:
    """Every batch of changes waiting, as one set."""
    paths: set[str] = set()
    while True:
        try:
            paths |= changes.get_nowait()
        except queue.Empty:
            return paths


def serve(
    root: Path,
    out: Path,
    port: int,
    open_browser: bool,
    ready: Callable[[str], None],
    say: Callable[[str], None],
) -> None:
    """Serve the preview of ``root`` built in ``out`` on 127.0.0.1:``port`` until
    stopped; ``ready`` gets the URL once the pages can be seen, ``say`` one line per
    rebuild. Files are made by a forked copy of this process, one at a time
    (:mod:`builder.serve.background`)."""
    preview = Preview(root, out)
    broadcaster = Broadcaster()
    server = make_server(port, preview.out, broadcaster)
    changes: queue.Queue[set[str]] = queue.Queue()
    watcher = SourceWatcher(root, changes.put)
    thread = threading.Thread(target=server.serve_forever, name="serve http", daemon=True)
    rebuilder = Rebuilder(preview, broadcaster, say, [server.fileno()])
    try:
        watcher.start()  # before the first load: an edit made during it is seen
        thread.start()
        rebuilder.pages()
        ready(server.url)
        if open_browser:
            webbrowser.open(server.url)
        rebuilder.start_files()  # the first build, while this process loads the writers
        if rebuilder.last_good is not None:
            made = warm_up(rebuilder.last_good.workspace, lambda: not changes.empty())
            say(f"warm: {made} writers loaded; watching for changes")
        _rebuild_on_change(rebuilder, changes)
    finally:
        rebuilder.cancel_files()
        rebuilder.reap(wait=True)
        watcher.stop()
        broadcaster.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def _rebuild_on_change(rebuilder: Rebuilder, changes: queue.Queue[set[str]]) -> None:
    """Rebuild after every batch of changes, forever: the pages at once (stopping the
    files of older sources), the files in a forked copy once no change is waiting
    (after pages that failed: those of the last good sources)."""
    while True:
        if rebuilder.child is None and changes.empty():
            rebuilder.start_files()
        try:
            first = changes.get(timeout=POLL_SECONDS if rebuilder.child is None else 0.0)
        except queue.Empty:
            rebuilder.reap()
            rebuilder.files_done(CHILD_POLL_SECONDS)
            continue
        paths = first | _drain(changes)
        rebuilder.say(f"changed: {', '.join(sorted(Path(p).name for p in paths))}")
        rebuilder.pages()
