"""``notices serve`` in a real browser: Debian's chromium driven by playwright-core
(``tests/browser/serve-test.mjs``) on the server running on a copy of the sources. An
edit of the amendment in progress shows the new 改め文 within 2 s, broken YAML shows its
``file:line:col``, the fixed file brings the page back. Screenshots go to
``$TMPDIR/notices-serve-screenshots`` (not the repository), with the report
(``serve-report.json``: each check and the seconds each step took)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.serve.conftest import IN_PROGRESS, copy_sources, start, stop
from tests.site.test_site_browser import HARNESS, missing_requirement

SCREENSHOTS = Path(tempfile.gettempdir()) / "notices-serve-screenshots"


def test_serve_in_chromium(tmp_path: Path) -> None:
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    served = start(copy_sources(tmp_path / "プロジェクト"))
    try:
        served.wait_until_ready(600)
        result = subprocess.run(
            [
                "node",
                str(HARNESS / "serve-test.mjs"),
                served.url,
                str(served.root / IN_PROGRESS),
                str(SCREENSHOTS),
            ],
            cwd=HARNESS,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        stop(served)
    assert result.stdout.strip(), result.stderr
    report = json.loads(result.stdout)
    (SCREENSHOTS / "serve-report.json").write_text(result.stdout, encoding="utf-8")
    assert report["failures"] == [], "\n".join(report["failures"])
    assert result.returncode == 0, result.stderr
    assert 0 < report["seconds"]["edit_to_new_kaibun"] <= 2
    for name in (
        "serve-1-opened",
        "serve-2-edited",
        "serve-3-broken",
        "serve-3-last-good",
        "serve-4-fixed",
    ):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
