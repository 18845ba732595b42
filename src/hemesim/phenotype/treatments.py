"""Treatments as model interventions: erythroblast parameter changes and body iron removal.

``pyridoxine``
    Raises the PLP cofactor available to ALAS2 (model parameter ``PLP``) by a saturating
    dose-response::

        PLP factor = 1 + (F_max - 1) * D / (D + D50)

    with ``D`` the daily oral dose (mg/day; default 100 mg/day, inside the 50-200 mg/day starting
    range recommended for XLSA, Donker thesis, Radboud 2014, ch. 3). The *shape* follows the
    reported plateau of plasma PLP between 50 and 100 mg/day of pyridoxine in healthy women (study
    of 10/25/50/100 mg doses, seen only in a secondary summary); ``D50 = 15 mg/day`` puts 50 mg/day
    at 77% of the maximum. ``F_max = 4`` (a fourfold rise of the cofactor available in the
    erythroblast) is ASSUMED: the plasma PLP rise is larger, but erythroid mitochondrial PLP was
    not found measured. Pyridoxine helps only variants that weaken PLP binding or stability
    (``kd_plp_factor > 1``); the model shows this rather than assuming it.
``chelation``
    Deferasirox: removes body iron (:mod:`hemesim.phenotype.iron_overload`); no erythroblast
    parameter changes (the model does not represent iron toxicity to mitochondria, so it cannot
    show the Hb rise that follows de-ironing, reported by Cotter et al., Blood 1999;93:1757).
``phlebotomy``
    500 mL venesections: removes body iron; no erythroblast parameter changes (same caveat).
``iron``
    Oral iron supplementation for XLP: raises the iron supply of erythroblasts (model parameter
    ``iron.supply``) by :data:`IRON_SUPPLY_FACTOR` (assumed: oral iron lifts transferrin
    saturation in the iron-restricted erythropoiesis reported in protoporphyria; the size of the
    rise in the marrow was not found measured). In XLP the extra iron lets ferrochelatase turn
    accumulated protoporphyrin into heme, so EP falls ("iron supplementation appears to be
    beneficial in XLEPP", Barman-Aksoezen, Schneider-Yin & Minder, "Iron in erythropoietic
    protoporphyrias: Dr. Jekyll or Mr. Hyde?"); in EPP (ferrochelatase loss) it raised
    protoporphyrin in 7 of 10 iron-deficient patients (Photodiagnosis Photodyn Ther
    2024;47:104211). The model reproduces both directions (tests/validation).
``none``
    The untreated prediction.

Treatments by disease
---------------------
:data:`OFFERED` lists what is offered for each disease: for XLSA pyridoxine (Hb), phlebotomy and
chelation (body iron and ferritin); for XLP iron. A treatment that does not act on a disease, or
harms it (pyridoxine raises ALAS2 activity and so protoporphyrin in XLP; iron worsens the iron
overload of XLSA), is refused for it with the reason (:func:`check_offered`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from hemesim.errors import PhenotypeError
from hemesim.phenotype.iron_overload import IronTherapy

__all__ = [
    "TREATMENTS",
    "TreatmentName",
    "Treatment",
    "get_treatment",
    "pyridoxine_plp_factor",
    "PLP_PARAMETER",
    "OFFERED",
    "check_offered",
    "offered_for",
]

TreatmentName = Literal["none", "pyridoxine", "chelation", "phlebotomy", "iron"]
TREATMENTS: tuple[str, ...] = ("none", "pyridoxine", "chelation", "phlebotomy", "iron")

#: Treatments offered for each disease (``none`` is always allowed).
OFFERED: dict[str, tuple[str, ...]] = {
    "XLSA": ("pyridoxine", "phlebotomy", "chelation"),
    "XLP": ("iron",),
}
_NOT_FOR: dict[tuple[str, str], str] = {
    ("XLP", "pyridoxine"): "it raises the PLP cofactor of ALAS2 and so the protoporphyrin of XLP",
    ("XLP", "chelation"): "XLP has no iron overload (Whatley et al., AJHG 2008)",
    ("XLP", "phlebotomy"): "XLP has no iron overload; removing iron raises protoporphyrin",
    ("XLSA", "iron"): "XLSA loads iron already (ineffective erythropoiesis, systemic overload)",
}
#: Factor on the erythroblast iron supply under oral iron (assumed, see module docstring).
IRON_SUPPLY_FACTOR = 1.25
IRON_PARAMETER = "iron.supply"
IRON_SOURCE = (
    "direction: Barman-Aksoezen, Schneider-Yin & Minder, 'Iron in erythropoietic "
    "protoporphyrias: Dr. Jekyll or Mr. Hyde?' (iron beneficial in XLP, harmful in most EPP); "
    "Photodiagnosis Photodyn Ther 2024;47:104211 (EPP: PPIX rose in 7 of 10 on iron); "
    "size of the marrow iron rise assumed (x1.25)"
)

#: Model parameter holding the PLP cofactor level (uM).
PLP_PARAMETER = "PLP"
PYRIDOXINE_F_MAX = 4.0
PYRIDOXINE_D50_MG_DAY = 15.0
PYRIDOXINE_DEFAULT_MG_DAY = 100.0
PYRIDOXINE_SOURCE = (
    "dose range: Donker thesis (Radboud 2014) ch. 3, 50-200 mg/day start, 10-100 mg/day "
    "maintenance; plateau shape: plasma PLP rose from 10 to 25 to 50 mg/day and not further at "
    "100 mg/day in healthy women (secondary summary); F_max = 4 assumed"
)


def pyridoxine_plp_factor(dose_mg_day: float) -> float:
    """Multiplicative change of the erythroblast PLP level at an oral pyridoxine dose.

    Parameters
    ----------
    dose_mg_day
        Daily dose (mg/day, 0-1000).

    Returns
    -------
    float
        Factor on the model's ``PLP`` (1 at dose 0, towards ``F_max`` at high dose).
    """
    try:
        if isinstance(dose_mg_day, bool):
            raise TypeError("a boolean is not a dose")
        d = float(dose_mg_day)
    except (TypeError, ValueError):
        raise PhenotypeError(f"pyridoxine dose {dose_mg_day!r}: expected mg/day") from None
    if not 0.0 <= d <= 1000.0:  # also NaN
        raise PhenotypeError(f"pyridoxine dose {dose_mg_day!r}: expected 0-1000 mg/day")
    return 1.0 + (PYRIDOXINE_F_MAX - 1.0) * d / (d + PYRIDOXINE_D50_MG_DAY)


@dataclass(frozen=True)
class Treatment:
    """A treatment as interventions on the model.

    Attributes
    ----------
    name
        One of :data:`TREATMENTS`.
    cell_factors
        Multiplicative factors on erythroblast model parameters (both clones).
    iron_therapy
        Body-iron removal for :func:`hemesim.phenotype.iron_overload.iron_trajectory`.
    description, source
        What is applied and where the numbers come from.
    """

    name: str
    cell_factors: dict[str, float] = field(default_factory=dict)
    iron_therapy: IronTherapy = field(default_factory=IronTherapy)
    description: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "cell_factors": dict(self.cell_factors),
            "iron_therapy": self.iron_therapy.to_dict(),
            "description": self.description,
            "source": self.source,
        }


def get_treatment(name: str, *, pyridoxine_mg_day: float | None = None) -> Treatment:
    """Return the :class:`Treatment` called ``name``.

    Parameters
    ----------
    name
        ``none`` | ``pyridoxine`` | ``chelation`` | ``phlebotomy`` | ``iron``.
    pyridoxine_mg_day
        Pyridoxine dose (mg/day); default 100.
    """
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in TREATMENTS:
        raise PhenotypeError(f"treatment {name!r}: expected one of {', '.join(TREATMENTS)}")
    if key == "none":
        return Treatment("none", description="untreated")
    if key == "pyridoxine":
        dose = PYRIDOXINE_DEFAULT_MG_DAY if pyridoxine_mg_day is None else pyridoxine_mg_day
        factor = pyridoxine_plp_factor(dose)
        return Treatment(
            "pyridoxine",
            cell_factors={PLP_PARAMETER: factor},
            description=f"pyridoxine {dose:g} mg/day: erythroblast PLP x{factor:.2f}",
            source=PYRIDOXINE_SOURCE,
        )
    if key == "chelation":
        return Treatment(
            "chelation",
            iron_therapy=IronTherapy("chelation"),
            description="deferasirox 20 mg/kg/day (body iron removal)",
            source="Cohen et al., Blood 2008;111:583 (see hemesim.phenotype.iron_overload)",
        )
    if key == "iron":
        return Treatment(
            "iron",
            cell_factors={IRON_PARAMETER: IRON_SUPPLY_FACTOR},
            description=f"oral iron: erythroblast iron supply x{IRON_SUPPLY_FACTOR:g}",
            source=IRON_SOURCE,
        )
    return Treatment(
        "phlebotomy",
        iron_therapy=IronTherapy("phlebotomy"),
        description="500 mL venesection every 14 days to ferritin 50 ug/L (body iron removal)",
        source="iron per unit: Hb x 3.46 mg/g (4 Fe per 64.5 kDa; hemesim.phenotype.iron_overload)",
    )


def offered_for(disease: str) -> tuple[str, ...]:
    """Treatments offered for ``disease`` (``XLSA`` or ``XLP``); ``()`` for anything else."""
    return OFFERED.get(disease, ())


def check_offered(treatment: Treatment, disease: str | None) -> None:
    """Refuse a treatment that does not act on, or harms, the variant's disease.

    Parameters
    ----------
    treatment
        The requested treatment.
    disease
        ``XLSA`` (loss of function), ``XLP`` (gain of function) or ``None`` (direction unknown:
        every treatment may be explored).

    Raises
    ------
    PhenotypeError
        Naming the treatment, why it is not offered and what is.
    """
    if treatment.name == "none" or disease is None:
        return
    offered = offered_for(disease)
    if treatment.name not in offered:
        why = _NOT_FOR.get((disease, treatment.name), "it is not a treatment of this disease")
        raise PhenotypeError(
            f"treatment {treatment.name!r} is not offered for {disease}: {why}; offered for "
            f"{disease}: {', '.join(offered)}"
        )
