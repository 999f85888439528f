"""``python -m builder``: the same command line as ``notices``."""

import sys

from builder.cli.main import main

sys.exit(main())
