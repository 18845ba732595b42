"""The CLI contract: exit codes, JSON errors, options never ignored, messages name the options.

Exit codes (hemesim.cli._common): 0 success, 1 the command ran but failed as a whole
(``variants`` interpreted nothing, ``validate --strict`` found a failed row), 2 bad input.
With ``--json`` an error is one JSON object on stderr and stdout holds only results.
Slow library calls are replaced by stubs wherever the behaviour under test comes before them.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hemesim
from hemesim.cli._common import json_requested, parse_assignments, rename_fields
from hemesim.cli.cohort import check_scheduler
from hemesim.cli.main import app, run
from hemesim.errors import HemesimError, PhenotypeError

runner = CliRunner()
EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
GOOD_JSON = (
    '[{"famid": "xl", "name": "dad", "sex": "M", "top_level": true},'
    ' {"famid": "xl", "name": "mom", "sex": "F", "top_level": true},'
    ' {"famid": "xl", "name": "son", "sex": "M", "father": "dad", "mother": "mom",'
    ' "alas2_disease": true}]'
)


def _run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the console entry point in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["hemesim", *args])
    with pytest.raises(SystemExit) as info:
        run()
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def _never(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the slow computation ran before the option check")


# --- #13: variants exits 1 when no line could be interpreted ----------------------------------


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("not-a-variant\nalso bad\n", "2 variants, 2 errors, 0 lines skipped"),
        ("", "0 variants, 0 errors, 0 lines skipped"),
    ],
    ids=["all-fail", "empty"],
)
def test_variants_exits_1_only_when_nothing_was_interpreted(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    counts: str,
) -> None:
    one_good = tmp_path / "mixed.txt"
    one_good.write_text("c.1355G>A\nnot-a-variant\n", encoding="utf-8")
    rc, out, err = _run_main(monkeypatch, capsys, "variants", str(one_good), "--json")
    assert (rc, err, json.loads(out)["n_errors"]) == (0, "", 1)  # one line is enough for 0
    listing = tmp_path / "list.txt"
    listing.write_text(text, encoding="utf-8")
    rc, out, err = _run_main(monkeypatch, capsys, "variants", str(listing), "--json")
    assert rc == 1
    assert out == ""  # exit 1 with --json: the error object on stderr only (issue 16)
    assert json.loads(err) == {
        "error": f"no variant in {str(listing)!r} could be interpreted ({counts}); "
        "expected one HGVS variant per line, or a VCF",
        "code": 1,
        "option": None,
    }


# --- #14: with --json every error is a JSON object on stderr ----------------------------------


def test_usage_error_with_json_is_a_json_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = _run_main(monkeypatch, capsys, "simulate", "--until", "abc", "--json")
    assert rc == 2 and out == ""
    error = json.loads(err)
    assert error["code"] == 2 and error["option"] == "--until"
    assert error["error"].startswith("Invalid value for '--until'")
    # without --json the usage text is unchanged
    rc, out, err = _run_main(monkeypatch, capsys, "simulate", "--until", "abc")
    assert rc == 2 and err.startswith("Usage: ") and "Invalid value for '--until'" in err


def test_unknown_option_with_json_is_a_json_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = _run_main(monkeypatch, capsys, "serve", "--nosuch", "--json")
    assert rc == 2 and out == ""
    assert json.loads(err)["error"] == "No such option: --nosuch"


def test_input_error_with_json_is_a_json_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "x.ped"
    rc, out, err = _run_main(monkeypatch, capsys, "risk", str(missing), "--json")
    assert rc == 2 and out == ""
    assert json.loads(err) == {
        "error": f"pedigree file {str(missing)!r}: not found",
        "code": 2,
        "option": None,
    }


def test_json_is_detected_only_as_an_option() -> None:
    assert json_requested(["risk", "f.ped", "--json"])
    assert not json_requested(["variant", "--", "--json"])
    assert not json_requested(["risk", "my--json.ped"])


# --- #15: options are never silently ignored --------------------------------------------------


def test_cohort_age_with_men_reaches_the_cohort(monkeypatch: pytest.MonkeyPatch) -> None:
    # the age acts on men too (vitamin B6 status on PLP, hemesim.phenotype.plp_age): passed on,
    # not refused and not ignored
    import hemesim.phenotype.cohort as cohort

    seen: dict[str, object] = {}

    def capture(*_args: object, **kwargs: object) -> None:
        seen.update(kwargs)
        raise HemesimError("stop")

    monkeypatch.setattr(cohort, "virtual_cohort", capture)
    result = runner.invoke(
        app, ["cohort", "--variant", "p.Arg452Cys", "--sex", "M", "--age", "30", "--n", "10"]
    )
    assert str(result.exception) == "stop"
    assert seen["age_years"] == 30.0


@pytest.mark.parametrize("scheduler", ["foo", "tcp://127.0.0.1:99999", "tcp://", "local2"])
def test_cohort_scheduler_form_is_checked_before_the_run(
    monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    import hemesim.phenotype.cohort as cohort

    monkeypatch.setattr(cohort, "virtual_cohort", _never)
    result = runner.invoke(app, ["cohort", "--variant", "p.Arg452Cys", "--scheduler", scheduler])
    assert isinstance(result.exception, HemesimError)
    message = str(result.exception)
    assert message.startswith(f"--scheduler {scheduler!r}: expected 'local'")
    assert "Client" not in message


@pytest.mark.parametrize(
    "scheduler", [None, "local", "tcp://127.0.0.1:8786", "tls://sched.example.org", "tcp://[::1]:1"]
)
def test_valid_scheduler_forms_pass(scheduler: str | None) -> None:
    assert check_scheduler(scheduler) == scheduler


def test_set_given_twice_is_refused() -> None:
    with pytest.raises(HemesimError) as info:
        parse_assignments(["ALAS2.kcat=1", "ALAS2.kcat=2"])
    assert str(info.value) == "--set ALAS2.kcat given twice (1 and 2); give each name once"


def test_set_the_same_parameter_in_two_spellings_is_refused() -> None:
    result = runner.invoke(app, ["simulate", "--set", "ALAS2.kcat=1", "--set", "ALAS2_kcat=2"])
    assert isinstance(result.exception, HemesimError)
    assert str(result.exception) == (
        "--set ALAS2_kcat and --set ALAS2.kcat name the same parameter; give it once"
    )


# --- #16: messages name the options the user typed --------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["variant", "c.1355G>A", "--sex", "male", "--treat", "aspirin"],
            "--treat 'aspirin': expected one of none, pyridoxine, chelation, phlebotomy",
        ),
        (["variant", "c.1355G>A", "--seed", "-1", "--sex", "female"], "--seed -1: expected"),
        (["penetrance", "c.1354C>T", "--seed", "-1"], "--seed -1: expected a whole number >= 0"),
        (["cohort", "--variant", "p.Arg452Cys", "--n", "0"], "--n 0: expected a whole number"),
        (["cohort", "--variant", "p.Arg452Cys", "--sex", "x"], "--sex 'x': expected 'male'"),
        (["simulate", "--points", "1"], "--points 1: expected an integer from 2 to 100,000"),
    ],
)
def test_library_errors_name_the_option(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, HemesimError), result.output
    assert str(result.exception).startswith(expected)


def test_rename_fields_keeps_the_class_and_drops_api_only_alternatives() -> None:
    renamed = rename_fields(
        PhenotypeError("until_h=-5.0: expected a time or None"), {"until_h": "--until"},
        drop=(" or None",),
    )  # fmt: skip
    assert isinstance(renamed, PhenotypeError)
    assert str(renamed) == "--until -5.0: expected a time"
    untouched = PhenotypeError("sexes differ")
    assert rename_fields(untouched, {"sex": "--sex"}) is untouched


def test_report_reads_a_pedigreejs_file_as_risk_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.report.build as build

    seen: list[int] = []

    def stub(hgvs: str, ped: Path, **_: object) -> None:
        from hemesim.genetics.ped import read_ped

        seen.append(len(read_ped(ped)))  # what build_report reads the pedigree with
        raise HemesimError("stub reached")

    monkeypatch.setattr(build, "build_report", stub)
    good = tmp_path / "good.json"
    good.write_text(GOOD_JSON, encoding="utf-8")
    result = runner.invoke(app, ["report", "p.Arg452Cys", "-o", str(tmp_path / "r.html"),
                                 "--ped", str(good)])  # fmt: skip
    assert str(result.exception) == "stub reached" and seen == [3]


def test_report_pedigree_errors_come_before_the_simulations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.report.build as build

    monkeypatch.setattr(build, "build_report", _never)
    bad = tmp_path / "bad.json"
    bad.write_text('[{"name": "kid", "sex": "U"}]', encoding="utf-8")
    result = runner.invoke(app, ["report", "p.Arg452Cys", "-o", str(tmp_path / "r.html"),
                                 "--ped", str(bad)])  # fmt: skip
    assert str(result.exception) == "pedigreejs person 1, name 'kid': sex 'U' must be 'M' or 'F'"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("256.1.1.1", "--host '256.1.1.1': not a valid IPv4 address; expected e.g. 127.0.0.1"),
        ("", "--host '': empty; expected e.g. 127.0.0.1"),
    ],
)
def test_serve_checks_the_host_before_starting(
    monkeypatch: pytest.MonkeyPatch, host: str, expected: str
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", _never)  # a server must not start (nor block the test)
    monkeypatch.setattr(uvicorn.Server, "run", _never)
    result = runner.invoke(app, ["serve", "--host", host, "--port", "18765"])
    assert isinstance(result.exception, HemesimError)
    assert str(result.exception).startswith(expected)
    assert "web app on" not in result.output  # no banner for a server that never started


def test_serve_names_a_port_in_use() -> None:
    import socket

    from hemesim.cli.web import listen

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(HemesimError) as info:
            listen("127.0.0.1", port)
    assert str(info.value) == f"--port {port}: already in use on 127.0.0.1; choose another --port"


# --- #20: serve --json; validate --strict -----------------------------------------------------


def test_serve_json_prints_the_url_when_ready() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "hemesim.cli.main", "serve", "--port", str(port), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)  # never hang the test run
        line = proc.stdout.readline() if ready else ""
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
    assert json.loads(line) == {"url": f"http://127.0.0.1:{port}", "host": "127.0.0.1",
                                "port": port}  # fmt: skip


def _fake_validation(passed: bool) -> object:
    from hemesim.phenotype.validation import ValidationReport, ValidationRow

    rows = [
        ValidationRow("row-a", "validation", "claim", "12", 12.0, "g/dL", passed, "src"),
        ValidationRow("row-b", "calibration", "claim", "1", 1.0, "", True, "src"),
    ]
    return ValidationReport(rows)


def test_validate_strict_exits_1_on_a_failed_row(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import hemesim.phenotype.validation as validation

    monkeypatch.setattr(validation, "run_validation", lambda **_: _fake_validation(False))
    rc, out, err = _run_main(monkeypatch, capsys, "validate")
    assert (rc, err) == (0, "") and "FAIL" in out  # the default is unchanged: report only
    rc, out, err = _run_main(monkeypatch, capsys, "validate", "--strict")
    assert rc == 1 and "FAIL" in out
    assert err == "error: --strict: 1 row(s) failed (row-a)\n"
    monkeypatch.setattr(validation, "run_validation", lambda **_: _fake_validation(True))
    assert _run_main(monkeypatch, capsys, "validate", "--strict")[0] == 0
