"""The preview's web server: standard library only, on the loopback interface only.

GET /              the page (page.py), which asks /state and reloads when a build finishes
GET /state?since=V the build state as JSON; waits (up to 25 s) until the version passes V
GET /page/V/N.png  page N of the last good build (V only makes each build's URL new)
"""
from __future__ import annotations

import json
import threading
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .builder import Preview
from .page import PAGE

HOST = "127.0.0.1"
LONG_POLL = 25.0


def serve(preview: Preview, port: int) -> ThreadingHTTPServer:
    """Start serving preview on 127.0.0.1:port in a background thread; return the server."""
    class Handler(_Handler):
        pass
    Handler.preview = preview
    server = ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if not parts:
            self._send(PAGE.encode(), "text/html; charset=utf-8")
        elif parts == ["state"]:
            since = parse_qs(url.query).get("since", ["-1"])[0]
            self._send(json.dumps(self._state(int(since) if since.lstrip("-").isdigit() else -1),
                                  ensure_ascii=False).encode(), "application/json")
        elif len(parts) == 3 and parts[0] == "page" and parts[2].removesuffix(".png").isdigit():
            number = int(parts[2].removesuffix(".png"))
            pages = self.preview.state.pages
            if 1 <= number <= len(pages):
                self._send(pages[number - 1], "image/png")
            else:
                self.send_error(HTTPStatus.NOT_FOUND)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _state(self, since: int) -> dict:
        lock = self.preview.lock
        with lock:
            lock.wait_for(lambda: self.preview.state.version > since, timeout=LONG_POLL)
            s = self.preview.state
            return {
                "version": s.version, "good": s.good, "building": s.building, "error": s.error,
                "summary": s.summary, "pdf": s.pdf, "source": str(self.preview.source),
                "pages": len(s.pages), "spreads": s.spreads,
                "pins": {str(k): [asdict(p) for p in v] for k, v in s.pins.items()},
                "general": [asdict(p) for p in s.general],
            }

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # the terminal shows builds, not requests
        pass
