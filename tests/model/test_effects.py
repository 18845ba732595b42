"""Effect factors -> parameter overrides (the seam between variants and the model)."""

from __future__ import annotations

import pytest

from hemesim.errors import ModelError, VariantError
from hemesim.model import effect_overrides, load_definition
from hemesim.variants.effect_types import WILD_TYPE, Effect


def test_wild_type_changes_nothing() -> None:
    assert effect_overrides(WILD_TYPE) == {}


def test_each_factor_multiplies_its_parameter() -> None:
    d = load_definition()
    v = d.defaults
    eff = Effect(
        effect_class="uncertain",
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
def test_bad_factor_is_refused_when_the_effect_is_built(bad: float) -> None:
    with pytest.raises(VariantError, match="kcat_factor"):
        Effect(effect_class="loss_of_function", kcat_factor=bad)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "abc", None, True])
def test_bad_factor_set_after_construction_raises_model_error(bad: object) -> None:
    """effect_overrides still guards an Effect whose field was forced past the constructor:
    a ModelError naming the factor, never a ValueError/TypeError from float()."""
    eff = Effect(effect_class="loss_of_function", kcat_factor=0.5)
    object.__setattr__(eff, "kcat_factor", bad)
    with pytest.raises(ModelError, match=r"Effect\.kcat_factor .*expected a finite factor >= 0"):
        effect_overrides(eff)


def test_ire_factor_above_one_is_rejected() -> None:
    """IRE.repression is a 0..1 strength; a factor > 1 has no meaning (Effect docs)."""
    with pytest.raises(ModelError, match="ire_factor"):
        effect_overrides(Effect(effect_class="uncertain", ire_factor=1.5))


@pytest.mark.parametrize("bad", [{"ALAS2.kcat": 0.5}, "loss_of_function", None])
def test_non_effect_is_refused(bad: object) -> None:
    with pytest.raises(ModelError, match="expected a hemesim Effect"):
        effect_overrides(bad)  # type: ignore[arg-type]


def test_non_definition_is_refused() -> None:
    with pytest.raises(ModelError, match="definition 'erythroid': expected a ModelDefinition"):
        effect_overrides(WILD_TYPE, "erythroid")  # type: ignore[arg-type]
