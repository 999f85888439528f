"""Safe output paths: a name from a source can never leave the output folder."""

from __future__ import annotations

import re

_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)
}


class UnsafeNameError(ValueError):
    """A name that cannot be used as a file or folder name."""


def safe_component(name: str) -> str:
    """``name`` as one path component; ``UnsafeNameError`` for separators, ``..``, NUL,
    control characters, absolute paths and Windows device names."""
    if not name or name in (".", ".."):
        raise UnsafeNameError(f"「{name}」 cannot be a file name")
    if re.search(r"[/\\:*?\"<>|\x00-\x1f]", name):
        raise UnsafeNameError(f"「{name}」 contains a character not allowed in a file name")
    if name.split(".")[0].upper() in _WINDOWS_DEVICES or name.endswith((" ", ".")):
        raise UnsafeNameError(f"「{name}」 is not a portable file name")
    return name
