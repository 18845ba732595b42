"""The batched engine against libRoadRunner on the erythroid model (random parameter sets).

Reference: libRoadRunner on the same SBML with tight CVODE tolerances (rtol 1e-12). Every
readout must agree to 1e-6 relative, for time courses, end points and steady states.
"""

from __future__ import annotations

import numpy as np
import pytest

from hemesim.model import load_definition
from hemesim.simulate.batched import MODEL_RTOL, BatchedEngine

PARAMS = ["ALAS2.kcat", "ALAS2.Kd_PLP", "FECH.E", "iron.supply", "globin.ksyn", "HO.k", "PLP"]


def _rr(sbml: str):
    import roadrunner

    r = roadrunner.RoadRunner(sbml)
    r.integrator.relative_tolerance = 1e-12
    r.integrator.absolute_tolerance = 1e-16
    r.integrator.maximum_num_steps = 500000
    return r


def _free(d, names):
    """Ids without an initial assignment: libRoadRunner recomputes those on reset(), whereas an
    override in the batched engine replaces the assignment, so only free ones compare."""
    import libsbml

    m = libsbml.readSBMLFromString(d.sbml).getModel()
    ia = {x.getSymbol() for x in m.getListOfInitialAssignments()}
    ids = [d.id_of(p) for p in names]
    return [i for i in ids if i not in ia and m.getRule(i) is None]


@pytest.fixture(scope="module", params=[("radau", MODEL_RTOL), ("rodas", 1e-7)], ids=str)
def setup(request):
    """Both integrators at the tolerance the erythroid model runs at."""
    method, rtol = request.param
    d = load_definition("erythroid")
    eng = BatchedEngine(d, method=method, rtol=rtol)
    rng = np.random.default_rng(20261125)
    n = 4
    defaults = d.defaults
    over = {p: defaults[p] * np.exp(rng.normal(0.0, 0.3, n)) for p in _free(d, PARAMS)}
    return d, eng, over, n


def _reference(d, over, i, t_end, points):
    r = _rr(d.sbml)
    for k, v in over.items():
        r[k] = float(v[i])
    r.reset()
    return np.asarray(r.simulate(0, t_end, points, selections=list(d.readout_names)))


def test_time_courses_match_roadrunner(setup) -> None:
    d, eng, over, n = setup
    res = eng.simulate(over, t_end=72.0, points=13)
    assert (res.status == 0).all()
    for i in range(n):
        ref = _reference(d, over, i, 72.0, 13)
        np.testing.assert_allclose(res.values[i][1:], ref[1:], rtol=1e-6, atol=0)


def test_endpoints_match_roadrunner_and_time_course(setup) -> None:
    d, eng, over, n = setup
    end = eng.endpoint(over, t_end=72.0)
    tc = eng.simulate(over, t_end=72.0, points=5).endpoint()
    np.testing.assert_allclose(end, tc, rtol=1e-7)
    ref = _reference(d, over, 0, 72.0, 2)[-1]
    np.testing.assert_allclose(end[0], ref, rtol=1e-6)


def test_names_accept_table_and_ids(setup) -> None:
    d, eng, _, _ = setup
    a = eng.endpoint({"ALAS2.kcat": [100.0]}, t_end=10.0)
    b = eng.endpoint({"ALAS2_kcat": [100.0]}, t_end=10.0)
    np.testing.assert_array_equal(a, b)


def test_steady_states_match_roadrunner() -> None:
    """Quasi-steady-state model of the session (accumulators fixed) vs rr.steadyState().

    Only two steadyState() calls (80-250 ms each)."""
    from hemesim.simulate.roadrunner_engine import _steady_state_sbml

    d = load_definition("erythroid")
    sbml = _steady_state_sbml(d.sbml)
    eng = BatchedEngine(sbml, readouts=list(d.readout_names) + ["ALAS2", "heme_c", "Fe_c"])
    over = {p: d.defaults[p] * np.array([1.0, 0.6]) for p in _free(d, ["ALAS2.kcat", "FECH.E"])}
    fixed = {"Hb": 5.0, "ZnPP": 0.5, "Fe_dep": 10.0, "Fe_fer": 3.0}
    for k, v in fixed.items():
        over[k] = np.full(2, v)
    ss = eng.steady_state(over)
    assert ss.converged.all()
    for i in range(2):
        r = _rr(sbml)
        # fixed species first: setting an init() value makes libRoadRunner re-evaluate the
        # initial values, which restores global parameters set before it
        for k in fixed:
            r.setValue(f"init([{k}])", float(over[k][i]))
            r.setValue(f"[{k}]", float(over[k][i]))
        for k, v in over.items():
            if k not in fixed:
                r[k] = float(v[i])
        r.reset()
        # presimulation: from the initial state, rr's NLEQ2 finds a negative (unphysical) root.
        # (No moiety analysis: this model has no conservation law, and switching it on
        # regenerates the model, losing the parameter values set above.)
        r.simulate(0, 500, 2)
        r.steadyState()
        ref = np.array(
            [r.getValue(k if k in d.readout_names else f"[{k}]") for k in eng.readout_names]
        )
        np.testing.assert_allclose(ss.values[i], ref, rtol=1e-6)


def test_result_objects(setup) -> None:
    _, eng, over, n = setup
    res = eng.simulate(over, t_end=24.0, points=3)
    df = res.to_dataframe()
    assert len(df) == n * 3 and "hb_g_dl" in df.columns
    assert res.to_dict()["status"] == {"ok": n}


def _qss_engine():
    from hemesim.simulate.roadrunner_engine import _steady_state_sbml

    d = load_definition("erythroid")
    return d, BatchedEngine(_steady_state_sbml(d.sbml), readouts=list(d.readout_names))


def test_steady_states_of_a_wide_cohort_equal_long_time_courses() -> None:
    """Log-space Newton from the sensitivity prediction (sd 0.5 in log parameters, a wider
    spread than the cohort priors' measured kind) against the same sets integrated for 10^4 h,
    far past every time scale of the quasi-steady-state model."""
    d, eng = _qss_engine()
    rng = np.random.default_rng(7)
    n = 60
    over = {p: d.defaults[p] * np.exp(rng.normal(0.0, 0.5, n)) for p in _free(d, PARAMS)}
    ss = eng.steady_state(over)
    assert ss.converged.mean() >= 0.98
    far = eng.endpoint(over, t_end=1e4)
    ok = ss.converged
    np.testing.assert_allclose(ss.values[ok], far[ok], rtol=1e-6)


def test_sensitivity_predicts_small_parameter_changes() -> None:
    """d y_ss / d p from the engine (-J^-1 df/dp) against a difference of two steady states."""
    d, eng = _qss_engine()
    y_nom = eng.nominal_steady_state()
    pid = d.id_of("ALAS2.kcat")
    rel = 1e-4
    over = {pid: np.array([d.defaults[pid] * (1 + rel)])}
    mat, skip = eng.parameter_matrix(over)
    vcols = np.flatnonzero(skip).astype(np.int64)
    sens = eng._sensitivity(y_nom, skip, vcols, 0.0)
    assert sens is not None
    moved = eng.steady_state(over).state[0]
    predicted = y_nom + sens[:, vcols[0]] * d.defaults[pid] * rel
    scale = np.abs(moved - y_nom).max()
    assert scale > 0
    np.testing.assert_allclose(predicted, moved, atol=0.02 * scale)


def test_tangent_start_corrects_a_neighbours_solution() -> None:
    """The steady-state chain's tangent start: one Newton step with the neighbour's factors of
    -J takes the neighbour's solution most of the way to the set's own (the error left is
    second order in the parameter change), here across a 30 % change of globin synthesis and
    FECH, which moves the titrating heme_c/globin pair by large factors (measured: largest log
    error 1.96 from the neighbour's solution, 0.27 after the step)."""
    d, eng = _qss_engine()
    mod = eng._compiled.module
    fixed = {"Hb": 5.0, "ZnPP": 0.5, "Fe_dep": 10.0, "Fe_fer": 3.0}
    names = _free(d, ["globin.ksyn", "FECH.E"])
    over = {p: d.defaults[p] * np.array([1.0, 1.3]) for p in names}
    over |= {k: np.full(2, v) for k, v in fixed.items()}
    mat, skip = eng.parameter_matrix(over)
    y0 = np.empty((2, len(eng.state_names)))
    peff = np.empty_like(mat)
    mod.initial_states(mat, skip, y0, peff)  # parameters after initial assignments
    y_a, y_b = (
        eng.steady_state({k: v[i : i + 1] for k, v in over.items()}).state[0] for i in (0, 1)
    )
    n, nc = y_a.size, mod.CORE.size
    jac = np.zeros((n, n))
    mod._jac(0.0, y_a, peff[0], jac)
    factors, pivots = np.zeros((nc, nc)), np.empty(nc, dtype=np.int64)
    assert mod._factor(jac, factors, pivots, 0.0, mod.PIVOT_TOL_NEWTON)
    y = y_a.copy()
    mod._tangent_start(0.0, y, peff[1], factors, pivots, jac, np.empty(n), np.empty(nc))
    before = np.abs(np.log(y_a / y_b)).max()
    after = np.abs(np.log(y / y_b)).max()
    assert before > 0.1  # the neighbour's solution is a poor start on its own
    assert after < 0.2 * before
