"""One exception family for hemesim.

Every error a user can cause is a :class:`HemesimError` (or a subclass for its stage) whose message
is one line that names the offending field or value and the form that is expected. The CLI maps any
``HemesimError`` to exit code 2 and prints the message on stderr; the web layer maps it to HTTP 422.
"""

from __future__ import annotations

__all__ = [
    "HemesimError",
    "GeneError",
    "VariantError",
    "ModelError",
    "SimulationError",
    "PhenotypeError",
    "PedigreeError",
    "ReportError",
]


class HemesimError(Exception):
    """Base class: a problem the user can fix, with a one-line message saying how."""


class GeneError(HemesimError):
    """Reference data for ALAS2 is missing or inconsistent."""


class VariantError(HemesimError):
    """A variant description cannot be parsed, or does not match the ALAS2 reference."""


class ModelError(HemesimError):
    """Unknown model, unknown parameter name, or a parameter value outside its allowed range."""


class SimulationError(HemesimError):
    """The integrator or steady-state solver failed for the given inputs."""


class PhenotypeError(HemesimError):
    """Invalid genotype/sex/X-inactivation/treatment request."""


class PedigreeError(HemesimError):
    """A pedigree file or its observations break a rule of the X-linked model."""


class ReportError(HemesimError):
    """A report or plot cannot be produced (bad output path or format)."""
