"""The reference-interval table: rows well formed, sourced, and found by readout and sex."""

from __future__ import annotations

import pytest

from hemesim.errors import PhenotypeError
from hemesim.phenotype.readouts import READOUT_UNITS
from hemesim.phenotype.reference_intervals import reference_interval, reference_intervals

EXPECTED = (
    "hb_g_dl",
    "mcv_fl",
    "mch_pg",
    "mchc_g_dl",
    "rdw_cv_percent",
    "ep_total_ug_dl_rbc",
    "znpp_umol_mol_heme",
    "ferritin_ug_l",
)


def test_every_readout_has_a_row_per_sex() -> None:
    keys = {(r.readout, r.sex) for r in reference_intervals()}
    for readout in EXPECTED:
        assert (readout, "male") in keys
        assert (readout, "female") in keys


def test_rows_are_well_formed() -> None:
    for r in reference_intervals():
        # mchc_g_dl is a model readout (erythroid.ant) not yet listed in READOUT_UNITS
        assert r.readout in READOUT_UNITS or r.readout == "mchc_g_dl", r.readout
        assert r.unit == READOUT_UNITS.get(r.readout, "g/dL")
        assert r.source and r.location and r.population
        if r.certainty == "not-read":
            assert not r.is_available
            continue
        assert r.is_available
        if r.low is not None and r.high is not None:
            assert r.low < r.high
            assert r.low_quantile is not None and r.high_quantile is not None
            assert 0 < r.low_quantile < 0.5 < r.high_quantile < 1
        if r.median is not None:
            assert r.low is not None and r.high is not None and r.low < r.median < r.high


def test_published_values_as_entered() -> None:
    # Rosenfeld et al., Rev Bras Epidemiol 2019;22(Suppl 2):E190003, abstract: women 13.2
    # g/dL (11.5-14.9), men 14.9 (13.0-16.9)
    women = reference_interval("hb_g_dl", "female")
    assert (women.low, women.median, women.high) == (11.5, 13.2, 14.9)
    men = reference_interval("hb_g_dl", "m")
    assert men.targets() == {0.025: 13.0, 0.5: 14.9, 0.975: 16.9}
    # CDC 1999-2002 nutrition report, Table 3.1.a, men 20-39 y: 5th 41, 50th 134, 95th 382
    assert reference_interval("ferritin_ug_l", "male").targets() == {
        0.05: 41.0,
        0.5: 134.0,
        0.95: 382.0,
    }
    # Gou et al. 2015: EP < 80 ug/dL, an upper limit only
    assert reference_interval("ep_total_ug_dl_rbc", "female").targets() == {0.975: 80.0}


def test_women_hb_below_men() -> None:
    assert reference_interval("hb_g_dl", "female").high < reference_interval("hb_g_dl", "male").high  # type: ignore[operator]


@pytest.mark.parametrize(
    ("readout", "sex", "field"),
    [("hb", "male", "readout 'hb'"), ("hb_g_dl", "child", "sex 'child'"), ("", "male", "readout")],
)
def test_bad_lookup_is_one_line_error(readout: str, sex: str, field: str) -> None:
    with pytest.raises(PhenotypeError, match=field) as info:
        reference_interval(readout, sex)
    assert "\n" not in str(info.value)
