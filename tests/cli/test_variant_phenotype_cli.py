"""``hemesim variant --sex/--xi/--treat`` and ``hemesim risk --variant``: the CLI joins stages.

The CLI must pass exactly what the API computes (no re-implementation): the JSON is compared with
direct calls of ``predict``, ``penetrance`` and ``risk`` on the same inputs.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()
XLSA = "p.Arg452Cys"  # Cotter et al., Blood 1999;93:1757
XLP = "c.1706_1709del"  # Whatley et al., AJHG 2008;83:408
ISOLATED = Path(str(resources.files("hemesim.genetics") / "examples" / "isolated_case.ped"))


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_variant_without_sex_has_no_phenotype() -> None:
    data = _json(["variant", XLSA, "--json"])
    assert "phenotype" not in data
    assert data["effect"]["class"] == "loss_of_function"


def test_male_prediction_matches_api() -> None:
    from hemesim.phenotype.predict import predict

    data = _json(["variant", XLSA, "--sex", "male", "--treat", "pyridoxine", "--json"])
    api = predict(XLSA, sex="male", treatment="pyridoxine", seed=0).to_dict()
    for key in ("phenotype", "disease", "severity", "treatment_response"):
        assert key in data
    assert data["disease"] == api["disease"]
    assert data["phenotype"]["hb_g_dl"]["value"] == pytest.approx(
        api["phenotype"]["hb_g_dl"]["value"], rel=1e-9
    )
    assert data["treatment_response"]["treatment"] == "pyridoxine"


def test_female_without_xi_reports_penetrance_and_quantiles() -> None:
    data = _json(["variant", XLP, "--sex", "female", "--json"])
    assert 0.0 <= data["penetrance"] <= 1.0
    assert data["quantiles"]


def test_xi_for_a_man_is_a_one_line_error() -> None:
    result = runner.invoke(app, ["variant", XLSA, "--sex", "male", "--xi", "0.3"])
    assert result.exit_code != 0


def test_risk_variant_feeds_the_predicted_female_penetrance() -> None:
    from hemesim.genetics.ped import read_ped
    from hemesim.genetics.risk import risk
    from hemesim.phenotype.penetrance import penetrance

    data = _json(["risk", str(ISOLATED), "--variant", XLP, "--json"])
    expected_pen = float(penetrance(XLP, seed=0))
    assert data["variant"]["penetrance_female"] == pytest.approx(expected_pen, rel=1e-12)
    assert data["variant"]["disease"] == "xlp"
    direct = risk(read_ped(ISOLATED), disease="xlp", penetrance_female=expected_pen).to_dict()
    by_id = {m["id"]: m for m in data["individuals"]}
    for member in direct["individuals"]:
        assert by_id[member["id"]]["p_carrier"] == pytest.approx(member["p_carrier"], abs=1e-12)


def test_an_unquantified_variant_is_interpreted_without_a_phenotype(tmp_path: Path) -> None:
    """c.1A>G (start loss, Met6 may rescue) has no quantified effect: the interpretation is
    printed and the phenotype is reported as not predicted (it used to be "disease: none").
    penetrance and risk --variant refuse it with the reason."""
    png = tmp_path / "p.png"
    result = runner.invoke(app, ["variant", "c.1A>G", "--sex", "male", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["consequence"] == "start_lost"
    assert data["prediction"] is None
    assert "uncertain" in data["prediction_note"]
    assert "disease" not in data
    text = runner.invoke(app, ["variant", "c.1A>G", "--sex", "female", "--plot", str(png)])
    assert text.exit_code == 0
    assert "phenotype: no phenotype predicted for c.1A>G" in text.stdout
    assert not png.exists()
    import subprocess
    import sys

    refused = subprocess.run(
        [sys.executable, "-m", "hemesim.cli.main", "penetrance", "c.1A>G"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: no phenotype predicted for c.1A>G")
