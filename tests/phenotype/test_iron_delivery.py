"""The erythron's transferrin iron delivery (hemesim.phenotype.iron_delivery).

Logic of the fixed-point rounds, and the invariant it guarantees on the real model: a limited
variant clone takes up the same transferrin iron as the normal clone of the same person (within
the 1 % tolerance), and a clone that takes up less is never limited.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemesim.phenotype.clones import default_backend, simulate_clones
from hemesim.phenotype.iron_delivery import TOLERANCE, needs_limit, next_share
from hemesim.variants.effect_types import Effect

_pos = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)
_share = st.floats(min_value=1e-3, max_value=1.0, allow_nan=False)


@given(share=_share, uptake=_pos, reference=_pos)
def test_next_share_stays_a_share(share: float, uptake: float, reference: float) -> None:
    new = float(next_share(share, uptake, reference))
    assert 0.0 <= new <= 1.0
    if uptake > reference:  # taking too much: the share falls
        assert new < share or new == pytest.approx(share)


def test_needs_limit_only_above_the_reference_or_after_an_overshoot() -> None:
    ref = 100.0
    assert bool(needs_limit(100.0 * (1 + 2 * TOLERANCE), ref, 1.0))
    assert not bool(needs_limit(100.0 * (1 + TOLERANCE / 2), ref, 1.0))
    assert not bool(needs_limit(50.0, ref, 1.0))  # less demand (XLSA): never limited
    assert bool(needs_limit(90.0, ref, 0.8))  # limited too far: another round
    assert not bool(needs_limit(float("nan"), ref, 1.0))  # a failed simulation: no round
    got = needs_limit(np.array([150.0, 80.0]), np.array([100.0, 100.0]), np.array([1.0, 1.0]))
    assert got.tolist() == [True, False]


def _uptake(effect: Effect) -> tuple[float, float, float]:
    be = default_backend()
    pair = simulate_clones(effect)
    return (
        be.iron_uptake(pair.overrides_mutant),
        be.iron_uptake(pair.overrides_normal),
        (pair.iron_share),
    )


def test_xlp_clone_takes_the_normal_clones_iron() -> None:
    # Bailey 2020 Table 3, c.1699_1700del: kcat x4.4, Km(Gly) x1.21, Km(SucCoA) x1.75
    xlp = Effect("gain_of_function", kcat_factor=4.4, km_gly_factor=1.21, km_succoa_factor=1.75)
    unlimited = default_backend().iron_uptake(default_backend().effect_overrides(xlp))
    mutant, normal, share = _uptake(xlp)
    assert unlimited > normal * (1 + TOLERANCE)  # without the limit it would take more
    assert share < 1.0
    assert mutant == pytest.approx(normal, rel=TOLERANCE)


@pytest.mark.parametrize(
    "effect",
    [Effect(), Effect("loss_of_function", kcat_factor=0.2)],
    ids=["wild type", "XLSA kcat x0.2"],
)
def test_no_limit_without_extra_demand(effect: Effect) -> None:
    mutant, normal, share = _uptake(effect)
    assert share == 1.0
    assert mutant <= normal * (1 + TOLERANCE)


def test_people_limited_one_by_one() -> None:
    from hemesim.phenotype.intervals import default_people, simulate_people

    xlp = Effect("gain_of_function", kcat_factor=4.4, km_gly_factor=1.21, km_succoa_factor=1.75)
    people = simulate_people(xlp, sex="male", n=40, seed=3, people=default_people())
    assert people.iron_share is not None
    assert (people.iron_share < 1.0).all()
    assert (people.iron_share > 0.5).all()
    healthy = simulate_people(Effect(), sex="male", n=40, seed=3, people=default_people())
    assert healthy.iron_share is not None and (healthy.iron_share == 1.0).all()


@given(
    excess=st.floats(min_value=1.0, max_value=3.0),
    elasticity=st.floats(min_value=0.3, max_value=1.0),
)
def test_limit_shares_meets_the_reference(excess: float, elasticity: float) -> None:
    # a synthetic clone whose uptake is excess x reference x share^elasticity: the rounds must
    # bring it to the reference within the tolerance, and never re-run a clone already there
    from hemesim.phenotype.iron_delivery import MAX_ROUNDS, limit_shares

    ref = np.array([100.0, 100.0])
    seen: list[int] = []

    def rerun(todo: np.ndarray, share: np.ndarray) -> np.ndarray:
        seen.extend(todo.tolist())
        return np.array([100.0 * excess, 90.0])[todo] * share**elasticity

    share = limit_shares(np.array([100.0 * excess, 90.0]), ref, rerun)
    assert share[1] == 1.0 and 1 not in seen  # less demand: never limited nor re-run
    got = 100.0 * excess * share[0] ** elasticity
    if excess > 1 + TOLERANCE:
        assert got == pytest.approx(100.0, rel=TOLERANCE) or len(seen) == MAX_ROUNDS
        assert got == pytest.approx(100.0, rel=0.05)
