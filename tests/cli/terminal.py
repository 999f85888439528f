"""Running ``notices`` in a new process with its stderr a terminal (a pseudo-terminal) or
a pipe: what the progress-bar tests compare."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def notices(root: Path, terminal: bool, *args: str) -> tuple[int, str, str]:
    """``notices --root ROOT ARGS`` in a new process, its stderr a terminal or a pipe."""
    command = [sys.executable, "-m", "builder", "--root", str(root), *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "COLUMNS": "100"}
    if not terminal:
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        return result.returncode, result.stdout, result.stderr
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=follower, env=env, text=True
        )
        os.close(follower)
        stdout, _ = process.communicate(timeout=600)
        err = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once the process has ended
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(leader)
    return process.returncode, stdout, err.decode("utf-8")
