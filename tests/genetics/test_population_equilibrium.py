"""The exact mutation-selection balance solver (population_analytic.deterministic_equilibrium).

The solver reduces the recursion to one equation in the affected-male frequency and brackets
its smallest root; these tests check it against the recursion itself, iterated generation by
generation from an empty population (an independent route to the same stable fixed point), at
rates where the leading-order starting value the old solver used lay outside [0, 1].
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.genetics.population_analytic import (
    balance_exists,
    deterministic_equilibrium,
    deterministic_step,
    leading_order_equilibrium,
)
from hemesim.genetics.population_model import PopulationModel


def _iterate(model: PopulationModel, generations: int) -> np.ndarray:
    state = np.zeros(3)
    for _ in range(generations):
        state = deterministic_step(state, model)[0]
    return state


def _as_array(eq) -> np.ndarray:
    return np.array(
        [
            eq.affected_male_frequency,
            eq.heterozygous_female_frequency,
            eq.homozygous_female_frequency,
        ]
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        # leading order x = 3 mu / (1 - w_m) = 1.5: the old solver started outside [0, 1]
        {"mu_female": 0.5, "mu_male": 0.5, "fitness_male": 0.0},
        # leading order x = 0.06 / 0.01 = 6
        {"mu_female": 0.01, "mu_male": 0.01, "fitness_male": 0.99, "fitness_female_hom": 0.5},
        {"mu_female": 0.2, "mu_male": 0.02, "fitness_male": 0.3, "penetrance_female": 0.5},
        {"mu_female": 1e-4, "mu_male": 1e-4, "fitness_male": 0.0},
    ],
)
def test_balance_at_large_rates_is_where_the_recursion_settles(kwargs) -> None:
    model = PopulationModel(size=1000, **kwargs)
    eq = deterministic_equilibrium(model)
    assert eq is not None
    iterated = _iterate(model, 20_000)
    np.testing.assert_allclose(_as_array(eq), iterated, rtol=1e-9, atol=1e-15)


def test_mutation_beating_selection_reports_no_balance() -> None:
    """mu = 0.1 with w_m = 0.9: D = 2 - (1 + 0.9) > 0, yet the recursion only goes to fixation."""
    model = PopulationModel(size=1000, mu_female=0.1, mu_male=0.1, fitness_male=0.9)
    assert balance_exists(model)  # the leading-order criterion alone would promise a balance
    assert deterministic_equilibrium(model) is None
    assert leading_order_equilibrium(model) is None  # its formula gives x = 3
    assert _iterate(model, 20_000)[0] > 0.999


@settings(max_examples=60, deadline=None)
@given(
    mu_f=st.floats(1e-3, 0.5),
    mu_m=st.floats(1e-3, 0.5),
    w_m=st.floats(0.0, 0.8),
    w_het=st.floats(0.0, 1.0),
    h=st.floats(0.0, 1.0),
    w_hom=st.floats(0.0, 1.0),
)
def test_solution_is_a_fixed_point_and_the_recursions_limit(mu_f, mu_m, w_m, w_het, h, w_hom):
    model = PopulationModel(
        size=100,
        mu_female=mu_f,
        mu_male=mu_m,
        fitness_male=w_m,
        fitness_female_het=w_het,
        penetrance_female=h,
        fitness_female_hom=w_hom,
    )
    eq = deterministic_equilibrium(model)
    halfway = _iterate(model, 2000)
    iterated = halfway
    for _ in range(2000):
        previous, iterated = iterated, deterministic_step(iterated, model)[0]
    if eq is None:  # no balance: a is on its way to fixation
        assert iterated[0] > max(0.9, halfway[0] - 1e-12)
        return
    state = _as_array(eq)
    assert np.all((state >= 0) & (state <= 1))
    np.testing.assert_allclose(deterministic_step(state, model)[0], state, rtol=0, atol=1e-14)
    if np.abs(iterated - previous).max() < 1e-15:  # the recursion has settled: on the root
        np.testing.assert_allclose(state, iterated, rtol=1e-7, atol=1e-12)
    else:  # slow near fixation: still closing in on the root
        assert np.abs(iterated - state).max() < np.abs(halfway - state).max()
    assert 0.0 <= eq.new_mutation_fraction <= 1.0
