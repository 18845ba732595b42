"""run_cohort: deterministic block seeding, tables, quantiles, priors, errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from hemesim.errors import HemesimError
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
