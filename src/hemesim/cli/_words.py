"""Words for the identifiers a person should not have to read in text output.

``--json`` keeps the identifiers (``kcat_factor``, ``loss_of_function``, ``missense_variant``);
tables and summary lines use the words here. Readouts (``hb_g_dl``) are named by
:mod:`hemesim.report.labels`; this module names the rest: the effect factors of a variant, effect
classes, Sequence Ontology consequences, curated mechanisms and certainty levels, and the
readout identifiers inside free text (validation claims).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__ = [
    "CERTAINTY_WORDS",
    "EFFECT_CLASS_WORDS",
    "FACTOR_WORDS",
    "MECHANISM_WORDS",
    "certainty_words",
    "effect_class_words",
    "factor_text",
    "identifier_words",
    "name_readouts_in",
    "percent",
]

FACTOR_WORDS: dict[str, str] = {
    "kcat_factor": "turnover (kcat)",
    "km_gly_factor": "Km(glycine)",
    "km_succoa_factor": "Km(succinyl-CoA)",
    "kd_plp_factor": "Kd(PLP)",
    "stability_factor": "holoenzyme half-life",
    "apo_stability_factor": "apoenzyme half-life",
    "sucla2_factor": "SUCLA2 binding",
    "ire_factor": "IRE repression",
    "expression_factor": "ALAS2 synthesis",
}
"""Effect factor (:data:`hemesim.variants.effect_types.FACTOR_NAMES`) -> what it multiplies."""

MECHANISM_WORDS: dict[str, str] = {
    "kcat": "turnover (kcat)",
    "km_gly": "Km(glycine)",
    "km_succoa": "Km(succinyl-CoA)",
    "kd_plp": "Kd(PLP)",
    "half_life_holo": "holoenzyme half-life",
    "half_life_apo": "apoenzyme half-life",
    "sucla2_binding": "SUCLA2 binding",
}
"""Measured quantity of the curated mechanism table (``gene/data/alas2_mechanisms.csv``) ->
words."""

EFFECT_CLASS_WORDS: dict[str, str] = {
    "loss_of_function": "loss of function",
    "gain_of_function": "gain of function",
    "neutral": "neutral (enzyme unchanged)",
    "uncertain": "uncertain (direction unknown)",
}
"""Effect class -> words."""

CERTAINTY_WORDS: dict[str, str] = {
    "verbatim": "as published",
    "verbatim_protein": "protein change as published",
    "derived_c": "c. converted from an older cDNA numbering",
    "secondary_c": "c. from a secondary summary",
    "unsure": "secondary source only",
}
"""Certainty of a curated record (``hemesim/gene/data/README.md``, section Certainty) -> words."""


def identifier_words(text: str) -> str:
    """``"loss_of_function_missense"`` -> ``"loss-of-function missense"``; other text unchanged
    except that underscores become spaces."""
    out = text.replace("loss_of_function", "loss-of-function")
    out = out.replace("gain_of_function", "gain-of-function")
    out = out.replace("C_terminal", "C-terminal").replace("N_terminal", "N-terminal")
    return out.replace("_", " ")


def effect_class_words(effect_class: str) -> str:
    """Words for an effect class (unknown classes: :func:`identifier_words`)."""
    return EFFECT_CLASS_WORDS.get(effect_class, identifier_words(effect_class))


def certainty_words(certainty: str) -> str:
    """Words for a curated record's certainty level."""
    return CERTAINTY_WORDS.get(certainty, identifier_words(certainty))


def _times(value: float) -> str:
    """``×4.66``, ``×0.45``, ``×0`` (three significant digits)."""
    if value == 0 or not math.isfinite(value):
        return f"×{value:g}"
    return f"×{value:.3g}"


def factor_text(factors: Mapping[str, float], sep: str = ", ") -> str:
    """``"turnover (kcat) ×4.66, Km(glycine) ×1.33"`` for the changed factors; ``"none"``.

    Parameters
    ----------
    factors
        Factor name -> multiplier relative to the wild type (dimensionless), changed ones only.
    sep
        Between two factors (``"\\n"`` for one per line in a table cell).
    """
    parts = [f"{FACTOR_WORDS.get(k, identifier_words(k))} {_times(v)}" for k, v in factors.items()]
    return sep.join(parts) or "none"


def percent(p: float | None, *, digits: int = 1) -> str:
    """A probability as a percentage: ``0.762`` -> ``"76.2 %"``; tiny ones keep two significant
    digits (``"0.00032 %"``) rather than a false ``0.0 %``; ``None`` -> ``"-"``."""
    if p is None or not isinstance(p, int | float) or math.isnan(p):
        return "-"
    value = 100.0 * float(p)
    if value == 0.0 or abs(value) >= 10 ** (-digits):
        return f"{value:.{digits}f} %"
    return f"{value:.2g} %"


# a snake_case word; not part of a path or file name (no "/" or "." right before it, no ".ext"
# right after it)
_IDENTIFIER = re.compile(r"(?<![/.\w-])[a-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b(?!\.[A-Za-z])")


def name_readouts_in(text: str, *, units: bool = True) -> str:
    """Replace identifiers inside free text (rationales, validation claims) by words.

    ``"97.5% point of mchc_g_dl"`` -> ``"97.5% point of MCHC (g/dL)"``, ``"kd_plp_factor 5"`` ->
    ``"Kd(PLP) 5"``; other snake_case words become words (:func:`identifier_words`). Not for
    sources: file names there keep their underscores.
    """
    from hemesim.report.labels import LABELS

    def name(match: re.Match[str]) -> str:
        key = match.group(0)
        if key in LABELS:
            return LABELS[key].title if units else LABELS[key].name
        if key in FACTOR_WORDS:
            return FACTOR_WORDS[key]
        if key in MECHANISM_WORDS:
            return MECHANISM_WORDS[key]
        if key == "interval_95":
            return "95 % interval"
        return identifier_words(key)

    return _IDENTIFIER.sub(name, text)
