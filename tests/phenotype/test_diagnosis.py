"""The one disease call (:func:`hemesim.phenotype.diagnosis.diagnose`).

Criteria and their sources, as in the module: WHO 2011 anaemia thresholds (men < 13.0, women
< 12.0 g/dL); hypochromic microcytic anaemia with dimorphism in carriers (OMIM 300751, citing
Fleming 2002) with the lower reference limits MCV 80 fL and MCH 27 pg (Hoffbrand & Moss, Essential
Haematology, Appendix 1); protoporphyria = EP >= 300 ug/dL RBC with a metal-free share of at least
50 % (Gou et al., Clin Chem 2015: EPP 85-100 %, XLP 50-85 % metal-free; iron deficiency and lead
raise mostly zinc protoporphyrin).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import PhenotypeError
from hemesim.phenotype.diagnosis import DIAGNOSES, diagnose, mechanism_of

NORMAL = {
    "hb_g_dl": 15.0,
    "mcv_fl": 90.0,
    "mch_pg": 30.0,
    "ep_total_ug_dl_rbc": 40.0,
    "metal_free_fraction": 0.2,
    "rdw_cv_percent": 12.5,
    "mito_iron_index": 1.0,
}


def _call(sex: str, mechanism: str, **changes: float) -> str:
    return str(diagnose(NORMAL | changes, sex=sex, mechanism=mechanism).calls[0])


def test_xlsa_needs_anaemia_with_small_or_pale_cells() -> None:
    assert _call("male", "loss_of_function", hb_g_dl=9.0, mcv_fl=65.0, mch_pg=20.0) == "XLSA"
    # anaemia with normal indices in a man is not the XLSA picture
    assert _call("male", "loss_of_function", hb_g_dl=9.0) == "none"
    # compensated microcytosis without anaemia is not a disease call
    assert _call("male", "loss_of_function", mcv_fl=70.0, mch_pg=22.0) == "none"
    # WHO thresholds differ by sex: 12.5 g/dL is anaemia in a man only
    assert _call("male", "loss_of_function", hb_g_dl=12.5, mch_pg=24.0) == "XLSA"
    assert _call("female", "loss_of_function", hb_g_dl=12.5, mch_pg=24.0) == "carrier"


def test_dimorphic_carrier_counts_as_abnormal_red_cells() -> None:
    dimorphic = {"hb_g_dl": 11.0, "rdw_cv_percent": 20.0, "mutant_rbc_fraction": 0.3}
    assert _call("female", "loss_of_function", **dimorphic) == "XLSA"
    # all cells normal (no mutant population): a raised RDW alone is not dimorphism
    assert _call("female", "loss_of_function", **(dimorphic | {"mutant_rbc_fraction": 0.0})) == (
        "carrier"
    )


def test_xlp_needs_protoporphyria_range_and_mostly_metal_free() -> None:
    porphyric = {"ep_total_ug_dl_rbc": 900.0, "metal_free_fraction": 0.6}
    assert _call("male", "gain_of_function", **porphyric) == "XLP"
    # for a variant of unknown direction, the same EP made mostly of zinc protoporphyrin
    # (iron-deficient-like) is not protoporphyria ...
    assert _call("male", "uncertain", **(porphyric | {"metal_free_fraction": 0.3})) == "none"
    # ... while a known C-terminal gain excludes iron deficiency as the cause
    assert _call("male", "gain_of_function", **(porphyric | {"metal_free_fraction": 0.3})) == (
        "XLP"
    )
    assert _call("male", "gain_of_function", ep_total_ug_dl_rbc=299.0, metal_free_fraction=0.9) == (
        "none"
    )


def test_mechanism_decides_which_criteria_apply() -> None:
    anaemic = {"hb_g_dl": 11.0, "mcv_fl": 75.0, "mch_pg": 24.0}
    porphyric = {"ep_total_ug_dl_rbc": 900.0, "metal_free_fraction": 0.6}
    # iron-restricted anaemia in an XLP man is not XLSA
    assert _call("male", "gain_of_function", **anaemic) == "none"
    assert _call("male", "gain_of_function", **anaemic, **porphyric) == "XLP"
    # a loss-of-function variant is never called a porphyria
    assert _call("male", "loss_of_function", **porphyric) == "none"
    # uncertain direction: both criteria apply
    assert _call("male", "uncertain", **anaemic) == "XLSA"
    assert _call("male", "uncertain", **porphyric) == "XLP"
    # a neutral variant is never a disease
    assert _call("female", "neutral", **anaemic) == "none"
    assert _call("male", "neutral", **porphyric) == "none"


def test_non_finite_readouts_are_failed_not_counted() -> None:
    d = diagnose(
        {k: np.array([v, v]) for k, v in NORMAL.items()} | {"hb_g_dl": np.array([np.nan, 9.0])},
        sex="male",
        mechanism="loss_of_function",
    )
    assert d.calls[0] == "failed"
    assert d.shares()["failed"] == 0.5


def test_basis_names_criteria_thresholds_and_sources() -> None:
    b = diagnose(NORMAL | {"hb_g_dl": 9.0, "mch_pg": 20.0}, sex="male", mechanism="uncertain")
    basis = b.basis(0)
    assert basis["call"] == "XLSA"
    assert basis["criteria_met"]["anaemia"] and basis["criteria_met"]["microcytic_or_hypochromic"]
    assert basis["thresholds"]["hb_g_dl_below"] == 13.0
    assert "Gou" in basis["sources"]["XLP"] and "OMIM 300751" in basis["sources"]["XLSA"]


def test_mechanism_of() -> None:
    assert mechanism_of("loss_of_function", neutral=True) == "neutral"
    assert mechanism_of("gain_of_function", neutral=False) == "gain_of_function"
    with pytest.raises(PhenotypeError, match="effect_class"):
        mechanism_of("worse", neutral=False)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sex": "x", "mechanism": "uncertain"}, "sex"),
        ({"sex": "male", "mechanism": "?"}, "mechanism"),
    ],
)
def test_bad_arguments_name_the_field(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(PhenotypeError, match=field):
        diagnose(NORMAL, **kwargs)


def test_missing_readout_is_named() -> None:
    with pytest.raises(PhenotypeError, match="metal_free_fraction"):
        diagnose(
            {k: v for k, v in NORMAL.items() if k != "metal_free_fraction"},
            sex="male",
            mechanism="uncertain",
        )


@settings(max_examples=200, deadline=None)
@given(
    sex=st.sampled_from(["male", "female"]),
    mechanism=st.sampled_from(["loss_of_function", "gain_of_function", "neutral", "uncertain"]),
    hb=st.floats(2.0, 20.0),
    mcv=st.floats(40.0, 130.0),
    mch=st.floats(8.0, 40.0),
    ep=st.floats(0.0, 5000.0),
    metal_free=st.floats(0.0, 1.0),
    n=st.integers(1, 6),
)
def test_vectorised_call_equals_call_of_each_person(
    sex: str,
    mechanism: str,
    hb: float,
    mcv: float,
    mch: float,
    ep: float,
    metal_free: float,
    n: int,
) -> None:
    """Invariant: a batch gives each person the call they get alone, and the shares sum to 1."""
    rng = np.random.default_rng(n)
    batch = {
        "hb_g_dl": hb * rng.uniform(0.5, 1.5, n),
        "mcv_fl": np.full(n, mcv),
        "mch_pg": np.full(n, mch),
        "ep_total_ug_dl_rbc": ep * rng.uniform(0.0, 2.0, n),
        "metal_free_fraction": np.full(n, metal_free),
    }
    together = diagnose(batch, sex=sex, mechanism=mechanism)
    for i in range(n):
        alone = diagnose({k: v[i] for k, v in batch.items()}, sex=sex, mechanism=mechanism)
        assert alone.calls[0] == together.calls[i]
    assert set(together.calls) <= set(DIAGNOSES)
    assert sum(together.shares().values()) == pytest.approx(1.0)
