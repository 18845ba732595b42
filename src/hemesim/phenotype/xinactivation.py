"""The X-inactivation ratio ``xi`` across women, as an age-dependent probability distribution.

``xi`` is the fraction of a woman's erythroid cells whose *active* X carries the variant allele.
X-inactivation is clonal in haematopoiesis, so a heterozygous woman is a mosaic of two erythroid
clones in the proportions ``xi : 1 - xi`` (see :mod:`hemesim.phenotype.mosaic`).

Model
-----
Which parental X carries the variant is independent of the direction of skewing, so the
distribution of ``xi`` is symmetric about 1/2. It is a two-component mixture::

    xi ~ (1 - w) * Beta(c, c)  +  w * Beta(1/2, 1/2)

- the *core* ``Beta(c, c)`` is random inactivation in the few embryonic founder cells of blood
  (a binomial draw from a small number of cells is close to a symmetric Beta);
- the *skewed* arcsine component ``Beta(1/2, 1/2)`` carries the heavy tails: familial/primary
  skewing and the acquired skewing of haematopoiesis with age.

``c`` and ``w`` are fitted, per age anchor, to two published figures for peripheral blood
(androgen-receptor methylation assay, HUMARA):

==========  ===================================  ============================================
anchor age  P(degree of skewing >= 90:10)        mean degree of skewing
==========  ===================================  ============================================
25 years    0.07 (women < 25 y)                  0.635 (women < 55 y)
65 years    0.16 (women > 60 y)                  0.701 (women >= 55 y)
==========  ===================================  ============================================

Sources: Sharp, Robinson & Jacobs, Hum Genet 2000;107:343 ("severe skewing (>= 90:10) ... in 7% of
women under 25 years of age, and 16% of women over 60"); Knudsen et al., Cytogenet Genome Res
2007;116:24 (80 women aged 19-90 y; mean degree of skewing in blood 63.5% (< 55 y) vs 70.1%
(>= 55 y)). Fitted values: ``c = 8.16, w = 0.171`` (25 y) and ``c = 4.68, w = 0.387`` (65 y); both
targets are matched exactly (to 1e-9). Between the anchors ``c`` and ``w`` are interpolated
linearly in age and held constant outside them (assumption: the cited studies report group
contrasts, not a functional form; Hatakeyama et al., Hum Genet 2004;115:387 found little change
over two decades before 60 and abrupt acquired changes after 60).

Cross-checks that were *not* fitted: the 65-year distribution gives P(skewing >= 75:25) = 0.33,
against 38-42% in polymorphonuclear cells of women aged 43-100 by three methods (Busque et al.,
Blood 2009;113:3472); Amos-Landgraf et al., AJHG 2006;79:493 (1,005 unaffected females) report
that "only a very small proportion" of unaffected females are significantly skewed, especially
neonates (their frequency tables were not read, so they are not used as targets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import PhenotypeError

__all__ = [
    "MAX_WOMEN",
    "seeded_rng",
    "validate_n_women",
    "XiDistribution",
    "xi_distribution",
    "AGE_ANCHORS_YEARS",
    "DEFAULT_AGE_YEARS",
]

#: Age anchors (years) and the mixture parameters fitted there: (core shape c, skewed weight w).
AGE_ANCHORS_YEARS: tuple[float, float] = (25.0, 65.0)
_FIT: dict[float, tuple[float, float]] = {25.0: (8.159916, 0.170757), 65.0: (4.675796, 0.386736)}
#: Shape of the skewed (arcsine) component.
SKEWED_SHAPE = 0.5
#: Default age for a woman whose age is not given (an adult; penetrance is reported at this age).
DEFAULT_AGE_YEARS = 40.0

XI_SOURCES = (
    "Sharp, Robinson & Jacobs, Hum Genet 2000;107:343 (>=90:10 skewing in 7% of women <25 y, "
    "16% >60 y); Knudsen et al., Cytogenet Genome Res 2007;116:24 (mean skewing 63.5% <55 y, "
    "70.1% >=55 y); cross-check Busque et al., Blood 2009;113:3472"
)


MAX_WOMEN = 10_000_000
"""Most women sampled in one call (80 MB of ``xi`` values; 10^9 exhausted the memory)."""


def validate_n_women(n: Any) -> int:
    """Return ``n`` as an int from 1 to :data:`MAX_WOMEN`, or raise a one-line PhenotypeError."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_WOMEN:
        raise PhenotypeError(f"n_women {n!r}: expected a whole number from 1 to {MAX_WOMEN:,}")
    return int(n)


def seeded_rng(seed: Any) -> np.random.Generator:
    """A numpy Generator from ``seed``: a whole number >= 0, a Generator, or ``None`` (fresh
    entropy).

    Raises
    ------
    PhenotypeError
        Any other seed (a negative number made numpy raise a bare ValueError).
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise PhenotypeError(
            f"seed {seed!r}: expected a whole number >= 0 (or none for a fresh random draw)"
        )
    return np.random.default_rng(int(seed))


@dataclass(frozen=True)
class XiDistribution:
    """Distribution of the X-inactivation ratio ``xi`` (dimensionless, 0..1) at one age.

    Attributes
    ----------
    age_years
        Age the parameters apply to (years).
    core_shape
        ``c`` of the symmetric core component ``Beta(c, c)``.
    skewed_weight
        ``w``, weight of the arcsine component ``Beta(1/2, 1/2)``.
    """

    age_years: float
    core_shape: float
    skewed_weight: float

    def _components(self) -> tuple[Any, Any]:
        from scipy import stats

        return stats.beta(self.core_shape, self.core_shape), stats.beta(SKEWED_SHAPE, SKEWED_SHAPE)

    def pdf(self, xi: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """Probability density of ``xi`` (per unit xi)."""
        core, skewed = self._components()
        x = np.asarray(xi, dtype=float)
        w = self.skewed_weight
        return np.asarray((1.0 - w) * core.pdf(x) + w * skewed.pdf(x), dtype=float)

    def cdf(self, xi: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """Cumulative probability P(X <= xi)."""
        core, skewed = self._components()
        x = np.asarray(xi, dtype=float)
        w = self.skewed_weight
        return np.asarray((1.0 - w) * core.cdf(x) + w * skewed.cdf(x), dtype=float)

    def sf(self, xi: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """Survival probability P(X > xi)."""
        return np.asarray(1.0 - self.cdf(xi), dtype=float)

    def prob_skewing_at_least(self, degree: float) -> float:
        """P(max(xi, 1 - xi) >= degree): the share of women skewed at least ``degree`` (0.5..1)."""
        if not 0.5 <= degree <= 1.0:
            raise PhenotypeError(f"degree {degree!r}: expected a skewing degree between 0.5 and 1")
        return float(2.0 * self.sf(degree)) if degree > 0.5 else 1.0

    def mean_degree_of_skewing(self) -> float:
        """E[max(xi, 1 - xi)] (dimensionless), by quadrature."""
        from scipy import integrate

        core, skewed = self._components()

        def mean_abs_dev(dist: Any) -> float:
            return float(
                integrate.quad(lambda x: abs(x - 0.5) * dist.pdf(x), 0.0, 1.0, limit=200)[0]
            )

        w = self.skewed_weight
        return 0.5 + (1.0 - w) * mean_abs_dev(core) + w * mean_abs_dev(skewed)

    def sample(self, n: int, seed: int | np.random.Generator | None = None) -> NDArray[np.float64]:
        """Draw ``n`` values of ``xi`` (dimensionless) with a reproducible generator.

        Parameters
        ----------
        n
            Number of women (>= 1).
        seed
            Integer seed or ``numpy.random.Generator``; ``None`` draws fresh entropy.
        """
        validate_n_women(n)
        rng = seeded_rng(seed)
        n = int(n)
        skewed = rng.random(n) < self.skewed_weight
        out = rng.beta(self.core_shape, self.core_shape, size=n)
        out[skewed] = rng.beta(SKEWED_SHAPE, SKEWED_SHAPE, size=int(skewed.sum()))
        return out

    def probability_above(self, threshold: float) -> float:
        """P(xi > threshold): used to integrate a monotone disease criterion over women."""
        return float(self.sf(min(max(threshold, 0.0), 1.0)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description with the sources of the fit."""
        return {
            "family": "mixture: (1-w) Beta(c,c) + w Beta(0.5,0.5)",
            "age_years": self.age_years,
            "core_shape_c": self.core_shape,
            "skewed_weight_w": self.skewed_weight,
            "p_skewing_ge_90": self.prob_skewing_at_least(0.9),
            "p_skewing_ge_75": self.prob_skewing_at_least(0.75),
            "source": XI_SOURCES,
        }


def xi_distribution(age_years: float | None = None) -> XiDistribution:
    """Return the population distribution of ``xi`` for women of a given age.

    Parameters
    ----------
    age_years
        Age in years (0-120). ``None`` means :data:`DEFAULT_AGE_YEARS`.

    Returns
    -------
    XiDistribution
        Parameters interpolated linearly in age between the 25- and 65-year anchors.
    """
    age = DEFAULT_AGE_YEARS if age_years is None else age_years
    try:
        if isinstance(age, bool):
            raise TypeError("a boolean is not an age")
        age = float(age)
    except (TypeError, ValueError):
        raise PhenotypeError(f"age {age_years!r}: expected a number of years") from None
    if not np.isfinite(age) or not 0.0 <= age <= 120.0:
        raise PhenotypeError(f"age {age_years!r}: expected years between 0 and 120")
    lo, hi = AGE_ANCHORS_YEARS
    t = min(max((age - lo) / (hi - lo), 0.0), 1.0)
    c = (1 - t) * _FIT[lo][0] + t * _FIT[hi][0]
    w = (1 - t) * _FIT[lo][1] + t * _FIT[hi][1]
    return XiDistribution(age_years=age, core_shape=c, skewed_weight=w)
