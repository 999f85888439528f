"""The folder of what builds keep between runs to save time, never to change a result.

Everything in it is keyed by content (a file's name says what it was made from) and
checked or re-made when it does not hold what its name says; a missing, unwritable or
damaged folder costs only time. It holds the PDF form fields' font subset and its
metrics (:mod:`builder.forms.pdf_font`) and the compiled Jinja2 templates
(:func:`template_bytecode_cache`). Location: ``$NOTICES_CACHE_DIR``, else
``$XDG_CACHE_HOME/notices``, else ``~/.cache/notices``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Final

import jinja2

__all__ = ["CACHE_ENV", "cache_folder", "store", "template_bytecode_cache"]

CACHE_ENV: Final = "NOTICES_CACHE_DIR"
"""Environment variable naming the cache folder."""


def cache_folder() -> Path | None:
    """The cache folder (not necessarily existing); None if there is no home folder."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(base) if base else Path.home() / ".cache") / "notices"
    except RuntimeError:  # no home folder
        return None


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is left alone."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


class _TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates under ``templates/`` of the cache folder. Jinja2 names each by
    the template and checks the source's checksum and the Python version it was compiled
    with; what fails to read is compiled again. (The files are pickles, as Jinja2's own
    ``FileSystemBytecodeCache`` writes them: the folder is trusted like the user's own
    files, which is why it lives in the user's cache folder.)"""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja2"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # a damaged file: unpickling raises many kinds
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        store(self._path(bucket), bucket.bytecode_to_string())


def template_bytecode_cache() -> jinja2.BytecodeCache | None:
    """A bytecode cache for a Jinja2 environment (saves compiling the templates, about
    50 ms per process), or None without a cache folder."""
    folder = cache_folder()
    return None if folder is None else _TemplateBytecode(folder / "templates")
