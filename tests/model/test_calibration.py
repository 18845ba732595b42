"""The default model is a healthy adult man (calibration check against published ranges)."""

from __future__ import annotations

import pytest

from hemesim.model import load_definition
from hemesim.model.calibrate import FITTED, TARGETS, calibrate
from hemesim.simulate import load_model


@pytest.fixture(scope="module")
def normal() -> dict[str, float]:
    return load_model("erythroid").endpoint()


def test_red_cell_indices_in_reference_ranges(normal: dict[str, float]) -> None:
    # Adult normal values, Hoffbrand AV & Moss PAH, Essential Haematology (Wiley-Blackwell),
    # Appendix 1 "Normal values": Hb 13.5-17.5 g/dL in men, MCV 80-95 fL, MCH 27-34 pg,
    # MCHC 30-35 g/dL (the scanned copy read online prints "20-35", a scan error for 30).
    assert 27 <= normal["mch_pg"] <= 34
    assert 80 <= normal["mcv_fl"] <= 95
    assert 30 <= normal["mchc_g_dl"] <= 35
    assert 13.5 <= normal["hb_g_dl"] <= 17.5


def test_protoporphyrins_in_normal_ranges(normal: dict[str, float]) -> None:
    # Gou et al. Clin Chem 2015;61:1453: total EP < 80 ug/dL erythrocytes (1.42 umol/L), mostly
    # zinc protoporphyrin. Hastka et al. Clin Chem 1994;40:768: ZnPP/heme <= 40 umol/mol.
    assert normal["ep_total_umol_l_rbc"] < 1.42
    assert normal["ep_total_ug_dl_rbc"] < 80
    assert normal["znpp_fraction"] > 0.5
    assert normal["znpp_umol_mol_heme"] <= 40


def test_normal_man_has_reference_iron_and_erythropoiesis(normal: dict[str, float]) -> None:
    assert normal["mito_iron_index"] == pytest.approx(1.0, rel=1e-3)
    # at reference mitochondrial iron, ineffective erythropoiesis is the basal share only
    basal = load_definition("erythroid").parameters.set_index("name").loc["ineffective.basal"]
    assert normal["ineffective_fraction"] == pytest.approx(float(basal["value"]), rel=1e-3)


@pytest.mark.slow
def test_calibration_reproduces_the_table() -> None:
    """Rerunning the calibration from the table's values moves nothing (a fixed point)."""
    result = calibrate()
    table = load_model().definition.parameters.set_index("name")["value"]
    for name in FITTED:
        assert result.values[name] == pytest.approx(table[name], rel=1e-3), name
    for key, target in TARGETS.items():
        assert result.readouts[key] == pytest.approx(target, rel=1e-3), key
