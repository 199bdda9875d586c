"""The preview's server seen from other web pages and from misbehaving clients: only this
run's address on this computer's own names is answered, and no client ends the watch.

The server is the real one, on a real port, serving a Preview whose state is set by the
test (no build: what is served is what is under test)."""
from __future__ import annotations

import http.client
import json
import socket
import struct
import threading
import time

import pytest

from publish.tools.preview import Preview, serve
from publish.tools.preview import server as preview_server


@pytest.fixture
def served(tmp_path):
    preview = Preview(tmp_path / "issues" / "s" / "embargoed", tmp_path / "out")
    preview.state.version = preview.state.good = 1
    preview.state.summary = "6 pages, the embargoed issue"
    preview.state.pages = [b"\x89PNG page one", b"\x89PNG" + b"x" * (8 << 20)]
    server = serve(preview, 0)
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str, **headers) -> tuple[int, bytes]:
    port = server.server_address[1]
    headers.setdefault("Host", f"127.0.0.1:{port}")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_url_printed_is_answered_and_nothing_without_its_token(served):
    token = served.token
    assert len(token) >= 20 and served.url == f"http://127.0.0.1:{served.server_address[1]}/{token}/"
    status, body = get(served, f"/{token}/state")
    assert status == 200 and json.loads(body)["summary"] == "6 pages, the embargoed issue"
    assert get(served, f"/{token}/page/1/1.png") == (200, b"\x89PNG page one")
    assert get(served, f"/{token}/")[0] == 200
    for path in ["/", "/state", "/page/1/1.png", f"/{token[:-1]}/state", f"/x{token}/state"]:
        status, body = get(served, path)
        assert status == 404 and b"embargoed" not in body and b"PNG" not in body, path
    # Two runs, two tokens.
    other = serve(Preview(served.RequestHandlerClass.preview.source, None), 0)
    try:
        assert other.token != token
    finally:
        other.shutdown()
        other.server_close()


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "127.0.0.1:1{port}", "127.0.0.1", "", "localhost.:{port}"])
def test_a_host_other_than_a_loopback_name_with_the_port_is_refused(served, host):
    # DNS rebinding: a page on evil.example, its name now resolving to 127.0.0.1.
    port = served.server_address[1]
    status, body = get(served, f"/{served.token}/state", Host=host.format(port=port))
    assert status == 403 and b"embargoed" not in body
    assert body.decode().startswith("refused: the preview answers only http://127.0.0.1")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_the_loopback_names_are_answered(served, host):
    port = served.server_address[1]
    assert get(served, f"/{served.token}/state", Host=f"{host}:{port}")[0] == 200


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"},
                                     {"Origin": "null"},
                                     {"Origin": "http://localhost:{port}"},
                                     {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"}])
def test_a_browser_request_from_another_site_is_refused(served, headers):
    port = served.server_address[1]
    headers = {k: v.format(port=port) for k, v in headers.items()}
    for path in ["state", "page/1/1.png", ""]:
        status, body = get(served, f"/{served.token}/{path}", **headers)
        assert (status, body) == (403, b"refused: a request from another web site"), path


def test_the_preview_page_own_requests_are_answered(served):
    port = served.server_address[1]
    status, _ = get(served, f"/{served.token}/state", Origin=f"http://127.0.0.1:{port}",
                    **{"Sec-Fetch-Site": "same-origin"})
    assert status == 200
    assert get(served, f"/{served.token}/", **{"Sec-Fetch-Site": "none"})[0] == 200


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a browser tab killed mid-download does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_a_dropped_or_reset_connection_prints_nothing(served, capfd):
    port = served.server_address[1]
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"GET /{served.token}/page/1/2.png HTTP/1.1\r\n"
                     f"Host: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.recv(100)  # the answer has begun: 8 MB are on their way
        _reset(sock)
        half = socket.create_connection(("127.0.0.1", port))
        half.sendall(b"GET /")  # a request cut off midway
        _reset(half)
    time.sleep(1)
    assert get(served, f"/{served.token}/state")[0] == 200
    assert capfd.readouterr().err == ""


def test_idle_connections_are_closed_and_never_exhaust_the_server(served, monkeypatch, capfd):
    monkeypatch.setattr(preview_server._Handler, "timeout", 0.5)
    port = served.server_address[1]
    threads = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(60)]
    time.sleep(0.2)
    # Never more answering threads than the limit, however many connect.
    assert threading.active_count() <= threads + preview_server.CONNECTIONS
    for sock in idle:
        sock.settimeout(10)
        assert sock.recv(10) == b""  # closed by the server, idle or over the limit
        sock.close()
    assert get(served, f"/{served.token}/state")[0] == 200
    assert capfd.readouterr().err == ""
