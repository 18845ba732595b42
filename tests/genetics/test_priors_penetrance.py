"""Founder priors (mutation-selection equilibrium, allele frequency) and penetrance presets."""

from __future__ import annotations

import numpy as np
import pytest

from hemesim.errors import PedigreeError
from hemesim.genetics.penetrance import PRESETS, penetrance_for
from hemesim.genetics.priors import FounderPrior, allele_frequency_prior, equilibrium_prior


@pytest.mark.parametrize("f", [0.0, 0.25, 0.5, 0.9])
def test_haldane_equal_rates(f: float) -> None:
    """Haldane (science.md section 5): affected males 3mu/(1-f), carrier females 2mu(2+f)/(1-f),
    first order in mu."""
    mu = 1e-8
    prior = equilibrium_prior(mu, mu, f)
    assert prior.affected_male == pytest.approx(3 * mu / (1 - f), rel=1e-12)
    assert prior.carrier_female == pytest.approx(2 * mu * (2 + f) / (1 - f), rel=1e-6)


def _iterate_recursion(mu_f: float, mu_m: float, f: float, generations: int = 4000) -> tuple:
    """Run the exact one-locus X-linked recursion (frequencies at birth, males fitness f,
    females fitness 1, mutation N->A in gametes) to equilibrium, independently of the closed form.
    Tracks male A frequency and female genotype frequencies (NN, NA, AA)."""
    x = 0.0
    fem = np.array([1.0, 0.0, 0.0])
    for _ in range(generations):
        egg_a = fem[1] * 0.5 + fem[2] + (fem[0] + 0.5 * fem[1]) * mu_f
        w = (1 - x) + x * f
        sperm_a = (x * f) / w + ((1 - x) / w) * mu_m
        x = egg_a
        fem = np.array(
            [
                (1 - egg_a) * (1 - sperm_a),
                egg_a * (1 - sperm_a) + (1 - egg_a) * sperm_a,
                egg_a * sperm_a,
            ]
        )
    return x, fem


@pytest.mark.parametrize(
    ("mu_f", "mu_m", "f"), [(1e-6, 1e-6, 0.0), (1e-6, 5e-6, 0.3), (4e-6, 1e-6, 0.7)]
)
def test_general_sex_specific_rates_match_the_recursion(mu_f: float, mu_m: float, f: float) -> None:
    """The derived first-order equilibrium x = (2mu_f + mu_m)/(1-f), y = 2((1+f)mu_f + mu_m)/(1-f)
    agrees with the exact recursion to first order (relative error O(mu))."""
    prior = equilibrium_prior(mu_f, mu_m, f)
    x, fem = _iterate_recursion(mu_f, mu_m, f)
    assert prior.affected_male == pytest.approx(x, rel=1e-3)
    assert prior.carrier_female == pytest.approx(fem[1] + fem[2], rel=1e-3)
    assert prior.carrier_female == pytest.approx(2 * ((1 + f) * mu_f + mu_m) / (1 - f), rel=1e-4)


def test_allele_frequency_prior_is_hardy_weinberg() -> None:
    prior = allele_frequency_prior(0.1)
    assert prior.male == pytest.approx((0.9, 0.1))
    assert prior.female == pytest.approx((0.81, 0.18, 0.01))


@pytest.mark.parametrize(
    "call",
    [
        lambda: allele_frequency_prior(1.5),
        lambda: equilibrium_prior(-1e-6, 1e-6, 0.0),
        lambda: equilibrium_prior(1e-6, 1e-6, 1.0),
        lambda: equilibrium_prior(0.09, 0.09, 0.9),
        lambda: FounderPrior(male=(0.5, 0.6), female=(1.0, 0.0, 0.0)),
    ],
)
def test_bad_prior_parameters_raise(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PedigreeError):
        call()


def test_presets_order_female_penetrance() -> None:
    """XLSA heterozygotes are usually spared, XLP heterozygotes often affected
    (biology-anchors.md 4b/4c): the presets keep that order."""
    assert PRESETS["xlsa"].female[1] < PRESETS["xlp"].female[1]
    for pen in PRESETS.values():
        assert pen.male == (0.0, 1.0) and pen.female[0] == 0.0 and pen.source


def test_penetrance_overrides_and_errors() -> None:
    pen = penetrance_for("XLP", penetrance_female=0.2, phenocopy=0.01)
    assert pen.female == (0.01, 0.2, 1.0) and pen.male == (0.01, 1.0)
    assert "overridden" in pen.source
    assert penetrance_for("xlsa") is PRESETS["xlsa"]
    with pytest.raises(PedigreeError, match="disease 'dmd'"):
        penetrance_for("dmd")
    with pytest.raises(PedigreeError, match="penetrance_female"):
        penetrance_for("xlsa", penetrance_female=1.2)
