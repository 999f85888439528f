"""``notices build`` with nothing to do, answered before the command line library
(click) and the command modules load: they are half of the 0.2 s a no-op may take at 100
notices (issue #15).

Only the plainest command lines are answered here — ``[--root DIR] [-q] build
[--out DIR] [--jobs N] [-q]``, each option at most once, ``N`` at most the cores the
build may use (for more, the full command says it cuts them) — and only when the output
folder is one the build may replace (the same check as the full command) and is up to
date (:func:`builder.build.build_record.up_to_date`). Anything else — another option, a
completion request, a refused folder, work to do, any error — goes to the full command
line (:mod:`builder.cli.main`), which then says what it always says. What is printed is
the full command's: :func:`builder.cli.build_summary.up_to_date_lines`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

QUIET = ("-q", "--quiet")
JOBS = "--jobs"
_COUNT = re.compile("[1-9][0-9]{0,5}")
"""A --jobs the quick path reads (anything else, click reads and judges)."""


def answered(args: list[str]) -> bool:
    """Whether ``args`` (the command line after ``notices``) asked for a build that had
    nothing to do, now said on stdout (unless ``-q``); False when the full command line
    must run."""
    if os.environ.get("_NOTICES_COMPLETE"):
        return False
    request = _plain_build(args)
    if request is None:
        return False
    root, out, quiet, jobs = request
    try:
        from builder.build.build_record import inputs_digest, up_to_date
        from builder.build.out_folder import check_out_folder
        from builder.core.cores import available_cores

        if jobs is not None and jobs > available_cores():
            return False

        check_out_folder(root, out)
        if not up_to_date(out, inputs_digest(root)):
            return False
    except Exception:  # the full command line says what is wrong
        return False
    if not quiet:
        from builder.cli.build_summary import up_to_date_lines

        sys.stdout.write("".join(f"{line}\n" for line in up_to_date_lines(out)))
        sys.stdout.flush()
    return True


def _plain_build(args: list[str]) -> tuple[Path, Path, bool, int | None] | None:
    """(root, out, quiet, jobs) of ``[--root DIR] [-q] build [--out DIR] [--jobs N] [-q]``;
    None for any other command line."""
    options: dict[str, str] = {}
    quiet = False
    command_seen = False
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word in QUIET and not quiet:
            quiet = True
            continue
        if word == "build" and not command_seen:
            command_seen = True
            continue
        name, equals, value = word.partition("=")
        name = JOBS if name == "-j" and not equals else name
        allowed = ("--out", JOBS) if command_seen else ("--root",)
        if name not in allowed or name in options:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None
        options[name] = value
    jobs = options.get(JOBS)
    if not command_seen or (jobs is not None and not _COUNT.fullmatch(jobs)):
        return None
    root, out = Path(options.get("--root", ".")), Path(options.get("--out", "out"))
    return root, out, quiet, None if jobs is None else int(jobs)
