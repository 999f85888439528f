"""Making the files of a build on every core: forked worker processes, each writing the
files it makes straight into the staging folder and returning only their size and
sha256.

The outputs are closures over the loaded sources, which cannot be pickled; the workers
are forked after the list of outputs is set, inherit it, and receive only indexes. A
worker dies with the build at once (``PR_SET_PDEATHSIG`` on Linux; elsewhere it ends
after its current file, when it finds the task pipe closed), so a killed build leaves no
process behind writing. Where ``fork`` is not available, or for one job, the files are
made in this process.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Made:
    """One file written: its position in the list of tasks, size and sha256."""

    index: int
    size: int
    sha256: str


@dataclass(frozen=True)
class Task:
    """A file to make: where it goes (relative to the staging folder), how, and its
    group: files of one group share a per-process cache (a form's template in one
    format), so one worker makes them all, and only it pays for the cache."""

    path: str
    make: Callable[[], bytes]
    group: str = ""


class WorkerError(Exception):
    """An exception raised in a worker that could not be sent back as it was."""


_tasks: Sequence[Task] = ()
_staging = Path()
_parent = 0


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def write_one(staging: Path, task: Task, index: int) -> Made:
    """Make one file and write it under ``staging``."""
    data = task.make()
    target = staging / task.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Made(index, len(data), hashlib.sha256(data).hexdigest())


def make_files(staging: Path, tasks: Sequence[Task], jobs: int) -> Iterator[Made]:
    """Write every task's file under ``staging`` using up to ``jobs`` processes; yields
    one :class:`Made` per task, in no particular order. An exception in any task is
    raised here (the remaining work is abandoned)."""
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, task in enumerate(tasks):
            yield write_one(staging, task, index)
        return
    global _tasks, _staging, _parent
    _tasks, _staging, _parent = tasks, staging, os.getpid()
    context = multiprocessing.get_context("fork")
    units = work_units(tasks)
    try:
        with context.Pool(min(jobs, len(units)), initializer=_die_with_parent) as pool:
            for results in pool.imap_unordered(_work, units, chunksize=1):
                for result in results:
                    if isinstance(result, BaseException):
                        raise result
                    yield result
    finally:
        _tasks, _staging = (), Path()


COST_BY_SUFFIX = {".pdf": 3, ".docx": 2}
"""Rough cost of making a file, by format (PDFs take longest; anything else 1): the
largest units of work start first, so that no worker is left with one at the end."""


def _cost(tasks: Sequence[Task], unit: tuple[int, ...]) -> int:
    return sum(COST_BY_SUFFIX.get(Path(tasks[i].path).suffix, 1) for i in unit)


def work_units(tasks: Sequence[Task]) -> list[tuple[int, ...]]:
    """The tasks as units of work for one worker each: every group whole, costliest
    first (a group is more work than one file), then the files of no group one by one,
    costliest first."""
    groups: dict[str, list[int]] = {}
    single: list[tuple[int, ...]] = []
    for index, task in enumerate(tasks):
        if task.group:
            groups.setdefault(task.group, []).append(index)
        else:
            single.append((index,))
    units = [tuple(g) for g in groups.values()]
    return [
        *sorted(units, key=lambda unit: _cost(tasks, unit), reverse=True),
        *sorted(single, key=lambda unit: _cost(tasks, unit), reverse=True),
    ]


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the build process dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != _parent:  # the parent died before prctl took effect
        os._exit(1)


def _work(unit: tuple[int, ...]) -> list[Made | BaseException]:
    results: list[Made | BaseException] = []
    for index in unit:
        try:
            results.append(write_one(_staging, _tasks[index], index))
        except BaseException as exc:  # sent back to the parent, which raises it
            try:
                pickle.loads(pickle.dumps(exc))
            except Exception:
                detail = "".join(traceback.format_exception(exc))
                exc = WorkerError(f"{type(exc).__name__}: {exc}\n{detail}")
            results.append(exc)
            break
    return results
