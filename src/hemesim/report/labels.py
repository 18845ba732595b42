"""Display names, units, rounding, reference ranges and high/low flags of the readouts.

One place for how a readout is shown to a person, used by the CLI tables, the web pages (as JSON,
:func:`labels_json`) and the reports: ``hb_g_dl`` is shown as "Haemoglobin (g/dL)", rounded to
one decimal, with the reference interval of healthy adults of the person's sex and a flag when the
value lies outside it.

Reference intervals come from :func:`hemesim.phenotype.reference_intervals.reference_interval`
(published intervals of healthy adults with their sources); a readout without a row there has no
range and no flag. Fractions (``znpp_fraction``, ``xi`` ...) are shown as percentages.

Readout entries may be bare numbers or objects ``{"value", "unit", "interval_95": [low, high],
"basis", ...}``; extra keys are ignored and ``interval_95``, when present, is shown beside the
value ("11.2 g/dL (95 %: 9.8-12.6)").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

__all__ = [
    "Flag",
    "Label",
    "LABELS",
    "Range",
    "ReadoutRow",
    "display_name",
    "flag",
    "format_number",
    "format_readout",
    "format_value",
    "label",
    "labels_json",
    "ordered_keys",
    "readout_rows",
    "reference_range",
    "unpack",
]

Flag = Literal["low", "high", ""]


@dataclass(frozen=True)
class Label:
    """How one readout is shown.

    Attributes
    ----------
    key
        The readout's identifier (``hb_g_dl``).
    name
        Clinical name (``Haemoglobin``).
    unit
        Unit as shown (after ``scale``), e.g. ``g/dL`` or ``% of total EP``.
    decimals
        Decimals shown; ``None``: three significant digits.
    scale
        Shown value = stored value x ``scale`` (100 turns a fraction into a percentage).
    clinical
        A blood readout a clinician orders (listed first); model-internal readouts are not.
    """

    key: str
    name: str
    unit: str
    decimals: int | None = None
    scale: float = 1.0
    clinical: bool = True

    @property
    def title(self) -> str:
        """``"Haemoglobin (g/dL)"``; the name alone when there is no unit."""
        return f"{self.name} ({self.unit})" if self.unit else self.name


_PCT = 100.0
LABELS: dict[str, Label] = {
    lab.key: lab
    for lab in (
        Label("hb_g_dl", "Haemoglobin", "g/dL", 1),
        Label("mcv_fl", "MCV (mean cell volume)", "fL", 0),
        Label("mch_pg", "MCH (mean cell haemoglobin)", "pg", 1),
        Label("mchc_g_dl", "MCHC", "g/dL", 1),
        Label("rdw_cv_percent", "RDW-CV (red cell width)", "%", 1),
        Label("ep_total_ug_dl_rbc", "Erythrocyte protoporphyrin", "µg/dL RBC", 0),
        Label("ep_total_umol_l_rbc", "Erythrocyte protoporphyrin", "µmol/L RBC", 2),
        Label("znpp_umol_mol_heme", "Zinc protoporphyrin/heme", "µmol/mol heme", 0),
        Label("znpp_fraction", "Zinc protoporphyrin share of EP", "% of EP", 0, _PCT),
        Label("metal_free_fraction", "Metal-free protoporphyrin share", "% of EP", 0, _PCT),
        Label("free_ppix_umol_l_rbc", "Metal-free protoporphyrin", "µmol/L RBC", 2),
        Label("ferritin_ug_l", "Ferritin", "µg/L", 0),
        Label("body_iron_mg", "Storage iron", "mg", 0),
        Label("ferritin_ug_l_at_10y", "Ferritin at 10 years", "µg/L", 0),
        Label("ferritin_ug_l_at_20y", "Ferritin at 20 years", "µg/L", 0),
        Label("ferritin_ug_l_at_40y", "Ferritin at 40 years", "µg/L", 0),
        Label("years_to_overload", "Years to iron overload (ferritin > 300 µg/L)", "years", 1),
        Label("mito_iron_index", "Mitochondrial iron (ring sideroblasts)", "× normal"),
        Label("ineffective_fraction", "Ineffective erythropoiesis", "% of erythroblasts", 0, _PCT),
        Label("dimorphic", "Dimorphic red cells (two MCV populations; 1 = yes)", "", 0),
        Label("mcv_mutant_clone_fl", "MCV, variant clone", "fL", 0, clinical=False),
        Label("mcv_normal_clone_fl", "MCV, normal clone", "fL", 0, clinical=False),
        Label("mutant_rbc_fraction", "Red cells from the variant clone", "%", 0, _PCT, False),
        Label("xi", "Cells with the variant X active", "%", 0, _PCT, False),
        Label("penetrance", "Penetrance (P(disease))", "%", 1, _PCT, False),
    )
}
"""Every readout with a display form; the order is the order of tables (clinical first)."""

_REFERENCE_OF: dict[str, tuple[str, float]] = {
    # readout -> (readout with a published interval, factor from that readout's unit)
    "ep_total_umol_l_rbc": ("ep_total_ug_dl_rbc", 10.0 / 562.7),  # ug/dL -> umol/L (PPIX)
}


def label(key: str, unit: str = "") -> Label:
    """The :class:`Label` of ``key``; an unknown key gets a readable one built from it.

    Parameters
    ----------
    key
        Readout identifier; ``param:ALAS2.kcat`` (a cohort's sampled parameter) becomes
        "Parameter ALAS2.kcat".
    unit
        Unit to use for an unknown key (the stored unit, e.g. from a cohort's ``units``).
    """
    if key in LABELS:
        return LABELS[key]
    if key.startswith("param:"):
        return Label(key, f"Parameter {key[6:]}", unit, None, clinical=False)
    name = key.replace("_", " ")
    return Label(key, name[:1].upper() + name[1:], unit, None, clinical=False)


def display_name(key: str, unit: str = "") -> str:
    """``"Haemoglobin (g/dL)"`` for ``"hb_g_dl"`` (see :func:`label`)."""
    return label(key, unit).title


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def format_number(value: Any, decimals: int | None = None) -> str:
    """A number rounded for reading: ``decimals`` places, or three significant digits.

    ``None``, NaN and non-numbers give ``"n/a"`` (non-numbers: their text); thousands are
    grouped (``12,345``).
    """
    if value is None or isinstance(value, bool):
        return "n/a" if value is None else str(value)
    if not isinstance(value, int | float):
        return str(value)
    if not math.isfinite(value):
        return "n/a" if math.isnan(value) else ("∞" if value > 0 else "-∞")
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
        if text.strip("-0.,") != "":
            return text
        if value == 0:
            return "0"
        # a non-zero value that rounds to 0: two significant digits rather than a false 0
        digits = 1 - int(math.floor(math.log10(abs(value))))
        return f"{round(value, digits):.{digits}f}" if abs(value) >= 1e-3 else f"{value:.1e}"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e6 or magnitude < 1e-3:
        return f"{value:.2e}"
    digits = max(0, 2 - int(math.floor(math.log10(magnitude))))
    return f"{round(value, digits):,.{digits}f}"


def format_value(key: str, value: Any) -> str:
    """The stored ``value`` of ``key`` scaled and rounded as its :class:`Label` says."""
    lab = label(key)
    if not _finite(value):
        return format_number(value)
    return format_number(float(value) * lab.scale, lab.decimals)


@dataclass(frozen=True)
class Range:
    """A reference range in the readout's stored unit, with its source."""

    low: float | None
    high: float | None
    source: str

    def text(self, key: str) -> str:
        """``"13.0-16.9"``, ``"< 80"`` or ``"> 80"`` in the displayed unit of ``key``."""
        lo = None if self.low is None else format_value(key, self.low)
        hi = None if self.high is None else format_value(key, self.high)
        if lo is not None and hi is not None:
            return f"{lo}-{hi}"
        if hi is not None:
            return f"< {hi}"
        return f"> {lo}" if lo is not None else ""


@lru_cache(maxsize=64)
def reference_range(key: str, sex: str | None) -> Range | None:
    """The reference interval of healthy adults for ``key``, or ``None`` when none is known.

    Parameters
    ----------
    key
        Readout identifier.
    sex
        ``"male"``/``"female"``; ``None`` (sex unknown, e.g. a pooled table) gives the men's
        interval only where both sexes share it.
    """
    from hemesim.errors import HemesimError
    from hemesim.phenotype.reference_intervals import reference_interval

    source_key, factor = _REFERENCE_OF.get(key, (key, 1.0))
    sexes = [sex] if sex in ("male", "female") else ["male", "female"]
    found = []
    for s in sexes:
        try:
            ri = reference_interval(source_key, s)
        except HemesimError:
            return None
        if not ri.is_available:
            return None
        found.append(ri)
    first = found[0]
    if any((r.low, r.high) != (first.low, first.high) for r in found[1:]):
        return None  # differs by sex and the sex is not known
    scale = lambda v: None if v is None else v * factor  # noqa: E731
    return Range(scale(first.low), scale(first.high), first.source)


def flag(key: str, value: Any, sex: str | None) -> Flag:
    """``"low"`` below the reference range, ``"high"`` above it, ``""`` inside or unknown.

    The value is compared as shown (rounded as its :class:`Label` says), as a laboratory flags
    the number it reports: MCV 79.6 fL, shown as 80 fL, is not flagged against 80-95 fL.
    """
    ref = reference_range(key, sex)
    if ref is None or not _finite(value):
        return ""
    lab = label(key)
    if lab.decimals is not None:
        value = round(float(value) * lab.scale, lab.decimals) / lab.scale
    if ref.low is not None and value < ref.low:
        return "low"
    if ref.high is not None and value > ref.high:
        return "high"
    return ""


def unpack(entry: Any) -> tuple[Any, str, tuple[float, float] | None]:
    """``(value, unit, interval_95)`` of a readout entry: a number or ``{"value", ...}``.

    Extra keys are ignored; ``interval_95`` is returned only when it is two finite numbers.
    """
    if isinstance(entry, Mapping):
        value = entry.get("value")
        unit = str(entry.get("unit") or "")
        iv = entry.get("interval_95")
        interval = None
        if isinstance(iv, list | tuple) and len(iv) == 2 and all(_finite(v) for v in iv):
            interval = (float(iv[0]), float(iv[1]))
        return value, unit, interval
    return entry, "", None


def format_readout(key: str, entry: Any) -> str:
    """``"11.2 g/dL"``, or with an ``interval_95`` ``"11.2 g/dL (95 %: 9.8-12.6)"``."""
    value, unit, interval = unpack(entry)
    lab = label(key, unit)
    text = f"{format_value(key, value)} {lab.unit}".rstrip()
    if interval is not None:
        text += f" (95 %: {format_value(key, interval[0])}-{format_value(key, interval[1])})"
    return text


def ordered_keys(keys: Iterable[str]) -> list[str]:
    """Clinical readouts first (in :data:`LABELS` order), then the rest, ``param:*`` last."""
    keys = list(dict.fromkeys(keys))
    order = {k: i for i, k in enumerate(LABELS)}

    def rank(k: str) -> tuple[int, int, str]:
        if k in LABELS:
            return (0 if LABELS[k].clinical else 1, order[k], k)
        return (3 if k.startswith("param:") else 2, 0, k)

    return sorted(keys, key=rank)


@dataclass(frozen=True)
class ReadoutRow:
    """One row of a readout table, ready to print."""

    key: str
    name: str
    value: str
    unit: str
    reference: str
    flag: Flag
    interval_95: str


def readout_rows(phenotype: Mapping[str, Any], sex: str | None = None) -> list[ReadoutRow]:
    """Rows for a phenotype mapping (readout -> number or ``{"value", "unit", ...}``).

    Entries whose value is not a finite number are left out; rows come in
    :func:`ordered_keys` order.
    """
    rows = []
    for key in ordered_keys(phenotype):
        value, unit, interval = unpack(phenotype[key])
        if not _finite(value):
            continue
        lab = label(key, unit)
        ref = reference_range(key, sex)
        rows.append(
            ReadoutRow(
                key=key,
                name=lab.name,
                value=format_value(key, value),
                unit=lab.unit,
                reference="" if ref is None else ref.text(key),
                flag=flag(key, value, sex),
                interval_95=""
                if interval is None
                else f"{format_value(key, interval[0])}-{format_value(key, interval[1])}",
            )
        )
    return rows


def labels_json() -> dict[str, Any]:
    """Every label and reference range as JSON, for the web pages' scripts.

    ``{"order": [key, ...], "labels": {key: {name, unit, decimals, scale, clinical}},
    "ranges": {sex: {key: {low, high, source}}}}`` with ranges in the stored unit (``sex``
    ``male``, ``female`` and ``any``); ``order`` is the table order (JSON objects may be
    re-sorted on the way, e.g. by Jinja's ``tojson``).
    """
    ranges: dict[str, dict[str, Any]] = {}
    for sex in ("male", "female", None):
        out = {}
        for key in LABELS:
            ref = reference_range(key, sex)
            if ref is not None:
                out[key] = {"low": ref.low, "high": ref.high, "source": ref.source}
        ranges[sex or "any"] = out
    return {
        "order": list(LABELS),
        "labels": {
            k: {
                "name": v.name,
                "unit": v.unit,
                "decimals": v.decimals,
                "scale": v.scale,
                "clinical": v.clinical,
            }
            for k, v in LABELS.items()
        },
        "ranges": ranges,
    }
