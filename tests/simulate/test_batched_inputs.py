"""BatchedEngine input checks: every public argument is validated at the Python boundary.

Bad input gets a one-line HemesimError naming the argument (or the parameter, the set and the
value) and the expected form, never a numpy/numba traceback or a result reported as ok. On an
engine built from a model definition the overrides follow the definition's rules and readouts
stop at the end of maturation; on plain SBML only finiteness is required.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from hemesim.errors import HemesimError, ModelError, SimulationError
from hemesim.model import load_definition
from hemesim.simulate.batched import MAX_SETS, MODEL_RTOL, BatchedEngine

SMALL = """
model small()
  compartment cell = 1;
  species S in cell;
  S = 0;
  ksyn = 1; kdeg = 0.1;
  R0: -> S; cell * ksyn;
  R1: S -> ; cell * kdeg * S;
  blow := exp(1000 * S);
end
"""


@pytest.fixture(scope="module")
def erythroid() -> BatchedEngine:
    return BatchedEngine(load_definition("erythroid"), rtol=MODEL_RTOL)


@pytest.fixture(scope="module")
def small() -> BatchedEngine:
    import antimony

    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(SMALL) >= 0
    return BatchedEngine(str(antimony.getSBMLString("small")), readouts=["S", "blow"])


def _one_line(call: Callable[[], Any], kind: type[HemesimError], pattern: str) -> str:
    with pytest.raises(kind) as info:
        call()
    msg = str(info.value)
    assert "\n" not in msg
    assert re.search(pattern, msg), msg
    return msg


# -- A2: the definition's rules on the override columns ------------------------------------------


@pytest.mark.parametrize(
    ("params", "pattern"),
    [
        ({"ALAS2.kcat": -97.5}, r"'ALAS2.kcat': value -97.5 in set 0 .*finite number >= 0"),
        ({"iron.supply": [1.0, -5.0]}, r"'iron.supply': value -5 in set 1 .*>= 0"),
        ({"cyto": -1.0}, r"'cyto' is a compartment volume"),
        ({"Hb.molar_mass": 0.0}, r"'Hb.molar_mass': value 0 in set 0 .*> 0 \(unit g/mol\)"),
        ({"MCV.ref": 40.0}, r"'MCV.ref' = 40 and 'MCV.min' = 45 fL in set 0 .*MCV.ref > MCV.min"),
        ({"IRE.repression": [0.5, 0.5, 2.0]}, r"value 2 in set 2 .*expected 0 to 1"),
        ({"maturation.duration": 200.0}, r"value 200 in set 0 .*expected 48 to 96 h"),
        ({"Hb": -1.0}, r"'Hb': value -1 in set 0 .*>= 0 \(an initial concentration"),
    ],
)
def test_overrides_follow_the_definition_rules(
    erythroid: BatchedEngine, params: dict[str, Any], pattern: str
) -> None:
    """These ran with status 0 (MCH -35 pg for ALAS2.kcat -97.5, MCH 0 for Hb.molar_mass 0)."""
    for call in (
        lambda: erythroid.simulate(params, t_end=72.0, points=2),
        lambda: erythroid.endpoint(params, t_end=72.0),
        lambda: erythroid.parameter_matrix(params),
        lambda: erythroid.validate_parameters(params),
    ):
        _one_line(call, ModelError, pattern)


def test_generic_sbml_keeps_only_the_finiteness_check(small: BatchedEngine) -> None:
    res = small.simulate({"kdeg": [0.1, -0.1]}, t_end=0.1, points=2)  # no table, no rules
    assert res.n_sets == 2
    _one_line(
        lambda: small.simulate({"kdeg": [0.1, np.inf]}, t_end=0.1),
        SimulationError,
        r"'kdeg': value inf in set 1 is not allowed; expected a finite number",
    )


# -- A1, A3: readouts stop at the end of maturation ----------------------------------------------


def test_readouts_stop_at_the_end_of_maturation(erythroid: BatchedEngine) -> None:
    past = r"is past the end of maturation \(72 h, maturation.duration\).*48 to 96 h"
    _one_line(lambda: erythroid.simulate(None, t_end=500.0), SimulationError, "t_end 500 h " + past)
    _one_line(lambda: erythroid.simulate(None, t_end=1e300), SimulationError, past)
    _one_line(lambda: erythroid.endpoint(None, t_end=72.0000001), SimulationError, "72.0000001")
    _one_line(lambda: erythroid.simulate(None, times=[10.0, 100.0]), SimulationError, past)
    _one_line(lambda: erythroid.states_at(None, 100.0), SimulationError, past)
    # the maturation length in force is each set's own
    _one_line(
        lambda: erythroid.endpoint({"maturation.duration": 48.0}, t_end=72.0),
        SimulationError,
        r"t_end 72 h is past the end of maturation \(48 h",
    )
    _one_line(
        lambda: erythroid.endpoint({"maturation.duration": [96.0, 50.0]}, t_end=60.0),
        SimulationError,
        r"past the end of maturation of set 1 \(50 h",
    )


def test_a_longer_maturation_allows_a_later_readout(erythroid: BatchedEngine) -> None:
    longer = erythroid.endpoint({"maturation.duration": 96.0}, t_end=80.0)
    at_72 = erythroid.endpoint(None, t_end=72.0)
    assert np.all(np.isfinite(longer))
    # hemoglobin keeps accumulating: a later readout has a larger MCH
    mch = erythroid.readout_names.index("mch_pg")
    assert longer[0, mch] > at_72[0, mch]


def test_the_quasi_steady_state_form_is_not_a_maturation(erythroid: BatchedEngine) -> None:
    """Its time courses relax toward the quasi-steady state, so they may run past 72 h."""
    qss = BatchedEngine(erythroid.definition, rtol=MODEL_RTOL, quasi_steady_state=True)
    assert np.all(np.isfinite(qss.endpoint(None, t_end=1e4)))
    _one_line(
        lambda: qss.endpoint({"ALAS2.kcat": -1.0}, t_end=10.0), ModelError, r"'ALAS2.kcat'.*>= 0"
    )


# -- A4, B1, B2: arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda e: e.endpoint(None, t_end=float("nan")), r"t_end=nan: expected a finite number"),
        (lambda e: e.simulate(None, times=[float("nan")]), r"times\[0\]=nan: expected finite"),
        (lambda e: e.simulate(None, times=[0.0, float("nan")]), r"times\[1\]=nan"),
        (lambda e: e.simulate(None, times=[0.0]), r"last output time > 0"),
        (lambda e: e.simulate(None, times=[2.0, 1.0]), r"times\[1\]=1.0: expected strictly"),
        (lambda e: e.simulate(None, t_end=float("inf")), r"t_end=inf: expected a finite"),
        (lambda e: e.simulate(None, t_end=0), r"t_end=0: expected a finite number > 0"),
        (lambda e: e.simulate(n=10**12), r"n=1000000000000: expected a whole number from 1 to"),
        (lambda e: e.simulate(points=10**10), r"points=10000000000: .* from 2 to 100,000"),
        (lambda e: e.simulate(times=np.arange(1.0, 100_002.0)), r"times: 100,001 values"),
        (
            lambda e: e.simulate(n=10**7, points=1000),
            r"the result .* would hold .* \(8 GiB\) per call",
        ),
        (lambda e: e.simulate(n=-1), r"n=-1: expected a whole number"),
        (lambda e: e.parameter_matrix(n=-2), r"n=-2: expected a whole number"),
        (lambda e: e.simulate(n=1.5), r"n=1.5: expected a whole number"),
        (lambda e: e.parameter_matrix(n=2.0), r"n=2.0: expected a whole number"),
        (lambda e: e.simulate(n="3"), r"n='3': expected a whole number"),
        (lambda e: e.simulate(n=True), r"n=True: expected a whole number"),
        (lambda e: e.simulate({"ALAS2.kcat": "abc"}), r"'ALAS2.kcat': 'abc' is text"),
        (lambda e: e.simulate({"ALAS2.kcat": 1 + 2j}), r"'ALAS2.kcat': \(1\+2j\) is a complex"),
        (lambda e: e.simulate({"ALAS2.kcat": np.ones((3, 2))}), r"shape \(3, 2\)"),
        (lambda e: e.simulate({"ALAS2.kcat": True}), r"True is a boolean"),
        (lambda e: e.simulate(t_end="72"), r"t_end='72': expected a finite number"),
        (lambda e: e.simulate(t_end=None), r"t_end=None"),
        (lambda e: e.simulate(points="5"), r"points='5': expected a whole number"),
        (lambda e: e.simulate(points=None), r"points=None"),
        (lambda e: e.simulate(points=2.7), r"points=2.7"),
        (lambda e: e.simulate(times=["a"]), r"times=\['a'\]: expected a 1-D sequence"),
        (lambda e: e.simulate(times="abc"), r"times='abc': expected a sequence"),
        (lambda e: e.endpoint(t_end="x"), r"t_end='x'"),
        (lambda e: e.simulate(max_steps="x"), r"max_steps='x': expected a whole number"),
        (lambda e: e.simulate(max_steps=10**20), r"max_steps=100000000000000000000"),
        (lambda e: e.simulate(max_steps=0), r"max_steps=0"),
        (lambda e: e.states_at(None, float("nan")), r"t=nan: expected a finite number >= 0"),
    ],
)
def test_bad_arguments_are_named(erythroid: BatchedEngine, call: Any, pattern: str) -> None:
    _one_line(lambda: call(erythroid), HemesimError, pattern)


def test_more_override_values_than_sets_per_call(erythroid: BatchedEngine) -> None:
    huge = np.broadcast_to(97.5, (MAX_SETS + 1,))  # a view: no memory is taken
    _one_line(
        lambda: erythroid.validate_parameters({"ALAS2.kcat": huge}),
        SimulationError,
        r"length 10,000,001; at most 10,000,000 sets",
    )


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"rtol": "x"}, r"rtol='x': expected a number strictly between 0 and 1"),
        ({"atol": float("nan")}, r"atol=nan"),
        ({"method": ["radau"]}, r"method=\['radau'\]: expected one of"),
        ({"readouts": []}, r"readouts=\[\]: expected at least one"),
        ({"readouts": [1]}, r"readouts: 1 is not a name"),
        ({"quasi_steady_state": "yes"}, r"quasi_steady_state='yes'"),
    ],
)
def test_bad_engine_options(small: BatchedEngine, kwargs: dict[str, Any], pattern: str) -> None:
    _one_line(lambda: BatchedEngine(small.sbml, **kwargs), SimulationError, pattern)


def test_quasi_steady_state_needs_a_definition(small: BatchedEngine) -> None:
    _one_line(
        lambda: BatchedEngine(small.sbml, quasi_steady_state=True),
        SimulationError,
        r"quasi_steady_state=True needs a model definition",
    )


def test_a_single_readout_name_is_one_readout(small: BatchedEngine) -> None:
    """A str was split into characters ('readout 'S'... then 'b' is not an output')."""
    eng = BatchedEngine(small.sbml, readouts="blow")
    assert eng.readout_names == ["blow"]


def test_infinite_readouts_are_not_ok(small: BatchedEngine) -> None:
    """blow = exp(1000 S) overflows once S > 0.71; the set is then a failure (status 4, NaN),
    not an ok result holding inf."""
    res = small.simulate(None, times=[0.1, 1.0])  # S(1) = 10 (1 - exp(-0.1)) = 0.95
    assert res.status.tolist() == [4]
    assert np.isnan(res.values).all()
    early = small.simulate(None, times=[0.1])  # S = 0.1: exp(100) is finite
    assert early.status.tolist() == [0] and np.isfinite(early.values).all()


def test_numpy_scalars_and_integer_times_are_accepted(erythroid: BatchedEngine) -> None:
    a = erythroid.endpoint({"ALAS2.kcat": np.float32(150.0)}, t_end=np.int64(24), n=np.int64(2))
    b = erythroid.endpoint({"ALAS2.kcat": [150.0, 150.0]}, t_end=24.0)
    np.testing.assert_array_equal(a, b)
    c = erythroid.simulate({"ALAS2.kcat": 150.0}, times=[12, 24])
    d = erythroid.simulate({"ALAS2.kcat": [150.0]}, times=np.array([12.0, 24.0]))
    np.testing.assert_array_equal(c.values, d.values)


# -- C1: steady states ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"n": -1}, r"n=-1: expected a whole number"),
        ({"t": "x"}, r"t='x': expected a finite number >= 0"),
        ({"t": float("nan")}, r"t=nan"),
        ({"warm_times": "abc"}, r"warm_times='abc'"),
        ({"warm_times": [[1.0, 2.0]]}, r"warm_times=\[\[1.0, 2.0\]\]: expected a 1-D sequence"),
        ({"warm_times": [float("nan"), -1.0]}, r"warm_times\[0\]=nan"),
        ({"warm_times": [0.0, 1.0]}, r"warm_times\[0\]=0.0: expected times > 0"),
        ({"params": [1]}, r"params must be a mapping"),
        ({"params": {"ALAS2.kcat": -1.0}}, r"'ALAS2.kcat': value -1 in set 0"),
        ({"warm_start": "no"}, r"warm_start='no'"),
    ],
)
def test_steady_state_checks_arguments_first(
    erythroid: BatchedEngine, kwargs: dict[str, Any], pattern: str
) -> None:
    """These all said 'the default parameters have no steady state' (or gave a numba
    TypingError for a 2-D warm_times)."""
    params = kwargs.pop("params", None)
    _one_line(lambda: erythroid.steady_state(params, **kwargs), HemesimError, pattern)


def test_no_steady_state_says_what_to_do(erythroid: BatchedEngine) -> None:
    for _ in range(2):  # the failure is remembered; the message is the same
        _one_line(
            lambda: erythroid.steady_state(None),
            SimulationError,
            r"model 'erythroid' has no steady state: Hb, .* quasi_steady_state=True",
        )


def test_quasi_steady_state_engine_equals_the_sbml_it_holds_fixed(
    erythroid: BatchedEngine,
) -> None:
    from hemesim.simulate.roadrunner_engine import _steady_state_sbml

    d = erythroid.definition
    assert d is not None
    qss = BatchedEngine(d, rtol=MODEL_RTOL, quasi_steady_state=True)
    by_text = BatchedEngine(_steady_state_sbml(d.sbml), readouts=d.readout_names, rtol=MODEL_RTOL)
    over = {"ALAS2.kcat": [150.0, 200.0], "Hb": [5.0, 5.0]}
    a = qss.steady_state(over)
    b = by_text.steady_state({"ALAS2_kcat": over["ALAS2.kcat"], "Hb": over["Hb"]})
    assert a.converged.all()
    np.testing.assert_array_equal(a.values, b.values)
