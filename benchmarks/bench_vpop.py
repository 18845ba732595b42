"""The calibrated cohort of 10^5 people (virtual population) vs a libRoadRunner loop per person.

Prints, in one run (same process):
  * the first call's warm-up (kernel compile or numba cache load), separately;
  * wall time of ``virtual_cohort`` for 10^5 healthy men, 10^5 healthy women and 10^5 women
    heterozygous for p.Arg452Cys (people drawn from the calibrated virtual population; a cohort
    costs one batched simulation per distinct member and clone);
  * a libRoadRunner loop simulating one maturation per person (two per woman: her clones) with
    the members' parameters, timed on a small subset and extrapolated per person (stated), and
    the ratios; also the libRoadRunner time for only the distinct members the cohort simulates
    (the same sharing, without the batched engine).

Usage: python benchmarks/bench_vpop.py [--n 100000] [--rr-subset 30] [--seed 1]
Goal (issue 14): the calibrated cohort of 10^5 people in seconds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--rr-subset", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import roadrunner

    from hemesim.model import load_definition
    from hemesim.phenotype.cohort import virtual_cohort
    from hemesim.phenotype.vpop import load_calibration

    t0 = time.perf_counter()
    virtual_cohort(None, "male", 8, seed=0)
    print(f"warm-up (engine build, compile or cache load): {time.perf_counter() - t0:.2f} s")

    runs = [(None, "male"), (None, "female"), ("p.Arg452Cys", "female")]
    timed: dict[tuple[str | None, str], tuple[float, int]] = {}
    for variant, sex in runs:
        t0 = time.perf_counter()
        c = virtual_cohort(variant, sex, args.n, seed=args.seed)
        wall = time.perf_counter() - t0
        sims = int(c.meta["simulations"])
        timed[(variant, sex)] = (wall, sims)
        print(
            f"{args.n:,} {sex}, variant {variant or 'none'}: {wall:.2f} s "
            f"({sims:,} batched simulations, spread {c.spread})"
        )

    # libRoadRunner reference: one maturation per clone, the members' parameters
    d = load_definition("erythroid")
    cal = load_calibration("male")
    t_end = float(d.defaults.get("maturation_duration", 72.0))
    r = roadrunner.RoadRunner(d.sbml)
    r.integrator.relative_tolerance = 1e-8
    r.integrator.absolute_tolerance = 1e-12
    k = min(args.rr_subset, cal.size)
    rows = np.random.default_rng(args.seed).integers(0, cal.size, size=k)
    t0 = time.perf_counter()
    for i in rows:
        for name in cal.names:
            r[d.id_of(name)] = float(cal.column(name)[i])
        r.reset()
        r.simulate(0, t_end, 2, selections=["time"])
    per_sim = (time.perf_counter() - t0) / k
    print(f"libRoadRunner: {per_sim * 1e3:.1f} ms per maturation (mean of {k}, extrapolated)")
    for (variant, sex), (wall, sims) in timed.items():
        rr_total = per_sim * args.n * (1 if sex == "male" else 2)
        rr_members = per_sim * sims
        print(
            f"  {sex}, variant {variant or 'none'}: libRoadRunner loop per person "
            f"~{rr_total:,.0f} s ({rr_total / 3600:.1f} h) vs {wall:.2f} s: "
            f"{rr_total / wall:,.0f} x;"
            f" libRoadRunner on the distinct members only ~{rr_members:.1f} s: "
            f"{rr_members / wall:.1f} x"
        )


if __name__ == "__main__":
    main()
