"""The preview's web server: standard library only, on the loopback interface only.

An embargoed issue must not be readable from a web page the editor happens to have open.
Listening on 127.0.0.1 is not enough for that: a page on a name that resolves to
127.0.0.1 (DNS rebinding) is, to the browser, its own origin. So every URL starts with a
random token made for this run, which no other page can know; a request is answered only
when its Host is a loopback name with this port; and one that a browser marks as coming
from another site (Origin, Sec-Fetch-Site) is refused.

GET /TOKEN/              the page (page.py), which asks state and reloads when a build finishes
GET /TOKEN/state?since=V the build state as JSON; waits (up to 25 s) until the version passes V
GET /TOKEN/page/V/N.png  page N of the last good build (V only makes each build's URL new)

A browser tab closed mid-answer, an idle connection, or more connections than the
preview serves at once end that connection quietly, never the watch.
"""
from __future__ import annotations

import hmac
import json
import secrets
import sys
import threading
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .builder import Preview
from .page import PAGE

HOST = "127.0.0.1"
LONG_POLL = 25.0
IDLE = 30.0  # seconds a connection may send nothing before it is closed
CONNECTIONS = 16  # answered at once; a browser tab uses two or three
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # connections waiting to be accepted (socketserver's 5 stalls a burst)
    token: str

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.token = secrets.token_urlsafe(18)
        self._slots = threading.BoundedSemaphore(CONNECTIONS)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/{self.token}/"

    def hosts(self) -> set[str]:
        return {f"{name}:{self.server_address[1]}" for name in _LOOPBACK_NAMES}

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: this one is closed unanswered
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away (a tab closed, a reload): nothing to say
        print(f"publish: the preview could not answer a request ({type(error).__name__}: "
              f"{error}); it keeps watching", file=sys.stderr, flush=True)


def serve(preview: Preview, port: int) -> PreviewServer:
    """Start serving preview on 127.0.0.1:port in a background thread; return the server
    (its url has this run's token)."""
    class Handler(_Handler):
        pass
    Handler.preview = preview
    server = PreviewServer((HOST, port), Handler)
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    server: PreviewServer
    timeout = IDLE

    def do_GET(self) -> None:
        refused = self._refused()
        if refused:
            self._send(refused.encode(), "text/plain; charset=utf-8", HTTPStatus.FORBIDDEN)
            return
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if not parts or not hmac.compare_digest(parts[0].encode(), self.server.token.encode()):
            self._send(b"not found: the preview's address is the one publish watch printed",
                       "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
            return
        parts = parts[1:]
        if not parts:
            if not url.path.endswith("/"):  # the page's own URLs are relative to the folder
                self._redirect(f"/{self.server.token}/")
            else:
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

    def _refused(self) -> str | None:
        """Why this request is not answered, if it is not: a Host other than this
        computer's own names (DNS rebinding), or a browser's request from another site."""
        host = self.headers.get("Host", "")
        if host.lower() not in self.server.hosts():
            return "refused: the preview answers only http://127.0.0.1:PORT/ (or localhost)"
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host.lower()}":
            return "refused: a request from another web site"
        site = self.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            return "refused: a request from another web site"
        return None

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

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")  # the token stays in this tab
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args) -> None:  # the terminal shows builds, not requests
        pass
