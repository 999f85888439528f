"""Watching the sources: every change under ``notices/``, ``amendments/``, ``forms/`` and
``templates/`` and to ``issued.yaml`` (:data:`builder.build.build_record.INPUT_FOLDERS` and
``INPUT_FILES``, what a build reads) is handed on, a few milliseconds after the editor's
last write, as the set of paths changed.

Two threads running ``watchfiles``: one over the source folders (recursive), one over the
project folder itself (not recursive, for ``issued.yaml`` and for a source folder made or
removed, after which the first starts again over the folders that exist).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from builder.build.build_record import INPUT_FILES, INPUT_FOLDERS

STEP_MS = 20
"""Changes closer together than this are one batch (an editor's save writes, renames
and sets attributes within a few milliseconds); a batch is handed on this long after its
last change."""

DEBOUNCE_MS = 400
"""A batch is handed on after this long even while changes keep coming."""

RETRY_SECONDS = 0.5
"""Wait before watching again after the watcher failed (a folder removed under it)."""


class _Either:
    """An event set when either of two is (for watchfiles' ``stop_event``)."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first = first
        self.second = second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


class SourceWatcher:
    """Calls ``notify`` with the paths changed, from its own threads, until stopped."""

    def __init__(self, root: Path, notify: Callable[[set[str]], None]) -> None:
        self.root = root.resolve()
        self.notify = notify
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._watched: frozenset[Path] = frozenset()
        self._threads = [
            threading.Thread(target=self._watch_folders, name="watch sources", daemon=True),
            threading.Thread(target=self._watch_root, name="watch project", daemon=True),
        ]

    def folders(self) -> list[Path]:
        """The source folders that exist now."""
        return [self.root / name for name in INPUT_FOLDERS if (self.root / name).is_dir()]

    def start(self) -> None:
        """Start watching (changes from now on are handed on)."""
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the threads (a fraction of a second)."""
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)

    def _changes(self, paths: Iterable[Path], recursive: bool, until: _Either) -> None:
        names = {*INPUT_FOLDERS, *INPUT_FILES}

        def wanted(change: Change, path: str) -> bool:
            return Path(path).name in names

        for batch in watch(
            *paths,
            watch_filter=DefaultFilter() if recursive else wanted,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=until,
            rust_timeout=1000,
            raise_interrupt=False,
            recursive=recursive,
        ):
            changed = {path for _, path in batch}
            self.notify(changed)
            if not recursive and frozenset(self.folders()) != self._watched:
                self._restart.set()

    def _watch_folders(self) -> None:
        while not self._stop.is_set():
            self._restart.clear()
            folders = self.folders()
            self._watched = frozenset(folders)
            try:
                if folders:
                    self._changes(folders, True, _Either(self._stop, self._restart))
                else:
                    _wait_either(self._stop, self._restart)
            except (OSError, RuntimeError):  # a folder removed under the watcher
                self._stop.wait(RETRY_SECONDS)

    def _watch_root(self) -> None:
        never = threading.Event()
        while not self._stop.is_set():
            try:
                self._changes([self.root], False, _Either(self._stop, never))
            except (OSError, RuntimeError):
                self._stop.wait(RETRY_SECONDS)


def _wait_either(first: threading.Event, second: threading.Event) -> None:
    while not (first.is_set() or second.is_set()):
        first.wait(0.2)
