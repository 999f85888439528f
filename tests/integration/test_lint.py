"""The code base stays ruff- and mypy-clean (strict): run as part of the test suite so a
lint failure fails the README's test command and CI."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_check() -> None:
    result = run("ruff", "check", "builder", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run("ruff", "format", "--check", "builder", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def _layers() -> list[list[str]]:
    """The packages of builder/ from the top down (pyproject's import-linter contract;
    packages of one layer are separated by 「|」)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def test_every_package_imports_only_those_below_it() -> None:
    """import-linter's layers contract: every import in builder/ (in functions too) goes
    down the tree, never up or sideways within a layer marked independent."""
    from pathlib import Path

    command = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(command), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_importing_a_package_loads_nothing_above_it() -> None:
    """Each package with all its modules imported in a fresh process: no module of a
    package above it is loaded."""
    layers = _layers()
    for depth, layer in enumerate(layers):
        above = {name for upper in layers[:depth] for name in upper}
        for package in layer:
            script = (
                "import importlib, pkgutil, sys\n"
                f"package = importlib.import_module({package!r})\n"
                "for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
                "    importlib.import_module(module.name)\n"
                "print('\\n'.join(sorted(sys.modules)))\n"
            )
            loaded = subprocess.run(
                [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
            )
            found = {
                name
                for name in loaded.stdout.split()
                if any(name == upper or name.startswith(upper + ".") for upper in above)
            }
            assert found == set(), f"importing {package} loads {sorted(found)}"


def test_every_test_file_is_in_a_folder_pytest_collects() -> None:
    """pytest skips folders matching ``norecursedirs`` (its default skips ``build``): no
    test file may sit in one, or its tests would silently never run."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["pytest"]["ini_options"]["norecursedirs"]
    tests = ROOT / "tests"
    files = sorted(tests.rglob("test_*.py"))
    assert len(files) > 40
    for path in files:
        for folder in path.relative_to(tests).parts[:-1]:
            matched = [p for p in patterns if fnmatch.fnmatch(folder, p)]
            assert not matched, f"{path} is in {folder}/, which pytest skips ({matched})"
