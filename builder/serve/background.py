"""The files of a rebuild made in a forked copy of the warm server process, so that the
next edit never waits for them: the copy has every library, font and template the server
loaded (copy-on-write), writes into the preview folder with
:func:`builder.build.write.build` (staging folder, lock, swap), and reports on a pipe.
A newer edit stops it with SIGTERM, which a build handles as any stop (the staging folder
removed, the previous output left whole); it dies with the server if the server dies
(``PR_SET_PDEATHSIG``), and ignores Ctrl-C, which the server handles by stopping it."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from types import FrameType

from builder.core.stopping import Stopped, die_with_parent
from builder.serve.preview import Loaded, Preview
from builder.serve.problems import problem_lines

NICENESS = 5
"""How much lower the copy's CPU priority is than the server's (whose pages a drafter is
waiting for)."""


@dataclass(frozen=True)
class Outcome:
    """What the copy reports: the files made and kept (None: the folder already held this
    build), or the problem lines of a build that failed."""

    made: int | None = None
    kept: int | None = None
    problems: tuple[str, ...] = ()


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


class FilesInChild:
    """The files of ``loaded`` being made by a forked copy of this process; ``close`` are
    descriptors the copy closes at once (the server's listening socket)."""

    def __init__(self, preview: Preview, loaded: Loaded, close: Sequence[int] = ()) -> None:
        parent = os.getpid()
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: never returns
            os.close(reader)
            _make(preview, loaded, writer, parent, close)
        os.close(writer)
        self.pid = pid
        self.reader = reader
        self.received = b""
        self.outcome: Outcome | None = None

    def poll(self, timeout: float = 0.0) -> Outcome | None:
        """The outcome once the copy has finished (reaped), waiting up to ``timeout``."""
        if self.outcome is not None:
            return self.outcome
        while select.select([self.reader], [], [], timeout)[0]:
            chunk = os.read(self.reader, 65536)
            if not chunk:
                break
            self.received += chunk
            timeout = 0.0
        else:
            return None
        os.close(self.reader)
        _, status = os.waitpid(self.pid, 0)
        self.outcome = _outcome(self.received, status)
        return self.outcome

    def cancel(self) -> bool:
        """Stop the copy (SIGTERM: its build cleans up as on any stop), without waiting
        for it (:meth:`reaped` says when it has ended); False if it had finished."""
        if self.outcome is not None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        self.outcome = Outcome(problems=("stopped",))
        return True

    def reaped(self, wait: bool = False) -> bool:
        """True once a stopped copy has ended (waiting for it with ``wait``)."""
        try:
            pid, _ = os.waitpid(self.pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:
            pid = self.pid
        if pid == 0:
            return False
        with contextlib.suppress(OSError):
            os.close(self.reader)
        return True


def _outcome(received: bytes, status: int) -> Outcome:
    try:
        data = json.loads(received.decode("utf-8"))
    except ValueError:
        code = os.waitstatus_to_exitcode(status)
        return Outcome(problems=(f"internal error: the build process ended ({code})",))
    if "problems" in data:
        return Outcome(problems=tuple(data["problems"]))
    return Outcome(made=data.get("made"), kept=data.get("kept"))


def _make(preview: Preview, loaded: Loaded, writer: int, parent: int, close: Sequence[int]) -> None:
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _raise_stopped)
        die_with_parent(parent)
        with contextlib.suppress(OSError, AttributeError):
            os.nice(NICENESS)  # the server's next pages come first
        for handle in close:
            with contextlib.suppress(OSError):
                os.close(handle)
        report: dict[str, object]
        try:
            written = preview.files(loaded)
            report = {} if written is None else {"made": written.made, "kept": written.kept}
        except Exception as exc:
            report = {"problems": list(problem_lines(exc))}
        data = json.dumps(report, ensure_ascii=False).encode("utf-8")
        while data:
            data = data[os.write(writer, data) :]
        code = 0
    except BaseException:  # stopped: the build has cleaned up
        code = 1
    finally:
        os._exit(code)
