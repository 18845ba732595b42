"""The public model API: load_model, simulate, endpoint, steady_state, applied (API contract)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import hemesim
from hemesim.errors import ModelError, SimulationError
from hemesim.model import READOUTS
from hemesim.simulate import SimulationResult, load_model
from hemesim.simulate.roadrunner_engine import get_engine
from hemesim.variants.effect_types import Effect


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model("erythroid")


def test_load_model_reuses_one_compiled_engine(model) -> None:  # type: ignore[no-untyped-def]
    other = hemesim.load_model("erythroid")
    assert other is not model
    assert other._engine is model._engine is get_engine("erythroid")


def test_unknown_model_name(model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError, match="expected one of erythroid"):
        load_model("hepatocyte")


def test_simulate_result_shape_units_provenance(model) -> None:  # type: ignore[no-untyped-def]
    r = model.simulate(points=50)
    assert isinstance(r, SimulationResult)
    assert r.time_h[0] == 0.0
    assert r.time_h[-1] == pytest.approx(model.maturation_h)
    df = r.to_dataframe()
    assert len(df) == 50
    assert df.columns[0] == "time_h"
    assert {"Hb", "PPIX", "ZnPP", "Fe_m", *READOUTS} <= set(df.columns)
    assert df.attrs["units"]["time_h"] == "h"
    assert df.attrs["units"]["Hb"] == "uM"
    assert df.attrs["units"]["mch_pg"] == "pg"
    d = r.to_dict()
    assert set(d) == {"species", "fluxes", "readouts", "units", "provenance"}
    assert set(READOUTS) == set(d["readouts"])
    assert d["units"]["R1_ALAS2"] == "amol/h"
    assert d["provenance"]["software"] == "hemesim"
    assert all(math.isfinite(v) for v in r.readouts.values())
    # the end point of the table equals the readouts
    assert df["mch_pg"].iloc[-1] == pytest.approx(r.readouts["mch_pg"])


def test_endpoint_matches_time_course_end(model) -> None:  # type: ignore[no-untyped-def]
    over = {"ALAS2.kcat": 120.0}
    end = model.endpoint(over)
    tc = model.simulate(overrides=over).readouts
    for key in READOUTS:
        assert end[key] == pytest.approx(tc[key], rel=1e-5), key


def test_overrides_do_not_leak_between_calls(model) -> None:  # type: ignore[no-untyped-def]
    base = model.endpoint()["mch_pg"]
    assert model.endpoint({"ALAS2.kcat": 50.0})["mch_pg"] < base
    assert model.endpoint()["mch_pg"] == pytest.approx(base, rel=1e-9)


def test_applied_is_reversible_and_per_model(model) -> None:  # type: ignore[no-untyped-def]
    other = load_model()
    base = model.endpoint()["mch_pg"]
    with model.applied({"ALAS2.kcat": 50.0}) as mm:
        assert mm is model
        low = mm.endpoint()["mch_pg"]
        assert low < base
        # another Model on the same compiled engine does not see the edit
        assert other.endpoint()["mch_pg"] == pytest.approx(base, rel=1e-9)
        table = mm.parameters.set_index("name")
        assert float(table.loc["ALAS2.kcat", "value"]) == pytest.approx(50.0)
    assert model.endpoint()["mch_pg"] == pytest.approx(base, rel=1e-9)


def test_applied_undone_after_error(model) -> None:  # type: ignore[no-untyped-def]
    base = model.endpoint()["mch_pg"]
    with pytest.raises(RuntimeError), model.applied({"ALAS2.kcat": 50.0}):
        raise RuntimeError("boom")
    assert model.endpoint()["mch_pg"] == pytest.approx(base, rel=1e-9)


def test_effect_is_accepted_as_edit(model) -> None:  # type: ignore[no-untyped-def]
    eff = Effect(effect_class="loss_of_function", kcat_factor=0.5)
    with model.applied(eff):
        via_effect = model.endpoint()["mch_pg"]
    via_dict = model.endpoint({"ALAS2.kcat": 0.5 * model.definition.defaults["ALAS2_kcat"]})
    assert via_effect == pytest.approx(via_dict["mch_pg"], rel=1e-9)
    assert model.endpoint(eff)["mch_pg"] == pytest.approx(via_effect, rel=1e-9)


def test_until_h_and_points(model) -> None:  # type: ignore[no-untyped-def]
    r = model.simulate(until_h=24.0, points=7)
    assert np.allclose(r.time_h, np.linspace(0, 24, 7))
    assert r.readouts["mch_pg"] < model.endpoint()["mch_pg"]


@pytest.mark.parametrize(
    ("until", "points"), [(0.0, 10), (-1.0, 10), (float("nan"), 10), (1e-300, 2), (10, 1)]
)
def test_bad_run_arguments(model, until: float, points: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SimulationError):
        model.simulate(until_h=until, points=points)


def test_runs_stop_at_the_end_of_maturation(model) -> None:  # type: ignore[no-untyped-def]
    """The blood indices describe the cell at the end of maturation and nothing stops
    hemoglobinisation after it (200 h gave an MCV of 295 fL): a run may end earlier, not later,
    and a longer maturation is set through maturation.duration."""
    assert model.simulate(until_h=72.0, points=2).readouts == pytest.approx(
        model.endpoint(), rel=1e-9
    )
    with pytest.raises(ModelError, match=r"until_h 200 h is past the end of maturation \(72 h"):
        model.simulate(until_h=200.0, points=2)
    with pytest.raises(ModelError, match="maturation.duration"):
        model.endpoint(until_h=72.5)
    longer = model.simulate(until_h=90.0, points=2, overrides={"maturation.duration": 96})
    assert longer.time_h[-1] == 90.0


def test_engine_errors_name_parameters_as_users_write_them() -> None:
    named = get_engine()._named({"MCH_ref": 1.0, "mito_iron_ref": 2.0, "ALAS2_kcat": 3.0})
    assert named == {"MCH.ref": 1.0, "mito_iron_ref": 2.0, "ALAS2.kcat": 3.0}


def test_bad_overrides_raise_model_error(model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError, match="did you mean ALAS2.kcat"):
        model.simulate(overrides={"ALAS2.kcatt": 1.0})
    with pytest.raises(ModelError):
        model.endpoint({"PLP": -2.0})


def test_steady_state_holds_accumulators_and_balances_fluxes(model) -> None:  # type: ignore[no-untyped-def]
    ss = model.steady_state()
    end = model.simulate()
    assert ss.kind == "steady_state"
    # accumulated hemoglobin is held at its maturation-end value
    assert ss.species["Hb"] == pytest.approx(end.species["Hb"], rel=1e-6)
    assert ss.readouts["mch_pg"] == pytest.approx(end.readouts["mch_pg"], rel=1e-6)
    # at steady state, heme made by FECH equals heme leaving the mitochondrion
    f = ss.fluxes
    assert f["R8_FECH_Fe"] == pytest.approx(f["heme_export"], rel=1e-6)
    # and ALA made equals ALA exported (no change in matrix ALA)
    assert f["R1_ALAS2"] == pytest.approx(f["ALA_export"], rel=1e-6)


def test_constraints_hold_for_the_values_in_force(model) -> None:  # type: ignore[no-untyped-def]
    """MCV.ref > MCV.min was checked per edit: MCV.min in applied() and MCV.ref in the
    overrides slipped through (MCV rose as MCH fell)."""
    with model.applied({"MCV.min": 80}):
        with pytest.raises(ModelError, match=r"MCV.ref > MCV.min"):
            model.endpoint({"MCV.ref": 70})
        with pytest.raises(ModelError, match=r"MCV.ref > MCV.min"), model.applied({"MCV.ref": 70}):
            pass
        assert model.endpoint({"MCV.ref": 95})["mcv_fl"] > 80


def test_run_arguments_take_numpy_scalars_but_not_booleans(model) -> None:  # type: ignore[no-untyped-def]
    r = model.simulate(until_h=np.int64(10), points=np.int64(5))
    assert list(r.time_h) == [0.0, 2.5, 5.0, 7.5, 10.0]
    with pytest.raises(SimulationError, match="until_h=True"):
        model.simulate(until_h=True)
    with pytest.raises(SimulationError, match="points=True"):
        model.simulate(points=True)


def test_overrides_that_are_not_a_mapping_are_named(model) -> None:  # type: ignore[no-untyped-def]
    for bad in ([1, 2], "ALAS2.kcat=1"):
        with pytest.raises(ModelError, match="overrides: expected a mapping"):
            model.simulate(overrides=bad)


def test_negative_concentrations_are_refused(model) -> None:  # type: ignore[no-untyped-def]
    """A Km of 1e-9 uM made CVODE return negative protoporphyrin (EP -180 ug/dL) with exit 0."""
    with pytest.raises(SimulationError, match=r"negative values \(PPIX = -"):
        model.simulate(overrides={"FECH.Km_PPIX": 1e-9}, points=20)
    assert (
        model.simulate(overrides={"FECH.Km_PPIX": 1e-6}, points=20).readouts["ep_total_ug_dl_rbc"]
        > 0
    )
