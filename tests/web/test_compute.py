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


def test_a_process_worker_ends_with_its_server() -> None:
    """ProcessQueue's worker process (the penetrance) ends when the server process ends,
    also in the middle of a computation (it kept computing, orphaned, after a killed server)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import os, time\n"
        "from hemesim.web.compute import ProcessQueue\n"
        "from hemesim.web.limits import Limits\n"
        "q = ProcessQueue(Limits())\n"
        "pid = q.submit(os.getpid).result(timeout=120)\n"
        "q.submit(time.sleep, 120)\n"
        "print(pid, flush=True)\n"
        "os._exit(0)\n"  # the server dies without shutting its queues down
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr
    worker = int(out.stdout.split()[0])
    assert worker != os.getpid()

    def running() -> bool:
        status = Path(f"/proc/{worker}/status")
        try:
            state = [ln for ln in status.read_text().splitlines() if ln.startswith("State:")]
        except OSError:
            return False
        return bool(state) and "Z" not in state[0]  # a zombie has ended

    for _ in range(300):  # the worker checks every second; up to 30 s on a loaded machine
        if not running():
            break
        threading.Event().wait(0.1)
    assert not running()
