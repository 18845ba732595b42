"""An interval on every prediction: the 95 % range among people with the genotype.

A prediction's point value (``predict``) is the blood of the typical person with the variant. Its
``interval_95`` is the 2.5-97.5 % range of the same readout among ``n`` simulated people with the
same genotype (and X-inactivation, when given), who differ in two ways:

* **between people**: the calibrated between-person variability of the virtual population
  (:mod:`hemesim.phenotype.vpop`, when present; see docs/phenotype.md), the same parameters for
  both clones of a woman;
* **in the effect itself**, where a factor rests on a rule default or a measurement with a
  reported range (:attr:`hemesim.variants.effect_types.Effect.ranges`): each factor is drawn from a
  two-piece log-normal whose 2.5 and 97.5 % points are the range's ends and whose median is the
  factor's value. A factor without a range is taken as exact.

A woman without a given ``xi`` also draws her X-inactivation ratio from the population
distribution at her age. Every person goes through the same path as the point prediction
(:func:`hemesim.phenotype.assess.assess`), so the share of people given each disease call is
reported too (``call_shares``).

The simulations run on the batched engine (generated from the model's SBML; the first use in a
fresh cache compiles its kernel), ``2 n`` erythroblast time courses per prediction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import PhenotypeError
from hemesim.phenotype.assess import assess
from hemesim.phenotype.iron_delivery import IRON_SUPPLY_PARAMETER, UPTAKE_OUTPUT, limit_shares
from hemesim.variants.effect_types import Effect

__all__ = [
    "DEFAULT_PEOPLE",
    "MAX_PEOPLE",
    "PeopleSampler",
    "PredictionIntervals",
    "factor_draws",
    "PeopleClones",
    "default_people",
    "simulate_people",
    "intervals_of",
    "prediction_intervals",
]

#: People simulated for one interval (each costs two erythroblast time courses).
DEFAULT_PEOPLE = 400
#: Largest number of people accepted for one interval.
MAX_PEOPLE = 100_000
_Z975 = 1.959963984540054

PeopleSampler = Callable[[np.random.Generator, int, str], dict[str, NDArray[np.float64]]]
"""``sampler(rng, n, sex) -> {parameter table name: multiplier per person}``: between-person
variability, as factors on the model defaults (1 = the typical person)."""


def factor_draws(
    effect: Effect, n: int, rng: np.random.Generator
) -> dict[str, NDArray[np.float64]]:
    """Draws of each changed factor of ``effect`` (dimensionless), ``n`` per factor.

    A factor with a 95 % range ``(low, high)`` is drawn from a two-piece log-normal with median
    the factor's value, log-scale SD ``ln(value/low)/1.96`` below and ``ln(high/value)/1.96``
    above; a factor without a range (or a range of zero width on a side) is held at its value.
    A factor of 0 (no activity, no expression) stays 0.
    """
    out: dict[str, NDArray[np.float64]] = {}
    for name, value in effect.changed().items():
        rng_range = effect.range_of(name)
        if rng_range is None or value <= 0.0:
            out[name] = np.full(n, value)
            continue
        low, high = rng_range
        z = rng.standard_normal(n)
        sd_low = math.log(value / low) / _Z975 if low > 0 else 0.0
        sd_high = math.log(high / value) / _Z975 if high > 0 else 0.0
        log_draw = np.where(z < 0, z * sd_low, z * sd_high)
        out[name] = value * np.exp(log_draw)
    return out


@dataclass(frozen=True)
class PredictionIntervals:
    """95 % ranges of the readouts among people with one genotype.

    Attributes
    ----------
    intervals
        Readout -> ``(low, high)`` (2.5 and 97.5 % quantiles; units as the readout).
    call_shares
        Share of the simulated people given each disease call.
    n_people, seed
        How many people and the seed.
    sources_of_spread
        What varies: ``"between-person variability"`` and/or ``"rule/measurement ranges of
        <factors>"``; ``[]`` when nothing does (the interval is then the point).
    """

    intervals: dict[str, tuple[float, float]]
    call_shares: dict[str, float]
    n_people: int
    seed: int | None
    sources_of_spread: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "interval_95": {k: [lo, hi] for k, (lo, hi) in self.intervals.items()},
            "call_shares": self.call_shares,
            "n_people": self.n_people,
            "seed": self.seed,
            "sources_of_spread": list(self.sources_of_spread),
        }


def _engine() -> Any:
    from hemesim.model import load_definition
    from hemesim.simulate.batched import BatchedEngine

    global _ENGINE
    if _ENGINE is None:
        definition = load_definition("erythroid")
        _ENGINE = BatchedEngine(definition, readouts=[*definition.readout_names, UPTAKE_OUTPUT])
    return _ENGINE


_ENGINE: Any = None


def _overrides(
    effect_draws: Mapping[str, NDArray[np.float64]],
    people: Mapping[str, NDArray[np.float64]],
    treatment: Mapping[str, float],
    n: int,
) -> tuple[dict[str, NDArray[np.float64]], dict[str, NDArray[np.float64]]]:
    """Absolute parameter columns (table names) of the mutant and the normal clone."""
    from hemesim.model import load_definition
    from hemesim.model.effects import effect_columns

    d = load_definition("erythroid")
    defaults = d.defaults
    normal: dict[str, NDArray[np.float64]] = {}
    for name, mult in people.items():
        normal[name] = defaults[d.id_of(name)] * np.asarray(mult, dtype=float)
    for name, factor in treatment.items():
        base = normal.get(name, np.full(n, defaults[d.id_of(name)]))
        normal[name] = base * float(factor)
    mutant = effect_columns(effect_draws, normal, n, d)
    return mutant, normal


@dataclass(frozen=True)
class PeopleClones:
    """The two erythroid clones of ``n`` simulated people with one genotype (model units).

    X-inactivation does not change a clone, only how the clones mix, so one set of clones
    serves any ``xi`` (:meth:`blood`).
    """

    mutant: dict[str, NDArray[np.float64]]
    normal: dict[str, NDArray[np.float64]]
    n: int
    seed: int | None
    sources_of_spread: list[str]
    epo_gain: float
    iron_share: NDArray[np.float64] | None = None

    def people(self, xi: float | NDArray[np.float64], *, sex: str, mechanism: str) -> Any:
        """These people at X-inactivation ``xi`` (one per person, or shared):
        :class:`hemesim.phenotype.assess.People`."""
        xis = np.broadcast_to(np.asarray(xi, dtype=float), (self.n,))
        return assess(
            self.mutant, self.normal, xis, sex=sex, mechanism=mechanism, epo_gain=self.epo_gain
        )


def simulate_people(
    effect: Effect,
    *,
    sex: str,
    treatment_factors: Mapping[str, float] | None = None,
    n: int = DEFAULT_PEOPLE,
    seed: int | None = 0,
    people: PeopleSampler | None = None,
    epo_gain: float = 0.0,
) -> PeopleClones:
    """Simulate the clones of ``n`` people with this genotype (see the module docstring).

    Parameters
    ----------
    effect
        The variant's effect (its ranges set the effect's share of the spread).
    sex
        ``"male"`` or ``"female"`` (passed to the between-person sampler).
    treatment_factors
        Parameter factors of a treatment, applied to both clones of everyone.
    n
        People simulated (1 to 100,000).
    seed
        Seed of every draw.
    people
        Between-person variability (:data:`PeopleSampler`); ``None``: none.
    epo_gain
        The model's EPO feedback gain (for the Hb of a mosaic).
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_PEOPLE:
        raise PhenotypeError(f"n {n!r}: expected a whole number of people from 1 to {MAX_PEOPLE}")
    n = int(n)
    key = (effect, sex, tuple(sorted((treatment_factors or {}).items())), n, seed, people, epo_gain)
    hit = _PEOPLE_CACHE.get(key) if seed is not None else None
    if hit is not None:
        return hit
    rng = np.random.default_rng(seed)
    draws = factor_draws(effect, n, rng)
    spread: list[str] = []
    ranged = sorted(k for k in effect.changed() if effect.range_of(k) is not None)
    if ranged:
        spread.append("rule/measurement ranges of " + ", ".join(ranged))
    person_columns: dict[str, NDArray[np.float64]] = {}
    if people is not None:
        person_columns = people(rng, n, sex)
        spread.append("between-person variability")
    mutant_cols, normal_cols = _overrides(draws, person_columns, treatment_factors or {}, n)
    engine = _engine()
    t_end = float(engine.defaults.get("maturation_duration", 72.0))
    guard = {"guard": np.full(n, engine.defaults["guard"])}
    frame_m = engine.endpoint_frame(mutant_cols or guard, t_end=t_end)
    frame_n = engine.endpoint_frame(normal_cols or guard, t_end=t_end)
    mutant = {c: frame_m[c].to_numpy(dtype=float, copy=True) for c in frame_m.columns}
    normal = {c: frame_n[c].to_numpy(dtype=float) for c in frame_n.columns}
    share = _limit_iron(engine, t_end, mutant_cols, mutant, normal.pop(UPTAKE_OUTPUT), n)
    mutant.pop(UPTAKE_OUTPUT)
    out = PeopleClones(
        mutant=mutant,
        normal=normal,
        n=n,
        seed=seed,
        sources_of_spread=spread,
        epo_gain=epo_gain,
        iron_share=share,
    )
    if seed is not None:
        if len(_PEOPLE_CACHE) >= 64:
            _PEOPLE_CACHE.clear()
        _PEOPLE_CACHE[key] = out
    return out


def _limit_iron(
    engine: Any,
    t_end: float,
    mutant_cols: dict[str, NDArray[np.float64]],
    mutant: dict[str, NDArray[np.float64]],
    reference: NDArray[np.float64],
    n: int,
) -> NDArray[np.float64]:
    """Limit each person's variant clone to the plasma's iron delivery, in place.

    ``mutant`` (endpoint columns, with :data:`UPTAKE_OUTPUT`) is updated for the people whose
    variant clone would take up more transferrin iron than their normal clone
    (:mod:`hemesim.phenotype.iron_delivery`); only those are simulated again. Returns the share
    of iron supply each person's variant clone got (1 = not limited).
    """
    default_supply = float(engine.defaults[_supply_id()])
    supply = np.asarray(
        mutant_cols.get(IRON_SUPPLY_PARAMETER, np.full(n, default_supply)), dtype=float
    )

    def rerun(todo: NDArray[np.int64], share: NDArray[np.float64]) -> NDArray[np.float64]:
        cols = {k: np.asarray(v, dtype=float)[todo] for k, v in mutant_cols.items()}
        cols[IRON_SUPPLY_PARAMETER] = supply[todo] * share
        frame = engine.endpoint_frame(cols, t_end=t_end)
        for c in frame.columns:
            mutant[c][todo] = frame[c].to_numpy(dtype=float)
        return mutant[UPTAKE_OUTPUT][todo]

    return limit_shares(mutant[UPTAKE_OUTPUT], reference, rerun)


def _supply_id() -> str:
    from hemesim.model import load_definition

    return str(load_definition("erythroid").id_of(IRON_SUPPLY_PARAMETER))


_PEOPLE_CACHE: dict[tuple[Any, ...], PeopleClones] = {}
"""Simulated people by request (seeded requests only): the same question costs no second
simulation in a process."""


def default_people() -> PeopleSampler | None:
    """The calibrated between-person variability of the virtual population, when the package
    has one (:mod:`hemesim.phenotype.vpop`); ``None`` otherwise."""
    try:
        from hemesim.phenotype.vpop import people_sampler  # type: ignore[attr-defined]
    except ImportError:
        return None
    sampler: PeopleSampler = people_sampler()
    return sampler


def intervals_of(
    group: Any, clones: PeopleClones, readouts: tuple[str, ...] | None = None
) -> PredictionIntervals:
    """2.5-97.5 % ranges and call shares of a group of people (:class:`~hemesim.phenotype.
    assess.People`) simulated as ``clones``."""
    names = readouts or tuple(group.blood)
    ok = group.diagnosis.calls != "failed"
    intervals: dict[str, tuple[float, float]] = {}
    for k in names:
        values = np.asarray(group.blood[k], dtype=float)[ok]
        if values.size:
            lo, hi = np.quantile(values, [0.025, 0.975])
            intervals[k] = (float(lo), float(hi))
    return PredictionIntervals(
        intervals=intervals,
        call_shares=group.diagnosis.shares(),
        n_people=clones.n,
        seed=clones.seed,
        sources_of_spread=list(clones.sources_of_spread),
    )


def prediction_intervals(
    effect: Effect,
    *,
    sex: str,
    mechanism: str,
    xi: float | NDArray[np.float64],
    treatment_factors: Mapping[str, float] | None = None,
    n: int = DEFAULT_PEOPLE,
    seed: int | None = 0,
    people: PeopleSampler | None = None,
    epo_gain: float = 0.0,
    readouts: tuple[str, ...] | None = None,
) -> PredictionIntervals:
    """95 % ranges of the blood readouts among ``n`` people with this genotype.

    Parameters are those of :func:`simulate_people`, plus ``mechanism`` (the variant's mechanism
    class, for each person's disease call), ``xi`` (X-inactivation ratio of every person, or one
    per person; 1 for a man) and ``readouts`` (default: every blood readout).
    """
    clones = simulate_people(
        effect,
        sex=sex,
        treatment_factors=treatment_factors,
        n=n,
        seed=seed,
        people=people,
        epo_gain=epo_gain,
    )
    return intervals_of(clones.people(xi, sex=sex, mechanism=mechanism), clones, readouts)
