r"""Mutation-selection balance at an X-linked locus: the expectations the simulator is tested on.

Model and notation are those of :mod:`hemesim.genetics.population_model`: ``u = mu_female`` and
``v = mu_male`` (A -> a per maternal / paternal gamete), affected-male fitness ``w_m``, female
heterozygote penetrance ``h`` and affected-heterozygote fitness ``w_h`` (so an ``Aa`` woman has
mean fitness ``omega = 1 - h (1 - w_h)``), ``aa`` fitness ``w_hom``. Frequencies are at birth:
``x`` of affected (``a``) males among males, ``y`` of ``Aa`` and ``z`` of ``aa`` among females.

Leading order in the mutation rates (derivation; ``docs/population.md`` has it in full)
------------------------------------------------------------------------------------
A son's X is maternal, so ``x' = omega y / 2 + u``. A daughter is ``Aa`` when exactly one parent
transmits ``a``: ``y' = (omega y / 2 + u) + (w_m x + v)``, neglecting products of small terms. At
the fixed point ``y = (1 + w_m) x + v`` and

    x = (2 u + omega v) / (2 - omega (1 + w_m)),

valid when ``D = 2 - omega (1 + w_m) > 0`` (the variant is selected against); otherwise there is
no balance and mutation drives ``a`` up. With ``u = v = mu``, ``h = 0``: ``x = 3 mu / (1 - w_m)``
and ``y = 2 mu (2 + w_m) / (1 - w_m)`` (Haldane 1935). The affected males whose ``a`` arose in
the transmitting (maternal) gamete are a fraction ``u / x = u D / (2 u + omega v)`` of all affected
males: ``(1 - w_m) / 3`` for equal rates, 1/3 for a genetic lethal. ``aa`` daughters need ``a``
from both parents, ``z ~ x (w_m x + v)`` (second order). Affected females are ``h y + z``, so the
affected male:female ratio at birth is ``x / (h y + z)``: about ``1 / (w_m x + v)`` (hundreds to
thousands) for a recessive-like variant (``h = 0``), and ``x / y = 1 / (1 + w_m + v / x)``, near
1/2, for a dominant-like one (``h = 1``).

Exact deterministic equilibrium
-------------------------------
:func:`deterministic_equilibrium` solves the infinite-population recursion (all orders in the
rates, including ``aa`` females) for its fixed point; the simulator's stationary mean converges to
it as N grows. The leading-order formulas differ from it by a relative O(mu).

References
----------
Haldane JBS (1935) The rate of spontaneous mutation of a human gene. J Genet 31:317-326.
Crow JF, Kimura M (1970) An Introduction to Population Genetics Theory, ch. 6 (populations in
approximate equilibrium: mutation-selection balance). Harper & Row; reprint Blackburn 2009.
Risk of recurrence and carrier frequency for X-linked lethal recessives, Hum Hered 1973;23:19-26
(doi:10.1159/000152548): one third of cases of a fully penetrant X-linked genetic lethal are
fresh mutations; carrier frequency among reproducing females about four times the mutation rate.
Lange K, Gladstien K, Zatz M (1978) Am J Hum Genet 30:180-189 (unequal mutation rates, drift).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from hemesim.errors import HemesimError, SimulationError
from hemesim.genetics._checks import short_repr
from hemesim.genetics.population_model import (
    PopulationModel,
    check_model,
    maternal_gamete_probabilities,
    paternal_gamete_probability,
)

__all__ = [
    "Equilibrium",
    "balance_exists",
    "leading_order_equilibrium",
    "deterministic_equilibrium",
    "deterministic_step",
]


@dataclass(frozen=True)
class Equilibrium:
    """Expected frequencies at birth at mutation-selection balance (per male / per female).

    Attributes
    ----------
    affected_male_frequency
        ``x``: fraction of males that carry ``a`` (all are affected); also the male allele
        frequency.
    heterozygous_female_frequency
        ``y``: fraction of females that are ``Aa``.
    homozygous_female_frequency
        ``z``: fraction of females that are ``aa``.
    allele_frequency_female
        ``y / 2 + z``.
    affected_female_frequency
        ``h y + z``.
    new_mutation_fraction
        Fraction of affected males whose ``a`` arose in the transmitting gamete (``nan`` if
        ``x = 0``).
    affected_male_to_female_ratio
        ``x / (h y + z)`` (``inf`` if no female is expected to be affected).
    method
        ``"leading_order"`` or ``"deterministic"``.
    """

    affected_male_frequency: float
    heterozygous_female_frequency: float
    homozygous_female_frequency: float
    allele_frequency_female: float
    affected_female_frequency: float
    new_mutation_fraction: float
    affected_male_to_female_ratio: float
    method: str

    @property
    def allele_frequency_male(self) -> float:
        """Male allele frequency, the same as ``affected_male_frequency``."""
        return self.affected_male_frequency

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (non-finite values are turned into ``null`` by the JSON emitter)."""
        out = asdict(self)
        out["allele_frequency_male"] = self.allele_frequency_male
        return out


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.inf if num > 0 else math.nan


def _selection_denominator(model: PopulationModel) -> float:
    return 2.0 - model.mean_het_fitness * (1.0 + model.fitness_male)


def balance_exists(model: PopulationModel) -> bool:
    """True when the variant is selected against, ``2 - omega (1 + w_m) > 0``.

    Only then does mutation-selection balance hold at low frequency; otherwise the one-way
    mutation pressure and the lack of selection carry ``a`` towards fixation.

    Raises
    ------
    HemesimError
        If ``model`` is not a :class:`PopulationModel`.
    """
    return _selection_denominator(check_model(model)) > 0.0


def _build(
    x: float, y: float, z: float, new: float, model: PopulationModel, method: str
) -> Equilibrium:
    h = model.penetrance_female
    affected_f = h * y + z
    return Equilibrium(
        affected_male_frequency=x,
        heterozygous_female_frequency=y,
        homozygous_female_frequency=z,
        allele_frequency_female=y / 2.0 + z,
        affected_female_frequency=affected_f,
        new_mutation_fraction=new / x if x > 0 else math.nan,
        affected_male_to_female_ratio=_ratio(x, affected_f),
        method=method,
    )


def leading_order_equilibrium(model: PopulationModel) -> Equilibrium | None:
    """Haldane-type balance to leading order in the mutation rates (``None`` if no balance).

    ``x = (2u + omega v) / (2 - omega (1 + w_m))``, ``y = (1 + w_m) x + v``,
    ``z = x (w_m x + v)``, new-mutation fraction ``u / x``. See the module docstring.
    ``None`` also when the formula leaves [0, 1] (``x`` or ``y`` above 1, e.g. ``3 mu / (1 - w_m)``
    at ``mu = 0.1``, ``w_m = 0.9``): the expansion in ``mu`` does not hold there.

    Raises
    ------
    HemesimError
        If ``model`` is not a :class:`PopulationModel`.
    """
    if not balance_exists(model):
        return None
    u, v, w_m = model.mu_female, model.mu_male, model.fitness_male
    omega = model.mean_het_fitness
    x = (2.0 * u + omega * v) / _selection_denominator(model)
    y = (1.0 + w_m) * x + v
    z = x * (w_m * x + v)
    if x > 1.0 or y > 1.0:
        return None
    return _build(x, y, z, u, model, "leading_order")


def deterministic_step(state: Any, model: PopulationModel) -> tuple[np.ndarray, float]:
    """One generation of the infinite-population recursion.

    Parameters
    ----------
    state
        ``(x, y, z)``: frequencies of ``a`` males, ``Aa`` and ``aa`` females at birth; three
        numbers in [0, 1] with ``y + z <= 1``.
    model
        The population model (its size is not used).

    Returns
    -------
    (next_state, new)
        The next ``(x, y, z)`` and the frequency of sons whose ``a`` is a new maternal mutation.

    Raises
    ------
    HemesimError
        If ``state`` is not three such frequencies or ``model`` is not a
        :class:`PopulationModel`.
    """
    return _step(_check_state(state), check_model(model))


def _check_state(state: Any) -> tuple[float, float, float]:
    try:
        arr = np.asarray(state)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.shape == (3,) and arr.dtype.kind in "iuf":
        x, y, z = (float(v) for v in arr)
        if 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 and 0.0 <= z <= 1.0 and y + z <= 1.0 + 1e-12:
            return x, y, z  # (NaN fails the comparisons)
    raise HemesimError(
        f"state {short_repr(state)}: expected (x, y, z), the frequencies of affected males, "
        "Aa females and aa females: three numbers in [0, 1] with y + z <= 1"
    )


def _step(
    state: tuple[float, float, float] | np.ndarray, model: PopulationModel
) -> tuple[np.ndarray, float]:
    """:func:`deterministic_step` without the argument checks (internal callers)."""
    x, y, z = (float(s) for s in state)
    h = model.penetrance_female
    p_inh, p_new = maternal_gamete_probabilities(1.0 - y - z, y * (1.0 - h), y * h, z, model)
    p_mat = p_inh + p_new
    p_pat = paternal_gamete_probability(1.0 - x, x, model)
    nxt = np.array([p_mat, p_mat * (1 - p_pat) + (1 - p_mat) * p_pat, p_mat * p_pat])
    return nxt, float(p_new)


def _fixed_point_state(x: float, model: PopulationModel) -> tuple[float, float, float]:
    """The female frequencies ``(x, y, z)`` that a male frequency ``x`` implies at a fixed point.

    At a fixed point a daughter gets ``a`` from her father with the probability
    ``q = P(paternal a | x)`` and from her mother with probability ``x`` (the sons' frequency,
    since a son's X is maternal), so ``y = x (1 - q) + (1 - x) q`` and ``z = x q``.
    """
    q = float(paternal_gamete_probability(1.0 - x, x, model))
    return x, x * (1.0 - q) + (1.0 - x) * q, x * q


def _reduced_residual(x: float, model: PopulationModel) -> float:
    """``g(x) = P(maternal a | y(x), z(x)) - x``: zero exactly at the recursion's fixed points."""
    _, y, z = _fixed_point_state(x, model)
    h = model.penetrance_female
    p_inh, p_new = maternal_gamete_probabilities(1.0 - y - z, y * (1.0 - h), y * h, z, model)
    return float(p_inh + p_new) - x


#: male frequencies scanned for the first sign change of the reduced residual (tiny balances
#: such as 3 mu with mu = 1e-9 and large ones near 1 are both bracketed)
_SCAN = np.unique(np.concatenate([[0.0], np.geomspace(1e-18, 1.0, 361), np.linspace(0, 1, 1001)]))


def deterministic_equilibrium(model: PopulationModel) -> Equilibrium | None:
    """Fixed point of the infinite-population recursion (``None`` if there is no balance).

    The three equations reduce to one in the affected-male frequency ``x`` (see
    :func:`_fixed_point_state`): ``g(x) = P(maternal a) - x``, with ``g(0) >= 0`` (mutation
    only adds ``a``). The balance is the smallest root, bracketed by the first sign change on
    a grid over [0, 1] and solved by Brent's method to machine precision; the full recursion
    is then checked at it (residual below 1e-14, frequencies inside [0, 1]). This holds for
    any mutation rate: the leading-order formula (which exceeds 1 for large rates, e.g.
    ``3 mu / (1 - w_m)`` at ``mu = 0.1, w_m = 0.9``) is not used as a starting value.

    ``None`` when the leading-order condition ``2 - omega (1 + w_m) > 0`` fails or when ``g``
    stays >= 0 below ``x = 1``: then the only fixed point is fixation, where mutation pressure
    beats selection (e.g. ``mu = 0.1``, ``w_m = 0.9``: the recursion from 0 reaches x = 0.9997
    after 20 000 generations).

    Raises
    ------
    HemesimError
        If ``model`` is not a :class:`PopulationModel`.
    SimulationError
        If the fixed point found fails the checks (not expected; kept as a guard).
    """
    from scipy.optimize import brentq

    if not balance_exists(model):
        return None
    if model.mu_female == 0.0 and model.mu_male == 0.0:
        return _build(0.0, 0.0, 0.0, 0.0, model, "deterministic")

    def g(x: float) -> float:
        return _reduced_residual(float(x), model)

    values = np.array([g(x) for x in _SCAN])
    below = np.flatnonzero(values < 0.0)
    if below.size == 0:
        return None  # no balance below fixation: the variant is driven to x = 1
    if below[0] == 0 or not np.isfinite(values[below[0] - 1]):
        raise SimulationError(
            f"deterministic equilibrium: no valid fixed point found for {model.to_dict()}"
        )
    lo, hi = float(_SCAN[below[0] - 1]), float(_SCAN[below[0]])
    x = lo if values[below[0] - 1] == 0.0 else brentq(g, lo, hi, xtol=1e-300, rtol=4 * 2.0**-52)
    state = np.array(_fixed_point_state(float(x), model))
    residual = _step(state, model)[0] - state
    if not (np.all(np.abs(residual) < 1e-14) and np.all((state >= 0) & (state <= 1))):
        raise SimulationError(
            f"deterministic equilibrium: no valid fixed point found for {model.to_dict()}"
        )
    x, y, z = (float(s) for s in state)
    _, new = _step(state, model)
    return _build(x, y, z, new, model, "deterministic")
