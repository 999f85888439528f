"""``notices serve`` as a process on a copy of the sources: what it serves, the reload
after an edit, a broken file shown with its file:line:col and the page back once fixed,
its refusals, and Ctrl-C leaving nothing behind."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from builder.serve.client import EventStream
from tests.serve.conftest import (
    AMENDMENT_PAGE,
    IN_PROGRESS,
    IN_PROGRESS_YAML,
    Served,
    copy_sources,
)

READY_SECONDS = 240
"""The first build of every file (a loaded two-core machine takes a while)."""


def get(served: Served, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(served.host, served.port, timeout=30)
    headers = {"Host": host} if host else {}
    connection.request("GET", quote(path), headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def page(served: Served, path: str = AMENDMENT_PAGE) -> str:
    status, _, body = get(served, f"/{path}")
    assert status == 200, (path, status)
    return body.decode("utf-8")


def kaibun(text: str) -> str:
    found = re.search(r"兵庫県の項中「東播磨」を「(.+?)」に改める。", text)
    return found.group(1) if found else ""


@pytest.fixture(scope="module")
def ready(served: Served) -> Served:
    """The server once its first build has made every file."""
    served.wait_until_ready(READY_SECONDS)
    assert (served.root / "out-preview" / "index.json").is_file()
    return served


def edit(served: Served, text: str) -> None:
    (served.root / IN_PROGRESS).write_text(text, encoding="utf-8")


def test_serves_the_site_with_the_live_script_only_in_what_it_serves(ready: Served) -> None:
    status, headers, _ = get(ready, "/")
    assert status == 302 and headers["Location"] == "/site/index.html"
    served_page = page(ready, "site/index.html")
    assert served_page.count("/__notices__/live.js") == 1
    assert served_page.rstrip().endswith("</body>\n</html>")
    on_disk = (ready.root / "out-preview" / "site" / "index.html").read_text(encoding="utf-8")
    assert "__notices__" not in on_disk and "notices-live" not in on_disk
    assert kaibun(page(ready)) == "西播磨"
    status, headers, body = get(ready, "/医政発0731第1号/2025-06-02/kaibun.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "__notices__" not in body.decode("utf-8")
    status, _, script = get(ready, "/__notices__/live.js")
    assert status == 200 and b"EventSource" in script


def test_only_this_machine_and_only_the_preview_folder(ready: Served, tmp_path: Path) -> None:
    assert get(ready, "/site/index.html", host="attacker.example:80")[0] == 403
    assert get(ready, "/site/index.html", host=f"localhost:{ready.port}")[0] == 200
    for path in ("/site/../../issued.yaml", "/site/%2e%2e/index.json", "/site//index.html"):
        connection = http.client.HTTPConnection(ready.host, ready.port, timeout=10)
        connection.request("GET", path)
        assert connection.getresponse().status == 400, path
        connection.close()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    link = ready.root / "out-preview" / "site" / "planted.txt"
    link.symlink_to(secret)
    try:
        status, _, body = get(ready, "/site/planted.txt")
        assert status == 404 and b"not for the browser" not in body
    finally:
        link.unlink()
    with socket.create_connection((ready.host, ready.port)) as probe:
        assert probe.getpeername()[0] == "127.0.0.1"


def test_an_edit_reloads_the_page_with_the_new_kaibun(ready: Served) -> None:
    events = EventStream(ready.host, ready.port)
    try:
        events.next()  # the state now
        edit(ready, IN_PROGRESS_YAML.replace("with: 西播磨", "with: 北播磨"))
        reload = events.until(lambda e: e["reload"] is None or AMENDMENT_PAGE in e["reload"], 30)
        assert reload["problems"] == 0
        assert kaibun(page(ready)) == "北播磨"
        events.until(lambda e: not e["building"], 120)
    finally:
        events.close()
    built = ready.root / "out-preview" / "医政発0731第1号" / "2025-06-02" / "kaibun.txt"
    assert "「北播磨」に改める" in built.read_text(encoding="utf-8")
    assert "__notices__" not in page(ready)[:200]


def test_a_broken_file_shows_its_line_and_column_until_fixed(ready: Served) -> None:
    events = EventStream(ready.host, ready.port)
    try:
        events.next()
        good = (ready.root / IN_PROGRESS).read_text(encoding="utf-8")
        edit(ready, good.replace("    with: 北播磨", "    with: [北播磨"))
        events.until(lambda e: e["problems"] > 0, 30)
        broken = page(ready)
        assert 'id="notices-live-problems"' in broken
        assert re.search(r"amendments/2025-06-02_isei-0602-1\.yaml:\d+:\d+: YAML syntax", broken), (
            broken[-3000:]
        )
        assert kaibun(broken) == "北播磨"  # the last good page, under the problems
        missing = get(ready, "/site/no-such-page.html")
        assert missing[0] == 200 and b"YAML syntax" in missing[2]
        edit(ready, good)
        events.until(lambda e: e["problems"] == 0, 30)
        fixed = page(ready)
        assert 'id="notices-live-problems"' not in fixed
        assert kaibun(fixed) == "北播磨"
        events.until(lambda e: not e["building"], 120)
    finally:
        events.close()


def test_a_draft_is_named_and_left_out(ready: Served) -> None:
    draft = ready.root / "amendments" / "2025-07-01_isei-0701-1.yaml"
    events = EventStream(ready.host, ready.port)
    try:
        events.next()
        draft.write_text(
            IN_PROGRESS_YAML.replace("0602", "0701")
            .replace("2025-06-02", "2025-07-01")
            .split("changes:")[0]
            + "changes: []\n",
            encoding="utf-8",
        )
        events.until(lambda e: not e["building"], 120)
        index = page(ready, "site/index.html")
        assert "医政発0701第1号" in index.split('id="notices-live-drafts"')[1]
        assert get(ready, "/site/医政発0731第1号/2025-07-01/amendment.html")[0] == 404
    finally:
        draft.unlink()
        events.close()


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ctrl_c_stops_everything(ready: Served) -> None:
    pid = ready.process.pid
    threads = len(os.listdir(f"/proc/{pid}/task"))
    assert threads >= 3  # the rebuild, the server, the watchers
    ready.process.send_signal(signal.SIGINT)
    assert ready.process.wait(timeout=20) == 130
    assert "stopped by SIGINT" in ready.log
    assert children(pid) == set()
    with pytest.raises(OSError):
        socket.create_connection((ready.host, ready.port), timeout=2).close()
    assert not list(ready.root.glob(".out-preview.building-*"))
    assert not (ready.root / ".out-preview.lock").exists()


def run_serve(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", "--root", str(root), "serve", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_refuses_an_unsafe_preview_folder_and_a_taken_port(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "p")
    refused = run_serve(root, "--out", str(root / "notices"), "--port", "0")
    assert refused.returncode == 1 and "notices" in refused.stderr
    assert not (root / "notices" / "index.json").exists()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run_serve(root, "--port", str(port))
    assert busy.returncode == 1
    assert f"--port {port}" in busy.stderr and "(0: any free one)" in busy.stderr
    assert not (root / "out-preview").exists()
