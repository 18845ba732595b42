"""The ``hemesim`` command: a thin Typer app that registers one module per command group.

Each command module exposes ``register(app)``; heavy imports (roadrunner, matplotlib) happen inside
the command functions, never at import time, so ``hemesim --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys

import typer

from hemesim import __version__
from hemesim.errors import HemesimError

COMMAND_MODULES = [
    "hemesim.cli.demo",
    "hemesim.cli.simulate",
    "hemesim.cli.variant",
    "hemesim.cli.risk",
    "hemesim.cli.phenotype",
    "hemesim.cli.cohort",
    "hemesim.cli.population",
    "hemesim.cli.web",
]

app = typer.Typer(
    name="hemesim",
    help=(
        "ALAS2, the erythroid heme pathway, XLSA/XLP and X-linked inheritance, executable.\n\n"
        "Every command takes --json for scripting. Examples:\n\n"
        "  hemesim demo\n\n"
        "  hemesim simulate --set ALAS2.kcat=0.5 --json\n\n"
        "  hemesim variant NM_000032.5:c.1355G>A --sex male\n\n"
        "  hemesim risk family.ped --disease xlsa\n"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"hemesim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version."
    ),
) -> None:
    """hemesim command line."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def run() -> None:
    """Console-script entry point: run the app, mapping HemesimError to one line and exit 2."""
    try:
        app(standalone_mode=False)
    except HemesimError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except Exception as exc:  # click usage errors (typer vendors its own click)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    run()
