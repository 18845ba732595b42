"""A client that goes away cancels its queued computation (issue 16, finding 5).

One client that cancelled 16 heavy requests kept the single model worker's queue full: others got
429, then waited 22 s for computations whose answers nobody would read.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, HTTPException

from hemesim.web.compute import _CHANNEL, ClientChannel, ComputeQueue, DisconnectWatch
from hemesim.web.limits import Limits


def test_queued_work_of_a_departed_client_never_runs() -> None:
    async def scenario() -> tuple[list[Any], list[int], int, int]:
        q = ComputeQueue(Limits(max_pending=16))
        release = threading.Event()
        q.submit(release.wait, 10)  # the worker is busy
        gone = asyncio.Event()

        async def receive() -> dict[str, Any]:
            await gone.wait()
            return {"type": "http.disconnect"}

        _CHANNEL.set(ClientChannel(receive))
        ran: list[int] = []
        tasks = [asyncio.ensure_future(q.run(ran.append, i)) for i in range(15)]
        await asyncio.sleep(0.05)
        before = q.pending
        gone.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        after = q.pending
        release.set()
        await asyncio.sleep(0.05)
        q.shutdown()
        return results, ran, before, after

    results, ran, before, after = asyncio.run(scenario())
    assert before == 16
    assert all(isinstance(r, HTTPException) and r.status_code == 499 for r in results)
    assert after == 1  # only the computation already running is left
    assert ran == []


def test_a_request_whose_client_stays_gets_its_answer() -> None:
    async def scenario() -> int:
        q = ComputeQueue(Limits())
        never = asyncio.Event()

        async def receive() -> dict[str, Any]:
            await never.wait()
            return {"type": "http.disconnect"}

        _CHANNEL.set(ClientChannel(receive))
        value = await q.run(lambda: 7)
        q.shutdown()
        return int(value)

    assert asyncio.run(scenario()) == 7


@pytest.fixture()
def server() -> Any:
    """A real uvicorn server on loopback with one slow endpoint behind a 4-place queue."""
    app = FastAPI()
    queue = ComputeQueue(Limits(max_pending=4))

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await queue.run(time.sleep, 1.5)
        return {"ok": "yes"}

    app.add_middleware(DisconnectWatch)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="error", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.01)
    yield sock.getsockname()[1], queue
    srv.should_exit = True
    thread.join(10)


def test_closed_connections_free_the_queue_on_a_real_server(server: Any) -> None:
    port, queue = server
    clients = []
    for _ in range(4):
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        clients.append(c)
    deadline = time.monotonic() + 5
    while queue.pending < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert queue.pending == 4
    for c in clients:
        c.close()
    # each computation takes 1.5 s: without cancellation the queue would hold 3 for 3 s more
    deadline = time.monotonic() + 1.0
    while queue.pending > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert queue.pending <= 1  # the three queued computations were dropped, not run
