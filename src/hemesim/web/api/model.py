"""Model endpoints: parameters, a time course, and the pathway map state (normal vs variant).

* ``GET /api/model/parameters``: the parameter table (name, value, unit, source, kind, note).
* ``POST /api/simulate``: one time course, the shape of ``hemesim simulate --json``.
* ``GET /api/pathway``: fluxes and concentrations bound to the map elements, for the normal enzyme
  and optionally a variant (hemizygous), at slider settings given as multipliers of the defaults.

All model work runs on the app's single model worker (:mod:`hemesim.web.compute`).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from hemesim.errors import ModelError
from hemesim.jsonable import jsonable
from hemesim.web.backends import backend
from hemesim.web.pathway_map import bind, map_state

if TYPE_CHECKING:
    from hemesim.simulate.session import Model

__all__ = ["PathwayService", "SLIDER_PARAMETERS", "router"]

router = APIRouter(prefix="/api", tags=["model"])

MODEL_NAME = "erythroid"

SLIDER_PARAMETERS: dict[str, str] = {
    "alas2": "ALAS2.kcat",
    "plp": "PLP",
    "iron": "iron.supply",
}
"""Pathway-page slider -> parameter it multiplies."""

MAP_POINTS = 50
"""Output points of the map's simulation (only its end point is shown)."""

MAP_READOUTS = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "ep_total_ug_dl_rbc",
    "znpp_fraction",
    "znpp_umol_mol_heme",
    "mito_iron_index",
    "ineffective_fraction",
)
"""Readouts listed under the pathway map."""

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Multiplier = Annotated[
    float, Query(ge=0.01, le=100.0, allow_inf_nan=False, description="multiplier of the default")
]


def load_model(name: str = MODEL_NAME) -> Model:
    """The simulation session of the simulate stage.

    Parameters
    ----------
    name
        Model name (default ``erythroid``).

    Returns
    -------
    Model
        :func:`hemesim.simulate.session.load_model` (imported on first use, so starting the server
        does not load libRoadRunner).
    """
    from hemesim.simulate.session import load_model as load

    return load(name)


class PathwayService:
    """Holds the loaded model, the map binding and a small cache of map states.

    Only the model worker thread calls it, but the cache is guarded anyway.
    """

    def __init__(self, cache_size: int = 64) -> None:
        self._model: Model | None = None
        self._binding: dict[str, str | None] | None = None
        self._cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def model(self) -> Model:
        """The loaded model session (loaded on first use)."""
        if self._model is None:
            self._model = load_model(MODEL_NAME)
        return self._model

    def defaults(self) -> dict[str, float]:
        """Default values of the slider parameters, by parameter name."""
        definition = backend("hemesim.model.definition", "load_definition")(MODEL_NAME)
        pid = backend("hemesim.model.definition", "parameter_id")
        values = definition.defaults
        return {p: float(values[pid(p)]) for p in SLIDER_PARAMETERS.values()}

    def overrides(self, multipliers: Mapping[str, float]) -> dict[str, float]:
        """Parameter overrides for slider multipliers (only those different from 1)."""
        defaults = self.defaults()
        out = {}
        for key, factor in multipliers.items():
            if key not in SLIDER_PARAMETERS:
                raise ModelError(f"slider {key!r}: expected one of {', '.join(SLIDER_PARAMETERS)}")
            if not math.isclose(factor, 1.0):
                name = SLIDER_PARAMETERS[key]
                out[name] = defaults[name] * factor
        return out

    def run(self, overrides: Mapping[str, float]) -> dict[str, Any]:
        """Simulate and return the final species, fluxes, readouts and units (plain dicts)."""
        key = tuple(sorted((k, round(float(v), 12)) for k, v in overrides.items()))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        result = self.model.simulate(points=MAP_POINTS, overrides=dict(overrides) or None)
        d = result.to_dict()  # end-point values by id, and their units
        state = {key: d[key] for key in ("species", "fluxes", "readouts", "units")}
        with self._lock:
            self._cache[key] = state
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return state

    def binding(self, state: Mapping[str, Any]) -> dict[str, str | None]:
        """Map elements -> model ids (computed once)."""
        if self._binding is None:
            self._binding = bind(state["species"], state["fluxes"])
        return self._binding

    def map_for(self, state: Mapping[str, Any], reference: Mapping[str, Any] | None) -> dict:
        """Map-element values for one state, with ratios to ``reference`` (a map state)."""
        out = map_state(
            self.binding(state), state["species"], state["fluxes"], state["units"], reference
        )
        out["readouts"] = {k: state["readouts"].get(k) for k in MAP_READOUTS}
        return out

    def pathway(self, multipliers: Mapping[str, float], hgvs: str | None) -> dict[str, Any]:
        """Everything the pathway page shows for one setting of the sliders and a variant."""
        overrides = self.overrides(multipliers)
        base = self.run({})
        reference = self.map_for(base, None)
        normal = self.map_for(self.run(overrides), reference)
        variant = None
        report = None
        variant_overrides: dict[str, float] = {}
        combined: dict[str, float] = {}
        if hgvs:
            report = backend("hemesim.variants.interpret", "interpret")(hgvs)
            # an effect no rule or record quantifies would be drawn as the normal enzyme
            backend("hemesim.phenotype.inputs", "resolve_variant")(report).require_quantified()
            # the variant cell as the phenotype stage simulates it: a gain of function also has
            # its iron supply limited to the plasma's delivery (phenotype.iron_delivery)
            variant_overrides = variant_cell_overrides(report.effect)
            combined = _combine(overrides, variant_overrides, self.defaults())
            variant = self.map_for(self.run(combined), reference)
        units = {k: base["units"].get(k, "") for k in MAP_READOUTS}
        provenance = backend("hemesim.provenance", "provenance")
        return {
            "settings": {**dict(multipliers), "hgvs": hgvs},
            "overrides": overrides,
            "variant_overrides": variant_overrides,
            "normal": normal,
            "variant": variant,
            "variant_report": None if report is None else jsonable(report),
            "readout_units": units,
            "cli": cli_simulate(overrides),
            "cli_variant": cli_simulate(combined) if hgvs else None,
            "provenance": provenance(
                "GET /api/pathway", {"overrides": overrides, "hgvs": hgvs}, None
            ),
        }


def variant_cell_overrides(effect: Any) -> dict[str, float]:
    """Parameter overrides of the variant cell, as every phenotype prediction simulates it."""
    fn = backend("hemesim.phenotype.clones", "simulate_clones")
    return {str(k): float(v) for k, v in dict(fn(effect).overrides_mutant).items()}


def _combine(
    sliders: Mapping[str, float], variant: Mapping[str, float], defaults: Mapping[str, float]
) -> dict[str, float]:
    """Slider multipliers compose with a variant's overrides of the same parameter."""
    out = dict(variant)
    for name, value in sliders.items():
        if name in out and defaults.get(name):
            out[name] = out[name] * value / defaults[name]
        else:
            out[name] = value
    return out


def cli_simulate(overrides: Mapping[str, float]) -> str:
    """The ``hemesim simulate`` command line giving the same run (the map shows its end point).

    Values are written with 12 significant digits so the command reproduces the run.
    """
    parts = ["hemesim simulate", f"--points {MAP_POINTS}"]
    parts += [f"--set {k}={v:.12g}" for k, v in sorted(overrides.items())]
    parts.append("--json")
    return " ".join(parts)


def _service(request: Request) -> PathwayService:
    state = request.app.state
    if not hasattr(state, "pathway_service"):
        state.pathway_service = PathwayService()
    return state.pathway_service


@router.get("/model/parameters", summary="The model's parameter table")
async def parameters(request: Request) -> dict[str, Any]:
    """Return every parameter with ``name, value, unit, source, kind, note``."""

    def work() -> dict[str, Any]:
        definition = backend("hemesim.model.definition", "load_definition")(MODEL_NAME)
        table = definition.parameters
        return {"model": MODEL_NAME, "parameters": jsonable(table.to_dict(orient="records"))}

    return await request.app.state.compute.run(work)


MATURATION_DURATION = ("maturation.duration", "maturation_duration")
"""The parameter (table name, Antimony id) whose value is the end time when ``until_h`` is not
given."""


def _range() -> str:
    """The model's range of ``maturation.duration`` in words (``"from 48 to 96 h"``)."""
    low, high = backend("hemesim.model.definition", "RANGES")["maturation_duration"]
    return f"from {low:g} to {high:g} h"


class SimulateRequest(BaseModel):
    """Body of ``POST /api/simulate`` (the options of ``hemesim simulate``).

    Strict: numbers must be JSON numbers (an integer is accepted where a real number is expected;
    ``true`` and ``"3"`` are not), and a field not listed here is an error rather than ignored.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    until_h: Annotated[float | None, Field(gt=0, allow_inf_nan=False)] = None
    points: Annotated[int, Field(ge=2)] = 200
    overrides: dict[Annotated[str, Field(max_length=80)], FiniteFloat] = Field(
        default_factory=dict, max_length=100
    )


@router.post(
    "/simulate",
    summary="Simulate one time course (as hemesim simulate --json)",
    response_model=dict[str, Any],
)
async def simulate(request: Request, body: SimulateRequest) -> Response:
    """Run the model with parameter overrides; returns species, fluxes, readouts, units,
    provenance over time."""
    limits = request.app.state.limits
    if body.points > limits.max_points:
        raise ModelError(f"points {body.points}: at most {limits.max_points} per request")
    if body.until_h is not None and body.until_h > limits.max_until_h:
        raise ModelError(
            f"until_h {body.until_h:g}: at most {limits.max_until_h:g} h per request (a run "
            f"ends at the end of maturation; the model allows maturation.duration {_range()})"
        )
    if body.until_h is None:  # the time course ends at the (overridden) maturation duration
        for key in MATURATION_DURATION:
            duration = body.overrides.get(key)
            if duration is not None and duration > limits.max_until_h:
                raise ModelError(
                    f"overrides.{key} {duration:g}: at most {limits.max_until_h:g} h per request "
                    "(without until_h the time course runs to the maturation duration; the "
                    f"model allows it {_range()})"
                )
    service = _service(request)

    def work() -> Any:
        return service.model.simulate(
            until_h=body.until_h, points=body.points, overrides=body.overrides or None
        )

    return await request.app.state.compute.run_json(work)  # encoded on the worker


@router.get(
    "/pathway",
    summary="Pathway map state: normal and variant",
    response_model=dict[str, Any],
)
async def pathway(
    request: Request,
    alas2: Multiplier = 1.0,
    plp: Multiplier = 1.0,
    iron: Multiplier = 1.0,
    hgvs: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Fluxes (reactions) and concentrations (species) for each element of the pathway map.

    ``alas2``, ``plp`` and ``iron`` multiply ``ALAS2.kcat``, ``PLP`` and ``iron.supply``. With
    ``hgvs``, the same settings are also run with the variant's effect (hemizygous). A variant
    whose effect no rule or curated record quantifies (class uncertain, every factor 1) is a 422
    ("no phenotype predicted for ...") rather than a map of the normal enzyme under its name.
    """
    service = _service(request)
    hgvs = (hgvs or "").strip() or None
    return await request.app.state.compute.run_json(  # encoded on the worker, not the loop
        service.pathway, {"alas2": alas2, "plp": plp, "iron": iron}, hgvs
    )
