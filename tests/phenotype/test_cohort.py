"""Virtual cohorts: the batched path must reproduce the single-person predictions it scales up.

Reference beside the optimised path (style habit 9): with one typical person (``population=
False``) each cohort member is compared with ``predict`` (libRoadRunner, one person at a time)
and the cohort's penetrance with the exact integral over the X-inactivation distribution
(``penetrance``). The calibrated population itself is tested in test_vpop.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hemesim.errors import PhenotypeError
from hemesim.phenotype.cohort import virtual_cohort
from hemesim.phenotype.penetrance import penetrance
from hemesim.phenotype.predict import predict

XLSA = "p.Arg452Cys"  # Cotter et al., Blood 1999;93:1757 (pyridoxine-responsive XLSA)
XLP = "c.1706_1709del"  # Whatley et al., AJHG 2008;83:408


@pytest.fixture(scope="module")
def women() -> object:
    return virtual_cohort(XLSA, "female", 20_000, seed=11, population=False)


def test_women_match_single_predictions(women) -> None:  # type: ignore[no-untyped-def]
    table = women.table
    for i in (0, 7, 123):
        xi = float(table["xi"][i])
        single = predict(XLSA, sex="female", xi=xi).to_dict()["phenotype"]
        for key in ("hb_g_dl", "mcv_fl", "ep_total_ug_dl_rbc"):
            assert table[key][i] == pytest.approx(single[key]["value"], rel=1e-5), key


def test_cohort_penetrance_agrees_with_exact_integral(women) -> None:  # type: ignore[no-untyped-def]
    """Monte Carlo over 20,000 women vs the exact integral over xi for the typical woman (the
    cohort without uncertainty varies xi only): |z| < 4 (p ~ 6e-5 two-sided)."""
    typical = penetrance(XLSA, seed=0).typical_penetrance
    assert typical is not None
    exact = float(typical)
    est = women.to_dict()["penetrance"]
    se = math.sqrt(exact * (1 - exact) / women.n)
    assert abs(est - exact) < 4 * se


def test_men_without_uncertainty_are_identical_and_match_predict() -> None:
    men = virtual_cohort(XLP, "male", 600, seed=3, population=False)
    hb = men.table["hb_g_dl"].to_numpy()
    assert np.ptp(hb) == pytest.approx(0.0, abs=1e-9)
    single = predict(XLP, sex="male").to_dict()["phenotype"]
    assert hb[0] == pytest.approx(single["hb_g_dl"]["value"], rel=1e-5)
    assert set(men.table["disease"]) == {predict(XLP, sex="male").to_dict()["disease"]}


def test_seeds_reproduce_and_differ() -> None:
    a = virtual_cohort(XLSA, "female", 400, seed=5, uncertainty=True)
    b = virtual_cohort(XLSA, "female", 400, seed=5, uncertainty=True)
    c = virtual_cohort(XLSA, "female", 400, seed=6, uncertainty=True)
    assert a.table.equals(b.table)
    assert not np.allclose(a.table["hb_g_dl"], c.table["hb_g_dl"])
    assert a.table["xi"].between(0, 1).all()


def test_uncertainty_widens_the_male_prediction() -> None:
    fixed = virtual_cohort(XLSA, "male", 512, seed=2, population=False)
    varied = virtual_cohort(XLSA, "male", 512, seed=2, uncertainty=True, population=False)
    assert varied.table["hb_g_dl"].std() > 10 * (fixed.table["hb_g_dl"].std() + 1e-12)
    assert (fixed.spread, varied.spread) == ("none", "parameter-uncertainty")


def test_cohort_calls_are_the_one_disease_call() -> None:
    """Each person of a cohort gets the call of hemesim.phenotype.diagnosis for their blood (the
    function predict, penetrance and the web use): the cohort table's readouts called again give
    the same labels."""
    from hemesim.phenotype.diagnosis import diagnose
    from hemesim.phenotype.inputs import resolve_variant

    men = virtual_cohort(XLSA, "male", 300, seed=4)
    again = diagnose(
        {k: men.table[k].to_numpy() for k in men.table.columns if k != "disease" and k != "member"}
        | {"metal_free_fraction": men.table["metal_free_fraction"].to_numpy()},
        sex="male",
        mechanism=resolve_variant(XLSA).mechanism,
    )
    assert list(men.table["disease"]) == list(again.calls)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"n": 0}, "n"),
        ({"n": 2.5}, "n"),
        ({"sex": "x"}, "sex"),
        ({"seed": -1}, "seed"),
        ({"treatment": "chelation"}, "chelation"),
        ({"population": "yes"}, "population"),
    ],
)
def test_bad_input_is_one_line(kwargs: dict, word: str) -> None:  # type: ignore[type-arg]
    args = {"sex": "female", "n": 10, **kwargs}
    with pytest.raises(PhenotypeError) as err:
        virtual_cohort(XLSA, **args)
    assert word in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("sex", ["male", "female"])
def test_a_malformed_scheduler_is_refused_before_any_work(sex: str) -> None:
    """The female cohort without parameter uncertainty needs two simulations and runs them in
    process, so a malformed --scheduler used to be ignored silently there."""
    from hemesim.errors import SimulationError

    with pytest.raises(SimulationError, match="scheduler 'foo': expected 'local'"):
        virtual_cohort("c.1355G>A", sex, 4, seed=1, scheduler="foo")


def test_uncertainty_must_be_a_boolean() -> None:
    """uncertainty="no" switched the priors on (a non-empty string is true)."""
    with pytest.raises(PhenotypeError, match=r"uncertainty 'no': expected True or False"):
        virtual_cohort("c.1355G>A", "female", 4, seed=1, uncertainty="no")  # type: ignore[arg-type]
