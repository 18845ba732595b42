"""A variant's effect from what was measured for it, with the rules filling only what was not.

Three layers, later ones winning factor by factor:

1. the rule's effect for the variant's consequence (:func:`hemesim.variants.effect_rules.
   apply_rules`): defaults with their 95 % ranges, basis ``rule``;
2. the curated variant record (``gene/data/alas2_curated_variants.csv``): its class (the
   published phenotype decides loss or gain), and its factors where it sets them. Those numbers
   are assignments (midpoints, assumed PLP and stability factors), so their basis stays ``rule``;
3. measurements of this variant (``gene/data/alas2_mechanisms.csv``, read in a table, figure or
   the text of the primary paper, or quoted by a secondary source): basis ``measured``, with the
   range the paper reports. Several rows of one factor are combined by their geometric mean and
   the envelope of their ranges.

Rows that name a factor but carry no number (``not_read``) do not change the effect; they are
listed in the effect's notes so that a user sees what is known to exist.
"""

from __future__ import annotations

import math
from collections import defaultdict

from hemesim.gene.curated import CuratedVariant
from hemesim.gene.mechanisms import MechanismRecord, records_for
from hemesim.variants.effect_rules import PARTIAL_LOSS, PYRIDOXINE_KD_PLP_FACTOR, rule_ranges
from hemesim.variants.effect_types import Effect, EffectClass

__all__ = ["curated_effect", "measured_factors", "FIELD_OF"]

FIELD_OF: dict[str, str] = {
    "kcat": "kcat_factor",
    "km_gly": "km_gly_factor",
    "km_succoa": "km_succoa_factor",
    "kd_plp": "kd_plp_factor",
    "half_life_holo": "stability_factor",
    "half_life_apo": "apo_stability_factor",
    "sucla2_binding": "sucla2_factor",
    "expression": "expression_factor",
    "ire": "ire_factor",
}
"""Factor names of ``alas2_mechanisms.csv`` -> :class:`Effect` fields."""

_LOSS_WHEN_BELOW_ONE = frozenset(
    {
        "kcat_factor",
        "stability_factor",
        "apo_stability_factor",
        "sucla2_factor",
        "expression_factor",
    }
)


def _body(description: str | None) -> str | None:
    """``NM_000032.5:c.1A>G`` -> ``c.1A>G`` (the curated tables hold bare descriptions)."""
    if not description:
        return None
    return description.split(":", 1)[-1].strip()


def measured_factors(
    hgvs_p: str | None, hgvs_c: str | None
) -> tuple[dict[str, tuple[float, float | None, float | None]], list[MechanismRecord]]:
    """Measured factors of one variant and the rows behind them.

    Parameters
    ----------
    hgvs_p, hgvs_c
        The variant's protein and coding descriptions (accession prefixes are ignored).

    Returns
    -------
    tuple
        ``({effect_field: (value, low, high)}, rows)``: the geometric mean of the measured rows
        of each factor with the envelope of their ranges (``None`` where no row gives one), and
        every curated row of the variant (numbers or not).
    """
    p, c = _body(hgvs_p), _body(hgvs_c)
    if not p and not c:
        return {}, []
    rows = list(records_for(hgvs_p=p, hgvs_c=c))
    grouped: dict[str, list[MechanismRecord]] = defaultdict(list)
    for r in rows:
        if r.value is not None and r.certainty != "not_read" and r.factor in FIELD_OF:
            grouped[FIELD_OF[r.factor]].append(r)
    out: dict[str, tuple[float, float | None, float | None]] = {}
    for field_name, group in grouped.items():
        values = [float(r.value) for r in group if r.value is not None]
        value = math.exp(sum(math.log(v) for v in values) / len(values))
        lows = [r.low for r in group if r.low is not None]
        highs = [r.high for r in group if r.high is not None]
        low = min([*lows, value]) if lows else None
        high = max([*highs, value]) if highs else None
        out[field_name] = (value, low, high)
    return out, rows


def _direction(factors: dict[str, float]) -> EffectClass:
    """Loss, gain or uncertain from the direction of measured factors."""
    signs = set()
    for name, v in factors.items():
        if v == 1.0:
            continue
        lowers = (v < 1.0) == (name in _LOSS_WHEN_BELOW_ONE)
        signs.add("loss" if lowers else "gain")
    if signs == {"loss"}:
        return "loss_of_function"
    if signs == {"gain"}:
        return "gain_of_function"
    return "uncertain"


def curated_effect(
    rule: Effect,
    record: CuratedVariant | None,
    *,
    hgvs_p: str | None,
    hgvs_c: str | None,
) -> Effect:
    """The effect of a variant from its rule, its curated record and its measurements.

    Parameters
    ----------
    rule
        What the rules give for the variant's consequence.
    record
        The curated record, or ``None`` (a provisional record must be passed as ``None``).
    hgvs_p, hgvs_c
        The variant's descriptions, used to find its measurements.

    Returns
    -------
    Effect
        Factors with a basis each (``measured`` or ``rule``) and ranges.
    """
    factors = {k: v for k, v in rule.factors().items() if v != 1.0}
    basis = {k: rule.basis_of(k) for k in factors}
    ranges = {name: (lo, hi) for name, lo, hi in rule.ranges}
    cls: EffectClass = rule.effect_class
    rationale = rule.rationale
    source = rule.source
    notes: list[str] = list(rule.notes)

    if record is not None:
        cls = record.effect_class  # type: ignore[assignment]
        own = record.factor_dict()
        extra = record.parameter_basis
        if not own:
            if rule.effect_class == record.effect_class:
                own = dict(factors)
            elif record.effect_class == "loss_of_function":
                own = dict(PARTIAL_LOSS)
                extra += "; default partial-loss factors of rule missense_core"
                ranges = {
                    k: (lo, hi)
                    for k, (_, lo, hi) in rule_ranges("missense_core").items()
                    if k in own
                }
        if (
            record.pyridoxine_responsive == "yes"
            and record.effect_class == "loss_of_function"
            and "kd_plp_factor" not in own
        ):
            own["kd_plp_factor"] = PYRIDOXINE_KD_PLP_FACTOR
            extra += (
                f"; pyridoxine-responsive, so kd_plp_factor {PYRIDOXINE_KD_PLP_FACTOR:g} (assumed)"
            )
        if "stability_factor" in own and "apo_stability_factor" not in own:
            if "thermolabile" in record.mechanism:
                # thermolabile and PLP-stabilised (Cotter 1995; Ducamp 2011): the instability
                # is the apoenzyme's; the PLP-bound enzyme is protected
                own["apo_stability_factor"] = own.pop("stability_factor")
            else:
                # a stability given without 'with or without PLP' applies to both forms
                own["apo_stability_factor"] = own["stability_factor"]
        if record.effect_class != rule.effect_class:
            factors, basis = {}, {}
        for k, v in own.items():
            factors[k] = v
            basis[k] = "rule"
        rationale = f"curated {record.phenotype} variant ({record.mechanism}): {extra}"
        source = record.source
        notes.append(f"certainty: {record.certainty}")

    measured, rows = measured_factors(hgvs_p, hgvs_c)
    for k, (value, low, high) in measured.items():
        factors[k] = value
        basis[k] = "measured"
        if low is not None and high is not None:
            ranges[k] = (low, high)
        else:
            ranges.pop(k, None)
    if measured:
        if record is None and (cls == "uncertain" or not rule.changed()):
            cls = _direction(factors)
        cited = sorted({f"{r.source} ({r.location})" for r in rows if r.value is not None})
        rationale += "; measured: " + ", ".join(
            f"{k} {v[0]:.3g}" for k, v in sorted(measured.items())
        )
        source = "; ".join([source, *cited]) if source else "; ".join(cited)
    unread = sorted({f"{r.factor} ({r.mechanism})" for r in rows if r.value is None})
    if unread:
        notes.append("reported but not read: " + ", ".join(unread))
    changed = {k: v for k, v in factors.items() if v != 1.0}
    if cls == "neutral" and changed:
        cls = _direction(changed)
    return Effect(
        effect_class=cls,
        rationale=rationale,
        source=source,
        notes=tuple(notes),
        factor_basis=tuple((k, basis[k]) for k in changed),
        ranges=tuple(
            (k, lo, hi) for k, (lo, hi) in ranges.items() if k in changed and lo <= changed[k] <= hi
        ),
        **changed,
    )
