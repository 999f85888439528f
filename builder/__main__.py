"""``python -m builder``: the same command line as ``notices``."""

import sys

from builder.cli import main

sys.exit(main())
