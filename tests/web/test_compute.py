"""The single model worker: time limit (422) and admission control (429)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from fastapi import HTTPException

from hemesim.web.compute import ComputeQueue
from hemesim.web.limits import Limits


def test_result_is_returned() -> None:
    q = ComputeQueue(Limits())
    assert asyncio.run(q.run(lambda a, b: a + b, 2, 3)) == 5
    q.shutdown()


def test_timeout_is_a_422_with_a_message() -> None:
    release = threading.Event()
    q = ComputeQueue(Limits(compute_timeout_s=0.05))
    with pytest.raises(HTTPException) as info:
        asyncio.run(q.run(release.wait, 5))
    release.set()
    assert info.value.status_code == 422
    assert "longer than" in info.value.detail
    q.shutdown()


def test_too_many_waiting_is_429() -> None:
    release = threading.Event()
    q = ComputeQueue(Limits(max_pending=2))
    q.submit(release.wait, 5)
    q.submit(release.wait, 5)
    with pytest.raises(HTTPException) as info:
        q.submit(release.wait, 5)
    assert info.value.status_code == 429
    release.set()
    q.shutdown()


def test_errors_of_the_work_propagate() -> None:
    q = ComputeQueue(Limits())

    def boom() -> None:
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        asyncio.run(q.run(boom))
    q.shutdown()
