"""Parameter sets for a virtual cohort of heterozygous women, for a batched engine.

A cohort of women carrying one variant needs only TWO erythroid simulations, whatever its size:
the mutant clone and the normal clone. :func:`female_cohort_sets` samples each woman's ``xi`` and
returns the two parameter-override sets plus the bookkeeping to turn the two endpoint results
back into per-woman blood readouts (:meth:`FemaleCohortSets.combine`). An engine that runs many
parameter sets at once (``hemesim.simulate``'s batched engine) evaluates ``parameter_sets`` and
hands the results to ``combine``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import HemesimError, PhenotypeError
from hemesim.phenotype.clones import CloneBackend, default_backend, merge_overrides
from hemesim.phenotype.inputs import resolve_variant
from hemesim.phenotype.mosaic import mix_arrays
from hemesim.phenotype.treatments import get_treatment
from hemesim.phenotype.xinactivation import xi_distribution
from hemesim.provenance import provenance

__all__ = ["FemaleCohortSets", "female_cohort_sets"]


@dataclass(frozen=True)
class FemaleCohortSets:
    """Two parameter sets (mutant clone, normal clone) and each woman's ``xi``.

    Attributes
    ----------
    xi
        Per-woman X-inactivation ratio (fraction of erythroid cells with the variant X active).
    parameter_sets
        ``[mutant_overrides, normal_overrides]``: parameter name -> value (table units).
    epo_gain
        The model's EPO gain (dimensionless), for the Hb mixing rule.
    variant, age_years, seed
        Inputs, for provenance.
    """

    xi: NDArray[np.float64]
    parameter_sets: list[dict[str, float]]
    epo_gain: float
    variant: str
    age_years: float
    seed: int | None = None
    labels: tuple[str, str] = field(default=("mutant", "normal"))

    def combine(self, endpoints: Sequence[Mapping[str, float]]) -> dict[str, NDArray[np.float64]]:
        """Per-woman blood readouts from the two endpoint results (same order as the sets)."""
        if len(endpoints) != 2:
            raise PhenotypeError(
                f"endpoints: expected 2 results (mutant, normal clone), got {len(endpoints)}"
            )
        return mix_arrays(endpoints[0], endpoints[1], self.xi, epo_gain=self.epo_gain)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (xi quantiles rather than every woman)."""
        return {
            "variant": self.variant,
            "n_women": int(self.xi.size),
            "age_years": self.age_years,
            "seed": self.seed,
            "xi_quantiles": {
                f"q{int(q * 100):02d}": float(np.quantile(self.xi, q)) for q in (0.05, 0.5, 0.95)
            },
            "parameter_sets": self.parameter_sets,
            "provenance": provenance(
                "hemesim.phenotype.female_cohort_sets",
                {
                    "variant": self.variant,
                    "n_women": int(self.xi.size),
                    "age_years": self.age_years,
                },
                self.seed,
            ),
        }


def female_cohort_sets(
    variant: Any,
    n_women: int,
    *,
    seed: int | None = None,
    age_years: float | None = None,
    treatment: str = "none",
    backend: CloneBackend | None = None,
) -> FemaleCohortSets:
    """Sample ``n_women`` values of ``xi`` and build the two clone parameter sets.

    Parameters
    ----------
    variant
        HGVS text, ``VariantReport`` or ``Effect``.
    n_women
        Cohort size (>= 1).
    seed
        Seed for the ``xi`` draws.
    age_years
        Age for the xi distribution (years; default 40).
    treatment
        Treatment applied to both clones.
    backend
        Supplies default parameter values and the effect's overrides (no simulation happens).
    """
    be: CloneBackend = backend if backend is not None else default_backend()
    resolved = resolve_variant(variant).require_quantified()
    treat = get_treatment(treatment)
    dist = xi_distribution(age_years)
    xi = dist.sample(n_women, seed)
    mutant = merge_overrides(be, be.effect_overrides(resolved.effect), treat.cell_factors)
    normal = merge_overrides(be, {}, treat.cell_factors)
    try:
        gain = float(be.base_value("EPO.gain"))
    except (LookupError, HemesimError):  # no EPO feedback in this backend: xi-weighted Hb
        gain = 0.0
    return FemaleCohortSets(
        xi=xi,
        parameter_sets=[mutant, normal],
        epo_gain=gain,
        variant=resolved.label,
        age_years=dist.age_years,
        seed=seed,
    )
