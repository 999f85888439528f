"""Compare two build outputs by their index.json: which files are byte-identical, which
differ, which exist in only one (for a refactoring that must not change any output).

    python bench/compare_outputs.py OLD_OUT NEW_OUT

Prints a summary and every file that differs or exists in only one; exit 1 if any does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _hashes(out: Path) -> dict[str, str]:
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return {str(entry["file"]): str(entry["sha256"]) for entry in entries}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = (_hashes(Path(folder)) for folder in argv)
    same = sorted(name for name in before.keys() & after.keys() if before[name] == after[name])
    differ = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
    gone = sorted(before.keys() - after.keys())
    new = sorted(after.keys() - before.keys())
    print(
        f"{len(before)} files before, {len(after)} after: {len(same)} byte-identical, "
        f"{len(differ)} differ, {len(gone)} only before, {len(new)} only after"
    )
    for label, names in (("differs", differ), ("only before", gone), ("only after", new)):
        for name in names:
            print(f"  {label}: {name}")
    return 1 if differ or gone or new else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
