"""OOXML schema validation with npm ``@ooxml-tools/validate`` (the Open XML SDK in WebAssembly).

The validator is installed by ``.ci/install-tools`` with ``npm install --prefix``
into ``$NOTICES_TOOLS_DIR/node`` (default ``~/.cache/notices-tools/node``) and run
as::

    node <prefix>/node_modules/@ooxml-tools/validate/dist/npm/bin/ooxml-validate.js \\
        --output-format json <file>

It prints a JSON list of errors, each like::

    {"description": "The element has unexpected child element '...:color'.",
     "path": {"xpath": "/x:styleSheet[1]/x:fonts[1]/x:font[1]", "partUri": "/xl/styles.xml"},
     "id": "Sch_UnexpectedElementContentExpectingComplex", "errorType": 0}

and **exits 0 even when it finds errors**, so the JSON is what counts. A file it
cannot open at all (not a zip, wrong package) makes it exit 1 with a .NET stack
trace on stderr. Each call takes 1–8 s on a small file (the WebAssembly
runtime starts every time).

Errors matching :data:`ALLOWED_ERRORS` are reported in the detail but do not fail
the check; see the comment there for why each is allowed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from builder.verify.result import CheckResult, missing_tool, output_of, run_tool

__all__ = [
    "ALLOWED_ERRORS",
    "VALIDATOR_PACKAGE",
    "AllowedError",
    "OoxmlError",
    "missing_validator",
    "ooxml_validate",
    "parse_validator_output",
    "tools_dir",
    "validator_script",
]

VALIDATOR_PACKAGE: Final = "@ooxml-tools/validate"
_CHECK: Final = "ooxml-validate"
_TIMEOUT: Final = 180.0


@dataclass(frozen=True)
class OoxmlError:
    """One error reported by the validator."""

    id: str
    description: str
    part: str
    xpath: str

    def __str__(self) -> str:
        return f"{self.part} {self.xpath}: {self.id}: {self.description}"


@dataclass(frozen=True)
class AllowedError:
    """An error pattern tolerated in files with one of ``suffixes``; all fields must match."""

    reason: str
    suffixes: frozenset[str]
    id: str
    part: str
    xpath: re.Pattern[str]
    description: re.Pattern[str]

    def matches(self, error: OoxmlError, suffix: str) -> bool:
        return (
            suffix in self.suffixes
            and error.id == self.id
            and error.part == self.part
            and self.xpath.fullmatch(error.xpath) is not None
            and self.description.fullmatch(error.description) is not None
        )


ALLOWED_ERRORS: Final[tuple[AllowedError, ...]] = (
    # openpyxl 3.1.5 writes the children of <font> (in <fonts> and in conditional
    # format <dxf>) in its own fixed order:
    #   name, charset, family, b, i, strike, outline, shadow, condense, extend,
    #   color, sz, u, vertAlign, scheme
    # The Open XML SDK expects another order, so it reports the first child that
    # comes "too late" in every such <font>, e.g. for openpyxl's default Calibri font:
    #   The element has unexpected child element
    #   'http://schemas.openxmlformats.org/spreadsheetml/2006/main:color'.
    # (with b, family, sz, u, condense, vertAlign ... depending on the font).
    # Excel and LibreOffice read these fonts correctly. Limitation: the SDK stops
    # at the first error inside each <font>, so a real error later in the same
    # <font> element is masked.
    AllowedError(
        reason="openpyxl font child order",
        suffixes=frozenset({".xlsx"}),
        id="Sch_UnexpectedElementContentExpectingComplex",
        part="/xl/styles.xml",
        xpath=re.compile(
            r"/x:styleSheet\[1\]/x:fonts\[1\]/x:font\[\d+\]"
            r"|/x:styleSheet\[1\]/x:dxfs\[1\]/x:dxf\[\d+\]/x:font\[1\]"
        ),
        description=re.compile(
            r"The element has unexpected child element "
            r"'http://schemas\.openxmlformats\.org/spreadsheetml/2006/main:"
            r"(b|i|strike|outline|shadow|condense|extend|color|sz|u|vertAlign|family)'\."
        ),
    ),
)


def tools_dir() -> Path:
    """``$NOTICES_TOOLS_DIR`` or ``~/.cache/notices-tools``."""
    configured = os.environ.get("NOTICES_TOOLS_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "notices-tools"


def validator_script() -> Path:
    """Where ``.ci/install-tools`` puts the validator's command-line script."""
    package_dir = tools_dir() / "node" / "node_modules" / VALIDATOR_PACKAGE
    return package_dir / "dist" / "npm" / "bin" / "ooxml-validate.js"


def missing_validator() -> str | None:
    """None if node and the validator are installed, else the reason."""
    reason = missing_tool("node")
    if reason:
        return reason
    script = validator_script()
    if not script.is_file():
        return f"needs {VALIDATOR_PACKAGE} in {tools_dir() / 'node'} (run .ci/install-tools)"
    return None


def ooxml_validate(path: str | Path) -> CheckResult:
    """Validate a .docx/.xlsx against the OOXML schemas; allow-listed errors do not fail."""
    reason = missing_validator()
    if reason:
        return CheckResult.skip(path, _CHECK, reason)
    args = ["node", str(validator_script()), "--output-format", "json", str(path)]
    try:
        completed = run_tool(args, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        return CheckResult.failed(path, _CHECK, f"timed out after {_TIMEOUT:.0f} s")
    if completed.returncode != 0:
        return CheckResult.failed(
            path, _CHECK, f"validator exit status {completed.returncode}: {_last_error(completed)}"
        )
    try:
        errors = parse_validator_output(completed.stdout)
    except ValueError as exc:
        return CheckResult.failed(path, _CHECK, str(exc))

    suffix = Path(path).suffix.lower()
    allowed = [e for e in errors if any(rule.matches(e, suffix) for rule in ALLOWED_ERRORS)]
    real = [e for e in errors if e not in allowed]
    note = f"{len(allowed)} allow-listed" if allowed else "none allow-listed"
    if real:
        listed = "\n".join(f"  {error}" for error in real)
        return CheckResult.failed(path, _CHECK, f"{len(real)} schema errors ({note}):\n{listed}")
    return CheckResult.passed(path, _CHECK, f"no schema errors ({note})")


def parse_validator_output(stdout: str) -> list[OoxmlError]:
    """Parse the validator's JSON list; raise ValueError if it is not what we expect."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError as exc:
        raise ValueError(f"validator output is not JSON ({exc}): {stdout[:500]!r}") from exc
    if not isinstance(data, list):
        raise ValueError(f"validator output is not a JSON list: {stdout[:500]!r}")
    errors = []
    for item in data:
        if not isinstance(item, dict) or "id" not in item or "description" not in item:
            raise ValueError(f"unexpected validator error entry: {item!r}")
        location = item.get("path") or {}  # absent for errors about the package itself
        errors.append(
            OoxmlError(
                id=str(item["id"]),
                description=str(item["description"]),
                part=str(location.get("partUri", "")),
                xpath=str(location.get("xpath", "")),
            )
        )
    return errors


def _last_error(completed: subprocess.CompletedProcess[str]) -> str:
    """The ``Error: ...`` line of a Node stack trace, or all output if there is none."""
    error_lines = [line for line in completed.stderr.splitlines() if line.startswith("Error:")]
    return error_lines[-1] if error_lines else output_of(completed)
