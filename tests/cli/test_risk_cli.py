"""``hemesim risk``: JSON and table output, SVG, documented errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hemesim
from hemesim.cli.main import app

EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
runner = CliRunner()


def test_json_output_has_documented_fields() -> None:
    result = runner.invoke(app, ["risk", str(EXAMPLES / "isolated_case.ped"), "--json",
                                 "--fitness-male", "0", "--penetrance-female", "0"])  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"log_likelihood", "individuals", "provenance"} <= set(out)
    mother = next(m for m in out["individuals"] if m["id"] == "mother")
    # Haldane: mother of an isolated case of a lethal X-linked disorder, 2/3 (science.md s5)
    assert mother["p_carrier"] == pytest.approx(2 / 3, abs=1e-5)
    assert set(mother["genotype_posterior"]) == {"NN", "NA", "AA"}
    assert "p_affected_son" in mother and "p_carrier_daughter" in mother
    son = next(m for m in out["individuals"] if m["id"] == "son")
    assert son["sex"] == "male" and son["p_carrier"] == pytest.approx(1.0)
    assert out["provenance"]["parameters"]["fitness_male"] == 0.0


def test_options_change_the_answer() -> None:
    args = ["risk", str(EXAMPLES / "manifesting_heterozygote.ped"), "--json"]
    low = json.loads(runner.invoke(app, [*args, "--disease", "xlsa"]).output)
    high = json.loads(runner.invoke(app, [*args, "--disease", "xlp"]).output)
    assert low["log_likelihood"] != high["log_likelihood"]
    q = json.loads(runner.invoke(app, [*args, "--allele-frequency", "0.01"]).output)
    assert q["provenance"]["parameters"]["allele_frequency"] == 0.01


def test_table_and_svg(tmp_path: Path) -> None:
    svg = tmp_path / "fam.svg"
    result = runner.invoke(app, ["risk", str(EXAMPLES / "xlsa_family.ped"), "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    assert "III-1" in result.output and "log-likelihood" in result.output
    assert svg.read_text(encoding="utf-8").startswith("<svg")


def test_reads_pedigreejs_json(tmp_path: Path) -> None:
    from hemesim.genetics.ped import read_ped
    from hemesim.genetics.pedigreejs import write_pedigreejs

    path = tmp_path / "fam.json"
    write_pedigreejs(read_ped(EXAMPLES / "isolated_case.ped"), path)
    result = runner.invoke(app, ["risk", str(path), "--json"])
    assert result.exit_code == 0 and len(json.loads(result.output)["individuals"]) == 3


@pytest.mark.parametrize(
    ("name", "extra", "fragment"),
    [
        ("invalid_father_female.ped", [], "a father must be male"),
        ("invalid_own_ancestor.ped", [], "own ancestor"),
        ("invalid_missing_parent.ped", [], "is not in family"),
        ("invalid_duplicate_id.ped", [], "duplicate id"),
        ("invalid_one_parent.ped", [], "give both parents or neither"),
        ("invalid_impossible.ped", ["--mu-female", "0", "--mu-male", "0"], "likelihood 0"),
        ("isolated_case.ped", ["--disease", "dmd"], "disease 'dmd'"),
        ("isolated_case.ped", ["--penetrance-female", "2"], "--penetrance-female 2.0"),
        ("no_such_file.ped", [], "not found"),
    ],
)
def test_bad_input_is_one_line_exit_2(name: str, extra: list[str], fragment: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hemesim.cli.main", "risk", str(EXAMPLES / name), *extra],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0]
    assert "Traceback" not in proc.stderr


def test_risk_with_a_variant_of_uncertain_effect_needs_the_users_numbers() -> None:
    """c.-50C>G has no quantified effect: the penetrance cannot be predicted, and the message
    names the options that supply it; with them the risk is computed."""
    from hemesim.cli.main import app as cli_app

    ped = str(EXAMPLES / "isolated_case.ped")
    refused = runner.invoke(cli_app, ["risk", ped, "--variant", "c.-50C>G"])
    assert refused.exit_code != 0
    assert "give --penetrance-female P and --disease" in str(refused.exception)
    given = runner.invoke(
        cli_app,
        ["risk", ped, "--variant", "c.-50C>G", "--penetrance-female", "0.3", "--disease",
         "xlsa", "--json"],
    )  # fmt: skip
    assert given.exit_code == 0, given.output
    data = json.loads(given.stdout)
    assert data["variant"]["effect_class"] == "uncertain"
    assert data["variant"]["penetrance_female"] is None
