"""The typed seam between variant interpretation and the model: what a variant does to ALAS2.

An :class:`Effect` is a small, frozen set of multiplicative factors on ALAS2's kinetic parameters.
The ``model`` stage maps it to parameter overrides (``hemesim.model.effect_overrides``); nothing
below the model knows parameter names. An ``Effect`` checks its fields when it is built, so a bad
class or factor is reported where it was written, not later inside the model.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from hemesim.errors import VariantError

EffectClass = Literal["loss_of_function", "gain_of_function", "neutral", "uncertain"]

EFFECT_CLASSES: tuple[str, ...] = get_args(EffectClass)
"""The allowed values of :attr:`Effect.effect_class`."""

FACTOR_NAMES: tuple[str, ...] = (
    "kcat_factor",
    "km_succoa_factor",
    "kd_plp_factor",
    "stability_factor",
    "ire_factor",
    "expression_factor",
)
"""The numeric factors of an :class:`Effect`, in declaration order."""

NEUTRAL_TOLERANCE = 1e-12
"""Largest distance from 1 at which a factor of a ``neutral`` effect still counts as unchanged."""

__all__ = ["Effect", "EffectClass", "EFFECT_CLASSES", "FACTOR_NAMES"]


@dataclass(frozen=True)
class Effect:
    """What an ALAS2 variant does to the enzyme, as factors relative to wild type (1.0 = unchanged).

    Attributes
    ----------
    effect_class
        ``loss_of_function`` | ``gain_of_function`` | ``neutral`` | ``uncertain``.
    kcat_factor
        Multiplies the turnover number kcat (dimensionless). 0 means no activity.
    km_succoa_factor
        Multiplies Km for succinyl-CoA (dimensionless; < 1 = tighter binding).
    kd_plp_factor
        Multiplies the PLP dissociation constant (dimensionless; > 1 = weaker PLP binding, the
        pyridoxine-responsive mechanism).
    stability_factor
        Multiplies the protein half-life (dimensionless; < 1 = thermolabile / unstable).
    ire_factor
        Multiplies the strength of IRP repression of ALAS2 translation (dimensionless; 0 = the IRE
        no longer binds IRP, translation ignores iron; 1 = normal).
    expression_factor
        Multiplies ALAS2 synthesis (dimensionless; 0 for null alleles: start-loss, early stop,
        canonical splice-site loss).
    rationale
        Why these numbers (rule applied or curated record), in words.
    source
        Citation(s) for the numbers (PMID, paper), or ``"rule: <name>"``.
    notes
        Further remarks (e.g. the certainty of a curated record); a list is stored as a tuple.

    Raises
    ------
    VariantError
        When built with an ``effect_class`` outside :data:`EFFECT_CLASSES`; a factor that is not
        a finite real number >= 0 (booleans and text are refused; integers and NumPy scalars are
        stored as ``float``); class ``neutral`` with a factor other than 1; or a ``rationale``,
        ``source`` or note that is not text.

    Notes
    -----
    ``neutral`` means "the enzyme is unchanged", so a neutral effect has every factor 1
    (:data:`WILD_TYPE`, a synonymous change). A hypothetical effect with changed factors must say
    which way it acts: ``Effect("loss_of_function", kcat_factor=0.05)``, or ``"uncertain"`` when
    the direction is not known. Refusing ``Effect(kcat_factor=0.05)`` (whose class defaults to
    ``neutral``) keeps the phenotype stage, which takes a neutral class to mean "no disease",
    from reporting a healthy carrier for an enzyme at 5 % activity.

    Upper limits that depend on the model (``ire_factor`` may not push ``IRE.repression`` above 1)
    are checked when the effect is applied (:func:`hemesim.model.effect_overrides`).

    Examples
    --------
    >>> Effect("loss_of_function", kcat_factor=0.2).factors()["kcat_factor"]
    0.2
    """

    effect_class: EffectClass = "neutral"
    kcat_factor: float = 1.0
    km_succoa_factor: float = 1.0
    kd_plp_factor: float = 1.0
    stability_factor: float = 1.0
    ire_factor: float = 1.0
    expression_factor: float = 1.0
    rationale: str = ""
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        """Check every field (see Raises) and store the factors as ``float``."""
        cls = self.effect_class
        if not isinstance(cls, str) or cls not in EFFECT_CLASSES:
            raise VariantError(
                f"Effect effect_class {cls!r}: expected one of {', '.join(EFFECT_CLASSES)}"
            )
        for name in FACTOR_NAMES:
            object.__setattr__(self, name, _factor(name, getattr(self, name)))
        if cls == "neutral":
            changed = {k: v for k, v in self.factors().items() if abs(v - 1.0) > NEUTRAL_TOLERANCE}
            if changed:
                shown = ", ".join(f"{k}={v!r}" for k, v in changed.items())
                raise VariantError(
                    f"Effect with {shown} has effect_class 'neutral' (the default), which means "
                    "the enzyme is unchanged (every factor 1); for a changed enzyme give "
                    "effect_class='loss_of_function', 'gain_of_function' or 'uncertain' "
                    "(direction unknown)"
                )
        for name in ("rationale", "source"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise VariantError(f"Effect {name} {value!r}: expected text (str)")
        notes = self.notes
        if isinstance(notes, str) or not isinstance(notes, tuple | list):
            raise VariantError(f"Effect notes {notes!r}: expected a tuple of texts (str)")
        if not all(isinstance(n, str) for n in notes):
            raise VariantError(f"Effect notes {notes!r}: expected a tuple of texts (str)")
        object.__setattr__(self, "notes", tuple(notes))

    def factors(self) -> dict[str, float]:
        """Return the numeric factors by name (dimensionless)."""
        return {
            "kcat_factor": self.kcat_factor,
            "km_succoa_factor": self.km_succoa_factor,
            "kd_plp_factor": self.kd_plp_factor,
            "stability_factor": self.stability_factor,
            "ire_factor": self.ire_factor,
            "expression_factor": self.expression_factor,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``class``, ``parameters`` (the factors), ``rationale``, ``source``."""
        d = asdict(self)
        return {
            "class": d["effect_class"],
            "parameters": self.factors(),
            "rationale": self.rationale,
            "source": self.source,
            "notes": list(self.notes),
        }


def _factor(name: str, value: Any) -> float:
    """``value`` as a float, or :class:`VariantError` naming the factor ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise VariantError(
            f"Effect {name} {value!r}: expected a real number >= 0 (a factor relative to wild "
            f"type, 1.0 = unchanged), not {type(value).__name__}"
        )
    f = float(value)
    if not math.isfinite(f) or f < 0:
        raise VariantError(
            f"Effect {name} {value!r}: expected a finite real number >= 0 (a factor relative to "
            "wild type, 1.0 = unchanged)"
        )
    return f


WILD_TYPE = Effect(effect_class="neutral", rationale="reference allele", source="")
