"""A small analytic stand-in for the model, so the phenotype plumbing is tested without roadrunner.

The stand-in is NOT a model of biology and no expected value in a test comes from it: tests that
use it check invariants (mixing limits, probability bounds, reproducibility, input errors) that
must hold for any model. Published-figure comparisons use the real model (tests/validation).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from hemesim.variants.effect_types import Effect

BASE = {
    "ALAS2.kcat": 195.0,
    "ALAS2.Kd_PLP": 0.5,
    "PLP": 2.0,
    "ALAS2.half_life": 12.0,
    "ALAS2.ksyn": 60.0,
    "EPO.gain": 1.0,
    "iron.supply": 70.0,
    "FECH.kcat": 1800.0,
}


class FakeBackend:
    """Monotone toy readouts of ALAS2 activity relative to normal (see module docstring)."""

    def __init__(self) -> None:
        self.calls = 0

    def base_value(self, name: str) -> float:
        return BASE[name]

    def effect_overrides(self, effect: Effect) -> dict[str, float]:
        return {
            "ALAS2.kcat": BASE["ALAS2.kcat"] * effect.kcat_factor,
            "ALAS2.Kd_PLP": BASE["ALAS2.Kd_PLP"] * effect.kd_plp_factor,
            "ALAS2.half_life": BASE["ALAS2.half_life"] * effect.stability_factor,
            "ALAS2.ksyn": BASE["ALAS2.ksyn"] * effect.expression_factor,
        }

    def endpoint(self, overrides: Mapping[str, float]) -> dict[str, float]:
        self.calls += 1
        p = dict(BASE) | dict(overrides)

        def holo(kd: float, plp: float) -> float:
            return plp / (kd + plp)

        act = (
            p["ALAS2.kcat"]
            / BASE["ALAS2.kcat"]
            * p["ALAS2.ksyn"]
            / BASE["ALAS2.ksyn"]
            * p["ALAS2.half_life"]
            / BASE["ALAS2.half_life"]
            * holo(p["ALAS2.Kd_PLP"], p["PLP"])
            / holo(BASE["ALAS2.Kd_PLP"], BASE["PLP"])
        )
        fech = p["FECH.kcat"] / BASE["FECH.kcat"]
        heme = min(act, fech, 1.0)
        mch = 30.0 * heme**0.5
        ie = 0.1 + 0.6 * (1.0 - min(act, 1.0))
        ep = 1.0 + 30.0 * max(act - fech, 0.0)
        hb = 15.5 * ((mch / 30.0) * (1 - ie) / 0.9) ** 0.5
        return {
            "hb_g_dl": hb,
            "mch_pg": mch,
            "mcv_fl": 90.0 * (mch / 30.0) ** 0.8,
            "ep_total_umol_l_rbc": ep,
            "znpp_fraction": 0.9 if act <= fech else 0.3,
            "free_ppix_umol_l_rbc": ep * 0.1,
            "znpp_umol_mol_heme": 30.0,
            "mito_iron_index": 1.0 + 4.0 * (1.0 - min(act, 1.0)),
            "ineffective_fraction": ie,
        }


@pytest.fixture
def fake_backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def loss_effect() -> Effect:
    return Effect(effect_class="loss_of_function", kcat_factor=0.2, kd_plp_factor=5.0)


@pytest.fixture
def gain_effect() -> Effect:
    return Effect(effect_class="gain_of_function", kcat_factor=4.0)
