"""The user-facing model object: ``hemesim.load_model("erythroid")``.

A :class:`Model` pairs a :class:`~hemesim.model.ModelDefinition` with the shared, compiled
libRoadRunner engine of its name. Each ``Model`` keeps its own reversible edits
(:meth:`Model.applied`), so two ``Model`` objects never see each other's changes even though they
share one compiled engine.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from hemesim.errors import ModelError
from hemesim.model.definition import RANGES, ModelDefinition, load_definition
from hemesim.model.effects import effect_overrides
from hemesim.provenance import provenance
from hemesim.simulate.result import SimulationResult
from hemesim.simulate.roadrunner_engine import RoadRunnerEngine, get_engine
from hemesim.variants.effect_types import Effect

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Model", "load_model", "Edit"]

Edit = Mapping[str, float] | Effect
"""A parameter edit: ``{"ALAS2.kcat": 97.5}`` (table names or ids) or an :class:`Effect`."""


class Model:
    """A simulatable model with reversible parameter edits.

    Parameters
    ----------
    definition
        The model definition.
    engine
        The compiled engine (shared per model name; see :func:`load_model`).
    """

    def __init__(self, definition: ModelDefinition, engine: RoadRunnerEngine) -> None:
        self.definition = definition
        self._engine = engine
        self._edits: dict[str, float] = {}

    # ------------------------------------------------------------------------ inspection
    @property
    def name(self) -> str:
        """Model name."""
        return self.definition.name

    @property
    def parameters(self) -> pd.DataFrame:
        """The parameter table with the values currently in force (edits applied)."""
        table = self.definition.parameters
        if self._edits:
            ids = table["name"].map(self.definition.id_of)
            table["value"] = [
                self._edits.get(i, v) for i, v in zip(ids, table["value"], strict=True)
            ]
        return table

    @property
    def maturation_h(self) -> float:
        """Default simulation length: the maturation time (h)."""
        return float(self.current_values()["maturation_duration"])

    def current_values(self, overrides: Edit | None = None) -> dict[str, float]:
        """All parameter values by Antimony id: defaults, then edits, then ``overrides``."""
        values = self.definition.defaults
        values.update(self._edits)
        values.update(self._resolve(overrides))
        return values

    def _resolve(self, edit: Edit | None) -> dict[str, float]:
        if edit is None:
            return {}
        if isinstance(edit, Effect):
            edit = effect_overrides(edit, self.definition)
        if not isinstance(edit, Mapping):
            raise ModelError(
                f"overrides: expected a mapping of parameter names to values (e.g. "
                f"{{'ALAS2.kcat': 97.5}}) or an Effect; got {type(edit).__name__}"
            )
        return self.definition.validate_overrides(edit)

    def _merged(self, base: Mapping[str, float], new: Mapping[str, float]) -> dict[str, float]:
        """``base`` updated by ``new``, checked together: a constraint between parameters
        (``MCV.ref > MCV.min``) holds for the values in force, not for each edit alone."""
        merged = {**base, **new}
        if base and new:
            self.definition.validate_overrides(merged)
        return merged

    def _changes(self, overrides: Edit | None) -> dict[str, float]:
        return self._merged(self._edits, self._resolve(overrides))

    def _end_time(self, changes: dict[str, float], until_h: float | None) -> float:
        """End of the run (h): ``until_h``, or the maturation length in force.

        The readouts (MCH, MCV, Hb, protoporphyrin) describe the cell at the end of maturation,
        and the model has nothing that stops hemoglobinisation after it (MCV reached 295 fL at
        200 h), so a run may stop earlier but not later than ``maturation.duration``.
        """
        duration = float(changes.get("maturation_duration", self.maturation_h))
        if until_h is None:
            return duration
        if (
            isinstance(until_h, numbers.Real)
            and not isinstance(until_h, bool)
            and until_h > duration * (1.0 + 1e-12)
        ):
            low, high = RANGES["maturation_duration"]
            raise ModelError(
                f"until_h {float(until_h):.10g} h is past the end of maturation ({duration:g} h, "
                "maturation.duration): the blood indices are defined at its end; simulate to at "
                f"most {duration:g} h, or set maturation.duration ({low:g} to {high:g} h)"
            )
        return until_h

    # ------------------------------------------------------------------------ runs
    def simulate(
        self, until_h: float | None = None, points: int = 200, overrides: Edit | None = None
    ) -> SimulationResult:
        """Simulate one erythroblast's maturation.

        Parameters
        ----------
        until_h
            End time (h); default the maturation length (``maturation.duration``, 72 h).
        points
            Number of output points (>= 2).
        overrides
            Parameter values for this run only (``{"ALAS2.kcat": 97.5}``) or an ``Effect``;
            added on top of any :meth:`applied` edits.

        Returns
        -------
        SimulationResult
            Time course (species uM, readouts) and the end point.

        Raises
        ------
        ModelError
            Unknown parameter name, negative or non-finite value.
        SimulationError
            The integrator failed.
        """
        changes = self._changes(overrides)
        until = self._end_time(changes, until_h)
        time_h, series, species, fluxes = self._engine.time_course(changes, until, points)
        readouts = {k: float(series[k][-1]) for k in self._engine.readout_ids}
        return SimulationResult(
            time_h=time_h,
            series=series,
            species=species,
            fluxes=fluxes,
            readouts=readouts,
            units=self._units(),
            provenance=self._provenance("simulate", changes, until_h=until, points=points),
            kind="time_course",
        )

    def endpoint(
        self,
        overrides: Edit | None = None,
        until_h: float | None = None,
        extra: tuple[str, ...] = (),
    ) -> dict[str, float]:
        """Readouts at the end of maturation (fast path; no time course kept).

        Parameters
        ----------
        overrides
            As in :meth:`simulate`.
        until_h
            End time (h); default the maturation length.
        extra
            Further model quantities read at the same time (e.g. ``iron_taken_up_amol``, the
            transferrin iron a cell took up, amol).

        Returns
        -------
        dict
            ``{readout_id: value}`` (units in ``definition.units``).
        """
        changes = self._changes(overrides)
        return self._engine.endpoint(changes, self._end_time(changes, until_h), tuple(extra))

    def steady_state(self, overrides: Edit | None = None) -> SimulationResult:
        """Quasi-steady state of the pathway at the end of maturation.

        A maturing erythroblast has no true steady state: hemoglobin, ZnPP and deposited iron
        accumulate for as long as the cell makes heme. This method holds those accumulating pools
        at their values at the end of maturation and solves for the steady state of everything
        else (ALAS2 protein, intermediates, labile iron, free heme, globin): the flux state of a
        late erythroblast. Readouts are computed from that state.

        Returns
        -------
        SimulationResult
            ``kind == "steady_state"``; the "time course" is the single steady point.
        """
        import numpy as np

        changes = self._changes(overrides)
        until = changes.get("maturation_duration", self.maturation_h)
        species, fluxes, readouts, derived = self._engine.steady_state(changes, until)
        series = {k: np.array([v]) for k, v in {**species, **readouts, **derived}.items()}
        return SimulationResult(
            time_h=np.array([float(until)]),
            series=series,
            species=species,
            fluxes=fluxes,
            readouts=readouts,
            units=self._units(),
            provenance=self._provenance("steady_state", changes, until_h=until),
            kind="steady_state",
        )

    @contextlib.contextmanager
    def applied(self, edit: Edit) -> Iterator[Model]:
        """Apply parameter values (or an ``Effect``) until the ``with`` block ends.

        Example
        -------
        >>> m = load_model()
        >>> with m.applied({"ALAS2.kcat": 97.5}) as mm:  # doctest: +SKIP
        ...     mm.endpoint()["mch_pg"]
        """
        new = self._merged(self._edits, self._resolve(edit))
        saved = dict(self._edits)
        self._edits = new
        try:
            yield self
        finally:
            self._edits = saved

    # ------------------------------------------------------------------------ helpers
    def _units(self) -> dict[str, str]:
        units = self.definition.units
        for rid in self._engine.reaction_ids:
            units[rid] = "amol/h"
        return units

    def _provenance(self, what: str, changes: dict[str, float], **extra: Any) -> dict[str, Any]:
        params = {
            "model": self.name,
            "overrides": {self.definition.name_of(k): v for k, v in sorted(changes.items())},
            **extra,
        }
        return provenance(f"hemesim.load_model({self.name!r}).{what}", params)

    def __repr__(self) -> str:
        return f"Model(name={self.name!r}, edits={len(self._edits)})"


def load_model(name: str = "erythroid") -> Model:
    """Load a model by name; the libRoadRunner compilation happens once per process and name.

    Parameters
    ----------
    name
        Model name (``"erythroid"``).

    Returns
    -------
    Model
        A new :class:`Model` (own edits) on the shared compiled engine.

    Raises
    ------
    ModelError
        Unknown model name (the message lists the allowed names).
    """
    definition = load_definition(name)
    return Model(definition, get_engine(name))
