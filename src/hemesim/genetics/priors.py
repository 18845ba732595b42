r"""Founder genotype priors for one X-linked biallelic locus.

Founders (members whose parents are not in the pedigree) get their genotype from the population.
Two ways to set it:

Allele frequency ``q``
    Males are ``A`` with probability ``q``; females are in Hardy-Weinberg proportions
    ``(1-q)^2, 2q(1-q), q^2``.

Mutation-selection equilibrium (the default when no ``q`` is given)
    Derivation, first order in the mutation rates (all frequencies at birth). Let ``x`` be the
    frequency of affected (``A``) males and ``y`` the frequency of carrier (``NA``) females;
    ``AA`` females are second order. Carrier females reproduce normally; affected males have
    relative fitness ``f``; each transmitted normal allele mutates to ``A`` with probability
    ``mu_f`` in an egg and ``mu_m`` in a sperm. A son's X comes from his mother, so

    .. math:: x' = y/2 + \mu_f .

    A daughter gets one X from each parent; a father transmits ``A`` with probability
    ``f x`` (affected fathers are under-represented by their fitness) plus new mutation, so

    .. math:: y' = (y/2 + \mu_f) + (f x + \mu_m) .

    At equilibrium ``x' = x`` and ``y' = y``:

    .. math::

        x = \frac{2\mu_f + \mu_m}{1 - f}, \qquad
        y = \frac{2\,[(1 + f)\mu_f + \mu_m]}{1 - f} .

    With equal rates ``mu_f = mu_m = mu`` this is Haldane's result, ``x = 3mu/(1-f)`` and
    ``y = 2mu(2+f)/(1-f)``; a fraction ``(1-f)/3`` of affected males then carry a new mutation,
    and the mother of an isolated affected male is a carrier with probability ``(2+f)/3``.
    A founder female is built as the union of a maternal gamete (``A`` with probability
    ``x``, the same as a son's) and a paternal gamete (``A`` with probability ``y - x =
    f x + mu_m``), so her ``NA`` frequency is ``y`` to first order and ``AA`` is the (second
    order) product.

Sources: J.B.S. Haldane, "The rate of spontaneous mutation of a human gene", J Genet 1935;31:317
(equilibrium for a sex-linked lethal); the general-fitness form as summarised in
/work/shared/science.md section 5 and in P.J. Bridge, *The Calculation of Genetic Risks* (Johns
Hopkins UP, 1997), appendix tables (via medicalalgorithms.com, "risk of being a carrier for an
X-linked recessive condition in a woman with one affected son": equal rates, ``f = 0``, carrier
coefficient 4 mu).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import as_real, short_repr

__all__ = ["FounderPrior", "allele_frequency_prior", "equilibrium_prior"]


@dataclass(frozen=True)
class FounderPrior:
    """Genotype probabilities for founders.

    Attributes
    ----------
    male
        ``[P(N), P(A)]``.
    female
        ``[P(NN), P(NA), P(AA)]``.
    method
        ``"allele_frequency"``, ``"equilibrium"`` or ``"custom"``.
    """

    male: tuple[float, float]
    female: tuple[float, float, float]
    method: str = "custom"
    fitness_male: float | None = None

    def __post_init__(self) -> None:
        for name, genotypes in (("male", "(N, A)"), ("female", "(NN, NA, AA)")):
            probs = getattr(self, name)
            size = genotypes.count(",") + 1
            values = (
                [as_real(p) for p in probs]
                if isinstance(probs, (tuple, list)) and len(probs) == size
                else None
            )
            if (
                values is None
                or any(v is None or not math.isfinite(v) or v < 0 for v in values)
                or not math.isclose(math.fsum(values), 1.0, rel_tol=1e-5, abs_tol=1e-12)  # type: ignore[arg-type]
            ):
                raise PedigreeError(
                    f"founder prior {name} {short_repr(probs)}: expected {size} probabilities "
                    f"{genotypes}, numbers that are non-negative and sum to 1"
                )
            object.__setattr__(self, name, tuple(values))

    @property
    def carrier_female(self) -> float:
        """Frequency of females with at least one ``A`` allele."""
        return self.female[1] + self.female[2]

    @property
    def affected_male(self) -> float:
        """Frequency of ``A`` males."""
        return self.male[1]

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "male": list(self.male),
            "female": list(self.female),
            "method": self.method,
            "fitness_male": self.fitness_male,
        }


def _check_prob(name: str, value: Any, *, upper: float = 1.0, open_upper: bool = False) -> float:
    """``value`` as a float if it is a number in [0, upper] (or [0, upper)); booleans, text and
    ``None`` are refused with the same one-line message as an out-of-range number."""
    number = as_real(value)
    bad = (
        number is None
        or not math.isfinite(number)
        or number < 0
        or number > upper
        or (open_upper and number >= upper)
    )
    if bad:
        bound = f"[0, {upper})" if open_upper else f"[0, {upper}]"
        raise PedigreeError(f"{name} {short_repr(value)}: must be a number in {bound}")
    return number  # type: ignore[return-value]


def allele_frequency_prior(q: float) -> FounderPrior:
    """Founder prior from the allele frequency ``q`` (males ``A`` with ``q``; females HWE).

    Parameters
    ----------
    q
        Frequency of the disease allele ``A`` on X chromosomes (dimensionless, in [0, 1]).
    """
    q = _check_prob("allele frequency", q)
    return FounderPrior(
        male=(1.0 - q, q),
        female=((1.0 - q) ** 2, 2.0 * q * (1.0 - q), q * q),
        method="allele_frequency",
    )


def equilibrium_prior(mu_female: float, mu_male: float, fitness_male: float) -> FounderPrior:
    """Founder prior at mutation-selection equilibrium (first order in the mutation rates).

    Parameters
    ----------
    mu_female, mu_male
        Mutation rate N -> A per transmitted X in eggs and in sperm (per gamete per generation).
    fitness_male
        Relative reproductive fitness ``f`` of affected males, in [0, 1).

    Returns
    -------
    FounderPrior
        Males ``A`` with ``x = (2 mu_f + mu_m)/(1-f)``; females from a maternal gamete (``A``
        with ``x``) and a paternal gamete (``A`` with ``f x + mu_m``), so carriers ``~ y =
        2((1+f) mu_f + mu_m)/(1-f)``. See the module docstring for the derivation.
    """
    mu_female = _check_prob("mu_female", mu_female, upper=0.1)
    mu_male = _check_prob("mu_male", mu_male, upper=0.1)
    f = _check_prob("fitness_male", fitness_male, open_upper=True)
    x = (2.0 * mu_female + mu_male) / (1.0 - f)
    paternal = f * x + mu_male
    if x > 0.5 or paternal > 0.5:
        raise PedigreeError(
            f"mutation rates ({mu_female}, {mu_male}) with fitness {f}: equilibrium frequency "
            f"{x:.3g} is too large for a first-order approximation; lower the rates"
        )
    female = (
        (1.0 - x) * (1.0 - paternal),
        x * (1.0 - paternal) + (1.0 - x) * paternal,
        x * paternal,
    )
    return FounderPrior(male=(1.0 - x, x), female=female, method="equilibrium", fitness_male=f)
