"""Anaemia grade, disease call and XLP photosensitivity risk, each with threshold and source.

WHO anaemia thresholds (WHO, *Haemoglobin concentrations for the diagnosis of anaemia and
assessment of severity*, VMNIS, WHO/NMH/NHD/MNM/11.1, 2011; table as reproduced in PLoS One
2020;15:e0238323 Table 4), adults aged 15 years and above, at sea level:

==================  ==========  ===========  ===========  ========
group               no anaemia  mild         moderate     severe
==================  ==========  ===========  ===========  ========
men                 >= 13.0     11.0-12.9    8.0-10.9     < 8.0
non-pregnant women  >= 12.0     11.0-11.9    8.0-10.9     < 8.0
==================  ==========  ===========  ===========  ========

The disease call itself (XLSA, XLP, carrier, none) is made in one place for every surface:
:func:`hemesim.phenotype.diagnosis.diagnose`.

Photosensitivity risk (from EP; Gou et al. 2015 ranges)
-------------------------------------------------------
``none`` EP < 80 ug/dL (within the reference interval); ``low`` 80-300 ug/dL (raised, below the
protoporphyria diagnostic range); ``high`` >= 300 ug/dL (the EPP/XLP range, 300-5000 ug/dL).
This is an interpretation of diagnostic ranges, not a measured dose-response of phototoxicity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from hemesim.errors import PhenotypeError
from hemesim.phenotype.readouts import GOU_2015, REFERENCES

__all__ = [
    "Sex",
    "WHO_2011",
    "ANEMIA_THRESHOLD_G_DL",
    "AnemiaGrade",
    "grade_anemia",
    "photosensitivity_risk",
    "validate_sex",
]

Sex = Literal["male", "female"]

WHO_2011 = (
    "WHO 2011, Haemoglobin concentrations for the diagnosis of anaemia and assessment of "
    "severity, VMNIS, WHO/NMH/NHD/MNM/11.1 (adults >= 15 y, non-pregnant women)"
)
#: Hb below which an adult is anaemic (g/dL), by sex (WHO 2011).
ANEMIA_THRESHOLD_G_DL: dict[str, float] = {"male": 13.0, "female": 12.0}
#: Lower bounds (g/dL) of the WHO 2011 severity bands, both sexes.
MILD_LOWER_G_DL = 11.0
MODERATE_LOWER_G_DL = 8.0


def validate_sex(sex: Any) -> Sex:
    """Return ``"male"`` or ``"female"`` or raise a one-line :class:`PhenotypeError`."""
    if isinstance(sex, str) and sex.strip().lower() in ("male", "female", "m", "f"):
        return "male" if sex.strip().lower() in ("male", "m") else "female"
    raise PhenotypeError(f"sex {sex!r}: expected 'male' or 'female'")


@dataclass(frozen=True)
class AnemiaGrade:
    """WHO 2011 anaemia grade for one Hb value."""

    grade: Literal["none", "mild", "moderate", "severe"]
    hb_g_dl: float
    threshold_g_dl: float
    sex: Sex
    source: str = WHO_2011

    @property
    def anemic(self) -> bool:
        """True when Hb is below the WHO threshold for the sex."""
        return self.grade != "none"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the threshold and source."""
        return {
            "grade": self.grade,
            "anemic": self.anemic,
            "hb_g_dl": self.hb_g_dl,
            "threshold_g_dl": self.threshold_g_dl,
            "sex": self.sex,
            "source": self.source,
        }


def grade_anemia(hb_g_dl: float, sex: str) -> AnemiaGrade:
    """Grade anaemia by the WHO 2011 bands.

    Parameters
    ----------
    hb_g_dl
        Haemoglobin (g/dL).
    sex
        ``"male"`` or ``"female"`` (non-pregnant adult).
    """
    s = validate_sex(sex)
    threshold = ANEMIA_THRESHOLD_G_DL[s]
    if hb_g_dl >= threshold:
        grade: Literal["none", "mild", "moderate", "severe"] = "none"
    elif hb_g_dl >= MILD_LOWER_G_DL:
        grade = "mild"
    elif hb_g_dl >= MODERATE_LOWER_G_DL:
        grade = "moderate"
    else:
        grade = "severe"
    return AnemiaGrade(grade=grade, hb_g_dl=float(hb_g_dl), threshold_g_dl=threshold, sex=s)


def photosensitivity_risk(ep_ug_dl: float) -> dict[str, Any]:
    """Photosensitivity risk class from total erythrocyte protoporphyrin (ug/dL RBC)."""
    low = REFERENCES["ep_upper_normal"].value
    high = REFERENCES["ep_protoporphyria_lower"].value
    if ep_ug_dl < low:
        risk = "none"
    elif ep_ug_dl < high:
        risk = "low"
    else:
        risk = "high"
    return {
        "risk": risk,
        "ep_total_ug_dl_rbc": float(ep_ug_dl),
        "thresholds_ug_dl": {"raised": low, "protoporphyria_range": high},
        "source": GOU_2015,
        "note": "interpretation of diagnostic ranges, not a phototoxicity dose-response",
    }
