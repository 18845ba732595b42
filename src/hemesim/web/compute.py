"""Run model work off the event loop: one worker thread, a bounded queue and a time limit.

libRoadRunner models and Antimony keep process-wide state and are not safe to drive from two
threads at once (../shared/style.md), so every computation that touches a backend goes through
a single worker thread. Requests beyond ``max_pending`` are refused with 429 rather than queued
without bound, and a computation that takes longer than ``compute_timeout_s`` is answered with
422 (the worker finishes it in the background; its result is dropped).

A client that goes away cancels its computation: :class:`DisconnectWatch` (ASGI middleware) lets
:meth:`ComputeQueue.run` listen for the client's ``http.disconnect`` while it waits; a queued
computation is then removed from the queue (it never runs and frees its place at once), and a
running one finishes in the background with its result dropped. Without this, one client that
cancelled 16 heavy requests kept the queue full for 22 s (issue 16).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from typing import Any, TypeVar

from fastapi import HTTPException
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hemesim.jsonable import jsonable
from hemesim.web.limits import Limits

__all__ = ["ClientChannel", "ComputeQueue", "DisconnectWatch", "ProcessQueue"]

#: status for a request whose client went away before the answer (nginx's convention; the
#: answer is never delivered)
CLIENT_CLOSED = 499

T = TypeVar("T")


class ClientChannel:
    """The request's ``receive``, shared by the app and a disconnect listener.

    Messages the listener reads (an unread empty body of a ``GET``) are kept and replayed to the
    app, so listening never steals the body.
    """

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._buffer: deque[Message] = deque()
        self.disconnected = False

    async def receive(self) -> Message:
        """The app's ``receive``: replayed messages first, then the server's."""
        if self._buffer:
            return self._buffer.popleft()
        message = await self._receive()
        if message["type"] == "http.disconnect":
            self.disconnected = True
        return message

    async def wait_disconnect(self) -> None:
        """Return when the client has gone away (``http.disconnect``)."""
        while not self.disconnected:
            message = await self._receive()
            self._buffer.append(message)
            if message["type"] == "http.disconnect":
                self.disconnected = True


_CHANNEL: ContextVar[ClientChannel | None] = ContextVar("hemesim_client_channel", default=None)


class DisconnectWatch:
    """ASGI middleware: makes the client's disconnect visible to :meth:`ComputeQueue.run`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        channel = ClientChannel(receive)
        token = _CHANNEL.set(channel)
        try:
            await self.app(scope, channel.receive, send)
        finally:
            _CHANNEL.reset(token)


class ComputeQueue:
    """A single-worker executor with admission control.

    Parameters
    ----------
    limits
        Supplies ``max_pending`` (requests) and ``compute_timeout_s`` (seconds).
    name
        Worker thread name suffix.
    """

    def __init__(self, limits: Limits, name: str = "model") -> None:
        self._limits = limits
        self._name = name
        self._executor: Executor | None = None
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Computations submitted and not yet finished."""
        return self._pending

    def _admit(self) -> None:
        with self._lock:
            if self._pending >= self._limits.max_pending:
                raise HTTPException(
                    status_code=429,
                    detail=(
                        f"the server is busy ({self._pending} computations waiting); "
                        "retry in a few seconds"
                    ),
                )
            self._pending += 1

    def _release(self, _future: Any = None) -> None:
        with self._lock:
            self._pending -= 1

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Any:
        """Submit ``fn`` to the worker without waiting (used for background jobs).

        Returns
        -------
        concurrent.futures.Future
        """
        self._admit()
        try:
            with self._lock:
                if self._executor is None:  # first use, or after a shutdown (app restarted)
                    self._executor = self._new_executor()
                executor = self._executor
            future = executor.submit(fn, *args, **kwargs)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        return future

    def _new_executor(self) -> Executor:
        """The one worker: a thread (:class:`ProcessQueue`: a process)."""
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"hemesim-{self._name}")

    async def run(
        self, fn: Callable[..., T], *args: Any, timeout_s: float | None = None, **kwargs: Any
    ) -> T:
        """Run ``fn(*args, **kwargs)`` on the worker and await its result.

        Raises
        ------
        fastapi.HTTPException
            429 when too many computations are waiting; 422 when the time limit is exceeded;
            499 when the client went away (under :class:`DisconnectWatch`); the computation is
            then removed from the queue if it has not started.
        """
        future = self.submit(fn, *args, **kwargs)
        limit = self._limits.compute_timeout_s if timeout_s is None else timeout_s
        channel = _CHANNEL.get()
        result = asyncio.wrap_future(future)
        watcher = None if channel is None else asyncio.ensure_future(channel.wait_disconnect())
        try:
            waiting = {result} if watcher is None else {result, watcher}
            done, _ = await asyncio.wait(
                waiting, timeout=limit, return_when=asyncio.FIRST_COMPLETED
            )
            if result in done:
                return result.result()
            future.cancel()  # removes a queued computation; a running one finishes unseen
            if watcher is not None and watcher in done:
                raise HTTPException(
                    status_code=CLIENT_CLOSED, detail="the client closed the connection"
                )
            raise HTTPException(
                status_code=422,
                detail=f"the computation took longer than {limit:g} s; ask for less work "
                "(fewer points, a shorter time course or a smaller cohort)",
            )
        except asyncio.CancelledError:  # the request's task was cancelled: drop the work too
            future.cancel()
            raise
        finally:
            if watcher is not None:
                watcher.cancel()
            if not result.done():
                result.cancel()

    async def run_json(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Response:
        """Like :meth:`run`, but the answer is encoded as a JSON response on the worker.

        Encoding a result (FastAPI's ``jsonable_encoder`` takes ~8 ms for a pathway map) would
        otherwise run on the event loop and delay every other request, cheap ones included.
        """

        def work() -> Response:
            return JSONResponse(content=jsonable(fn(*args, **kwargs)))

        return await self.run(work)

    def shutdown(self) -> None:
        """Stop the worker; running computations finish in the background. A later
        :meth:`submit` starts a new worker."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _exit_with_parent(parent: int, poll_s: float = 1.0) -> None:
    """In a :class:`ProcessQueue` worker: end the process within ``poll_s`` seconds of the
    server's end (a server killed mid-computation would otherwise leave it computing)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(0)

    threading.Thread(target=watch, name="hemesim-parent-watch", daemon=True).start()


class ProcessQueue(ComputeQueue):
    """A :class:`ComputeQueue` whose one worker is a separate process (started on first use).

    For long model work that would otherwise hold the model thread for seconds: the female
    penetrance simulates 2000 women (2-8 s), and while it ran on the model thread every other
    prediction (the next variant's chart, a changed treatment) waited for it, because a running
    computation cannot be stopped. In its own process it runs beside them, with its own model
    and caches (libRoadRunner's process-wide state is per process). The first computation
    starts the process (``spawn``: about the import and model load, a few seconds, once);
    ``fn`` and its arguments must be picklable (a module-level function). A process that died
    is replaced on the next submission.
    """

    def _new_executor(self) -> Executor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Any:
        """As :meth:`ComputeQueue.submit`; a broken process pool is replaced once."""
        try:
            return super().submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            with self._lock:
                broken, self._executor = self._executor, None
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            return super().submit(fn, *args, **kwargs)
