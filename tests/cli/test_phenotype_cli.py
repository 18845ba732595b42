"""CLI: ``hemesim penetrance`` and ``hemesim validate``, plus helpers for ``hemesim variant``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()


def test_penetrance_json_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "pen.png"
    result = runner.invoke(
        app, ["penetrance", "c.1354C>T", "--json", "--plot", str(png), "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert 0.0 <= data["penetrance"] <= 1.0
    assert data["monte_carlo"]["seed"] == 3
    assert data["provenance"]["software"] == "hemesim"
    assert png.exists() and png.stat().st_size > 1000


def test_penetrance_text() -> None:
    result = runner.invoke(app, ["penetrance", "c.1706_1709del", "--age", "65"])
    assert result.exit_code == 0, result.output
    assert "penetrance" in result.output and "65 y" in result.output
    # probabilities as percentages, the X-inactivation range in words
    assert re.search(r"penetrance\s+\d+\.\d % of heterozygous women at 65 years", result.output)
    assert re.search(
        r"affected when\s+(\d+-\d+ % of|at no share of) erythroid cells express", result.output
    )
    assert not re.search(r"0\.\d{4}", result.output)  # no bare 4-decimal fraction


def test_validate_json_and_report(tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    result = runner.invoke(app, ["validate", "--json", "--report", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"passed", "counts", "rows"} <= set(data)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_phenotype_json_and_plot_helpers(tmp_path: Path) -> None:
    from hemesim.cli.phenotype import phenotype_json, plot_prediction
    from hemesim.phenotype.predict import predict

    d = phenotype_json("c.1354C>T", "female", None, "pyridoxine")
    assert d["sex"] == "female" and d["penetrance"] is not None and d["quantiles"]
    assert d["treatment_response"]["treatment"] == "pyridoxine"
    json.dumps(d)
    path = plot_prediction(predict("c.1706_1709del", "male"), tmp_path / "p.png")
    assert path.exists()


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from hemesim.cli.main import run; run()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_bad_input_exits_2_with_one_line() -> None:
    bad_plot = _run_cli("penetrance", "c.1354C>T", "--plot", "/no/such/dir/x.png")
    assert bad_plot.returncode == 2
    assert bad_plot.stderr.startswith("error:") and bad_plot.stderr.count("\n") == 1
    bad_treat = _run_cli("penetrance", "c.1354C>T", "--treat", "magic")
    assert bad_treat.returncode == 2 and bad_treat.stderr.startswith("error: --treat 'magic':")
    bad_report = _run_cli("validate", "--report", "/no/such/dir/v.html")
    assert bad_report.returncode == 2
