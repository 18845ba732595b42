"""A heterozygous woman's blood as a mixture of two erythroid clones.

X-inactivation is clonal in haematopoiesis, so a heterozygous woman makes red cells from two clones:
a fraction ``xi`` of erythroid progenitors has the variant X active (the *mutant* clone, which
behaves like a hemizygous man's erythroblasts) and ``1 - xi`` has the normal X active. Each clone is
simulated ONCE (model endpoint); everything below is an analytic function of ``xi``, vectorised over
numpy arrays, so a population of women costs no extra simulation.

Mixing rules (each a documented simplification)
-----------------------------------------------
Marrow share
    Progenitors enter in the ratio ``xi : 1 - xi`` (marrow readouts ``mito_iron_index`` and
    ``ineffective_fraction`` are ``xi``-weighted means: they describe erythroblasts).
Circulating share of the mutant clone
    Each clone delivers red cells in proportion to its marrow share times its *effective* output
    ``1 - ineffective_fraction``; red-cell lifespan is taken as equal in both clones (assumption)::

        f = xi (1 - ie_m) / (xi (1 - ie_m) + (1 - xi)(1 - ie_n))

    Ineffective erythropoiesis of the mutant clone therefore lowers its share of circulating cells
    (``f < xi``), as seen in carriers whose blood shows a minor microcytic population.
Per-cell means (MCH, MCV, ZnPP/heme)
    Red-cell-weighted means with weights ``f, 1 - f``; ZnPP/heme is weighted by each clone's heme
    content (MCH), since it is a ratio to heme.
Concentrations per litre of red cells (EP, free PPIX)
    Weighted by each clone's share of red-cell *volume*, ``f MCV_m / (f MCV_m + (1-f) MCV_n)``;
    the ZnPP fraction is the ZnPP-weighted ratio of the mixed amounts.
Hb
    The model's closed-form EPO feedback gives ``Hb = Hb_ref * P^(1/(1+g))``, with ``P`` the
    relative Hb production (MCH x effective output) and ``g`` the EPO gain. In a mosaic the
    productions add in marrow proportions, ``P = xi P_m + (1 - xi) P_n``, so::

        Hb = (xi Hb_m^(1+g) + (1 - xi) Hb_n^(1+g))^(1/(1+g))

    (a power mean; ``g = 0`` gives the plain ``xi``-weighted mean).
Red-cell distribution width
    Each clone's MCV distribution has a coefficient of variation that grows with its hypochromia,
    :func:`within_clone_cv`: a normal RDW-CV (:data:`WITHIN_CLONE_CV`, 12.8 %) plus
    :data:`ANISOCYTOSIS_GAIN` x (1 - MCH/MCH_ref) when MCH is below the reference, because
    heme-limited erythropoiesis makes unequal cells (iron deficiency: RDW-CV 18 % at MCH about
    22 pg). The mixture's SD follows from the law of total variance, so two clones with different
    MCV raise the RDW further (the dimorphic picture reported in XLSA carriers: OMIM/MedGen
    citing Fleming 2002). ``dimorphic`` is 1 when the two populations make a bimodal MCV
    histogram: a mixture of two normal distributions is bimodal when the means differ by more
    than twice the common SD (for equal weights; Robertson & Fryer, Skand Aktuarietidskr 1969),
    taken here with the mean within-clone SD and both shares at least 5 %.

At ``xi = 0`` every readout equals the normal clone's; at ``xi = 1`` every readout equals the
mutant clone's (the hemizygous male).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hemesim.errors import PhenotypeError
from hemesim.phenotype.readouts import UMOL_L_TO_UG_DL, check_cell_readouts, with_units

__all__ = [
    "WITHIN_CLONE_CV",
    "ANISOCYTOSIS_GAIN",
    "MosaicBlood",
    "mix",
    "mix_arrays",
    "validate_xi",
    "within_clone_cv",
]

#: Within-clone MCV coefficient of variation of normal erythropoiesis (dimensionless): RDW-CV of
#: healthy men 12.83 % (n = 35) and women 12.86 % (n = 73), Ann N Y Acad Sci 2022;1517:300,
#: Table 1 (laboratory reference 11.5-14.5 %).
WITHIN_CLONE_CV = 0.128
#: Rise of the within-clone CV per unit of hypochromia (1 - MCH/MCH_ref), dimensionless. Derived
#: from iron-deficiency anaemia, heme-limited erythropoiesis of another cause: RDW-CV 18.0 % in
#: iron-deficiency anaemia (Aslan et al., Am J Hematol 2002;69:31, n = 27) at a typical MCH of
#: 21.9 pg (Jangjoo & Hosseini, Electronic J Biol 2016;12(3), n = 13), i.e.
#: (0.180 - 0.128) / (1 - 21.9/30) = 0.193. Two cohorts combined: an assumption of scale.
ANISOCYTOSIS_GAIN = 0.193
#: MCH of the normal clone used as the reference of hypochromia (pg; the model's MCH.ref).
MCH_REFERENCE_PG = 30.0
#: Smallest share of each population for a dimorphic picture (assumed, as in diagnosis.py).
DIMORPHIC_MIN_SHARE = 0.05

_Arr = NDArray[np.float64]


def validate_xi(xi: Any) -> float:
    """Return ``xi`` as a float in [0, 1] or raise a one-line :class:`PhenotypeError`."""
    try:
        if isinstance(xi, bool):
            raise TypeError("a boolean is not a fraction")
        value = float(xi)
    except (TypeError, ValueError):
        raise PhenotypeError(
            f"xi {xi!r}: expected a number between 0 and 1 (fraction of cells with the variant "
            "X active)"
        ) from None
    if not np.isfinite(value) or not 0.0 <= value <= 1.0:
        raise PhenotypeError(
            f"xi {xi!r}: expected a number between 0 and 1 (fraction of cells with the variant "
            "X active)"
        )
    return value


def within_clone_cv(mch_pg: ArrayLike, *, base_cv: float = WITHIN_CLONE_CV) -> NDArray[np.float64]:
    """MCV coefficient of variation inside one clone (dimensionless) at its MCH (pg).

    ``base_cv + ANISOCYTOSIS_GAIN * max(0, 1 - MCH / 30 pg)``: normal cells have the normal
    RDW-CV; hypochromic (heme-limited) cells vary more (see :data:`ANISOCYTOSIS_GAIN`).
    """
    mch = np.asarray(mch_pg, dtype=float)
    deficit = np.clip(1.0 - mch / MCH_REFERENCE_PG, 0.0, 1.0)
    return np.asarray(base_cv + ANISOCYTOSIS_GAIN * deficit, dtype=float)


def _safe_div(num: _Arr, den: _Arr, fallback: _Arr) -> _Arr:
    out = np.array(fallback, dtype=float, copy=True)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def _clone_values(readouts: Mapping[str, Any], label: str) -> dict[str, Any]:
    """Required clone readouts as floats, or as arrays (one clone per woman) when given so."""
    arrays = {
        k: np.asarray(v, dtype=float)
        for k, v in readouts.items()
        if isinstance(v, np.ndarray) and v.ndim == 1
    }
    scalars = check_cell_readouts(
        {k: v for k, v in readouts.items() if k not in arrays} | {k: 0.0 for k in arrays}, label
    )
    return {**scalars, **arrays}


def mix_arrays(
    mutant: Mapping[str, Any],
    normal: Mapping[str, Any],
    xi: ArrayLike,
    *,
    epo_gain: float = 0.0,
    base_cv: float = WITHIN_CLONE_CV,
) -> dict[str, _Arr]:
    """Blood readouts of heterozygous women at each ``xi`` (vectorised).

    Parameters
    ----------
    mutant, normal
        Endpoint readouts of the mutant and normal clone (model units, see
        :data:`hemesim.phenotype.readouts.REQUIRED_CELL_READOUTS`): floats shared by all women,
        or 1-D arrays of the same length as ``xi`` (one clone pair per woman, e.g. under
        parameter uncertainty).
    xi
        X-inactivation ratio(s), fraction of erythroid cells with the variant X active (0..1).
    epo_gain
        EPO feedback gain ``g`` of the model (dimensionless, >= 0); sets the Hb power mean.
    within_clone_cv
        MCV coefficient of variation of a clone with normal MCH (dimensionless); hypochromic
        clones get more (:func:`within_clone_cv`).

    Returns
    -------
    dict of numpy arrays
        ``hb_g_dl, mch_pg, mcv_fl, mcv_mutant_clone_fl, mcv_normal_clone_fl, rdw_cv_percent,
        ep_total_umol_l_rbc, ep_total_ug_dl_rbc, znpp_fraction, metal_free_fraction,
        free_ppix_umol_l_rbc, znpp_umol_mol_heme, mito_iron_index, ineffective_fraction,
        mutant_rbc_fraction, dimorphic, xi``.
    """
    m = _clone_values(mutant, "mutant")
    n = _clone_values(normal, "normal")
    x = np.atleast_1d(np.asarray(xi, dtype=float))
    if np.any(~np.isfinite(x)) or np.any((x < 0) | (x > 1)):
        raise PhenotypeError("xi: expected values between 0 and 1")
    if not np.isfinite(epo_gain) or epo_gain < 0:
        raise PhenotypeError(f"epo_gain {epo_gain!r}: expected a number >= 0")

    eff_m = np.maximum(1.0 - m["ineffective_fraction"], 0.0)
    eff_n = np.maximum(1.0 - n["ineffective_fraction"], 0.0)
    delivered_m = x * eff_m
    delivered_n = (1.0 - x) * eff_n
    f = _safe_div(delivered_m, delivered_m + delivered_n, x)  # share of circulating red cells

    def cell_mean(key: str) -> _Arr:
        return f * m[key] + (1.0 - f) * n[key]

    mch = cell_mean("mch_pg")
    mcv = cell_mean("mcv_fl")

    # Hb: power mean of the clone Hb values (EPO feedback, see module docstring)
    p = 1.0 + epo_gain
    hb = (x * m["hb_g_dl"] ** p + (1.0 - x) * n["hb_g_dl"] ** p) ** (1.0 / p)

    # RDW from the law of total variance over the two clones
    sd_m = within_clone_cv(m["mch_pg"], base_cv=base_cv) * m["mcv_fl"]
    sd_n = within_clone_cv(n["mch_pg"], base_cv=base_cv) * n["mcv_fl"]
    second_moment = f * (sd_m**2 + m["mcv_fl"] ** 2) + (1.0 - f) * (sd_n**2 + n["mcv_fl"] ** 2)
    sd = np.sqrt(np.maximum(second_moment - mcv**2, 0.0))
    rdw = 100.0 * _safe_div(sd, mcv, np.zeros_like(mcv))
    two_populations = (f >= DIMORPHIC_MIN_SHARE) & (f <= 1.0 - DIMORPHIC_MIN_SHARE)
    bimodal = np.abs(m["mcv_fl"] - n["mcv_fl"]) > (sd_m + sd_n)  # > 2 x the mean SD
    dimorphic = (two_populations & bimodal).astype(float)

    # per-litre-of-red-cells concentrations: weight by red-cell volume share
    vol_m = f * m["mcv_fl"]
    vol_n = (1.0 - f) * n["mcv_fl"]
    v = _safe_div(vol_m, vol_m + vol_n, f)
    ep = v * m["ep_total_umol_l_rbc"] + (1.0 - v) * n["ep_total_umol_l_rbc"]
    free = v * m["free_ppix_umol_l_rbc"] + (1.0 - v) * n["free_ppix_umol_l_rbc"]
    znpp_amount = (
        v * m["ep_total_umol_l_rbc"] * m["znpp_fraction"]
        + (1.0 - v) * n["ep_total_umol_l_rbc"] * n["znpp_fraction"]
    )
    znpp_frac = _safe_div(znpp_amount, ep, f * m["znpp_fraction"] + (1.0 - f) * n["znpp_fraction"])

    # ZnPP/heme: ratio of per-cell amounts; heme per cell is proportional to MCH
    heme_m = f * m["mch_pg"]
    heme_n = (1.0 - f) * n["mch_pg"]
    znpp_heme = _safe_div(
        heme_m * m["znpp_umol_mol_heme"] + heme_n * n["znpp_umol_mol_heme"],
        heme_m + heme_n,
        cell_mean("znpp_umol_mol_heme"),
    )

    def marrow_mean(key: str) -> _Arr:
        return x * m[key] + (1.0 - x) * n[key]

    return {
        "xi": x,
        "mutant_rbc_fraction": f,
        "hb_g_dl": hb,
        "mch_pg": mch,
        "mcv_fl": mcv,
        "mcv_mutant_clone_fl": np.broadcast_to(m["mcv_fl"], x.shape).astype(float),
        "mcv_normal_clone_fl": np.broadcast_to(n["mcv_fl"], x.shape).astype(float),
        "rdw_cv_percent": rdw,
        "dimorphic": np.broadcast_to(dimorphic, x.shape).astype(float),
        "ep_total_umol_l_rbc": ep,
        "ep_total_ug_dl_rbc": ep * UMOL_L_TO_UG_DL,
        "znpp_fraction": znpp_frac,
        "metal_free_fraction": 1.0 - znpp_frac,
        "free_ppix_umol_l_rbc": free,
        "znpp_umol_mol_heme": znpp_heme,
        "mito_iron_index": marrow_mean("mito_iron_index"),
        "ineffective_fraction": marrow_mean("ineffective_fraction"),
    }


@dataclass(frozen=True)
class MosaicBlood:
    """Blood readouts of one person (a man is the ``xi = 1`` case), with units in :meth:`to_dict`.

    Attributes
    ----------
    values
        Readout name -> value (units in :data:`hemesim.phenotype.readouts.READOUT_UNITS`).
    """

    values: dict[str, float]

    def __getitem__(self, key: str) -> float:
        return self.values[key]

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """``{name: {"value": v, "unit": u}}``."""
        return with_units(self.values)


def mix(
    mutant: Mapping[str, float],
    normal: Mapping[str, float],
    xi: float,
    *,
    epo_gain: float = 0.0,
    base_cv: float = WITHIN_CLONE_CV,
) -> MosaicBlood:
    """Blood readouts at a single ``xi`` (see :func:`mix_arrays` for the rules and units)."""
    value = validate_xi(xi)
    arrays = mix_arrays(mutant, normal, value, epo_gain=epo_gain, base_cv=base_cv)
    return MosaicBlood({k: float(v[0]) for k, v in arrays.items()})
