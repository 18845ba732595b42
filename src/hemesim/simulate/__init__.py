"""hemesim.simulate: engines that run the model (libRoadRunner by default).

Import-light: ``load_model`` and ``SimulationResult`` are resolved on first use so that importing
this package does not load libRoadRunner.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Model", "SimulationResult", "load_model"]

_EXPORTS = {
    "load_model": "hemesim.simulate.session",
    "Model": "hemesim.simulate.session",
    "SimulationResult": "hemesim.simulate.result",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hemesim.simulate' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
