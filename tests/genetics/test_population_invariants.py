"""Invariants, reproducibility and bad input of the population simulator."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hemesim
from hemesim.errors import HemesimError, SimulationError
from hemesim.genetics.population import run_wright_fisher, simulate_population
from hemesim.genetics.population_model import PopulationModel

rates = st.floats(0.0, 0.5)
fitness = st.floats(0.0, 3.0)
probability = st.floats(0.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(2, 300),
    generations=st.integers(1, 20),
    mu_f=rates,
    mu_m=rates,
    w_m=st.floats(0.05, 3.0),
    w_het=fitness,
    h=probability,
    q0=probability,
    seed=st.integers(0, 2**32),
)
def test_counts_are_consistent(size, generations, mu_f, mu_m, w_m, w_het, h, q0, seed) -> None:
    try:
        res = simulate_population(
            size,
            generations,
            mu_f,
            mu_m,
            w_m,
            w_het,
            h,
            fitness_female_hom=1.0,
            seed=seed,
            initial_frequency=q0,
        )
    except SimulationError:
        # only possible when every female is an affected heterozygote of fitness 0
        assert w_het == 0.0 and h > 0
        return
    df = res.to_dataframe()
    n_m, n_f = size // 2, size - size // 2
    assert len(df) == generations + 1
    assert (df["males_affected"] >= 0).all() and (df["males_affected"] <= n_m).all()
    assert (df["males_affected_new_mutation"] <= df["males_affected"]).all()
    assert (df["females_heterozygous"] + df["females_homozygous"] <= n_f).all()
    assert (df["females_heterozygous_affected"] <= df["females_heterozygous"]).all()
    # counts sum to N: males (A + a) and females (AA + Aa + aa)
    assert n_m + n_f == size
    for col in ("allele_frequency_male", "allele_frequency_female"):
        assert ((df[col] >= 0) & (df[col] <= 1)).all()
    assert 0 <= res.allele_frequency_male <= 1 and 0 <= res.allele_frequency_female <= 1
    frac = res.affected_male_new_mutation_fraction
    assert math.isnan(frac) or 0 <= frac <= 1
    if mu_f == 0:
        assert df["males_affected_new_mutation"].sum() == 0
    if h == 0:
        assert df["females_heterozygous_affected"].sum() == 0


def test_no_mutation_no_variant() -> None:
    res = simulate_population(1000, 50, 0.0, fitness_male=0.5, seed=1, initial_frequency=0.0)
    assert res.to_dataframe()[["males_affected", "females_heterozygous"]].to_numpy().sum() == 0
    assert math.isnan(res.affected_male_to_female_ratio)
    assert json.loads(json.dumps(hemesim_json(res)))["affected_male_to_female_ratio"] is None


def hemesim_json(res):
    from hemesim.cli._common import to_jsonable

    return to_jsonable(res.to_dict())


def test_same_seed_same_result_different_seed_different() -> None:
    a = simulate_population(20_000, 100, 1e-3, fitness_male=0.2, seed=7)
    b = simulate_population(20_000, 100, 1e-3, fitness_male=0.2, seed=7)
    c = simulate_population(20_000, 100, 1e-3, fitness_male=0.2, seed=8)
    assert a.to_dataframe().equals(b.to_dataframe())
    assert not a.to_dataframe().equals(c.to_dataframe())
    assert a.seed == 7 and a.provenance["seed"] == 7


def test_seed_none_is_recorded_and_reproduces() -> None:
    a = simulate_population(5000, 30, 1e-3, seed=None)
    assert isinstance(a.seed, int)
    b = simulate_population(5000, 30, 1e-3, seed=a.seed)
    assert a.to_dataframe().equals(b.to_dataframe())


def test_generator_seed_accepted() -> None:
    a = simulate_population(5000, 30, 1e-3, seed=np.random.default_rng(5))
    b = simulate_population(5000, 30, 1e-3, seed=np.random.default_rng(5))
    assert a.to_dataframe().equals(b.to_dataframe())


def test_replicate_one_of_many_is_a_valid_population() -> None:
    model = PopulationModel(size=1000, mu_female=1e-2, mu_male=1e-2, fitness_male=0.0)
    tr = run_wright_fisher(model, 10, seed=1, replicates=5)
    assert tr.males_affected.shape == (5, 11)
    assert len({tuple(row) for row in tr.males_affected}) > 1  # replicates differ


def test_public_reexport_and_result_shape() -> None:
    assert hemesim.simulate_population is simulate_population
    res = simulate_population(10_000, 40, 1e-3, 2e-3, 0.3, 0.5, 0.2, seed=2)
    d = res.to_dict()
    for key in (
        "allele_frequency_male",
        "allele_frequency_female",
        "affected_male_new_mutation_fraction",
        "affected_male_to_female_ratio",
        "trajectory",
        "analytic",
        "provenance",
    ):
        assert key in d
    assert len(d["trajectory"]["generation"]) == 41
    assert d["summary_generations"] == [21, 40]
    assert d["provenance"]["parameters"]["mu_male"] == 2e-3
    json.dumps(hemesim_json(res))  # JSON-serialisable


def test_extinction_is_a_clear_error() -> None:
    # a single male, affected and lethal, and mutation in every paternal gamete of his father:
    # after one generation of sure mutation every son is affected and no father can be drawn
    with pytest.raises(SimulationError, match="generation 2: every male is affected") as info:
        simulate_population(2, 3, 1.0, 0.0, fitness_male=0.0, seed=1, initial_frequency=0.0)
    # the advice names what helps (a fitness above 0, lower rates), not a larger population
    message = str(info.value)
    assert "raise fitness_male above 0" in message and "mutation rates" in message
    assert "population size" not in message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        (dict(size=1), "size"),
        (dict(size=10.5), "size"),
        (dict(size=True), "size"),
        (dict(generations=0), "generations"),
        (dict(generations=2.5), "generations"),
        (dict(generations=10.0), "generations"),
        (dict(mu_female=-1e-3), "mu_female"),
        (dict(mu_female=float("nan")), "mu_female"),
        (dict(mu_male=1.5), "mu_male"),
        (dict(fitness_male=-0.1), "fitness_male"),
        (dict(fitness_male=float("inf")), "fitness_male"),
        (dict(fitness_female_het=-1.0), "fitness_female_het"),
        (dict(fitness_female_hom=float("nan")), "fitness_female_hom"),
        (dict(penetrance_female=1.2), "penetrance_female"),
        (dict(penetrance_female=-0.1), "penetrance_female"),
        (dict(seed=-3), "seed"),
        (dict(seed="x"), "seed"),
        (dict(initial_frequency=2.0), "initial_frequency"),
        (dict(size=10**20), "size"),  # beyond int64: was an OverflowError traceback
        (dict(size=10**12 + 1), "size"),
        (dict(generations=10**6 + 1), "generations"),
    ],
)
def test_bad_input_one_line_error_naming_field(kwargs, field) -> None:
    base = dict(size=100, generations=5, mu_female=1e-3, seed=1)
    base.update(kwargs)
    with pytest.raises(HemesimError) as info:
        simulate_population(**base)
    message = str(info.value)
    assert message.startswith(field + " ") and "\n" not in message


def test_docstring_examples_run() -> None:
    import doctest

    import hemesim.genetics.population as module

    failures, tried = doctest.testmod(module, verbose=False)
    assert tried >= 1 and failures == 0


def test_scalar_and_vectorised_loops_draw_identically() -> None:
    """One population runs a scalar loop; replicates run a vectorised one: same draws."""
    from hemesim.genetics.population import _run_scalar, _run_vectorised, initial_counts

    model = PopulationModel(
        size=10_001,
        mu_female=1e-3,
        mu_male=3e-3,
        fitness_male=0.3,
        penetrance_female=0.4,
        fitness_female_het=0.5,
        fitness_female_hom=0.7,
    )
    start = initial_counts(model, np.random.default_rng(0), 1, 0.05)
    a = _run_scalar(model, 300, np.random.default_rng(3), start, None)
    b = _run_vectorised(model, 300, np.random.default_rng(3), start, None)
    for key in a:
        assert np.array_equal(a[key], b[key]), key
    assert a["females_heterozygous_affected"].sum() > 0


def test_size_and_generation_bounds_are_stated() -> None:
    from hemesim.genetics.population_model import MAX_GENERATIONS, MAX_SIZE, check_generations

    with pytest.raises(HemesimError) as info:
        simulate_population(10**20, 5, 1e-3, seed=1)
    assert str(info.value) == (
        "size 100000000000000000000: expected an integer from 2 to 1,000,000,000,000 (individuals)"
    )
    assert PopulationModel(MAX_SIZE, 0.0, 0.0, 0.0).size == MAX_SIZE
    assert check_generations(MAX_GENERATIONS) == MAX_GENERATIONS
    with pytest.raises(HemesimError, match=r"^generations 1000001: expected an integer from 1 "):
        check_generations(MAX_GENERATIONS + 1)


def test_to_dict_thins_the_trajectory_to_a_bound() -> None:
    res = simulate_population(1000, 100, 1e-3, fitness_male=0.0, seed=3)
    full = res.to_dict()
    assert len(full["trajectory"]["generation"]) == 101 and full["trajectory_step"] == 1
    thin = res.to_dict(max_trajectory_rows=11)
    assert thin["trajectory"]["generation"] == list(range(0, 101, 10))
    assert thin["trajectory_step"] == 10
    # rows are the same generations' values, and the summary still uses every generation
    assert thin["trajectory"]["males_affected"] == full["trajectory"]["males_affected"][::10]
    assert thin["allele_frequency_male"] == full["allele_frequency_male"]
    odd = res.to_dict(max_trajectory_rows=8)["trajectory"]["generation"]  # step 15
    assert odd[-1] == 100 and odd[-2] == 90 and len(odd) == 8
