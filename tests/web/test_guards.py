"""Host allow-list and header/body time limits of the web server (issue 16, findings 9-10).

The audit held 1100 slow-body connections open (no header or body timeout) and reached the API
under a foreign Host name (DNS rebinding: a page on another site makes the browser talk to
127.0.0.1 under its own name).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from hemesim.cli.web import served_names
from hemesim.web.app import create_app
from hemesim.web.guards import header_timeout_protocol, host_of
from hemesim.web.limits import Limits


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(allowed_hosts=served_names("192.168.1.5"))) as c:
        yield c


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8000", "localhost", "LOCALHOST:80", "[::1]:8000", "192.168.1.5:8000"]
)
def test_the_served_and_loopback_names_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example:8000", "[::2]"])
def test_any_other_host_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/api/health", headers={"Host": host})
    assert response.status_code == 400
    assert "not served here" in response.json()["detail"]


def test_host_of_strips_port_and_brackets() -> None:
    assert host_of("[::1]:8000") == "::1"
    assert host_of("Example.ORG:443") == "example.org"


@pytest.fixture()
def server() -> Iterator[int]:
    """The real app on a real uvicorn server with short header and body limits."""
    limits = Limits(header_timeout_s=0.5, body_timeout_s=0.5)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(limits),
        log_level="error",
        http=header_timeout_protocol(limits.header_timeout_s),
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.01)
    yield sock.getsockname()[1]
    srv.should_exit = True
    thread.join(10)


def _read_all(conn: socket.socket, wait_s: float) -> bytes:
    conn.settimeout(wait_s)
    chunks = []
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                return b"".join(chunks) + b"<closed>"
            chunks.append(data)
    except TimeoutError:
        return b"".join(chunks) + b"<still open>"


def test_slow_headers_are_cut_off(server: Any) -> None:
    conn = socket.create_connection(("127.0.0.1", server))
    conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never end
    assert _read_all(conn, 3.0).endswith(b"<closed>")


def test_a_slow_body_gets_408(server: Any) -> None:
    conn = socket.create_connection(("127.0.0.1", server))
    conn.sendall(
        b"POST /api/cohort HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"n": '
    )
    answer = _read_all(conn, 3.0)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]


def _response(conn: socket.socket) -> bytes:
    """One whole HTTP response (head and a Content-Length body)."""
    conn.settimeout(3)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head


def test_a_kept_alive_connection_still_works(server: Any) -> None:
    conn = socket.create_connection(("127.0.0.1", server))
    for _ in range(2):
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _response(conn).startswith(b"HTTP/1.1 200")
        time.sleep(0.7)  # longer than the header limit, shorter than uvicorn's keep-alive
    conn.close()
