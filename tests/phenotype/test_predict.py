"""predict(): plumbing, invariants and input errors, on the analytic stand-in backend (conftest).

No expected number comes from the stand-in; published comparisons are in tests/validation.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from hemesim.cli._common import to_jsonable
from hemesim.errors import HemesimError, PhenotypeError
from hemesim.phenotype.predict import predict
from hemesim.variants.effect_types import WILD_TYPE, Effect


def test_male_is_the_mutant_clone(fake_backend, loss_effect: Effect) -> None:
    p = predict(loss_effect, "male", backend=fake_backend)
    assert p.xi == 1.0
    assert p.blood["hb_g_dl"] == pytest.approx(p.clones.mutant["hb_g_dl"])
    assert p.blood["mcv_fl"] == pytest.approx(p.clones.mutant["mcv_fl"])
    assert p.penetrance is None and p.quantiles is None


def test_female_xi_zero_is_normal(fake_backend, loss_effect: Effect) -> None:
    p = predict(loss_effect, "female", xi=0.0, backend=fake_backend)
    for key in ("hb_g_dl", "mch_pg", "mcv_fl", "ep_total_umol_l_rbc"):
        assert p.blood[key] == pytest.approx(p.clones.normal[key])


def test_female_without_xi_has_penetrance_and_quantiles(fake_backend, gain_effect: Effect) -> None:
    p = predict(gain_effect, "female", seed=5, n_women=500, backend=fake_backend)
    assert p.xi == 0.5 and not p.xi_given
    assert p.penetrance is not None and 0.0 <= p.penetrance <= 1.0
    q = p.quantiles
    assert q is not None
    hb = q["readouts"]["hb_g_dl"]
    assert hb["q05"] <= hb["q25"] <= hb["q50"] <= hb["q75"] <= hb["q95"]
    shares = q["share_called"]
    assert sum(shares.values()) == pytest.approx(1.0)


def test_seed_reproduces(fake_backend, gain_effect: Effect) -> None:
    a = predict(gain_effect, "female", seed=11, n_women=300, backend=fake_backend).quantiles
    b = predict(gain_effect, "female", seed=11, n_women=300, backend=fake_backend).quantiles
    c = predict(gain_effect, "female", seed=12, n_women=300, backend=fake_backend).quantiles
    assert a == b
    assert a != c


@pytest.mark.parametrize("seed", [7, "generator", None])
def test_quantiles_and_monte_carlo_check_use_the_same_women(
    fake_backend, gain_effect: Effect, seed
) -> None:
    """One draw of women serves both summaries, so the share of women called affected in the
    quantiles is the Monte Carlo penetrance estimate exactly, whatever the seed's form (a
    Generator or no seed used to give two different samples)."""
    rng_or_int = np.random.default_rng(3) if seed == "generator" else seed
    p = predict(gain_effect, "female", seed=rng_or_int, n_women=3000, backend=fake_backend)
    assert p.quantiles is not None and p.penetrance_detail is not None
    shares = p.quantiles["share_called"]
    mc = p.penetrance_detail["monte_carlo"]
    assert 0.0 < mc["estimate"] < 1.0  # the variant splits the women, so a mismatch would show
    assert shares["XLP"] + shares["XLSA"] == pytest.approx(mc["estimate"], abs=1e-15)


def test_penetrance_refuses_a_sample_of_the_wrong_length(fake_backend, gain_effect) -> None:
    from hemesim.phenotype.clones import simulate_clones
    from hemesim.phenotype.penetrance import penetrance_from_clones

    clones = simulate_clones(gain_effect, backend=fake_backend)
    with pytest.raises(PhenotypeError, match="xi_sample: expected 10 values"):
        penetrance_from_clones(clones, n_women=10, xi_sample=np.full(9, 0.5))


def test_a_woman_costs_two_simulations(fake_backend, loss_effect: Effect) -> None:
    from hemesim.phenotype.clones import ModelBackend

    class Counting(ModelBackend):
        """ModelBackend's cache over the stand-in's endpoint."""

        def __init__(self) -> None:
            super().__init__()
            self.inner = fake_backend

        def _load(self) -> None:
            # the stand-in reports no iron uptake, so no clone is limited (iron_delivery)
            self._model = type(
                "M", (), {"endpoint": lambda _s, o, extra=(): self.inner.endpoint(o or {})}
            )()

        def base_value(self, name: str) -> float:
            return fake_backend.base_value(name)

        def effect_overrides(self, effect: Effect) -> dict[str, float]:
            return fake_backend.effect_overrides(effect)

    from hemesim.phenotype.penetrance import REPORT_AGES_YEARS
    from hemesim.phenotype.plp_age import cell_factors_at_age

    be = Counting()
    predict(loss_effect, "female", seed=1, n_women=5000, backend=be)
    predict(loss_effect, "female", xi=0.9, backend=be)
    # two clones per vitamin B6 level (PLP of the age, hemesim.phenotype.plp_age) among the
    # woman's age and the ages of the penetrance by age; nothing is simulated twice
    levels = {
        tuple(sorted(cell_factors_at_age({}, treatment="none", age_years=a, sex="female").items()))
        for a in (None, *REPORT_AGES_YEARS)
    }
    assert fake_backend.calls == 2 * len(levels)


def test_treatment_response_reported(fake_backend, loss_effect: Effect) -> None:
    p = predict(loss_effect, "male", treatment="pyridoxine", backend=fake_backend)
    r = p.treatment_response
    assert r is not None
    for key in ("hb_g_dl", "ferritin_ug_l_at_10y"):
        assert r["change"][key] == pytest.approx(r["treated"][key] - r["untreated"][key])
    assert predict(loss_effect, "male", backend=fake_backend).treatment_response is None


def test_neutral_variant_is_none(fake_backend) -> None:
    assert predict(WILD_TYPE, "male", backend=fake_backend).disease == "none"
    assert predict(WILD_TYPE, "female", xi=0.9, backend=fake_backend).disease == "none"


def test_to_dict_is_json_with_units(fake_backend, gain_effect: Effect) -> None:
    d = predict(gain_effect, "female", seed=2, n_women=200, backend=fake_backend).to_dict()
    text = json.dumps(to_jsonable(d))
    assert "provenance" in d and d["provenance"]["seed"] == 2
    assert d["phenotype"]["hb_g_dl"]["unit"] == "g/dL"
    assert d["disease"] in ("XLSA", "XLP", "carrier", "none")
    assert {"anemia", "photosensitivity", "iron_overload"} <= set(d["severity"])
    assert text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sex": "x"}, "sex"),
        ({"sex": "female", "xi": 1.5}, "xi"),
        ({"sex": "female", "xi": "half"}, "xi"),
        ({"treatment": "magic"}, "treatment"),
        ({"sex": "male", "xi": 0.5}, "xi"),
        ({"sex": "female", "n_women": 0}, "n_women"),
    ],
)
def test_bad_input_is_one_line_phenotype_error(
    fake_backend, loss_effect: Effect, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(PhenotypeError) as exc:
        predict(loss_effect, backend=fake_backend, **kwargs)  # type: ignore[arg-type]
    msg = str(exc.value)
    assert "\n" not in msg and field in msg


def test_bad_variant_object(fake_backend) -> None:
    with pytest.raises(PhenotypeError, match="variant"):
        predict(42, backend=fake_backend)  # type: ignore[arg-type]


def test_bad_hgvs_is_a_hemesim_error(fake_backend) -> None:
    with pytest.raises(HemesimError):
        predict("not a variant", backend=fake_backend)


def test_pyridoxine_helps_plp_binding_variants_most(fake_backend) -> None:
    """Pyridoxine raises PLP, so it helps variants with weakened PLP binding most (Cotter et al.,
    J Clin Invest 1995: PLP stabilises thermolabile mutants); a kcat-only variant gains only as
    much as the reference enzyme's own PLP saturation allows."""
    plp = Effect(effect_class="loss_of_function", kcat_factor=0.4, kd_plp_factor=10.0)
    kcat_only = Effect(effect_class="loss_of_function", kcat_factor=0.2)
    gain_plp = predict(plp, "male", treatment="pyridoxine", backend=fake_backend)
    gain_kcat = predict(kcat_only, "male", treatment="pyridoxine", backend=fake_backend)
    assert gain_plp.treatment_response is not None and gain_kcat.treatment_response is not None
    assert gain_plp.treatment_response["change"]["hb_g_dl"] > 0.0
    assert (
        gain_plp.treatment_response["change"]["hb_g_dl"]
        > gain_kcat.treatment_response["change"]["hb_g_dl"]
    )
    women = predict(
        plp, "female", treatment="pyridoxine", seed=1, n_women=100, backend=fake_backend
    )
    r = women.treatment_response
    assert r is not None and r["penetrance_treated"] <= r["penetrance_untreated"]


@pytest.mark.parametrize("variant", ["c.1A>G", "c.-500G>A", "p.Gln50Arg"])
def test_unquantified_effects_get_no_phenotype(fake_backend, variant: str) -> None:
    """A variant whose effect no rule or record quantifies (class uncertain, every factor 1)
    used to be simulated as the reference enzyme: "disease: none" and penetrance 0 for a start
    loss. Now predict, penetrance and the cohort samplers refuse it, saying why."""
    from hemesim.phenotype.cohort_support import female_cohort_sets
    from hemesim.phenotype.penetrance import penetrance

    with pytest.raises(PhenotypeError, match=rf"no phenotype predicted for {variant}.*uncertain"):
        predict(variant, "male", backend=fake_backend)
    with pytest.raises(PhenotypeError, match="uncertain"):
        penetrance(variant, backend=fake_backend)
    with pytest.raises(PhenotypeError, match="uncertain"):
        female_cohort_sets(variant, 10, seed=1, backend=fake_backend)


def test_an_uncertain_effect_with_a_modelled_change_is_still_predicted(fake_backend) -> None:
    """The IRE rule leaves the class uncertain but sets a factor the model carries."""
    ire = Effect(effect_class="uncertain", ire_factor=0.0)
    assert predict(ire, "male", backend=fake_backend).disease in {"none", "XLSA", "XLP"}


@pytest.mark.parametrize("seed", [-1, 2.5, "7", True])
def test_bad_seed_is_a_phenotype_error(fake_backend, loss_effect: Effect, seed: object) -> None:
    with pytest.raises(PhenotypeError, match=r"seed .*: expected a whole number >= 0"):
        predict(loss_effect, "female", seed=seed, n_women=50, backend=fake_backend)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"xi": True, "sex": "female"}, "xi"),
        ({"age_years": True}, "age"),
        ({"age_years": -1}, "age"),
        ({"pyridoxine_mg_day": True, "treatment": "pyridoxine"}, "pyridoxine dose"),
        ({"pyridoxine_mg_day": -1}, "pyridoxine dose"),
        ({"pyridoxine_mg_day": 50}, "pyridoxine_mg_day 50: only with treatment 'pyridoxine'"),
        ({"seed": "x"}, "seed"),
        ({"n_women": True}, "n_women"),
        ({"n_women": 10**9}, "n_women"),
    ],
)
def test_every_argument_is_checked_even_when_unused(
    fake_backend, loss_effect: Effect, kwargs: dict, field: str
) -> None:
    """A man's prediction used to ignore a bad age, seed or dose, and True was read as 1."""
    args = {"sex": "male", **kwargs}
    with pytest.raises(PhenotypeError, match=rf"^{field}"):
        predict(loss_effect, backend=fake_backend, **args)


@pytest.mark.parametrize("n_women", [None, True, 0, 10**9, 2.5])
def test_penetrance_checks_its_sample_size_first(fake_backend, loss_effect, n_women) -> None:
    from hemesim.phenotype.penetrance import penetrance

    with pytest.raises(PhenotypeError, match=r"^n_women .*: expected a whole number from 1 to"):
        penetrance(loss_effect, n_women=n_women, backend=fake_backend)
