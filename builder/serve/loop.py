"""``notices serve`` from start to Ctrl-C: the preview folder checked, the port taken,
the sources watched, the pages rendered and served, the files built, then one rebuild
per batch of changes (pages first; the files when no further change is waiting), all in
this process. Ctrl-C (or SIGTERM, SIGHUP) stops the rebuild where it is (a build being
written leaves the folder as it was), then the watcher and the server: no thread or
process is left."""

from __future__ import annotations

import queue
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from builder.build.parallel import available_cores
from builder.serve.preview import Preview, warm_up
from builder.serve.rebuild import Rebuilder
from builder.serve.server import make_server
from builder.serve.state import Broadcaster
from builder.serve.watch import SourceWatcher

POLL_SECONDS = 0.5
"""How often the main thread wakes while waiting for a change (it stays responsive to
a stop signal either way)."""


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
    jobs: int | None = None,
) -> None:
    """Serve the preview of ``root`` built in ``out`` on 127.0.0.1:``port`` until
    stopped; ``ready`` gets the URL once the pages can be seen, ``say`` one line per
    rebuild. The first build uses ``jobs`` processes (default: every core); every later
    one runs in this process."""
    preview = Preview(root, out)
    broadcaster = Broadcaster()
    server = make_server(port, preview.out, broadcaster)
    changes: queue.Queue[set[str]] = queue.Queue()
    watcher = SourceWatcher(root, changes.put)
    thread = threading.Thread(target=server.serve_forever, name="serve http", daemon=True)
    try:
        watcher.start()  # before the first load: an edit made during it is seen
        thread.start()
        rebuilder = Rebuilder(preview, broadcaster, say)
        rebuilder.pages()
        ready(server.url)
        if open_browser:
            webbrowser.open(server.url)
        if changes.empty():
            rebuilder.files(available_cores() if jobs is None else jobs)
        if rebuilder.last_good is not None:
            made = warm_up(rebuilder.last_good.workspace, lambda: not changes.empty())
            say(f"warm: {made} writers loaded; watching for changes")
        _rebuild_on_change(rebuilder, changes)
    finally:
        watcher.stop()
        broadcaster.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()


def _rebuild_on_change(rebuilder: Rebuilder, changes: queue.Queue[set[str]]) -> None:
    """Rebuild after every batch of changes, forever: the pages at once, the files once
    no further change is waiting (or after pages that failed: those of the last good
    sources)."""
    while True:
        if rebuilder.due is not None and changes.empty():
            rebuilder.files()
            continue
        try:
            first = changes.get(timeout=POLL_SECONDS)
        except queue.Empty:
            continue
        paths = first | _drain(changes)
        rebuilder.say(f"changed: {', '.join(sorted(Path(p).name for p in paths))}")
        rebuilder.pages()
