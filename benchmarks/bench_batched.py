"""Batched engine vs a libRoadRunner loop on the same parameter sets (erythroid model).

Prints, in one run:
  * kernel generation + compile (or numba cache load) time, separately;
  * right-hand-side throughput of the two generated dialects (numba per-set loop vs numpy arrays);
  * N maturation time courses (72 h): batched Radau IIA wall time vs a libRoadRunner loop
    (setValue, reset, simulate) and vs the batched RODAS kernel, both measured on a subset and
    extrapolated (stated), and the ratios;
  * N steady states of the session's quasi-steady-state model (accumulators fixed), log-space
    Newton from the sensitivity prediction, vs rr.steadyState() on a few sets (extrapolated);
  * the largest relative difference of every readout against libRoadRunner at tight tolerances.

Usage: python benchmarks/bench_batched.py [--n-timecourses 100000] [--n-steady 1000000]
       [--n 1000]  (sets both) [--rr-subset 100]
Goals on 2 cores (issue 6): 1e6 steady states <= 2 s, 1e5 time courses <= 10 s.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

PARAMS = ["ALAS2.kcat", "ALAS2.Kd_PLP", "FECH.E", "iron.supply", "globin.ksyn", "HO.k", "PLP"]


def _draw(d, n: int, seed: int) -> dict[str, np.ndarray]:
    """Log-normal draws (sd 0.3) of the PARAMS that have no initial assignment (libRoadRunner
    recomputes those on reset(), the batched engine keeps an override)."""
    from hemesim.sbml_libs import libsbml

    m = libsbml.readSBMLFromString(d.sbml).getModel()
    ia = {x.getSymbol() for x in m.getListOfInitialAssignments()}
    ids = [d.id_of(p) for p in PARAMS if d.id_of(p) not in ia and m.getRule(d.id_of(p)) is None]
    rng = np.random.default_rng(seed)
    return {p: d.defaults[p] * np.exp(rng.normal(0, 0.3, n)) for p in ids}


def _rr(sbml: str, rtol: float, atol: float):
    import roadrunner

    r = roadrunner.RoadRunner(sbml)
    r.integrator.relative_tolerance = rtol
    r.integrator.absolute_tolerance = atol
    r.integrator.maximum_num_steps = 500000
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None, help="sets for both benchmarks")
    ap.add_argument("--n-timecourses", type=int, default=100_000)
    ap.add_argument("--n-steady", type=int, default=1_000_000)
    ap.add_argument("--rr-subset", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    n_tc = args.n or args.n_timecourses
    n_ss = args.n or args.n_steady

    import numba

    from hemesim.model import load_definition
    from hemesim.simulate.batched import MODEL_RTOL, BatchedEngine
    from hemesim.simulate.roadrunner_engine import _steady_state_sbml
    from hemesim.simulate.sbml_codegen import numpy_rhs

    print(f"numba threads: {numba.get_num_threads()}")
    d = load_definition("erythroid")
    readouts = list(d.readout_names)
    t0 = time.perf_counter()
    eng = BatchedEngine(d, rtol=MODEL_RTOL)
    gen_s = time.perf_counter() - t0
    comp_s = eng.warmup()
    print(f"kernel generation + import: {gen_s:.2f} s; compile or cache load: {comp_s:.2f} s")

    # --- RHS dialects -----------------------------------------------------------------------
    ir = eng._compiled.ir
    m = 100_000
    mat, _ = eng.parameter_matrix(None, n=m)
    y = np.random.default_rng(0).uniform(0.0, 5.0, size=(m, ir.n_state))
    dy = np.empty_like(y)
    eng._compiled.module.batch_rhs(0.0, y, mat, dy)
    t0 = time.perf_counter()
    for _ in range(5):
        eng._compiled.module.batch_rhs(0.0, y, mat, dy)
    t_nb = (time.perf_counter() - t0) / 5
    rhs = numpy_rhs(ir)
    yt, pt = np.ascontiguousarray(y.T), np.ascontiguousarray(mat.T)
    t0 = time.perf_counter()
    for _ in range(5):
        rhs(0.0, yt, pt)
    t_np = (time.perf_counter() - t0) / 5
    print(
        f"RHS on {m} sets: numba {t_nb * 1e9 / m:.0f} ns/set, numpy {t_np * 1e9 / m:.0f} ns/set "
        f"(numpy/numba = {t_np / t_nb:.1f})"
    )

    # --- time courses -----------------------------------------------------------------------
    t_end = float(d.defaults.get("maturation_duration", 72.0))
    over = _draw(d, n_tc, args.seed)
    t0 = time.perf_counter()
    res = eng.simulate(over, times=[t_end])
    t_batch = time.perf_counter() - t0
    ok = res.status == 0
    k = min(args.rr_subset, n_tc)
    r = _rr(d.sbml, 1e-8, 1e-12)  # the session's tolerances
    t0 = time.perf_counter()
    for i in range(k):
        for name, v in over.items():
            r[name] = float(v[i])
        r.reset()
        r.simulate(0, t_end, 2, selections=["time"])
    t_rr = (time.perf_counter() - t0) / k * n_tc
    rt = _rr(d.sbml, 1e-12, 1e-16)
    err = 0.0
    for i in range(min(k, 20)):
        for name, v in over.items():
            rt[name] = float(v[i])
        rt.reset()
        rt.simulate(0, t_end, 2, selections=["time"])
        ref = np.array([rt.getValue(x) for x in readouts])
        err = max(err, float(np.max(np.abs(res.values[i, 0] - ref) / np.abs(ref))))
    m_ro = min(n_tc, 1000)
    rodas = BatchedEngine(d, method="rodas")
    rodas.warmup()
    t0 = time.perf_counter()
    rodas.simulate({k: v[:m_ro] for k, v in over.items()}, times=[t_end])
    t_ro = (time.perf_counter() - t0) / m_ro * n_tc
    print(
        f"batched RODAS (rtol {rodas.rtol:g}) on {m_ro} sets, extrapolated: {t_ro:.1f} s; "
        f"Radau (rtol {eng.rtol:g}) is {t_ro / t_batch:.1f}x faster"
    )
    print(
        f"{n_tc} time courses to {t_end:g} h: batched {t_batch:.2f} s ({ok.mean():.1%} ok); "
        f"libRoadRunner loop {t_rr:.1f} s (measured on {k} sets, extrapolated); "
        f"ratio {t_rr / t_batch:.1f}x; max rel. readout difference vs rr(rtol 1e-12) on "
        f"{min(k, 20)} sets: {err:.1e}; goal 1e5 in <= 10 s"
    )

    # --- steady states ----------------------------------------------------------------------
    sbml_ss = _steady_state_sbml(d.sbml)
    ess = BatchedEngine(sbml_ss, readouts=readouts, rtol=MODEL_RTOL)
    ess.warmup()
    fixed = {"Hb": 5.0, "ZnPP": 0.5, "Fe_dep": 10.0, "Fe_fer": 3.0}
    over = _draw(d, n_ss, args.seed + 1)
    for name, v in fixed.items():
        over[name] = np.full(n_ss, v)
    ess.nominal_steady_state()
    t0 = time.perf_counter()
    ss = ess.steady_state(over)
    t_batch = time.perf_counter() - t0
    k = min(5, n_ss)
    r = _rr(sbml_ss, 1e-8, 1e-12)
    err = 0.0
    t_loop = 0.0
    for i in range(k):
        for name in fixed:  # init() first: it restores global parameters set before it
            r.setValue(f"init([{name}])", float(over[name][i]))
            r.setValue(f"[{name}]", float(over[name][i]))
        for name, v in over.items():
            if name not in fixed:
                r[name] = float(v[i])
        r.reset()
        r.simulate(0, 500, 2)  # presimulation (see tests): not timed
        t0 = time.perf_counter()
        r.steadyState()
        t_loop += time.perf_counter() - t0
        ref = np.array([r.getValue(x) for x in readouts])
        err = max(err, float(np.max(np.abs(ss.values[i] - ref) / np.abs(ref))))
    t_rr = t_loop / k * n_ss
    print(
        f"{n_ss} steady states: batched {t_batch:.2f} s (kernel {ss.elapsed_s:.2f} s, the rest "
        f"building the override table; {ss.converged.mean():.1%} converged); "
        f"rr.steadyState() {t_loop / k * 1e3:.0f} ms/call -> {t_rr:.0f} s extrapolated from {k}; "
        f"ratio {t_rr / t_batch:.0f}x; max rel. readout difference on {k} sets: {err:.1e}; "
        "goal 1e6 in <= 2 s"
    )


if __name__ == "__main__":
    main()
