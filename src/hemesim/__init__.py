"""hemesim: the human ALAS2 gene, the erythroid heme pathway, XLSA/XLP and X-linked inheritance.

The public API is re-exported here. Names are resolved lazily (PEP 562) so that ``import hemesim``
and ``hemesim --help`` do not load libRoadRunner or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> "module:attribute"
_EXPORTS: dict[str, str] = {
    "HemesimError": "hemesim.errors:HemesimError",
    "Effect": "hemesim.variants.effect_types:Effect",
    "load_model": "hemesim.simulate.session:load_model",
    "variant": "hemesim.variants.interpret:interpret",
    "predict": "hemesim.phenotype.predict:predict",
    "risk": "hemesim.genetics.risk:risk",
    "read_ped": "hemesim.genetics.ped:read_ped",
    "write_ped": "hemesim.genetics.ped:write_ped",
    "validate_ped": "hemesim.genetics.ped:validate_ped",
    "simulate_population": "hemesim.genetics.population:simulate_population",
    "run_cohort": "hemesim.simulate.cohort:run_cohort",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'hemesim' has no attribute {name!r}")
    module_name, attr = target.split(":")
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
