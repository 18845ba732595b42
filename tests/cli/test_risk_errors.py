"""``hemesim risk`` errors name the CLI option the user typed, never the Python API keyword.

The genetics layer reports ``penetrance_female``, ``mu_female`` ... (its own keywords); the CLI
renames them to ``--penetrance-female``, ``--mu-female`` ... Every case runs the real console
entry point in a subprocess: one ``error:`` line on stderr, exit code 2, no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import hemesim
from hemesim.cli.risk import FIELD_TO_OPTION, _as_option_error
from hemesim.errors import PedigreeError, VariantError

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


def test_json_mode_reports_the_same_one_line_error() -> None:
    proc = _run_risk("isolated_case.ped", "--json", "--penetrance-female", "1.5")
    line = _one_error_line(proc)
    assert line.startswith("error: --penetrance-female 1.5:")
    assert proc.stdout == ""


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
