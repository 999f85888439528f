"""What the preview serves now (:class:`Status`) and how open pages learn that it changed
(:class:`Broadcaster`): each change is a new generation, kept for a while so that a page
that missed some still learns which pages they changed."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

HISTORY = 64
"""Generations remembered for the pages that are behind."""


@dataclass(frozen=True)
class Status:
    """One generation of the preview.

    ``problems``: the ``file:line:col: message`` lines of the sources as they are now
    (empty when they build); the last good pages and files stay served meanwhile.
    ``pages``: site pages rendered ahead of the files (path under the preview folder →
    bytes), served instead of the folder's until the files are built. ``building``: the
    files of these pages are being made. ``reload``: the pages this generation changed
    (paths under the preview folder), or None for every page. ``drafts``: amendments
    left out of the build because they have no changes yet."""

    generation: int = 0
    problems: tuple[str, ...] = ()
    pages: Mapping[str, bytes] = field(default_factory=dict)
    building: bool = False
    reload: frozenset[str] | None = None
    drafts: tuple[str, ...] = ()

    def event(self) -> dict[str, Any]:
        """What a page is told of this generation (JSON-ready)."""
        return {
            "generation": self.generation,
            "building": self.building,
            "problems": len(self.problems),
            "reload": None if self.reload is None else sorted(self.reload),
        }


class Broadcaster:
    """The current :class:`Status`, published by the rebuild and waited for by the
    pages' event streams (one thread each)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._history: deque[Status] = deque([Status()], maxlen=HISTORY)
        self._closed = False

    @property
    def status(self) -> Status:
        """The current generation."""
        with self._condition:
            return self._history[-1]

    def publish(self, **changes: Any) -> Status:
        """A new generation: the current one with ``changes``; wakes every waiter."""
        with self._condition:
            status = replace(
                self._history[-1], generation=self._history[-1].generation + 1, **changes
            )
            self._history.append(status)
            self._condition.notify_all()
            return status

    def since(self, generation: int, timeout: float) -> list[Status] | None:
        """The generations after ``generation``, waiting up to ``timeout`` seconds for
        one ([] if none came); ``[current]`` with ``reload=None`` when some of them were
        forgotten; None once closed."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._history[-1].generation > generation, timeout
            )
            if self._closed:
                return None
            newer = [status for status in self._history if status.generation > generation]
            if newer and newer[0].generation != generation + 1:
                return [replace(self._history[-1], reload=None)]
            return newer

    def close(self) -> None:
        """Wake every waiter for good (the server is stopping)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
