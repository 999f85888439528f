"""Japanese fonts for the PDF writer, registered with reportlab once per process.

By default the bundled IPAex fonts are used (``builder/fonts/ipaexm.ttf`` for
明朝 and ``builder/fonts/ipaexg.ttf`` for ゴシック, IPA Font License v1.0). Their
sha256 is checked against the constants below before they are registered, so a
truncated or swapped file fails loudly instead of producing a PDF with the
wrong glyphs.

A drafter who wants the PDF to look like the Word original can point at other
TrueType files:

* ``register_fonts(mincho_path=..., gothic_path=...)`` (an argument wins), or
* the environment variables ``NOTICES_MINCHO_FONT`` and ``NOTICES_GOTHIC_FONT``
  (used when the argument is None; an empty value counts as unset).

Such a file must be TrueType-outline ``.ttf`` or ``.ttc`` (for a collection such
as ``msmincho.ttc`` the first face, subfontIndex 0, is used) and must allow
embedding. CFF-outline ``.otf`` files (Noto CJK, Source Han) cannot be loaded by
reportlab's ``TTFont``: they raise :class:`FontError`. Files given this way are
not hash-checked.

Registration is cached per file for the life of the process
(``functools.cache``): the first call costs about 0.1 s, later calls nothing.
Bundled fonts are registered under the names ``IPAexMincho`` and
``IPAexGothic``; another file under ``<file stem>-<8 hex digits of the sha256 of
its absolute path>`` (e.g. ``msmincho-1a2b3c4d``), so two different files never
share a name. Use the names in the returned :class:`FontSet`, not literals.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

__all__ = [
    "BUNDLED_FONTS_DIR",
    "BUNDLED_GOTHIC_PATH",
    "BUNDLED_GOTHIC_SHA256",
    "BUNDLED_MINCHO_NAME",
    "BUNDLED_MINCHO_PATH",
    "BUNDLED_MINCHO_SHA256",
    "GOTHIC_ENV",
    "MINCHO_ENV",
    "FontError",
    "FontSet",
    "register_bundled_mincho",
    "register_fonts",
    "verify_bundled_mincho",
]

BUNDLED_FONTS_DIR: Final = Path(__file__).resolve().parent.parent / "fonts"
BUNDLED_MINCHO_PATH: Final = str(BUNDLED_FONTS_DIR / "ipaexm.ttf")
BUNDLED_GOTHIC_PATH: Final = str(BUNDLED_FONTS_DIR / "ipaexg.ttf")
BUNDLED_MINCHO_NAME: Final = "IPAexMincho"
"""reportlab's name of the bundled IPAex明朝 (other 明朝 files get a name from their path)."""

# IPAex fonts version 004.01, as shipped in Debian 12 fonts-ipaexfont-{mincho,gothic}
# 00401-5. Update together with builder/fonts/README.md if the files are replaced.
BUNDLED_MINCHO_SHA256: Final = "7a306386f930fee80922f71eebf4ffe0f1ff2817da8e619230953487673d71c7"
BUNDLED_GOTHIC_SHA256: Final = "3b9955a5e437ffb24c41548e79296fa724822da21ee75dc1b94f6ccdb8f400dd"

MINCHO_ENV: Final = "NOTICES_MINCHO_FONT"
GOTHIC_ENV: Final = "NOTICES_GOTHIC_FONT"


class FontError(Exception):
    """A font file is missing, altered, or not loadable by reportlab."""


@dataclass(frozen=True)
class FontSet:
    """The reportlab font names to use for 明朝 (body text) and ゴシック (headings)."""

    mincho: str
    gothic: str


def register_fonts(mincho_path: str | None = None, gothic_path: str | None = None) -> FontSet:
    """Register the 明朝 and ゴシック fonts with reportlab and return their names.

    A path argument wins over the environment variable (``NOTICES_MINCHO_FONT`` /
    ``NOTICES_GOTHIC_FONT``), which wins over the bundled IPAex font.
    Raises :class:`FontError` if a file is missing, fails its hash check (bundled
    fonts) or cannot be loaded by reportlab.
    """
    return FontSet(
        mincho=_register(*_choose_path("mincho", mincho_path, MINCHO_ENV, BUNDLED_MINCHO_PATH)),
        gothic=_register(*_choose_path("gothic", gothic_path, GOTHIC_ENV, BUNDLED_GOTHIC_PATH)),
    )


def register_bundled_mincho() -> str:
    """Register only the bundled IPAex明朝 (hash-checked) and return its reportlab name.

    For measuring text as LibreOffice sets ＭＳ 明朝 (the Word writer): it needs neither
    the ゴシック nor a font named by the environment, so a process that writes only .docx
    files does not parse a second font. Shares :func:`register_fonts`' per-file cache."""
    return _register(BUNDLED_MINCHO_PATH, "mincho font (bundled)")


def _choose_path(role: str, argument: str | None, env_var: str, bundled: str) -> tuple[str, str]:
    """Return (absolute path, where it came from) for one font role."""
    env_value = os.environ.get(env_var)
    if argument is not None:
        chosen, origin = argument, f"{role} font (argument {role}_path)"
    elif env_value:
        chosen, origin = env_value, f"{role} font (environment variable {env_var})"
    else:
        chosen, origin = bundled, f"{role} font (bundled)"
    return str(Path(chosen).expanduser().resolve()), origin


def _register(path: str, origin: str) -> str:
    """Register one font file, naming its origin in any error."""
    if not Path(path).is_file():
        raise FontError(f"{origin}: file not found: {path}")
    try:
        return _register_file(path)
    except FontError as exc:
        raise FontError(f"{origin}: {exc}") from exc.__cause__


@functools.cache
def _register_file(path: str) -> str:
    """Check and register one font file; return its reportlab name. Cached per path."""
    if path == BUNDLED_MINCHO_PATH:
        name = BUNDLED_MINCHO_NAME
        _verify_sha256(path, BUNDLED_MINCHO_SHA256)
    elif path == BUNDLED_GOTHIC_PATH:
        name = "IPAexGothic"
        _verify_sha256(path, BUNDLED_GOTHIC_SHA256)
    else:
        path_digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]
        name = f"{Path(path).stem}-{path_digest}"

    try:
        font = TTFont(name, path, subfontIndex=0)
    except (TTFError, OSError) as exc:
        raise FontError(
            f"cannot load {path} with reportlab: {exc}. "
            "reportlab needs a TrueType-outline .ttf or .ttc that allows embedding; "
            "CFF-outline .otf fonts (Noto CJK, Source Han) are not supported."
        ) from exc

    pdfmetrics.registerFont(font)
    # Map bold/italic to the same face so <b>/<i> markup in a Paragraph does not
    # raise; official documents switch family (ゴシック) rather than use synthetic bold.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


@functools.cache
def verify_bundled_mincho() -> None:
    """Refuse a damaged or replaced bundled IPAex明朝 (``FontError``), for code that reads
    the file itself (the PDF form fields' subset); checked once per process."""
    _verify_sha256(BUNDLED_MINCHO_PATH, BUNDLED_MINCHO_SHA256)


def _verify_sha256(path: str, expected: str) -> None:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    actual = digest.hexdigest()
    if actual != expected:
        raise FontError(
            f"bundled font {path} has sha256 {actual}, expected {expected}. "
            "The file is damaged or was replaced: restore the unmodified file from the "
            "repository (or reinstall the package). If the font was updated on purpose, "
            "update the constant in builder/render/fonts.py and builder/fonts/README.md."
        )
