"""CLI: hemesim variant / variants."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()


def test_variant_json_contract() -> None:
    result = runner.invoke(app, ["variant", "NM_000032.5:c.1706_1709del", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "input",
        "hgvs_c",
        "hgvs_p",
        "consequence",
        "domain",
        "known",
        "effect",
        "reference_check",
        "provenance",
    ):
        assert key in data
    assert set(data["effect"]) >= {"class", "parameters", "rationale", "source"}
    assert data["effect"]["class"] == "gain_of_function"
    assert data["known"]["phenotype"] == "XLP"


def test_variant_table_output() -> None:
    result = runner.invoke(app, ["variant", "R452H"])
    assert result.exit_code == 0
    assert "missense variant" in result.output and "loss of function" in result.output


def test_bad_variant_exits_2_with_one_line(tmp_path: Path) -> None:
    code = (
        "from hemesim.cli.main import run; import sys; "
        "sys.argv = ['hemesim', 'variant', 'K452H']; run()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Arg" in lines[0]


def test_variants_file_csv_and_json(tmp_path: Path) -> None:
    f = tmp_path / "v.txt"
    f.write_text("c.1642C>T\nnot-a-variant\np.Glu569Glyfs*24\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["variants", str(f), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("line,input,hgvs_c")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    result = runner.invoke(app, ["variants", str(f), "--json"])
    data = json.loads(result.output)
    assert data["n"] == 3 and data["n_errors"] == 1
    assert data["rows"][1]["line"] == 2 and "error" in data["rows"][1]
