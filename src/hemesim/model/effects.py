"""Map a variant's :class:`~hemesim.variants.effect_types.Effect` to model parameter overrides.

Each factor of an ``Effect`` multiplies ALAS2 parameters of the model's default table, one
mechanism each:

========================  ==========================  ============================================
Effect factor             parameter(s)                meaning in the model
========================  ==========================  ============================================
``kcat_factor``           ``ALAS2.kcat``              turnover number (1/h)
``km_gly_factor``         ``ALAS2.Km_gly``,           glycine binding (uM): Km and the E-glycine
                          ``ALAS2.Ki_gly``            dissociation constant of the ordered law
``km_succoa_factor``      ``ALAS2.Km_succoa``         Km for succinyl-CoA (uM)
``kd_plp_factor``         ``ALAS2.Kd_PLP``            PLP dissociation constant (uM): the holoenzyme
                                                      fraction PLP/(Kd + PLP) falls
``stability_factor``      ``ALAS2.half_life``         half-life of the PLP-bound holoenzyme (h)
``apo_stability_factor``  ``ALAS2.half_life_apo``     half-life of the PLP-free apoenzyme (h)
``sucla2_factor``         ``ALAS2.sucla2_binding``    share of the SUCLA2 interaction kept (1),
                                                      which sets the succinyl-CoA ALAS2 sees
``ire_factor``            ``IRE.repression``          strength of IRP repression of translation (1)
``expression_factor``     ``ALAS2.ksyn``              maximal translation rate (uM/h)
========================  ==========================  ============================================

An XLP gain of function is therefore expressed through ``kcat_factor`` and
``km_succoa_factor`` as measured on purified enzyme (>3x kcat, >14x kcat/Km; Ducamp et al. 2013),
never as a built-in 20-40x Vmax (``shared/science.md`` section 4).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import ModelError

if TYPE_CHECKING:
    from hemesim.model.definition import ModelDefinition
    from hemesim.variants.effect_types import Effect

__all__ = ["EFFECT_PARAMETERS", "effect_columns", "effect_overrides"]

EFFECT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "kcat_factor": ("ALAS2.kcat",),
    "km_gly_factor": ("ALAS2.Km_gly", "ALAS2.Ki_gly"),
    "km_succoa_factor": ("ALAS2.Km_succoa",),
    "kd_plp_factor": ("ALAS2.Kd_PLP",),
    "stability_factor": ("ALAS2.half_life",),
    "apo_stability_factor": ("ALAS2.half_life_apo",),
    "sucla2_factor": ("ALAS2.sucla2_binding",),
    "ire_factor": ("IRE.repression",),
    "expression_factor": ("ALAS2.ksyn",),
}
"""Effect factor -> the parameter-table names it multiplies."""

_SHORTEST_HALF_LIFE_H = 1e-6
"""A half-life factor of 0 (an infinitely unstable protein) is mapped to this half-life (h)."""


def effect_overrides(effect: Effect, definition: ModelDefinition | None = None) -> dict[str, float]:
    """Parameter overrides (table names -> absolute values) that apply ``effect``.

    Parameters
    ----------
    effect
        The variant's effect, factors relative to wild type (1.0 = unchanged).
    definition
        The model whose default values the factors multiply (default: ``erythroid``).

    Returns
    -------
    dict
        ``{"ALAS2.kcat": value, ...}`` for every factor that differs from 1, in the table's
        units. A wild-type effect gives ``{}``.

    Raises
    ------
    ModelError
        If ``effect`` is not an :class:`Effect` or ``definition`` not a ``ModelDefinition``;
        if a factor is not a finite real number >= 0 (an :class:`Effect` already refuses one
        when it is built; this guards objects changed after that), or moves a parameter past
        its upper bound (``ire_factor`` > 1 would make ``IRE.repression`` exceed 1).

    Notes
    -----
    ``stability_factor = 0`` or ``apo_stability_factor = 0`` would mean an infinitely unstable
    protein; it is mapped to a half-life of 1e-6 h, which removes that form of the enzyme as
    completely as ``expression_factor = 0`` removes all of it.
    """
    from hemesim.model.definition import (
        UPPER_BOUNDS,
        ModelDefinition,
        load_definition,
        parameter_id,
    )
    from hemesim.variants.effect_types import Effect

    if not isinstance(effect, Effect):
        raise ModelError(
            f"effect {effect!r}: expected a hemesim Effect "
            "(e.g. Effect('loss_of_function', kcat_factor=0.2))"
        )
    if definition is not None and not isinstance(definition, ModelDefinition):
        raise ModelError(
            f"definition {definition!r}: expected a ModelDefinition "
            "(hemesim.model.load_definition()) or None"
        )
    d = definition if definition is not None else load_definition("erythroid")
    defaults = d.defaults
    out: dict[str, float] = {}
    for factor_name, value in effect.factors().items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ModelError(
                f"Effect.{factor_name} = {value!r} is not allowed; expected a finite factor >= 0 "
                f"(a real number), not {type(value).__name__}"
            )
        f = float(value)
        if not math.isfinite(f) or f < 0:
            raise ModelError(
                f"Effect.{factor_name} = {value!r} is not allowed; expected a finite factor >= 0"
            )
        if f == 1.0:
            continue
        for pname in EFFECT_PARAMETERS[factor_name]:
            new = float(_scaled(pname, np.asarray(defaults[parameter_id(pname)]), f))
            upper = UPPER_BOUNDS.get(parameter_id(pname))
            if upper is not None and new > upper:
                raise ModelError(
                    f"Effect.{factor_name} = {value!r} gives {pname} = {new:g}; expected a "
                    f"factor that keeps it at most {upper:g}"
                )
            out[pname] = new
    return out


def _scaled(pname: str, base: NDArray[np.float64], factor: Any) -> NDArray[np.float64]:
    """``base x factor`` for parameter ``pname``, a half-life floored at 1e-6 h."""
    col = np.asarray(base, dtype=float) * factor
    if pname.endswith(("half_life", "half_life_apo")):
        col = np.maximum(col, _SHORTEST_HALF_LIFE_H)
    return np.asarray(col)


def effect_columns(
    factor_draws: Mapping[str, NDArray[np.float64]],
    base: Mapping[str, NDArray[np.float64]],
    n: int,
    definition: ModelDefinition | None = None,
) -> dict[str, NDArray[np.float64]]:
    """:func:`effect_overrides` for ``n`` people at once (table names -> value per person).

    Parameters
    ----------
    factor_draws
        Effect factor name -> one factor per person (dimensionless), e.g. draws through a
        factor's uncertainty range.
    base
        Parameter-table name -> each person's own value (table units); a parameter missing
        here starts from the model default.
    n
        Number of people.
    definition
        The model (default: ``erythroid``).

    Returns
    -------
    dict
        ``base`` with every parameter an effect factor acts on replaced by ``own value x
        factor``. Unlike :func:`effect_overrides`, which refuses a factor that moves a parameter
        past its upper bound, a draw past it is clipped to the bound (a sampled tail, not a
        user's request).
    """
    from hemesim.model.definition import UPPER_BOUNDS, load_definition

    d = definition if definition is not None else load_definition("erythroid")
    out = {k: np.asarray(v, dtype=float).copy() for k, v in base.items()}
    for factor_name, draws in factor_draws.items():
        for pname in EFFECT_PARAMETERS[factor_name]:
            pid = d.id_of(pname)
            own = out.get(pname, np.full(n, d.defaults[pid]))
            col = _scaled(pname, own, np.asarray(draws, dtype=float))
            upper = UPPER_BOUNDS.get(pid)
            if upper is not None:
                col = np.minimum(col, upper)
            out[pname] = col
    return out
