"""``hemesim cohort``: JSON summary, table output, bad input with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()


def test_json_summary_and_parquet(tmp_path: Path) -> None:
    out = tmp_path / "women.parquet"
    result = runner.invoke(
        app,
        [
            "cohort",
            "--variant",
            "c.1706_1709del",
            "--sex",
            "female",
            "--n",
            "3000",
            "--seed",
            "4",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["n"] == 3000 and data["sex"] == "female"
    assert abs(sum(data["disease_shares"].values()) - 1.0) < 1e-12
    table = pd.read_parquet(out)
    assert len(table) == 3000
    assert data["quantiles"]["hb_g_dl"]["q50"] == table["hb_g_dl"].median()


def test_table_output_and_plot(tmp_path: Path) -> None:
    plot = tmp_path / "c.png"
    result = runner.invoke(
        app,
        ["cohort", "--variant", "p.Arg452Cys", "--sex", "male", "--n", "100", "--plot", str(plot)],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    # the outcome leads: disease shares and the cohort's size before the readout table
    assert out.index("Disease calls: XLSA") < out.index("Haemoglobin")
    assert "g/dL" in out and "hb_g_dl" not in out
    assert plot.stat().st_size > 1000


def test_bad_output_suffix_is_refused_before_simulating(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["cohort", "--variant", "p.Arg452Cys", "--n", "10", "--out", str(tmp_path / "x.txt")]
    )
    assert result.exit_code != 0


def test_without_variant_simulates_healthy_people_labelled_population() -> None:
    result = runner.invoke(app, ["cohort", "--sex", "female", "--n", "500", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["variant"].startswith("none")
    assert data["spread"] == "population" and data["uncertainty"] is False
    assert data["population"]["used"] is True
    assert data["penetrance"] is None  # no variant: nothing to penetrate
    assert abs(sum(data["disease_shares"].values()) - 1.0) < 1e-12


def test_uncertainty_is_labelled_as_such() -> None:
    result = runner.invoke(
        app, ["cohort", "--sex", "male", "--n", "64", "--uncertainty", "--typical", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["spread"] == "parameter-uncertainty"
    assert "NOT a population" in data["spread_description"]
