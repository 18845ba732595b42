"""Family risk: ``POST /api/risk`` with a PED file; the shape of ``hemesim risk --json``.

The upload is capped in bytes and members, decoded as UTF-8, parsed with
:func:`hemesim.genetics.ped.parse_ped` (or, for a pedigreejs JSON file, with
:func:`hemesim.genetics.pedigreejs.from_pedigreejs`, as the CLI's ``risk`` reads a ``.json``
file) and passed to :func:`hemesim.genetics.risk.risk`. With ``svg=true`` the response also
carries the pedigree drawing (``svg``), annotated with each member's probabilities. Nothing from
the file is logged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from fastapi import Path as FastApiPath
from fastapi.responses import PlainTextResponse

from hemesim.errors import PedigreeError
from hemesim.jsonable import jsonable
from hemesim.safe_io import JSONInputError, load_json
from hemesim.web.backends import backend

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["risk"])

Probability = Annotated[float | None, Form(ge=0.0, le=1.0, allow_inf_nan=False)]
VariantField = Annotated[
    str | None,
    Form(
        max_length=200,
        description="an ALAS2 variant (HGVS): its own female penetrance and disease, as "
        "hemesim risk --variant (presets only without one)",
    ),
]


def variant_options(
    variant: str | None, disease: str | None, penetrance_female: float | None
) -> tuple[str, float | None, dict[str, Any] | None]:
    """Disease and female penetrance for a family: the variant's own (the number of ``hemesim
    penetrance`` and ``risk --variant``) when one is given, else the request's or the preset's.

    Returns
    -------
    tuple
        ``(disease, penetrance_female, variant_info or None)``.
    """
    if not variant or not variant.strip():
        return disease or "xlsa", penetrance_female, None
    shared = backend("hemesim.phenotype.penetrance", "variant_penetrance")
    info: dict[str, Any] = shared(
        variant.strip(), compute=penetrance_female is None, disease_given=disease is not None
    )
    chosen = disease or info["disease"] or "xlsa"
    value = penetrance_female if penetrance_female is not None else info["penetrance_female"]
    return chosen, value, info


async def read_upload(upload: UploadFile, max_bytes: int) -> str:
    """Read an uploaded text file, refusing more than ``max_bytes`` or non-UTF-8 content."""
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PedigreeError(f"pedigree file: larger than {max_bytes} bytes; is it a PED file?")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PedigreeError(
            "pedigree file: not UTF-8 text; expected a PED text file or pedigreejs JSON"
        ) from None


def is_pedigreejs(text: str, filename: str | None) -> bool:
    """True for a pedigreejs upload: a file name ending in ``.json`` (any case), or text that
    starts with ``[`` or ``{`` (a PED line never does)."""
    return (filename or "").lower().endswith(".json") or text.lstrip().startswith(("[", "{"))


def parse_pedigree(text: str, filename: str | None = None) -> Any:
    """The pedigree in an uploaded file: PED text, or a pedigreejs JSON dataset.

    The same two formats as the CLI's ``risk`` and ``report`` (:func:`hemesim.genetics.ped.
    read_ped` reads a ``.json`` file as pedigreejs); here the content decides too, since a
    browser upload may carry any name.

    Raises
    ------
    PedigreeError
        The genetics stage's one-line reason; for JSON that does not decode, where and why.
    """
    if not is_pedigreejs(text, filename):
        return backend("hemesim.genetics.ped", "parse_ped")(text)
    try:
        data = load_json(text)
    except JSONInputError as exc:  # invalid, too deep, an over-long integer (was HTTP 500)
        reason = str(exc).replace("not valid JSON", "not valid pedigreejs JSON", 1)
        reason = reason.replace("nested", "JSON nested", 1)
        raise PedigreeError(
            f"pedigree file: {reason}; expected a JSON list of person objects, or a PED file"
        ) from None
    return backend("hemesim.genetics.pedigreejs", "from_pedigreejs")(data)


def pedigree_svg(pedigree: Any, result: Any) -> str:
    """The pedigree drawing of the genetics stage, annotated with each member's risks."""
    return str(backend("hemesim.genetics.draw", "draw_svg")(pedigree, result))


def _options(
    disease: str,
    fitness_male: float,
    mu_female: float,
    mu_male: float,
    allele_frequency: float | None,
    penetrance_female: float | None,
) -> dict[str, Any]:
    return {
        "disease": disease,
        "fitness_male": fitness_male,
        "mu_female": mu_female,
        "mu_male": mu_male,
        "allele_frequency": allele_frequency,
        "penetrance_female": penetrance_female,
    }


def _compute(
    text: str, filename: str | None, options: dict[str, Any], max_members: int
) -> tuple[Any, Any]:
    pedigree = parse_pedigree(text, filename)
    if len(pedigree) > max_members:
        raise PedigreeError(
            f"pedigree: {len(pedigree)} members; at most {max_members} per request "
            "(use the CLI for larger families)"
        )
    return pedigree, backend("hemesim.genetics.risk", "risk")(pedigree, **options)


Disease = Annotated[Literal["xlsa", "xlp"] | None, Form()]
Fitness = Annotated[float, Form(ge=0.0, lt=1.0, allow_inf_nan=False)]
Mu = Annotated[float, Form(ge=0.0, le=0.01, allow_inf_nan=False)]
AlleleFrequency = Annotated[float | None, Form(gt=0.0, lt=1.0, allow_inf_nan=False)]
PedFile = Annotated[
    UploadFile,
    File(description="a PED file (columns FID IID PID MID SEX PHEN [...]) or pedigreejs JSON"),
]


@router.post("/risk", summary="X-linked carrier and disease risks (as hemesim risk --json)")
async def risk(
    request: Request,
    file: PedFile,
    disease: Disease = None,
    fitness_male: Fitness = 0.5,
    mu_female: Mu = 1e-6,
    mu_male: Mu = 1e-6,
    allele_frequency: AlleleFrequency = None,
    penetrance_female: Probability = None,
    variant: VariantField = None,
    svg: Annotated[bool, Form(description="also return the pedigree drawing")] = False,
) -> dict[str, Any]:
    """Posterior genotype, carrier and affected probabilities for every member, the risks for
    each woman's next son and daughter, and the pedigree log-likelihood.

    ``file`` is a PED file or a pedigreejs JSON dataset (a name ending in ``.json``, or content
    starting with ``[``), as the CLI's ``risk`` reads. With ``variant`` the female penetrance
    and the disease are the variant's own (as ``hemesim risk --variant``); the answer states
    every assumption under ``assumptions``."""
    limits = request.app.state.limits
    text = await read_upload(file, limits.max_upload_bytes)

    def work() -> dict[str, Any]:
        chosen, pen, info = variant_options(variant, disease, penetrance_female)
        options = _options(chosen, fitness_male, mu_female, mu_male, allele_frequency, pen)
        pedigree, result = _compute(text, file.filename, options, limits.max_ped_individuals)
        out = jsonable(result)
        if info is not None:
            out["variant"] = info
        if svg:
            out["svg"] = pedigree_svg(pedigree, result)
        return out

    pool = request.app.state.compute if variant else request.app.state.light
    return await pool.run(work)


@router.post(
    "/risk/pdf",
    summary="The family's pedigree and risk table as a PDF",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def risk_pdf(
    request: Request,
    file: PedFile,
    disease: Disease = None,
    fitness_male: Fitness = 0.5,
    mu_female: Mu = 1e-6,
    mu_male: Mu = 1e-6,
    allele_frequency: AlleleFrequency = None,
    penetrance_female: Probability = None,
    variant: VariantField = None,
) -> Response:
    """The same computation as ``POST /api/risk``, drawn (matplotlib) and tabulated in a PDF."""
    limits = request.app.state.limits
    text = await read_upload(file, limits.max_upload_bytes)

    def work() -> bytes:
        chosen, pen, _ = variant_options(variant, disease, penetrance_female)
        options = _options(chosen, fitness_male, mu_female, mu_male, allele_frequency, pen)
        pedigree, result = _compute(text, file.filename, options, limits.max_ped_individuals)
        pdf = backend("hemesim.report.pdf", "family_pdf")
        return bytes(pdf(pedigree, jsonable(result), title=f"Family risks ({chosen.upper()})"))

    pool = request.app.state.compute if variant else request.app.state.light
    data = await pool.run(work)
    return Response(
        content=data,
        media_type="application/pdf",
        headers={"content-disposition": 'attachment; filename="hemesim-family.pdf"'},
    )


def _examples() -> dict[str, Any]:
    """Valid example PED files shipped with the genetics stage, by file stem."""
    from importlib import resources

    folder = resources.files("hemesim.genetics") / "examples"
    out = {}
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".ped") and not name.startswith("invalid"):
            out[name[: -len(".ped")]] = entry
    return dict(sorted(out.items()))


@router.get("/pedigree/examples", summary="Example PED files shipped with hemesim")
def pedigree_examples() -> dict[str, Any]:
    """Names and first comment line of the example pedigrees."""
    items = []
    for name, entry in _examples().items():
        text = entry.read_text(encoding="utf-8")
        first = next((ln[1:].strip() for ln in text.splitlines() if ln.startswith("# ")), "")
        items.append({"name": name, "description": first})
    return {"examples": items}


@router.get(
    "/pedigree/examples/{name}",
    summary="One example PED file (text)",
    response_class=PlainTextResponse,
)
def pedigree_example(
    name: Annotated[str, FastApiPath(max_length=60, pattern=r"^[A-Za-z0-9_-]+$")],
) -> PlainTextResponse:
    """The PED text of one example (``GET /api/pedigree/examples`` lists them)."""
    entry = _examples().get(name)
    if entry is None:
        raise HTTPException(status_code=404, detail=f"no example pedigree {name!r}")
    return PlainTextResponse(entry.read_text(encoding="utf-8"))
