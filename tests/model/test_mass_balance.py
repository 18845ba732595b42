"""Conservation over random parameter sets: porphyrin units and iron are accounted for.

Porphyrin carbon/nitrogen is counted in ALA equivalents: each ALA made by ALAS2 carries one
pyrrole nitrogen; PBG holds 2 ALA, every tetrapyrrole (HMB, uroporphyrinogens,
coproporphyrinogen, protoporphyrinogen, PPIX, heme, ZnPP, biliverdin, exported PPIX) holds 8, and
hemoglobin 32 (4 heme). The ALAS2 flux is integrated by the model itself (``ala_made_amol``).
Iron taken up from transferrin (``iron_taken_up_amol``) must equal the labile, ferritin,
deposited, heme and hemoglobin iron (heme oxygenase returns its iron to the labile pool).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.model.definition import UPPER_BOUNDS
from hemesim.simulate import load_model

ALA_UNITS = {
    "ALA_m": 1, "ALA_c": 1, "PBG": 2, "HMB": 8, "UROgenIII": 8, "UROgenI": 8, "COPROgen_c": 8,
    "COPROgen_m": 8, "PROTOgen": 8, "PPIX": 8, "heme_m": 8, "heme_c": 8, "ZnPP": 8,
    "biliverdin": 8, "PPIX_ext": 8, "Hb": 32,
}  # fmt: skip
IRON_UNITS = {"Fe_c": 1, "Fe_fer": 1, "Fe_m": 1, "Fe_dep": 1, "heme_m": 1, "heme_c": 1, "Hb": 4}
COMPARTMENT = {
    "ALA_m": "mito", "COPROgen_m": "mito", "PROTOgen": "mito", "PPIX": "mito", "heme_m": "mito",
    "ZnPP": "mito", "Fe_m": "mito", "Fe_dep": "mito", "PPIX_ext": "plasma",
}  # fmt: skip

# kinetic parameters perturbed in the random sets (log-uniform factor 0.2-5)
PERTURBED = [
    "ALAS2.kcat", "ALAS2.ksyn", "ALAS2.Kd_PLP", "ALAS2.half_life", "ALAD.E", "HMBS.E",
    "UROS.E", "UROD.E", "CPOX.E", "PPOX.E", "FECH.kcat", "FECH.Km_Fe", "zinc.level",
    "iron.supply", "PPIX.k_efflux", "HO.k", "globin.ksyn", "mitoferrin.Vmax", "ferritin.k",
    "PLP", "IRE.repression",
]  # fmt: skip

MODEL = load_model("erythroid")
VOLUME = {c: MODEL.definition.defaults[c] for c in ("cyto", "mito", "plasma")}


def _amount(result, sid: str) -> float:
    return float(result.species[sid]) * VOLUME[COMPARTMENT.get(sid, "cyto")]


def _balances(overrides: dict[str, float]) -> tuple[float, float, float, float]:
    r = MODEL.simulate(points=3, overrides=overrides)
    made = float(r.series["ala_made_amol"][-1])
    found = sum(units * _amount(r, sid) for sid, units in ALA_UNITS.items())
    taken = float(r.series["iron_taken_up_amol"][-1])
    iron = sum(units * _amount(r, sid) for sid, units in IRON_UNITS.items())
    return made, found, taken, iron


def test_default_model_balances() -> None:
    made, found, taken, iron = _balances({})
    assert made > 1000  # a real flux went through (amol of ALA per cell)
    assert found == pytest.approx(made, rel=1e-6)
    assert iron == pytest.approx(taken, rel=1e-6)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    st.lists(
        st.floats(min_value=np.log(0.2), max_value=np.log(5.0)),
        min_size=len(PERTURBED),
        max_size=len(PERTURBED),
    )
)
def test_random_parameter_sets_balance(log_factors: list[float]) -> None:
    d = MODEL.definition
    overrides = {
        name: min(
            d.defaults[d.id_of(name)] * float(np.exp(f)),
            UPPER_BOUNDS.get(d.id_of(name), np.inf),  # e.g. IRE.repression is a fraction <= 1
        )
        for name, f in zip(PERTURBED, log_factors, strict=True)
    }
    made, found, taken, iron = _balances(overrides)
    assert found == pytest.approx(made, rel=1e-6, abs=1e-6)
    assert iron == pytest.approx(taken, rel=1e-6, abs=1e-6)
