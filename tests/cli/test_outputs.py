"""Output files of every command: never onto an input, suffix matches content, clean errors.

Each output option is checked before any work (suffix, not an input of the same command, a
writable place) and a write that still fails is one line naming the option with the operating
system's reason (``hemesim.cli._common.check_output`` / ``writing``). The slow library calls are
replaced by stubs that fail the test if reached, so these tests show the checks come first.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hemesim
from hemesim.cli._common import check_output, check_output_folder, writing
from hemesim.cli.main import app
from hemesim.errors import HemesimError, ReportError

runner = CliRunner()
EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
PROC = Path("/proc")
needs_proc = pytest.mark.skipif(not PROC.is_dir(), reason="needs Linux /proc (not writable)")


def _error(args: list[str]) -> str:
    """Run the app; return the one-line HemesimError message (exit code is 2 from run())."""
    result = runner.invoke(app, args)
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, HemesimError), repr(result.exception)
    message = str(result.exception)
    assert "\n" not in message
    return message


def _never(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the slow computation ran before the output check")


# --- #3: an output never overwrites an input of the same command ------------------------------


def test_risk_svg_onto_the_pedigree_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    ped = tmp_path / "fam2.ped"
    original = (EXAMPLES / "xlsa_family.ped").read_text(encoding="utf-8")
    ped.write_text(original, encoding="utf-8")
    message = _error(["risk", str(ped), "--svg", str(ped)])
    assert message.startswith(f"--svg {str(ped)!r} is an input file of this command")
    assert ped.read_text(encoding="utf-8") == original


def test_input_is_recognised_through_another_spelling_and_a_link(tmp_path: Path) -> None:
    ped = tmp_path / "fam.svg"  # a PED file that happens to carry the output's suffix
    ped.write_text("f son 0 0 1 2\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    other = tmp_path / "sub" / ".." / "fam.svg"
    assert "is an input file" in _error(["risk", str(ped), "--svg", str(other)])
    link = tmp_path / "link.svg"
    link.symlink_to(ped)
    assert "is an input file" in _error(["risk", str(ped), "--svg", str(link)])
    assert ped.read_text(encoding="utf-8") == "f son 0 0 1 2\n"


def test_variants_out_onto_its_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.variants.batch as batch

    monkeypatch.setattr(batch, "interpret_file", _never)
    listing = tmp_path / "list.csv"
    listing.write_text("c.1355G>A\n", encoding="utf-8")
    message = _error(["variants", str(listing), "-o", str(listing)])
    assert message.startswith("--out") and "is an input file" in message
    assert listing.read_text(encoding="utf-8") == "c.1355G>A\n"


def test_report_onto_its_pedigree_is_refused_before_the_simulations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.report.build as build

    monkeypatch.setattr(build, "build_report", _never)
    ped = tmp_path / "family.html"
    ped.write_bytes((EXAMPLES / "isolated_case.ped").read_bytes())
    message = _error(["report", "p.Arg452Cys", "-o", str(ped), "--ped", str(ped)])
    assert message.startswith("-o") and "is an input file" in message


# --- #17: the content matches the suffix; suffixes are checked first, in any case --------------


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("m.xml", "omex", "--format omex does not match OUT"),
        ("m.omex", "sbml", "--format sbml does not match OUT"),
        ("fam_copy.ped", None, "expected a file name ending in .xml, .sbml or .omex"),
    ],
)
def test_export_refuses_a_name_that_does_not_match_the_format(
    tmp_path: Path, name: str, fmt: str | None, expected: str
) -> None:
    out = tmp_path / name
    args = ["export", str(out)] + ([] if fmt is None else ["--format", fmt])
    assert expected in _error(args)
    assert not out.exists()


def test_export_infers_the_format_from_the_suffix_in_any_case(tmp_path: Path) -> None:
    omex = tmp_path / "model.OMEX"
    result = runner.invoke(app, ["export", str(omex)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(omex)
    sbml = tmp_path / "model.SBML"
    assert runner.invoke(app, ["export", str(sbml)]).exit_code == 0
    assert sbml.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["risk", str(EXAMPLES / "xlsa_family.ped"), "--svg", "{tmp}/x.png"], "ending in .svg"),
        (["variants", str(EXAMPLES / "xlsa_family.ped"), "-o", "{tmp}/out.xlsx"], "in .csv"),
    ],
)
def test_output_suffix_must_match_what_is_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert message in _error(args)
    assert list(tmp_path.iterdir()) == []


def test_cohort_checks_the_plot_suffix_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.phenotype.cohort as cohort

    monkeypatch.setattr(cohort, "virtual_cohort", _never)
    out, plot = tmp_path / "c1.csv", tmp_path / "c1.xyz"
    args = ["cohort", "--variant", "p.Arg452Cys", "--out", str(out), "--plot", str(plot)]
    message = _error(args)
    assert message == f"--plot {str(plot)!r}: expected a file name ending in .png, .svg or .pdf"
    assert not out.exists()


def test_validate_report_suffix_is_case_insensitive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.phenotype.validation as validation

    monkeypatch.setattr(validation, "run_validation", lambda **_: _fake_validation(True))
    report = tmp_path / "X.HTML"
    result = runner.invoke(app, ["validate", "--report", str(report), "--json"])
    assert result.exit_code == 0, result.output
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _fake_validation(passed: bool) -> object:
    from hemesim.phenotype.validation import ValidationReport, ValidationRow

    row = ValidationRow("r1", "validation", "claim", "12", 12.0, "g/dL", passed, "src")
    return ValidationReport([row, ValidationRow("c1", "calibration", "c", "1", 1.0, "", True, "")])


# --- #8/#9/#10/#16: unwritable outputs are one line naming the option, before the work ---------


@needs_proc
@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["variant", "c.1355G>A", "--plot", "/proc/x.png"], "--plot"),
        (["penetrance", "c.1354C>T", "--plot", "/proc/x.png"], "--plot"),
        (["validate", "--report", "/proc/x.html"], "--report"),
        (["variants", str(EXAMPLES / "xlsa_family.ped"), "-o", "/proc/x.csv"], "--out"),
        (["cohort", "--variant", "p.Arg452Cys", "--out", "/proc/x.csv"], "--out"),
        (["simulate", "--plot", "/proc/x.png"], "--plot"),
    ],
)
def test_an_unwritable_place_gives_the_os_reason_before_any_work(
    monkeypatch: pytest.MonkeyPatch, args: list[str], option: str
) -> None:
    import hemesim.phenotype.cohort as cohort
    import hemesim.phenotype.penetrance as penetrance
    import hemesim.phenotype.validation as validation
    import hemesim.simulate.session as session
    import hemesim.variants.batch as batch
    import hemesim.variants.interpret as interpret

    for module, name in (
        (interpret, "interpret"),
        (penetrance, "penetrance"),
        (validation, "run_validation"),
        (batch, "interpret_file"),
        (cohort, "virtual_cohort"),
        (session, "load_model"),
    ):
        monkeypatch.setattr(module, name, _never)
    message = _error(args)
    path = args[-1]
    assert message == (
        f"{option} {path!r}: cannot write (No such file or directory); choose a writable path"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["variant", "c.1355G>A", "--plot", "{tmp}/dir.png"],
        ["penetrance", "c.1354C>T", "--plot", "{tmp}/dir.png"],
        ["validate", "--report", "{tmp}/dir.html"],
    ],
)
def test_a_folder_with_the_output_name_is_refused(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "dir.png").mkdir()
    (tmp_path / "dir.html").mkdir()
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert _error(args) == f"{args[-2]} {args[-1]!r}: is a folder; expected a file name"


def test_a_missing_folder_is_named_not_none(tmp_path: Path) -> None:
    out = tmp_path / "nonexistent" / "x.csv"
    message = _error(["variants", str(EXAMPLES / "xlsa_family.ped"), "-o", str(out)])
    assert message.startswith(f"--out {str(out)!r}: folder {str(out.parent)!r} does not exist")
    assert "None" not in message


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        ("file", "is a file; expected a folder"),
        ("under-file", "cannot create the folder (Not a directory)"),
    ],
)
def test_demo_out_that_cannot_be_a_folder(tmp_path: Path, make: str, reason: str) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep", encoding="utf-8")
    out = afile if make == "file" else afile / "sub"
    assert _error(["demo", "--out", str(out)]) == f"--out {str(out)!r}: {reason}" + (
        "" if make == "file" else "; choose a writable path"
    )
    assert afile.read_text(encoding="utf-8") == "keep"


def test_writing_turns_an_oserror_into_one_line_with_the_reason(tmp_path: Path) -> None:
    target = tmp_path / "x.png"
    with pytest.raises(ReportError) as info, writing(target, "--plot"):
        raise PermissionError(13, "Permission denied")
    assert str(info.value) == (
        f"--plot {str(target)!r}: cannot write (Permission denied); choose a writable path"
    )
    with pytest.raises(ReportError, match=r"cannot write \(disk quota\)"), writing(target, "-o"):
        raise OSError("disk quota")  # no strerror (as pandas raises it): the text, never None


def test_check_output_leaves_no_file_behind_and_keeps_existing_content(tmp_path: Path) -> None:
    fresh = tmp_path / "new.csv"
    assert check_output(fresh, "--out", (".csv",)) == fresh
    assert not fresh.exists()
    old = tmp_path / "old.CSV"
    old.write_text("a,b\n", encoding="utf-8")
    check_output(old, "--out", (".csv",))
    assert old.read_text(encoding="utf-8") == "a,b\n"
    hard = tmp_path / "hard.csv"
    os.link(old, hard)
    with pytest.raises(ReportError, match="is an input file"):
        check_output(hard, "--out", (".csv",), inputs=[old])


def test_check_output_folder_creates_parents(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    assert check_output_folder(out, "--out") == out and out.is_dir()
