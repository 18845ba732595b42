"""Variant endpoints: interpretation, validation as you type, domain map, phenotype predictions.

* ``GET /api/variant?hgvs=``: the ``VariantReport`` with its ACMG/AMP ``classification`` (as
  ``hemesim variant --json``).
* ``GET /api/variant/validate?hgvs=``: always 200; ``valid`` and a message in words.
* ``GET /api/domains``: the ALAS2 protein domain map (regions and sites, with sources).
* ``GET /api/phenotype``: one prediction (variant, sex, X-inactivation, treatment).
* ``GET /api/phenotype/xi``: a man, and a woman across X-inactivation (for the chart).
* ``GET /api/phenotype/treatments``: each treatment for one sex and X-inactivation.

A variant whose effect no rule or curated record quantifies (class uncertain, every factor 1)
gets no phenotype: ``/api/phenotype`` answers as ``hemesim variant HGVS --sex S --json`` does (the
interpretation, ``"prediction": null`` and the reason in ``prediction_note``), while ``/xi`` and
``/treatments``, whose only content is predictions, are a 422 with that reason (as
``hemesim penetrance`` refuses).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request

from hemesim.errors import HemesimError, PhenotypeError
from hemesim.jsonable import jsonable
from hemesim.web.api.classification import classification_of
from hemesim.web.backends import backend
from hemesim.web.messages import first_line

if TYPE_CHECKING:
    from hemesim.variants.interpret import VariantReport
    from hemesim.web.compute import ComputeQueue

__all__ = ["no_phenotype_reason", "router", "start_xi_panel", "treatment_names"]

router = APIRouter(prefix="/api", tags=["variant"])

PROTEIN_LENGTH = 587
"""ALAS2 precursor length (UniProtKB P22557, residues)."""

Hgvs = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        description="ALAS2 variant: HGVS c., p. or GRCh38 g., a VCF allele or a ClinVar title "
        "(e.g. NM_000032.5:c.1706_1709del, p.Arg452Cys, NC_000023.11:g.55014830G>A, "
        "X-55014830-G-A)",
    ),
]
Sex = Literal["male", "female"]
Xi = Annotated[
    float,
    Query(
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="fraction of erythroid cells expressing the variant allele (women)",
    ),
]


def treatment_names() -> tuple[str, ...]:
    """Treatments the phenotype stage knows, ``none`` first.

    Returns
    -------
    tuple of str
        :data:`hemesim.phenotype.treatments.TREATMENTS` (imported on first use, so starting the
        server does not import the phenotype stage).
    """
    from hemesim.phenotype.treatments import TREATMENTS

    return TREATMENTS


def _interpret(hgvs: str) -> VariantReport:
    """Interpret ``hgvs`` (surrounding spaces removed) with the variants stage."""
    report: VariantReport = backend("hemesim.variants.interpret", "interpret")(hgvs.strip())
    return report


def no_phenotype_reason(report: VariantReport) -> str | None:
    """Why no phenotype is predicted for ``report``, or ``None`` when one is.

    :meth:`hemesim.phenotype.inputs.ResolvedVariant.require_quantified`'s one-line reason
    ("no phenotype predicted for ...: its effect on ALAS2 is uncertain (...)") for an effect that
    no rule or curated record quantifies.
    """
    resolved = backend("hemesim.phenotype.inputs", "resolve_variant")(report)
    try:
        resolved.require_quantified()
    except HemesimError as exc:
        return first_line(exc)
    return None


def _require_phenotype(report: VariantReport) -> None:
    """Raise the phenotype stage's reason (a 422) when no phenotype is predicted."""
    reason = no_phenotype_reason(report)
    if reason is not None:
        raise PhenotypeError(reason)


def _predict(
    report: VariantReport, sex: str, xi: float | None, treatment: str, *, intervals: bool = True
) -> dict[str, Any]:
    """One prediction (JSON form) for an already interpreted variant.

    Parameters
    ----------
    report
        The variant, interpreted once per request by :func:`_interpret`.
    sex, xi, treatment
        As :func:`hemesim.phenotype.predict.predict`.
    intervals
        Compute the 95 % intervals (``False`` for the points of a curve, whose readouts are
        drawn without them).
    """
    fn = backend("hemesim.phenotype.predict", "predict")
    n_people = None if intervals else 0
    if n_people is None:
        return jsonable(fn(report, sex=sex, xi=xi, treatment=treatment))
    return jsonable(fn(report, sex=sex, xi=xi, treatment=treatment, n_people=n_people))


def offered_treatments(report: VariantReport) -> tuple[str, ...]:
    """``none`` and the treatments offered for the variant's disease (XLSA: pyridoxine,
    phlebotomy, chelation; XLP: iron); every treatment for a variant of unknown direction."""
    resolve = backend("hemesim.phenotype.inputs", "resolve_variant")
    offered_for = backend("hemesim.phenotype.treatments", "offered_for")
    disease = resolve(report).disease
    if disease is None:
        return treatment_names()
    return ("none", *offered_for(disease))


def _check_treatment(treatment: str) -> str:
    names = treatment_names()
    if treatment not in names:
        raise HTTPException(
            status_code=422,
            detail=f"treatment {treatment[:40]!r}: expected one of {', '.join(names)}",
        )
    return treatment


@router.get("/variant", summary="Interpret an ALAS2 variant (as hemesim variant --json)")
async def variant(request: Request, hgvs: Hgvs) -> dict[str, Any]:
    """HGVS -> consequence, domain, curated record and effect on ALAS2."""

    def work() -> dict[str, Any]:
        report = _interpret(hgvs)
        return {**jsonable(report), "classification": classification_of(report)}

    return await request.app.state.compute.run(work)


@router.get("/variant/validate", summary="Check an HGVS string (for validation as you type)")
async def validate(
    request: Request,
    hgvs: Annotated[
        str, Query(description="the text to check; longer than the HGVS cap is not valid")
    ] = "",
) -> dict:
    """Always 200: ``{"valid": bool, "message": str, "hgvs_c", "hgvs_p", "consequence"}``.

    Text longer than the HGVS cap (``max_hgvs_chars``, 200) is answered ``valid: false`` with the
    reason, without parsing it."""
    text = hgvs.strip()
    if not text:
        return {"valid": False, "message": "type a variant, e.g. c.1706_1709del or p.Arg452Cys"}
    cap = request.app.state.limits.max_hgvs_chars
    if len(hgvs) > cap:
        return {
            "valid": False,
            "message": f"hgvs: {len(hgvs)} characters; at most {cap} (e.g. c.1706_1709del)",
        }

    def work() -> dict[str, Any]:
        try:
            report = jsonable(_interpret(text))
        except HemesimError as exc:
            return {"valid": False, "message": first_line(exc)}
        return {
            "valid": True,
            "message": "valid: "
            + " / ".join(str(report.get(k)) for k in ("hgvs_c", "hgvs_p") if report.get(k)),
            "hgvs_c": report.get("hgvs_c"),
            "hgvs_p": report.get("hgvs_p"),
            "consequence": report.get("consequence"),
        }

    return await request.app.state.compute.run(work)


@router.get("/domains", summary="ALAS2 protein domain map")
def domains() -> dict[str, Any]:
    """Regions and sites of the ALAS2 precursor (UniProt P22557 numbering) with sources."""
    regions = backend("hemesim.gene.domains", "REGIONS")
    return {
        "protein": "NP_000023.2 / UniProtKB P22557",
        "length": PROTEIN_LENGTH,
        "regions": [
            {"name": r.name, "start": r.start, "end": r.end, "kind": r.kind, "source": r.source}
            for r in regions
        ],
    }


@router.get(
    "/phenotype", summary="Variant and predicted phenotype (as hemesim variant --sex --json)"
)
async def phenotype(
    request: Request,
    hgvs: Hgvs,
    sex: Sex = "male",
    xi: Annotated[float | None, Query(ge=0.0, le=1.0, allow_inf_nan=False)] = None,
    treatment: Annotated[str, Query(max_length=40)] = "none",
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    age: Annotated[float | None, Query(ge=0.0, le=120.0, allow_inf_nan=False)] = None,
) -> dict[str, Any]:
    """The variant report merged with one prediction (readouts, anemia grade, disease call),
    exactly as ``hemesim variant HGVS --sex S [--xi X] [--treat T] [--seed N] [--age A] --json``
    (``age``: years; the vitamin B6 status of the age on PLP, and a woman's xi distribution).
    A woman without ``xi`` is summarised over sampled X-inactivation (``seed``). For a variant whose
    effect is not quantified, the report with ``"prediction": null`` and the reason in
    ``prediction_note`` (200, as the CLI)."""
    _check_treatment(treatment)

    def work() -> dict[str, Any]:
        report = _interpret(hgvs)
        fn = backend("hemesim.phenotype.predict", "predict")
        data: dict[str, Any] = jsonable(report)
        data["classification"] = classification_of(report)  # as hemesim variant --json
        reason = no_phenotype_reason(report)
        if reason is not None:  # the interpretation stands; the phenotype is unknown
            data["prediction"] = None
            data["prediction_note"] = reason
            return data
        predicted = jsonable(
            fn(report, sex=sex, xi=xi, treatment=treatment, seed=seed, age_years=age)
        )
        data["prediction_provenance"] = predicted.pop("provenance", None)
        data.update(predicted)
        return data

    return await request.app.state.compute.run(work)


@router.get("/phenotype/xi", summary="A man, and a woman across X-inactivation")
async def phenotype_xi(
    request: Request,
    hgvs: Hgvs,
    treatment: Annotated[str, Query(max_length=40)] = "none",
    points: Annotated[int, Query(ge=2, le=21)] = 11,
) -> dict[str, Any]:
    """Predictions for a hemizygous man and for heterozygous women at ``points`` evenly spaced
    X-inactivation fractions from 0 to 1 (fraction of cells expressing the variant). A variant
    whose effect is not quantified is a 422 ("no phenotype predicted for ...")."""
    _check_treatment(treatment)
    # encoded on the worker (the variant page's main chart: about 100 kB that FastAPI's own
    # encoder would take 15-25 ms to walk on the event loop)
    return await request.app.state.compute.run_json(_xi_panel, hgvs, treatment, points)


@router.get("/phenotype/treatments", summary="Each treatment for one person")
async def phenotype_treatments(
    request: Request,
    hgvs: Hgvs,
    sex: Sex = "male",
    xi: Annotated[float | None, Query(ge=0.0, le=1.0, allow_inf_nan=False)] = None,
) -> dict[str, Any]:
    """Predictions with every treatment offered for the variant's disease (``none`` first; XLSA:
    pyridoxine, phlebotomy, chelation; XLP: iron) for the same person. A variant whose effect is
    not quantified is a 422 ("no phenotype predicted for ...")."""

    return await request.app.state.compute.run(_treatments_panel, hgvs, sex, xi)


@router.get("/phenotype/penetrance", summary="Female penetrance (as hemesim penetrance --json)")
async def phenotype_penetrance(
    request: Request,
    hgvs: Hgvs,
    age: Annotated[float | None, Query(ge=0.0, le=120.0, allow_inf_nan=False)] = None,
    treatment: Annotated[str, Query(max_length=40)] = "none",
) -> dict[str, Any]:
    """P(disease) of a heterozygous woman at an age (default 40 y), with P(disease | xi) and the
    typical woman's value: the same number as ``hemesim penetrance``, ``risk --variant`` and the
    family page (:func:`hemesim.phenotype.penetrance.penetrance`, seed 0). A variant whose effect
    is not quantified, or a treatment not offered for its disease, is a 422."""
    _check_treatment(treatment)
    key = (hgvs, age, treatment)
    kept = _PENETRANCE_KEPT.get(key)
    if kept is None:
        # in the penetrance process (app.state.background), beside the model thread
        kept = await request.app.state.background.run(_penetrance_panel, hgvs, age, treatment)
        _PENETRANCE_KEPT[key] = kept
        while len(_PENETRANCE_KEPT) > PANEL_CACHE_SIZE:
            _PENETRANCE_KEPT.popitem(last=False)
    else:
        _PENETRANCE_KEPT.move_to_end(key)
    return kept


# The variant page's two prediction panels are deterministic in their arguments; the last few
# are kept so that a variant seen again (back, reload, a shared link) is drawn at once. They run
# on the compute thread only, one at a time. Errors are not cached.
PANEL_CACHE_SIZE = 32
"""Prediction panels (``/api/phenotype/xi``, ``/treatments`` and ``/penetrance`` answers) kept
per process."""
XI_PANEL_POINTS = 11
"""X-inactivation points of the variant page's main chart (its ``points`` query)."""


@lru_cache(maxsize=PANEL_CACHE_SIZE)
def _xi_panel(hgvs: str, treatment: str, points: int) -> dict[str, Any]:
    """The ``/api/phenotype/xi`` answer (see :func:`phenotype_xi`)."""
    grid = [i / (points - 1) for i in range(points)]
    report = _interpret(hgvs)  # once for the man and every woman on the grid
    _require_phenotype(report)
    male = _predict(report, "male", None, treatment, intervals=False)
    female = [_predict(report, "female", x, treatment, intervals=False) for x in grid]
    return {"hgvs": hgvs, "treatment": treatment, "xi": grid, "male": male, "female": female}


@lru_cache(maxsize=PANEL_CACHE_SIZE)
def _treatments_panel(hgvs: str, sex: str, xi: float | None) -> dict[str, Any]:
    """The ``/api/phenotype/treatments`` answer (see :func:`phenotype_treatments`)."""
    report = _interpret(hgvs)  # once for every treatment
    _require_phenotype(report)
    return {
        "hgvs": hgvs,
        "sex": sex,
        "xi": xi,
        "treatments": {
            t: _predict(report, sex, xi, t, intervals=False) for t in offered_treatments(report)
        },
    }


_PENETRANCE_KEPT: OrderedDict[tuple[str, float | None, str], dict[str, Any]] = OrderedDict()
"""The last :data:`PANEL_CACHE_SIZE` penetrance answers in the server process."""


@lru_cache(maxsize=PANEL_CACHE_SIZE)
def _penetrance_panel(hgvs: str, age: float | None, treatment: str) -> dict[str, Any]:
    """The ``/api/phenotype/penetrance`` answer (see :func:`phenotype_penetrance`; seed 0, so
    deterministic), computed in the penetrance process, which keeps it too: a computation whose
    client left is finished there, so that coming back to the variant does not simulate the
    2000 women again."""
    report = _interpret(hgvs)
    _require_phenotype(report)
    fn = backend("hemesim.phenotype.penetrance", "penetrance")
    return jsonable(fn(report, age_years=age, treatment=treatment).to_dict())


def start_xi_panel(compute: ComputeQueue, hgvs: str, max_chars: int) -> None:
    """Start computing the variant page's main chart for a link ``/variant?hgvs=...``.

    Called when the page itself is requested, so that the model worker is at work while the
    browser loads the page's scripts; the page's own ``/api/phenotype/xi`` request (untreated,
    :data:`XI_PANEL_POINTS` points, the text trimmed as the page trims it) then finds it in the
    cache or waits for it in the worker's queue. Nothing is started when the server is busy
    (the page asks anyway); errors (a bad variant) are left for the page's requests to report.

    Parameters
    ----------
    compute
        The app's model worker.
    hgvs
        The link's variant text; nothing is started above ``max_chars`` characters (the HGVS cap).
    """
    text = hgvs.strip()
    if not text or len(hgvs) > max_chars:
        return
    try:
        future = compute.submit(_xi_panel, text, "none", XI_PANEL_POINTS)
    except HTTPException:  # 429: the queue is full
        return
    future.add_done_callback(lambda f: f.exception())  # retrieved: nothing to report here
