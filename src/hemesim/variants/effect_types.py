"""The typed seam between variant interpretation and the model: what a variant does to ALAS2.

An :class:`Effect` is a small, frozen set of multiplicative factors on ALAS2's kinetic parameters.
The ``model`` stage maps it to parameter overrides (``hemesim.model.effect_overrides``); nothing
below the model knows parameter names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EffectClass = Literal["loss_of_function", "gain_of_function", "neutral", "uncertain"]

__all__ = ["Effect", "EffectClass"]


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


WILD_TYPE = Effect(effect_class="neutral", rationale="reference allele", source="")
