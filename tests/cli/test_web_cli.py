"""``hemesim serve`` and ``hemesim report`` from the command line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def test_serve_binds_localhost_by_default() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output


def test_report_writes_html_and_prints_json(tmp_path: Path) -> None:
    pytest.importorskip("roadrunner")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "p.Arg452Cys", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["output"] == str(out)
    assert body["variant"]["effect"]["class"] == "loss_of_function"
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize(
    "args",
    [["report", "p.Arg452Xyz", "-o", "r.html"], ["report", "p.Arg452Cys", "-o", "r.docx"]],
)
def test_report_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hemesim.cli.main", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_loopback_and_logs_no_requests() -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hemesim.cli.main", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("hemesim serve did not start")
                time.sleep(0.2)
        assert r.status_code == 200
        secret = "PATIENT-ID-12345"
        httpx.get(f"http://127.0.0.1:{port}/api/variant/validate", params={"hgvs": secret})
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert secret not in output
    assert "GET /api" not in output
