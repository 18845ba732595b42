"""Hostile inputs give one-line errors, never a traceback or a hang (issue 16, findings 6-7).

The audit saw: a pedigreejs integer of 4300+ digits gave HTTP 500 and a CLI traceback; JSON nested
about 1000 deep a CLI traceback; ``/dev/zero`` as input a MemoryError; a FIFO as input blocked
forever. Each reader now refuses non-regular files before reading, caps the size
(``hemesim.safe_io.MAX_*``) and bounds JSON depth and integer length.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app
from hemesim.errors import HemesimError

runner = CliRunner()

PERSON = '{{"name": "a", "sex": "M", "top_level": true, "status": {status}}}'


def _one_line_error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert isinstance(result.exception, HemesimError), repr(result.exception)
    message = str(result.exception)
    assert "\n" not in message
    return message


def test_a_huge_integer_in_pedigreejs_is_a_clean_error(tmp_path: Path) -> None:
    f = tmp_path / "family.json"
    f.write_text("[" + PERSON.format(status="9" * 5000) + "]")
    assert "digits" in _one_line_error(["risk", str(f)])


def test_deeply_nested_json_is_a_clean_error(tmp_path: Path) -> None:
    f = tmp_path / "family.json"
    f.write_text("[" * 1000 + "]" * 1000)
    assert "nested" in _one_line_error(["risk", str(f)])
    f.write_text("[" * 100 + "]" * 100)
    assert "nested 100 levels" in _one_line_error(["risk", str(f)])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [["risk"], ["variants"]])
def test_a_device_is_refused_before_reading(command: list[str]) -> None:
    assert "is a device" in _one_line_error([*command, "/dev/zero"])


@pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "win32", reason="POSIX FIFO")
@pytest.mark.parametrize(("command", "name"), [(["risk"], "f.ped"), (["variants"], "v.txt")])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, command: list[str], name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    assert "FIFO" in _one_line_error([*command, str(fifo)])


def test_a_pedigree_file_over_the_size_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hemesim.genetics.ped as ped

    monkeypatch.setattr(ped, "MAX_PEDIGREE_FILE_BYTES", 100)
    f = tmp_path / "big.ped"
    f.write_text("f a 0 0 1 2\n" * 20)
    assert "at most 100 bytes" in _one_line_error(["risk", str(f)])


def test_the_web_api_answers_422_for_a_huge_integer() -> None:
    from fastapi.testclient import TestClient

    from hemesim.web.app import create_app

    with TestClient(create_app()) as client:
        body = "[" + PERSON.format(status="9" * 5000) + "]"
        response = client.post(
            "/api/risk", files={"file": ("family.json", body.encode(), "application/json")}
        )
    assert response.status_code == 422, response.text
    assert "digits" in response.json()["detail"]
