"""Effect factors -> parameter overrides (the seam between variants and the model)."""

from __future__ import annotations

import pytest

from hemesim.errors import ModelError
from hemesim.model import effect_overrides, load_definition
from hemesim.variants.effect_types import WILD_TYPE, Effect


def test_wild_type_changes_nothing() -> None:
    assert effect_overrides(WILD_TYPE) == {}


def test_each_factor_multiplies_its_parameter() -> None:
    d = load_definition()
    v = d.defaults
    eff = Effect(
        kcat_factor=0.5,
        km_succoa_factor=2.0,
        kd_plp_factor=10.0,
        stability_factor=0.25,
        ire_factor=0.0,
        expression_factor=0.8,
    )
    out = effect_overrides(eff, d)
    assert out == pytest.approx(
        {
            "ALAS2.kcat": 0.5 * v["ALAS2_kcat"],
            "ALAS2.Km_succoa": 2.0 * v["ALAS2_Km_succoa"],
            "ALAS2.Kd_PLP": 10.0 * v["ALAS2_Kd_PLP"],
            "ALAS2.half_life": 0.25 * v["ALAS2_half_life"],
            "IRE.repression": 0.0,
            "ALAS2.ksyn": 0.8 * v["ALAS2_ksyn"],
        }
    )
    # every override is a valid parameter value
    assert set(d.validate_overrides(out)) == {d.id_of(k) for k in out}


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_bad_factor_raises(bad: float) -> None:
    with pytest.raises(ModelError, match="kcat_factor"):
        effect_overrides(Effect(kcat_factor=bad))


def test_ire_factor_above_one_is_rejected() -> None:
    """IRE.repression is a 0..1 strength; a factor > 1 has no meaning (Effect docs)."""
    with pytest.raises(ModelError, match="ire_factor"):
        effect_overrides(Effect(ire_factor=1.5))
