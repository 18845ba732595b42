"""One disease call for every surface: XLSA, XLP, carrier or none, from blood and mechanism.

Every place that names a disease (``predict``, cohorts, penetrance, reports, the web app) calls
:func:`diagnose`, vectorised over people. The call follows the diagnostic criteria of each disease
rather than one threshold, and it knows what the variant does (its *mechanism*):

``XLP`` (a porphyria; ALAS2 gain of function)
    Total erythrocyte protoporphyrin (EP) in the protoporphyria range, at or above 300 ug/dL RBC
    (EPP/XLP 300-5000 ug/dL; Gou et al., Clin Chem 2015;61:1453). For a variant of uncertain
    direction the rise must also be mostly metal-free (at least 50 %: EPP 85-100 %, XLP 50-85 %),
    which separates protoporphyria from iron deficiency and lead, where the rise is mostly zinc
    protoporphyrin (Gou 2015). For a known C-terminal gain the mechanism already excludes those
    causes, so the metal-free share is reported but not required: the model's share rests on
    assumed zinc and efflux kinetics (docs/model.md). Never applies to loss-of-function variants.
``XLSA`` (not a porphyria; ALAS2 loss of function)
    Anaemia by the WHO 2011 threshold for the sex **and** hypochromic or microcytic red cells: MCV
    or MCH below the lower reference limit, or a dimorphic picture (RDW-CV above its upper limit
    in a woman with a mutant red-cell population): "hypochromic microcytic anaemia; carriers have
    raised RDW and dimorphism" (OMIM 300751 / MedGen C0221018, citing Fleming 2002). Applies to
    variants that are not gain of function. Mitochondrial iron loading (the model's ring-sideroblast
    counterpart) is reported beside the call as a supporting finding; the model has no marrow smear
    to count ring sideroblasts on.
``carrier``
    A heterozygous woman with a non-neutral variant who meets neither criterion.
``none``
    Everyone else: a neutral variant, or a man who meets neither criterion (for instance an XLP
    variant whose gain does not raise EP into the protoporphyria range, or an XLSA variant whose
    anaemia is compensated).
``failed``
    A person whose simulation gave non-finite readouts: never counted in a class.

The mechanism decides which criteria can apply: anaemia in a man with an XLP gain (iron-restricted
erythropoiesis, which XLP series report) is not XLSA, and a zinc-protoporphyrin rise in an XLSA
man (iron-deficient-like erythropoiesis) is not XLP. A variant of uncertain direction is judged by
both criteria.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hemesim.errors import PhenotypeError
from hemesim.phenotype.grading import ANEMIA_THRESHOLD_G_DL, WHO_2011, validate_sex
from hemesim.phenotype.readouts import GOU_2015, REFERENCES

__all__ = [
    "DIAGNOSES",
    "Mechanism",
    "WHO_2011",
    "ANEMIA_THRESHOLD_G_DL",
    "XLSA_CRITERIA_SOURCE",
    "Diagnosis",
    "diagnose",
    "diagnose_one",
    "mechanism_of",
]

Mechanism = Literal["loss_of_function", "gain_of_function", "neutral", "uncertain"]
DIAGNOSES: tuple[str, ...] = ("XLSA", "XLP", "carrier", "none", "failed")
"""Every label :func:`diagnose` can give."""

XLSA_CRITERIA_SOURCE = (
    "OMIM 300751 / MedGen C0221018 (hypochromic microcytic anaemia; carriers with raised RDW and "
    "dimorphism, Fleming 2002); WHO 2011 anaemia thresholds"
)
#: Metal-free share of EP at or above which a protoporphyrin rise is protoporphyria-like
#: (lower end of the XLP range, Gou et al. 2015).
METAL_FREE_PROTOPORPHYRIA_MIN = REFERENCES["metal_free_xlp_min"].value
#: Smallest share of mutant red cells that makes a dimorphic picture (assumed: a population of
#: 5 % of cells is what a blood film or an RDW histogram can show).
DIMORPHIC_MIN_FRACTION = 0.05
#: Mitochondrial iron (relative to normal) above which iron loading is reported as supporting
#: XLSA (assumed: twice the normal erythroblast's mitochondrial iron).
MITO_IRON_LOADING_MIN = 2.0

_REQUIRED = (
    "hb_g_dl",
    "mcv_fl",
    "mch_pg",
    "ep_total_ug_dl_rbc",
    "metal_free_fraction",
)


def mechanism_of(effect_class: str, *, neutral: bool) -> Mechanism:
    """The mechanism class :func:`diagnose` takes, from an effect class.

    Parameters
    ----------
    effect_class
        ``Effect.effect_class`` (``loss_of_function`` | ``gain_of_function`` | ``neutral`` |
        ``uncertain``).
    neutral
        True when every factor of the effect is 1 (the enzyme is unchanged): then ``neutral``
        whatever the class says.
    """
    if neutral:
        return "neutral"
    if effect_class in ("loss_of_function", "gain_of_function", "uncertain"):
        return effect_class  # type: ignore[return-value]
    # a changed enzyme whose class says 'neutral' cannot be built (Effect refuses it); a class
    # outside the set is an error of the caller
    raise PhenotypeError(
        f"effect_class {effect_class!r}: expected loss_of_function, gain_of_function, neutral or "
        "uncertain"
    )


@dataclass(frozen=True)
class Diagnosis:
    """Disease calls for one or more people, with the criteria behind them.

    Attributes
    ----------
    calls
        One label per person (:data:`DIAGNOSES`).
    anaemic, microcytic_or_hypochromic, dimorphic, protoporphyria, mito_iron_loading
        The criteria, one boolean per person.
    sex, mechanism
        What the call was made for.
    """

    calls: NDArray[np.object_]
    anaemic: NDArray[np.bool_]
    microcytic_or_hypochromic: NDArray[np.bool_]
    dimorphic: NDArray[np.bool_]
    protoporphyria: NDArray[np.bool_]
    mito_iron_loading: NDArray[np.bool_]
    sex: str
    mechanism: str
    thresholds: dict[str, Any] = field(default_factory=dict)

    @property
    def affected(self) -> NDArray[np.bool_]:
        """True where the call is XLSA or XLP (what penetrance counts)."""
        return np.isin(self.calls, ("XLSA", "XLP"))

    def shares(self) -> dict[str, float]:
        """Share of people with each label (sums to 1 over :data:`DIAGNOSES`)."""
        n = max(int(self.calls.size), 1)
        return {label: float(np.count_nonzero(self.calls == label)) / n for label in DIAGNOSES}

    def basis(self, i: int = 0) -> dict[str, Any]:
        """Why person ``i`` got their call: the label, the criteria met, thresholds, sources."""
        call = str(self.calls[i])
        met = {
            "anaemia": bool(self.anaemic[i]),
            "microcytic_or_hypochromic": bool(self.microcytic_or_hypochromic[i]),
            "dimorphic_red_cells": bool(self.dimorphic[i]),
            "protoporphyria": bool(self.protoporphyria[i]),
            "mitochondrial_iron_loading": bool(self.mito_iron_loading[i]),
        }
        criterion = {
            "XLP": "EP >= 300 ug/dL RBC (protoporphyria range; >= 50 % metal-free unless the "
            "variant is a known gain of function)",
            "XLSA": "anaemia (WHO) with microcytic/hypochromic or dimorphic red cells",
            "carrier": "heterozygous woman meeting neither criterion",
            "none": "neither criterion met, or the variant is neutral",
            "failed": "the simulation gave non-finite readouts",
        }[call]
        return {
            "call": call,
            "criterion": criterion,
            "mechanism": self.mechanism,
            "criteria_met": met,
            "thresholds": self.thresholds,
            "sources": {"XLP": GOU_2015, "XLSA": XLSA_CRITERIA_SOURCE},
            # kept for readers of the former single-threshold form
            "threshold": self.thresholds.get(
                "ep_ug_dl_rbc_at_least" if call == "XLP" else "hb_g_dl_below"
            )
            if call in ("XLP", "XLSA")
            else None,
            "unit": {"XLP": "ug/dL RBC", "XLSA": "g/dL"}.get(call, ""),
            "source": {"XLP": GOU_2015, "XLSA": XLSA_CRITERIA_SOURCE}.get(
                call, f"{WHO_2011}; {GOU_2015}"
            ),
        }


def _column(blood: Mapping[str, Any], key: str) -> NDArray[np.float64]:
    if key not in blood:
        raise PhenotypeError(f"blood readouts lack {key!r}; expected {', '.join(_REQUIRED)}")
    return np.atleast_1d(np.asarray(blood[key], dtype=float))


def diagnose(blood: Mapping[str, ArrayLike], *, sex: str, mechanism: str) -> Diagnosis:
    """Call XLSA, XLP, carrier or none for each person (rules in the module docstring).

    Parameters
    ----------
    blood
        Readouts per person (arrays of equal length, or scalars): ``hb_g_dl`` (g/dL), ``mcv_fl``
        (fL), ``mch_pg`` (pg), ``ep_total_ug_dl_rbc`` (ug/dL RBC), ``metal_free_fraction``
        (fraction of EP); optional ``rdw_cv_percent`` (%), ``mutant_rbc_fraction`` (fraction of
        red cells), ``mito_iron_index`` (relative to normal).
    sex
        ``"male"`` (hemizygous) or ``"female"`` (heterozygous).
    mechanism
        :data:`Mechanism` of the variant (see :func:`mechanism_of`).

    Returns
    -------
    Diagnosis
        Labels and the criteria behind them.
    """
    s = validate_sex(sex)
    if mechanism not in ("loss_of_function", "gain_of_function", "neutral", "uncertain"):
        raise PhenotypeError(
            f"mechanism {mechanism!r}: expected loss_of_function, gain_of_function, neutral or "
            "uncertain"
        )
    hb = _column(blood, "hb_g_dl")
    n = hb.size
    mcv = _column(blood, "mcv_fl")
    mch = _column(blood, "mch_pg")
    ep = _column(blood, "ep_total_ug_dl_rbc")
    metal_free = _column(blood, "metal_free_fraction")
    zeros = np.zeros(n)
    rdw = np.atleast_1d(np.asarray(blood.get("rdw_cv_percent", zeros), dtype=float))
    mutant_share = np.atleast_1d(
        np.asarray(blood.get("mutant_rbc_fraction", np.ones(n) if s == "male" else zeros), float)
    )
    mito = np.atleast_1d(np.asarray(blood.get("mito_iron_index", np.ones(n)), dtype=float))
    two_populations = np.atleast_1d(np.asarray(blood.get("dimorphic", zeros), dtype=float)) > 0.5
    arrays = np.broadcast_arrays(
        hb, mcv, mch, ep, metal_free, rdw, mutant_share, mito, two_populations
    )
    hb, mcv, mch, ep, metal_free, rdw, mutant_share, mito, two_populations = (
        np.asarray(a) for a in arrays
    )

    hb_limit = ANEMIA_THRESHOLD_G_DL[s]
    mcv_low = REFERENCES["mcv_lower_normal"].value
    mch_low = REFERENCES["mch_lower_normal"].value
    rdw_high = REFERENCES["rdw_upper_normal"].value
    ep_limit = REFERENCES["ep_protoporphyria_lower"].value

    finite = np.isfinite(hb) & np.isfinite(mcv) & np.isfinite(mch) & np.isfinite(ep)
    finite &= np.isfinite(metal_free)
    anaemic = hb < hb_limit
    small_or_pale = (mcv < mcv_low) | (mch < mch_low)
    dimorphic = (
        (s == "female")
        & (two_populations | (rdw > rdw_high))
        & (mutant_share >= DIMORPHIC_MIN_FRACTION)
        & (mutant_share <= 1.0 - DIMORPHIC_MIN_FRACTION)
    )
    mostly_metal_free = metal_free >= METAL_FREE_PROTOPORPHYRIA_MIN
    protoporphyria = (ep >= ep_limit) & (
        mostly_metal_free if mechanism != "gain_of_function" else np.ones_like(ep, dtype=bool)
    )
    loading = mito >= MITO_IRON_LOADING_MIN

    calls = np.full(hb.shape, "none", dtype=object)
    if mechanism != "neutral":
        if s == "female":
            calls[:] = "carrier"
        if mechanism != "gain_of_function":
            calls[anaemic & (small_or_pale | dimorphic)] = "XLSA"
        if mechanism != "loss_of_function":
            calls[protoporphyria] = "XLP"
    calls[~finite] = "failed"
    return Diagnosis(
        calls=calls,
        anaemic=anaemic & finite,
        microcytic_or_hypochromic=small_or_pale & finite,
        dimorphic=np.asarray(dimorphic & finite, dtype=bool),
        protoporphyria=protoporphyria & finite,
        mito_iron_loading=loading & finite,
        sex=s,
        mechanism=mechanism,
        thresholds={
            "hb_g_dl_below": hb_limit,
            "mcv_fl_below": mcv_low,
            "mch_pg_below": mch_low,
            "rdw_cv_percent_above": rdw_high,
            "ep_ug_dl_rbc_at_least": ep_limit,
            "metal_free_fraction_at_least": METAL_FREE_PROTOPORPHYRIA_MIN,
            "mutant_rbc_fraction_for_dimorphism": DIMORPHIC_MIN_FRACTION,
            "mito_iron_index_loading_at_least": MITO_IRON_LOADING_MIN,
        },
    )


def diagnose_one(blood: Mapping[str, float], *, sex: str, mechanism: str) -> dict[str, Any]:
    """:func:`diagnose` for one person: the basis dict of :meth:`Diagnosis.basis`."""
    return diagnose(blood, sex=sex, mechanism=mechanism).basis(0)
