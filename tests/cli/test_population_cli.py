"""``hemesim population``: JSON output, summary table, plot, reproducibility and bad input."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app, run

runner = CliRunner()
BASE = [
    "population",
    "--size",
    "20000",
    "--generations",
    "60",
    "--mu",
    "1e-3",
    "--fitness-male",
    "0",
    "--seed",
    "4",
]


def test_json_has_the_reported_fields_and_is_reproducible() -> None:
    first = runner.invoke(app, [*BASE, "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    for key in (
        "allele_frequency_male",
        "allele_frequency_female",
        "affected_male_new_mutation_fraction",
        "affected_male_to_female_ratio",
        "trajectory",
        "analytic",
        "provenance",
    ):
        assert key in data
    assert len(data["trajectory"]["generation"]) == 61
    assert data["provenance"]["seed"] == 4
    assert data["provenance"]["command"] == "hemesim population"
    assert data["analytic"]["leading_order"]["new_mutation_fraction"] == pytest.approx(1 / 3)
    second = json.loads(runner.invoke(app, [*BASE, "--json"]).output)
    assert second["trajectory"] == data["trajectory"]


def test_mu_male_and_female_options_reach_the_model() -> None:
    out = runner.invoke(
        app,
        [
            *BASE,
            "--mu-male",
            "2e-3",
            "--penetrance-female",
            "0.5",
            "--fitness-female-het",
            "0.25",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    params = json.loads(out.output)["parameters"]
    assert (params["mu_female"], params["mu_male"]) == (1e-3, 2e-3)
    assert (params["penetrance_female"], params["fitness_female_het"]) == (0.5, 0.25)


def test_table_and_plot(tmp_path) -> None:
    png = tmp_path / "traj.png"
    out = runner.invoke(app, [*BASE, "--plot", str(png)])
    assert out.exit_code == 0, out.output
    assert "simulated" in out.output and "affected men" in out.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--size", "1"], "--size"),
        (["--mu", "-1e-3"], "--mu"),
        (["--fitness-male", "-1"], "--fitness-male"),
        (["--penetrance-female", "1.5"], "--penetrance-female"),
        (["--generations", "0"], "--generations"),
        (["--plot", "/nonexistent-dir/x.png"], "--plot"),
        (["--plot", "out.txt"], "--plot"),
    ],
)
def test_bad_input_exit_2_one_line(monkeypatch, capsys, args, field) -> None:
    argv = list(BASE)
    for i in range(0, len(args), 2):
        if args[i] in argv:
            argv[argv.index(args[i]) + 1] = args[i + 1]
        else:
            argv += args[i : i + 2]
    monkeypatch.setattr(sys, "argv", ["hemesim", *argv])
    with pytest.raises(SystemExit) as info:
        run()
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {field} ") and "\n" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--size", "100000000000000000000"],
            "--size 100000000000000000000: expected an integer from 2 to 1,000,000,000,000",
        ),
        (["--generations", "10000000"], "--generations 10000000: expected an integer from 1 to"),
        (["--initial-frequency", "2"], "--initial-frequency 2.0: expected a number in [0, 1]"),
        (["--seed", "-1"], "--seed -1: expected a whole number >= 0"),
    ],
)
def test_bounds_and_messages_name_the_option(args: list[str], message: str) -> None:
    option, value = args
    argv = list(BASE)
    if option in argv:
        argv[argv.index(option) + 1] = value
    else:
        argv += args
    result = runner.invoke(app, argv)
    assert result.exit_code != 0
    text = str(result.exception)
    assert text.startswith(message)
    assert "or None" not in text and "\n" not in text


def test_extinction_advice_names_the_options_that_help() -> None:
    result = runner.invoke(app, [*BASE, "--initial-frequency", "1"])
    assert str(result.exception) == (
        "generation 1: every female is affected and has fitness 0, so no parent can be drawn "
        "(population extinct); raise --fitness-female-hom/--fitness-female-het above 0, or "
        "lower --initial-frequency or the mutation rates (--mu, --mu-male)"
    )


def test_json_trajectory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import hemesim.cli.population as population_cli

    assert population_cli.JSON_TRAJECTORY_ROWS == 10_001
    monkeypatch.setattr(population_cli, "JSON_TRAJECTORY_ROWS", 7)
    data = json.loads(runner.invoke(app, [*BASE, "--json"]).output)  # 60 generations
    assert data["trajectory"]["generation"] == [0, 10, 20, 30, 40, 50, 60]
    assert data["trajectory_step"] == 10
