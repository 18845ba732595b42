"""``hemesim demo`` (the README's first command) runs offline and reports what the API computes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app


def test_demo_writes_its_files_and_matches_the_api(tmp_path: Path) -> None:
    from hemesim.simulate import load_model

    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for path in data["files"]:
        assert Path(path).stat().st_size > 500, path
    normal = load_model("erythroid").simulate().readouts
    assert data["normal"]["mch_pg"] == pytest.approx(normal["mch_pg"], rel=1e-9)
    from hemesim.phenotype.predict import predict

    assert data["xlsa_male"]["disease"] == "XLSA"
    assert data["xlp_male"]["disease"] == predict("c.1706_1709del", sex="male").disease
    assert data["xlp_male"]["people_like_this"]["call_shares"]["XLP"] > 0.0
    from hemesim.phenotype.penetrance import penetrance

    # one female penetrance: the demo shows the number of `hemesim penetrance` (default seed)
    assert data["female"]["xlsa_penetrance"] == penetrance("p.Arg452Cys").penetrance
    mother = next(m for m in data["family"]["individuals"] if m["id"] == "mother")
    assert 0.5 < mother["p_carrier"] < 1.0


def test_demo_table_mentions_every_step(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    # clinical names with units, flags against the men's ranges, factors in words
    assert "Haemoglobin (g/dL)" in out and "13.0-16.9" in out
    assert re.search(r"\d L\b", out) and re.search(r"\d H\b", out)  # XLSA low, XLP high
    assert "turnover (kcat) ×0.45" in out and "_factor" not in out and "hb_g_dl" not in out
    for heading in (
        "1. A healthy man",
        "2. Two ALAS2 variants",
        "3. Heterozygous women",
        "4. A family",
    ):
        assert heading in result.stdout
