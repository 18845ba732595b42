"""``hemesim variant``: the ACMG/AMP classification in JSON and text, figures given as options,
the family's Bayes factor folded in with --ped, and bad options (exit 2 naming the option)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app, run

runner = CliRunner()


def test_json_has_the_classification() -> None:
    result = runner.invoke(app, ["variant", "p.Lys100*", "--json", "--allele-frequency", "0"])
    assert result.exit_code == 0, result.output
    cls = json.loads(result.output)["classification"]
    assert cls["disease"] == "XLSA"
    # PVS1 (8) + PM2_Supporting (1) = 9: Likely pathogenic (Tavtigian 2020, 6-9)
    assert cls["points"] == 9 and cls["class"] == "Likely pathogenic"
    assert cls["met"] == ["PVS1", "PM2_Supporting"]


def test_text_shows_class_and_criteria() -> None:
    result = runner.invoke(app, ["variant", "c.1218G>T"])
    assert result.exit_code == 0, result.output
    assert "ACMG/AMP: Uncertain significance" in result.output
    assert "PS3_Supporting" in result.output
    assert "not evaluated" in result.output


def test_ped_folds_the_bayes_factor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hemesim.cli.risk as cli_risk

    real = cli_risk.variant_penetrance
    monkeypatch.setattr(  # the penetrance prediction is tested in test_segregation_cli.py
        cli_risk,
        "variant_penetrance",
        lambda hgvs, **kw: {**real(hgvs, compute=False), "penetrance_female": 0.1, "source": "s"},
    )
    ped = tmp_path / "fam.ped"
    ped.write_text(
        "#fid iid pid mid sex phen genotype proband\n"
        "f gf 0 0 1 0 . 0\nf gm 0 0 2 0 . 0\nf uncle gf gm 1 2 A 0\n"
        "f brother gf gm 1 1 N 0\nf mother gf gm 2 1 . 0\nf dad 0 0 1 1 . 0\n"
        "f son dad mother 1 2 A 1\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["variant", "p.Lys100*", "--json", "--ped", str(ped)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["segregation"]["bayes_factor"] > 4.33
    assert any(label.startswith("PP1") for label in out["classification"]["met"])


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--de-novo", "maybe"], "--de-novo"),
        (["--allele-frequency", "2"], "--allele-frequency"),
    ],
)
def test_bad_options_exit_2(
    args: list[str],
    option: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["hemesim", "variant", "p.Lys100*", *args])
    with pytest.raises(SystemExit) as stop:
        run()
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {option} ")
