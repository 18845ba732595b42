"""Female penetrance: exact integration over xi agrees with sampling; bounds; monotonicity."""

from __future__ import annotations

import numpy as np
import pytest

from hemesim.phenotype.clones import simulate_clones
from hemesim.phenotype.penetrance import penetrance, penetrance_from_clones
from hemesim.phenotype.xinactivation import xi_distribution
from hemesim.variants.effect_types import WILD_TYPE, Effect


@pytest.mark.parametrize("which", ["loss", "gain"])
def test_exact_matches_monte_carlo(fake_backend, loss_effect, gain_effect, which: str) -> None:
    effect = loss_effect if which == "loss" else gain_effect
    r = penetrance(effect, seed=123, n_women=20000, backend=fake_backend)
    mc = r.monte_carlo
    # Monte Carlo vs exact: within 4 standard errors (two-sided p ~ 6e-5 per test)
    assert abs(mc["estimate"] - r.penetrance) <= 4 * mc["standard_error"] + 1e-12
    assert 0.0 <= r.penetrance <= 1.0
    assert all(0.0 <= v <= 1.0 for v in r.by_age.values())
    assert float(r) == r.penetrance


def test_exact_matches_a_fine_grid(fake_backend, loss_effect) -> None:
    clones = simulate_clones(loss_effect, backend=fake_backend)
    r = penetrance_from_clones(clones, seed=0, n_women=10)
    d = xi_distribution(40)
    x = np.linspace(0, 1, 200001)
    mid = 0.5 * (x[1:] + x[:-1])
    from hemesim.phenotype.penetrance import _affected

    mass = np.diff(d.cdf(x))
    brute = float(np.sum(mass[_affected(clones, mid, "loss_of_function")]))
    assert r.penetrance == pytest.approx(brute, abs=1e-4)


def test_neutral_variant_has_zero_penetrance(fake_backend) -> None:
    r = penetrance(WILD_TYPE, seed=1, n_women=100, backend=fake_backend)
    assert r.penetrance == 0.0 and r.disease == "none" and not r.male_affected


def test_weaker_variant_is_less_penetrant(fake_backend) -> None:
    mild = Effect(effect_class="loss_of_function", kcat_factor=0.5)
    severe = Effect(effect_class="loss_of_function", kcat_factor=0.1)
    p_mild = penetrance(mild, seed=1, n_women=10, backend=fake_backend).penetrance
    p_severe = penetrance(severe, seed=1, n_women=10, backend=fake_backend).penetrance
    assert p_mild <= p_severe


def test_seed_reproduces(fake_backend, gain_effect) -> None:
    a = penetrance(gain_effect, seed=9, n_women=1000, backend=fake_backend).monte_carlo
    b = penetrance(gain_effect, seed=9, n_women=1000, backend=fake_backend).monte_carlo
    assert a == b


def test_dataframe_and_dict(fake_backend, gain_effect) -> None:
    r = penetrance(gain_effect, seed=3, n_women=100, backend=fake_backend)
    df = r.to_dataframe()
    assert list(df.columns) == ["xi", "hb_g_dl", "ep_total_ug_dl_rbc", "p_disease"]
    assert set(df["p_disease"].unique()) <= {0.0, 1.0}
    d = r.to_dict()
    assert d["penetrance"] == r.penetrance and "criteria" in d
