"""Every example in docs/population.md runs (house habit 10)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "population.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_python_examples_run() -> None:
    blocks = _blocks("python")
    assert blocks
    for code in blocks:
        namespace: dict[str, object] = {}
        exec(compile(code, str(DOC), "exec"), namespace)
        res = namespace["res"]
        assert abs(res.affected_male_new_mutation_fraction - 1 / 3) < 0.02  # type: ignore[attr-defined]


def _console_commands() -> list[list[str]]:
    commands = []
    for block in _blocks("console"):
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            if line.startswith("$ hemesim "):
                args = shlex.split(line[len("$ hemesim ") :].split(">")[0])
                commands.append(args)
    return commands


@pytest.mark.parametrize("args", _console_commands(), ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_console_examples_run(args, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    if "--plot" in args:
        assert (tmp_path / args[args.index("--plot") + 1]).stat().st_size > 0
