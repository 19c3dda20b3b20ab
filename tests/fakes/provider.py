"""A fake provider API on localhost: records every request exactly as sent and answers as scripted.

Channels are pointed at it through their `api_url`/`graph_url` setting, so a test checks the provider's
request format byte for byte (path, headers, form or JSON body) without touching the network.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


@dataclass
class Answer:
    status: int = 200
    body: bytes | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[Recorded], Answer]


class FakeProvider:
    """Scripted answers by path: `answer(path_suffix, ...)` queues one; `always(path_suffix, fn)` answers
    every later request to it. Unscripted requests get 404, so a wrong URL fails the test loudly."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._queued: list[tuple[str, str, Answer]] = []
        self._always: list[tuple[str, str, Responder]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, method: str, path_suffix: str, answer: Answer) -> None:
        with self._lock:
            self._queued.append((method, path_suffix, answer))

    def always(self, method: str, path_suffix: str, responder: Responder) -> None:
        with self._lock:
            self._always.append((method, path_suffix, responder))

    def to(self, method: str, path_suffix: str) -> list[Recorded]:
        """The requests made to paths ending with `path_suffix`, in order."""
        return [r for r in self.requests if r.method == method and r.path.endswith(path_suffix)]

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _respond(self, recorded: Recorded) -> Answer:
        with self._lock:
            self.requests.append(recorded)
            for index, (method, suffix, answer) in enumerate(self._queued):
                if method == recorded.method and recorded.path.endswith(suffix):
                    del self._queued[index]
                    return answer
            for method, suffix, responder in reversed(self._always):
                if method == recorded.method and recorded.path.endswith(suffix):
                    return responder(recorded)
        return Answer(404, {"error": f"nothing scripted for {recorded.method} {recorded.path}"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                recorded = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                answer = fake._respond(recorded)
                body = answer.body
                content_type = "application/octet-stream"
                if isinstance(body, dict | list):
                    body = json.dumps(body).encode()
                    content_type = "application/json"
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.headers.get("Content-Type", content_type))
                for name, value in answer.headers.items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads `requests`, not stderr."""

        return Handler


def running() -> Iterator[FakeProvider]:
    """For a fixture: `yield from running()`."""
    fake = FakeProvider().start()
    try:
        yield fake
    finally:
        fake.stop()
