"""Text output a person reads: clinical names, units, reference ranges and flags; anaemia grade
and iron overload; --help without <bool>; progress on stderr; the hint for an unquoted '>'."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from hemesim.cli._common import check_hgvs_quoting
from hemesim.cli.main import app, run
from hemesim.errors import HemesimError

runner = CliRunner()
XLSA = "p.Arg452Cys"  # Cotter et al., Blood 1999;93:1757


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
