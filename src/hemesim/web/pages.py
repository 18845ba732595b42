"""Server-rendered pages: home, pathway map, variant explorer, family risk, cohort.

Pages are thin: each renders a template with its controls and loads one script from
``web/static`` that calls the JSON API. Nothing on a page comes from another origin.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from hemesim import __version__
from hemesim.web.pathway_map import ARROWS, NODES

__all__ = ["router", "templates"]

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
router = APIRouter(include_in_schema=False)

SLIDERS = (
    {
        "key": "alas2",
        "label": "ALAS2 activity",
        "help": "multiplies ALAS2.kcat (turnover number)",
    },
    {"key": "plp", "label": "PLP", "help": "multiplies the PLP level (pyridoxine raises it)"},
    {"key": "iron", "label": "Iron supply", "help": "multiplies iron.supply (transferrin iron)"},
)

EXAMPLES = (
    {"hgvs": "NM_000032.5:c.1706_1709del", "label": "c.1706_1709del (XLP)"},
    {"hgvs": "p.Arg452Cys", "label": "p.Arg452Cys (XLSA)"},
    {"hgvs": "p.Lys299Gln", "label": "p.Lys299Gln (late-onset XLSA)"},
    {"hgvs": "p.Gln548Ter", "label": "p.Gln548* (XLP)"},
)

RISK_OPTIONS = (
    {"name": "disease", "label": "disease", "choices": ("xlsa", "xlp"), "default": "xlsa"},
    {
        "name": "fitness_male",
        "label": "fitness of affected men (0 = lethal)",
        "default": 0.5,
        "min": 0,
        "max": 0.99,
        "step": 0.05,
    },
    {
        "name": "penetrance_female",
        "label": "penetrance, heterozygous woman",
        "default": "",
        "min": 0,
        "max": 1,
        "step": 0.05,
    },
)


@lru_cache(maxsize=1)
def page_labels() -> dict[str, Any]:
    """Readout names, units, rounding and reference ranges for the pages' scripts
    (:func:`hemesim.report.labels.labels_json`, the module the CLI prints with), and the names of
    effect factors, record fields and model parameters (:func:`hemesim.web.display.display_json`).
    """
    from hemesim.report.labels import labels_json
    from hemesim.web.display import display_json

    return {**labels_json(), **display_json()}


def _render(request: Request, name: str, page: str, **context: Any) -> Response:
    base = {
        "page": page,
        "version": __version__,
        "limits": request.app.state.limits,
        "labels": page_labels(),
    }
    return templates.TemplateResponse(request, name, {**base, **context})


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """Landing page with the four tools."""
    return _render(request, "index.html", "home")


@router.get("/pathway", response_class=HTMLResponse)
def pathway(request: Request) -> Response:
    """The pathway map with sliders, normal beside a chosen variant."""
    return _render(
        request,
        "pathway.html",
        "pathway",
        nodes=NODES,
        arrows=ARROWS,
        sliders=SLIDERS,
        until_label="default maturation time",
    )


@router.get("/variant", response_class=HTMLResponse)
def variant(request: Request) -> Response:
    """The variant explorer. A link with ``?hgvs=`` starts the main chart's predictions at once
    (:func:`hemesim.web.api.variant.start_xi_panel`)."""
    from hemesim.web.api.variant import start_xi_panel, treatment_names

    hgvs = request.query_params.get("hgvs")
    if hgvs:
        start_xi_panel(request.app.state.compute, hgvs, request.app.state.limits.max_hgvs_chars)
    return _render(
        request, "variant.html", "variant", examples=EXAMPLES, treatments=treatment_names()
    )


@router.get("/family", response_class=HTMLResponse)
def family(request: Request) -> Response:
    """Family risk: upload or build a pedigree."""
    return _render(request, "family.html", "family", risk_options=RISK_OPTIONS)


@router.get("/cohort", response_class=HTMLResponse)
def cohort(request: Request) -> Response:
    """Virtual cohort with a progress indicator."""
    return _render(
        request,
        "cohort.html",
        "cohort",
        cohort_note="Choose who, how many and a seed, then run.",
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico; point them at the SVG icon."""
    return Response(status_code=308, headers={"location": "/static/favicon.svg"})
