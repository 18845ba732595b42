"""The phenotype stage's one path: clones -> mosaic blood -> disease call, for any number of people.

``predict`` (one person), ``penetrance`` (a grid of X-inactivation ratios and a sample of women)
and virtual cohorts (one clone pair per person) all go through :func:`assess`::

    effect --(clones.simulate_clones)--> ClonePair --(assess)--> People(blood, diagnosis)

:func:`assess` mixes the mutant and normal clone at each person's ``xi``
(:func:`hemesim.phenotype.mosaic.mix_arrays`; a man is ``xi = 1``) and calls the disease with
:func:`hemesim.phenotype.diagnosis.diagnose`. Nothing else in the stage mixes blood or names a
disease, so every surface gives the same call for the same person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hemesim.phenotype.diagnosis import Diagnosis, diagnose
from hemesim.phenotype.mosaic import MosaicBlood, mix_arrays

__all__ = ["People", "assess"]


@dataclass(frozen=True)
class People:
    """Blood readouts and disease calls of one or more people.

    Attributes
    ----------
    blood
        Readout name -> one value per person (units in
        :data:`hemesim.phenotype.readouts.READOUT_UNITS`).
    diagnosis
        The disease calls and the criteria behind them.
    """

    blood: dict[str, NDArray[np.float64]]
    diagnosis: Diagnosis

    def __len__(self) -> int:
        return int(self.diagnosis.calls.size)

    def person(self, i: int = 0) -> MosaicBlood:
        """Readouts of person ``i`` as a :class:`~hemesim.phenotype.mosaic.MosaicBlood`."""
        return MosaicBlood({k: float(v[i]) for k, v in self.blood.items()})

    @property
    def affected(self) -> NDArray[np.bool_]:
        """True for each person called XLSA or XLP."""
        return self.diagnosis.affected


def assess(
    mutant: Mapping[str, Any],
    normal: Mapping[str, Any],
    xi: ArrayLike,
    *,
    sex: str,
    mechanism: str,
    epo_gain: float = 0.0,
) -> People:
    """Mix the clones at each ``xi`` and call the disease.

    Parameters
    ----------
    mutant, normal
        Clone endpoints (model units): floats shared by everyone, or 1-D arrays with one value
        per person (see :func:`hemesim.phenotype.mosaic.mix_arrays`).
    xi
        Share of erythroid cells with the variant X active, per person (0..1; 1 for a man).
    sex
        ``"male"`` or ``"female"``.
    mechanism
        The variant's mechanism class (:func:`hemesim.phenotype.diagnosis.mechanism_of`).
    epo_gain
        The model's EPO feedback gain (dimensionless).

    Returns
    -------
    People
        Readouts and calls, one entry per ``xi``.
    """
    blood = mix_arrays(mutant, normal, xi, epo_gain=epo_gain)
    return People(blood=blood, diagnosis=diagnose(blood, sex=sex, mechanism=mechanism))
