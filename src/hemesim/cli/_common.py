"""Small helpers shared by the CLI command modules (JSON output, errors, progress)."""

from __future__ import annotations

import json
from typing import Any

import typer

from hemesim.errors import HemesimError
from hemesim.jsonable import jsonable

__all__ = ["emit_json", "parse_assignments", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """Convert results, numpy values and non-finite floats for JSON (hemesim.jsonable)."""
    return jsonable(obj)


def emit_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on stdout."""
    typer.echo(json.dumps(to_jsonable(obj), indent=2))


def parse_assignments(items: list[str] | None, field: str = "--set") -> dict[str, float]:
    """Parse ``NAME=VALUE`` pairs into a dict, with a one-line error naming the bad item."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise HemesimError(f"{field} {item!r}: expected NAME=VALUE, e.g. ALAS2.kcat=0.5")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise HemesimError(
                f"{field} {item!r}: value {value!r} is not a number; expected NAME=VALUE"
            ) from None
    return out
