"""One rebuild of the preview and its result published as a new generation
(:class:`builder.serve.state.Status`): the pages first, then the files, each saying
which open pages changed; a problem in the sources, or in making a file, is published
with every ``file:line:col`` message while the last good pages and files stay served."""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Mapping

from builder.core.errors import NoticeError
from builder.serve.preview import Loaded, Preview
from builder.serve.state import Broadcaster, Status


def problem_lines(exc: Exception) -> tuple[str, ...]:
    """The lines shown for a failed rebuild: each problem as ``file:line:col: message``
    (as the command line prints them), or one line for an internal error."""
    if isinstance(exc, NoticeError):
        return tuple(
            f"error: {problem}" if problem.pos is None else str(problem) for problem in exc.problems
        )
    return (
        f"internal error: {type(exc).__name__}: {exc} (rerun with NOTICES_DEBUG=1 and report it)",
    )


def changed_pages(new: Mapping[str, bytes], served: Callable[[str], bytes | None]) -> set[str]:
    """The HTML pages of ``new`` whose bytes differ from what is ``served`` now."""
    return {path for path, data in new.items() if path.endswith(".html") and served(path) != data}


class Rebuilder:
    """Runs the phases of :class:`builder.serve.preview.Preview` and publishes each
    result on ``broadcaster``; ``say`` gets one line per phase (for the terminal)."""

    def __init__(
        self, preview: Preview, broadcaster: Broadcaster, say: Callable[[str], None]
    ) -> None:
        self.preview = preview
        self.broadcaster = broadcaster
        self.say = say
        self.due: Loaded | None = None
        """Sources whose pages are served and whose files are not built yet."""
        self.last_good: Loaded | None = None
        """The last sources that passed the check."""

    def served(self, path: str) -> bytes | None:
        """The bytes of a page as served now (rendered ahead, or the folder's)."""
        ahead = self.broadcaster.status.pages.get(path)
        return ahead if ahead is not None else self.preview.built_file(path)

    def pages(self) -> Status:
        """Load, check and render the pages; publish them (or the problems)."""
        start = time.perf_counter()
        before = self.broadcaster.status
        try:
            loaded = self.preview.pages()
        except Exception as exc:
            return self._failed(exc, "sources")
        changed = changed_pages(loaded.pages, self.served)
        self.due = self.last_good = loaded
        status = self.broadcaster.publish(
            problems=(),
            pages=loaded.pages,
            building=True,
            reload=None if before.problems else frozenset(changed),
            drafts=loaded.drafts,
        )
        self.say(
            f"pages rendered in {time.perf_counter() - start:.2f} s "
            f"({len(changed)} changed); making the files"
        )
        return status

    def files(self, jobs: int = 1) -> Status | None:
        """Build the files of the pages served (if not done yet); publish the result."""
        loaded = self.due
        if loaded is None:
            return None
        start = time.perf_counter()
        try:
            written = self.preview.files(loaded, jobs, self.say)
        except Exception as exc:
            return self._failed(exc, "files")
        self.due = None
        ahead = self.broadcaster.status.pages
        changed = changed_pages(
            {path: self.preview.built_file(path) or b"" for path in ahead}, ahead.get
        )
        status = self.broadcaster.publish(pages={}, building=False, reload=frozenset(changed))
        seconds = time.perf_counter() - start
        if written is None:
            self.say(f"files up to date ({seconds:.2f} s)")
        else:
            self.say(f"files built in {seconds:.2f} s: {written.made} made, {written.kept} kept")
        return status

    def _failed(self, exc: Exception, what: str) -> Status:
        if os.environ.get("NOTICES_DEBUG") and not isinstance(exc, NoticeError):
            traceback.print_exception(exc)
        lines = problem_lines(exc)
        self.due = None if what == "files" else self.due
        for line in lines:
            self.say(line)
        return self.broadcaster.publish(problems=lines, building=False, reload=None)
