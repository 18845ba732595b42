"""Exactness: one generation of the counts-based simulator has the Wright-Fisher distribution.

The expected distribution is built by brute force from the model statement: for every offspring,
sum over every mother (weight = her fitness), both of her X chromosomes, every father (daughters),
and mutation or not in each gamete; then offspring are independent, so the joint counts are
multinomial over sons and over daughters. This enumeration shares no code with the simulator.

Statistical test: Pearson chi-square of 200 000 simulated one-generation transitions against the
enumerated probabilities (cells with expected count < 5 pooled). Threshold: p > ``P_THRESHOLD``,
the family-wise alpha shared by all statistical population tests, Bonferroni-divided (see
``population_testing.py``). Fixed seeds make the result deterministic.
"""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pytest 9 uses importlib mode
from population_testing import P_THRESHOLD  # noqa: E402

from hemesim.genetics.population import run_wright_fisher
from hemesim.genetics.population_model import PopulationModel

REPLICATES = 200_000


def _multinomial_pmf(counts: tuple[int, ...], probs: list[float]) -> float:
    n = sum(counts)
    coef = math.factorial(n)
    for c in counts:
        coef //= math.factorial(c)
    return coef * math.prod(p**c for p, c in zip(probs, counts, strict=True))


def _compositions(n: int, k: int) -> list[tuple[int, ...]]:
    return [c for c in itertools.product(range(n + 1), repeat=k) if sum(c) == n]


def _enumerate_transition(
    model: PopulationModel, males: list[int], females: list[tuple[int, int, bool]]
) -> dict[tuple[int, ...], float]:
    """Exact distribution of (sons_inherited, sons_new, daughters Aa unaffected, Aa affected, aa).

    males: allele (0/1) of each male; females: (allele1, allele2, affected) of each female.
    """
    w_hom = float(model.fitness_female_hom)  # type: ignore[arg-type]

    def female_fitness(f: tuple[int, int, bool]) -> float:
        n_a = f[0] + f[1]
        if n_a == 2:
            return w_hom
        if n_a == 1 and f[2]:
            return model.fitness_female_het
        return 1.0

    def male_fitness(allele: int) -> float:
        return model.fitness_male if allele else 1.0

    wf = [female_fitness(f) for f in females]
    wm = [male_fitness(a) for a in males]
    u, v, h = model.mu_female, model.mu_male, model.penetrance_female

    # maternal gamete: 0 = A, 1 = inherited a, 2 = new a
    maternal = [0.0, 0.0, 0.0]
    for f, w in zip(females, wf, strict=True):
        for allele in f[:2]:
            pr = w / sum(wf) * 0.5
            if allele:
                maternal[1] += pr
            else:
                maternal[0] += pr * (1 - u)
                maternal[2] += pr * u
    paternal_a = 0.0
    for a, w in zip(males, wm, strict=True):
        pr = w / sum(wm)
        paternal_a += pr if a else pr * v
    p_mat_a = maternal[1] + maternal[2]
    # daughter categories: AA, Aa unaffected, Aa affected, aa
    p_het = p_mat_a * (1 - paternal_a) + (1 - p_mat_a) * paternal_a
    daughter = [
        (1 - p_mat_a) * (1 - paternal_a),
        p_het * (1 - h),
        p_het * h,
        p_mat_a * paternal_a,
    ]
    n_m, n_f = len(males), len(females)
    out: dict[tuple[int, ...], float] = {}
    for s in _compositions(n_m, 3):
        ps = _multinomial_pmf(s, maternal)
        for d in _compositions(n_f, 4):
            out[(s[1], s[2], d[1], d[2], d[3])] = ps * _multinomial_pmf(d, daughter)
    return out


def _chi_square_p(
    observed: dict[tuple[int, ...], int], expected_p: dict[tuple[int, ...], float], n: int
) -> float:
    assert set(observed) <= set(expected_p), "simulator produced an impossible outcome"
    exp = np.array([expected_p[k] * n for k in expected_p])
    obs = np.array([observed.get(k, 0) for k in expected_p])
    big = exp >= 5
    exp_cells = np.append(exp[big], exp[~big].sum())
    obs_cells = np.append(obs[big], obs[~big].sum())
    if exp_cells[-1] < 5:  # merge the pooled remainder into the smallest cell if still small
        exp_cells, obs_cells = exp_cells[:-1], obs_cells[:-1]
        i = int(np.argmin(exp_cells))
        exp_cells[i] += exp[~big].sum()
        obs_cells[i] += obs[~big].sum()
    return float(stats.chisquare(obs_cells, exp_cells).pvalue)


@pytest.mark.parametrize(
    ("params", "males", "females"),
    [
        # selection in both sexes, partial penetrance, sex-specific rates, homozygote fitness
        (
            dict(
                mu_female=0.1,
                mu_male=0.2,
                fitness_male=0.5,
                fitness_female_het=0.3,
                penetrance_female=0.5,
                fitness_female_hom=2.0,
            ),
            [1, 0, 0],
            [(1, 1, True), (1, 0, True), (0, 1, False)],
        ),
        # Haldane's lethal, equal rates, a carrier mother and an affected son
        (
            dict(
                mu_female=0.05,
                mu_male=0.05,
                fitness_male=0.0,
                fitness_female_het=1.0,
                penetrance_female=0.0,
            ),
            [1, 0, 0],
            [(0, 0, False), (1, 0, False), (0, 0, False), (0, 1, False)],
        ),
    ],
)
def test_one_generation_matches_exact_wright_fisher(params, males, females) -> None:
    model = PopulationModel(size=len(males) + len(females), **params)
    assert (model.n_males, model.n_females) == (len(males), len(females))
    initial = {
        "males_affected": sum(males),
        "males_affected_new_mutation": 0,
        "females_heterozygous": sum(1 for f in females if f[0] + f[1] == 1),
        "females_heterozygous_affected": sum(1 for f in females if f[0] + f[1] == 1 and f[2]),
        "females_homozygous": sum(1 for f in females if f[0] + f[1] == 2),
    }
    expected = _enumerate_transition(model, males, females)
    assert math.isclose(sum(expected.values()), 1.0, rel_tol=1e-12)

    tr = run_wright_fisher(model, 1, seed=20261125, replicates=REPLICATES, initial=initial)
    new = tr.males_affected_new_mutation[:, 1]
    keys = zip(
        tr.males_affected[:, 1] - new,
        new,
        tr.females_heterozygous[:, 1] - tr.females_heterozygous_affected[:, 1],
        tr.females_heterozygous_affected[:, 1],
        tr.females_homozygous[:, 1],
        strict=True,
    )
    observed: dict[tuple[int, ...], int] = {}
    for k in keys:
        key = tuple(int(x) for x in k)
        observed[key] = observed.get(key, 0) + 1
    assert _chi_square_p(observed, expected, REPLICATES) > P_THRESHOLD
