"""run_cohort: deterministic block seeding, tables, quantiles, priors, errors."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from hemesim.errors import HemesimError, ModelError, SimulationError
from hemesim.simulate.cohort import BLOCK_SIZE, run_cohort
from hemesim.simulate.priors import SD_BY_KIND, priors_from_table

SMALL = """
model small()
  compartment cell = 1;
  species S in cell, P in cell;
  S = 0; P = 0;
  ksyn = 2; kconv = 0.5; kdeg = 0.1;
  R0: -> S; cell * ksyn;
  R1: S -> P; cell * kconv * S;
  R2: P -> ; cell * kdeg * P;
  yield_ratio := P / (S + P + 1e-12);
end
"""


@pytest.fixture(scope="module")
def sbml() -> str:
    import antimony

    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(SMALL) >= 0
    return str(antimony.getSBMLString("small"))


def sampler(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
    carrier = rng.random(m) < 0.5
    return {"kconv": np.where(carrier, 0.25, 0.5) * rng.lognormal(0, 0.1, m), "carrier": carrier}


def _run(sbml: str, n: int = 3 * BLOCK_SIZE + 17, **kw):
    base = dict(seed=11, sbml=sbml, readouts=["S", "P", "yield_ratio"], t_end=5.0)
    base.update(kw)
    return run_cohort(sampler, n, covariates=["carrier"], **base)


def test_identical_whatever_the_chunk_size(sbml: str) -> None:
    a = _run(sbml, chunk_size=BLOCK_SIZE)
    b = _run(sbml, chunk_size=10**6)
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.covariates["carrier"], b.covariates["carrier"])
    assert a.ok.all()


def test_seed_changes_draws(sbml: str) -> None:
    a = _run(sbml)
    b = _run(sbml, seed=12)
    assert not np.array_equal(a.values, b.values)


def test_values_match_single_engine_run(sbml: str) -> None:
    """The cohort evaluates each set exactly as a direct engine call on the same parameters."""
    from hemesim.simulate.batched import BatchedEngine

    res = _run(sbml)
    eng = BatchedEngine(sbml, readouts=["S", "P", "yield_ratio"])
    direct = eng.endpoint({"kconv": res.parameters["kconv"]}, t_end=5.0)
    np.testing.assert_array_equal(res.values, direct)


def test_table_quantiles_and_files(sbml: str, tmp_path) -> None:
    res = _run(sbml)
    df = res.to_dataframe()
    assert len(df) == res.n and {"carrier", "param:kconv", "P", "status"} <= set(df.columns)
    q = res.quantiles()
    assert q.loc["P", "q0.5"] == pytest.approx(np.median(res.values[:, 1]))
    pq = res.to_parquet(tmp_path / "c.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(pq), df, check_dtype=False)
    res.to_csv(tmp_path / "c.csv")
    assert len(pd.read_csv(tmp_path / "c.csv")) == res.n
    d = res.to_dict()
    json.dumps(d)
    assert d["provenance"]["seed"] == 11 and d["n_ok"] == res.n


def test_explicit_table(sbml: str) -> None:
    table = pd.DataFrame({"kdeg": np.linspace(0.05, 0.2, 10)})
    res = run_cohort(table, 10, seed=0, sbml=sbml, readouts=["P"], t_end=5.0)
    assert res.values[0, 0] > res.values[-1, 0]  # faster degradation, less product


def test_bad_inputs_one_line(sbml: str, tmp_path) -> None:
    cases = [
        lambda: run_cohort(None, 0, seed=1, sbml=sbml),
        lambda: run_cohort(None, 5, seed=-1, sbml=sbml),
        lambda: run_cohort({"nope": np.ones(5)}, 5, seed=1, sbml=sbml),
        lambda: run_cohort(lambda rng, m: {"carrier": np.ones(m)}, 5, seed=1, sbml=sbml),
        lambda: run_cohort(None, 5, seed=1, sbml=sbml, mode="x"),
        lambda: run_cohort(None, 5, seed=1, sbml=sbml, uncertainty=True),
        lambda: run_cohort(None, 5, seed=1, sbml=sbml, t_end=1.0).to_csv(tmp_path / "no" / "x.csv"),
    ]
    for case in cases:
        with pytest.raises(HemesimError) as info:
            case()
        assert "\n" not in str(info.value)


def test_priors_follow_kind_and_exclusions() -> None:
    table = pd.DataFrame(
        {
            "name": ["a.k", "b.k", "c.k", "cyto", "Hb.molar_mass", "z.k", "guard"],
            "value": [1.0, 2.0, 3.0, 0.25, 64500, 0.0, 1e-12],
            "unit": ["1/h", "uM", "1", "pL", "g/mol", "uM", "1"],
            "source": ["s"] * 7,
            "kind": ["measured", "fitted", "assumed", "assumed", "measured", "assumed", "assumed"],
            "note": [""] * 7,
        }
    )
    pr = priors_from_table(table)
    assert pr.names == ("a_k", "b_k", "c_k")
    np.testing.assert_array_equal(
        pr.sds, [SD_BY_KIND[k] for k in ("measured", "fitted", "assumed")]
    )
    draws = pr.sample(np.random.default_rng(0), 20000)
    # median of a log-normal is its location; sd of the log is the prior sd (n = 20000)
    assert np.median(draws["c_k"]) == pytest.approx(3.0, rel=0.03)
    assert np.std(np.log(draws["b_k"])) == pytest.approx(0.25, rel=0.03)
    lo, hi = pr.interval("c_k")
    assert lo == pytest.approx(3.0 * np.exp(-1.959964 * 0.5), rel=1e-5)
    assert hi > 3.0


def test_steady_states_identical_whatever_the_chunk_size(sbml: str) -> None:
    """Steady states chain from neighbours within groups of STEADY_GROUP sets; in steady-state
    mode chunks are whole groups, so the chunking must not change a single bit (n spans three
    groups; chunk_size BLOCK_SIZE is rounded up to one group per chunk)."""
    from hemesim.simulate.batched import STEADY_GROUP

    assert STEADY_GROUP % BLOCK_SIZE == 0
    n = 2 * STEADY_GROUP + 17
    a = _run(sbml, n=n, chunk_size=BLOCK_SIZE, mode="steady_state")
    b = _run(sbml, n=n, chunk_size=10**6, mode="steady_state")
    assert a.ok.all()
    sizes = STEADY_GROUP, STEADY_GROUP, 17
    assert a.provenance["parameters"]["chunk_sizes"] == list(sizes)
    assert b.provenance["parameters"]["chunk_sizes"] == [n]
    np.testing.assert_array_equal(a.values, b.values)
    # analytic steady state of the small model: S = ksyn / kconv
    np.testing.assert_allclose(a.values[:, 0], 2.0 / a.parameters["kconv"], rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# the named erythroid model: its rules, its maturation length, its quasi-steady state
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def erythroid():
    from hemesim.model import load_definition
    from hemesim.simulate.batched import MODEL_RTOL, BatchedEngine

    return BatchedEngine(load_definition("erythroid"), rtol=MODEL_RTOL)


def test_a_maturation_override_sets_the_end_time(erythroid) -> None:
    """run_cohort read every set at 72 h whatever maturation.duration said (MCH 30 pg for a
    48 h maturation whose end gives 18.1 pg, as Model.endpoint does)."""
    listed = run_cohort({"maturation.duration": [48.0] * 4}, 4, seed=0)
    scalar = run_cohort({"maturation.duration": 48.0}, 4, seed=0)
    drawn = run_cohort(lambda rng, m: {"maturation.duration": np.full(m, 48.0)}, 4, seed=0)
    direct = erythroid.endpoint({"maturation.duration": 48.0}, t_end=48.0)
    for res in (listed, scalar, drawn):
        assert res.t_end == 48.0 and res.ok.all()
        np.testing.assert_array_equal(res.values, np.repeat(direct, 4, axis=0))
    mch = listed.names.index("mch_pg")
    assert listed.values[0, mch] == pytest.approx(18.10, abs=0.01)
    assert run_cohort(None, 4, seed=0).values[0, mch] == pytest.approx(30.0, abs=0.01)


def test_a_maturation_length_that_varies_needs_t_end(erythroid) -> None:
    varying = {"maturation.duration": [48.0, 72.0, 72.0, 96.0]}
    with pytest.raises(SimulationError, match=r"varies between sets .*pass t_end"):
        run_cohort(varying, 4, seed=0)
    res = run_cohort(varying, 4, seed=0, t_end=48.0)
    direct = erythroid.endpoint(varying, t_end=48.0)
    np.testing.assert_array_equal(res.values, direct)
    with pytest.raises(SimulationError, match=r"t_end 60 h is past the end of maturation of set 0"):
        run_cohort(varying, 4, seed=0, t_end=60.0)

    def sometimes(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
        return {"maturation.duration": np.where(np.arange(m) == 40, 96.0, 72.0)}

    with pytest.raises(SimulationError, match=r"96 h in set 40"):
        run_cohort(sometimes, 50, seed=0)  # the probe draw of 2 sets sees 72 h only


def test_readouts_past_the_end_of_maturation_are_refused() -> None:
    with pytest.raises(SimulationError, match=r"t_end 500 h is past the end of maturation \(72 h"):
        run_cohort(None, 4, seed=0, t_end=500.0)
    with pytest.raises(SimulationError, match=r"\(96 h"):
        run_cohort({"maturation.duration": 96.0}, 4, seed=0, t_end=100.0)


def test_values_the_model_does_not_allow_are_refused() -> None:
    """{"ALAS2.kcat": -97.5} gave 4/4 'ok' sets with MCH -35 pg."""
    with pytest.raises(ModelError, match=r"'ALAS2.kcat': value -97.5 in set 0 .*>= 0"):
        run_cohort({"ALAS2.kcat": [-97.5] * 4}, 4, seed=0)
    table = {"MCV.ref": np.where(np.arange(800) == 700, 40.0, 90.0)}
    with pytest.raises(ModelError, match=r"in set 700 .*MCV.ref > MCV.min"):
        run_cohort(table, 800, seed=0, chunk_size=BLOCK_SIZE)

    draws: list[int] = []

    def bad_in_block_one(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
        draws.append(m)  # the probe draw (2 sets), block 0, block 1, ...
        bad = len(draws) == 3
        return {"iron.supply": np.where(bad & (np.arange(m) == 88), -5.0, 1.0)}

    # sets are drawn per block of 512: row 88 of the second block is set 600 of the cohort
    with pytest.raises(ModelError, match=r"'iron.supply': value -5 in set 600 "):
        run_cohort(bad_in_block_one, 1024, seed=0, chunk_size=1024)
    assert draws == [2, BLOCK_SIZE, BLOCK_SIZE]


def test_uncertainty_draws_keep_mcv_above_its_minimum() -> None:
    """The priors varied MCV.min (sd 0.5) under a fixed MCV.ref: 8 % of men had MCV.min >=
    MCV.ref and MCVs of 17-202 fL. Both are now held fixed; every set passes the checks."""
    res = run_cohort(None, 300, seed=3, uncertainty=True)
    assert res.ok.all()
    assert "MCV_min" not in res.parameters and "MCV_ref" not in res.parameters
    mcv = res.values[:, res.names.index("mcv_fl")]
    assert np.all(mcv > 45.0)


def test_steady_state_mode_uses_the_quasi_steady_state(erythroid) -> None:
    """'the default parameters have no steady state' on the named model: the accumulating
    pools are now held fixed (at their initial amounts unless given, here Hb)."""
    from hemesim.simulate.batched import MODEL_RTOL, BatchedEngine

    table = {"ALAS2.kcat": [120.0, 160.0, 200.0, 240.0], "Hb": 5.0}
    res = run_cohort(table, 4, seed=0, mode="steady_state")
    assert res.ok.all()
    assert res.provenance["parameters"]["quasi_steady_state"] is True
    qss = BatchedEngine(erythroid.definition, rtol=MODEL_RTOL, quasi_steady_state=True)
    np.testing.assert_array_equal(res.values, qss.steady_state(table, n=4).values)
    with pytest.raises(SimulationError, match=r"n=-1"):
        run_cohort(None, -1, seed=0, mode="steady_state")
    with pytest.raises(ModelError, match=r"'Hb': value -1 in set 0"):
        run_cohort({"Hb": -1.0}, 4, seed=0, mode="steady_state")


def test_a_single_name_is_one_readout_or_covariate(sbml: str) -> None:
    res = run_cohort(sampler, 8, seed=1, sbml=sbml, readouts="P", covariates="carrier", t_end=5.0)
    assert res.names == ["P"] and res.values.shape == (8, 1)
    assert list(res.covariates) == ["carrier"] and res.covariates["carrier"].shape == (8,)


def test_a_table_of_scalars_applies_to_every_set(sbml: str) -> None:
    res = run_cohort({"kdeg": 0.2}, 3, seed=0, sbml=sbml, readouts=["P"], t_end=5.0)
    direct = run_cohort({"kdeg": [0.2] * 3}, 3, seed=0, sbml=sbml, readouts=["P"], t_end=5.0)
    np.testing.assert_array_equal(res.values, direct.values)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"sampler_or_table": {"kdeg": [1.0, 2.0, 3.0], "kconv": [1.0, 2.0]}}, r"'kconv' has"),
        ({"sampler_or_table": "kdeg"}, r"sampler_or_table must be .* got str"),
        ({"sampler_or_table": {"kdeg": ["a"] * 3}}, r"'kdeg': 'a' is text"),
        ({"sampler_or_table": lambda rng, m: {"kdeg": ["a"] * m}}, r"'kdeg': 'a' is text"),
        ({"sampler_or_table": {"kdeg": [0.1, np.nan, 0.1]}}, r"'kdeg': value nan in set 1"),
        ({"t_end": "72"}, r"t_end='72': expected a finite number > 0"),
        ({"rtol": "x"}, r"rtol='x': expected a number strictly between 0 and 1"),
        ({"atol": 0.0}, r"atol=0.0"),
        ({"progress": "x"}, r"progress='x': expected None or a function"),
        ({"uncertainty": "yes"}, r"uncertainty='yes': expected True, False"),
        ({"n": 10**9}, r"n=1000000000: expected a whole number from 1 to 20,000,000"),
        ({"n": True}, r"n=True"),
        ({"chunk_size": 1.5}, r"chunk_size=1.5"),
        ({"retries": -1}, r"retries=-1"),
        ({"keep_parameters": "no"}, r"keep_parameters='no'"),
        ({"readouts": [3]}, r"readouts: 3 is not a name"),
        ({"covariates": "xi"}, r"covariate 'xi' is not a column of the sampler draws"),
        ({"mode": ["endpoint"]}, r"mode=\['endpoint'\]"),
    ],
)
def test_bad_arguments_are_named_before_any_work(
    sbml: str, kwargs: dict[str, object], pattern: str
) -> None:
    """These escaped as pandas/numpy errors (or, for progress, a TypeError after all the work)."""
    calls: list[int] = []

    def counting(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
        calls.append(m)
        return {"kdeg": np.full(m, 0.1)}

    args: dict[str, object] = {
        "sampler_or_table": counting,
        "n": 3,
        "seed": 0,
        "sbml": sbml,
        "readouts": ["P"],
        "t_end": 5.0,
    }
    args.update(kwargs)
    with pytest.raises(HemesimError) as info:
        run_cohort(**args)  # type: ignore[arg-type]
    assert re.search(pattern, str(info.value)), str(info.value)
    assert "\n" not in str(info.value)
    assert all(m == 2 for m in calls)  # at most the probe draw ran, no chunk


@pytest.mark.parametrize(
    ("q", "pattern"),
    [("a", r"q='a'"), ([float("nan")], r"q=\[nan\]"), ([], r"q=\[\]"), ([0.5, 2.0], r"2.0")],
)
def test_bad_quantiles(sbml: str, q: object, pattern: str) -> None:
    res = run_cohort(None, 2, seed=0, sbml=sbml, readouts=["P"], t_end=1.0)
    with pytest.raises(SimulationError, match=pattern):
        res.quantiles(q)  # type: ignore[arg-type]
    assert res.quantiles(0.5).shape == (1, 1)
