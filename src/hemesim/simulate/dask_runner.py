"""Run chunked batch jobs on Dask distributed (a local cluster or a real scheduler).

A job is a pure function applied to a list of chunk specifications; each chunk carries
everything it needs (including its own seed, derived from the job seed and the chunk's block
indices, never from the worker), so the concatenated result does not depend on which worker ran
which chunk, on the number of workers, or on retries. A worker that dies mid-run loses nothing:
the scheduler reschedules its chunks (``retries`` covers chunks whose task itself failed).

Chunk size: Dask costs about 1.6 ms per task here, so a chunk should hold at least ~0.2 s of
work (overhead < 1 %); :func:`suggest_chunk_size` does that arithmetic.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from hemesim.errors import SimulationError

__all__ = ["TASK_OVERHEAD_S", "suggest_chunk_size", "run_chunks", "dask_client", "check_scheduler"]

TASK_OVERHEAD_S = 1.6e-3
"""Measured Dask per-task overhead on the development machine (s)."""


def suggest_chunk_size(
    n: int,
    seconds_per_item: float,
    *,
    n_workers: int = 2,
    target_overhead: float = 0.01,
    min_chunks_per_worker: int = 4,
    multiple_of: int = 1,
) -> int:
    """Chunk size balancing Dask overhead against load balance and fault tolerance.

    Parameters
    ----------
    n
        Number of items.
    seconds_per_item
        Estimated cost of one item on one worker (s).
    n_workers
        Workers available.
    target_overhead
        Largest acceptable overhead fraction (task overhead / task work).
    min_chunks_per_worker
        Keep at least this many chunks per worker when ``n`` allows (so a lost worker costs
        little and the last chunks balance).
    multiple_of
        Round the chunk size up to a multiple of this (the sampling block size).

    Returns
    -------
    int
        Items per chunk (>= ``multiple_of``).
    """
    if n <= 0:
        raise SimulationError(f"n={n}: expected a positive number of items")
    min_size = math.ceil(TASK_OVERHEAD_S / (target_overhead * max(seconds_per_item, 1e-12)))
    balance = math.ceil(n / (n_workers * min_chunks_per_worker))
    size = max(min_size, 1)
    size = min(max(size, 1), max(balance, min_size))
    size = max(multiple_of, math.ceil(size / multiple_of) * multiple_of)
    return int(size)


def check_scheduler(scheduler: Any) -> None:
    """Raise unless ``scheduler`` is ``None``, ``"local"``, an address ``"proto://host:port"``
    or a ``distributed.Client`` (checked without connecting).

    Raises
    ------
    SimulationError
        Anything else, naming the accepted forms.
    """
    if scheduler is None or scheduler == "local":
        return
    if isinstance(scheduler, str):
        proto, _, rest = scheduler.partition("://")
        if proto and rest:
            return
    elif type(scheduler).__name__ == "Client":
        return
    raise SimulationError(
        f"scheduler {scheduler!r}: expected 'local', an address like 'tcp://host:8786', or "
        "none (run in this process)"
    )


@contextlib.contextmanager
def dask_client(scheduler: Any = None, *, n_workers: int = 2) -> Iterator[Any]:
    """A Dask client: an existing ``Client``, a scheduler address, or a new ``LocalCluster``.

    Parameters
    ----------
    scheduler
        ``None`` (start a ``LocalCluster`` of ``n_workers`` processes, one thread each, closed on
        exit), an address ``"tcp://host:port"``, or a ``distributed.Client`` (used as is).
    n_workers
        Workers of the local cluster.
    """
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    check_scheduler(scheduler)
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise SimulationError(f"cannot reach Dask scheduler {scheduler!r}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def run_chunks(
    fn: Callable[[Any], Any],
    chunks: Sequence[Any],
    *,
    scheduler: Any = None,
    n_workers: int = 2,
    retries: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> list[Any]:
    """Apply ``fn`` to every chunk on Dask and return the results in chunk order.

    Parameters
    ----------
    fn
        A picklable function of one chunk specification.
    chunks
        Chunk specifications (each self-contained, including its seed).
    scheduler
        See :func:`dask_client`.
    n_workers
        Workers of a local cluster.
    retries
        Times a failed chunk task is resubmitted (chunks on a worker that dies are rescheduled
        by the scheduler regardless).
    progress
        Called as ``progress(done, total)`` after each chunk completes.

    Returns
    -------
    list
        ``[fn(c) for c in chunks]``, identical to the serial evaluation.
    """
    from distributed import as_completed

    total = len(chunks)
    results: list[Any] = [None] * total
    with dask_client(scheduler, n_workers=n_workers) as client:
        futures = [
            client.submit(fn, c, retries=retries, pure=False, key=f"hemesim-chunk-{i}-{id(chunks)}")
            for i, c in enumerate(chunks)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        for done, fut in enumerate(as_completed(futures), start=1):
            try:
                results[index[fut.key]] = fut.result()
            except Exception as exc:  # noqa: BLE001 - report one line with the chunk
                raise SimulationError(
                    f"chunk {index[fut.key]} failed after {retries} retries: "
                    f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                ) from None
            if progress is not None:
                progress(done, total)
    return results
