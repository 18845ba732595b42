"""Parameter-uncertainty priors: log-normal around each sourced value.

These priors express EPISTEMIC uncertainty (how well each number is known), not between-person
variability: a draw is a possible model, not a possible person. Cohorts of people come from the
calibrated virtual population (:mod:`hemesim.phenotype.vpop`); these priors are an optional,
separately labelled spread on top (``virtual_cohort(..., uncertainty=True)``, spread
``population+parameter-uncertainty``). Under them healthy men reach Hb 7-20 g/dL and about 15 %
the XLP range of EP, which no population shows.

Each parameter of the model table (``name, value, unit, source, kind, note``) gets a log-normal
prior whose median is the table value and whose log-scale standard deviation depends on how the
value was obtained (the ``kind`` column):

============  =========  ============================================================
kind          sd (log)   meaning
============  =========  ============================================================
measured      0.10       read in a primary source (about +/-10 % one sd)
calculated    0.10       derived from measured values by a stated calculation
fitted        0.25       chosen so the model reproduces a reference figure
assumed       0.50       an order-of-magnitude choice (about x/1.65 one sd)
============  =========  ============================================================

A factor ``exp(sd * z)`` with ``z ~ N(0, 1)`` multiplies the value, so the 95 % prior interval is
``value * exp(+/-1.96 sd)``. Excluded (held fixed): compartment volumes (structure), physical
constants (molar masses), readout normalisations (reference values named ``*.ref`` or ``*_ref``),
the empty-cell volume of the MCV readout (``MCV.min``), the numerical ``guard``, the simulated
duration (``maturation.duration``), and parameters whose value is 0 (no log-normal exists
around 0).

``MCV.min`` (45 fL, the MCV of a cell without hemoglobin) belongs to the readout mapping
``mcv = (MCV.min^p + (MCV.ref^p - MCV.min^p) (MCH / MCH.ref)^p)^(1/p)``, like the ``*.ref``
normalisations beside it, and the model requires ``MCV.ref > MCV.min``
(:meth:`hemesim.model.ModelDefinition.check_override_columns`). Its ``assumed`` prior (sd 0.5)
put ``MCV.min`` at or above the fixed ``MCV.ref`` (90 fL) in about 8 % of draws, where the MCV
rises as hemoglobin falls (MCVs of 17 to 202 fL in a cohort of XLSA men), so it is held at its
table value: every draw then keeps the relation, and every draw passes the model's override
checks (bounded fractions stay inside their bound by the logit-normal form below).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import SimulationError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SD_BY_KIND", "LogNormalPriors", "priors_from_table"]

SD_BY_KIND: dict[str, float] = {
    "measured": 0.10,
    "calculated": 0.10,
    "fitted": 0.25,
    "assumed": 0.50,
}
"""Log-scale standard deviation of the prior by the table's ``kind`` column."""

_FIXED_NAMES = frozenset(
    {"guard", "maturation.duration", "maturation_duration", "MCV.min", "MCV_min"}
)
"""Table names (and ids) held fixed besides the rules of :func:`_excluded` (module docstring)."""
_STRUCTURAL_UNITS = frozenset({"pL", "fL", "L"})


@dataclass(frozen=True)
class LogNormalPriors:
    """Independent log-normal priors on named parameters.

    Attributes
    ----------
    names
        Parameter ids (as the engine knows them).
    medians
        Median of each prior (the sourced value), same units as the table.
    sds
        Log-scale standard deviations.
    """

    names: tuple[str, ...]
    medians: np.ndarray
    sds: np.ndarray
    uppers: np.ndarray | None = None

    def apply(self, k: int, base: np.ndarray, factors: np.ndarray) -> np.ndarray:
        """Perturb ``base`` values of parameter ``k`` by multiplicative ``factors``.

        Unbounded parameters: ``base * factor`` (log-normal). A parameter with an upper bound
        ``U`` (a fraction such as ``IRE.repression`` or ``ineffective.max``) is perturbed on its
        odds ``v / (U - v)`` instead (logit-normal): the median stays ``base`` and every draw
        stays inside ``(0, U)``, so no draw breaks the model's own bounds.
        """
        upper = np.inf if self.uppers is None else float(self.uppers[k])
        if not np.isfinite(upper):
            return base * factors
        b = np.minimum(base, upper * (1 - 1e-12))
        return upper * b * factors / (upper - b + b * factors)

    def sample_factors(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Multiplicative factors ``exp(sd * z)``, shape ``(n, len(names))``."""
        z = rng.standard_normal((n, len(self.names)))
        return np.exp(z * self.sds[None, :])

    def sample(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """Draw ``n`` parameter sets: ``{name: values}``."""
        f = self.sample_factors(rng, n)
        return {
            nm: self.apply(k, np.full(n, self.medians[k]), f[:, k])
            for k, nm in enumerate(self.names)
        }

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """Central prior interval of one parameter."""
        from scipy.stats import norm

        k = self.names.index(name)
        z = float(norm.ppf(0.5 + level / 2))
        return (
            float(self.medians[k] * math.exp(-z * self.sds[k])),
            float(self.medians[k] * math.exp(z * self.sds[k])),
        )

    def to_dataframe(self) -> pd.DataFrame:
        """One row per parameter: ``name, median, sd_log, lo95, hi95``."""
        import pandas as pd

        return pd.DataFrame(
            {
                "name": list(self.names),
                "median": self.medians,
                "sd_log": self.sds,
                "lo95": self.medians * np.exp(-1.959964 * self.sds),
                "hi95": self.medians * np.exp(1.959964 * self.sds),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly description (name -> median, sd_log)."""
        return {
            nm: {"median": float(m), "sd_log": float(s)}
            for nm, m, s in zip(self.names, self.medians, self.sds, strict=True)
        }


def _excluded(name: str, unit: str, value: float) -> bool:
    if name in _FIXED_NAMES or value == 0 or not math.isfinite(value):
        return True
    if unit in _STRUCTURAL_UNITS and "." not in name:
        return True  # compartment volumes (cyto, mito, plasma)
    return name.endswith((".molar_mass", ".ref", "_ref"))


def priors_from_table(
    table: pd.DataFrame,
    *,
    id_of: Any = None,
    sd_by_kind: dict[str, float] | None = None,
    include: list[str] | None = None,
    upper_bounds: dict[str, float] | None = None,
) -> LogNormalPriors:
    """Priors for every uncertain parameter of a table ``name, value, unit, source, kind, note``.

    Parameters
    ----------
    table
        The model's parameter table.
    id_of
        Maps a table name to the engine's parameter id (``ModelDefinition.id_of``); default
        replaces dots by underscores.
    sd_by_kind
        Log-scale sd per kind (default :data:`SD_BY_KIND`).
    include
        Restrict to these table names (default: every non-excluded parameter).
    upper_bounds
        Engine id -> upper bound (e.g. ``hemesim.model.definition.UPPER_BOUNDS``): those
        parameters get logit-normal priors inside ``(0, bound)`` (:meth:`LogNormalPriors.apply`).

    Returns
    -------
    LogNormalPriors
    """
    sds = dict(SD_BY_KIND if sd_by_kind is None else sd_by_kind)
    names: list[str] = []
    med: list[float] = []
    sd: list[float] = []
    wanted = set(include) if include is not None else None
    for row in table.itertuples(index=False):
        name = str(row.name)
        if wanted is not None and name not in wanted:
            continue
        value = float(row.value)  # type: ignore[arg-type]
        if _excluded(name, str(row.unit), value) and wanted is None:
            continue
        kind = str(row.kind)
        if kind not in sds:
            raise SimulationError(
                f"parameter {name!r} has kind {kind!r}; expected one of {sorted(sds)}"
            )
        names.append(id_of(name) if id_of is not None else name.replace(".", "_"))
        med.append(value)
        sd.append(sds[kind])
    bounds = upper_bounds or {}
    # a parameter that sits ON its bound (e.g. IRE.repression = 1, full repression) has no
    # two-sided uncertainty to express: it is held fixed rather than given a degenerate prior
    keep = [i for i, nm in enumerate(names) if med[i] < bounds.get(nm, np.inf)]
    names = [names[i] for i in keep]
    uppers = np.asarray([float(bounds.get(nm, np.inf)) for nm in names])
    return LogNormalPriors(
        tuple(names), np.asarray([med[i] for i in keep]), np.asarray([sd[i] for i in keep]), uppers
    )
