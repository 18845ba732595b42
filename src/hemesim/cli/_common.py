"""Small helpers shared by the CLI command modules (JSON output, errors, output files).

Exit codes of every command
---------------------------
``0``
    Success.
``1``
    The command ran but its result is a failure the caller must notice: ``variants`` could not
    interpret any line of its file, ``validate --strict`` found a failed row.
``2``
    Bad input: a usage error, an invalid option value, an unreadable input or an unwritable
    output. Nothing is written.

Errors
------
Every error is one line on stderr, ``error: MESSAGE``. When ``--json`` is among the arguments
it is one JSON object on stderr instead, ``{"error": MESSAGE, "code": EXIT_CODE, "option":
"--the-option" or null}``, so stdout only ever holds results.

Output files
------------
:func:`check_output` checks an output path before any work (suffix, not an input of the same
command, folder exists, can be created) and :func:`writing` writes atomically (a temporary file
beside the target, synced and renamed; nothing is left on failure) and turns an ``OSError``
during the write into a one-line error naming the option, a full disk named as such; every
command writes through both.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from hemesim.errors import HemesimError, ReportError
from hemesim.jsonable import jsonable
from hemesim.safe_io import DISK_FULL_ERRNOS, atomic_output, os_error_reason

__all__ = [
    "EXIT_FAILED",
    "FlagCommand",
    "PROGRESS_ENV",
    "check_hgvs_quoting",
    "progress_bar",
    "progress_wanted",
    "use_flag_help",
    "EXIT_USAGE",
    "PHENOTYPE_FIELDS",
    "PLOT_SUFFIXES",
    "check_output",
    "check_seed",
    "check_output_folder",
    "echo_error",
    "emit_json",
    "fail",
    "json_requested",
    "os_reason",
    "parse_assignments",
    "rename_fields",
    "to_jsonable",
    "writing",
]

#: exit code: the command ran, but produced no usable result (see the module docstring)
EXIT_FAILED = 1
#: exit code: bad input, bad option or unwritable output (click uses 2 for usage errors too)
EXIT_USAGE = 2
#: figure formats every ``--plot`` option accepts (matplotlib writes them without extras)
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
#: API fields of the phenotype stage (as its messages start) -> the option a user typed
PHENOTYPE_FIELDS = {
    "sex": "--sex",
    "xi": "--xi",
    "treatment": "--treat",
    "seed": "--seed",
    "age": "--age",
}

_LEADING_OPTION = re.compile(r"^(--[A-Za-z0-9][-A-Za-z0-9]*|-[A-Za-z])\b")
_QUOTED_OPTION = re.compile(r"'(--[A-Za-z0-9][-A-Za-z0-9]*)'")


def to_jsonable(obj: Any) -> Any:
    """Convert results, numpy values and non-finite floats for JSON (hemesim.jsonable)."""
    return jsonable(obj)


def emit_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout."""
    typer.echo(json.dumps(to_jsonable(obj), indent=2))


def json_requested(argv: Sequence[str]) -> bool:
    """True when ``--json`` is one of the command-line arguments (before a bare ``--``)."""
    for arg in argv:
        if arg == "--":
            return False
        if arg == "--json":
            return True
    return False


def _option_in(message: str) -> str | None:
    """The option a message is about: its leading ``--option``, or a quoted ``'--option'``."""
    found = _LEADING_OPTION.match(message) or _QUOTED_OPTION.search(message)
    return found.group(1) if found else None


def echo_error(message: str, *, code: int, as_json: bool) -> None:
    """Print one error on stderr: ``error: MESSAGE``, or with ``as_json`` a JSON object.

    Parameters
    ----------
    message
        The one-line message.
    code
        The exit code that goes with it (reported in the JSON object; the caller exits).
    as_json
        ``--json`` was given: print ``{"error": ..., "code": ..., "option": ...}`` on one line.
    """
    if as_json:
        payload = {"error": message, "code": code, "option": _option_in(message)}
        typer.echo(json.dumps(payload), err=True)
    else:
        typer.echo(f"error: {message}", err=True)


def fail(message: str, *, as_json: bool, code: int = EXIT_FAILED) -> typer.Exit:
    """Print ``message`` as an error (see :func:`echo_error`) and return the ``Exit`` to raise."""
    echo_error(message, code=code, as_json=as_json)
    return typer.Exit(code)


def parse_assignments(items: list[str] | None, field: str = "--set") -> dict[str, float]:
    """Parse ``NAME=VALUE`` pairs into a dict, with a one-line error naming the bad item.

    A name given twice is an error (the last value would silently win otherwise).
    """
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise HemesimError(f"{field} {item!r}: expected NAME=VALUE, e.g. ALAS2.kcat=0.5")
        try:
            if not value.strip().isascii():  # float() reads '٣' and '３' as 3
                raise ValueError
            number = float(value)
        except ValueError:
            raise HemesimError(
                f"{field} {item!r}: value {value!r} is not a number; expected NAME=VALUE"
            ) from None
        key = name.strip()
        if key in out:
            raise HemesimError(
                f"{field} {key} given twice ({out[key]:g} and {number:g}); give each name once"
            )
        out[key] = number
    return out


def check_seed(seed: int, option: str = "--seed") -> int:
    """Return ``seed`` when it is a whole number >= 0, else raise a one-line error naming it."""
    if seed < 0:
        raise HemesimError(f"{option} {seed}: expected a whole number >= 0")
    return seed


def rename_fields(
    exc: HemesimError, fields: Mapping[str, str], *, drop: Iterable[str] = ()
) -> HemesimError:
    """Rename the leading API field of an error message to the CLI option the user typed.

    Parameters
    ----------
    exc
        The library error; messages start with the field, as ``"seed -1: ..."`` or
        ``"until_h=-5.0: ..."``.
    fields
        API field name -> CLI option (``{"until_h": "--until"}``).
    drop
        Phrases to remove from the message: API-only alternatives a CLI user cannot give,
        such as ``" or None"``.

    Returns
    -------
    HemesimError
        A new error of the same class, or ``exc`` itself when nothing changed.
    """
    message = str(exc)
    for field in sorted(fields, key=len, reverse=True):
        if message.startswith((field + " ", field + "=")):
            message = f"{fields[field]} {message[len(field) + 1 :]}"
            break
    for phrase in drop:
        message = message.replace(phrase, "")
    return exc if message == str(exc) else type(exc)(message)


def os_reason(exc: BaseException) -> str:
    """The operating system's reason for a failed read or write, never ``None``."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _cannot_write(option: str, path: Path | str, exc: BaseException) -> ReportError:
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return ReportError(f"{option} {str(path)!r}: cannot write ({os_error_reason(exc)})")
    return ReportError(
        f"{option} {str(path)!r}: cannot write ({os_reason(exc)}); choose a writable path"
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _or(suffixes: Sequence[str]) -> str:
    return suffixes[0] if len(suffixes) == 1 else f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"


def check_output(
    path: Path | str,
    option: str,
    suffixes: Sequence[str] | None = None,
    *,
    inputs: Iterable[Path | str | None] = (),
) -> Path:
    """Check an output file before any work, with a one-line error naming ``option``.

    Parameters
    ----------
    path
        The output file as the user typed it.
    option
        The option (or argument) that named it, e.g. ``"--plot"``.
    suffixes
        Accepted suffixes, lower case with the dot (``(".png", ".svg")``); compared without
        regard to case. ``None`` accepts any.
    inputs
        Input files of the same command; the output may not be one of them (compared after
        resolving links, so ``./a.ped`` and ``a.ped`` are the same file).

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    ReportError
        Wrong suffix, an input of the command, a folder, a missing folder, or a file that
        cannot be created or opened for writing (with the operating system's reason).
    """
    p = Path(path)
    shown = str(path)
    for source in inputs:
        if source is not None and _same_file(p, Path(source)):
            raise ReportError(
                f"{option} {shown!r} is an input file of this command and would be "
                "overwritten; choose another output name"
            )
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise ReportError(f"{option} {shown!r}: expected a file name ending in {_or(suffixes)}")
    if p.is_dir():
        raise ReportError(f"{option} {shown!r}: is a folder; expected a file name")
    if not p.parent.is_dir():
        raise ReportError(
            f"{option} {shown!r}: folder {str(p.parent)!r} does not exist; create it or "
            "choose another path"
        )
    try:  # can the file be created (or opened for writing) at all? leaves no trace
        if not p.exists():
            with open(p, "xb"):
                pass
            p.unlink()
        elif p.is_file():
            with open(p, "ab"):
                pass
    except OSError as exc:
        raise _cannot_write(option, shown, exc) from None
    return p


def check_output_folder(path: Path | str, option: str) -> Path:
    """Create an output folder (and its parents) or raise a one-line error naming ``option``.

    Raises
    ------
    ReportError
        ``path`` is an existing file, or the folder cannot be created or written into.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise ReportError(f"{option} {str(path)!r}: is a file; expected a folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            f"{option} {str(path)!r}: cannot create the folder ({os_reason(exc)}); "
            "choose a writable path"
        ) from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise ReportError(
            f"{option} {str(path)!r}: cannot write into the folder (permission denied); "
            "choose a writable path"
        )
    return p


@contextmanager
def writing(path: Path | str, option: str, *, atomic: bool = True) -> Iterator[Path]:
    """Write ``path`` atomically; an ``OSError`` becomes a one-line error naming ``option``.

    Yields a temporary path beside ``path`` (same suffix) for the writer; when the block ends
    without an error the file is synced and renamed over ``path``
    (:func:`hemesim.safe_io.atomic_output`). On any failure nothing is left: no partial file,
    and an existing ``path`` is unchanged. A full disk is named as such. With ``atomic=False``
    the block writes ``path`` itself (for library writers that are atomic already) and only the
    error is translated.

    Examples
    --------
    >>> with writing(out, "--plot") as tmp:  # doctest: +SKIP
    ...     fig.savefig(tmp)
    """
    try:
        if not atomic:
            yield Path(path)
            return
        with atomic_output(path) as tmp:
            yield tmp
    except OSError as exc:
        raise _cannot_write(option, path, exc) from None


# ---------------------------------------------------------------------------------- help types


#: text options whose value is one of a few words or a named kind of text -> the type shown
#: in ``--help`` in place of ``<str>`` or ``<list[str]>`` (the help text says more; the command
#: checks the value)
OPTION_METAVARS = {
    "--sex": "<male|female>",
    "--treat": "<treatment>",
    "--disease": "<xlsa|xlp>",
    "--format": "<sbml|omex>",
    "--de-novo": "<status>",
    "--variant": "<hgvs>",
    "--proband": "<id>",
    "--scheduler": "<address>",
    "--host": "<host>",
    "--set": "<NAME=VALUE>",
}


def _blank_flag_types(params: Any) -> Any:
    for param in params:
        if getattr(param, "metavar", "") is not None:
            continue  # an explicit metavar stays
        if getattr(param, "is_flag", False):
            param.metavar = ""  # Typer shows an option's metavar in place of its type
            continue
        shown = next((OPTION_METAVARS[o] for o in param.opts if o in OPTION_METAVARS), None)
        if shown is not None and getattr(param, "param_type_name", "") == "option":
            param.metavar = shown
    return params


class FlagCommand(TyperCommand):
    """A Typer command whose ``--help`` shows no type for flags (Typer prints ``<bool>``).

    A flag takes no value, so its type column stays empty; a text option listed in
    :data:`OPTION_METAVARS` shows what it takes (``<male|female>``, ``<hgvs>``) in place of
    ``<str>``; every other option keeps its type (``<path>``, ``<float>``, ``<int>`` ...) or its
    explicit ``metavar``.
    """

    def get_params(self, ctx: Any) -> Any:
        return _blank_flag_types(super().get_params(ctx))


class FlagGroup(TyperGroup):
    """The root group with the same flag display as :class:`FlagCommand` (``--version``)."""

    def get_params(self, ctx: Any) -> Any:
        return _blank_flag_types(super().get_params(ctx))


def use_flag_help(app: typer.Typer) -> None:
    """Give ``app`` and every command on it the flag display of :class:`FlagCommand`."""
    current = getattr(app.info.cls, "value", app.info.cls)  # Typer wraps defaults
    if current is None or current is TyperGroup:
        app.info.cls = FlagGroup
    for info in app.registered_commands:
        if info.cls is None or info.cls is TyperCommand:
            info.cls = FlagCommand


# ---------------------------------------------------------------------------------- HGVS quoting

_TRUNCATED_SUBSTITUTION = re.compile(
    r"^(?:[A-Za-z]{2}_\d+(?:\.\d+)?:)?[cgmnr]\.[-*]?\d+(?:[-+]\d+)?([ACGTUacgtu])$"
)


def check_hgvs_quoting(text: str, option: str = "HGVS") -> str:
    """Refuse an HGVS substitution cut where its ``>`` should be, with a quoting hint.

    An unquoted ``c.1354C>T`` reaches the program as ``c.1354C``: the shell takes ``>T`` as "send
    the output to a file named T" (and creates that file). Such text ends in a position and a
    base with no ``>ALT``.

    Parameters
    ----------
    text
        The HGVS argument as received.
    option
        The argument or option name for the message (``"HGVS"``, ``"--variant"``).

    Returns
    -------
    str
        ``text`` unchanged when it is not a cut substitution.

    Raises
    ------
    HemesimError
        One line: what happened and ``quote the HGVS string: 'c.1354C>T'``.
    """
    found = _TRUNCATED_SUBSTITUTION.match(text.strip())
    if found is None:
        return text
    ref = found.group(1).upper()
    alt = next(b for b in "TAGC" if b != ref)
    example = f"{text.strip()}>{alt}"
    raise HemesimError(
        f"{option} {text.strip()!r}: a substitution needs '>' and the new base; the shell "
        "reads an unquoted '>' as 'write the output to a file' (and created that file): "
        f"quote the HGVS string: '{example}'"
    )


# ---------------------------------------------------------------------------------- progress

PROGRESS_ENV = "HEMESIM_PROGRESS"
"""Environment variable: ``1``/``always`` shows progress even when stderr is not a terminal,
``0``/``never`` hides it; unset, progress shows on a terminal (stderr) unless ``--json``."""


def progress_wanted(quiet: bool = False) -> bool:
    """Whether to draw a progress bar on stderr (see :data:`PROGRESS_ENV`).

    Parameters
    ----------
    quiet
        ``--json`` was given (stdout holds JSON; stderr stays free for the error object) or the
        command is otherwise asked not to talk; ``HEMESIM_PROGRESS=always`` still wins.
    """
    setting = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if setting in ("0", "never", "off", "no", "false"):
        return False
    if setting in ("1", "always", "on", "yes", "true"):
        return True
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(
    description: str, total: float | None = None, *, quiet: bool = False
) -> Iterator[Callable[..., None]]:
    """A rich progress bar on stderr; yields ``update(done, total=None, description=None)``.

    Drawn when :func:`progress_wanted` says so, else ``update`` does nothing. Used by every
    command whose work can take more than about two seconds (cohort, population, validate,
    penetrance, report, demo, variants).

    Examples
    --------
    >>> with progress_bar("simulating", total=n) as update:  # doctest: +SKIP
    ...     run(progress=lambda done, total: update(done, total))
    """
    if not progress_wanted(quiet):
        yield lambda *args, **kwargs: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    terminal = sys.stderr.isatty()
    console = Console(stderr=True, force_terminal=True if not terminal else None)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=terminal,
    ) as bar:
        task = bar.add_task(description, total=total)

        def update(done: float, total: float | None = None, description: str | None = None) -> None:
            fields: dict[str, Any] = {"completed": done}
            if total is not None:
                fields["total"] = total
            if description is not None:
                fields["description"] = description
            bar.update(task, **fields)

        yield update


# ---------------------------------------------------------------------------------- tables

FLAG_MARK = {"low": "L low", "high": "H high", "": ""}
"""How a high/low flag is printed (a letter for scanning, the word for reading)."""


def readout_table(phenotype: Mapping[str, Any], sex: str | None, title: str = "") -> Any:
    """A rich table of readouts: clinical name, value, unit, reference range and flag.

    Parameters
    ----------
    phenotype
        Readout -> number or ``{"value", "unit", "interval_95", ...}`` (extra keys ignored).
    sex
        ``"male"``/``"female"`` for the reference range; ``None`` when unknown.
    title
        Table title.

    Returns
    -------
    rich.table.Table
        Rows in clinical order (:func:`hemesim.report.labels.ordered_keys`); a "95 %" column
        only when some readout has an ``interval_95``.
    """
    from rich.table import Table

    from hemesim.report.labels import readout_rows

    rows = readout_rows(phenotype, sex)
    with_interval = any(r.interval_95 for r in rows)
    columns = ["readout", "value", "unit"] + (["95 %"] if with_interval else [])
    table = Table(*columns, "reference", "flag", title=title or None)
    for r in rows:
        cells = [r.name, r.value, r.unit] + ([r.interval_95] if with_interval else [])
        style = "bold" if r.flag else None
        table.add_row(*cells, r.reference, FLAG_MARK[r.flag], style=style)
    return table


def anaemia_line(severity: Mapping[str, Any] | None) -> str | None:
    """``"Anaemia: moderate (Hb 8.6 g/dL; below 13.0 g/dL for men, WHO 2011)"`` or ``None``."""
    anemia = (severity or {}).get("anemia")
    if not isinstance(anemia, Mapping):
        return None
    from hemesim.report.labels import format_value

    hb = format_value("hb_g_dl", anemia.get("hb_g_dl"))
    threshold = format_value("hb_g_dl", anemia.get("threshold_g_dl"))
    group = {"male": "men", "female": "women"}.get(str(anemia.get("sex")), "adults")
    grade = str(anemia.get("grade", "n/a"))
    verdict = "no anaemia" if grade == "none" else f"{grade} anaemia"
    return (
        f"Anaemia grade: {verdict} (Hb {hb} g/dL; anaemia below {threshold} g/dL for {group}, "
        "WHO 2011)"
    )


def iron_overload_line(severity: Mapping[str, Any] | None, iron: Any = None) -> str | None:
    """``"Iron overload: ferritin above 300 µg/L after 10.8 years"`` (or not reached), or ``None``.

    Parameters
    ----------
    severity
        The prediction's ``severity`` (``iron_overload.years_to_overload``, ferritin at 10 y).
    iron
        The prediction's ``iron`` (its ``summary`` gives the threshold and the years modelled).
    """
    overload = (severity or {}).get("iron_overload")
    if not isinstance(overload, Mapping):
        return None
    from hemesim.report.labels import format_number

    summary = iron.get("summary", {}) if isinstance(iron, Mapping) else {}
    threshold = summary.get("overload_threshold_ug_l", 300.0)
    years = overload.get("years_to_overload")
    at10 = overload.get("ferritin_ug_l_at_10y")
    modelled = ""
    if isinstance(iron, Mapping) and iron.get("years"):
        modelled = f" within the {format_number(max(iron['years']), 0)} years modelled"
    if isinstance(years, int | float) and years == years:
        text = f"ferritin above {format_number(threshold, 0)} µg/L after {years:.1f} years"
    else:
        text = f"ferritin stays at or below {format_number(threshold, 0)} µg/L{modelled}"
    if isinstance(at10, int | float):
        text += f" (ferritin at 10 years {format_number(at10, 0)} µg/L)"
    return f"Iron overload: {text}"
