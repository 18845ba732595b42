"""The typical person of each sex (hemesim.phenotype.vpop.typical_factors)."""

from __future__ import annotations

import numpy as np
import pytest

from hemesim.phenotype.vpop import load_calibration, typical_factors


def test_men_are_the_model_table() -> None:
    assert typical_factors("male") == {}


def test_women_take_the_female_population_median_set_point() -> None:
    from hemesim.model import load_definition

    d = load_definition("erythroid")
    table = float(d.defaults[d.id_of("Hb.ref")])
    median = float(np.median(load_calibration("female").column("Hb.ref")))
    assert typical_factors("female") == {"Hb.ref": pytest.approx(median / table)}
    assert median < table  # the table's 15.5 g/dL is the male midpoint


def test_typical_carrier_lies_inside_her_own_interval() -> None:
    # the point of a woman at a given X-inactivation lies within the 95 % range of women like her
    from hemesim.phenotype.predict import predict

    p = predict("c.1354C>T", "female", xi=0.5, n_people=200)
    hb = p.phenotype["hb_g_dl"]
    low, high = hb["interval_95"]
    assert low <= hb["value"] <= high
