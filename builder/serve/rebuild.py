"""One rebuild of the preview and its result published as a new generation
(:class:`builder.serve.state.Status`): the pages first, in this process, then the files,
in a forked copy of it (:mod:`builder.serve.background`) that a newer edit stops; each
says which open pages changed. A problem in the sources, or in making a file, is
published with every ``file:line:col`` message while the last good pages and files stay
served."""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Mapping, Sequence

from builder.core.errors import NoticeError
from builder.serve.background import FilesInChild, Outcome
from builder.serve.preview import Loaded, Preview
from builder.serve.problems import problem_lines
from builder.serve.state import Broadcaster, Status


def changed_pages(new: Mapping[str, bytes], served: Callable[[str], bytes | None]) -> set[str]:
    """The HTML pages of ``new`` whose bytes differ from what is ``served`` now."""
    return {path for path, data in new.items() if path.endswith(".html") and served(path) != data}


class Rebuilder:
    """Runs the phases of :class:`builder.serve.preview.Preview` and publishes each
    result on ``broadcaster``; ``say`` gets one line per phase (for the terminal);
    ``close_in_child``: descriptors the copy that makes the files closes at once."""

    def __init__(
        self,
        preview: Preview,
        broadcaster: Broadcaster,
        say: Callable[[str], None],
        close_in_child: Sequence[int] = (),
    ) -> None:
        self.preview = preview
        self.broadcaster = broadcaster
        self.say = say
        self.close_in_child = close_in_child
        self.due: Loaded | None = None
        """Sources whose pages are served and whose files are not built yet."""
        self.last_good: Loaded | None = None
        """The last sources that passed the check."""
        self.child: FilesInChild | None = None
        self.stopping: list[FilesInChild] = []
        """Copies told to stop, not yet ended (they hold the folder's lock meanwhile, so
        the next copy waits for them)."""
        self._started = 0.0

    def served(self, path: str) -> bytes | None:
        """The bytes of a page as served now (rendered ahead, or the folder's)."""
        ahead = self.broadcaster.status.pages.get(path)
        return ahead if ahead is not None else self.preview.built_file(path)

    def pages(self) -> Status:
        """Load, check and render the pages; publish them (or the problems). Files
        being made for older sources are stopped first."""
        self.cancel_files()
        start, cpu = time.perf_counter(), time.process_time()
        before = self.broadcaster.status
        try:
            loaded = self.preview.pages()
        except Exception as exc:
            return self._failed(exc)
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
            f"(CPU {time.process_time() - cpu:.2f} s; {len(changed)} changed); making the files"
        )
        return status

    def start_files(self) -> None:
        """Start making the files of the pages served, if due and not being made."""
        if self.due is not None and self.child is None:
            self._started = time.perf_counter()
            self.child = FilesInChild(self.preview, self.due, self.close_in_child)

    def files_done(self, timeout: float = 0.0) -> Status | None:
        """Publish the files once made (waiting up to ``timeout``); None until then."""
        if self.child is None:
            return None
        outcome = self.child.poll(timeout)
        if outcome is None:
            return None
        self.child = None
        self.due = None
        return self._files_published(outcome, time.perf_counter() - self._started)

    def cancel_files(self) -> None:
        """Stop making files (their sources are no longer the newest); the copy ends on
        its own time (:meth:`reap`)."""
        if self.child is not None:
            if self.child.cancel():
                self.stopping.append(self.child)
                self.say("files of the previous edit stopped")
            self.child = None

    def reap(self, wait: bool = False) -> None:
        """Collect the stopped copies that have ended (all of them, with ``wait``)."""
        self.stopping = [child for child in self.stopping if not child.reaped(wait)]

    def _files_published(self, outcome: Outcome, seconds: float) -> Status:
        if outcome.problems:
            for line in outcome.problems:
                self.say(line)
            return self.broadcaster.publish(problems=outcome.problems, building=False, reload=None)
        ahead = self.broadcaster.status.pages
        changed = changed_pages(
            {path: self.preview.built_file(path) or b"" for path in ahead}, ahead.get
        )
        status = self.broadcaster.publish(pages={}, building=False, reload=frozenset(changed))
        if outcome.made is None:
            self.say(f"files up to date ({seconds:.2f} s)")
        else:
            self.say(f"files built in {seconds:.2f} s: {outcome.made} made, {outcome.kept} kept")
        return status

    def _failed(self, exc: Exception) -> Status:
        if os.environ.get("NOTICES_DEBUG") and not isinstance(exc, NoticeError):
            traceback.print_exception(exc)
        lines = problem_lines(exc)
        for line in lines:
            self.say(line)
        return self.broadcaster.publish(problems=lines, building=False, reload=None)
