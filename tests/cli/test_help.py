"""The CLI starts without heavy imports and documents every command."""

import subprocess
import sys

from typer.testing import CliRunner

from hemesim import __version__
from hemesim.cli.main import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"hemesim {__version__}"


def test_help_does_not_import_engines() -> None:
    code = (
        "import sys; from hemesim.cli import main; "
        "heavy = [m for m in ('roadrunner', 'matplotlib', 'numba', 'dask', 'fastapi') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_command_has_help_text() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"command {name} has no help text"
        assert "Example" in command.help, f"command {name} shows no example"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name


def test_every_command_takes_json_as_the_help_says() -> None:
    import typer.main

    assert "Every command takes --json" in (app.info.help or "")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        options = {opt for param in command.params for opt in param.opts}
        assert "--json" in options, f"command {name} has no --json"
