"""``hemesim simulate`` and ``hemesim export`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()


def test_simulate_json_has_contract_keys() -> None:
    result = runner.invoke(app, ["simulate", "--json", "--points", "20"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"species", "fluxes", "readouts", "units", "provenance"} <= set(data)
    for key in ("mch_pg", "mcv_fl", "hb_g_dl", "ep_total_umol_l_rbc", "znpp_fraction",
                "mito_iron_index"):  # fmt: skip
        assert key in data["readouts"]
        assert key in data["units"]
    assert 27 <= data["readouts"]["mch_pg"] <= 33


def test_simulate_set_and_until_change_the_result() -> None:
    base = json.loads(runner.invoke(app, ["simulate", "--json"]).output)
    low = runner.invoke(app, ["simulate", "--json", "--set", "ALAS2.kcat=60", "--until", "72"])
    assert low.exit_code == 0
    data = json.loads(low.output)
    assert data["readouts"]["mch_pg"] < base["readouts"]["mch_pg"]
    assert data["provenance"]["parameters"]["overrides"] == {"ALAS2.kcat": 60.0}


def test_simulate_table_and_plot(tmp_path: Path) -> None:
    plot = tmp_path / "course.png"
    result = runner.invoke(app, ["simulate", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    # clinical names and units (identifiers stay in --json); MCV 90 fL lies in 80-95 fL
    assert "MCH (mean cell haemoglobin)" in result.output and "mch_pg" not in result.output
    mcv = next(line for line in result.output.splitlines() if "MCV" in line)
    assert "fL" in mcv and "80-95" in mcv and "low" not in mcv and "high" not in mcv
    assert plot.stat().st_size > 1000


def test_export_sbml_and_omex(tmp_path: Path) -> None:
    sbml = tmp_path / "m.xml"
    assert runner.invoke(app, ["export", "--format", "sbml", str(sbml)]).exit_code == 0
    assert sbml.read_text(encoding="utf-8").startswith("<?xml")
    omex = tmp_path / "m.omex"
    result = runner.invoke(app, ["export", "--format", "omex", str(omex), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["format"] == "omex"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["simulate", "--set", "ALAS2.kcatt=1"], "did you mean ALAS2.kcat"),
        (["simulate", "--set", "ALAS2.kcat=-1"], "finite number >= 0"),
        (["simulate", "--set", "ALAS2.kcat=nan"], "finite number >= 0"),
        (["simulate", "--set", "ALAS2.kcat"], "expected NAME=VALUE"),
        (["simulate", "--until", "-5"], "--until -5.0: expected a finite time in hours > 0"),
        (["simulate", "--points", "1"], "--points 1: expected an integer from 2 to 100,000"),
        # CVODE fails at t = 0; SUNDIALS' own "[ERROR][rank 0]..." line must not precede ours
        (["simulate", "--set", "ALAS2.kcat=1e200"], "integration to 72.0 h failed"),
        (["export", "--format", "cellml", "x.xml"], "expected sbml or omex"),
    ],
)
def test_bad_input_exit_2_one_line_no_traceback(
    args: list[str], fragment: str, tmp_path: Path
) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hemesim.cli.main", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert fragment in lines[0]
