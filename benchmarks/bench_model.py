"""Benchmark the erythroid model on libRoadRunner, with references run in the same process.

Prints (not asserts): model load (Antimony -> SBML -> compiled), one maturation time course,
one end point, one quasi-steady state, 1,000 parameter variants in a loop, and the ratio against
COPASI (basico) and against scipy ``solve_ivp`` (BDF) on a right-hand side generated from the
same SBML (``hemesim.simulate.sbml_codegen``). Goal: one time course < 5 ms.

Run: ``python benchmarks/bench_model.py [--variants 1000]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def _timeit(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``fn`` in seconds over ``repeat`` calls (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _scipy_reference(sbml: str, rr: Any, until: float) -> Callable[[], Any] | None:
    try:
        from scipy.integrate import solve_ivp

        from hemesim.simulate.sbml_codegen import numpy_rhs, parse_sbml
    except ImportError:
        return None
    ir = parse_sbml(sbml)
    rhs = numpy_rhs(ir)
    p = ir.param_defaults.reshape(-1, 1).astype(float)
    rr.reset()
    y0 = np.array([float(rr.getValue(s)) for s in ir.state_ids])

    def run() -> Any:
        return solve_ivp(
            lambda t, y: rhs(t, y.reshape(-1, 1), p)[:, 0],
            (0.0, until),
            y0,
            method="BDF",
            rtol=1e-8,
            atol=1e-12,
            t_eval=np.linspace(0.0, until, 200),
        )

    return run


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    import roadrunner

    from hemesim.model.definition import _load, load_definition
    from hemesim.simulate import load_model

    rows: list[tuple[str, float, str]] = []

    # Antimony -> SBML without the on-disk cache (a fresh cache folder), then with it
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.environ.get("HEMESIM_CACHE_DIR")
        os.environ["HEMESIM_CACHE_DIR"] = tmp
        _load.cache_clear()
        t0 = time.perf_counter()
        sbml = load_definition("erythroid").sbml
        t_sbml = time.perf_counter() - t0
        _load.cache_clear()
        t0 = time.perf_counter()
        load_definition("erythroid").sbml  # noqa: B018
        t_cached = time.perf_counter() - t0
        if saved is None:
            del os.environ["HEMESIM_CACHE_DIR"]
        else:
            os.environ["HEMESIM_CACHE_DIR"] = saved
    _load.cache_clear()
    d = load_definition("erythroid")
    t0 = time.perf_counter()
    roadrunner.RoadRunner(sbml)
    t_compile = time.perf_counter() - t0
    rows.append(("Antimony -> SBML (once per process)", t_sbml * 1e3, "ms"))
    rows.append(("  same, from the on-disk SBML cache", t_cached * 1e3, "ms"))
    rows.append(("libRoadRunner compile (once per process)", t_compile * 1e3, "ms"))

    m = load_model("erythroid")
    until = m.maturation_h
    t_tc = _timeit(lambda: m.simulate(points=200), args.repeat)
    t_ep = _timeit(m.endpoint, args.repeat)
    t_ss = _timeit(m.steady_state, max(3, args.repeat // 5))
    rows.append(("one maturation time course, 200 points", t_tc * 1e3, "ms"))
    rows.append(("one end point (readouts only)", t_ep * 1e3, "ms"))
    rows.append(("one quasi-steady state", t_ss * 1e3, "ms"))

    rng = np.random.default_rng(20261125)
    kcat = d.defaults["ALAS2_kcat"]
    supply = d.defaults["iron_supply"]
    factors = np.exp(rng.uniform(np.log(0.1), np.log(3.0), size=(args.variants, 2)))
    t0 = time.perf_counter()
    mch = [
        m.endpoint({"ALAS2.kcat": kcat * a, "iron.supply": supply * b})["mch_pg"]
        for a, b in factors
    ]
    t_loop = time.perf_counter() - t0
    rows.append((f"{args.variants} parameter variants (end points)", t_loop, "s"))
    rows.append(("  per variant", t_loop / args.variants * 1e3, "ms"))

    ratios: list[tuple[str, float]] = []
    try:
        import basico

        dm = basico.load_model_from_string(sbml)
        t_cop = _timeit(
            lambda: basico.run_time_course(
                duration=until, intervals=199, use_sbml_id=True, model=dm
            ),
            max(3, args.repeat // 5),
        )
        rows.append(("COPASI (basico) time course, 200 points", t_cop * 1e3, "ms"))
        ratios.append(("COPASI / libRoadRunner time course", t_cop / t_tc))
    except ImportError:
        rows.append(("COPASI (basico)", float("nan"), "not installed"))

    ref = _scipy_reference(sbml, roadrunner.RoadRunner(sbml), until)
    if ref is not None:
        t_scipy = _timeit(ref, 3)
        rows.append(("scipy solve_ivp BDF on generated numpy RHS", t_scipy * 1e3, "ms"))
        ratios.append(("scipy / libRoadRunner time course", t_scipy / t_tc))

    width = max(len(r[0]) for r in rows) + 2
    print(f"hemesim erythroid model benchmark ({len(d.parameters)} parameters)")
    for name, value, unit in rows:
        print(f"  {name:<{width}} {value:10.3f} {unit}")
    for name, ratio in ratios:
        print(f"  {name:<{width}} {ratio:10.1f} x")
    goal = "met" if t_tc < 5e-3 else "NOT met"
    print(f"  goal one time course < 5 ms: {goal}")
    print(f"  (MCH over the variants: {min(mch):.1f}-{max(mch):.1f} pg)")


if __name__ == "__main__":
    main()
