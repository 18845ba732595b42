"""report/labels.py: the one place readouts get their clinical names, units, rounding and flags.

Reference limits come from ``phenotype/data/reference_intervals.csv`` (Hb: Rosenfeld et al., Rev
Bras Epidemiol 2019, men 13.0-16.9 and women 11.5-14.9 g/dL; MCV 80-95 fL: Hoffbrand & Moss,
Essential Haematology, Appendix 1; EP < 80 ug/dL: Gou et al., Clin Chem 2015).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemesim.phenotype.readouts import READOUT_UNITS, UMOL_L_TO_UG_DL
from hemesim.report import labels as L


def test_every_readout_of_the_phenotype_stage_has_a_clinical_label() -> None:
    missing = [k for k in READOUT_UNITS if k not in L.LABELS]
    assert missing == []
    assert L.display_name("hb_g_dl") == "Haemoglobin (g/dL)"
    assert L.display_name("param:ALAS2.kcat", "1/s") == "Parameter ALAS2.kcat (1/s)"


def test_clinical_readouts_come_first_and_parameters_last() -> None:
    keys = ["param:ALAS2.kcat", "xi", "mito_iron_index", "mcv_fl", "something_else", "hb_g_dl"]
    ordered = L.ordered_keys(keys)
    assert ordered[:2] == ["hb_g_dl", "mcv_fl"]
    assert ordered[-1] == "param:ALAS2.kcat"
    assert ordered.index("xi") < ordered.index("something_else")


def test_reference_ranges_and_flags_by_sex() -> None:
    """Hb 12.8 g/dL is low for a man (13.0-16.9) and normal for a woman (11.5-14.9)."""
    assert L.flag("hb_g_dl", 12.8, "male") == "low"
    assert L.flag("hb_g_dl", 12.8, "female") == ""
    assert L.flag("ep_total_ug_dl_rbc", 300.0, "female") == "high"
    assert L.reference_range("hb_g_dl", "male").text("hb_g_dl") == "13.0-16.9"
    assert L.reference_range("ep_total_ug_dl_rbc", None).text("ep_total_ug_dl_rbc") == "< 80"
    # Hb differs by sex: no range when the sex is unknown; MCV is shared
    assert L.reference_range("hb_g_dl", None) is None
    assert L.reference_range("mcv_fl", None).text("mcv_fl") == "80-95"
    # EP in umol/L: the ug/dL limit converted with the PPIX molar mass
    ref = L.reference_range("ep_total_umol_l_rbc", "male")
    assert ref.high == pytest.approx(80.0 / UMOL_L_TO_UG_DL)
    # no published interval: no range, no flag
    assert L.reference_range("mito_iron_index", "male") is None
    assert L.flag("mito_iron_index", 40.0, "male") == ""


def test_flag_uses_the_value_as_shown() -> None:
    """MCV 79.6 fL is printed as 80 fL and not flagged against 80-95 fL; 79.4 is '79 L'."""
    assert L.format_value("mcv_fl", 79.6) == "80"
    assert L.flag("mcv_fl", 79.6, "male") == ""
    assert L.flag("mcv_fl", 79.4, "male") == "low"


def test_readout_entries_tolerate_extra_keys_and_show_interval_95() -> None:
    entry = {"value": 11.234, "unit": "g/dL", "interval_95": [9.81, 12.6], "basis": "rule"}
    assert L.format_readout("hb_g_dl", entry) == "11.2 g/dL (95 %: 9.8-12.6)"
    assert L.format_readout("hb_g_dl", {"value": 11.25, "unit": "g/dL", "new": 1}) == "11.2 g/dL"
    assert L.format_readout("znpp_fraction", 0.2231) == "22 % of EP"
    rows = L.readout_rows({"hb_g_dl": entry, "bad": {"value": None}, "xi": 0.5}, "female")
    assert [r.key for r in rows] == ["hb_g_dl", "xi"]
    assert rows[0].interval_95 == "9.8-12.6" and rows[0].reference == "11.5-14.9"


def test_labels_json_is_what_the_pages_read() -> None:
    data = L.labels_json()
    assert data["labels"]["hb_g_dl"] == {
        "name": "Haemoglobin", "unit": "g/dL", "decimals": 1, "scale": 1.0, "clinical": True,
    }  # fmt: skip
    assert data["order"][:2] == ["hb_g_dl", "mcv_fl"]
    assert data["ranges"]["male"]["hb_g_dl"]["low"] == 13.0
    assert "hb_g_dl" not in data["ranges"]["any"]


@given(
    st.one_of(st.floats(min_value=-1e300, max_value=1e300), st.sampled_from([math.nan, math.inf])),
    st.one_of(st.none(), st.integers(0, 4)),
)
def test_format_number_keeps_sign_and_size(value: float, decimals: int | None) -> None:
    text = L.format_number(value, decimals)
    assert isinstance(text, str) and text
    if math.isfinite(value) and value != 0:
        parsed = float(text.replace(",", ""))
        if parsed != 0:
            assert (parsed > 0) == (value > 0)
        # never a false zero, and within rounding of the value (3 significant digits or the
        # given decimals, whichever is looser)
        assert parsed != 0
        step = 0.5 * 10.0**-decimals if decimals is not None else 0.0
        tolerance = max(abs(value) * 0.006, step)
        assert abs(parsed - value) <= tolerance * (1 + 1e-9) + 1e-12 * abs(value)
