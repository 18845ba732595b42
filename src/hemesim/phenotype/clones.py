"""The phenotype stage's one door to the model: simulate an erythroid clone, cached per process.

Everything the phenotype stage needs from the model passes through a :class:`CloneBackend`:

- ``endpoint(overrides)``: readouts at the end of erythroblast maturation (model units);
- ``base_value(name)``: a parameter's default (so treatments can scale it);
- ``effect_overrides(effect)``: the parameter values that an ALAS2 :class:`Effect` sets.

:class:`ModelBackend` implements it with the roadrunner model (``hemesim.simulate.load_model``)
and memoises every endpoint by its overrides, so a hemizygous man costs one simulation, a woman two
(mutant clone and normal clone) whatever the number of X-inactivation ratios evaluated, and a
repeated request costs none. Tests may pass any object with the same three methods.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import HemesimError
from hemesim.phenotype.iron_delivery import IRON_SUPPLY_PARAMETER, UPTAKE_OUTPUT, limit_shares
from hemesim.variants.effect_types import Effect

__all__ = [
    "CloneBackend",
    "ModelBackend",
    "ClonePair",
    "default_backend",
    "merge_overrides",
    "simulate_clones",
]


class CloneBackend(Protocol):
    """What the phenotype stage needs from a model (see module docstring)."""

    def endpoint(self, overrides: Mapping[str, float]) -> dict[str, float]:
        """Endpoint readouts for a cell with these parameter overrides."""
        ...

    def base_value(self, name: str) -> float:
        """Default value of parameter ``name`` (table units)."""
        ...

    def effect_overrides(self, effect: Effect) -> dict[str, float]:
        """Parameter values set by an ALAS2 effect."""
        ...


class ModelBackend:
    """:class:`CloneBackend` over the roadrunner erythroid model, memoised per overrides.

    Parameters
    ----------
    model_name
        Model to load (``"erythroid"``).
    """

    def __init__(self, model_name: str = "erythroid") -> None:
        self.model_name = model_name
        self._model: Any = None
        self._definition: Any = None
        self._cache: dict[tuple[tuple[str, float], ...], dict[str, float]] = {}
        self._uptake: dict[tuple[tuple[str, float], ...], float] = {}
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._model is None:
            from hemesim.model import load_definition
            from hemesim.simulate import load_model

            self._definition = load_definition(self.model_name)
            self._model = load_model(self.model_name)

    def endpoint(self, overrides: Mapping[str, float]) -> dict[str, float]:
        """Endpoint readouts (model units) for these overrides; cached."""
        key = tuple(sorted((str(k), float(v)) for k, v in overrides.items()))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                return dict(hit)
            self._load()
            raw = dict(self._model.endpoint(dict(key) or None, extra=(UPTAKE_OUTPUT,)))
            self._uptake[key] = float(raw.pop(UPTAKE_OUTPUT, float("nan")))
            result = {k: float(v) for k, v in raw.items() if _is_number(v)}
            self._cache[key] = result
            return dict(result)

    def iron_uptake(self, overrides: Mapping[str, float]) -> float:
        """Transferrin iron one cell took up over maturation (amol), for these overrides."""
        key = tuple(sorted((str(k), float(v)) for k, v in overrides.items()))
        if key not in self._uptake:
            self.endpoint(overrides)
        return self._uptake[key]

    def base_value(self, name: str) -> float:
        """Default value of a parameter (table name such as ``PLP`` or ``iron.supply``)."""
        with self._lock:
            self._load()
            defaults = self._definition.defaults
            return float(defaults[self._definition.id_of(name)])

    def effect_overrides(self, effect: Effect) -> dict[str, float]:
        """Parameter overrides for an ALAS2 effect (``hemesim.model.effect_overrides``)."""
        from hemesim.model import effect_overrides

        with self._lock:
            self._load()
            definition = self._definition
        return {str(k): float(v) for k, v in effect_overrides(effect, definition).items()}

    def cache_size(self) -> int:
        """Number of distinct endpoints simulated so far."""
        return len(self._cache)


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


_DEFAULT: ModelBackend | None = None
_DEFAULT_LOCK = threading.Lock()


def default_backend() -> ModelBackend:
    """The per-process :class:`ModelBackend` (created on first use)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ModelBackend("erythroid")
        return _DEFAULT


def merge_overrides(
    backend: CloneBackend,
    base: Mapping[str, float],
    factors: Mapping[str, float],
) -> dict[str, float]:
    """Apply multiplicative ``factors`` on top of absolute ``base`` overrides.

    A factor on a parameter that ``base`` does not set multiplies the model default.
    """
    out = {str(k): float(v) for k, v in base.items()}
    for name, factor in factors.items():
        start = out[name] if name in out else backend.base_value(name)
        out[name] = start * float(factor)
    return out


@dataclass(frozen=True)
class ClonePair:
    """Endpoint readouts of the two erythroid clones (model units).

    Attributes
    ----------
    mutant
        Cells expressing the variant allele (a hemizygous man's erythroblasts).
    normal
        Cells expressing the reference allele.
    epo_gain
        The model's EPO feedback gain (dimensionless), used to mix Hb.
    overrides_mutant, overrides_normal
        The parameter overrides each clone was simulated with (the mutant's include its
        limited iron supply, when limited).
    iron_share
        Factor on the variant clone's iron supply that keeps its transferrin iron uptake at the
        normal clone's (1 = not limited; :mod:`hemesim.phenotype.iron_delivery`).
    """

    mutant: dict[str, float]
    normal: dict[str, float]
    epo_gain: float
    overrides_mutant: dict[str, float]
    overrides_normal: dict[str, float]
    iron_share: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "mutant": dict(self.mutant),
            "normal": dict(self.normal),
            "epo_gain": self.epo_gain,
            "overrides_mutant": dict(self.overrides_mutant),
            "overrides_normal": dict(self.overrides_normal),
            "iron_share": self.iron_share,
        }


#: Parameter holding the EPO feedback gain in the model table.
EPO_GAIN_PARAMETER = "EPO.gain"


def simulate_clones(
    effect: Effect,
    *,
    treatment_factors: Mapping[str, float] | None = None,
    backend: CloneBackend | None = None,
) -> ClonePair:
    """Simulate the mutant and the normal clone once each (cached).

    Parameters
    ----------
    effect
        The variant's effect on ALAS2.
    treatment_factors
        Multiplicative factors on model parameters applied to BOTH clones (a treatment reaches
        every erythroblast), e.g. ``{"PLP": 3.0}``.
    backend
        Model access; the per-process :class:`ModelBackend` by default.
    """
    be: CloneBackend = backend if backend is not None else default_backend()
    factors = dict(treatment_factors or {})
    over_m = merge_overrides(be, be.effect_overrides(effect), factors)
    over_n = merge_overrides(be, {}, factors)
    try:
        gain = float(be.base_value(EPO_GAIN_PARAMETER))
    except (LookupError, HemesimError):  # no EPO feedback in this backend: xi-weighted Hb
        gain = 0.0
    normal = be.endpoint(over_n)
    mutant = be.endpoint(over_m)
    over_m, mutant, share = _limit_iron(be, over_m, over_n, mutant)
    return ClonePair(
        mutant=mutant,
        normal=normal,
        epo_gain=gain,
        overrides_mutant=over_m,
        overrides_normal=over_n,
        iron_share=share,
    )


def _limit_iron(
    be: CloneBackend,
    over_m: dict[str, float],
    over_n: dict[str, float],
    mutant: dict[str, float],
) -> tuple[dict[str, float], dict[str, float], float]:
    """The variant clone at the plasma's iron delivery (:mod:`hemesim.phenotype.iron_delivery`).

    A backend without ``iron_uptake`` (a test double) is left unlimited.
    """
    uptake = getattr(be, "iron_uptake", None)
    if uptake is None:
        return over_m, mutant, 1.0
    supply = over_m.get(IRON_SUPPLY_PARAMETER, be.base_value(IRON_SUPPLY_PARAMETER))
    limited = {"overrides": over_m, "mutant": mutant}

    def rerun(_todo: NDArray[np.int64], share: NDArray[np.float64]) -> NDArray[np.float64]:
        limited["overrides"] = {**over_m, IRON_SUPPLY_PARAMETER: supply * float(share[0])}
        limited["mutant"] = be.endpoint(limited["overrides"])
        return np.array([uptake(limited["overrides"])])

    share = limit_shares(np.array([uptake(over_m)]), np.array([uptake(over_n)]), rerun)
    current, mutant = limited["overrides"], limited["mutant"]
    return current, mutant, float(share[0])
