"""Connection guards of the web server: a Host allow-list and header/body time limits.

* :class:`HostAllowList` answers 400 to a request whose ``Host`` header is not one this server is
  reached by (the served host, ``127.0.0.1``, ``localhost``, ``::1``). A web page on another
  site can make the browser send requests to ``127.0.0.1`` under its own name (DNS rebinding);
  the name in ``Host`` gives it away. Starlette's ``TrustedHostMiddleware`` does the same for
  names but splits ``[::1]:8000`` at the first colon, hence this small version.
* :class:`BodyTimeout` answers 408 when a request body has not fully arrived within
  ``body_timeout_s`` seconds of the request (slow-body clients held 1100 connections open in
  the audit of issue 16).
* :func:`header_timeout_protocol` is uvicorn's h11 protocol with a limit on the time a client
  may take to send its request line and headers (``header_timeout_s``, counted from the
  connection or, on a kept-alive connection, from the first byte of the next request); the
  connection is closed when it runs out (uvicorn has a keep-alive limit, but none while
  headers arrive).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "LOOPBACK_NAMES",
    "TEST_CLIENT_HOST",
    "BodyTimeout",
    "HostAllowList",
    "header_timeout_protocol",
    "host_of",
]

#: names of this machine that every server answers to
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
#: the ``Host`` that Starlette's ``TestClient`` sends (in-process tests, never a network name)
TEST_CLIENT_HOST = "testserver"


def host_of(header: str) -> str:
    """The host name of a ``Host`` header, lower case, without port or IPv6 brackets.

    Examples
    --------
    >>> host_of("[::1]:8000"), host_of("LocalHost:80"), host_of("127.0.0.1")
    ('::1', 'localhost', '127.0.0.1')
    """
    text = header.strip().lower()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    if text.count(":") > 1:  # a bare IPv6 address (a name of our own list, not a header)
        return text
    name, sep, port = text.rpartition(":")
    if sep and port.isdigit():
        return name
    return text


async def _answer(send: Send, status: int, detail: str) -> None:
    body = ('{"detail":' + _json_string(detail) + "}").encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _json_string(text: str) -> str:
    import json

    return json.dumps(text)


class HostAllowList:
    """ASGI middleware: 400 unless the ``Host`` header names an allowed host.

    Parameters
    ----------
    app
        The wrapped app.
    hosts
        Allowed host names (compared without port and case; ``::1`` without brackets). A
        request without a ``Host`` header (HTTP/1.0 tools) is let through: browsers always
        send one.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(host_of(h) for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope.get("headers", []) if k == b"host"), None)
        if raw is not None:
            name = host_of(raw.decode("latin-1"))
            if name not in self.hosts:
                shown = raw.decode("latin-1")[:80]
                await _answer(
                    send,
                    400,
                    f"Host {shown!r} is not served here; open the app as "
                    f"{' or '.join(sorted(self.hosts - {TEST_CLIENT_HOST}))}",
                )
                return
        await self.app(scope, receive, send)


class BodyTimeout:
    """ASGI middleware: 408 when the request body takes longer than ``seconds`` to arrive.

    The body is read here, before the app (whose body parser would turn an error raised while
    it reads into a 400), up to ``max_bytes``; a longer body is passed on unread beyond that
    point for :class:`~hemesim.web.app.BodySizeLimit` to refuse.
    """

    def __init__(self, app: ASGIApp, seconds: float, max_bytes: int) -> None:
        self.app = app
        self.seconds = seconds
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        buffered: list[Message] = []
        size = 0
        while True:
            try:
                message = await asyncio.wait_for(
                    receive(), timeout=max(deadline - loop.time(), 0.0)
                )
            except TimeoutError:
                await _answer(
                    send,
                    408,
                    f"the request body did not arrive within {self.seconds:g} s; send it at once",
                )
                return
            buffered.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                break
        pending = deque(buffered)

        async def replay() -> Message:
            if pending:
                return pending.popleft()
            return await receive()

        await self.app(scope, replay, send)


def header_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol class, closing connections whose request headers are late.

    The limit runs from the connection's start, and again after each response (for the next
    request on a kept-alive connection), until the request line and headers are complete.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11Protocol(H11Protocol):
        _header_timer: Any = None
        _waiting_cycle: Any = None
        _idle = False

        def _arm(self) -> None:
            self._disarm()
            self._waiting_cycle = self.cycle
            self._header_timer = self.loop.call_later(seconds, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.cycle is self._waiting_cycle and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()  # a silent connection counts too

        def data_received(self, data: bytes) -> None:
            if self._idle:  # the first bytes of the next request on a kept-alive connection
                self._idle = False
                self._arm()
            super().data_received(data)
            if self._header_timer is not None and self.cycle is not self._waiting_cycle:
                self._disarm()  # a new request cycle: its headers are complete

        def on_response_complete(self) -> None:
            done = self.cycle
            super().on_response_complete()  # may start a pipelined request at once
            if self.cycle is done:  # idle: uvicorn's keep-alive limit applies until data comes
                self._idle = True

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderTimeoutH11Protocol
