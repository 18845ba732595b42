"""Run model work off the event loop: one worker thread, a bounded queue and a time limit.

libRoadRunner models and Antimony keep process-wide state and are not safe to drive from two
threads at once (../shared/style.md), so every computation that touches a backend goes through
a single worker thread. Requests beyond ``max_pending`` are refused with 429 rather than queued
without bound, and a computation that takes longer than ``compute_timeout_s`` is answered with
422 (the worker finishes it in the background; its result is dropped).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi import HTTPException

from hemesim.web.limits import Limits

__all__ = ["ComputeQueue"]

T = TypeVar("T")


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
        self._executor: ThreadPoolExecutor | None = None
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
        with self._lock:
            if self._executor is None:  # first use, or after a shutdown (app restarted)
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=f"hemesim-{self._name}"
                )
            executor = self._executor
        future = executor.submit(fn, *args, **kwargs)
        future.add_done_callback(self._release)
        return future

    async def run(
        self, fn: Callable[..., T], *args: Any, timeout_s: float | None = None, **kwargs: Any
    ) -> T:
        """Run ``fn(*args, **kwargs)`` on the worker and await its result.

        Raises
        ------
        fastapi.HTTPException
            429 when too many computations are waiting; 422 when the time limit is exceeded.
        """
        future = self.submit(fn, *args, **kwargs)
        limit = self._limits.compute_timeout_s if timeout_s is None else timeout_s
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=limit)
        except TimeoutError:
            raise HTTPException(
                status_code=422,
                detail=f"the computation took longer than {limit:g} s; ask for less work "
                "(fewer points, a shorter time course or a smaller cohort)",
            ) from None

    def shutdown(self) -> None:
        """Stop the worker; running computations finish in the background. A later
        :meth:`submit` starts a new worker."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
