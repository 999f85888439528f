"""A reader of the preview's event stream, as a page's script reads it: used to wait for
a reload from outside a browser (the bench of the edit → reload loop, the tests)."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from typing import Any

from builder.serve.inject import EVENTS_PATH


class EventStream:
    """The events of the preview at ``host:port``, each as the dict a page gets."""

    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            raise OSError(f"{EVENTS_PATH}: HTTP {self.response.status}")

    def next(self) -> dict[str, Any]:
        """The next event (waiting for it; ``TimeoutError`` after the stream's timeout)."""
        data: list[str] = []
        while True:
            line = self.response.fp.readline()
            if not line:
                raise EOFError("the preview closed its event stream")
            text = line.decode("utf-8").rstrip("\r\n")
            if text.startswith("data:"):
                data.append(text[5:].strip())
            elif text == "" and data:
                event: dict[str, Any] = json.loads("\n".join(data))
                return event

    def until(self, wanted: Callable[[dict[str, Any]], bool], seconds: float) -> dict[str, Any]:
        """The first event for which ``wanted(event)`` is true, within ``seconds``
        (``TimeoutError`` otherwise)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.connection.sock is not None:
                self.connection.sock.settimeout(left)
            event = self.next()
            if wanted(event):
                return event
        raise TimeoutError(f"no such event within {seconds} s")

    def close(self) -> None:
        """Stop reading."""
        self.connection.close()
