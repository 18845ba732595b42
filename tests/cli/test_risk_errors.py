"""``hemesim risk`` errors name the CLI option the user typed, never the Python API keyword.

The genetics layer reports ``penetrance_female``, ``mu_female`` ... (its own keywords); the CLI
renames them to ``--penetrance-female``, ``--mu-female`` ... The single-option cases run the
real console entry point in a subprocess: one ``error:`` line on stderr, exit code 2, no
traceback. The messages about several options at once (equilibrium founder prior, likelihood-0
pedigree) run through typer's CliRunner and through ``run()`` in table and ``--json`` mode.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hemesim
from hemesim.cli.main import app, run
from hemesim.cli.risk import FIELD_TO_OPTION, _as_option_error
from hemesim.errors import HemesimError, PedigreeError, VariantError

EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"

#: how the API spells the fields; none of these may reach a CLI user
API_NAMES = (
    "penetrance_female",
    "penetrance_male",
    "mu_female",
    "mu_male",
    "fitness_male",
    "allele_frequency",
    "allele frequency",
    "mutation rates (",
)


def _run_risk(ped: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hemesim.cli.main", "risk", str(EXAMPLES / ped), *args],
        capture_output=True,
        text=True,
    )


def _one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("ped", "args", "expected"),
    [
        (
            "isolated_case.ped",
            ["--penetrance-female", "2"],
            "error: --penetrance-female 2.0: must be a probability in [0, 1]",
        ),
        (
            "xlsa_family.ped",
            ["--penetrance-female", "-0.1"],
            "error: --penetrance-female -0.1: must be a probability in [0, 1]",
        ),
        (
            "manifesting_heterozygote.ped",
            ["--penetrance-female", "nan"],
            "error: --penetrance-female nan: must be a probability in [0, 1]",
        ),
        (
            "isolated_case.ped",
            ["--mu-female", "-1e-6"],
            "error: --mu-female -1e-06: must be a number in [0, 0.1]",
        ),
        (
            "xlsa_family.ped",
            ["--mu-male", "-0.5"],
            "error: --mu-male -0.5: must be a number in [0, 0.1]",
        ),
        (
            "xlsa_family.ped",
            ["--mu-male", "0.5"],
            "error: --mu-male 0.5: must be a number in [0, 0.1]",
        ),
        (
            "isolated_case.ped",
            ["--fitness-male", "1"],
            "error: --fitness-male 1.0: must be a number in [0, 1.0)",
        ),
        (
            "consanguineous.ped",
            ["--fitness-male", "-0.1"],
            "error: --fitness-male -0.1: must be a number in [0, 1.0)",
        ),
        (
            "isolated_case.ped",
            ["--allele-frequency", "1.5"],
            "error: --allele-frequency 1.5: must be a number in [0, 1.0]",
        ),
        # with --allele-frequency the rates are checked by the model, not the equilibrium prior
        (
            "double_first_cousins.ped",
            ["--allele-frequency", "0.01", "--mu-female", "-1"],
            "error: --mu-female -1.0: must be a mutation rate in [0, 0.1]",
        ),
        (
            "isolated_case.ped",
            ["--disease", "dmd"],
            "error: --disease 'dmd': expected one of xlp, xlsa",
        ),
    ],
)
def test_bad_option_names_the_cli_option(ped: str, args: list[str], expected: str) -> None:
    line = _one_error_line(_run_risk(ped, *args))
    assert line == expected
    assert not any(name in line for name in API_NAMES), line


def test_json_mode_reports_the_same_error_as_one_json_object() -> None:
    proc = _run_risk("isolated_case.ped", "--json", "--penetrance-female", "1.5")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    error = json.loads(proc.stderr)
    assert error["error"].startswith("--penetrance-female 1.5:")
    assert error["code"] == 2 and error["option"] == "--penetrance-female"


def test_equilibrium_out_of_range_names_all_three_options_and_the_way_out() -> None:
    args = ["--mu-female", "0.1", "--mu-male", "0.1", "--fitness-male", "0.9"]
    line = _one_error_line(_run_risk("isolated_case.ped", *args))
    assert line.startswith("error: --mu-female 0.1, --mu-male 0.1 with --fitness-male 0.9: ")
    assert "too large" in line and "give --allele-frequency" in line
    assert not any(name in line for name in API_NAMES), line


@pytest.mark.parametrize(
    ("args", "prefix"),
    [
        (["--variant", "garbage"], "error: --variant 'garbage': "),
        (["--variant", "c.9999999A>G"], "error: --variant 'c.9999999A>G': "),
        (["--variant", ""], "error: --variant is empty; expected e.g. "),
    ],
)
def test_bad_variant_names_the_option(args: list[str], prefix: str) -> None:
    line = _one_error_line(_run_risk("isolated_case.ped", *args))
    assert line.startswith(prefix), line


def test_option_errors_come_before_reading_the_pedigree() -> None:
    proc = _run_risk("no_such_file.ped", "--mu-male", "2")
    assert _one_error_line(proc) == "error: --mu-male 2.0: must be a number in [0, 0.1]"


def test_pedigree_errors_keep_their_wording() -> None:
    """Only the options are renamed; file and pedigree messages pass through unchanged."""
    line = _one_error_line(_run_risk("invalid_duplicate_id.ped"))
    assert "duplicate id" in line and "--" not in line


def test_rename_keeps_the_error_class_and_leaves_other_messages_alone() -> None:
    renamed = _as_option_error(VariantError("variant 'x': not a c./p. description"))
    assert isinstance(renamed, VariantError)
    assert str(renamed) == "--variant 'x': not a c./p. description"
    other = PedigreeError("pedigree: no individuals; expected at least one PED line")
    assert _as_option_error(other) is other
    # a word that merely starts like a field is not renamed
    files = VariantError("variants file 'x.txt' cannot be read")
    assert _as_option_error(files) is files
    assert all(option.startswith("--") for option in FIELD_TO_OPTION.values())


# --- messages about several options at once, through typer's CliRunner and the entry point ---

runner = CliRunner()

#: internal phrasings of hemesim.genetics (priors, peeling) that a CLI user must not see
INTERNAL = ("mutation rates (", "mutation rates and penetrance")

#: small pedigrees whose observations have likelihood 0 under the model
IMPOSSIBLE_PEDS = {
    # presets have male penetrance 1: an unaffected man cannot carry A (test is perfect)
    "unaffected_positive_man.ped": (
        "#fid iid pid mid sex phen carrier_test sensitivity specificity\n"
        "f man 0 0 1 1 positive 1.0 1.0\n"
    ),
    # with --allele-frequency 0 no founder carries A, and phenocopies are 0
    "affected_founder_woman.ped": "#fid iid pid mid sex phen\nf mum 0 0 2 2\n",
}
PENETRANCE = "the penetrance set by --disease, --penetrance-female or --variant"
IMPOSSIBLE_CASES = [
    (
        str(EXAMPLES / "isolated_case.ped"),
        ["--mu-female", "0.1", "--mu-male", "0.1", "--fitness-male", "0.9"],
        "--mu-female 0.1, --mu-male 0.1 with --fitness-male 0.9: equilibrium frequency 3 is too "
        "large for a first-order approximation; lower --mu-female/--mu-male or --fitness-male, "
        "or give --allele-frequency",
    ),
    (
        str(EXAMPLES / "invalid_impossible.ped"),
        ["--mu-female", "0", "--mu-male", "0"],
        "observations impossible under the model (likelihood 0) involving individuals 'mum', "
        "'son'; check their phenotypes, carrier tests and genotypes against --mu-female 0, "
        f"--mu-male 0 and {PENETRANCE}",
    ),
    (
        "unaffected_positive_man.ped",
        [],
        "observations impossible under the model (likelihood 0) involving individuals 'man'; "
        "check their phenotypes, carrier tests and genotypes against --mu-female 1e-06, "
        f"--mu-male 1e-06 and {PENETRANCE}",
    ),
    (
        "affected_founder_woman.ped",
        ["--allele-frequency", "0"],
        "observations impossible under the model (likelihood 0) involving individuals 'mum'; "
        "check their phenotypes, carrier tests and genotypes against --mu-female 1e-06, "
        f"--mu-male 1e-06, --allele-frequency 0 and {PENETRANCE}",
    ),
]
CASE_IDS = ["equilibrium", "mu-zero", "male-penetrance", "allele-frequency-zero"]


def _ped_path(name: str, tmp_path: Path) -> str:
    if name in IMPOSSIBLE_PEDS:
        path = tmp_path / name
        path.write_text(IMPOSSIBLE_PEDS[name], encoding="utf-8")
        return str(path)
    return name


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
@pytest.mark.parametrize(("ped", "args", "expected"), IMPOSSIBLE_CASES, ids=CASE_IDS)
def test_model_errors_name_the_options_via_cli_runner(
    tmp_path: Path, ped: str, args: list[str], expected: str, json_flag: list[str]
) -> None:
    result = runner.invoke(app, ["risk", _ped_path(ped, tmp_path), *args, *json_flag])
    assert result.exit_code != 0
    assert isinstance(result.exception, HemesimError), result.output
    message = str(result.exception)
    assert message == expected
    assert not any(phrase in message for phrase in INTERNAL), message
    assert not any(name in message for name in API_NAMES), message
    assert result.stdout == ""  # no table, no partial JSON


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
@pytest.mark.parametrize(("ped", "args", "expected"), IMPOSSIBLE_CASES, ids=CASE_IDS)
def test_model_errors_are_one_line_exit_2_from_the_entry_point(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    ped: str,
    args: list[str],
    expected: str,
    json_flag: list[str],
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["hemesim", "risk", _ped_path(ped, tmp_path), *args, *json_flag]
    )
    with pytest.raises(SystemExit) as info:
        run()
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    if json_flag:  # one JSON object on stderr (hemesim.cli._common)
        option = "--mu-female" if expected.startswith("--mu-female") else None
        assert json.loads(err) == {"error": expected, "code": 2, "option": option}
        assert err.count("\n") == 1
    else:
        assert err == f"error: {expected}\n"
    assert "Traceback" not in err
