"""libRoadRunner engine: compile a model's SBML once per process, then reset + set values.

Compiling SBML to machine code takes a few hundred ms, a simulation a few ms, so an engine is
built once per model name and process (:func:`get_engine`) and shared. Each call brings the
RoadRunner instance to the requested parameter vector by setting only the values that differ from
the ones it holds, resets the state and integrates. A lock serialises calls from threads.
"""

from __future__ import annotations

import contextlib
import functools
import math
import numbers
import os
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import SimulationError
from hemesim.model.definition import DERIVED_UNITS, ModelDefinition, load_definition

if TYPE_CHECKING:
    import roadrunner

__all__ = ["RoadRunnerEngine", "get_engine", "ACCUMULATORS", "RELATIVE_TOLERANCE"]

RELATIVE_TOLERANCE = 1e-6
_RELAX_H = 2000.0  # h of integration that relax the quasi-steady-state model
_STEADY_TOLERANCE = 1e-9  # max |d amount/dt| relative to the largest flux
ABSOLUTE_TOLERANCE = 1e-9

# species that only ever grow during maturation (held fixed for the quasi-steady state)
ACCUMULATORS = ("Hb", "ZnPP", "Fe_dep", "Fe_fer", "biliverdin", "PPIX_ext", "UROgenI")
# rate-rule bookkeeping variables that only grow (constant in the quasi-steady state)
_COUNTERS = ("ala_made_amol", "iron_taken_up_amol")


class RoadRunnerEngine:
    """A compiled model and the bookkeeping to reuse it safely.

    Parameters
    ----------
    definition
        The model definition; its SBML is compiled here.
    relative_tolerance, absolute_tolerance
        CVODE tolerances (relative; absolute in amol).
    """

    def __init__(
        self,
        definition: ModelDefinition,
        relative_tolerance: float = RELATIVE_TOLERANCE,
        absolute_tolerance: float = ABSOLUTE_TOLERANCE,
    ) -> None:
        # integrator failures are reported once, as a one-line SimulationError; CVODE's own log
        # lines would otherwise reach the user's terminal before it: libRoadRunner's through its
        # logger, SUNDIALS' through its SUNLogger, which writes errors to the file this variable
        # names (read when the solver context is created; a user's own setting is kept)
        os.environ.setdefault("SUNLOGGER_ERROR_FILENAME", os.devnull)
        import roadrunner

        roadrunner.Logger.setLevel(roadrunner.Logger.LOG_FATAL)
        self.definition = definition
        self._rr = roadrunner.RoadRunner(definition.sbml)
        _configure(self._rr, relative_tolerance, absolute_tolerance)
        self._lock = threading.RLock()
        model = self._rr.model
        self.species_ids: list[str] = list(model.getFloatingSpeciesIds())
        self.boundary_ids: list[str] = list(model.getBoundarySpeciesIds())
        self.reaction_ids: list[str] = list(model.getReactionIds())
        self.readout_ids: list[str] = definition.readout_names
        params = set(model.getGlobalParameterIds())
        self.derived_ids: list[str] = [k for k in DERIVED_UNITS if k in params]
        self._series_ids = self.species_ids + self.readout_ids + self.derived_ids
        self._nonnegative = frozenset(self.species_ids + self.readout_ids)
        self._selections = (
            ["time"] + [f"[{s}]" for s in self.species_ids] + self.readout_ids + self.derived_ids
        )
        self._defaults = definition.defaults
        self._current: dict[str, float] = dict(self._defaults)
        self._ss_rr: roadrunner.RoadRunner | None = None
        self._ss_current: dict[str, float] = dict(self._defaults)

    # ------------------------------------------------------------------------------ state
    def _set_values(self, rr: Any, current: dict[str, float], values: dict[str, float]) -> None:
        """Bring ``rr`` to ``defaults + values`` by setting only what differs."""
        target = dict(self._defaults)
        target.update(values)
        floating = set(rr.model.getFloatingSpeciesIds())
        boundary = set(rr.model.getBoundarySpeciesIds())
        for pid, value in target.items():
            if current.get(pid) == value:
                continue
            if pid in floating:
                rr.setValue(f"init([{pid}])", value)
            elif pid in boundary:
                rr.setValue(f"init([{pid}])", value)
                rr.setValue(f"[{pid}]", value)
            else:
                rr.setValue(pid, value)
            current[pid] = value

    # ------------------------------------------------------------------------------ runs
    def time_course(
        self, values: dict[str, float], until_h: float, points: int
    ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, float], dict[str, float]]:
        """Integrate from the initial state to ``until_h``.

        Parameters
        ----------
        values
            Parameter values by Antimony id that differ from the defaults.
        until_h
            End time (h), > 0.
        points
            Number of output points (>= 2), evenly spaced.

        Returns
        -------
        tuple
            ``(time_h, series, species_end, fluxes_end)``.
        """
        until_h, points = _check_run(until_h, points)
        with self._lock:
            rr = self._rr
            self._set_values(rr, self._current, values)
            rr.reset()
            try:
                out = rr.simulate(0.0, float(until_h), int(points), selections=self._selections)
            except RuntimeError as exc:
                raise SimulationError(_one_line(exc, until_h, self._named(values))) from None
            arr = np.asarray(out)
            species = dict(
                zip(self.species_ids, rr.model.getFloatingSpeciesConcentrations(), strict=True)
            )
            fluxes = dict(zip(self.reaction_ids, rr.model.getReactionRates(), strict=True))
        series = {sid: arr[:, i + 1].copy() for i, sid in enumerate(self._series_ids)}
        _check_finite(series, self._named(values))
        _check_nonnegative(
            {k: float(np.min(v)) for k, v in series.items() if k in self._nonnegative},
            self._named(values),
        )
        return (
            arr[:, 0].copy(),
            series,
            {k: float(v) for k, v in species.items()},
            {k: float(v) for k, v in fluxes.items()},
        )

    def endpoint(
        self, values: dict[str, float], until_h: float, extra: tuple[str, ...] = ()
    ) -> dict[str, float]:
        """Readouts at ``until_h`` only (no stored time course; the fast path).

        ``extra`` names further model quantities (e.g. ``iron_taken_up_amol``) read at the same
        time and added to the result.
        """
        until_h, _ = _check_run(until_h, 2)
        with self._lock:
            rr = self._rr
            self._set_values(rr, self._current, values)
            rr.reset()
            try:
                rr.simulate(0.0, float(until_h), 2, selections=["time"])
            except RuntimeError as exc:
                raise SimulationError(_one_line(exc, until_h, self._named(values))) from None
            out = {k: float(rr.getValue(k)) for k in self.readout_ids}
            for k in extra:
                out[k] = float(rr.getValue(k))
        if not all(math.isfinite(v) for v in out.values()):
            raise SimulationError(
                f"non-finite readouts for the parameter values {self._named(values)}; use values "
                "nearer the defaults (list them with hemesim.model.load_definition().parameters)"
            )
        _check_nonnegative(out, self._named(values))
        return out

    def steady_state(
        self, values: dict[str, float], until_h: float
    ) -> tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float]]:
        """Quasi-steady state of the pathway at maturation end (accumulators held fixed).

        The accumulating pools (:data:`ACCUMULATORS`) are held at their values at ``until_h``;
        every other species (enzymes, intermediates, labile iron, free heme, globin) is solved for
        its steady state at those conditions.

        Returns
        -------
        tuple
            ``(species, fluxes, readouts, derived)`` at the steady state.
        """
        _, series, end_species, _ = self.time_course(values, until_h, 2)
        tfr = float(series["TfR1_level"][-1]) if "TfR1_level" in series else None
        with self._lock:
            rr = self._steady_state_runner()
            self._set_values(rr, self._ss_current, values)
            rr.reset()
            for sid, conc in end_species.items():
                rr.setValue(f"[{sid}]", conc)
            if tfr is not None:
                rr.setValue("TfR1_level", tfr)
            _relax_to_steady_state(rr, until_h, self._named(values))
            floating = list(rr.model.getFloatingSpeciesIds())
            species = dict(zip(floating, rr.model.getFloatingSpeciesConcentrations(), strict=True))
            for sid in ACCUMULATORS:
                species[sid] = float(rr.getValue(f"[{sid}]"))
            fluxes = dict(zip(rr.model.getReactionIds(), rr.model.getReactionRates(), strict=True))
            readouts = {k: float(rr.getValue(k)) for k in self.readout_ids}
            derived = {k: float(rr.getValue(k)) for k in self.derived_ids}
        ordered = {k: float(species[k]) for k in self.species_ids}
        return ordered, {k: float(v) for k, v in fluxes.items()}, readouts, derived

    def _named(self, values: dict[str, float]) -> dict[str, float]:
        """``values`` keyed by parameter-table names (``MCH.ref``), as users write them."""
        return {self.definition.name_of(k): v for k, v in values.items()}

    def _steady_state_runner(self) -> Any:
        if self._ss_rr is None:
            import roadrunner

            self._ss_rr = roadrunner.RoadRunner(_steady_state_sbml(self.definition.sbml))
            _configure(self._ss_rr, RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE)
            solver = self._ss_rr.getSteadyStateSolver()
            for key, val in (("auto_moiety_analysis", False), ("allow_presimulation", True)):
                # option names differ between steady-state solvers
                with contextlib.suppress(RuntimeError, KeyError):
                    solver.setValue(key, val)
        return self._ss_rr


def _relax_to_steady_state(rr: Any, until_h: float, values: dict[str, float]) -> None:
    """Integrate the quasi-steady-state model until it stops changing; NLEQ2 as a fallback.

    Every remaining pool relaxes with half-lives of hours, so integrating 2,000 h from the
    maturation-end state reaches the steady state in milliseconds, where Newton's method (NLEQ2)
    on this badly scaled system takes about a second.
    """
    try:
        rr.simulate(0.0, _RELAX_H, 2, selections=["time"])
    except RuntimeError as exc:
        raise SimulationError(_one_line(exc, until_h, values)) from None
    rates = np.abs(np.asarray(rr.getRatesOfChange(), dtype=float))
    scale = max(float(np.max(np.abs(rr.model.getReactionRates()))), 1e-30)
    if float(np.max(rates, initial=0.0)) <= _STEADY_TOLERANCE * scale:
        return
    try:
        rr.steadyState()
    except RuntimeError as exc:
        raise SimulationError(
            f"no steady state for overrides {values}: {str(exc).splitlines()[0][:200]}"
        ) from None


def _configure(rr: Any, rtol: float, atol: float) -> None:
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = 100000


def _steady_state_sbml(sbml: str) -> str:
    """The same model with accumulators as boundary species and counters constant."""
    from hemesim.sbml_libs import libsbml

    doc = libsbml.readSBMLFromString(sbml)
    model = doc.getModel()
    for sid in ACCUMULATORS:
        sp = model.getSpecies(sid)
        if sp is not None:
            sp.setBoundaryCondition(True)
    for pid in _COUNTERS:
        rule = model.getRateRule(pid)
        if rule is not None:
            model.removeRuleByVariable(pid)
            model.getParameter(pid).setConstant(True)
    return str(libsbml.writeSBMLToString(doc))


MIN_UNTIL_H = 1e-6
"""Shortest run (h, 3.6 ms): CVODE failed on 1e-300 h with a solver message."""

MAX_POINTS = 100_000
"""Largest number of output points of one time course (memory stays bounded)."""


def _check_run(until_h: Any, points: Any) -> tuple[float, int]:
    """``(until_h, points)`` as float and int (numpy scalars accepted, booleans not)."""
    if (
        isinstance(until_h, bool)
        or not isinstance(until_h, numbers.Real)
        or not math.isfinite(until_h)
        or until_h < MIN_UNTIL_H
    ):
        raise SimulationError(
            f"until_h={until_h!r}: expected a finite time in hours > 0 (at least {MIN_UNTIL_H:g})"
        )
    if (
        isinstance(points, bool)
        or not isinstance(points, numbers.Integral)
        or not 2 <= int(points) <= MAX_POINTS
    ):
        raise SimulationError(f"points={points!r}: expected an integer from 2 to {MAX_POINTS:,}")
    return float(until_h), int(points)


NEGATIVE_TOLERANCE = 1e-6
"""Largest round-off below zero accepted in a concentration or readout (its own unit)."""


def _check_nonnegative(values: dict[str, float], parameters: dict[str, float]) -> None:
    """Raise when a concentration or readout came out below zero.

    Every species and readout of the model is a physical amount, concentration or index >= 0.
    A clearly negative one means the solver lost accuracy at these parameter values
    (``FECH.Km_PPIX = 1e-9`` gave an erythrocyte protoporphyrin of -180 ug/dL), so the run is
    refused rather than reported.
    """
    bad = {k: v for k, v in values.items() if v < -NEGATIVE_TOLERANCE}
    if bad:
        shown = ", ".join(f"{k} = {v:.3g}" for k, v in list(bad.items())[:3])
        raise SimulationError(
            f"the solver returned negative values ({shown}) for the parameter values "
            f"{parameters}: the run is not reliable there; use values nearer the defaults"
        )


def _check_finite(series: dict[str, np.ndarray], values: dict[str, float]) -> None:
    bad = [k for k, v in series.items() if not np.all(np.isfinite(v))]
    if bad:
        raise SimulationError(
            f"non-finite values in {bad[:3]} for the parameter values {values}; use values "
            "nearer the defaults (list them with hemesim.model.load_definition().parameters)"
        )


def _one_line(exc: Exception, until_h: float, values: dict[str, float]) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"integration to {until_h} h failed for the parameter values {values} "
        f"(the solver said: {first[:120]}); use values nearer the defaults "
        "(list them with hemesim.model.load_definition().parameters)"
    )


@functools.cache
def get_engine(name: str = "erythroid") -> RoadRunnerEngine:
    """The process-wide engine for a model name (compiled on first use)."""
    return RoadRunnerEngine(load_definition(name))
