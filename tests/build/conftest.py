"""Fixtures of the build tests: one full build of the real project with forked workers,
shared by the tests that compare another build with it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from tests.build.start_methods import cli_build
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def fork_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built by ``notices build --jobs 2`` with ``fork`` workers (the
    reference the ``spawn`` and Japanese-path builds must equal, byte for byte)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("this platform cannot fork: nothing to compare spawn with")
    out = tmp_path_factory.mktemp("fork") / "out"
    cli_build(ROOT, out, "fork")
    return out
