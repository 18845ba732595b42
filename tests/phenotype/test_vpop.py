"""The calibrated virtual population (Allen et al., CPT Pharmacometrics Syst Pharmacol 2016;5:140).

Targets are the published reference intervals of phenotype/data/reference_intervals.csv: Hb from
the Brazilian National Health Survey (Rosenfeld et al., Rev Bras Epidemiol 2019;22 Suppl 2), MCV,
MCH, MCHC from Hoffbrand & Moss, Essential Haematology, appendix 1, RDW-CV from a community study
giving 2.5/97.5 % limits (PMC12019488), upper limits of EP (Gou et al., Clin Chem 2015) and
ZnPP/heme (Hastka et al., Clin Chem 1994).

Stated tolerance: each two-sided quantile (2.5 %, median where published, 97.5 %) within 0.3 of
the interval's width; each upper-only limit exceeded by at most 10 % at the 97.5 % point. The
largest miss is MCH at 97.5 % (about 32.4 against 34 pg): with the model's MCV-MCH relation the
textbook upper limits of MCH (34 pg) and MCV (95 fL) cannot both be met, and the selection
balances them (docs/phenotype.md, Virtual population).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.model import load_definition
from hemesim.phenotype.cohort import virtual_cohort
from hemesim.phenotype.reference_intervals import reference_interval
from hemesim.phenotype.vpop import (
    CHECK_READOUTS,
    UPPER_TOLERANCE,
    VPOP_PARAMETERS,
    WIDTH_TOLERANCE,
    check_quantiles,
    load_calibration,
    model_hash,
    select_vpop,
    split_normal_logpdf,
)


def check_against_reference(table, sex: str) -> None:  # type: ignore[no-untyped-def]
    checks = check_quantiles({k: table[k].to_numpy() for k in CHECK_READOUTS}, sex)
    assert len(checks) >= 12
    failed = [c.to_dict() for c in checks if not c.passed]
    assert not failed, failed


def test_stored_calibration_belongs_to_this_model() -> None:
    """A changed model needs a new calibration: python -m hemesim.phenotype.vpop_calibrate."""
    cal = load_calibration("male")
    assert cal.model_sha256 == model_hash(load_definition("erythroid").sbml), (
        "the model changed since the virtual population was calibrated; re-run "
        "python -m hemesim.phenotype.vpop_calibrate"
    )


@pytest.mark.parametrize("sex", ["male", "female"])
def test_stored_members_lie_inside_their_priors(sex: str) -> None:
    cal = load_calibration(sex)
    assert cal.size >= 500
    assert list(cal.names) == [p.name for p in VPOP_PARAMETERS]
    base = dict(
        zip(*(load_definition("erythroid").parameters[c] for c in ("name", "value")), strict=True)
    )
    for p in VPOP_PARAMETERS:
        v = cal.column(p.name)
        lo, hi = (
            (p.low * base[p.name], p.high * base[p.name])
            if p.scale == "factor"
            else (p.low, p.high)
        )
        assert np.all((v >= lo * (1 - 1e-5)) & (v <= hi * (1 + 1e-5))), p.name
    rec = cal.record
    assert rec["targets"][sex]["hb_g_dl"] == {
        f"q{q * 100:g}": v for q, v in reference_interval("hb_g_dl", sex).targets().items()
    }


@pytest.fixture(scope="module")
def cohorts():  # type: ignore[no-untyped-def]
    return {sex: virtual_cohort(None, sex, 3000, seed=7) for sex in ("male", "female")}


@pytest.fixture(params=["male", "female"])
def healthy(request, cohorts):  # type: ignore[no-untyped-def]
    return cohorts[request.param]


def test_healthy_cohort_reproduces_reference_intervals(healthy) -> None:  # type: ignore[no-untyped-def]
    check_against_reference(healthy.table, healthy.sex)


def test_healthy_people_are_not_called_diseased(healthy) -> None:  # type: ignore[no-untyped-def]
    shares = healthy.disease_shares()
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
    assert shares == {"none": 1.0}
    d = healthy.to_dict()
    assert d["spread"] == "population" and d["population"]["used"]


def test_women_have_lower_hb_than_men_at_equal_indices(cohorts) -> None:  # type: ignore[no-untyped-def]
    men, women = cohorts["male"].table, cohorts["female"].table
    assert women["hb_g_dl"].median() < men["hb_g_dl"].median() - 1.0
    assert abs(women["mcv_fl"].median() - men["mcv_fl"].median()) < 2.0


def test_seeds_reproduce_and_differ() -> None:
    a = virtual_cohort("p.Arg452Cys", "female", 300, seed=5)
    b = virtual_cohort("p.Arg452Cys", "female", 300, seed=5)
    c = virtual_cohort("p.Arg452Cys", "female", 300, seed=6)
    assert a.table.equals(b.table)
    assert not np.array_equal(a.table["member"], c.table["member"])


def test_the_variant_acts_on_each_person() -> None:
    """Same seed, same people: every p.Arg452Cys man has a lower MCH than his healthy self."""
    healthy = virtual_cohort(None, "male", 300, seed=9).table
    xlsa = virtual_cohort("p.Arg452Cys", "male", 300, seed=9).table
    assert np.array_equal(healthy["member"], xlsa["member"])
    assert np.all(xlsa["mch_pg"].to_numpy() < healthy["mch_pg"].to_numpy())
    # and people differ: the variant does not collapse the population onto one value
    assert xlsa["hb_g_dl"].std() > 0.3


def test_parameter_uncertainty_is_wider_than_the_population_and_labelled() -> None:
    pop = virtual_cohort(None, "male", 300, seed=2)
    both = virtual_cohort(None, "male", 300, seed=2, uncertainty=True)
    assert both.spread == "population+parameter-uncertainty"
    assert both.table["hb_g_dl"].std() > pop.table["hb_g_dl"].std()


def test_selection_recovers_a_target_from_uniform_plausible_patients() -> None:
    """Method check on synthetic readouts (no model): plausible patients spread uniformly well
    beyond the reference intervals are selected down to the published quantiles."""
    rng = np.random.default_rng(0)
    n = 12_000
    mch = rng.uniform(24, 37, n)
    mcv = rng.uniform(75, 105, n)
    y = {
        "hb_g_dl": rng.uniform(10, 17, n),
        "mch_pg": mch,
        "mcv_fl": mcv,
        "mchc_g_dl": 100 * mch / mcv,
        "ep_total_ug_dl_rbc": rng.uniform(5, 100, n),
        "znpp_umol_mol_heme": rng.uniform(1, 50, n),
    }
    idx, info = select_vpop(y, "female", seed=1, kde_points=2000, min_members=300)
    assert info["n_selected"] == idx.size >= 300
    hb = reference_interval("hb_g_dl", "female")
    for q, target in hb.targets().items():
        assert abs(np.quantile(y["hb_g_dl"][idx], q) - target) < WIDTH_TOLERANCE * (
            hb.high - hb.low
        )  # type: ignore[operator]
    assert np.quantile(y["ep_total_ug_dl_rbc"][idx], 0.975) <= UPPER_TOLERANCE * 80


def test_split_normal_puts_the_limits_at_their_quantiles() -> None:
    targets = {0.025: 11.5, 0.5: 13.2, 0.975: 14.9}
    y = np.array([11.5, 13.2, 14.9])
    lp = split_normal_logpdf(y, targets)
    # both limits lie 1.96 sd from the centre on their own side (one normalising constant)
    assert lp[0] - lp[1] == pytest.approx(-0.5 * 1.959964**2, abs=1e-6)
    assert lp[2] - lp[1] == pytest.approx(-0.5 * 1.959964**2, abs=1e-6)
    asym = split_normal_logpdf(np.array([13.0, 14.9, 16.9]), {0.025: 13.0, 0.5: 14.9, 0.975: 16.9})
    assert asym[0] - asym[1] == pytest.approx(asym[2] - asym[1], abs=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("sex", ["male", "female"])
def test_large_healthy_cohort_reproduces_reference_intervals(sex: str) -> None:
    cohort = virtual_cohort(None, sex, 100_000, seed=123)
    check_against_reference(cohort.table, sex)


@pytest.mark.slow
def test_calibration_is_reproducible_from_its_seed() -> None:
    from hemesim.phenotype.vpop_calibrate import calibrate

    a = calibrate(6000, seed=3, min_members=100)
    b = calibrate(6000, seed=3, min_members=100)
    assert a["members"] == b["members"] and a["achieved"] == b["achieved"]


@given(
    low=st.floats(1.0, 50.0),
    spread_lo=st.floats(0.1, 20.0),
    spread_hi=st.floats(0.1, 20.0),
    y=st.lists(st.floats(-100.0, 200.0), min_size=2, max_size=20),
)
@settings(max_examples=60, deadline=None)
def test_split_normal_peaks_at_the_centre_and_falls_away(
    low: float, spread_lo: float, spread_hi: float, y: list[float]
) -> None:
    centre = low + spread_lo
    targets = {0.025: low, 0.5: centre, 0.975: centre + spread_hi}
    arr = np.array(sorted(y))
    lp = split_normal_logpdf(arr, targets)
    peak = split_normal_logpdf(np.array([centre]), targets)[0]
    assert np.all(lp <= peak + 1e-9)
    below, above = arr <= centre, arr >= centre
    assert np.all(np.diff(lp[below]) >= -1e-9)  # rises towards the centre
    assert np.all(np.diff(lp[above]) <= 1e-9)  # falls beyond it


@given(n=st.integers(1, 500), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_draws_are_members_with_positive_cv(n: int, seed: int) -> None:
    cal = load_calibration("female")
    people = cal.draw(n, np.random.default_rng(seed))
    assert people.member.shape == (n,) and people.within_clone_cv.shape == (n,)
    assert people.member.min() >= 0 and people.member.max() < cal.size
    assert np.all(people.within_clone_cv > 0)
