"""Benchmark: hemesim's counts-based X-linked Wright-Fisher simulator vs simuPOP (or a reference).

Runs one scenario (X-linked genetic lethal, recessive in women, equal mutation rates, starting
from an all-wild-type population) in

* hemesim (``simulate_population``, counts-based, one population per call), and
* simuPOP, if importable (``pip install simupop``: an optional extra, slow to build), with an
  X chromosome, ``MapSelector`` fitness, ``RandomMating`` with alternating offspring sexes
  (exactly N/2 males) and ``SNPMutator`` applied to offspring (mutation in the transmitted
  gamete); otherwise the plain per-individual numpy Wright-Fisher reference from
  ``tests/genetics/population_testing.py``.

It prints the time per simulated population and the ratio (goal: hemesim >= 10x faster), and
compares the distribution of the male and female allele frequencies at generation T over
independent replicates with two-sample Kolmogorov-Smirnov and chi-square homogeneity tests.

Usage::

    python benchmarks/bench_population.py [--size 10000] [--generations 100] [--replicates 200]
        [--simupop-site /tmp/simupop-venv/lib/python3.11/site-packages]

``--simupop-site`` lets simuPOP live in its own venv (it needs the same Python and numpy ABI).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "genetics"))

from hemesim.genetics.population import run_wright_fisher, simulate_population  # noqa: E402
from hemesim.genetics.population_model import PopulationModel  # noqa: E402

Sample = tuple[float, float]  # (male allele frequency, female allele frequency) at generation T


def hemesim_run(model: PopulationModel, generations: int, seed: int) -> Sample:
    res = simulate_population(
        model.size,
        generations,
        model.mu_female,
        model.mu_male,
        model.fitness_male,
        model.fitness_female_het,
        model.penetrance_female,
        fitness_female_hom=model.fitness_female_hom,
        seed=seed,
        initial_frequency=0.0,
    )
    tr = res.trajectory
    return float(tr.allele_frequency_male[0, -1]), float(tr.allele_frequency_female[0, -1])


def reference_run(model: PopulationModel, generations: int, seed: int) -> Sample:
    from population_testing import run_individual_wright_fisher

    zero = {
        "males_affected": 0,
        "females_heterozygous": 0,
        "females_heterozygous_affected": 0,
        "females_homozygous": 0,
    }
    out = run_individual_wright_fisher(model, generations, zero, np.random.default_rng(seed))
    male = out["males_affected"][-1] / model.n_males
    female = (out["females_heterozygous"][-1] + 2 * out["females_homozygous"][-1]) / (
        2 * model.n_females
    )
    return float(male), float(female)


def simupop_run_factory() -> Callable[[PopulationModel, int, int], Sample] | None:
    """A simuPOP runner for the scenario, or None if simuPOP cannot be imported."""
    try:
        import simuOpt

        simuOpt.setOptions(quiet=True, optimized=True, alleleType="binary")
        import simuPOP as sim
    except Exception:  # ImportError, or a broken build
        return None

    def run(model: PopulationModel, generations: int, seed: int) -> Sample:
        if model.mu_female != model.mu_male or model.penetrance_female not in (0.0, 1.0):
            raise ValueError("simuPOP scenario needs equal rates and penetrance 0 or 1")
        sim.setRNG(seed=seed + 1)
        het = 1.0 if model.penetrance_female == 0.0 else model.fitness_female_het
        pop = sim.Population(
            size=model.size, loci=1, chromTypes=[sim.CHROMOSOME_X], infoFields="fitness"
        )
        pop.evolve(
            initOps=[
                sim.InitSex(sex=[sim.MALE, sim.FEMALE]),
                sim.InitGenotype(freq=[1.0, 0.0]),
            ],
            preOps=[
                sim.MapSelector(
                    loci=0,
                    fitness={
                        (0,): 1.0,
                        (1,): model.fitness_male,  # males: one X
                        (0, 0): 1.0,
                        (0, 1): het,
                        (1, 0): het,
                        (1, 1): model.fitness_female_hom,
                    },
                )
            ],
            matingScheme=sim.RandomMating(
                sexMode=(sim.GLOBAL_SEQUENCE_OF_SEX, sim.MALE, sim.FEMALE)
            ),
            postOps=[sim.SNPMutator(u=model.mu_female, v=0.0)],
            gen=generations,
        )
        males_a = females_a = n_m = n_f = 0
        for ind in pop.individuals():
            if ind.sex() == sim.MALE:
                n_m += 1
                males_a += ind.allele(0, 0)
            else:
                n_f += 1
                females_a += ind.allele(0, 0) + ind.allele(0, 1)
        return males_a / n_m, females_a / (2 * n_f)

    return run


def timed(
    fn: Callable[[PopulationModel, int, int], Sample],
    model: PopulationModel,
    generations: int,
    replicates: int,
    seed0: int,
) -> tuple[np.ndarray, list[float]]:
    samples, times = [], []
    for i in range(replicates):
        t0 = time.perf_counter()
        samples.append(fn(model, generations, seed0 + i))
        times.append(time.perf_counter() - t0)
    return np.array(samples), times


def homogeneity_p(a: np.ndarray, b: np.ndarray, bins: int = 12) -> float:
    """Chi-square homogeneity test on shared quantile bins of the pooled sample."""
    edges = np.unique(np.quantile(np.concatenate([a, b]), np.linspace(0, 1, bins + 1)))
    edges[-1] += 1e-12
    ca, _ = np.histogram(a, edges)
    cb, _ = np.histogram(b, edges)
    keep = (ca + cb) > 0
    return float(stats.chi2_contingency(np.vstack([ca[keep], cb[keep]])).pvalue)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--generations", type=int, default=100)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--mu", type=float, default=1e-3)
    parser.add_argument("--fitness-male", type=float, default=0.0)
    parser.add_argument(
        "--simupop-site",
        default=None,
        help="site-packages folder of a separate venv holding simuPOP (appended to sys.path)",
    )
    args = parser.parse_args()
    if args.simupop_site:
        sys.path.append(args.simupop_site)
    model = PopulationModel(
        size=args.size, mu_female=args.mu, mu_male=args.mu, fitness_male=args.fitness_male
    )
    other = simupop_run_factory()
    if other is None:
        name = "per-individual numpy reference"
        other = reference_run
        print(
            "simuPOP is not importable (optional extra: pip install simupop); "
            "comparing against the plain per-individual Wright-Fisher reference instead"
        )
    else:
        import simuPOP

        name = f"simuPOP {simuPOP.__version__}"
    print(
        f"scenario: N={model.size} ({model.n_males} males), T={args.generations} generations, "
        f"mu={args.mu:g} both sexes, affected-male fitness {args.fitness_male:g}, "
        f"recessive in women, start all wild type; {args.replicates} replicates each"
    )

    hemesim_run(model, 2, 0)  # warm-up (imports)
    ours, t_ours = timed(hemesim_run, model, args.generations, args.replicates, 1_000)
    theirs, t_theirs = timed(other, model, args.generations, args.replicates, 5_000)
    m_ours, m_theirs = statistics.median(t_ours), statistics.median(t_theirs)
    print(
        f"hemesim: {m_ours * 1e3:.2f} ms per population (median), "
        f"{m_ours / args.generations * 1e6:.1f} us per generation"
    )
    print(
        f"{name}: {m_theirs * 1e3:.2f} ms per population (median), "
        f"{m_theirs / args.generations * 1e6:.1f} us per generation"
    )
    ratio = m_theirs / m_ours
    print(
        f"time ratio {name} / hemesim = {ratio:.1f}x (goal >= 10x): "
        f"{'met' if ratio >= 10 else 'NOT met'}"
    )
    t0 = time.perf_counter()
    run_wright_fisher(
        model, args.generations, seed=7, replicates=args.replicates, initial_frequency=0.0
    )
    t_vec = time.perf_counter() - t0
    print(
        f"hemesim, {args.replicates} replicates in one vectorised call: {t_vec * 1e3:.1f} ms "
        f"({t_vec / args.replicates * 1e3:.3f} ms per population)"
    )
    for col, label in ((0, "male"), (1, "female")):
        a, b = ours[:, col], theirs[:, col]
        ks = stats.ks_2samp(a, b)
        print(
            f"{label} allele frequency at T: hemesim mean {a.mean():.5f} sd {a.std(ddof=1):.5f}"
            f" | {name} mean {b.mean():.5f} sd {b.std(ddof=1):.5f} | KS p = {ks.pvalue:.3f}, "
            f"chi-square homogeneity p = {homogeneity_p(a, b):.3f}"
        )


if __name__ == "__main__":
    main()
