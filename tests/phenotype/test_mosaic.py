"""Mixing two erythroid clones: limits, bounds and the dimorphic RDW.

Invariants that must hold for any model: xi = 0 gives the normal clone, xi = 1 the hemizygous
(mutant) clone; per-cell means lie between the clones; two populations of different MCV widen the
red-cell distribution (raised RDW in XLSA carriers: OMIM/MedGen citing Fleming 2002).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import PhenotypeError
from hemesim.phenotype.mosaic import WITHIN_CLONE_CV, mix, mix_arrays, within_clone_cv

NORMAL = {
    "hb_g_dl": 15.0,
    "mch_pg": 30.0,
    "mcv_fl": 90.0,
    "ep_total_umol_l_rbc": 0.8,
    "znpp_fraction": 0.9,
    "free_ppix_umol_l_rbc": 0.08,
    "znpp_umol_mol_heme": 20.0,
    "mito_iron_index": 1.0,
    "ineffective_fraction": 0.1,
}
XLSA = {
    "hb_g_dl": 9.0,
    "mch_pg": 20.0,
    "mcv_fl": 65.0,
    "ep_total_umol_l_rbc": 0.5,
    "znpp_fraction": 0.8,
    "free_ppix_umol_l_rbc": 0.1,
    "znpp_umol_mol_heme": 30.0,
    "mito_iron_index": 6.0,
    "ineffective_fraction": 0.5,
}
XLP = NORMAL | {"ep_total_umol_l_rbc": 30.0, "znpp_fraction": 0.35, "free_ppix_umol_l_rbc": 19.5}
CELL_READOUTS = (
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


@pytest.mark.parametrize("mutant", [XLSA, XLP])
@pytest.mark.parametrize("gain", [0.0, 1.0])
def test_limits(mutant: dict[str, float], gain: float) -> None:
    at0 = mix(mutant, NORMAL, 0.0, epo_gain=gain)
    at1 = mix(mutant, NORMAL, 1.0, epo_gain=gain)
    for key in CELL_READOUTS:
        assert at0[key] == pytest.approx(NORMAL[key]), key
        assert at1[key] == pytest.approx(mutant[key]), key
    # one population each: the RDW is that clone's own, which grows with its hypochromia
    assert at0["rdw_cv_percent"] == pytest.approx(100 * within_clone_cv(NORMAL["mch_pg"]))
    assert at1["rdw_cv_percent"] == pytest.approx(100 * within_clone_cv(mutant["mch_pg"]))
    assert at0["dimorphic"] == 0.0 and at1["dimorphic"] == 0.0


def test_hypochromic_clones_are_more_anisocytic() -> None:
    """Iron-deficiency anaemia (heme-limited erythropoiesis): RDW-CV 18.0 % (Aslan et al., Am J
    Hematol 2002) at MCH about 21.9 pg (Jangjoo & Hosseini 2016), against 12.83 % in healthy men
    (Ann N Y Acad Sci 2022;1517:300, Table 1)."""
    assert 100 * within_clone_cv(30.0) == pytest.approx(12.8)
    assert 100 * within_clone_cv(21.9) == pytest.approx(18.0, abs=0.1)
    assert 100 * within_clone_cv(35.0) == pytest.approx(12.8)  # no more spread above normal
    assert within_clone_cv(10.0) > within_clone_cv(20.0) > within_clone_cv(30.0)


def test_dimorphic_picture_needs_two_distinct_populations() -> None:
    """A two-component normal mixture is bimodal when the means differ by more than twice the
    SD (equal weights; Robertson & Fryer 1969): clones 65 and 90 fL at xi 0.5 are dimorphic,
    clones 88 and 90 fL are not."""
    assert mix(XLSA, NORMAL, 0.5)["dimorphic"] == 1.0
    close = XLSA | {"mcv_fl": 88.0, "mch_pg": 29.5}
    assert mix(close, NORMAL, 0.5)["dimorphic"] == 0.0


def test_ineffective_clone_is_underrepresented_in_blood() -> None:
    b = mix(XLSA, NORMAL, 0.5)
    # delivered cells 0.5*0.5 vs 0.5*0.9 -> share 0.25/0.7
    assert b["mutant_rbc_fraction"] == pytest.approx(0.25 / 0.7)
    assert b["mutant_rbc_fraction"] < 0.5


def test_two_populations_raise_rdw() -> None:
    b = mix(XLSA, NORMAL, 0.5)
    assert b["rdw_cv_percent"] > 100 * WITHIN_CLONE_CV + 5
    assert b["mcv_mutant_clone_fl"] == XLSA["mcv_fl"]
    assert b["mcv_normal_clone_fl"] == NORMAL["mcv_fl"]


@settings(max_examples=60, deadline=None)
@given(xi=st.floats(0, 1), gain=st.floats(0, 3))
def test_mixed_values_lie_between_clones(xi: float, gain: float) -> None:
    b = mix(XLSA, NORMAL, xi, epo_gain=gain)
    for key in CELL_READOUTS:
        lo, hi = sorted((XLSA[key], NORMAL[key]))
        assert lo - 1e-9 <= b[key] <= hi + 1e-9, key


def test_hb_and_ep_move_monotonically_with_xi() -> None:
    xs = np.linspace(0, 1, 41)
    b = mix_arrays(XLSA, NORMAL, xs, epo_gain=1.0)
    assert np.all(np.diff(b["hb_g_dl"]) <= 1e-12)
    p = mix_arrays(XLP, NORMAL, xs, epo_gain=1.0)
    assert np.all(np.diff(p["ep_total_ug_dl_rbc"]) >= -1e-12)


def test_vectorised_equals_scalar() -> None:
    xs = [0.1, 0.37, 0.9]
    arr = mix_arrays(XLSA, NORMAL, xs, epo_gain=1.0)
    for i, x in enumerate(xs):
        one = mix(XLSA, NORMAL, x, epo_gain=1.0)
        for key, values in arr.items():
            assert values[i] == pytest.approx(one[key]), key


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), "half", None])
def test_bad_xi_is_one_line_error(bad: object) -> None:
    with pytest.raises(PhenotypeError) as exc:
        mix(XLSA, NORMAL, bad)  # type: ignore[arg-type]
    assert "\n" not in str(exc.value) and "xi" in str(exc.value)


def test_missing_readout_is_named() -> None:
    broken = {k: v for k, v in NORMAL.items() if k != "mcv_fl"}
    with pytest.raises(PhenotypeError, match="mcv_fl"):
        mix(broken, NORMAL, 0.5)
