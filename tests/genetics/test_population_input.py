"""Malformed arguments to the population API (audit B1, B7, C5, C6): one-line HemesimErrors.

Sizes are bounded before anything is allocated, the initial state must fit the model, fitness
cannot overflow into a false "extinction", and every function that takes a seed accepts the
same forms (an integer >= 0, a numpy Generator or None).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import hemesim.genetics.population as population
from hemesim.errors import HemesimError, SimulationError
from hemesim.genetics.population import (
    MAX_REPLICATES,
    MAX_TRAJECTORY_COUNTS,
    initial_counts,
    run_wright_fisher,
    simulate_population,
)
from hemesim.genetics.population_analytic import (
    balance_exists,
    deterministic_equilibrium,
    deterministic_step,
    leading_order_equilibrium,
)
from hemesim.genetics.population_model import MAX_FITNESS, PopulationModel

MODEL = PopulationModel(1000, 1e-3, 1e-3, 0.0)
ZERO = {
    "males_affected": 0,
    "males_affected_new_mutation": 0,
    "females_heterozygous": 0,
    "females_heterozygous_affected": 0,
    "females_homozygous": 0,
}


def _error(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(HemesimError) as info:
        call(*args, **kwargs)
    assert "\n" not in str(info.value)
    return str(info.value)


# ------------------------------------------------------------------------ B1: size bounds
@pytest.fixture
def no_allocation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to draw or allocate the trajectories fail the test (so a missing bound
    shows as a failure, not as a process killed for lack of memory)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the run started: the size was not checked first")

    for name in ("initial_counts", "_initial_counts", "_run_vectorised", "_run_scalar"):
        monkeypatch.setattr(population, name, refuse, raising=False)


@pytest.mark.usefixtures("no_allocation")
def test_a_billion_replicates_are_refused_before_any_allocation() -> None:
    assert _error(run_wright_fisher, MODEL, 10, seed=1, replicates=10**9) == (
        "replicates 1000000000: expected an integer from 1 to 5,000,000"
    )


@pytest.mark.usefixtures("no_allocation")
def test_replicates_times_generations_is_bounded() -> None:
    message = _error(run_wright_fisher, MODEL, 10**6, seed=1, replicates=100)
    assert message.startswith("replicates 100 x (generations 1,000,000 + 1) = 100,000,100 ")
    assert f"expected at most {MAX_TRAJECTORY_COUNTS:,}" in message


@pytest.mark.usefixtures("no_allocation")
@pytest.mark.parametrize("replicates", [0, -1, 2.0, "2", True, None])
def test_replicates_must_be_a_whole_number_in_range(replicates: Any) -> None:
    assert _error(run_wright_fisher, MODEL, 10, replicates=replicates) == (
        f"replicates {replicates!r}: expected an integer from 1 to {MAX_REPLICATES:,}"
    )


def test_replicates_at_the_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real runs fit easily; one replicate more than the maximum is refused before drawing."""
    assert MAX_REPLICATES * 2 == MAX_TRAJECTORY_COUNTS  # one generation: 2 columns
    tr = run_wright_fisher(MODEL, 1, seed=1, replicates=1000)
    assert tr.males_affected.shape == (1000, 2)
    monkeypatch.setattr(population, "initial_counts", None, raising=False)  # old entry point
    monkeypatch.setattr(population, "_initial_counts", None, raising=False)
    assert _error(run_wright_fisher, MODEL, 1, seed=1, replicates=MAX_REPLICATES + 1) == (
        f"replicates {MAX_REPLICATES + 1}: expected an integer from 1 to {MAX_REPLICATES:,}"
    )


# ------------------------------------------------------------- C5: no false "extinction"
@pytest.mark.parametrize("name", ["fitness_male", "fitness_female_het", "fitness_female_hom"])
def test_fitness_is_bounded_so_weights_cannot_overflow(name: str) -> None:
    message = _error(simulate_population, 1000, 100, 1e-3, **{name: 1e308})
    assert message == (
        f"{name} 1e+308: expected a relative fitness from 0 to 1,000,000 (unaffected "
        "individuals have 1)"
    )


def test_extinction_is_reported_only_for_real_extinction() -> None:
    """fitness 1e308 overflowed (inf / inf = NaN) and was reported as 'every male is affected
    and has fitness 0'; the largest allowed fitness runs, and a real extinction still says so."""
    with pytest.raises(HemesimError) as info:
        simulate_population(1000, 100, 1e-3, fitness_male=1e308, initial_frequency=0.5, seed=1)
    assert not isinstance(info.value, SimulationError) and "extinct" not in str(info.value)
    res = simulate_population(
        1000, 20, 1e-3, fitness_male=MAX_FITNESS, fitness_female_het=MAX_FITNESS,
        penetrance_female=1.0, initial_frequency=0.5, seed=1,
    )  # fmt: skip
    df = res.to_dataframe()
    assert np.isfinite(df["allele_frequency_male"]).all()
    assert (df["males_affected"] <= res.model.n_males).all()
    with pytest.raises(SimulationError, match="every female is affected and has fitness 0"):
        simulate_population(1000, 10, 1e-3, initial_frequency=1.0, seed=1)


# ------------------------------------------------------------- B7 / C5: the initial state
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"males_affected": 5000},
            "initial: males_affected = 5,000 exceeds n_males = 500; the model (size 1,000) has "
            "500 males and 500 females per generation",
        ),
        (
            {"males_affected": 2, "males_affected_new_mutation": 3},
            "initial: males_affected_new_mutation = 3 exceeds males_affected; the model (size "
            "1,000) has 500 males and 500 females per generation",
        ),
        (
            {"females_heterozygous": 300, "females_homozygous": 300},
            "initial: females_heterozygous + females_homozygous = 600 exceeds n_females = 500; "
            "the model (size 1,000) has 500 males and 500 females per generation",
        ),
        (
            {"females_heterozygous": 1, "females_heterozygous_affected": 2},
            "initial: females_heterozygous_affected = 2 exceeds females_heterozygous; the model "
            "(size 1,000) has 500 males and 500 females per generation",
        ),
        ({"females_homozygous": -1}, "initial['females_homozygous']: counts must be >= 0, got -1"),
        (
            {"males_affected": 2.0},
            "initial['males_affected'] 2.0: expected a whole-number count (an int, or integers, "
            "one per replicate: 1)",
        ),
        (
            {"males_affected": True},
            "initial['males_affected'] True: expected a whole-number count (an int, or "
            "integers, one per replicate: 1)",
        ),
        (
            {"males_affected": [1, 2]},
            "initial['males_affected'] [1, 2]: expected a whole-number count (an int, or "
            "integers, one per replicate: 1)",
        ),
        (
            {"males_affected": "3"},
            "initial['males_affected'] '3': expected a whole-number count (an int, or "
            "integers, one per replicate: 1)",
        ),
    ],
)
def test_initial_counts_must_fit_the_model(change: dict[str, Any], message: str) -> None:
    assert _error(run_wright_fisher, MODEL, 10, seed=1, initial={**ZERO, **change}) == message


def test_initial_keys_are_exact() -> None:
    assert _error(run_wright_fisher, MODEL, 10, initial={}).startswith(
        "initial: missing males_affected, males_affected_new_mutation, females_heterozygous, "
        "females_heterozygous_affected, females_homozygous; expected exactly the keys"
    )
    assert _error(run_wright_fisher, MODEL, 10, initial={**ZERO, "males": 1}).startswith(
        "initial: unknown males; expected exactly the keys"
    )
    assert _error(run_wright_fisher, MODEL, 10, initial=[0, 0]).startswith(
        "initial [0, 0]: expected a dict of generation-0 counts with the keys males_affected"
    )


def test_initial_counts_per_replicate_are_checked_per_replicate() -> None:
    start = {**ZERO, "males_affected": np.array([1, 501, 2])}
    assert "males_affected = 501 (replicate 1) exceeds n_males = 500" in _error(
        run_wright_fisher, MODEL, 5, seed=1, replicates=3, initial=start
    )
    ok = {**ZERO, "males_affected": np.array([1, 499, 2])}
    assert run_wright_fisher(MODEL, 1, seed=1, replicates=3, initial=ok).males_affected[1, 0] == 499


@pytest.mark.parametrize("value", [5, -1.0, "x", True, float("nan"), [0.1]])
def test_run_wright_fisher_checks_initial_frequency(value: Any) -> None:
    expected = f"initial_frequency {value!r}: expected a number in [0, 1] or None"
    assert _error(run_wright_fisher, MODEL, 10, initial_frequency=value) == expected
    assert _error(initial_counts, MODEL, 1, initial_frequency=value) == expected


# -------------------------------------------------------------------- B7: other arguments
@pytest.mark.parametrize("progress", ["x", 5, [print]])
def test_progress_must_be_callable(progress: Any) -> None:
    expected = (
        f"progress {progress!r}: expected a function called with the number of generations "
        "done, or None"
    )
    assert _error(simulate_population, 1000, 10, 1e-3, progress=progress) == expected
    assert _error(run_wright_fisher, MODEL, 10, progress=progress) == expected


@pytest.mark.parametrize("rows", ["x", 2.5, True, 1, None])
def test_max_trajectory_rows_must_be_a_whole_number(rows: Any) -> None:
    res = simulate_population(1000, 10, 1e-3, seed=1)
    if rows is None:
        assert len(res.to_dict(max_trajectory_rows=rows)["trajectory"]["generation"]) == 11
        return
    assert _error(res.to_dict, max_trajectory_rows=rows) == (
        f"max_trajectory_rows {rows!r}: expected an integer >= 2"
    )


@pytest.mark.parametrize("model", [None, "x", {"size": 1000}, 5])
def test_functions_taking_a_model_refuse_anything_else(model: Any) -> None:
    expected = f"model {model!r} ({type(model).__name__}): expected a PopulationModel, e.g. "
    for call in (leading_order_equilibrium, deterministic_equilibrium, balance_exists):
        assert _error(call, model).startswith(expected)
    assert _error(run_wright_fisher, model, 10).startswith(expected)
    assert _error(initial_counts, model, 1).startswith(expected)
    assert _error(deterministic_step, (0.1, 0.1, 0.0), model).startswith(expected)


@pytest.mark.parametrize(
    "state",
    [
        np.array([0.1, 0.2]),
        (0.1, 0.2, 0.3, 0.4),
        (0.1, float("nan"), 0.0),
        (1.5, 0.1, 0.0),
        (0.1, -0.1, 0.0),
        (0.1, 0.7, 0.5),  # y + z > 1
        ("0.1", "0.1", "0"),
        None,
        (True, False, False),
    ],
)
def test_deterministic_step_checks_the_state(state: Any) -> None:
    assert _error(deterministic_step, state, MODEL) == (
        f"state {state!r}: expected (x, y, z), the frequencies of affected males, Aa females and "
        "aa females: three numbers in [0, 1] with y + z <= 1"
    )
    a, new_a = deterministic_step([0.01, 0.02, 0.0], MODEL)  # any sequence of three works
    b, new_b = deterministic_step(np.array([0.01, 0.02, 0.0]), MODEL)
    np.testing.assert_array_equal(a, b)
    assert new_a == new_b and a.shape == (3,)


# --------------------------------------------------------------------- C6: seed forms
@pytest.mark.parametrize(
    "seed", [-1, 1.5, "1", True, [1], np.random.RandomState(1), np.random.SeedSequence(1)]
)
def test_every_seed_taking_function_refuses_the_same_forms(seed: Any) -> None:
    shown = " ".join(repr(seed).split())  # one line (a SeedSequence's repr spans several)
    expected = f"{{}} {shown}: expected an integer >= 0, a numpy Generator or None"
    assert _error(simulate_population, 1000, 5, 1e-3, seed=seed) == expected.format("seed")
    assert _error(run_wright_fisher, MODEL, 5, seed=seed) == expected.format("seed")
    assert _error(initial_counts, MODEL, seed) == expected.format("rng")


def test_every_seed_taking_function_accepts_the_same_forms() -> None:
    a = run_wright_fisher(MODEL, 5, seed=7).males_affected
    b = run_wright_fisher(MODEL, 5, seed=np.int64(7)).males_affected
    c = run_wright_fisher(MODEL, 5, seed=np.random.default_rng(7)).males_affected
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert run_wright_fisher(MODEL, 5, seed=None).males_affected.shape == (1, 6)
    start = {k: v.tolist() for k, v in initial_counts(MODEL, 3, replicates=4).items()}
    again = initial_counts(MODEL, np.random.default_rng(3), replicates=4)
    assert start == {k: v.tolist() for k, v in again.items()}
    assert initial_counts(MODEL, None)["males_affected"].shape == (1,)
