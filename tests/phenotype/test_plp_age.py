"""Age acts on vitamin B6 status (hemesim.phenotype.plp_age): the factor, its data, its wiring.

Data: median plasma PLP of healthy adults < 50 y vs >= 50 y by sex (Mei et al., Front Nutr
2026;13:1782217, Table 3; data/plp_by_age.csv). Literature claim checked on the real model:
late-onset, pyridoxine-responsive XLSA in an old man with the thermolabile, PLP-stabilised
p.Lys299Gln (Cotter et al., J Clin Invest 1995).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hemesim.errors import PhenotypeError
from hemesim.phenotype.plp_age import (
    PLP_AGE_FILE,
    age_anchors,
    cell_factors_at_age,
    plp_age_factor,
    plp_by_age_rows,
    rows_from_text,
)
from hemesim.variants.effect_types import Effect

K299Q = "c.895A>C"  # p.Lys299Gln, curated thermolabile_plp_rescued (Cotter 1995)


def _median(sex: str, band: str) -> float:
    (row,) = [
        r
        for r in plp_by_age_rows()
        if r.quantity == "plasma_PLP" and r.sex == sex and r.age_band == band
        if r.statistic == "median"
    ]
    assert row.value is not None and row.unit == "nmol/L" and row.certainty == "table"
    assert "Mei" in row.source and row.location == "Table 3"
    return row.value


# --- the factor from the CSV -------------------------------------------------------------------


@pytest.mark.parametrize("sex", ["male", "female"])
def test_factor_is_one_in_the_reference_band_and_without_an_age(sex: str) -> None:
    for age in (None, 20.0, 25.0, 40.0, 49.9, 50.0):
        assert plp_age_factor(age, sex).factor == 1.0
    assert plp_age_factor(None, sex).reference_band == "<50 y"


@pytest.mark.parametrize("sex", ["male", "female"])
def test_older_band_factor_is_the_ratio_of_the_table_medians(sex: str) -> None:
    # Mei et al. 2026, Table 3: median plasma PLP >= 50 y over < 50 y, same sex
    ratio = _median(sex, ">=50 y") / _median(sex, "<50 y")
    for age in (65.0, 75.0, 80.0):
        assert plp_age_factor(age, sex).factor == pytest.approx(ratio, rel=1e-12)
    # halfway between the reference band's edge (50 y) and the band midpoint (65 y)
    assert plp_age_factor(57.5, sex).factor == pytest.approx(1 + (ratio - 1) / 2)


def test_men_lose_plp_with_age_by_the_published_medians() -> None:
    # Mei et al. 2026: "In males ... age-associated declines in PLP"; 31.68 vs 38.44 nmol/L
    assert plp_age_factor(75, "male").factor == pytest.approx(31.68 / 38.44, rel=1e-9)
    assert age_anchors("male") == ((50.0, 1.0), (65.0, pytest.approx(31.68 / 38.44)))


@settings(max_examples=200, deadline=None)
@given(a=st.floats(0, 120), b=st.floats(0, 120))
def test_men_factor_is_monotone_and_bounded(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    f_lo, f_hi = plp_age_factor(lo, "male").factor, plp_age_factor(hi, "male").factor
    assert f_hi <= f_lo
    ratio = age_anchors("male")[-1][1]
    assert ratio <= f_hi <= 1.0 and ratio <= f_lo <= 1.0


def test_ages_outside_the_study_are_held_and_say_so() -> None:
    assert "outside the studied 20-80 y" in plp_age_factor(95, "male").rule
    assert "outside" not in plp_age_factor(70, "male").rule
    out = plp_age_factor(70, "male").to_dict()
    assert out["parameter"] == "PLP" and out["studied_ages_years"] == [20.0, 80.0]
    assert "Mei" in out["source"] and "Table 3" in out["source"]
    assert any(a.startswith("assumed: plasma PLP is a proxy") for a in out["assumptions"])


@pytest.mark.parametrize("age", [-1, 121, "old", float("nan"), True, [40]])
def test_bad_age_is_a_one_line_error(age: object) -> None:
    with pytest.raises(PhenotypeError, match=r"^age .*: expected ") as info:
        plp_age_factor(age, "male")  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_pyridoxine_removes_the_age_factor_other_treatments_keep_it() -> None:
    f75 = plp_age_factor(75, "male").factor
    assert cell_factors_at_age({"PLP": 3.4}, treatment="pyridoxine", age_years=75, sex="male") == {
        "PLP": 3.4
    }
    assert cell_factors_at_age({}, treatment="none", age_years=75, sex="male") == {"PLP": f75}
    assert cell_factors_at_age(
        {"iron.supply": 1.25}, treatment="iron", age_years=75, sex="male"
    ) == {
        "iron.supply": 1.25,
        "PLP": f75,
    }
    assert cell_factors_at_age({}, treatment="none", age_years=None, sex="male") == {}
    with pytest.raises(PhenotypeError, match="^age 200"):
        cell_factors_at_age({}, treatment="pyridoxine", age_years=200, sex="male")


# --- the CSV reader ----------------------------------------------------------------------------

_HEADER = (
    "quantity,sex,age_band,age_low_years,age_high_years,statistic,value,unit,n,source,location,"
    "certainty,notes\n"
)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("plasma_PLP,male,<50 y,20,50,median,abc,nmol/L,1,S,T3,table,", "row 2 column value"),
        ("plasma_PLP,male,<50 y,20,50,median,1,nmol/L,1,,T3,table,", "row 2 column source"),
        ("plasma_PLP,male,<50 y,20,50,median,1,nmol/L,1,S,T3,memory,", "row 2 column certainty"),
        ("plasma_PLP,men,<50 y,20,50,median,1,nmol/L,1,S,T3,table,", "row 2 column sex"),
        ("plasma_PLP,male,<50 y,20,50,median,1,,1,S,T3,table,", "row 2 column unit"),
    ],
)
def test_reader_names_file_row_and_column(line: str, message: str) -> None:
    with pytest.raises(PhenotypeError, match=f"^{PLP_AGE_FILE} {message}"):
        rows_from_text(_HEADER + line + "\n")


def test_reader_refuses_missing_columns() -> None:
    with pytest.raises(PhenotypeError, match="missing column"):
        rows_from_text("quantity,sex\nplasma_PLP,male\n")


def test_every_packaged_row_has_a_source_and_unread_values_are_empty() -> None:
    rows = plp_by_age_rows()
    assert len(rows) >= 4
    for r in rows:
        assert r.source and r.location
        if r.value is None:  # a qualitative row: says so rather than filling a number
            assert r.notes
    numeric = [r for r in rows if r.statistic == "median"]
    assert {(r.sex, r.age_band) for r in numeric} == {
        ("male", "<50 y"),
        ("male", ">=50 y"),
        ("female", "<50 y"),
        ("female", ">=50 y"),
    }


# --- wiring: the one phenotype path (stand-in model from conftest: plumbing only) --------------


def test_woman_penetrance_by_age_matches_penetrance_at_that_age(
    fake_backend, loss_effect: Effect
) -> None:
    from hemesim.phenotype.penetrance import penetrance
    from hemesim.phenotype.predict import predict

    p65 = predict(loss_effect, "female", age_years=65, n_women=400, backend=fake_backend)
    assert p65.penetrance_detail is not None
    assert p65.penetrance_detail["by_age"]["65"] == pytest.approx(p65.penetrance)
    direct = penetrance(loss_effect, age_years=65, n_women=400, backend=fake_backend)
    assert direct.penetrance == pytest.approx(p65.penetrance)
    assert direct.by_age[65.0] == pytest.approx(direct.penetrance)
    # no age: the default 40 y, inside the reference band, so the same as age 40
    p_none = predict(loss_effect, "female", n_women=400, backend=fake_backend)
    p40 = predict(loss_effect, "female", age_years=40, n_women=400, backend=fake_backend)
    assert p_none.penetrance == p40.penetrance
    assert p_none.blood["hb_g_dl"] == p40.blood["hb_g_dl"]


# --- the real model: late-onset, pyridoxine-responsive XLSA ------------------------------------


def _hb(variant: object, age: float | None, treatment: str = "none") -> float:
    from hemesim.phenotype.predict import predict

    p = predict(variant, "male", treatment=treatment, age_years=age, n_people=0)
    return float(p.blood["hb_g_dl"])


def test_thermolabile_k299q_man_loses_hb_with_age_and_pyridoxine_restores_it() -> None:
    """Cotter et al., J Clin Invest 1995: p.Lys299Gln, a thermolabile ALAS2 that PLP stabilises,
    presented as XLSA at 77 y and pyridoxine normalised Hb; plasma PLP of men >= 50 y is 0.82 of
    that < 50 y (Mei et al. 2026, Table 3). So the model's K299Q man has lower Hb at 75 than at
    25, much more than a variant that does not touch PLP binding (kcat only) or the wild type,
    and pyridoxine at 75 gives back at least his Hb at 25."""
    k25, k75 = _hb(K299Q, 25), _hb(K299Q, 75)
    kcat_only = Effect("loss_of_function", kcat_factor=0.3)
    c25, c75 = _hb(kcat_only, 25), _hb(kcat_only, 75)
    w25, w75 = _hb(Effect(), 25), _hb(Effect(), 75)
    drop = k25 - k75
    assert drop > 0.3  # g/dL
    assert drop > 2.0 * (c25 - c75) and drop > 2.0 * (w25 - w75)
    assert _hb(K299Q, None) == k25 == _hb(K299Q, 50)  # no age: the young-adult PLP
    treated75 = _hb(K299Q, 75, "pyridoxine")
    assert treated75 > k25 > k75
    assert treated75 == pytest.approx(_hb(K299Q, 25, "pyridoxine"))


def test_cohort_of_old_men_matches_predict_at_that_age() -> None:
    """The cohort takes the same age factor as predict (one path): typical K299Q men at 75 y
    have the Hb of predict at 75 y, below that at 25 y (Mei et al. 2026, Table 3)."""
    from hemesim.phenotype.cohort import virtual_cohort

    old = virtual_cohort(K299Q, "male", 4, seed=0, population=False, age_years=75)
    young = virtual_cohort(K299Q, "male", 4, seed=0, population=False, age_years=25)
    assert old.table["hb_g_dl"].iloc[0] == pytest.approx(_hb(K299Q, 75), rel=1e-5)
    assert young.table["hb_g_dl"].iloc[0] == pytest.approx(_hb(K299Q, 25), rel=1e-5)
    assert old.meta["plp_age"]["factor"] == pytest.approx(31.68 / 38.44)


# --- CLI contract ------------------------------------------------------------------------------


def test_cli_variant_age_json_shows_age_and_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    import hemesim.phenotype.predict as predict_module
    from hemesim.cli.main import app

    real = predict_module.predict
    monkeypatch.setattr(predict_module, "predict", lambda *a, **k: real(*a, **{**k, "n_people": 0}))
    result = CliRunner().invoke(
        app, ["variant", "p.Lys299Gln", "--sex", "male", "--age", "75", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["age_years"] == 75.0
    plp = data["plp_age"]
    assert plp["factor"] == pytest.approx(31.68 / 38.44) and plp["applied"] is True
    assert plp["parameter"] == "PLP" and "Mei" in plp["source"] and plp["basis"]
    young = CliRunner().invoke(app, ["variant", "p.Lys299Gln", "--sex", "male", "--json"])
    young_hb = json.loads(young.stdout)["phenotype"]["hb_g_dl"]["value"]
    assert data["phenotype"]["hb_g_dl"]["value"] < young_hb
    assert json.loads(young.stdout)["plp_age"]["factor"] == 1.0


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_cli_variant_bad_age_is_exit_2_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], json_flag: list[str]
) -> None:
    import sys

    from hemesim.cli.main import run

    argv = ["hemesim", "variant", "p.Lys299Gln", "--sex", "male", "--age", "200", *json_flag]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as info:
        run()
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "--age 200" in lines[0] and "between 0 and 120" in lines[0]
    if json_flag:
        assert "--age 200" in json.loads(lines[0])["error"]
