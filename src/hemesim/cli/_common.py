"""Small helpers shared by the CLI command modules (JSON output, errors, progress)."""

from __future__ import annotations

import json
import math
from typing import Any

import typer

from hemesim.errors import HemesimError

__all__ = ["emit_json", "parse_assignments", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, dataclasses with ``to_dict`` and non-finite floats for JSON."""
    if hasattr(obj, "to_dict") and not isinstance(obj, dict | type):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):
        return to_jsonable(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


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
