"""The typed seam between variant interpretation and the model: what a variant does to ALAS2.

An :class:`Effect` is a small, frozen set of multiplicative factors on ALAS2's kinetic parameters,
one per mechanism (turnover, substrate and cofactor affinity, stability with and without PLP, the
interaction with succinyl-CoA synthetase, expression, the IRE). Each changed factor says whether it
rests on a measurement of that variant (``measured``) or on a rule default (``rule``), and may carry
a 95 % uncertainty range.
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
FactorBasis = Literal["measured", "rule", "given"]

EFFECT_CLASSES: tuple[str, ...] = get_args(EffectClass)
"""The allowed values of :attr:`Effect.effect_class`."""

FACTOR_NAMES: tuple[str, ...] = (
    "kcat_factor",
    "km_gly_factor",
    "km_succoa_factor",
    "kd_plp_factor",
    "stability_factor",
    "apo_stability_factor",
    "sucla2_factor",
    "ire_factor",
    "expression_factor",
)
"""The numeric factors of an :class:`Effect`, in declaration order."""

FACTOR_BASES: tuple[str, ...] = get_args(FactorBasis)
"""Where a changed factor comes from: ``measured`` (a curated measurement of this variant),
``rule`` (a rule default or an assumption), ``given`` (set by the caller, e.g. in Python)."""

NEUTRAL_TOLERANCE = 1e-12
"""Largest distance from 1 at which a factor of a ``neutral`` effect still counts as unchanged."""

__all__ = ["Effect", "EffectClass", "EFFECT_CLASSES", "FACTOR_NAMES", "FACTOR_BASES", "FactorBasis"]


@dataclass(frozen=True)
class Effect:
    """What an ALAS2 variant does to the enzyme, as factors relative to wild type (1.0 = unchanged).

    Attributes
    ----------
    effect_class
        ``loss_of_function`` | ``gain_of_function`` | ``neutral`` | ``uncertain``.
    kcat_factor
        Multiplies the turnover number kcat (dimensionless). 0 means no activity.
    km_gly_factor
        Multiplies Km and the dissociation constant for glycine (dimensionless; > 1 = weaker
        glycine binding).
    km_succoa_factor
        Multiplies Km for succinyl-CoA (dimensionless; < 1 = tighter binding).
    kd_plp_factor
        Multiplies the PLP dissociation constant (dimensionless; > 1 = weaker PLP binding, the
        pyridoxine-responsive mechanism).
    stability_factor
        Multiplies the half-life of the PLP-bound holoenzyme (dimensionless; < 1 = unstable).
    apo_stability_factor
        Multiplies the half-life of the PLP-free apoenzyme (dimensionless). A thermolabile
        variant that PLP stabilises has ``apo_stability_factor`` well below
        ``stability_factor``; an unstable variant without a PLP difference has both equal.
    sucla2_factor
        Multiplies the share of the wild-type interaction with succinyl-CoA synthetase (SUCLA2)
        that the enzyme keeps (dimensionless; 0 = no substrate channelling, 1 = normal).
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
    factor_basis
        ``(factor, basis)`` pairs for the factors that differ from 1: ``measured``, ``rule`` or
        ``given`` (see :data:`FACTOR_BASES`). A changed factor not listed is ``given``.
    ranges
        ``(factor, low, high)``: the 95 % uncertainty range of a factor (a rule default's range,
        or the range a measurement reports). Factors without a range are taken as exact.

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
    km_gly_factor: float = 1.0
    apo_stability_factor: float = 1.0
    sucla2_factor: float = 1.0
    factor_basis: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    ranges: tuple[tuple[str, float, float], ...] = field(default_factory=tuple)

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
        object.__setattr__(self, "factor_basis", _bases(self.factor_basis))
        object.__setattr__(self, "ranges", _ranges(self.ranges, self.factors()))

    def factors(self) -> dict[str, float]:
        """Return the numeric factors by name (dimensionless), in :data:`FACTOR_NAMES` order."""
        return {name: getattr(self, name) for name in FACTOR_NAMES}

    def changed(self) -> dict[str, float]:
        """The factors that differ from 1 (dimensionless)."""
        return {k: v for k, v in self.factors().items() if abs(v - 1.0) > NEUTRAL_TOLERANCE}

    def basis_of(self, factor: str) -> str:
        """Where factor ``factor`` comes from: ``measured``, ``rule`` or ``given``."""
        return dict(self.factor_basis).get(factor, "given")

    @property
    def basis(self) -> str:
        """``measured`` when every changed factor rests on a measurement of this variant;
        ``rule`` when any rests on a rule default; ``given`` for an effect set by the caller
        (and for the unchanged enzyme, ``measured``: nothing is changed)."""
        bases = {self.basis_of(k) for k in self.changed()}
        if not bases or bases == {"measured"}:
            return "measured"
        if "rule" in bases:
            return "rule"
        return "given" if bases == {"given"} else "rule"

    def range_of(self, factor: str) -> tuple[float, float] | None:
        """The 95 % range ``(low, high)`` of ``factor``, or ``None`` when it is taken as exact."""
        for name, low, high in self.ranges:
            if name == factor:
                return (low, high)
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``class``, ``parameters`` (the factors), ``basis`` (overall and per
        changed factor), ``ranges``, ``rationale``, ``source``."""
        d = asdict(self)
        return {
            "class": d["effect_class"],
            "parameters": self.factors(),
            "basis": self.basis,
            "factor_basis": {k: self.basis_of(k) for k in self.changed()},
            "ranges_95": {name: [low, high] for name, low, high in self.ranges},
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


def _bases(pairs: Any) -> tuple[tuple[str, str], ...]:
    """Check ``factor_basis`` pairs (known factor, known basis); a dict is accepted too."""
    items: Any = pairs.items() if isinstance(pairs, dict) else pairs
    if isinstance(items, str) or not isinstance(items, tuple | list | type({}.items())):
        raise VariantError(
            f"Effect factor_basis {pairs!r}: expected (factor, basis) pairs, basis one of "
            f"{', '.join(FACTOR_BASES)}"
        )
    out: list[tuple[str, str]] = []
    item: Any
    for item in items:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise VariantError(f"Effect factor_basis entry {item!r}: expected (factor, basis)")
        name, basis = item
        if name not in FACTOR_NAMES:
            raise VariantError(
                f"Effect factor_basis factor {name!r}: expected one of {', '.join(FACTOR_NAMES)}"
            )
        if basis not in FACTOR_BASES:
            raise VariantError(
                f"Effect factor_basis {name}={basis!r}: expected one of {', '.join(FACTOR_BASES)}"
            )
        out.append((str(name), str(basis)))
    return tuple(out)


def _ranges(triples: Any, factors: dict[str, float]) -> tuple[tuple[str, float, float], ...]:
    """Check ``ranges`` triples: a known factor and ``0 <= low <= value <= high`` (finite)."""
    items: Any = triples.items() if isinstance(triples, dict) else triples
    if isinstance(items, str) or not isinstance(items, tuple | list | type({}.items())):
        raise VariantError(f"Effect ranges {triples!r}: expected (factor, low, high) triples")
    out: list[tuple[str, float, float]] = []
    item: Any
    for item in items:
        if isinstance(triples, dict):
            name, bounds = item
            item = (name, *bounds)
        if not isinstance(item, tuple | list) or len(item) != 3:
            raise VariantError(f"Effect ranges entry {item!r}: expected (factor, low, high)")
        name, low, high = item
        if name not in FACTOR_NAMES:
            raise VariantError(
                f"Effect ranges factor {name!r}: expected one of {', '.join(FACTOR_NAMES)}"
            )
        lo, hi = _factor(f"{name} range low", low), _factor(f"{name} range high", high)
        value = factors[name]
        if not lo <= value <= hi:
            raise VariantError(
                f"Effect ranges {name} [{lo:g}, {hi:g}]: expected low <= {name} ({value:g}) <= high"
            )
        out.append((str(name), lo, hi))
    return tuple(out)


WILD_TYPE = Effect(effect_class="neutral", rationale="reference allele", source="")
