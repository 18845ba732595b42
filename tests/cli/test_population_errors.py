"""``hemesim population`` at mutation rates where the leading-order balance leaves [0, 1].

The exact balance is now solved without a starting value (population_analytic), so inputs that
used to end in "no valid fixed point" run: either with the balance the recursion settles on, or,
when mutation outweighs selection, with no balance reported. The solver keeps a guard error;
if it is ever raised the CLI names ``--mu``, ``--mu-male``, ``--fitness-male`` ... with their
values instead of the model's API fields, in table and ``--json`` mode alike.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

import hemesim.genetics.population as population_module
from hemesim.cli.main import app, run
from hemesim.errors import HemesimError, SimulationError
from hemesim.genetics.population_analytic import deterministic_step
from hemesim.genetics.population_model import PopulationModel

runner = CliRunner()
BASE = ["population", "--size", "1000", "--generations", "10", "--seed", "1"]

#: internal phrasings and API field names a CLI user must not see
INTERNAL = (
    "no valid fixed point found for",
    "{'",
    "mu_female",
    "mu_male",
    "fitness_male",
    "fitness_female",
    "penetrance_female",
)


def test_mutation_outweighing_selection_runs_and_says_there_is_no_balance() -> None:
    # D = 2 - (1 + 0.9) > 0, but at mu = 0.1 the only fixed point is fixation (x = 1)
    args = [*BASE, "--mu", "0.1", "--fitness-male", "0.9"]
    data = json.loads(runner.invoke(app, [*args, "--json"]).output)
    analytic = data["analytic"]
    assert analytic["selected_against"] is True
    assert analytic["balance"] is False
    assert analytic["deterministic"] is None and analytic["leading_order"] is None
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "no mutation-selection balance below fixation" in " ".join(table.output.split())


@pytest.mark.parametrize(
    "args",
    [
        ["--mu", "0.5", "--fitness-male", "0"],  # leading order 3 mu = 1.5
        ["--mu", "0.01", "--fitness-male", "0.99", "--fitness-female-hom", "0.5"],  # gives 6
    ],
    ids=["lethal-mu-0.5", "mild-mu-0.01"],
)
def test_large_rates_report_the_balance_the_recursion_settles_on(args: list[str]) -> None:
    result = runner.invoke(app, [*BASE, *args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    det = data["analytic"]["deterministic"]
    params = data["parameters"]
    model = PopulationModel(
        size=params["size"],
        mu_female=params["mu_female"],
        mu_male=params["mu_male"],
        fitness_male=params["fitness_male"],
        fitness_female_het=params["fitness_female_het"],
        penetrance_female=params["penetrance_female"],
        fitness_female_hom=params["fitness_female_hom"],
    )
    state = np.zeros(3)
    for _ in range(20_000):  # the infinite-population recursion from an empty population
        state = deterministic_step(state, model)[0]
    assert det["affected_male_frequency"] == pytest.approx(state[0], rel=1e-9)
    assert det["heterozygous_female_frequency"] == pytest.approx(state[1], rel=1e-9)
    assert data["analytic"]["balance"] is True


def _raise_guard(model: PopulationModel) -> None:
    raise SimulationError(
        f"deterministic equilibrium: no valid fixed point found for {model.to_dict()}"
    )


GUARD_ARGS = ["--mu", "0.01", "--mu-male", "0.02", "--fitness-male", "0.5"]
GUARD_MESSAGE = (
    "--mu 0.01 and --mu-male 0.02 with --fitness-male 0.5 (--fitness-female-het 1, "
    "--penetrance-female 0, --fitness-female-hom 0.5): no valid deterministic "
    "mutation-selection equilibrium found; lower --mu/--mu-male or --fitness-male"
)


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
@pytest.mark.parametrize("start", [[], ["--initial-frequency", "0.1"]], ids=["at-eq", "given"])
def test_solver_guard_error_names_the_options(
    monkeypatch: pytest.MonkeyPatch, json_flag: list[str], start: list[str]
) -> None:
    monkeypatch.setattr(population_module, "deterministic_equilibrium", _raise_guard)
    result = runner.invoke(app, [*BASE, *GUARD_ARGS, *start, *json_flag])
    assert result.exit_code != 0
    assert isinstance(result.exception, HemesimError), result.output
    message = str(result.exception)
    assert message == GUARD_MESSAGE
    assert not any(phrase in message for phrase in INTERNAL), message
    assert result.stdout == ""  # no summary, no partial JSON


def test_solver_guard_error_is_one_line_exit_2_from_the_entry_point(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(population_module, "deterministic_equilibrium", _raise_guard)
    monkeypatch.setattr(sys, "argv", ["hemesim", *BASE, *GUARD_ARGS, "--json"])
    with pytest.raises(SystemExit) as info:
        run()
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    # with --json the error is one JSON object on stderr (hemesim.cli._common)
    assert json.loads(err) == {"error": GUARD_MESSAGE, "code": 2, "option": "--mu"}
    assert err.count("\n") == 1 and "Traceback" not in err
    # lethal: only the rates can be lowered
    monkeypatch.setattr(sys, "argv", ["hemesim", *BASE, "--mu", "0.5", "--fitness-male", "0"])
    with pytest.raises(SystemExit):
        run()
    assert capsys.readouterr().err.endswith(
        "no valid deterministic mutation-selection equilibrium found; lower --mu/--mu-male\n"
    )
