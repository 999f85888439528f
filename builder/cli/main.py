"""The ``notices`` command line (also ``python -m builder``): :func:`main` runs it.

Exit statuses (README, ``notices --help``):

- 0: done.
- 1: a problem was found: one line per problem on stderr, as ``file:line:col: message``
  where there is a source (a source error, an unknown notice, a failed check).
- 2: a usage error, click's convention: an unknown command or option, a missing or
  malformed argument (a date or 文書番号 that cannot be read), options that exclude each
  other. The usage line and the reason are printed.
- 3: an internal error (a bug: rerun with NOTICES_DEBUG=1 for the traceback).
- 128 + N: stopped by signal N (130 for Ctrl-C).

A build with nothing to do is answered before click loads
(:mod:`builder.cli.quick_build`); everything else runs on click (:mod:`builder.cli.run`).
"""

from __future__ import annotations

import signal
import sys

PROBLEM = 1
"""Exit status when the command found a problem (in the sources, a file, a check)."""
USAGE_ERROR = 2
"""Exit status of a usage error (click's convention)."""
INTERNAL_ERROR = 3
"""Exit status of a bug."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line (``argv``, default ``sys.argv[1:]``); returns the exit status."""
    from builder.cli.quick_build import answered

    try:
        if answered(sys.argv[1:] if argv is None else list(argv)):
            return 0
    except KeyboardInterrupt:  # the full command line's form of Ctrl-C
        from builder.core.stopping import exit_status, stopped_message

        sys.stderr.write(f"{stopped_message(signal.SIGINT)}\n")
        return exit_status(signal.SIGINT)
    from builder.cli.run import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
