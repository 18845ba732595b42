"""The disease-call rule exists in three forms: the scalar call of one person
(:func:`hemesim.phenotype.grading.call_disease`), the vectorised call of a virtual cohort
(:func:`hemesim.phenotype.cohort.call_disease_arrays`) and the affected mask behind female
penetrance (:func:`hemesim.phenotype.penetrance.affected_mask`). They must agree on every input,
thresholds included (WHO 2011 anaemia cut-offs; Gou et al., Clin Chem 2015 protoporphyrin)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.phenotype.cohort import call_disease_arrays
from hemesim.phenotype.grading import ANEMIA_THRESHOLD_G_DL, call_disease
from hemesim.phenotype.penetrance import affected_mask
from hemesim.phenotype.readouts import REFERENCES

EP_CUT = REFERENCES["ep_protoporphyria_lower"].value


def _values(cut: float, lo: float, hi: float) -> st.SearchStrategy[float]:
    """Values anywhere in [lo, hi], with the threshold itself and its neighbours often drawn."""
    edge = st.sampled_from(
        [cut, float(np.nextafter(cut, -np.inf)), float(np.nextafter(cut, np.inf))]
    )
    return st.one_of(edge, st.floats(min_value=lo, max_value=hi, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(
    sex=st.sampled_from(["male", "female"]),
    neutral=st.booleans(),
    data=st.data(),
)
def test_three_forms_of_the_disease_rule_agree(sex: str, neutral: bool, data) -> None:
    hb = data.draw(_values(ANEMIA_THRESHOLD_G_DL[sex], 2.0, 20.0), label="hb_g_dl")
    ep = data.draw(_values(EP_CUT, 0.0, 3000.0), label="ep_ug_dl")
    scalar = call_disease(hb_g_dl=hb, ep_ug_dl=ep, sex=sex, variant_is_neutral=neutral).call
    vector = call_disease_arrays(np.array([hb]), np.array([ep]), sex, neutral)[0]
    assert vector == scalar
    xlp, xlsa = affected_mask(
        {"hb_g_dl": np.array([hb]), "ep_total_ug_dl_rbc": np.array([ep])}, sex, neutral
    )
    assert bool(xlp[0]) == (scalar == "XLP")
    assert bool(xlsa[0]) == (scalar == "XLSA")
