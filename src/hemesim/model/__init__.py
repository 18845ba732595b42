"""hemesim.model: the erythroid heme pathway as data (Antimony equations + parameter table).

>>> from hemesim.model import load_definition
>>> d = load_definition("erythroid")
>>> "ALAS2.kcat" in set(d.parameters["name"])
True
"""

from hemesim.model.definition import (
    MODEL_NAMES,
    READOUTS,
    ModelDefinition,
    load_definition,
    parameter_id,
)
from hemesim.model.effects import EFFECT_PARAMETERS, effect_overrides

__all__ = [
    "EFFECT_PARAMETERS",
    "MODEL_NAMES",
    "READOUTS",
    "ModelDefinition",
    "effect_overrides",
    "load_definition",
    "parameter_id",
]
