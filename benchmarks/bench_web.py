"""Bounded load test of the web app on loopback: requests/s and latency per endpoint.

Starts ``hemesim serve`` on a free 127.0.0.1 port in a subprocess, warms it up, then drives each
endpoint with ``CONCURRENCY`` concurrent httpx clients for ``SECONDS`` seconds (or ``MAX_REQUESTS``
requests, whichever comes first). Prints requests/s, p50 and p99 latency, and each endpoint's
throughput as a ratio of the trivial ``/api/health`` endpoint in the same server (measured first
and last; the ratio uses their mean). Exits 1 if any
request fails or answers other than 200.

Page drawing times (``--pages``): the same server, driven by headless Chromium (Playwright,
``/usr/bin/chromium``): each page from navigation to "drawn" (its ``data-ready`` mark; for the
variant page ``data-drawn=main``: the interpretation, the readout table and the main phenotype
chart visible), median of ``--repeats`` loads, as a ratio of the home page measured in the same
browser. The variant page is timed for a variant the warm server has drawn before (back, reload,
a shared link), for new ones, for new ones scrolled to the end (every panel, the penetrance
included) and for a new one opened while the previous page's penetrance is still computing.

Usage: ``python benchmarks/bench_web.py [--seconds 5] [--concurrency 8]``,
``python benchmarks/bench_web.py --pages [--repeats 5]`` (pages only)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx
import numpy as np

PED = b"#fid iid pid mid sex phen\nf dad 0 0 1 1\nf mum 0 0 2 0\nf son dad mum 1 2\n"


@dataclass
class Stats:
    name: str
    n: int
    errors: int
    seconds: float
    latencies_ms: np.ndarray

    @property
    def rps(self) -> float:
        return self.n / self.seconds

    def p(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.n else float("nan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _drive(
    base: str, name: str, make_request, seconds: float, concurrency: int, max_requests: int
) -> Stats:
    latencies: list[float] = []
    errors = 0
    count = 0
    stop = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient, wid: int) -> None:
        nonlocal errors, count
        i = 0
        while time.perf_counter() < stop and count < max_requests:
            count += 1
            t0 = time.perf_counter()
            try:
                r = await make_request(client, wid * 1_000_000 + i)
                if r.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - t0) * 1000)
            i += 1

    t0 = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        await asyncio.gather(*(worker(client, w) for w in range(concurrency)))
    elapsed = time.perf_counter() - t0
    return Stats(name, len(latencies), errors, elapsed, np.array(latencies))


SCENARIOS = {
    "health (reference)": lambda c, i: c.get("/api/health"),
    "page /pathway": lambda c, i: c.get("/pathway"),
    "variant c.1706_1709del": lambda c, i: c.get("/api/variant", params={"hgvs": "c.1706_1709del"}),
    "validate as you type": lambda c, i: c.get(
        "/api/variant/validate", params={"hgvs": "p.Arg452Cys"}
    ),
    "pathway (cached)": lambda c, i: c.get("/api/pathway", params={"alas2": 0.5}),
    "pathway (new simulation)": lambda c, i: c.get(
        "/api/pathway", params={"alas2": f"{0.05 + (i % 997) * 0.003:.4f}", "plp": 0.9}
    ),
    "risk (3-member PED)": lambda c, i: c.post(
        "/api/risk", files={"file": ("f.ped", PED)}, data={"fitness_male": "0"}
    ),
}


VARIANT_DRAWN = "body[data-drawn=main] #xi-chart .main-svg"
"""The variant page is drawn: interpretation, readout table and the main chart (the phenotype
across X-inactivation) on screen; the treatment comparison and the penetrance further down are
computed when they scroll near the screen."""

PAGES = {
    # page -> (path, the mark that says it is drawn)
    "home (reference)": ("/", "body[data-page=home]"),
    "pathway": ("/pathway", "body[data-ready=pathway]"),
    "family (example)": ("/family", "body[data-page=family]"),
    "cohort": ("/cohort", "body[data-page=cohort]"),
    "API docs": ("/api/docs", "body[data-ready=api]"),
    "variant, drawn before": ("/variant?hgvs=p.Arg452Cys", VARIANT_DRAWN),
}
NEW_VARIANTS = (
    "p.Lys299Gln", "p.Arg170Cys", "p.Arg411Cys", "p.Arg452His", "p.Arg204Gln",
    "p.Thr388Ser", "p.Asp190Val", "p.Gly291Ser", "p.Ile476Asn", "p.Arg452Ser",
    "p.Arg218His", "p.Tyr365Cys", "p.Arg448Gln", "p.Val301Met", "p.Gly416Asp",
    "p.Arg170His", "p.Arg204Ter", "p.Met426Val", "p.Gln548Ter",
)  # fmt: skip
"""Variants the benchmark's server has not drawn (first visit); one per load."""


def _time_pages(base: str, repeats: int, drawn_mark: str = VARIANT_DRAWN) -> int:
    """Median drawing time of each page in headless Chromium; print ms and ratio to home.

    Times are wall-clock from ``page.goto`` to the page's drawn mark (the home page, measured
    the same way in the same browser, is the reference). For the variant page the in-page time
    (navigation start to the ``hemesim:variant-drawn`` performance mark) is printed beside it,
    and when the main chart's data (``/api/phenotype/xi``) had arrived: the rest is the browser.
    Rows:

    * *variant, first visit*: a variant the server has not drawn, loaded right after the
      previous one was drawn (back to back, as a user clicking through variants);
    * *variant, every panel*: a new variant, then scrolled to the end until the treatment
      comparison and the penetrance (2000 simulated women) are drawn;
    * *variant, after a busy page*: a new variant opened while the previous page's penetrance
      is still being computed on the server's one model worker (the worst case).

    ``drawn_mark`` replaces the variant page's drawn mark, to time an older build by the same
    definition (``body[data-ready=variant] #xi-chart .main-svg``: the interpretation and the
    main chart); the last two rows are then left out.
    """
    pages = dict(PAGES)
    pages["variant, drawn before"] = (PAGES["variant, drawn before"][0], drawn_mark)
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update"]  # fmt: skip
    fresh = iter(NEW_VARIANTS)
    in_page: dict[str, list[float]] = {}  # navigation start -> drawn mark, in the page
    answers: dict[str, list[float]] = {}  # navigation start -> the main chart's data received
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        context = browser.new_context(viewport={"width": 1300, "height": 900}, base_url=base)
        page = context.new_page()

        def drawn(path: str, mark: str, name: str = "") -> float:
            """Milliseconds to ``mark``; NaN when the page never draws (e.g. an old build)."""
            t0 = time.perf_counter()
            page.goto(path)
            try:
                page.wait_for_selector(mark, state="visible", timeout=60_000)
            except Exception:  # playwright's TimeoutError
                return float("nan")
            ms = (time.perf_counter() - t0) * 1000
            if mark == VARIANT_DRAWN and name:
                at, answer = page.evaluate(
                    "[(performance.getEntriesByName('hemesim:variant-drawn')[0] || {}).startTime,"
                    " (performance.getEntriesByType('resource')"
                    "   .find((e) => e.name.includes('/api/phenotype/xi')) || {}).responseEnd]"
                )
                in_page.setdefault(name, []).append(float(at) if at is not None else np.nan)
                answers.setdefault(name, []).append(float(answer) if answer else np.nan)
            return ms

        def every_panel() -> float:
            """A new variant drawn, then scrolled to the end: ms until every panel is drawn."""
            t0 = time.perf_counter()
            page.goto(f"/variant?hgvs={next(fresh)}")
            page.wait_for_selector(drawn_mark, state="visible", timeout=60_000)
            page.locator("#treatment-chart").scroll_into_view_if_needed()
            page.wait_for_selector("body[data-charts=ready]", state="attached", timeout=60_000)
            return (time.perf_counter() - t0) * 1000

        def after_busy() -> float:
            """A new variant while the previous page's penetrance still runs on the server."""
            page.goto(f"/variant?hgvs={next(fresh)}")
            page.wait_for_selector(drawn_mark, state="visible", timeout=60_000)
            with page.expect_request(lambda r: "/api/phenotype/penetrance" in r.url):
                page.locator("#penetrance-chart").scroll_into_view_if_needed()
            time.sleep(0.2)  # the server has started it
            nxt = f"/variant?hgvs={next(fresh)}"
            return drawn(nxt, drawn_mark, "variant, after a busy page")

        for path, mark in pages.values():  # warm-up: the model, caches, the browser's cache
            drawn(path, mark)
        times = {name: [drawn(*pages[name], name) for _ in range(repeats)] for name in pages}
        n_new = max(1, min(repeats, 5))
        times["variant, first visit"] = [
            drawn(f"/variant?hgvs={next(fresh)}", drawn_mark, "variant, first visit")
            for _ in range(n_new)
        ]
        n_slow = min(n_new, 3) if drawn_mark == VARIANT_DRAWN else 0  # 2000 women each
        if n_slow:
            times["variant, every panel"] = [every_panel() for _ in range(n_slow)]
            times["variant, after a busy page"] = [after_busy() for _ in range(n_slow)]
        page.goto("/")  # lets the last request go
        browser.close()
    ref = float(np.median(times["home (reference)"]))
    print(f"hemesim page drawing times: headless Chromium, median of {repeats} loads (new "
          f"variants: {n_new}, {n_slow} in the last two rows), warm server")  # fmt: skip
    print(f"{'page':28s} {'median ms':>10s} {'max ms':>9s} {'vs home':>9s} {'in page ms':>11s} "
          f"{'data at ms':>11s}")  # fmt: skip
    for name, values in times.items():
        med = float(np.median(values))
        inner = (
            f"{np.nanmedian(in_page[name]):11.0f} {np.nanmedian(answers[name]):11.0f}"
            if name in in_page
            else ""
        )
        print(f"{name:28s} {med:10.0f} {max(values):9.0f} {med / ref:9.2f} {inner}")
        if any(np.isnan(values)):
            print(f"{'':28s} (not drawn in {sum(np.isnan(values))} of {len(values)} loads)")
    return 0


def _start_server(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hemesim.cli.main", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for _ in range(300):
            try:
                await client.get("/api/health")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.2)


def _pages_main(repeats: int, drawn_mark: str = VARIANT_DRAWN) -> int:
    port = _free_port()
    proc = _start_server(port)
    try:
        asyncio.run(_wait_ready(f"http://127.0.0.1:{port}"))
        return _time_pages(f"http://127.0.0.1:{port}", repeats, drawn_mark)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def _main(seconds: float, concurrency: int, max_requests: int) -> int:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(port)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            for _ in range(300):
                try:
                    await client.get("/api/health")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            # warm-up: load the model, the variant tables and the cache entry
            await client.get("/api/pathway", params={"alas2": 0.5})
            await client.get("/api/variant", params={"hgvs": "c.1706_1709del"})
        # one unmeasured second of the reference warms the connection pool and the server
        await _drive(base, "warm-up", SCENARIOS["health (reference)"], 1.0, concurrency, 10**6)
        results = []
        for name, make in SCENARIOS.items():
            results.append(await _drive(base, name, make, seconds, concurrency, max_requests))
        # the reference again at the end: the machine's load drifts during a run
        again = await _drive(
            base, "health (again)", SCENARIOS["health (reference)"], seconds, concurrency,
            max_requests,
        )  # fmt: skip
        results.append(again)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    ref = (results[0].rps + results[-1].rps) / 2  # mean of the reference before and after
    print(f"hemesim web load test: {seconds:g} s per endpoint, {concurrency} concurrent clients, "
          f"loopback, one server process")  # fmt: skip
    print(f"{'endpoint':28s} {'requests':>9s} {'req/s':>9s} {'p50 ms':>9s} {'p99 ms':>9s} "
          f"{'errors':>7s} {'vs health':>10s}")  # fmt: skip
    failed = 0
    for s in results:
        print(f"{s.name:28s} {s.n:9d} {s.rps:9.1f} {s.p(50):9.1f} {s.p(99):9.1f} {s.errors:7d} "
              f"{s.rps / ref:10.3f}")  # fmt: skip
        failed += s.errors
    if failed:
        print(f"FAILED: {failed} request(s) did not answer 200")
        return 1
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration per endpoint (s)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per endpoint")
    parser.add_argument("--pages", action="store_true", help="time page drawing in Chromium")
    parser.add_argument("--repeats", type=int, default=5, help="loads per page (--pages)")
    parser.add_argument(
        "--drawn-mark",
        default=VARIANT_DRAWN,
        help="CSS selector of a drawn variant page (--pages; to time an older build)",
    )
    args = parser.parse_args()
    if args.pages:
        sys.exit(_pages_main(args.repeats, args.drawn_mark))
    sys.exit(asyncio.run(_main(args.seconds, args.concurrency, args.max_requests)))
