"""Logic of the per-patient validation on small synthetic tables (no model run).

The severity rank agreement is Spearman's rho between published and predicted Hb with one point
per genotype; the expected values below are worked by hand from the textbook formula
rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)) for untied ranks.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.phenotype.patient_validation import (
    MIN_RANK_GENOTYPES,
    PatientComparison,
    PatientValidation,
    severity_rank_agreement,
    severity_rank_text,
)


def _rows(published: list[float], predicted: list[float]) -> list[tuple[str, str, float, float]]:
    return [
        (f"P{i}", f"c.{100 + i}A>G", pub, pred)
        for i, (pub, pred) in enumerate(zip(published, predicted, strict=True))
    ]


def test_rho_matches_the_hand_worked_formula() -> None:
    # Published ranks 1 2 3 4, predicted ranks 1 3 2 4: sum d^2 = 2, rho = 1 - 12/60 = 0.8.
    rank = severity_rank_agreement(_rows([7.0, 9.0, 11.0, 13.0], [8.0, 12.0, 10.0, 14.0]))
    assert rank["status"] == "ok" and rank["n"] == 4 and rank["n_patients"] == 4
    assert rank["rho"] == pytest.approx(0.8)
    assert 0.0 < rank["p_value"] <= 1.0


def test_reversed_order_gives_minus_one_and_same_order_plus_one() -> None:
    assert severity_rank_agreement(_rows([6, 8, 10], [14, 12, 10]))["rho"] == pytest.approx(-1.0)
    assert severity_rank_agreement(_rows([6, 8, 10], [6.5, 9, 13]))["rho"] == pytest.approx(1.0)


def test_patients_sharing_a_genotype_are_one_point() -> None:
    rows = [
        ("A1", "c.1679G>A", 7.0, 9.0),
        ("A2", "c.1679G>A", 13.0, 9.0),  # brothers: one point at published 10.0, predicted 9.0
        ("B1", "c.787G>A", 9.0, 8.0),
    ]
    rank = severity_rank_agreement(rows)
    assert rank["n"] == 2 and rank["n_patients"] == 3
    assert rank["status"] == "not enough patients" and rank["rho"] is None
    (a, _b) = rank["genotypes"]
    assert a["patients"] == ["A1", "A2"]
    assert a["published_hb_g_dl"] == pytest.approx(10.0) and a["predicted_hb_g_dl"] == 9.0


@pytest.mark.parametrize("n", range(MIN_RANK_GENOTYPES))
def test_below_the_minimum_it_says_not_enough_patients(n: int) -> None:
    rank = severity_rank_agreement(_rows([8.0 + i for i in range(n)], [9.0 + i for i in range(n)]))
    assert rank["status"] == "not enough patients" and rank["rho"] is None
    assert "not enough patients" in severity_rank_text(rank)


def test_all_predictions_equal_is_undefined_not_a_number() -> None:
    rank = severity_rank_agreement(_rows([7.0, 9.0, 11.0], [8.58, 8.58, 8.58]))
    assert rank["status"] == "undefined" and rank["rho"] is None
    assert "tied" in rank["note"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(3.0, 17.0), st.floats(3.0, 17.0)), min_size=3, max_size=12).filter(
        lambda xs: len({a for a, _ in xs}) > 1 and len({b for _, b in xs}) > 1
    )
)
def test_rho_is_bounded_and_invariant_to_monotone_rescaling(
    pairs: list[tuple[float, float]],
) -> None:
    pub = [a for a, _ in pairs]
    pred = [b for _, b in pairs]
    rank = severity_rank_agreement(_rows(pub, pred))
    assert rank["status"] == "ok"
    assert -1.0 - 1e-12 <= rank["rho"] <= 1.0 + 1e-12
    # Ranks, not values: a monotone transform of the predictions leaves rho unchanged.
    rescaled = severity_rank_agreement(_rows(pub, [2.0 * b**1.5 + 1.0 for b in pred]))
    assert rescaled["rho"] == pytest.approx(rank["rho"], abs=1e-9)


def _validation() -> PatientValidation:
    pc = PatientComparison
    comps = [
        pc("W1", "c.787G>A", "female", "mcv_fl", 73.0, 54.0, (52.2, 72.99), "rule", "S"),
        pc("M1", "c.1679G>A", "male", "hb_g_dl", 7.6, 8.6, (3.8, 12.7), "rule", "S"),
        pc("M1", "c.1679G>A", "male", "mch_pg", 20.0, 13.0, None, "rule", "S"),
    ]
    calls = [
        {"patient_id": "M1", "variant": "c.1679G>A", "published": "XLSA", "called": "XLSA",
         "agrees": True},
        {"patient_id": "M2", "variant": "c.1679G>A", "published": "carrier_unaffected",
         "called": "XLSA", "agrees": False, "call_shares_people_like_this": {"XLSA": 0.97}},
    ]  # fmt: skip
    b6 = [{"patient_id": "W1", "variant": "c.787G>A", "published": "yes",
           "predicted_hb_rise_g_dl": 0.7, "agrees": False}]  # fmt: skip
    return PatientValidation(
        comparisons=comps,
        calls=calls,
        pyridoxine=b6,
        skipped=[{"patient_id": "X1", "reason": "genotype not given"}],
        severity_rank=severity_rank_agreement([("M1", "c.1679G>A", 7.6, 8.6)]),
        n_in_table=4,
        n_predicted=3,
    )


def test_misses_list_outside_interval_and_disagreements_with_ids() -> None:
    misses = {m["id"]: m for m in _validation().misses()}
    assert set(misses) == {"W1:mcv_fl", "M2:disease_call", "W1:pyridoxine"}
    assert "72.99" in misses["W1:mcv_fl"]["detail"] and "MCV" in misses["W1:mcv_fl"]["detail"]
    # No interval, no verdict: the MCH without interval is not a miss.
    assert "M1:mch_pg" not in misses


def test_summary_coverage_counts_only_rows_with_an_interval() -> None:
    summary = _validation().by_readout()
    assert summary["mcv_fl"]["inside_interval_95"] == 0 and summary["mcv_fl"]["coverage"] == 0.0
    assert summary["hb_g_dl"]["coverage"] == 1.0
    assert summary["mch_pg"]["with_interval"] == 0 and summary["mch_pg"]["coverage"] is None


def test_text_table_uses_clinical_names_and_units() -> None:
    text = "\n".join(_validation().text_lines())
    for needle in ("Haemoglobin", "g/dL", "MCV", "fL", "MCH", "pg", "interval_95", "MISS"):
        assert needle in text, needle
    assert "not enough patients" in text and "X1: genotype not given" in text
    data = _validation().to_dict()
    assert data["n_patients_in_table"] == 4 and len(data["misses"]) == 3
    assert data["agreement"]["severity_rank"]["status"] == "not enough patients"


def test_cli_validate_shows_the_patient_table_and_json_carries_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``hemesim validate --patients`` (text) and ``--json`` with a synthetic per-patient result."""
    import json

    from typer.testing import CliRunner

    import hemesim.phenotype.validation as validation
    from hemesim.cli.main import app
    from hemesim.phenotype.validation import ValidationReport

    fake = ValidationReport(rows=[], patients=_validation())
    monkeypatch.setattr(validation, "run_validation", lambda **_: fake)
    runner = CliRunner()
    text = runner.invoke(app, ["validate", "--patients"])
    assert text.exit_code == 0, text.output
    assert "Haemoglobin" in text.output and "g/dL" in text.output
    assert "severity rank (Hb, one point per genotype): not enough patients" in text.output
    assert "W1: MCV: published 73 fL outside 95 % interval" in text.output
    as_json = runner.invoke(app, ["validate", "--patients", "--json"])
    assert as_json.exit_code == 0, as_json.output
    patients = json.loads(as_json.output)["patients"]
    assert patients["agreement"]["severity_rank"]["status"] == "not enough patients"
    assert {m["id"] for m in patients["misses"]} == {
        "W1:mcv_fl",
        "M2:disease_call",
        "W1:pyridoxine",
    }
    assert patients["summary"]["hb_g_dl"]["unit"] == "g/dL"
