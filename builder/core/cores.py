"""How many cores this process may run on (its own module: the no-op build asks it
before anything heavy is imported)."""

from __future__ import annotations

import os


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
