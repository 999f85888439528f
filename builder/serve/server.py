"""The preview's HTTP server: 127.0.0.1 only, GET and HEAD only, for a browser of this
machine (a request naming another host is refused, so that no other site can read the
preview through a name that resolves here). It serves the preview folder, the pages
rendered ahead of the files (:attr:`builder.serve.state.Status.pages`), HTML with the
live parts added (:mod:`builder.serve.inject`), the live script, and the stream of
events that tells open pages to reload (server-sent events)."""

from __future__ import annotations

import mimetypes
import posixpath
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from builder.core.errors import NoticeError
from builder.core.safe_files import UnsafePathError, open_regular
from builder.serve.files import is_folder, regular_file, target
from builder.serve.inject import (
    EVENTS_PATH,
    SCRIPT,
    SCRIPT_PATH,
    event_data,
    inject,
    page_of_problems,
)
from builder.serve.state import Broadcaster

HOST = "127.0.0.1"
"""The only address the preview listens on."""

LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})
"""Host names a request may give."""

KEEPALIVE_SECONDS = 15.0
"""A comment is sent on an idle event stream this often (a closed page is noticed)."""

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PreviewServer(ThreadingHTTPServer):
    """Serves ``folder`` and what ``broadcaster`` says is served now."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, folder: Path, broadcaster: Broadcaster) -> None:
        self.folder = folder
        self.broadcaster = broadcaster
        super().__init__((HOST, port), PreviewHandler)

    @property
    def port(self) -> int:
        """The port listened on (the one chosen by the system for port 0)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The URL of the site's index."""
        return f"http://{HOST}:{self.port}/"


def make_server(port: int, folder: Path, broadcaster: Broadcaster) -> PreviewServer:
    """A :class:`PreviewServer` listening on ``port`` (0: any free port);
    ``NoticeError`` if the port cannot be had."""
    try:
        return PreviewServer(port, folder, broadcaster)
    except OSError as exc:
        raise NoticeError(
            f"--port {port}: {HOST}:{port} で待ち受けできません（{exc.strerror}）。別の番号を "
            f"--port で指定してください（0 なら空いている番号） / cannot listen on "
            f"{HOST}:{port} ({exc.strerror}); give another port with --port (0: any free one)"
        ) from None


def content_type(page: str) -> str:
    """The Content-Type of a file of the preview folder, by its suffix."""
    suffix = posixpath.splitext(page)[1].lower()
    return TYPES.get(suffix) or mimetypes.guess_type(page)[0] or "application/octet-stream"


class PreviewHandler(BaseHTTPRequestHandler):
    """One request to :class:`PreviewServer`."""

    server: PreviewServer
    server_version = "notices-serve"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows the rebuilds, not every request."""

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host
        if name not in LOCAL_NAMES:
            self._send(HTTPStatus.FORBIDDEN, b"only for this machine\n", "text/plain", send_body)
            return
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._events()
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, SCRIPT.encode(), TYPES[".js"], send_body)
            return
        found = target(path)
        if found is None:
            self._send(HTTPStatus.BAD_REQUEST, b"bad path\n", "text/plain", send_body)
            return
        if found.redirect or is_folder(self.server.folder, found.page):
            location = found.redirect or f"{path.rstrip('/')}/"
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._page(found.page, send_body)

    def _page(self, page: str, send_body: bool) -> None:
        status = self.server.broadcaster.status
        data = status.pages.get(page)
        if data is None:
            data = self._read(page)
        kind = content_type(page)
        if data is None:
            if page.endswith(".html"):
                code = HTTPStatus.OK if status.problems else HTTPStatus.NOT_FOUND
                self._send(code, page_of_problems(status, page), TYPES[".html"], send_body)
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", send_body)
            return
        if kind.startswith("text/html"):
            data = inject(data, status, page)
        self._send(HTTPStatus.OK, data, kind, send_body)

    def _read(self, page: str) -> bytes | None:
        path = regular_file(self.server.folder, page)
        if path is None:
            return None
        try:
            with open_regular(path) as handle:
                return handle.read()
        except (OSError, UnsafePathError):
            return None

    def _send(self, code: HTTPStatus, data: bytes, kind: str, send_body: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _events(self) -> None:
        """The event stream of one open page: the state now, then each new generation,
        until the page closes or the server stops."""
        broadcaster = self.server.broadcaster
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        current = broadcaster.status
        try:
            self.wfile.write(b"retry: 500\n\n" + event_data(current, hello=True))
            self.wfile.flush()
            generation = current.generation
            while True:
                newer = broadcaster.since(generation, KEEPALIVE_SECONDS)
                if newer is None:
                    return
                if not newer:
                    self.wfile.write(b": idle\n\n")
                for status in newer:
                    self.wfile.write(event_data(status))
                    generation = status.generation
                self.wfile.flush()
        except OSError:  # the page was closed
            return


__all__ = ["HOST", "PreviewServer", "content_type", "make_server"]
