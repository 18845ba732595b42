"""The X-inactivation distribution reproduces the figures it was fitted to; samples reproduce.

Fit targets (peripheral blood, HUMARA assay):
- Sharp, Robinson & Jacobs, Hum Genet 2000;107:343: skewing >= 90:10 in 7% of women < 25 y and
  16% of women > 60 y.
- Knudsen et al., Cytogenet Genome Res 2007;116:24: mean degree of skewing 63.5% (< 55 y) and
  70.1% (>= 55 y).
Cross-check (not fitted): Busque et al., Blood 2009;113:3472: 38-42% of women aged 43-100 skewed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import PhenotypeError
from hemesim.phenotype.xinactivation import xi_distribution


@pytest.mark.parametrize(("age", "p90", "mean_ds"), [(25.0, 0.07, 0.635), (65.0, 0.16, 0.701)])
def test_fit_reproduces_published_skewing(age: float, p90: float, mean_ds: float) -> None:
    d = xi_distribution(age)
    assert d.prob_skewing_at_least(0.9) == pytest.approx(p90, abs=1e-4)
    assert d.mean_degree_of_skewing() == pytest.approx(mean_ds, abs=1e-4)


def test_elderly_skewing_near_busque_2009_not_fitted() -> None:
    # Busque 2009: 38-42% skewed (>= 75:25) by three methods in women aged 43-100; a loose band.
    assert 0.25 <= xi_distribution(70.0).prob_skewing_at_least(0.75) <= 0.5


def test_skewing_increases_with_age() -> None:
    probs = [xi_distribution(a).prob_skewing_at_least(0.9) for a in (20, 30, 45, 60, 80)]
    assert all(b >= a for a, b in zip(probs, probs[1:], strict=False))
    assert probs[-1] > probs[0]


def test_density_integrates_to_one_and_is_symmetric() -> None:
    from scipy import integrate

    d = xi_distribution(40.0)
    total = integrate.quad(lambda x: float(d.pdf(x)), 0.0, 1.0, limit=200)[0]
    assert total == pytest.approx(1.0, abs=1e-6)
    x = np.linspace(0.01, 0.99, 51)
    assert np.allclose(d.pdf(x), d.pdf(1.0 - x))
    assert float(d.cdf(0.5)) == pytest.approx(0.5, abs=1e-9)


def test_seed_reproduces_and_sample_matches_distribution() -> None:
    d = xi_distribution(65.0)
    a = d.sample(20000, seed=3)
    b = d.sample(20000, seed=3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, d.sample(20000, seed=4))
    # Monte Carlo share of >= 90:10 skewing agrees with the exact value (4 standard errors).
    p = d.prob_skewing_at_least(0.9)
    est = float(np.mean(np.maximum(a, 1 - a) >= 0.9))
    assert abs(est - p) < 4 * np.sqrt(p * (1 - p) / a.size)


@settings(max_examples=30, deadline=None)
@given(age=st.floats(0, 120), n=st.integers(1, 200), seed=st.integers(0, 2**32 - 1))
def test_samples_are_fractions(age: float, n: int, seed: int) -> None:
    x = xi_distribution(age).sample(n, seed)
    assert x.shape == (n,)
    assert np.all((x >= 0) & (x <= 1))


@pytest.mark.parametrize("bad", [-1, 121, float("nan"), "old"])
def test_bad_age_is_one_line_error(bad: object) -> None:
    with pytest.raises(PhenotypeError) as exc:
        xi_distribution(bad)  # type: ignore[arg-type]
    assert "\n" not in str(exc.value) and "age" in str(exc.value)


def test_bad_n_is_error() -> None:
    with pytest.raises(PhenotypeError, match="n_women"):
        xi_distribution(40).sample(0, 1)
