"""Dask: a LocalCluster of 2 worker processes, one killed mid-run; nothing lost, same result."""

from __future__ import annotations

import contextlib
import os
import time

import numpy as np
import pytest

from hemesim.simulate.cohort import BLOCK_SIZE, run_cohort
from hemesim.simulate.dask_runner import suggest_chunk_size

SMALL = """
model small()
  compartment cell = 1;
  species S in cell, P in cell;
  S = 0; P = 0;
  ksyn = 2; kconv = 0.5; kdeg = 0.1;
  R0: -> S; cell * ksyn;
  R1: S -> P; cell * kconv * S;
  R2: P -> ; cell * kdeg * P;
end
"""


def slow_sampler(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
    """Draws kconv; sleeps so that chunks are still running when a worker is killed."""
    time.sleep(0.4)
    return {"kconv": 0.5 * rng.lognormal(0.0, 0.2, m)}


@pytest.fixture(scope="module")
def sbml() -> str:
    import antimony

    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(SMALL) >= 0
    return str(antimony.getSBMLString("small"))


def test_chunk_size_respects_overhead() -> None:
    # 1.6 ms overhead at <= 1 %: at 10 us per set a chunk needs >= 16000 sets
    assert suggest_chunk_size(10**6, 1e-5) >= 16000
    assert suggest_chunk_size(10**6, 1e-5, multiple_of=512) % 512 == 0
    assert suggest_chunk_size(100, 1.0) >= 1


def test_killed_worker_loses_no_chunk(sbml: str) -> None:
    from distributed import Client, LocalCluster

    n = 8 * BLOCK_SIZE
    kw = dict(seed=5, sbml=sbml, readouts=["S", "P"], t_end=4.0, chunk_size=BLOCK_SIZE)
    serial = run_cohort(slow_sampler, n, **kw)

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    killed: list[str] = []

    def progress(done: int, total: int) -> None:
        if not killed:
            addr = sorted(client.scheduler_info()["workers"])[0]
            killed.append(addr)
            # the worker dies before it can answer
            with contextlib.suppress(Exception):
                client.run(os._exit, 1, workers=[addr])

    try:
        dist = run_cohort(slow_sampler, n, scheduler=client, progress=progress, **kw)
    finally:
        client.close()
        cluster.close()
    assert killed, "no worker was killed"
    assert dist.n == n and dist.ok.all()
    np.testing.assert_array_equal(dist.values, serial.values)
    np.testing.assert_array_equal(dist.parameters["kconv"], serial.parameters["kconv"])


@pytest.mark.parametrize("ok", [None, "local", "tcp://10.0.0.1:8786", "inproc://x"])
def test_scheduler_forms_accepted_without_connecting(ok: object) -> None:
    from hemesim.simulate.dask_runner import check_scheduler

    check_scheduler(ok)


@pytest.mark.parametrize("bad", ["foo", "tcp://", "://host", 8786, ["tcp://a:1"]])
def test_scheduler_malformed_is_named(bad: object) -> None:
    from hemesim.errors import SimulationError
    from hemesim.simulate.dask_runner import check_scheduler

    with pytest.raises(SimulationError, match=r"expected 'local', an address like"):
        check_scheduler(bad)
