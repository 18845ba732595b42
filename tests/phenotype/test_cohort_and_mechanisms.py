"""Cohort parameter sets and the EP-pattern classifier (Gou et al., Clin Chem 2015 cut-offs)."""

from __future__ import annotations

import numpy as np
import pytest

from hemesim.errors import PhenotypeError
from hemesim.phenotype.cohort_support import female_cohort_sets
from hemesim.phenotype.mechanisms import classify_ep_pattern, compare_mechanisms
from hemesim.phenotype.mosaic import mix_arrays


def test_cohort_needs_two_parameter_sets(fake_backend, loss_effect) -> None:
    sets = female_cohort_sets(loss_effect, 1000, seed=4, backend=fake_backend)
    assert len(sets.parameter_sets) == 2 and sets.xi.shape == (1000,)
    results = [fake_backend.endpoint(s) for s in sets.parameter_sets]
    combined = sets.combine(results)
    direct = mix_arrays(results[0], results[1], sets.xi, epo_gain=sets.epo_gain)
    for key in combined:
        assert np.allclose(combined[key], direct[key])
    again = female_cohort_sets(loss_effect, 1000, seed=4, backend=fake_backend)
    assert np.array_equal(again.xi, sets.xi)
    with pytest.raises(PhenotypeError):
        sets.combine(results[:1])


@pytest.mark.parametrize(
    ("ep", "metal_free", "pattern"),
    [
        (50, 0.95, "normal"),
        (1000, 0.90, "EPP-like"),
        (1000, 0.85, "EPP-like"),
        (1000, 0.84, "XLP-like"),
        (1000, 0.50, "XLP-like"),
        (200, 0.20, "ZnPP-predominant"),
    ],
)
def test_classify_ep_pattern(ep: float, metal_free: float, pattern: str) -> None:
    assert classify_ep_pattern(ep, metal_free) == pattern


def test_compare_mechanisms_runs(fake_backend, gain_effect) -> None:
    comp = compare_mechanisms(gain_effect, backend=fake_backend)
    assert [r.condition for r in comp.rows] == ["normal", "XLP", "EPP", "iron deficiency"]
    assert comp.to_dataframe().shape[0] == 4
