"""Text output a person reads: clinical names, units, reference ranges and flags; anaemia grade
and iron overload; --help without <bool> and with what text options take; progress on stderr;
the hint for an unquoted '>'; no identifier (``kcat_factor``, ``param:``) in any command's text."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hemesim.cli._common import check_hgvs_quoting
from hemesim.cli._words import factor_text, name_readouts_in, percent
from hemesim.cli.main import app, run
from hemesim.errors import HemesimError

runner = CliRunner()
XLSA = "p.Arg452Cys"  # Cotter et al., Blood 1999;93:1757
XLP = "c.1706_1709del"  # Whatley et al., AJHG 2008;83:408
EXAMPLES = Path(__file__).parents[2] / "src" / "hemesim" / "genetics" / "examples"
# a snake_case word that is not part of a file name or path (those keep their underscores)
SNAKE = re.compile(r"(?<![/.\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.[A-Za-z])")


def test_variant_text_shows_names_units_ranges_flags_anaemia_and_iron() -> None:
    result = runner.invoke(app, ["variant", XLSA, "--sex", "male"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "hb_g_dl" not in out and "mcv_fl" not in out  # identifiers stay in --json
    hb = next(line for line in out.splitlines() if "Haemoglobin" in line)
    # the man's Hb is predicted below the men's interval (Rosenfeld 2019: 13.0-16.9 g/dL)
    assert "g/dL" in hb and "13.0-16.9" in hb and "L low" in hb
    assert re.search(r"Haemoglobin\s*│\s*\d+\.\d\s*│", out)  # one decimal
    assert re.search(r"Anaemia grade: (mild|moderate|severe) anaemia \(Hb \d+\.\d g/dL", out)
    assert "Iron overload: ferritin" in out and "µg/L" in out
    assert "Disease call: XLSA" in out


def test_json_output_keeps_identifiers() -> None:
    result = runner.invoke(app, ["variant", XLSA, "--sex", "male", "--json"])
    data = json.loads(result.stdout)
    assert "hb_g_dl" in data["phenotype"]
    assert data["severity"]["iron_overload"]["years_to_overload"] is not None


def test_help_shows_no_bool_type_for_flags() -> None:
    group = typer.main.get_command(app)
    for args in [[], *([name] for name in group.commands)]:  # type: ignore[attr-defined]
        result = runner.invoke(app, [*args, "--help"], terminal_width=120)
        assert result.exit_code == 0, args
        assert "<bool>" not in result.stdout, args
    help_text = runner.invoke(app, ["variant", "--help"], terminal_width=120).stdout
    assert "<float>" in help_text and "<path>" in help_text  # values keep their types


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["variant", "c.1354C"], "'c.1354C>T'"),
        (["variant", "NM_000032.5:c.1706A", "--sex", "male"], "'NM_000032.5:c.1706A>T'"),
        (["cohort", "--variant", "c.1354C", "--n", "10"], "'c.1354C>T'"),
        (["penetrance", "c.-50G"], "'c.-50G>T'"),
    ],
)
def test_unquoted_substitution_gets_a_quoting_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], shown: str
) -> None:
    """In a shell, c.1354C>T unquoted reaches hemesim as c.1354C (">T" redirects stdout)."""
    code, out, err = _run_main(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert f"quote the HGVS string: {shown}" in err


def test_quoting_hint_with_json_is_one_json_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run_main(monkeypatch, capsys, "variant", "c.1354C", "--json")
    assert code == 2 and out == ""
    payload = json.loads(err)
    assert "quote the HGVS string: 'c.1354C>T'" in payload["error"] and payload["code"] == 2


def _run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the console entry point in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["hemesim", *args])
    with pytest.raises(SystemExit) as exited:
        run()
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a busy shared machine
@given(
    st.integers(1, 2000),
    st.sampled_from("ACGT"),
    st.sampled_from("ACGT"),
    st.sampled_from(["", "NM_000032.5:"]),
)
def test_whole_substitutions_pass_and_cut_ones_are_refused(
    pos: int, ref: str, alt: str, prefix: str
) -> None:
    whole = f"{prefix}c.{pos}{ref}>{alt}"
    assert check_hgvs_quoting(whole) == whole
    for fine in (f"c.{pos}del", f"c.{pos}_{pos + 3}del", "p.Arg452Cys", "R452C", f"c.{pos}dup"):
        assert check_hgvs_quoting(fine) == fine
    with pytest.raises(HemesimError, match="quote the HGVS string"):
        check_hgvs_quoting(f"{prefix}c.{pos}{ref}")


def test_progress_is_drawn_on_stderr_when_forced(tmp_path: Path) -> None:
    """HEMESIM_PROGRESS=1 draws the rich bar even without a terminal; unset, a pipe gets none."""
    lines = tmp_path / "variants.txt"
    lines.write_text("p.Arg452Cys\nc.1706_1709del\n", encoding="utf-8")
    forced = runner.invoke(app, ["variants", str(lines)], env={"HEMESIM_PROGRESS": "1"})
    assert forced.exit_code == 0, forced.output
    assert "interpreting" in forced.stderr
    assert "interpreting" not in forced.stdout  # stdout holds only the result
    quiet = runner.invoke(app, ["variants", str(lines)], env={"HEMESIM_PROGRESS": ""})
    assert quiet.exit_code == 0
    assert "interpreting" not in quiet.stderr


# ------------------------------------------------------------------ every command's text output


def _identifiers(text: str) -> set[str]:
    return set(SNAKE.findall(text))


@pytest.fixture(scope="module")
def variant_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lists") / "variants.txt"
    path.write_text(f"{XLSA}\n{XLP}\n", encoding="utf-8")
    return path


COMMANDS = {
    "variant": (["variant", XLP], [r"turnover \(kcat\) ×4\.66", r"gain of function"]),
    "variants": (["variants", "{list}"], [r"Km\(glycine\)\s+×1\.33", r"loss of function"]),
    "risk": (
        ["risk", str(EXAMPLES / "xlsa_family.ped")],
        [r"next son", r"\b50\.0 %", r"NA 100\.0 %"],
    ),
    "simulate": (
        ["simulate", "--set", "ALAS2.kcat=20"],
        [r"Haemoglobin\s*│\s*\d+\.\d\s*│\s*g/dL\s*│\s*13\.0-16\.9\s*│\s*L low"],
    ),
    "population": (
        ["population", "--size", "2000", "--generations", "20", "--mu", "1e-4"]
        + ["--fitness-male", "0", "--seed", "1"],
        [r"affected men with a", r"\d %", r"N = 2,000"],
    ),
    "cohort": (
        ["cohort", "--variant", XLSA, "--sex", "male", "--n", "40", "--seed", "1"],
        [r"Haemoglobin \(g/dL\)", r"13\.0-16\.9\s*│\s*\d+ %", r"L / H: share of people"],
    ),
    "segregation": (
        ["segregation", str(EXAMPLES / "cosegregation.ped"), "--variant", XLSA]
        + ["--penetrance-female-het", "0.5"],
        [r"Bayes factor", r"heterozygous women 50\.0 %", r"loss of function"],
    ),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_text_output_of_every_command_is_words_rounded_and_flagged(
    name: str, variant_list: Path
) -> None:
    """No identifier (``kcat_factor``, ``loss_of_function``, ``hb_g_dl``) and no ``param:`` row
    in the text of a command (``--json`` keeps them); the rows a person reads are there."""
    args, wanted = COMMANDS[name]
    args = [a.replace("{list}", str(variant_list)) for a in args]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})  # rich tables one line a row
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert not _identifiers(out), _identifiers(out)
    assert "param:" not in out
    unrounded = re.search(r"(?<![\w./])\d+\.\d{5,}", out)  # not inside a DOI or version
    assert unrounded is None, unrounded
    for pattern in wanted:
        assert re.search(pattern, out), pattern


def test_validate_rows_name_readouts_round_values_and_show_fractions_as_percent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The validation table as read: the claim's ``mchc_g_dl`` named, ``ug`` as µg, a fraction
    as a percentage (the rows are the formatting's input, not the published figures)."""
    import hemesim.phenotype.validation as validation

    rows = [
        validation.ValidationRow(
            "cal-vpop-male-mchc_g_dl-q2.5", "calibration",
            "healthy men: 2.5% point of mchc_g_dl (virtual population)", "30", 30.4512,
            "g/dL", True, "source",
        ),
        validation.ValidationRow(
            "xlp-metal-free", "validation", "XLP male: metal-free share below the EPP cut-off",
            "50-85% metal-free", 0.216843, "fraction", False, "source",
        ),
        validation.ValidationRow(
            "xlp-ep", "validation", "XLP male: total EP", "300-5000", 282.71, "ug/dL RBC",
            False, "source",
        ),
    ]  # fmt: skip
    report = validation.ValidationReport(rows=rows)
    monkeypatch.setattr(validation, "run_validation", lambda **kwargs: report)
    result = runner.invoke(app, ["validate", "--no-patients"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2.5% point of MCHC (virtual population)" in out and "mchc_g_dl" not in out
    assert "30.5 g/dL" in out and "21.7 %" in out and "283 µg/dL RBC" in out
    assert "0.216843" not in out and "cal-vpop" not in out
    assert "validation: 0 passed, 2 failed; calibration: 1 passed, 0 failed" in out


def test_help_shows_what_text_options_take() -> None:
    def help_of(command: str) -> str:
        return runner.invoke(app, [command, "--help"], terminal_width=160).stdout

    variant, risk, cohort = help_of("variant"), help_of("risk"), help_of("cohort")
    assert re.search(r"--sex\s+<male\|female>", variant)
    assert re.search(r"--treat\s+<treatment>", cohort)
    assert re.search(r"--variant\s+<hgvs>", risk) and re.search(r"--disease\s+<xlsa\|xlp>", risk)
    for text in (variant, risk, cohort):
        assert not re.search(r"--(sex|treat|variant|disease)\s+<str>", text)


def test_risk_draws_progress_on_stderr_when_forced() -> None:
    ped = str(EXAMPLES / "xlsa_family.ped")
    forced = runner.invoke(app, ["risk", ped], env={"HEMESIM_PROGRESS": "1"})
    assert forced.exit_code == 0, forced.output
    assert "exact inference" in forced.stderr and "exact inference" not in forced.stdout


# ------------------------------------------------------------------ the words themselves


def test_factor_text_names_what_each_factor_multiplies() -> None:
    text = factor_text({"kcat_factor": 4.4, "km_gly_factor": 1.21, "kd_plp_factor": 5.0})
    assert text == "turnover (kcat) ×4.4, Km(glycine) ×1.21, Kd(PLP) ×5"
    assert factor_text({}) == "none"


@given(st.floats(0.0, 1.0, allow_nan=False))
def test_percent_reads_back_as_the_probability(p: float) -> None:
    shown = percent(p)
    assert shown.endswith(" %")
    value = float(shown.removesuffix(" %")) / 100.0
    # one decimal of a percentage, or two significant digits below 0.1 %
    assert value == pytest.approx(p, abs=5e-4, rel=0.05) or abs(value - p) <= 5e-4


def test_name_readouts_in_keeps_file_names_and_hgvs() -> None:
    text = "km_gly 1.46 x (alas2_mechanisms.csv; genes/human_x/a); c.1706_1709del; hb_g_dl"
    assert name_readouts_in(text) == (
        "Km(glycine) 1.46 x (alas2_mechanisms.csv; genes/human_x/a); c.1706_1709del; "
        "Haemoglobin (g/dL)"
    )
    assert name_readouts_in("outside interval_95 52-73") == "outside 95 % interval 52-73"
