"""Statistical validation: the simulator reproduces X-linked mutation-selection balance.

Expected values come from :mod:`hemesim.genetics.population_analytic` (Haldane 1935 to leading
order; the exact infinite-population fixed point otherwise). Each check runs R independent
replicate populations (different random streams), takes each replicate's statistic over the last
half of the generations, and compares the mean over replicates with the expectation by a
Student t test whose standard error is the between-replicate standard error (ratios: the
delta-method standard error of the pooled ratio). Threshold: two-sided p = ``P_THRESHOLD`` (the
Bonferroni share of the family-wise alpha, see ``population_testing.py``). Large N and high
mutation rates (mu = 1e-4..2e-3, N = 1e5..1e6) keep the runs short and the estimates precise
(relative standard errors 0.1-2 %, printed on failure).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pytest 9 uses importlib mode
from population_testing import critical_t, mean_and_se, ratio_and_se  # noqa: E402

from hemesim.genetics.population import run_wright_fisher, simulate_population  # noqa: E402
from hemesim.genetics.population_analytic import (  # noqa: E402
    deterministic_equilibrium,
    leading_order_equilibrium,
)
from hemesim.genetics.population_model import PopulationModel  # noqa: E402

REPLICATES = 24
GENERATIONS = 2000


def assert_agrees(name: str, estimate: float, se: float, expected: float, df: int) -> None:
    """Two-sided t test of ``estimate`` against ``expected`` at the Bonferroni threshold."""
    t = abs(estimate - expected) / se
    crit = critical_t(df)
    assert t < crit, (
        f"{name}: simulated {estimate:.6g} +- {se:.3g} (SE) vs expected {expected:.6g}: "
        f"|t| = {t:.2f} >= {crit:.2f}"
    )
    # the test must be able to fail: the SE is small next to the quantity tested
    assert se < 0.05 * abs(expected), f"{name}: SE {se:.3g} too large to test anything"


@dataclass(frozen=True)
class Replicates:
    male_freq: np.ndarray
    female_freq: np.ndarray
    males_affected: np.ndarray
    males_new: np.ndarray
    females_affected: np.ndarray


def _run(model: PopulationModel, seed: int) -> Replicates:
    tr = run_wright_fisher(model, GENERATIONS, seed=seed, replicates=REPLICATES)
    w = slice(GENERATIONS + 1 - GENERATIONS // 2, GENERATIONS + 1)
    return Replicates(
        male_freq=tr.allele_frequency_male[:, w].mean(axis=1),
        female_freq=tr.allele_frequency_female[:, w].mean(axis=1),
        males_affected=tr.males_affected[:, w].sum(axis=1),
        males_new=tr.males_affected_new_mutation[:, w].sum(axis=1),
        females_affected=tr.females_affected[:, w].sum(axis=1),
    )


def test_haldane_one_third_of_affected_males_are_new_mutations() -> None:
    """Lethal, recessive, equal rates: 1/3 new mutations, x = 3 mu, 2 mu (2 + f) carriers.

    Haldane (1935); carrier frequency ~ 4 mu and 1/3 fresh mutations: Hum Hered 1973;23:19.
    Through the public API: 12 runs with different seeds, each summarised by PopulationResult.
    """
    mu, n = 1e-4, 1_000_000
    results = [simulate_population(n, 1000, mu, fitness_male=0.0, seed=seed) for seed in range(12)]
    df = len(results) - 1
    new_fraction = ratio_and_se(
        np.array([r.affected_male_new_mutation_fraction * r.affected_males_total for r in results]),
        np.array([r.affected_males_total for r in results]),
    )
    exact = deterministic_equilibrium(results[0].model)
    assert exact is not None
    # the leading-order 1/3 differs from the exact fixed point by O(mu): negligible here
    assert abs(exact.new_mutation_fraction - 1 / 3) < 0.2 * new_fraction[1]
    assert_agrees("new-mutation fraction", *new_fraction, 1 / 3, df)
    male = mean_and_se(np.array([r.allele_frequency_male for r in results]))
    assert_agrees("affected-male frequency", *male, 3 * mu, df)
    female = mean_and_se(np.array([r.allele_frequency_female for r in results]))
    f = 0.0  # carrier frequency 2 mu (2 + f) / (1 - f); allele frequency half of it
    assert_agrees("female allele frequency", *female, mu * (2 + f) / (1 - f), df)


SCENARIOS = {
    # non-lethal recessive, equal rates: new fraction (1 - f) / 3, ratio ~ 1 / (f x + mu)
    "recessive_f0.5": dict(mu_female=1e-3, mu_male=1e-3, fitness_male=0.5),
    # dominant-like: every Aa woman affected, as fit as affected men; ratio ~ 1/2
    "dominant_like": dict(
        mu_female=1e-3,
        mu_male=1e-3,
        fitness_male=0.5,
        penetrance_female=1.0,
        fitness_female_het=0.5,
    ),
    # mutation mostly paternal (mu_male = 10 mu_female), lethal: new fraction 1/12
    "paternal_bias": dict(mu_female=1e-4, mu_male=1e-3, fitness_male=0.0),
    # partial penetrance in women with reduced fitness
    "partial_penetrance": dict(
        mu_female=2e-3,
        mu_male=5e-4,
        fitness_male=0.2,
        penetrance_female=0.3,
        fitness_female_het=0.2,
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_equilibrium_matches_analytic(name: str) -> None:
    model = PopulationModel(size=100_000, **SCENARIOS[name])
    exact = deterministic_equilibrium(model)
    assert exact is not None
    reps = _run(model, seed=sum(map(ord, name)))
    df = REPLICATES - 1
    assert_agrees(
        f"{name} male allele frequency",
        *mean_and_se(reps.male_freq),
        exact.allele_frequency_male,
        df,
    )
    assert_agrees(
        f"{name} female allele frequency",
        *mean_and_se(reps.female_freq),
        exact.allele_frequency_female,
        df,
    )
    assert_agrees(
        f"{name} new-mutation fraction",
        *ratio_and_se(reps.males_new, reps.males_affected),
        exact.new_mutation_fraction,
        df,
    )
    assert_agrees(
        f"{name} affected male:female ratio",
        *ratio_and_se(reps.males_affected, reps.females_affected),
        exact.affected_male_to_female_ratio,
        df,
    )


def test_leading_order_is_the_small_mu_limit_of_the_exact_equilibrium() -> None:
    """Haldane's formulas are the mu -> 0 limit: relative error shrinks in proportion to mu."""
    errors = []
    for mu in (1e-3, 1e-4, 1e-5):
        model = PopulationModel(size=10**6, mu_female=mu, mu_male=mu, fitness_male=0.3)
        lead, exact = leading_order_equilibrium(model), deterministic_equilibrium(model)
        assert lead is not None and exact is not None
        assert lead.new_mutation_fraction == pytest.approx((1 - 0.3) / 3, rel=1e-12)
        assert lead.affected_male_frequency == pytest.approx(3 * mu / 0.7, rel=1e-12)
        assert lead.heterozygous_female_frequency == pytest.approx(2 * mu * 2.3 / 0.7, rel=1e-12)
        errors.append(abs(exact.affected_male_frequency / lead.affected_male_frequency - 1))
    assert errors[1] < errors[0] / 5 and errors[2] < errors[1] / 5
    assert errors[2] < 1e-3


def test_no_balance_when_variant_is_not_selected_against() -> None:
    model = PopulationModel(size=1000, mu_female=1e-3, mu_male=1e-3, fitness_male=1.0)
    assert leading_order_equilibrium(model) is None
    assert deterministic_equilibrium(model) is None
    res = simulate_population(1000, 10, 1e-3, fitness_male=1.0, seed=3)
    assert res.to_dict()["analytic"]["deterministic"] is None
