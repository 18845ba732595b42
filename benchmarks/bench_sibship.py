"""Benchmark one couple with a large sibship (issue 16: 5000 children grew faster than n^2).

Prints the wall-clock time (s) of :func:`hemesim.risk` for a father, a mother and ``n`` children
(sons with alternating phenotypes, daughters unknown), and each time divided by the time at the
smallest ``n`` (the reference run of this process): near-linear scaling keeps the ratio close to
``n / n_smallest``.

Run: ``python benchmarks/bench_sibship.py [--sizes 500 1000 2000 5000]``.
"""

from __future__ import annotations

import argparse
import time

from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.genetics.risk import risk


def sibship(n: int) -> Pedigree:
    """Father (unaffected), mother, and ``n`` children."""
    people = [Individual("dad", "male", affected=False), Individual("mum", "female")]
    for i in range(n):
        son = i % 2 == 1
        people.append(
            Individual(
                f"c{i}",
                "male" if son else "female",
                father="dad",
                mother="mum",
                affected=(i % 14 == 1) if son else None,
            )
        )
    return Pedigree(people)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 5000])
    args = ap.parse_args()
    base: tuple[int, float] | None = None
    for n in args.sizes:
        ped = sibship(n)
        t0 = time.perf_counter()
        result = risk(ped, disease="xlsa")
        dt = time.perf_counter() - t0
        if base is None:
            base = (n, dt)
        print(
            f"n = {n:>6,}: {dt:6.2f} s  ({dt / base[1]:5.1f}x the n = {base[0]:,} run; "
            f"size ratio {n / base[0]:.1f}); log-likelihood {result.log_likelihood:.3f}"
        )


if __name__ == "__main__":
    main()
