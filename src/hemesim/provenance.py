"""Provenance attached to every hemesim output (software, version, parameters, seed, time)."""

from __future__ import annotations

import datetime as _dt
import platform
from typing import Any

__all__ = ["provenance"]


def provenance(
    command: str, parameters: dict[str, Any] | None = None, seed: int | None = None
) -> dict[str, Any]:
    """Return a provenance record for an output.

    Parameters
    ----------
    command
        What produced the output (API function or CLI command line).
    parameters
        The inputs that determine the output (JSON-serialisable).
    seed
        The random seed, if the output is stochastic.

    Returns
    -------
    dict
        ``software``, ``version``, ``python``, ``command``, ``parameters``, ``seed``, ``time_utc``.
    """
    from hemesim import __version__

    return {
        "software": "hemesim",
        "version": __version__,
        "python": platform.python_version(),
        "command": command,
        "parameters": parameters or {},
        "seed": seed,
        "time_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
