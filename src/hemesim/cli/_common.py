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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from hemesim.errors import HemesimError, ReportError
from hemesim.jsonable import jsonable
from hemesim.safe_io import DISK_FULL_ERRNOS, atomic_output, os_error_reason

__all__ = [
    "EXIT_FAILED",
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
