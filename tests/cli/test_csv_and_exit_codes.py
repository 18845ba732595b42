"""CSV formula cells neutralised (OWASP) and no stdout with ``--json`` on exit 1 (issue 16,
findings 8 and 11).

A variants file line ``=cmd|' /C calc'!A0`` was copied verbatim into the ``-o`` CSV, where a
spreadsheet would evaluate it; ``variants --json`` printed its result on stdout and exited 1.
OWASP's rule ("CSV Injection", owasp.org/www-community/attacks/CSV_Injection): prefix cells that
start with ``=``, ``+``, ``-``, ``@``, tab or carriage return with a single quote.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app
from hemesim.safe_io import csv_cell

runner = CliRunner()
HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx"]


def test_formula_cells_are_quoted_in_the_variants_csv(tmp_path: Path) -> None:
    f = tmp_path / "v.txt"
    f.write_text("c.1642C>T\n" + "\n".join(HOSTILE) + "\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["variants", str(f), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    inputs = [row["input"] for row in rows]
    assert inputs[0] == "c.1642C>T"
    # the file reader strips each line, so the tab-led line arrives as 'x'
    assert inputs[1:] == ["'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(A1)", "x"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_numbers_stay_numbers() -> None:
    assert csv_cell(-0.5) == -0.5 and csv_cell("-0.5") == "'-0.5" and csv_cell("ok") == "ok"


def test_variants_json_writes_nothing_on_stdout_when_it_fails(tmp_path: Path) -> None:
    f = tmp_path / "v.txt"
    f.write_text("not-a-variant\nalso-not\n")
    result = runner.invoke(app, ["variants", str(f), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(result.stderr)["code"] == 1


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node for the page's JavaScript")
def test_the_web_pages_csv_export_neutralises_formulas() -> None:
    common = Path(__file__).resolve().parents[2] / "src/hemesim/web/static/common.js"
    script = (
        "globalThis.document = {addEventListener() {}, querySelector() { return null; }, "
        "getElementById() { return null; }, querySelectorAll() { return []; }};\n"
        "globalThis.window = {matchMedia() { return {matches: false}; }};\n"
        + common.read_text(encoding="utf-8")
        + "\nprocess.stdout.write(hs.toCSV(["
        + '{"id": "=HYPERLINK(1)", "x": -0.5, "note": "@a,b"}, {"id": "+1", "x": 2, "note": "ok"}'
        + "]));\n"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["id,x,note", "'=HYPERLINK(1),-0.5,\"'@a,b\"", "'+1,2,ok"]
