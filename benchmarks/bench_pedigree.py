"""Benchmark the exact X-linked pedigree engine (habit: print ratios against a reference run in
the same process).

Prints wall-clock times (s) of :func:`hemesim.risk` on random pedigrees:

* loop-free pedigrees of 1,000 and 10,000 members (goals: < 1 s and < 10 s);
* a 200-member pedigree with loops (consanguineous matings);
* on a 12-member pedigree with loops, the peeling engine against plain enumeration
  (:mod:`hemesim.genetics.bruteforce`), with their speed ratio and largest disagreement.

Run: ``python benchmarks/bench_pedigree.py [--seed 1]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.genetics.risk import risk


def random_pedigree(n: int, *, loops: bool, seed: int) -> Pedigree:
    """Random valid pedigree with ``n`` members and random observations.

    Loop-free: each child is born to an existing couple or to an existing member and a new founder
    partner (the marriage graph stays a tree). With loops: one birth in five is to a man and a
    woman chosen among the most recent 30 members, which creates consanguineous loops.
    """
    rng = np.random.default_rng(seed)
    people: list[Individual] = []
    couples: list[tuple[str, str]] = []

    def add(sex: str, father: str | None = None, mother: str | None = None) -> str:
        iid = f"i{len(people)}"
        aff = rng.choice([None, None, False, False, True], p=[0.3, 0.2, 0.2, 0.2, 0.1])
        test = {}
        if rng.random() < 0.05:
            test = {"carrier_test": str(rng.choice(["positive", "negative"])),
                    "sensitivity": 0.95, "specificity": 0.99}  # fmt: skip
        people.append(Individual(iid, sex, father, mother, affected=aff, **test))  # type: ignore[arg-type]
        return iid

    couples.append((add("male"), add("female")))
    while len(people) < n:
        sex = "male" if rng.random() < 0.5 else "female"
        if loops and rng.random() < 0.2 and len(people) > 10:
            recent = people[-30:]
            men = [p.id for p in recent if p.sex == "male"]
            women = [p.id for p in recent if p.sex == "female"]
            if men and women:
                couple = (str(rng.choice(men)), str(rng.choice(women)))
                couples.append(couple)
                add(sex, *couple)
                continue
        if rng.random() < 0.55 or len(people) + 2 > n:
            couple = couples[int(rng.integers(max(0, len(couples) - 50), len(couples)))]
        else:
            member = people[int(rng.integers(max(0, len(people) - 200), len(people)))]
            if member.sex == "male":
                couple = (member.id, add("female"))
            else:
                couple = (add("male"), member.id)
            couples.append(couple)
        add(sex, *couple)
    return Pedigree(people)


def timed(ped: Pedigree, **kw: object) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = risk(ped, **kw)  # type: ignore[arg-type]
    return time.perf_counter() - t0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    kw = {"mu_female": 1e-5, "mu_male": 1e-5}

    timed(random_pedigree(50, loops=False, seed=args.seed), **kw)  # warm-up (imports)
    print(f"{'pedigree':<32}{'members':>8}{'max clique':>12}{'time (s)':>11}{'goal (s)':>10}")
    for n, loops, goal in ((1_000, False, 1.0), (10_000, False, 10.0), (200, True, None)):
        ped = random_pedigree(n, loops=loops, seed=args.seed)
        t, res = timed(ped, **kw)
        label = "loop-free" if not loops else "with loops (consanguinity)"
        goal_s = f"{goal:.0f}" if goal else "-"
        print(f"{label:<32}{n:>8}{res.max_clique:>12}{t:>11.3f}{goal_s:>10}")  # type: ignore[attr-defined]

    small = random_pedigree(12, loops=True, seed=args.seed)
    reps = 5
    t_peel = min(timed(small, **kw)[0] for _ in range(reps))
    t_brute = min(timed(small, engine="bruteforce", **kw)[0] for _ in range(reps))
    peel = risk(small, **kw)  # type: ignore[arg-type]
    brute = risk(small, engine="bruteforce", **kw)  # type: ignore[arg-type]
    diff = max(
        abs(a.genotype_posterior[g] - b.genotype_posterior[g])
        for a, b in zip(peel.members, brute.members, strict=True)
        for g in a.genotype_posterior
    )
    print(
        f"12-member pedigree with loops: peeling {t_peel * 1e3:.2f} ms, brute force "
        f"{t_brute * 1e3:.2f} ms, brute/peeling = {t_brute / t_peel:.1f}x; "
        f"max |posterior difference| = {diff:.1e}, "
        f"|delta log L| = {abs(peel.log_likelihood - brute.log_likelihood):.1e}"
    )


if __name__ == "__main__":
    main()
