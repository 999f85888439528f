"""Checks of generated files with real clients: tools nobody in this project wrote.

Used by the tests and by ``notices verify``. Every check returns a
:class:`CheckResult` (file, check, ok, skipped, detail). When the tool a check
needs is missing, the result has ``skipped=True`` and ``ok=False`` with a plain
reason ("needs qpdf (Debian package qpdf)"), never a silent pass.
``.ci/install-tools`` installs every tool.

PDF (:mod:`builder.verify.pdf`): :func:`qpdf_check`, :func:`pdffonts_embedded`,
:func:`pdftotext_text` / :func:`pdftotext_matches`, :func:`render_first_page_png`.
Word/Excel: :func:`libreoffice_convert` (:mod:`builder.verify.libreoffice`) and
:func:`ooxml_validate` (:mod:`builder.verify.ooxml`).
"""

from builder.verify.libreoffice import FONT_ALIASES, libreoffice_convert, write_fontconfig
from builder.verify.ooxml import (
    ALLOWED_ERRORS,
    AllowedError,
    OoxmlError,
    missing_validator,
    ooxml_validate,
    tools_dir,
)
from builder.verify.pdf import (
    PdfFont,
    parse_pdffonts,
    pdffonts_embedded,
    pdftotext_matches,
    pdftotext_text,
    qpdf_check,
    render_first_page_png,
)
from builder.verify.result import (
    DEBIAN_PACKAGES,
    CheckResult,
    ToolFailedError,
    ToolMissingError,
    missing_tool,
)

__all__ = [
    "ALLOWED_ERRORS",
    "DEBIAN_PACKAGES",
    "FONT_ALIASES",
    "AllowedError",
    "CheckResult",
    "OoxmlError",
    "PdfFont",
    "ToolFailedError",
    "ToolMissingError",
    "libreoffice_convert",
    "missing_tool",
    "missing_validator",
    "ooxml_validate",
    "parse_pdffonts",
    "pdffonts_embedded",
    "pdftotext_matches",
    "pdftotext_text",
    "qpdf_check",
    "render_first_page_png",
    "tools_dir",
    "write_fontconfig",
]
