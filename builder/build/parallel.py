"""Making the files of a build on every core: forked worker processes, each writing the
files it makes straight into the staging folder and returning only their size and
sha256.

The outputs are closures over the loaded sources, which cannot be pickled; the workers
are forked after the list of outputs is set, inherit it, and receive only indexes. Work
is handed out one unit at a time, costliest first, and a worker gets more of the formats
it has already made (:class:`_Queue`): loading reportlab and the fonts, python-docx or
openpyxl costs a worker 0.1–0.4 s per format, so two workers that split the formats
between them finish sooner than two that each load all of them. A worker dies with the
build at once (``PR_SET_PDEATHSIG`` on Linux; elsewhere it ends
after its current file, when it finds the task pipe closed), so a killed build leaves no
process behind writing. Where ``fork`` is not available, or for one job, the files are
made in this process.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import cast

from builder.core.stopping import die_with_parent, ignore_stop_signals


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
    raised here (the remaining work is abandoned and the workers are killed)."""
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, task in enumerate(tasks):
            yield write_one(staging, task, index)
        return
    global _tasks, _staging, _parent
    _tasks, _staging, _parent = tasks, staging, os.getpid()
    units = work_units(tasks)
    workers: list[_Worker] = []
    gc.freeze()  # the objects the workers inherit: no collection in them touches their pages
    try:
        workers = [_Worker.start() for _ in range(min(jobs, len(units)))]
        queue = _Queue(tasks, units)
        busy: dict[Connection, _Worker] = {}
        for worker in workers:
            if queue:
                worker.give(queue.next_for(worker.families))
                busy[worker.connection] = worker
        while busy:
            for ready in wait(list(busy)):
                worker = busy.pop(cast(Connection, ready))
                for result in worker.results():
                    if isinstance(result, BaseException):
                        raise result
                    yield result
                if queue:
                    worker.give(queue.next_for(worker.families))
                    busy[worker.connection] = worker
    finally:
        _tasks, _staging = (), Path()
        for worker in workers:
            worker.stop()
        gc.unfreeze()


def family(path: str) -> str:
    """What a worker loads to make a file of this name, named by its suffix: ``.pdf``
    (reportlab, pypdf, the fonts), ``.docx`` (python-docx and its template), ``.xlsx``
    (openpyxl); "" for files that need nothing loaded (text, CSV)."""
    suffix = Path(path).suffix
    return suffix if suffix in (".pdf", ".docx", ".xlsx") else ""


class _Queue:
    """The units not yet given out, costliest first. A worker is given the costliest unit
    of a family it has made before, so that each worker loads the libraries, fonts and
    templates of as few formats as it can; if there is none, the costliest unit."""

    def __init__(self, tasks: Sequence[Task], units: list[tuple[int, ...]]) -> None:
        self.units = [(unit, family(tasks[unit[0]].path)) for unit in units]

    def __bool__(self) -> bool:
        return bool(self.units)

    def next_for(self, families: set[str]) -> tuple[int, ...]:
        chosen = next((n for n, (_, kind) in enumerate(self.units) if kind in families), 0)
        unit, kind = self.units.pop(chosen)
        if kind:
            families.add(kind)
        return unit


class _Worker:
    """A forked process making the units it is sent, one at a time, over a pipe."""

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.families: set[str] = set()

    @classmethod
    def start(cls) -> _Worker:
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def give(self, unit: tuple[int, ...]) -> None:
        self.connection.send(unit)

    def results(self) -> list[Made | BaseException]:
        try:
            return cast(list[Made | BaseException], self.connection.recv())
        except EOFError:
            self.process.join(5)  # reap it, for its exit code
            code = self.process.exitcode
            raise WorkerError(f"a worker process ended unexpectedly (exit code {code})") from None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _serve(connection: Connection) -> None:
    """A worker's loop: make each unit received, send back its results. Stop signals are
    the build's to handle (Ctrl-C reaches the whole process group): the build kills its
    workers as it stops."""
    ignore_stop_signals()
    die_with_parent(_parent)
    while True:
        try:
            unit = connection.recv()
        except EOFError:  # the build is over or gone
            return
        connection.send(_work(unit))


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
