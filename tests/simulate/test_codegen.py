"""Code generation from SBML: semantics checked against libRoadRunner on small models.

The reference is libRoadRunner itself (same SBML, tight CVODE tolerances); the models exercise
one SBML feature each: compartment volumes (amount vs concentration), hasOnlySubstanceUnits,
assignment and rate rules, function definitions, piecewise, initial assignments, boundary species.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import HemesimError, SimulationError
from hemesim.simulate.batched import BatchedEngine
from hemesim.simulate.sbml_codegen import conservation_laws, numpy_rhs, parse_sbml

MITCHELL = Path(__file__).parent / "data" / "BIOMD0000000498_Mitchell2013_liver_iron.xml"

FEATURES = """
function mm(V, S, K)
  V * S / (K + S)
end

model features()
  compartment big = 2.5, small = 0.4;
  species A in big, B in small, C in small;
  species $X in big;
  substanceOnly species H in small;
  A = 3; B = 0.5; C = 0; X = 1.2; H = 0.7;
  k1 = 0.8; k2 = 1.3; Km = 0.6; kh = 0.25; tswitch = 2;
  boost := piecewise(2, time > tswitch, 1);
  ratio := B / (A + 1e-9);
  R1: A -> B; big * boost * k1 * A * X;
  R2: B -> C; small * mm(k2, B, Km);
  R3: C -> H; small * kh * C^1.5;
  R4: H -> ; 0.1 * H;
  acc' = ratio;
  acc = 0;
  k3 = 2 * k1;
  R5: C -> B; small * k3 * 0.01 * C;
end
"""


def _antimony(text: str) -> str:
    import antimony

    antimony.clearPreviousLoads()
    if antimony.loadAntimonyString(text) < 0:
        raise RuntimeError(antimony.getLastError())
    return str(antimony.getSBMLString(antimony.getMainModuleName()))


@pytest.fixture(scope="module")
def features_sbml() -> str:
    return _antimony(FEATURES)


def _with_values(sbml: str, params: dict[str, float], conc: dict[str, float]) -> str:
    """The same SBML with parameter values and initial concentrations edited (reference)."""
    import libsbml

    doc = libsbml.readSBMLFromString(sbml)
    m = doc.getModel()
    for k, v in params.items():
        m.getParameter(k).setValue(v)
    for k, v in conc.items():
        sp = m.getSpecies(k)
        sp.unsetInitialAmount()
        sp.setInitialConcentration(v)
    return str(libsbml.writeSBMLToString(doc))


def _rr(sbml: str):
    import roadrunner

    r = roadrunner.RoadRunner(sbml)
    r.integrator.relative_tolerance = 1e-12
    r.integrator.absolute_tolerance = 1e-16
    r.integrator.maximum_num_steps = 200000
    return r


def test_features_time_course_matches_roadrunner(features_sbml: str) -> None:
    eng = BatchedEngine(features_sbml, readouts=["A", "B", "C", "H", "X", "ratio", "boost", "acc"])
    res = eng.simulate(None, t_end=5.0, points=11)
    assert res.status[0] == 0
    r = _rr(features_sbml)
    sel = ["[A]", "[B]", "[C]", "H", "[X]", "ratio", "boost", "acc"]
    ref = np.asarray(r.simulate(0, 5, 11, selections=sel))
    np.testing.assert_allclose(res.values[0], ref, rtol=1e-6, atol=1e-12)


def test_overrides_of_parameters_and_initial_values(features_sbml: str) -> None:
    eng = BatchedEngine(features_sbml, readouts=["A", "B", "C", "H"])
    over = {"k1": np.array([0.5, 1.7]), "A": np.array([1.0, 4.0]), "k2": np.array([1.0, 3.0])}
    got = eng.endpoint(over, t_end=3.0)
    for i in range(2):
        edited = _with_values(
            features_sbml,
            {"k1": float(over["k1"][i]), "k2": float(over["k2"][i])},
            {"A": float(over["A"][i])},
        )
        r = _rr(edited)
        ref = np.asarray(r.simulate(0, 3, 2, selections=["[A]", "[B]", "[C]", "H"]))[-1]
        np.testing.assert_allclose(got[i], ref, rtol=1e-6, atol=1e-12)


def test_initial_assignment_follows_overridden_parameter(features_sbml: str) -> None:
    """k3 = 2 k1 (initial assignment) is recomputed from an overridden k1."""
    eng = BatchedEngine(features_sbml)
    mat, skip = eng.parameter_matrix({"k1": [1.0, 2.0]})
    mod = eng._compiled.module
    y0 = np.empty((2, len(eng.state_names)))
    peff = np.empty_like(mat)
    mod.initial_states(mat, skip, y0, peff)
    k3 = eng.param_names.index("k3")
    np.testing.assert_allclose(peff[:, k3], [2.0, 4.0])


def test_amount_state_concentration_symbols(features_sbml: str) -> None:
    """The state holds amounts: initial A amount = 3 (conc) x 2.5 (volume)."""
    eng = BatchedEngine(features_sbml)
    mat, skip = eng.parameter_matrix(None)
    y0 = np.empty((1, len(eng.state_names)))
    eng._compiled.module.initial_states(mat, skip, y0, mat.copy())
    assert y0[0, eng.state_names.index("A")] == pytest.approx(7.5)
    assert y0[0, eng.state_names.index("H")] == pytest.approx(0.7)  # substance-only: amount


def test_mitchell_time_course_matches_roadrunner() -> None:
    """BioModels BIOMD0000000498 (Mitchell & Mendes 2013): 19 species, function definitions,
    local parameters, a time-dependent assignment rule."""
    sbml = Path(MITCHELL).read_text(encoding="utf-8")
    eng = BatchedEngine(sbml)
    res = eng.simulate(None, t_end=200.0, points=5)
    r = _rr(sbml)
    species = [s for s in eng.readout_names if s in eng.state_names]
    ref = np.asarray(r.simulate(0, 200, 5, selections=[f"[{s}]" for s in species]))
    idx = [eng.readout_names.index(s) for s in species]
    np.testing.assert_allclose(res.values[0][:, idx], ref, rtol=1e-6, atol=1e-15)


def test_analytic_jacobian_matches_finite_differences() -> None:
    sbml = Path(MITCHELL).read_text(encoding="utf-8")
    eng = BatchedEngine(sbml)
    rng = np.random.default_rng(7)
    n = len(eng.state_names)
    y = rng.uniform(1e-9, 1e-6, size=(4, n))
    mat, _ = eng.parameter_matrix(None, n=4)
    ja = np.zeros((4, n, n))
    jf = np.zeros((4, n, n))
    eng._compiled.module.jacobians(0.0, y, mat, ja, jf, np.full(n, 1e-12))
    scale = np.abs(ja).max(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(ja / scale, jf / scale, atol=1e-5)


def test_numpy_dialect_equals_numba_dialect(features_sbml: str) -> None:
    eng = BatchedEngine(features_sbml)
    ir = parse_sbml(features_sbml)
    rhs = numpy_rhs(ir)
    rng = np.random.default_rng(1)
    y = rng.uniform(0.1, 2.0, size=(5, ir.n_state))
    p, _ = eng.parameter_matrix(None, n=5)
    dy = np.empty_like(y)
    eng._compiled.module.batch_rhs(3.0, y, p, dy)
    np.testing.assert_allclose(rhs(3.0, y.T, p.T).T, dy, rtol=1e-13)


def test_conservation_laws_exact() -> None:
    # A + B <-> C, C -> A + B: conserved A + C and B + C
    s = np.array([[-1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    laws, piv = conservation_laws(s, np.zeros(3, bool))
    assert laws.shape == (2, 3)
    np.testing.assert_allclose(laws @ s, 0.0)
    assert len(set(piv.tolist())) == 2


def test_events_are_rejected() -> None:
    sbml = _antimony("model ev()\n A -> ; k*A\n A = 1; k = 1\n at time > 1: A = 5\nend")
    with pytest.raises(SimulationError, match="events"):
        BatchedEngine(sbml)


def test_bad_inputs_raise_one_line(features_sbml: str) -> None:
    eng = BatchedEngine(features_sbml)
    for bad in (
        lambda: eng.simulate({"nope": [1.0]}),
        lambda: eng.simulate({"k1": [1.0, 2.0], "k2": [1.0, 2.0, 3.0]}),
        lambda: eng.simulate({"k1": [np.nan]}),
        lambda: eng.simulate(None, t_end=-1),
        lambda: BatchedEngine("not sbml"),
        lambda: BatchedEngine(features_sbml, readouts=["zzz"]),
    ):
        with pytest.raises(HemesimError) as info:
            bad()
        assert "\n" not in str(info.value)


def test_kernels_rebuild_each_parameter_set_from_the_compact_overrides(
    features_sbml: str,
) -> None:
    """The kernels read N sets as defaults + overridden columns (no N x P matrix); the row each
    rebuilds equals the defaults with the overrides written in by hand, and a compartment volume
    override reaches ``states_at`` (amount = concentration x the set's own volume)."""
    eng = BatchedEngine(features_sbml)
    over = {"k2": [0.5, 1.5, 2.5], "big": [1.0, 2.0, 4.0], "k1": [9.0, 9.0, 9.0]}
    sets = eng._parameter_sets(over)
    assert list(sets.cols) == sorted(eng.param_names.index(k) for k in over)
    defaults = np.array([eng.defaults[name] for name in eng.param_names])
    mod = eng._compiled.module
    row = np.empty(defaults.size)
    for k in range(3):
        expected = defaults.copy()
        for name, v in over.items():
            expected[eng.param_names.index(name)] = v[k]
        mod._parameter_row(sets.base, sets.cols, sets.values, k, row)
        np.testing.assert_array_equal(row, expected)
    mat, skip = eng.parameter_matrix(over)
    assert skip.sum() == 3
    np.testing.assert_array_equal(mat[1], np.where(skip, mat[1], defaults))
    np.testing.assert_array_equal(sets.column(eng.param_names.index("big")), [1.0, 2.0, 4.0])
    np.testing.assert_array_equal(sets.column(eng.param_names.index("Km")), [0.6] * 3)
    # A starts at concentration 3 in compartment big: amount 3 x volume, per set
    a0 = eng.states_at({"big": [1.0, 2.0, 4.0]}, 0.0)[:, eng.state_names.index("A")]
    np.testing.assert_allclose(a0, [3.0, 6.0, 12.0], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=50),
    kinds=st.lists(st.sampled_from(["array", "scalar", "one"]), min_size=1, max_size=3),
)
def test_override_table_blocks_equal_the_columns(
    features_sbml: str, n: int, kinds: list[str]
) -> None:
    """The override table is written in blocks of rows (``_TABLE_BLOCK``, made 7 here so small
    tables span several blocks, the last one partial); every column equals the override given,
    an array of N, a scalar or a length-1 array broadcast to every set."""
    import hemesim.simulate.batched as batched

    eng = BatchedEngine(features_sbml)
    rng = np.random.default_rng(n)
    over: dict[str, object] = {}
    for name, kind in zip(["k1", "k2", "Km"], kinds, strict=False):
        over[name] = (
            rng.uniform(0.1, 2.0, n) if kind == "array" else 1.7 if kind == "scalar" else [0.3]
        )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(batched, "_TABLE_BLOCK", 7)
        sets = eng._parameter_sets(over, n=n)
    assert sets.values.shape == (n, len(over))
    for name, v in over.items():
        expected = np.broadcast_to(np.asarray(v, dtype=float), (n,))
        np.testing.assert_array_equal(sets.column(eng.param_names.index(name)), expected)


def test_small_pages_switches_numpy_advice_off_for_large_arrays_only() -> None:
    """Large result arrays are allocated without numpy's huge-page advice, which is restored
    afterwards (also after an error); small ones leave it alone."""
    from hemesim.simulate.batched import SMALL_PAGES_BYTES, _small_pages

    toggle = np._core.multiarray._set_madvise_hugepage
    before = toggle(True)
    try:
        with _small_pages(SMALL_PAGES_BYTES):
            assert toggle(False) is False  # returns the setting it replaces
        assert toggle(True) is True
        with _small_pages(SMALL_PAGES_BYTES - 1):
            assert toggle(True) is True
        with pytest.raises(RuntimeError), _small_pages(SMALL_PAGES_BYTES):
            raise RuntimeError("boom")
        assert toggle(True) is True
    finally:
        toggle(before)
