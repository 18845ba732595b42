"""Names people read for the variant page's effect factors, curated-record fields and the
model parameters a cohort samples (the readouts' names live in :mod:`hemesim.report.labels`).

The pages receive these as JSON beside the readout labels (:func:`display_json`); downloads and
the API keep the identifiers. The meaning of each effect factor is that of
:class:`hemesim.variants.effect_types.Effect` and :mod:`hemesim.model.effects` (the model
parameter each one multiplies).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "EFFECT_FACTORS",
    "FactorLabel",
    "PARAMETER_NAMES",
    "RECORD_FIELDS",
    "display_json",
    "parameter_label",
]


@dataclass(frozen=True)
class FactorLabel:
    """How one effect factor is shown.

    Attributes
    ----------
    name
        What the factor changes, in words ("Catalytic rate (kcat)").
    reading
        How to read a value away from 1 ("< 1: slower").
    """

    name: str
    reading: str


EFFECT_FACTORS: dict[str, FactorLabel] = {
    "kcat_factor": FactorLabel("Catalytic rate (turnover, kcat)", "< 1: slower"),
    "km_gly_factor": FactorLabel("Glycine Km (binding)", "> 1: weaker glycine binding"),
    "km_succoa_factor": FactorLabel("Succinyl-CoA Km (binding)", "< 1: tighter binding"),
    "kd_plp_factor": FactorLabel(
        "PLP (vitamin B6) dissociation constant", "> 1: weaker PLP binding (pyridoxine-responsive)"
    ),
    "stability_factor": FactorLabel("Enzyme half-life, PLP-bound", "< 1: unstable"),
    "apo_stability_factor": FactorLabel("Enzyme half-life, without PLP", "< 1: unstable"),
    "sucla2_factor": FactorLabel(
        "Succinyl-CoA synthetase (SUCLA2) interaction kept",
        "0: no substrate channelling",
    ),
    "ire_factor": FactorLabel(
        "Iron control of translation (IRE/IRP)", "0: translation ignores iron"
    ),
    "expression_factor": FactorLabel("Amount of enzyme made (expression)", "0: null allele"),
}
"""Every factor of :class:`hemesim.variants.effect_types.Effect` (``FACTOR_NAMES``), in its
order; each value is a multiple of the normal enzyme's (unit "× normal"). The model parameters
each one multiplies come from :data:`hemesim.model.effects.EFFECT_PARAMETERS`."""

RECORD_FIELDS: dict[str, str] = {
    "phenotype": "Disease",
    "mechanism": "Mechanism",
    "activity_percent_of_wt": "Activity (% of normal enzyme)",
    "pyridoxine_responsive": "Responds to pyridoxine (vitamin B6)",
    "certainty": "Certainty of the record",
    "source": "Source",
    "notes": "Notes",
}
"""Fields of a curated variant record (``known`` in the variant report) -> their names."""

PARAMETER_NAMES: dict[str, str] = {
    "iron.supply": "Iron supply to the red-cell precursor (transferrin iron uptake)",
    "ALAS2.ksyn": "ALAS2 expression (maximal translation rate)",
    "globin.ksyn": "Globin synthesis capacity",
    "Hb.ref": "Haemoglobin set point of the EPO feedback",
    "MCV.ref": "Red-cell volume set point (MCV at normal haemoglobin content)",
    "ALAS2.kcat": "ALAS2 catalytic rate (kcat)",
    "ALAS2.Km_succoa": "ALAS2 Km for succinyl-CoA",
    "ALAS2.Km_gly": "ALAS2 Km for glycine",
    "ALAS2.Ki_gly": "ALAS2 dissociation constant of the enzyme-glycine complex",
    "ALAS2.Kd_PLP": "ALAS2 dissociation constant of PLP",
    "ALAS2.half_life": "ALAS2 half-life, PLP-bound",
    "ALAS2.half_life_apo": "ALAS2 half-life, without PLP",
    "ALAS2.sucla2_binding": "ALAS2-SUCLA2 interaction kept",
    "IRE.repression": "Iron control of ALAS2 translation (IRP repression)",
    "PLP": "PLP (vitamin B6) available to ALAS2",
    "EPO.gain": "Erythropoietin feedback gain",
    "maturation.duration": "Maturation time simulated",
}
"""Names of the model parameters a cohort samples between people
(:data:`hemesim.phenotype.vpop.VPOP_PARAMETERS`) and of the pathway page's sliders; any other
parameter is named from the form of its identifier (:func:`parameter_label`)."""


@lru_cache(maxsize=1)
def _parameter_table() -> dict[str, dict[str, str]]:
    """``parameters.csv`` of the model stage as ``{name: row}`` (read as a package file)."""
    text = resources.files("hemesim.model").joinpath("parameters.csv").read_text("utf-8")
    return {row["name"]: row for row in csv.DictReader(text.splitlines())}


_QUANTITY: dict[str, str] = {
    "kcat": "turnover number (kcat)",
    "Km": "Michaelis constant (Km)",
    "E": "enzyme concentration",
    "ksyn": "synthesis rate",
    "kdeg": "degradation rate",
    "half_life": "half-life",
    "Vmax": "maximal rate (Vmax)",
    "n": "Hill coefficient",
    "ref": "reference value",
    "molar_mass": "molar mass",
}
_PREFIX: dict[str, str] = {
    "Km_": "Km for ",
    "Ki_": "inhibition constant for ",
    "Kd_": "dissociation constant of ",
    "K_": "half-saturation constant for ",
    "k_": "rate constant: ",
    "n_": "Hill coefficient of ",
}


def _words(name: str) -> str:
    """A name in words for ``Owner.quantity`` parameters (``ALAD.kcat`` -> "ALAD turnover number
    (kcat)"); "" when the form is not one of :data:`_QUANTITY` or :data:`_PREFIX`."""
    owner, _, quantity = name.partition(".")
    if not quantity:
        return ""
    if quantity in _QUANTITY:
        return f"{owner} {_QUANTITY[quantity]}"
    for prefix, words in _PREFIX.items():
        if quantity.startswith(prefix):
            return f"{owner} {words}{quantity[len(prefix) :].replace('_', ' ')}"
    return ""


def parameter_label(name: str) -> dict[str, str]:
    """Name and unit of a model parameter as a page shows it.

    Parameters
    ----------
    name
        The parameter's name in ``parameters.csv`` (``iron.supply``).

    Returns
    -------
    dict
        ``{"name": "Iron supply ... (iron.supply)", "unit": "amol/h"}``: the name from
        :data:`PARAMETER_NAMES`, else one read from the identifier's form (``ALAD.kcat`` ->
        "ALAD turnover number (kcat)"), else "Model parameter"; the identifier stays in
        brackets so that the row can be found in the model's table (``/api/model/parameters``).
    """
    row = _parameter_table().get(name, {})
    words = PARAMETER_NAMES.get(name) or _words(name) or "Model parameter"
    return {"name": f"{words} ({name})", "unit": row.get("unit") or ""}


def display_json() -> dict[str, Any]:
    """The names above as JSON for the pages' scripts.

    Returns
    -------
    dict
        ``{"effect_factors": {key: {name, reading, parameter}}, "effect_factor_order": [...],
        "record_fields": {...}, "parameters": {name: {name, unit}}}``.
    """
    from hemesim.model.effects import EFFECT_PARAMETERS

    return {
        "effect_factors": {
            k: {
                "name": v.name,
                "reading": v.reading,
                "parameter": ", ".join(EFFECT_PARAMETERS.get(k, ())),
            }
            for k, v in EFFECT_FACTORS.items()
        },
        "effect_factor_order": list(EFFECT_FACTORS),
        "record_fields": dict(RECORD_FIELDS),
        "parameters": {name: parameter_label(name) for name in _parameter_table()},
    }
