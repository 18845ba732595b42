"""``hemesim segregation``: JSON fields, the penetrance taken from the variant, PP1/BS4, and
bad input (exit 2, one line naming the option)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app, run

runner = CliRunner()

FAMILY = """\
#fid iid pid mid sex phen genotype proband
f gf 0 0 1 0 . 0
f gm 0 0 2 0 . 0
f uncle gf gm 1 2 A 0
f brother gf gm 1 1 N 0
f mother gf gm 2 1 NA 0
f dad 0 0 1 1 . 0
f son dad mother 1 2 A 1
f sister dad mother 2 1 . 0
"""


@pytest.fixture()
def family(tmp_path: Path) -> Path:
    path = tmp_path / "family.ped"
    path.write_text(FAMILY, encoding="utf-8")
    return path


def test_json_fields_with_given_penetrances(family: Path) -> None:
    args = ["segregation", str(family), "--variant", "c.1354C>T", "--json",
            "--penetrance-female-het", "0.0", "--phenocopy", "0",
            "--allele-frequency", "1e-3"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # hand-derived limit (tests/genetics/test_segregation.py): uncle A and brother N given the
    # proband, mother typed NA as well; neutral: P(uncle A, brother N | mother NA) = 1/2*1/2*1/2.
    # With q = 1e-3 and the CLI's mutation rates (1e-6) the limit 8 holds to about 1 %
    assert out["bayes_factor"] == pytest.approx(8.0, rel=0.01)
    assert out["log10_bayes_factor"] == pytest.approx(0.90309, rel=0.01)
    assert out["acmg"]["criterion"] == "PP1_Moderate"  # 8 >= 4.33 (Tavtigian 2018 odds)
    assert out["penetrance"]["female_heterozygous"] == 0.0
    assert out["penetrance"]["male_hemizygous"] == 1.0
    assert out["penetrance_from_variant"] is False
    assert "proband" in out["conditioning"]
    assert out["probands"] == [{"family": "f", "id": "son", "chosen_by": "proband column"}]
    assert out["variant"]["hgvs_p"] == "NP_000023.2:p.(Arg452Cys)"


def test_penetrance_from_the_variant_when_none_given(
    family: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wiring: the phenotype stage's number reaches genetics (the prediction itself is
    stubbed here; the slow test below runs it)."""
    import hemesim.cli.risk as cli_risk

    real = cli_risk.variant_penetrance
    calls = []

    def stub(hgvs: str, *, compute: bool = True, disease_given: bool = False) -> dict:
        calls.append(compute)
        info = real(hgvs, compute=False, disease_given=True)
        return {**info, "penetrance_female": 0.3, "source": "stub"}

    monkeypatch.setattr(cli_risk, "variant_penetrance", stub)
    result = runner.invoke(app, ["segregation", str(family), "--variant", "c.1354C>T", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert calls == [True]
    assert out["penetrance_from_variant"] is True
    assert out["penetrance"]["female_heterozygous"] == 0.3
    assert "predicted for c.1354C>T" in out["penetrance"]["source"]


@pytest.mark.slow
def test_penetrance_from_the_variant_predicted(family: Path) -> None:
    from hemesim.phenotype.penetrance import variant_penetrance

    expected = variant_penetrance("c.1354C>T")["penetrance_female"]
    result = runner.invoke(app, ["segregation", str(family), "--variant", "c.1354C>T", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["penetrance"]["female_heterozygous"] == pytest.approx(expected)


def test_table_output(family: Path) -> None:
    result = runner.invoke(
        app,
        ["segregation", str(family), "--variant", "c.1354C>T", "--penetrance-female-het", "0.1"],
    )
    assert result.exit_code == 0, result.output
    assert "Bayes factor" in result.output and "PP1" in result.output


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--penetrance-male", "1.5"], "--penetrance-male"),
        (["--penetrance-female-het", "-1"], "--penetrance-female-het"),
        (["--penetrance-female-hom", "2"], "--penetrance-female-hom"),
        (["--phenocopy", "nan"], "--phenocopy"),
        (["--allele-frequency", "3"], "--allele-frequency"),
        (["--proband", "nobody", "--penetrance-female-het", "0.1"], "--proband"),
        (["--variant", "c.9999C>T", "--penetrance-female-het", "0.1"], "--variant"),
        (["--variant", "R452", "--penetrance-female-het", "0.1"], "--variant"),
        (["--variant", "c.-50G>A"], "--variant"),  # effect uncertain: no predicted penetrance
    ],
)
def test_bad_input_exit_2_one_line(
    family: Path,
    args: list[str],
    option: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "--variant" not in args:
        args = [*args, "--variant", "c.1354C>T"]
    monkeypatch.setattr(sys, "argv", ["hemesim", "segregation", str(family), *args])
    with pytest.raises(SystemExit) as stop:
        run()
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: {option} ")


def test_bad_input_json_error(
    family: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys,
        "argv",
        ["hemesim", "segregation", str(family), "--variant", "c.1354C>T", "--phenocopy", "2",
         "--json"],
    )  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        run()
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert json.loads(captured.err)["option"] == "--phenocopy"
