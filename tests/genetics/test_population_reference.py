"""The counts-based simulator against the plain per-individual reference (house habit 9).

Same model and starting counts; 400 independent replicates of each simulator run for 15
generations; the distributions at generation T of (a) affected males, (b) the female ``a`` allele
count and (c) affected females are compared with a two-sample chi-square test of homogeneity
(bins merged until every expected count is >= 5), and the number of sons with a new maternal
mutation by a Welch t test. Threshold p > ``P_THRESHOLD`` (Bonferroni, see
``population_testing.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pytest 9 uses importlib mode
from population_testing import P_THRESHOLD, run_individual_wright_fisher  # noqa: E402

from hemesim.genetics.population import run_wright_fisher  # noqa: E402
from hemesim.genetics.population_model import PopulationModel  # noqa: E402

REPLICATES = 400
GENERATIONS = 15
MODEL = PopulationModel(
    size=200,
    mu_female=0.01,
    mu_male=0.02,
    fitness_male=0.5,
    fitness_female_het=0.4,
    penetrance_female=0.5,
    fitness_female_hom=0.3,
)
INITIAL = {
    "males_affected": 12,
    "males_affected_new_mutation": 0,
    "females_heterozygous": 20,
    "females_heterozygous_affected": 9,
    "females_homozygous": 3,
}


def homogeneity_p(a: np.ndarray, b: np.ndarray) -> float:
    """Chi-square test that two samples of integers come from one distribution."""
    values = np.arange(min(a.min(), b.min()), max(a.max(), b.max()) + 1)
    table = np.array([[np.sum(a == v), np.sum(b == v)] for v in values])
    merged: list[np.ndarray] = []
    acc = np.zeros(2, dtype=int)
    for row in table:  # merge adjacent values until each merged bin has >= 10 of both together
        acc = acc + row
        if acc.sum() >= 10:
            merged.append(acc)
            acc = np.zeros(2, dtype=int)
    if acc.sum() and merged:
        merged[-1] = merged[-1] + acc
    return float(stats.chi2_contingency(np.array(merged)).pvalue)


@pytest.fixture(scope="module")
def samples() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    fast = run_wright_fisher(MODEL, GENERATIONS, seed=11, replicates=REPLICATES, initial=INITIAL)
    rng = np.random.default_rng(12)
    plain = [
        run_individual_wright_fisher(MODEL, GENERATIONS, INITIAL, rng) for _ in range(REPLICATES)
    ]
    T = GENERATIONS

    def col(name: str) -> np.ndarray:
        return np.array([p[name][T] for p in plain])

    return {
        "males_affected": (fast.males_affected[:, T], col("males_affected")),
        "female_allele_count": (
            fast.females_heterozygous[:, T] + 2 * fast.females_homozygous[:, T],
            col("females_heterozygous") + 2 * col("females_homozygous"),
        ),
        "females_affected": (
            fast.females_affected[:, T],
            col("females_heterozygous_affected") + col("females_homozygous"),
        ),
        "new_mutation_sons": (
            fast.males_affected_new_mutation[:, 1:].sum(axis=1),
            np.array([p["males_affected_new_mutation"][1:].sum() for p in plain]),
        ),
    }


@pytest.mark.parametrize("quantity", ["males_affected", "female_allele_count", "females_affected"])
def test_counts_based_matches_per_individual(samples, quantity: str) -> None:
    fast, plain = samples[quantity]
    # both samples vary: the comparison has something to compare
    assert fast.std() > 0 and plain.std() > 0
    assert homogeneity_p(fast, plain) > P_THRESHOLD


def test_new_mutation_sons_match(samples) -> None:
    """Sons with a new maternal mutation, summed over generations 1..T: Welch t test of means."""
    fast, plain = samples["new_mutation_sons"]
    assert fast.mean() > 5 and plain.mean() > 5  # about one per generation here
    assert stats.ttest_ind(fast, plain, equal_var=False).pvalue > P_THRESHOLD
