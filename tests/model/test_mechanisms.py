"""Behaviour the model must show, each with its mechanism named."""

from __future__ import annotations

import pytest

from hemesim.simulate import load_model

MODEL = load_model("erythroid")
DEFAULTS = MODEL.definition.defaults


def _end(**overrides: float) -> dict[str, float]:
    return MODEL.endpoint({k.replace("__", "."): v for k, v in overrides.items()})


def test_cutting_alas2_lowers_mch_monotonically_and_loads_mitochondria_with_iron() -> None:
    """Mechanism: ALAS2 is the rate-limiting step, so less ALAS2 activity means less PPIX and
    less heme per cell (hypochromia, the XLSA picture); transferrin iron keeps entering the
    mitochondria where FECH, short of PPIX, cannot use it, so it deposits (ring sideroblasts)."""
    kcat = DEFAULTS["ALAS2_kcat"]
    ends = [MODEL.endpoint({"ALAS2.kcat": kcat * f}) for f in (1.0, 0.8, 0.6, 0.4, 0.2, 0.05)]
    mch = [e["mch_pg"] for e in ends]
    iron = [e["mito_iron_index"] for e in ends]
    assert all(a > b for a, b in zip(mch, mch[1:], strict=False)), mch
    assert all(a < b for a, b in zip(iron, iron[1:], strict=False)), iron
    assert iron[3] > 3.0  # a 60% loss gives several-fold mitochondrial iron
    assert ends[3]["hb_g_dl"] < 13.0  # anemic by the WHO threshold for men


def test_alas2_above_fech_capacity_raises_ppix_and_zinc_protoporphyrin() -> None:
    """Mechanism: when ALAS2 makes PPIX faster than FECH can insert the iron supplied to it,
    metal-free PPIX accumulates, and the iron-starved FECH chelates more zinc (ZnPP/heme rises),
    the XLP pattern (Whatley 2008; Gou 2015: XLP EP is 50-85% metal-free)."""
    normal = _end()
    gain = MODEL.endpoint({"ALAS2.kcat": DEFAULTS["ALAS2_kcat"] * 3})
    assert gain["free_ppix_umol_l_rbc"] > 10 * normal["free_ppix_umol_l_rbc"]
    assert gain["znpp_umol_mol_heme"] > 2 * normal["znpp_umol_mol_heme"]
    assert gain["ep_total_umol_l_rbc"] > 1.42  # above the 80 ug/dL reference limit
    assert gain["mch_pg"] >= 0.95 * normal["mch_pg"]  # no anemia in XLP


def test_iron_restriction_raises_zinc_protoporphyrin_per_heme() -> None:
    """Mechanism: with less transferrin iron, the FECH metal site sees less Fe2+ relative to
    Zn2+, so more PPIX leaves as ZnPP: the iron-deficiency signature (Hastka et al. Clin Chem
    1994: ZnPP/heme > 40 umol/mol in iron-deficient erythropoiesis), while MCH falls."""
    supply = DEFAULTS["iron_supply"]
    ends = [MODEL.endpoint({"iron.supply": supply * f}) for f in (1.0, 0.8, 0.6, 0.4)]
    znpp = [e["znpp_umol_mol_heme"] for e in ends]
    mch = [e["mch_pg"] for e in ends]
    assert all(a < b for a, b in zip(znpp, znpp[1:], strict=False)), znpp
    assert all(a > b for a, b in zip(mch, mch[1:], strict=False)), mch
    assert znpp[1] > 40.0


def test_fech_loss_raises_mostly_metal_free_protoporphyrin() -> None:
    """Mechanism: FECH loss (EPP) leaves PPIX without a chelator, so EP rises and is mostly
    metal-free (Gou et al. Clin Chem 2015: EPP 85-100% metal-free)."""
    epp = MODEL.endpoint({"FECH.kcat": DEFAULTS["FECH_kcat"] * 0.2})
    assert epp["ep_total_umol_l_rbc"] > 1.42
    assert epp["znpp_fraction"] < 0.15


def test_pyridoxine_raises_mch_when_plp_binding_is_weak() -> None:
    """Mechanism: a variant with weaker PLP binding (Kd_PLP x 20) has a smaller holoenzyme
    fraction and a less stable apoenzyme; more PLP restores both (pyridoxine-responsive XLSA,
    Cotter et al. J Clin Invest 1995)."""
    weak = {"ALAS2.Kd_PLP": DEFAULTS["ALAS2_Kd_PLP"] * 20}
    before = MODEL.endpoint(weak)["mch_pg"]
    after = MODEL.endpoint({**weak, "PLP": DEFAULTS["PLP"] * 10})["mch_pg"]
    assert after > before * 1.2


def test_ire_loss_uncouples_alas2_from_iron() -> None:
    """Mechanism: IRP represses ALAS2 translation through its 5'-IRE when iron is low; with the
    IRE unable to bind (IRE.repression = 0) iron restriction no longer lowers ALAS2 synthesis,
    so more PPIX is made for the same iron and ZnPP/heme rises further."""
    low_iron = {"iron.supply": DEFAULTS["iron_supply"] * 0.6}
    with_ire = MODEL.endpoint(low_iron)
    without = MODEL.endpoint({**low_iron, "IRE.repression": 0.0})
    assert without["znpp_umol_mol_heme"] > with_ire["znpp_umol_mol_heme"]


def test_heme_not_globin_limits_hemoglobin_but_globin_deficit_is_microcytic() -> None:
    """Mechanism: HRI holds globin translation just above what heme allows, so doubling the
    globin translation capacity changes MCH by < 5% (heme limits Hb); halving it makes globin
    limiting and lowers MCH, as in beta-thalassaemia trait (microcytosis from globin deficit)."""
    base = _end()["mch_pg"]
    more = MODEL.endpoint({"globin.ksyn": DEFAULTS["globin_ksyn"] * 2.0})["mch_pg"]
    less = MODEL.endpoint({"globin.ksyn": DEFAULTS["globin_ksyn"] * 0.5})["mch_pg"]
    assert more == pytest.approx(base, rel=0.05)
    assert less < 0.95 * base


def test_heme_excess_does_not_make_giant_cells() -> None:
    """Mechanism: globin translation (HRI-controlled) has a ceiling, so excess heme and iron
    cannot push MCH much above the normal range (MCHC <= 36 g/dL; shared/science.md section 3);
    excess heme is degraded by heme oxygenase instead."""
    rich = MODEL.endpoint(
        {"ALAS2.kcat": DEFAULTS["ALAS2_kcat"] * 3, "iron.supply": DEFAULTS["iron_supply"] * 3}
    )
    assert rich["mch_pg"] < 37.0
    assert rich["mchc_g_dl"] <= 36.5
