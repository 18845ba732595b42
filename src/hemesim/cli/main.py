"""The ``hemesim`` command: a thin Typer app that registers one module per command group.

Each command module exposes ``register(app)``; heavy imports (roadrunner, matplotlib) happen inside
the command functions, never at import time, so ``hemesim --help`` stays fast.

Exit codes and the error format (``error: ...`` on stderr, or a JSON object on stderr with
``--json``) are documented in :mod:`hemesim.cli._common`.
"""

from __future__ import annotations

import importlib
import sys

import typer

from hemesim import __version__
from hemesim.cli._common import EXIT_USAGE, echo_error, json_requested, use_flag_help
from hemesim.errors import HemesimError

COMMAND_MODULES = [
    "hemesim.cli.demo",
    "hemesim.cli.simulate",
    "hemesim.cli.variant",
    "hemesim.cli.risk",
    "hemesim.cli.segregation",
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
        "  hemesim risk family.ped --disease xlsa\n\n"
        "Exit codes: 0 success; 1 the command ran but failed as a whole (variants: no line "
        "interpreted; validate --strict: a row failed); 2 bad input, option or output path.\n\n"
        'Errors are one line on stderr, "error: ..."; with --json one JSON object on stderr, '
        '{"error": ..., "code": ..., "option": ...}, and nothing on stdout.\n'
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
use_flag_help(app)  # flags show no <bool> in --help


def run() -> None:
    """Console-script entry point: run the app, mapping HemesimError to one line and exit 2.

    With ``--json`` among the arguments every error, usage errors included, is printed as one
    JSON object on stderr (``{"error": message, "code": exit code, "option": ...}``); stdout
    then stays empty. The exit code is the same in both forms.
    """
    as_json = json_requested(sys.argv[1:])
    try:
        code = app(standalone_mode=False)  # click returns a typer.Exit's code in this mode
    except HemesimError as exc:
        echo_error(str(exc), code=EXIT_USAGE, as_json=as_json)
        sys.exit(EXIT_USAGE)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        echo_error("aborted", code=1, as_json=as_json)
        sys.exit(1)
    except Exception as exc:  # click usage errors (typer vendors its own click)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            if as_json:
                echo_error(exc.format_message(), code=exc.exit_code, as_json=True)  # type: ignore[attr-defined]
            else:
                exc.show()
            sys.exit(exc.exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    run()
