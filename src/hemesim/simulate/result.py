"""Simulation results as objects: a time course plus its end point, with units and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SimulationResult"]


@dataclass
class SimulationResult:
    """One simulation of one model: a time course and the values at its end.

    Attributes
    ----------
    time_h
        Output times (h), shape ``(n,)``.
    series
        Time courses by id (species concentrations in uM, readouts and derived quantities in their
        units), each of shape ``(n,)``.
    species
        Species concentrations at the end (uM).
    fluxes
        Reaction rates at the end (amol/h per cell).
    readouts
        Readouts at the end (``mch_pg``, ``hb_g_dl``, ...; units in :attr:`units`).
    units
        Unit of every id above (and ``time_h``).
    provenance
        Software, version, parameters (overrides), time (see :func:`hemesim.provenance.provenance`).
    kind
        ``"time_course"`` or ``"steady_state"``.
    """

    time_h: np.ndarray
    series: dict[str, np.ndarray]
    species: dict[str, float]
    fluxes: dict[str, float]
    readouts: dict[str, float]
    units: dict[str, str]
    provenance: dict[str, Any] = field(default_factory=dict)
    kind: str = "time_course"

    def to_dataframe(self) -> pd.DataFrame:
        """Time course as a DataFrame: ``time_h`` then species, readouts and derived columns.

        Units are in ``df.attrs["units"]`` (column -> unit) and provenance in
        ``df.attrs["provenance"]``.
        """
        import pandas as pd

        data = {"time_h": self.time_h, **self.series}
        df = pd.DataFrame(data)
        df.attrs["units"] = {c: self.units.get(c, "") for c in df.columns}
        df.attrs["provenance"] = dict(self.provenance)
        return df

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready end point: species, fluxes, readouts, units and provenance."""
        keys = set(self.species) | set(self.fluxes) | set(self.readouts)
        return {
            "species": dict(self.species),
            "fluxes": dict(self.fluxes),
            "readouts": dict(self.readouts),
            "units": {k: v for k, v in self.units.items() if k in keys or k == "time_h"},
            "provenance": dict(self.provenance),
        }

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={self.readouts[k]:.4g}"
            for k in ("mch_pg", "hb_g_dl", "ep_total_umol_l_rbc", "mito_iron_index")
            if k in self.readouts
        )
        return f"SimulationResult({self.kind}, {len(self.time_h)} points, {shown})"
