"""The publication site in a real browser: Debian's chromium driven by playwright-core
(``tests/browser/site-test.mjs``), loading the site from ``file://`` and from a local
static server (``python -m http.server`` on a free port, serving the output folder's
parent so that the site sits in a subpath). Checks the version selector, downloads and
their folded sha256, the search box (「東播磨」 and 「医政発0327第2号」 from ``file://``),
the page of 兵庫県 (調整中 → 東播磨 with both dates, its 様式例 in three formats saved as
「区域対応方針_兵庫県_東播磨.xlsx」 over HTTP; Chromium ignores the ``download``
attribute from ``file://``), axe-core accessibility (no violation of any impact) and takes
screenshots at 1280 and 390 px wide into ``$TMPDIR/notices-site-screenshots`` (not the
repository)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build.write import build
from builder.site import site_outputs
from builder.sources.workspace import Workspace
from tests.conftest import ROOT

HARNESS = ROOT / "tests" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(tempfile.gettempdir()) / "notices-site-screenshots"


def missing_requirement() -> str | None:
    """Why the browser test cannot run here, or None."""
    if shutil.which("node") is None:
        return "needs node (Debian package nodejs, Node >= 20)"
    if not CHROMIUM.is_file():
        return "needs chromium (Debian package chromium)"
    for package in ("playwright-core", "axe-core"):
        if not (HARNESS / "node_modules" / package / "package.json").is_file():
            return f"needs npm package {package} (npm ci --prefix tests/browser)"
    return None


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build with its site, in ``<tmp>/pub/out`` (skips without the browser)."""
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("pub") / "out"
    workspace = Workspace(ROOT)
    build(workspace, out)
    entries = json.loads((out / "index.json").read_text(encoding="utf-8"))
    for path, data in site_outputs(workspace, entries):
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    return out


@pytest.fixture
def server(published: Path) -> Iterator[str]:
    """A static server of the output folder's parent on a free port; its base URL for
    the output folder."""
    with subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
        cwd=published.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # 「Serving HTTP on 127.0.0.1 port 41234 …」
            assert " port " in line, f"http.server did not start: {line!r}"
            port = int(line.split(" port ")[1].split()[0])
            yield f"http://127.0.0.1:{port}/{published.name}/"
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_site_in_chromium(published: Path, server: str) -> None:
    result = subprocess.run(
        ["node", str(HARNESS / "site-test.mjs"), str(published), server, str(SCREENSHOTS)],
        cwd=HARNESS,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.stdout.strip(), result.stderr
    report = json.loads(result.stdout)
    assert result.returncode == 0, "\n".join(report["failures"]) or result.stderr
    assert report["failures"] == []
    checks = {check["what"] for check in report["checks"] if check["ok"]}
    for base in ("file", "http"):
        assert f"{base}: 兵庫県 as of 2024-07-31" in checks
        assert f"{base}: 兵庫県 as of 2025-03-27" in checks
        assert f"{base}: download 別添1.xlsx matches its sha256" in checks
        assert f"{base}: the sha256 of consolidated.docx is folded away" in checks
        assert f"{base}: search 東播磨 finds 兵庫県" in checks
        assert f"{base}: search 医政発0327第2号 finds the amendment" in checks
        assert f"{base}: search 医政発０３２７第２号 finds the amendment" in checks
        assert f"{base}: 兵庫県 shows 調整中 → 東播磨 with both dates" in checks
        assert f"{base}: 兵庫県's 様式例 in three formats" in checks
        assert f"{base}: the 様式例 matches its sha256" in checks
    assert "http: the 様式例 is saved as 区域対応方針_兵庫県_東播磨.xlsx" in checks
    assert all(not violations for violations in report["axe"].values())
    audited = [label for label in report["axe"] if label.startswith("file ")]
    assert len(audited) == len(list((published / "site").rglob("*.html")))
    assert "desktop search results open" in report["axe"]
    shots = ("desktop-version.png", "phone-version.png", "phone-table.png", "desktop-search.png")
    for shot in (*shots, "desktop-prefecture.png", "phone-prefecture.png", "phone-search.png"):
        assert (SCREENSHOTS / shot).stat().st_size > 10_000
