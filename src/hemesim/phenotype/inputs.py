"""Turn what a user passes as a variant (HGVS text, a VariantReport or an Effect) into an Effect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hemesim.errors import PhenotypeError
from hemesim.variants.effect_types import Effect

__all__ = ["ResolvedVariant", "resolve_variant"]


@dataclass(frozen=True)
class ResolvedVariant:
    """A variant reduced to what the phenotype stage uses.

    Attributes
    ----------
    label
        How to name it in output (HGVS text, or ``"effect"`` for a bare Effect).
    effect
        Its effect on ALAS2.
    report
        The variant report as a dict (``VariantReport.to_dict()``), when there is one.
    known
        Curated record as a dict, when the variant is a known one.
    """

    label: str
    effect: Effect
    report: dict[str, Any] | None = None
    known: dict[str, Any] | None = None

    @property
    def is_neutral(self) -> bool:
        """True when the effect changes nothing the model carries (every factor 1).

        The class alone does not decide: ``Effect(kcat_factor=0.05)`` keeps the default class
        ``neutral`` but is a severe loss, and was called "none" at Hb 4.4 g/dL.
        """
        return all(abs(v - 1.0) < 1e-12 for v in self.effect.factors().values())

    @property
    def mechanism(self) -> str:
        """The mechanism class the disease call takes (``neutral`` when nothing changes)."""
        from hemesim.phenotype.diagnosis import mechanism_of

        return mechanism_of(self.effect.effect_class, neutral=self.is_neutral)

    @property
    def disease(self) -> str | None:
        """The disease the variant's mechanism points to: ``XLSA`` (loss), ``XLP`` (gain), or
        ``None`` (neutral or direction unknown)."""
        return {"loss_of_function": "XLSA", "gain_of_function": "XLP"}.get(self.mechanism)

    @property
    def is_unquantified(self) -> bool:
        """True when no rule or record quantifies the effect: class ``uncertain`` with every
        factor 1. The model would simulate the reference enzyme, which is not a prediction."""
        return self.effect.effect_class == "uncertain" and all(
            abs(v - 1.0) < 1e-12 for v in self.effect.factors().values()
        )

    def require_quantified(self) -> ResolvedVariant:
        """Return ``self``, or raise when the effect is not quantified.

        Raises
        ------
        PhenotypeError
            For an uncertain effect without factors (``c.1A>G``, a 5'UTR change, a missense
            outside the catalytic core): running the model would report the reference
            phenotype ("disease: none", penetrance 0) for a variant whose effect is unknown.
            In Python, a hypothesis about such a variant can be explored by passing an
            ``Effect`` with explicit factors instead of the variant.
        """
        if not self.is_unquantified:
            return self
        why = self.effect.rationale.removeprefix("no rule applies: ")
        raise PhenotypeError(
            f"no phenotype predicted for {self.label}: its effect on ALAS2 is uncertain "
            f"({why[:160]}); hemesim predicts only effects that its rules or curated records "
            "quantify (see the variant report)"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "label": self.label,
            "effect": self.effect.to_dict(),
            "known": self.known,
        }


def _as_dict(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        out = to_dict()
        return out if isinstance(out, dict) else {"value": out}
    return {"value": str(obj)}


def resolve_variant(variant: Any) -> ResolvedVariant:
    """Resolve ``variant`` (HGVS str | VariantReport | Effect) to a :class:`ResolvedVariant`.

    HGVS text goes through ``hemesim.variants.interpret.interpret``; its errors
    (:class:`hemesim.errors.VariantError`) pass through unchanged.
    """
    if isinstance(variant, Effect):
        return ResolvedVariant(label=f"Effect({variant.effect_class})", effect=variant)
    if isinstance(variant, str):
        text = variant.strip()
        if not text:
            raise PhenotypeError("variant '': expected an HGVS description such as c.1355G>A")
        from hemesim.variants.interpret import interpret

        report = interpret(text)
        return _from_report(report, text)
    if hasattr(variant, "effect") and isinstance(variant.effect, Effect):
        label = str(
            getattr(variant, "input", None) or getattr(variant, "hgvs_c", None) or "variant"
        )
        return _from_report(variant, label)
    raise PhenotypeError(f"variant {variant!r}: expected HGVS text, a VariantReport or an Effect")


def _from_report(report: Any, label: str) -> ResolvedVariant:
    effect = report.effect
    if not isinstance(effect, Effect):
        raise PhenotypeError(f"variant {label!r}: its report carries no ALAS2 Effect")
    return ResolvedVariant(
        label=label,
        effect=effect,
        report=_as_dict(report),
        known=_as_dict(getattr(report, "known", None)),
    )
