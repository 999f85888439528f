"""Making the files of a build on every core: worker processes, each writing the files
it makes straight into the staging folder and returning only their size and sha256.

**How workers get their work** depends on the start method (:func:`start_method`:
``$NOTICES_START_METHOD``, else ``fork`` on Linux and the platform's default — ``spawn``
— on Windows and macOS):

* ``fork``: the outputs are closures over the loaded sources, which the workers inherit
  (forked after the list of outputs is set); they receive only indexes.
* ``spawn`` (and ``forkserver``): a worker is a new interpreter that inherits nothing;
  it receives each unit's tasks pickled (:func:`portable`). The plan memoises each
  file's arguments (the document, table or form, :mod:`builder.build.plan`) and the
  build has already computed them for the content keys, so a memoised thunk travels as
  the value it returns; the writer travels by name. The worker imports the writer's
  module when it unpickles it. Same files, byte for byte, as a ``fork`` build
  (``tests/build/test_spawn.py``).

Work is handed out one unit at a time, costliest first, and a worker gets more of the
formats it has already made (:class:`_Queue`): loading reportlab and the fonts,
python-docx or openpyxl costs a worker 0.1–0.4 s per format, so two workers that split
the formats between them finish sooner than two that each load all of them. A worker
dies with the build at once (``PR_SET_PDEATHSIG`` on Linux; elsewhere it ends after its
current file, when it finds the task pipe closed), so a killed build leaves no process
behind writing. For one job, or where no start method is available, the files are made
in this process.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, cast

from builder.core.errors import NoticeError
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


START_METHOD_ENV = "NOTICES_START_METHOD"
"""Environment variable choosing how worker processes start: ``fork`` or ``spawn`` (or
``forkserver``), where the platform has it."""

_tasks: Sequence[Task] = ()
"""The tasks of the build under way, inherited by forked workers (``fork`` only)."""


def start_method() -> str | None:
    """How worker processes start: ``$NOTICES_START_METHOD`` if set, else ``fork`` on
    Linux (the workers inherit the loaded sources) and the platform's default elsewhere
    (``spawn`` on Windows and macOS, where forking a process with system libraries loaded
    is not safe); None when the platform has none. A value the platform does not have is
    an error that names the ones it has."""
    methods = multiprocessing.get_all_start_methods()
    chosen = os.environ.get(START_METHOD_ENV, "").strip()
    if chosen:
        if chosen not in methods:
            raise NoticeError(
                f"環境変数 {START_METHOD_ENV} の値「{chosen}」はこの環境では使えません。"
                f"{'、'.join(methods)} のいずれかにしてください / {START_METHOD_ENV}="
                f"{chosen}: not a start method of this platform; use one of "
                f"{', '.join(methods)}"
            )
        return chosen
    if sys.platform.startswith("linux") and "fork" in methods:
        return "fork"
    default = multiprocessing.get_start_method(allow_none=True) or (methods[0] if methods else None)
    return default


def write_one(staging: Path, task: Task, index: int) -> Made:
    """Make one file and write it under ``staging``."""
    data = task.make()
    target = staging / task.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Made(index, len(data), hashlib.sha256(data).hexdigest())


def make_files(staging: Path, tasks: Sequence[Task], jobs: int) -> Iterator[Made]:
    """Write every task's file under ``staging`` using up to ``jobs`` processes, started
    as :func:`start_method` says; yields one :class:`Made` per task, in no particular
    order. An exception in any task is raised here (the remaining work is abandoned and
    the workers are killed)."""
    method = start_method() if jobs > 1 and len(tasks) > 1 else None
    if method is None:
        for index, task in enumerate(tasks):
            yield write_one(staging, task, index)
        return
    global _tasks
    forked = method == "fork"
    if forked:
        _tasks = tasks
        gc.freeze()  # the objects the workers inherit: no collection in them touches their pages
    units = work_units(tasks)
    workers: list[_Worker] = []
    try:
        context = multiprocessing.get_context(method)
        workers = [_Worker.start(context, staging) for _ in range(min(jobs, len(units)))]
        queue = _Queue(tasks, units)

        def give(worker: _Worker) -> None:
            unit = queue.next_for(worker.families)
            worker.give(unit if forked else portable([(i, tasks[i]) for i in unit]))

        busy: dict[Connection, _Worker] = {}
        for worker in workers:
            if queue:
                give(worker)
                busy[worker.connection] = worker
        while busy:
            for ready in wait(list(busy)):
                worker = busy.pop(cast(Connection, ready))
                for result in worker.results():
                    if isinstance(result, BaseException):
                        raise result
                    yield result
                if queue:
                    give(worker)
                    busy[worker.connection] = worker
    finally:
        for worker in workers:
            worker.stop()
        if forked:
            _tasks = ()
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


def _value(value: object) -> object:
    return value


def _module_level(function: object) -> bool:
    """Whether pickle can name ``function`` (found under its qualified name in its
    module), so that it travels by name."""
    found: object = sys.modules.get(getattr(function, "__module__", None) or "")
    for part in str(getattr(function, "__qualname__", "<>")).split("."):
        found = getattr(found, part, None)
    return found is function


def _takes_nothing(function: Callable[..., object]) -> bool:
    import inspect

    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters
    )


class _Pickler(pickle.Pickler):
    """A pickler that sends a memoised thunk (``functools.cache`` over a callable of no
    arguments that pickle cannot name: a lambda or a partial over loaded sources) as the
    value it returns, computed here (once: it is memoised)."""

    def reducer_override(self, obj: object) -> Any:  # a reduce tuple, or NotImplemented
        if (
            isinstance(obj, functools._lru_cache_wrapper)
            and not _module_level(obj)
            and _takes_nothing(obj)
        ):
            return functools.partial, (_value, obj())
        return NotImplemented


def portable(tasks: list[tuple[int, Task]]) -> bytes:
    """``tasks`` (with their indexes) pickled for a worker that inherits nothing (``spawn``),
    memoised thunks sent as their values (:class:`_Pickler`). A task that still cannot be
    pickled (a closure the plan did not memoise) is an internal error naming its file."""
    stream = io.BytesIO()
    try:
        _Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(tasks)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        names = ", ".join(task.path for _, task in tasks)
        raise WorkerError(
            f"internal: {names} cannot be sent to a worker process started with "
            f"{START_METHOD_ENV}=spawn ({exc}); build with --jobs 1 or {START_METHOD_ENV}=fork"
        ) from exc
    return stream.getvalue()


class _Worker:
    """A worker process making the units it is sent, one at a time, over a pipe."""

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.families: set[str] = set()

    @classmethod
    def start(cls, context: multiprocessing.context.BaseContext, staging: Path) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(theirs, os.getpid(), staging), daemon=True
        )
        process.start()
        theirs.close()
        return cls(process, ours)

    def give(self, unit: tuple[int, ...] | bytes) -> None:
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


def _serve(connection: Connection, parent: int, staging: Path) -> None:
    """A worker's loop: make each unit received (indexes of the inherited tasks, or the
    tasks pickled by :func:`portable`), send back its results. Stop signals are the
    build's to handle (Ctrl-C reaches the whole process group): the build kills its
    workers as it stops."""
    ignore_stop_signals()
    if sys.platform.startswith("linux"):
        die_with_parent(parent)
    while True:
        try:
            unit = connection.recv()
        except EOFError:  # the build is over or gone
            return
        if isinstance(unit, bytes):
            connection.send(_work(staging, pickle.loads(unit)))
        else:
            connection.send(_work(staging, [(index, _tasks[index]) for index in unit]))


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


def _work(staging: Path, unit: list[tuple[int, Task]]) -> list[Made | BaseException]:
    results: list[Made | BaseException] = []
    for index, task in unit:
        try:
            results.append(write_one(staging, task, index))
        except BaseException as exc:  # sent back to the parent, which raises it
            try:
                pickle.loads(pickle.dumps(exc))
            except Exception:
                detail = "".join(traceback.format_exception(exc))
                exc = WorkerError(f"{type(exc).__name__}: {exc}\n{detail}")
            results.append(exc)
            break
    return results
