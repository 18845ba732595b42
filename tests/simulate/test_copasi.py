"""The same SBML run by libRoadRunner and by COPASI (basico) gives the same readouts."""

from __future__ import annotations

import pytest

from hemesim.model import READOUTS, load_definition
from hemesim.simulate.roadrunner_engine import RoadRunnerEngine

basico = pytest.importorskip("basico", reason="copasi-basico is not installed")

CASES = [
    {},
    {"ALAS2_kcat": 60.0},  # XLSA-like loss
    {"ALAS2_kcat": 585.0},  # XLP-like gain
    {"iron_supply": 25.0},  # iron restriction
]


@pytest.fixture(scope="module")
def engines():  # type: ignore[no-untyped-def]
    d = load_definition("erythroid")
    rr = RoadRunnerEngine(d, relative_tolerance=1e-11, absolute_tolerance=1e-16)
    dm = basico.load_model_from_string(d.sbml)
    return d, rr, dm


@pytest.mark.parametrize("overrides", CASES, ids=lambda o: ",".join(o) or "default")
def test_roadrunner_and_copasi_agree(engines, overrides: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    d, rr, dm = engines
    until = d.defaults["maturation_duration"]
    # the COPASI model is shared between cases: set every parameter any case touches
    for pid in set().union(*CASES):
        value = overrides.get(pid, d.defaults[pid])
        basico.set_parameters(pid, initial_value=value, exact=True, model=dm)
    df = basico.run_time_course(
        duration=until, intervals=4, r_tol=1e-11, a_tol=1e-16, max_steps=10**6,
        use_sbml_id=True, model=dm,
    )  # fmt: skip
    copasi_end = df.iloc[-1]
    rr_end = rr.endpoint(overrides, until)
    for key in READOUTS:
        assert rr_end[key] == pytest.approx(float(copasi_end[key]), rel=1e-6), key
