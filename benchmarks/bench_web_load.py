"""Load test of the web server on loopback: latency, throughput and 429 shares by concurrency.

Starts ``hemesim serve`` on a free 127.0.0.1 port in a subprocess, then for each concurrency in
``--levels`` (default 1, 8, 32, 64) runs ``--seconds`` seconds (at most ``--max-requests``) of
clients that each send *heavy* requests back to back (``/api/pathway`` with a new ALAS2 activity
each time: a fresh libRoadRunner simulation on the single model worker), while one prober, in a
process of its own (so the load clients cannot delay it), sends a *cheap* request
(``/api/health``) every 50 ms. Prints per level: heavy requests answered,
throughput (answers/s), p50/p99 latency of the heavy requests, their shares of 200 and 429
(busy: the model queue holds ``max_pending`` = 16), and the cheap endpoint's p50/p99 latency
(goal: p99 < 100 ms while the heavy ones run). Loopback only; bounded in count and time.

Reference (habit of the benchmarks): the cheap endpoint alone, before any load, in the same
server; the cheap p99 under load is printed as a ratio of it.

Run: ``python benchmarks/bench_web_load.py [--seconds 5] [--levels 1 8 32 64]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time

import httpx
import numpy as np


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


async def _probe(client: httpx.AsyncClient, stop: float, out: list[float]) -> None:
    while time.perf_counter() < stop:
        t0 = time.perf_counter()
        await client.get("/api/health")
        out.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(0.05)


PROBER = """
import json, sys, time
import httpx
base, seconds = sys.argv[1], float(sys.argv[2])
out = []
stop = time.perf_counter() + seconds
with httpx.Client(base_url=base, timeout=120) as client:
    while time.perf_counter() < stop:
        t0 = time.perf_counter()
        client.get("/api/health")
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.05)
print(json.dumps(out))
"""


async def _probe_process(base: str, seconds: float) -> list[float]:
    """The cheap prober in its own process, so the load clients' event loop cannot delay it."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PROBER, base, str(seconds), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    return list(json.loads(out))


async def _level(
    base: str, concurrency: int, seconds: float, max_requests: int, counter: list[int]
) -> dict[str, float]:
    heavy_ms: list[float] = []
    statuses: list[int] = []
    cheap_ms: list[float] = []
    stop = time.perf_counter() + seconds
    sent = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal sent
        while time.perf_counter() < stop and sent < max_requests:
            sent += 1
            counter[0] += 1
            alas2 = 0.05 + (counter[0] % 9973) * 0.0001  # a new simulation each time
            t0 = time.perf_counter()
            try:
                r = await client.get("/api/pathway", params={"alas2": f"{alas2:.4f}"})
                statuses.append(r.status_code)
            except httpx.HTTPError:
                statuses.append(0)
            heavy_ms.append((time.perf_counter() - t0) * 1000)
            if statuses[-1] == 429:
                await asyncio.sleep(0.1)  # a polite client backs off

    limits = httpx.Limits(max_connections=concurrency + 2)
    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        probed, *_ = await asyncio.gather(
            _probe_process(base, seconds), *(worker(client) for _ in range(concurrency))
        )
    cheap_ms.extend(probed)
    elapsed = time.perf_counter() - t0
    n = len(statuses)
    ok = [ms for ms, s in zip(heavy_ms, statuses, strict=True) if s == 200]
    return {
        "concurrency": concurrency,
        "requests": n,
        "answers_per_s": n / elapsed,
        "ok_per_s": len(ok) / elapsed,
        "p50_ms": _pct(ok, 50),
        "p99_ms": _pct(ok, 99),
        "share_200": statuses.count(200) / n if n else float("nan"),
        "share_429": statuses.count(429) / n if n else float("nan"),
        "other": n - statuses.count(200) - statuses.count(429),
        "cheap_p50_ms": _pct(cheap_ms, 50),
        "cheap_p99_ms": _pct(cheap_ms, 99),
    }


async def _main(seconds: float, levels: list[int], max_requests: int) -> int:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hemesim.cli.main", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            for _ in range(300):
                try:
                    await client.get("/api/health")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            await client.get("/api/pathway", params={"alas2": 0.5})  # load the model
            ref: list[float] = []
            await _probe(client, time.perf_counter() + 2.0, ref)
        counter = [0]
        rows = [await _level(base, c, seconds, max_requests, counter) for c in levels]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    ref_p99 = _pct(ref, 99)
    print(
        f"hemesim web load: {seconds:g} s per level, heavy = /api/pathway (new simulation), "
        f"cheap = /api/health every 50 ms; loopback, one server process"
    )
    print(f"reference: cheap endpoint alone p50 {_pct(ref, 50):.1f} ms, p99 {ref_p99:.1f} ms")
    print(
        f"{'conc':>5s} {'heavy':>6s} {'ans/s':>7s} {'ok/s':>6s} {'p50 ms':>8s} {'p99 ms':>8s} "
        f"{'200':>6s} {'429':>6s} {'other':>5s} {'cheap p50':>10s} {'cheap p99':>10s} {'x ref':>6s}"
    )
    worst = 0.0
    for r in rows:
        worst = max(worst, r["cheap_p99_ms"])
        print(
            f"{r['concurrency']:>5d} {r['requests']:>6d} {r['answers_per_s']:>7.1f} "
            f"{r['ok_per_s']:>6.1f} {r['p50_ms']:>8.0f} {r['p99_ms']:>8.0f} "
            f"{r['share_200']:>6.1%} {r['share_429']:>6.1%} {r['other']:>5d} "
            f"{r['cheap_p50_ms']:>10.1f} {r['cheap_p99_ms']:>10.1f} "
            f"{r['cheap_p99_ms'] / ref_p99:>6.1f}"
        )
    print(f"cheap endpoint p99 under load, worst level: {worst:.1f} ms (goal < 100 ms)")
    return 0 if all(r["other"] == 0 for r in rows) else 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32, 64])
    ap.add_argument("--max-requests", type=int, default=5000)
    args = ap.parse_args()
    sys.exit(asyncio.run(_main(args.seconds, args.levels, args.max_requests)))


if __name__ == "__main__":
    main()
