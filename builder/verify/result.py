"""The result type shared by all checks, and how external tools are found and run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = [
    "DEBIAN_PACKAGES",
    "CheckResult",
    "ToolFailedError",
    "ToolMissingError",
    "missing_tool",
]

# Where each external program comes from on Debian 12 (see .ci/install-tools).
DEBIAN_PACKAGES: Final[Mapping[str, str]] = {
    "qpdf": "qpdf",
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "soffice": "libreoffice-writer-nogui and libreoffice-calc-nogui",
    "node": "nodejs, version 20 or later",
    "fc-match": "fontconfig",
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one file.

    ``ok`` is True only when the check ran and passed: a skipped check has
    ``ok=False, skipped=True`` and says why in ``detail``, so ``all(r.ok ...)``
    never mistakes a missing tool for a pass.
    """

    file: str
    check: str
    ok: bool
    skipped: bool
    detail: str

    @classmethod
    def passed(cls, file: str | Path, check: str, detail: str) -> CheckResult:
        return cls(file=str(file), check=check, ok=True, skipped=False, detail=detail)

    @classmethod
    def failed(cls, file: str | Path, check: str, detail: str) -> CheckResult:
        return cls(file=str(file), check=check, ok=False, skipped=False, detail=detail)

    @classmethod
    def skip(cls, file: str | Path, check: str, reason: str) -> CheckResult:
        return cls(file=str(file), check=check, ok=False, skipped=True, detail=reason)


class ToolMissingError(RuntimeError):
    """An external program needed by a check that returns data is not installed."""


class ToolFailedError(RuntimeError):
    """An external program exited with an error."""


def missing_tool(tool: str) -> str | None:
    """None if ``tool`` is on PATH, else a reason such as "needs qpdf (Debian package qpdf)"."""
    if shutil.which(tool) is not None:
        return None
    package = DEBIAN_PACKAGES.get(tool)
    if package is None:
        return f"needs {tool}"
    return f"needs {tool} (Debian package {package})"


def run_tool(
    args: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a program, capturing stdout/stderr as text; never raises on a non-zero exit.

    The program runs in its own session. On timeout the whole process group is
    killed (soffice forks soffice.bin, which would otherwise survive) and
    ``subprocess.TimeoutExpired`` is raised.
    """
    with subprocess.Popen(
        list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=None if env is None else dict(env),
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(list(args), process.returncode, stdout, stderr)


def output_of(completed: subprocess.CompletedProcess[str]) -> str:
    """stdout and stderr of a finished program, stripped, for a result's detail."""
    parts = [completed.stdout.strip(), completed.stderr.strip()]
    return "\n".join(part for part in parts if part)
