"""A full build whose workers start with ``spawn`` (as on Windows and macOS): they inherit
nothing, get their work pickled, and write the same files, byte for byte, as forked
workers; a start method the platform lacks is refused in Japanese and English."""

from __future__ import annotations

import functools
import multiprocessing
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.build import parallel
from builder.core.errors import NoticeError
from tests.build.start_methods import cli_build, files_of, index_without_keys
from tests.conftest import ROOT


def test_a_spawn_build_equals_a_fork_build(fork_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "spawn"
    printed = cli_build(ROOT, out, "spawn")
    assert " made, 0 kept" in printed
    spawned = files_of(out)
    assert len(spawned) > 100  # every document, table file and form, and the site
    assert spawned == files_of(fork_build)
    assert index_without_keys(out) == index_without_keys(fork_build)
    assert "up to date" in cli_build(ROOT, out, "spawn")  # and a no-op after it


def test_the_start_method_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.START_METHOD_ENV, "spawn")
    assert parallel.start_method() == "spawn"
    monkeypatch.delenv(parallel.START_METHOD_ENV)
    if sys.platform.startswith("linux"):  # as before: workers inherit the loaded sources
        assert parallel.start_method() == "fork"
    else:  # spawn on Windows and macOS
        assert parallel.start_method() == multiprocessing.get_start_method()
    monkeypatch.setenv(parallel.START_METHOD_ENV, "thread")
    with pytest.raises(NoticeError, match=r"「thread」はこの環境では使えません.*use one of"):
        parallel.start_method()


def _unpicklable() -> bytes:
    return b""


def test_a_task_that_cannot_travel_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A closure the plan did not memoise cannot be sent to a spawned worker: the error
    names its file (a plan's outputs memoise their arguments, so a real build never
    sees it)."""
    monkeypatch.setenv(parallel.START_METHOD_ENV, "spawn")
    secret = b"x"
    tasks = [parallel.Task("a.txt", lambda: secret), parallel.Task("b.txt", _unpicklable)]
    with pytest.raises(parallel.WorkerError, match=r"a\.txt cannot be sent"):
        list(parallel.make_files(tmp_path, tasks, jobs=2))
    assert not multiprocessing.active_children()


def test_memoised_thunks_travel_as_their_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the plan writes its outputs: a writer named by its module, its arguments a
    ``functools.cache`` over a closure; computed once, here, and sent as the value."""
    monkeypatch.setenv(parallel.START_METHOD_ENV, "spawn")
    calls: list[int] = []

    def arguments(n: int) -> tuple[str, ...]:
        calls.append(n)
        return (f"file {n}\n",)

    tasks = [
        parallel.Task(
            f"{n}.txt",
            functools.partial(_encode_first, functools.cache(functools.partial(arguments, n))),
        )
        for n in range(4)
    ]
    made = sorted(parallel.make_files(tmp_path, tasks, jobs=2), key=lambda m: m.index)
    assert [m.index for m in made] == [0, 1, 2, 3]
    assert [(tmp_path / f"{n}.txt").read_text("utf-8") for n in range(4)] == [
        f"file {n}\n" for n in range(4)
    ]
    assert sorted(calls) == [0, 1, 2, 3]  # in this process, once each
    assert not multiprocessing.active_children()


def _encode_first(arguments: Callable[[], tuple[str, ...]]) -> bytes:
    return arguments()[0].encode("utf-8")
