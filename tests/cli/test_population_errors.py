"""``hemesim population``: a mutation-selection balance that cannot be solved names the options.

hemesim.genetics.population_analytic reports it with the model's API fields (``mu_female``,
``fitness_male`` ... in a dict); the CLI names ``--mu``, ``--mu-male``, ``--fitness-male`` ...
with their values and says which to lower, in table and ``--json`` mode alike. The balance is
solved before the run (start at equilibrium) or, with ``--initial-frequency``, after it.
"""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app, run
from hemesim.errors import HemesimError

runner = CliRunner()

#: internal phrasings and API field names a CLI user must not see
INTERNAL = (
    "mutation rates (",
    "no valid fixed point found for",
    "{'",
    "mu_female",
    "mu_male",
    "fitness_male",
    "fitness_female",
    "penetrance_female",
)

CASES = [
    (
        ["--mu", "0.1", "--mu-male", "0.1", "--fitness-male", "0.9"],
        "--mu 0.1 and --mu-male 0.1 with --fitness-male 0.9 (--fitness-female-het 1, "
        "--penetrance-female 0, --fitness-female-hom 0.9): no valid deterministic "
        "mutation-selection equilibrium found; lower --mu/--mu-male or --fitness-male",
    ),
    (  # --fitness-male 0 is already the strongest selection: only the rates can be lowered
        ["--mu", "0.5", "--fitness-male", "0"],
        "--mu 0.5 and --mu-male 0.5 with --fitness-male 0 (--fitness-female-het 1, "
        "--penetrance-female 0, --fitness-female-hom 0): no valid deterministic "
        "mutation-selection equilibrium found; lower --mu/--mu-male",
    ),
    (  # solved after the run, for the summary
        [
            "--mu",
            "0.01",
            "--fitness-male",
            "0.99",
            "--fitness-female-hom",
            "0.5",
            "--initial-frequency",
            "0.1",
        ],
        "--mu 0.01 and --mu-male 0.01 with --fitness-male 0.99 (--fitness-female-het 1, "
        "--penetrance-female 0, --fitness-female-hom 0.5): no valid deterministic "
        "mutation-selection equilibrium found; lower --mu/--mu-male or --fitness-male",
    ),
]
CASE_IDS = ["before-run", "lethal", "after-run"]
BASE = ["population", "--size", "1000", "--generations", "10", "--seed", "1"]


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
@pytest.mark.parametrize(("args", "expected"), CASES, ids=CASE_IDS)
def test_no_equilibrium_names_the_options_via_cli_runner(
    args: list[str], expected: str, json_flag: list[str]
) -> None:
    result = runner.invoke(app, [*BASE, *args, *json_flag])
    assert result.exit_code != 0
    assert isinstance(result.exception, HemesimError), result.output
    message = str(result.exception)
    assert message == expected
    assert not any(phrase in message for phrase in INTERNAL), message
    assert result.stdout == ""  # no summary, no partial JSON


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
@pytest.mark.parametrize(("args", "expected"), CASES, ids=CASE_IDS)
def test_no_equilibrium_is_one_line_exit_2_from_the_entry_point(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
    json_flag: list[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["hemesim", *BASE, *args, *json_flag])
    with pytest.raises(SystemExit) as info:
        run()
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: {expected}\n"
    assert "Traceback" not in err
