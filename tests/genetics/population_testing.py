"""Testing aids for the population simulator: the statistical budget and a plain reference.

Statistical budget (msprime style): every statistical test of the population simulator
(``tests/genetics/test_population_*.py``) uses fixed seeds and the same per-test threshold
``P_THRESHOLD = FAMILY_ALPHA / N_STATISTICAL_TESTS`` (Bonferroni), so that if the simulator were
correct and the seeds were drawn afresh, the chance of any false failure in the whole family
would be below ``FAMILY_ALPHA``. z-tests use the matching two-sided critical value.

Plain per-individual Wright-Fisher reference for the X-linked population simulator.

Written from the model statement in ``hemesim.genetics.population_model`` (not from the
counts-based code): every individual is an array entry, every offspring draws its own parents
(``Generator.choice`` with probabilities proportional to fitness), its own X chromosome from the
mother, and its own mutation. Slow, obvious, and used to check the optimised counts-based path
statistically (house habit 9) in ``test_population_reference.py`` and in
``benchmarks/bench_population.py``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from hemesim.genetics.population_model import PopulationModel

FAMILY_ALPHA = 1e-3
#: 2 exact-transition chi-squares + 19 equilibrium t tests (3 Haldane + 4 scenarios x 4)
#: + 4 comparisons with the per-individual reference
N_STATISTICAL_TESTS = 25
P_THRESHOLD = FAMILY_ALPHA / N_STATISTICAL_TESTS


def critical_t(df: int) -> float:
    """Two-sided Student t critical value at ``P_THRESHOLD``."""
    return float(stats.t.isf(P_THRESHOLD / 2, df))


def mean_and_se(values: np.ndarray) -> tuple[float, float]:
    """Mean of independent replicate values and its standard error."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()), float(values.std(ddof=1) / math.sqrt(len(values)))


def ratio_and_se(num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
    """Pooled ratio sum(num) / sum(den) over independent replicates and its delta-method SE.

    Var(R) ~ Var(num_i - R den_i) / (n mean(den)^2) (the standard ratio-estimator variance).
    """
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    r = num.sum() / den.sum()
    resid = num - r * den
    se = math.sqrt(resid.var(ddof=1) / len(num)) / den.mean()
    return float(r), float(se)


def run_individual_wright_fisher(
    model: PopulationModel,
    generations: int,
    initial: dict[str, int],
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Simulate one population individual by individual.

    Parameters
    ----------
    model
        Population model.
    generations
        Generations to simulate after generation 0.
    initial
        Generation-0 counts: ``males_affected``, ``females_heterozygous``,
        ``females_heterozygous_affected``, ``females_homozygous``.
    rng
        Random generator.

    Returns
    -------
    dict
        Count series of length ``generations + 1`` with the keys of
        ``hemesim.genetics.population.COUNT_FIELDS``.
    """
    n_m, n_f = model.n_males, model.n_females
    males = np.zeros(n_m, dtype=np.int8)  # 1 = carries a
    males[: initial["males_affected"]] = 1
    females = np.zeros((n_f, 2), dtype=np.int8)  # two X chromosomes
    n_het, n_hom = initial["females_heterozygous"], initial["females_homozygous"]
    females[:n_hom] = 1
    females[n_hom : n_hom + n_het, 0] = 1
    affected_f = np.zeros(n_f, dtype=bool)
    affected_f[:n_hom] = True
    affected_f[n_hom : n_hom + initial["females_heterozygous_affected"]] = True
    h = model.penetrance_female
    w_hom = float(model.fitness_female_hom)  # type: ignore[arg-type]

    series = {
        "males_affected": [int(males.sum())],
        "males_affected_new_mutation": [0],
        "females_heterozygous": [n_het],
        "females_heterozygous_affected": [initial["females_heterozygous_affected"]],
        "females_homozygous": [n_hom],
    }
    for _ in range(generations):
        # fitness of each adult
        w_male = np.where(males == 1, model.fitness_male, 1.0)
        n_a = females.sum(axis=1)
        w_female = np.ones(n_f)
        w_female[(n_a == 1) & affected_f] = model.fitness_female_het
        w_female[n_a == 2] = w_hom
        # sons
        mothers = rng.choice(n_f, size=n_m, p=w_female / w_female.sum())
        chrom = rng.integers(0, 2, size=n_m)
        son_allele = females[mothers, chrom].copy()
        mutated = (son_allele == 0) & (rng.random(n_m) < model.mu_female)
        son_allele[mutated] = 1
        # daughters
        mothers = rng.choice(n_f, size=n_f, p=w_female / w_female.sum())
        chrom = rng.integers(0, 2, size=n_f)
        maternal = females[mothers, chrom].copy()
        maternal[(maternal == 0) & (rng.random(n_f) < model.mu_female)] = 1
        fathers = rng.choice(n_m, size=n_f, p=w_male / w_male.sum())
        paternal = males[fathers].copy()
        paternal[(paternal == 0) & (rng.random(n_f) < model.mu_male)] = 1
        males = son_allele
        females = np.stack([maternal, paternal], axis=1)
        n_a = females.sum(axis=1)
        affected_f = (n_a == 2) | ((n_a == 1) & (rng.random(n_f) < h))
        series["males_affected"].append(int(males.sum()))
        series["males_affected_new_mutation"].append(int(mutated.sum()))
        series["females_heterozygous"].append(int((n_a == 1).sum()))
        series["females_heterozygous_affected"].append(int(((n_a == 1) & affected_f).sum()))
        series["females_homozygous"].append(int((n_a == 2).sum()))
    return {k: np.asarray(v) for k, v in series.items()}
