"""Clinical readouts: names, units, conversions and the reference values they are judged against.

The model reports per-erythroblast endpoints (``mch_pg``, ``mcv_fl``, ``ep_total_umol_l_rbc`` ...).
This module names the blood readouts the phenotype stage reports, gives each its unit, and holds
the unit conversions with their arithmetic. Numbers here are *reference* values (what is normal),
used for grading and calls, never fitted to disease data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hemesim.errors import PhenotypeError

__all__ = [
    "PPIX_MOLAR_MASS_G_MOL",
    "UMOL_L_TO_UG_DL",
    "READOUT_UNITS",
    "REQUIRED_CELL_READOUTS",
    "Reference",
    "REFERENCES",
    "ep_ug_dl",
    "check_cell_readouts",
    "with_units",
]

#: Protoporphyrin IX molar mass (g/mol); biology-anchors.md section 3.
PPIX_MOLAR_MASS_G_MOL = 562.7
#: umol/L -> ug/dL: x 562.7 ug/umol gives ug/L, / 10 gives ug/dL (80 ug/dL = 1.42 umol/L).
UMOL_L_TO_UG_DL = PPIX_MOLAR_MASS_G_MOL / 10.0

#: Readouts reported by the phenotype stage and their units.
READOUT_UNITS: dict[str, str] = {
    "hb_g_dl": "g/dL",
    "mch_pg": "pg",
    "mcv_fl": "fL",
    "mcv_mutant_clone_fl": "fL",
    "mcv_normal_clone_fl": "fL",
    "rdw_cv_percent": "%",
    "dimorphic": "1 = two red-cell populations (bimodal MCV histogram), 0 = one",
    "ep_total_umol_l_rbc": "umol/L RBC",
    "ep_total_ug_dl_rbc": "ug/dL RBC",
    "znpp_fraction": "fraction of total EP",
    "metal_free_fraction": "fraction of total EP",
    "free_ppix_umol_l_rbc": "umol/L RBC",
    "znpp_umol_mol_heme": "umol/mol heme",
    "mito_iron_index": "relative to normal (1 = normal)",
    "ineffective_fraction": "fraction of erythroblasts",
    "mutant_rbc_fraction": "fraction of circulating red cells",
    "xi": "fraction of erythroid cells with the variant X active",
    "ferritin_ug_l": "ug/L",
    "body_iron_mg": "mg",
}

#: Endpoint keys the model must provide for each clone.
REQUIRED_CELL_READOUTS: tuple[str, ...] = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "ep_total_umol_l_rbc",
    "znpp_fraction",
    "free_ppix_umol_l_rbc",
    "znpp_umol_mol_heme",
    "mito_iron_index",
    "ineffective_fraction",
)


@dataclass(frozen=True)
class Reference:
    """A reference limit with its unit and source."""

    name: str
    value: float
    unit: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"name": self.name, "value": self.value, "unit": self.unit, "source": self.source}


GOU_2015 = (
    "Gou et al., Clin Chem 2015;61:1453, PMID 26482161 (Porphyrias Consortium): total erythrocyte "
    "protoporphyrin reference < 80 ug/dL; EPP/XLP 300-5000 ug/dL; EPP 85-100% metal-free, "
    "XLP 50-85% metal-free"
)
HASTKA_1994 = "Hastka et al., Clin Chem 1994;40:768 (ZnPP/heme <= 40 umol/mol normal)"
HOFFBRAND_MOSS = (
    "Hoffbrand AV & Moss PAH, Essential Haematology (Wiley-Blackwell), Appendix 1 'Normal "
    "values': MCV 80-95 fL, MCH 27-34 pg, MCHC 30-35 g/dL"
)

REFERENCES: dict[str, Reference] = {
    "ep_upper_normal": Reference("EP upper reference limit", 80.0, "ug/dL RBC", GOU_2015),
    "ep_protoporphyria_lower": Reference(
        "EP lower bound of the protoporphyria diagnostic range", 300.0, "ug/dL RBC", GOU_2015
    ),
    "ep_protoporphyria_upper": Reference(
        "EP upper bound of the protoporphyria range", 5000.0, "ug/dL RBC", GOU_2015
    ),
    "metal_free_epp_min": Reference(
        "metal-free share at or above which EP is EPP-like", 0.85, "fraction", GOU_2015
    ),
    "metal_free_xlp_min": Reference(
        "metal-free share at or above which EP is XLP-like", 0.50, "fraction", GOU_2015
    ),
    "znpp_heme_upper_normal": Reference(
        "ZnPP/heme upper reference limit", 40.0, "umol/mol heme", HASTKA_1994
    ),
    "mcv_lower_normal": Reference(
        "MCV lower reference limit (microcytosis below)",
        80.0,
        "fL",
        HOFFBRAND_MOSS,
    ),
    "mch_lower_normal": Reference(
        "MCH lower reference limit (hypochromia below)",
        27.0,
        "pg",
        HOFFBRAND_MOSS,
    ),
    "rdw_upper_normal": Reference(
        "RDW-CV upper reference limit",
        14.5,
        "%",
        "commonly used adult RDW-CV reference interval 11.5-14.5% (lab-dependent; not verified "
        "in a primary source)",
    ),
}


def ep_ug_dl(ep_umol_l: float) -> float:
    """Convert total erythrocyte protoporphyrin from umol/L RBC to ug/dL RBC."""
    return float(ep_umol_l) * UMOL_L_TO_UG_DL


def check_cell_readouts(readouts: Mapping[str, float], label: str) -> dict[str, float]:
    """Return the required per-clone endpoints as floats, or raise if the model lacks one.

    Parameters
    ----------
    readouts
        Endpoint dictionary from ``model.endpoint``.
    label
        Which clone (for the message).
    """
    missing = [k for k in REQUIRED_CELL_READOUTS if k not in readouts]
    if missing:
        raise PhenotypeError(
            f"{label} clone readouts lack {', '.join(missing)}; expected the model endpoint to "
            f"report {', '.join(REQUIRED_CELL_READOUTS)}"
        )
    return {k: float(readouts[k]) for k in readouts if isinstance(readouts[k], int | float)}


def with_units(values: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """Attach units: ``{name: {"value": v, "unit": u}}`` (unit ``""`` if unknown)."""
    return {k: {"value": float(v), "unit": READOUT_UNITS.get(k, "")} for k, v in values.items()}
