"""Clinical classification and cosegregation endpoints.

* ``GET /api/classification?hgvs=``: the ACMG/AMP classification of a variant (the
  ``classification`` object of ``hemesim variant HGVS --json``), with optional
  ``allele_frequency`` (PM2/BA1) and ``de_novo`` (PS2/PM6).
* ``POST /api/segregation``: the cosegregation Bayes factor of a PED file with genotypes (the
  shape of ``hemesim segregation FILE --json``) and the PP1/BS4 strength it supports. Without
  ``penetrance_female_het``, a ``variant`` gives its predicted heterozygous-woman penetrance
  (phenotype stage, passed to genetics as a number); without either, the xlsa preset.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from hemesim.errors import PedigreeError
from hemesim.jsonable import jsonable
from hemesim.web.api.risk import parse_pedigree, read_upload
from hemesim.web.backends import backend

__all__ = ["classification_of", "router"]

router = APIRouter(prefix="/api", tags=["classification"])

Probability = Annotated[float | None, Form(ge=0.0, le=1.0, allow_inf_nan=False)]


def classification_of(report: Any) -> dict[str, Any]:
    """The ``classification`` object of ``hemesim variant --json`` for an interpreted variant
    (no family data, allele frequency or de novo status)."""
    result: dict[str, Any] = jsonable(backend("hemesim.variants.acmg", "classify")(report))
    return result


@router.get("/classification", summary="ACMG/AMP classification of an ALAS2 variant")
async def classification(
    request: Request,
    hgvs: Annotated[str, Query(min_length=1, max_length=200)],
    allele_frequency: Annotated[float | None, Query(ge=0.0, le=1.0, allow_inf_nan=False)] = None,
    de_novo: Literal["confirmed", "assumed", "no"] | None = None,
) -> dict[str, Any]:
    """Disease, class, points and every criterion with its evidence and PubMed ids."""

    def work() -> dict[str, Any]:
        report = backend("hemesim.variants.interpret", "interpret")(hgvs.strip())
        classify = backend("hemesim.variants.acmg", "classify")
        result = classify(report, allele_frequency=allele_frequency, de_novo=de_novo)
        return {"hgvs_c": report.hgvs_c, "hgvs_p": report.hgvs_p, **jsonable(result)}

    return await request.app.state.compute.run(work)


@router.post("/segregation", summary="Cosegregation Bayes factor (as hemesim segregation --json)")
async def segregation(
    request: Request,
    file: Annotated[UploadFile, File(description="PED file with a genotype column")],
    variant: Annotated[str | None, Form(max_length=200)] = None,
    penetrance_male: Probability = None,
    penetrance_female_het: Probability = None,
    penetrance_female_hom: Probability = None,
    phenocopy: Probability = None,
    allele_frequency: Annotated[float | None, Form(gt=0.0, lt=1.0, allow_inf_nan=False)] = None,
    proband: Annotated[str | None, Form(max_length=100)] = None,
) -> dict[str, Any]:
    """Full-likelihood Bayes factor (Thompson 2003), conditioned on the proband's genotype and
    every phenotype, and its ACMG reading (PP1 or BS4 and strength)."""
    limits = request.app.state.limits
    text = await read_upload(file, limits.max_upload_bytes)

    def work() -> dict[str, Any]:
        pedigree = parse_pedigree(text, file.filename)
        if len(pedigree) > limits.max_ped_individuals:
            raise PedigreeError(
                f"pedigree: {len(pedigree)} members; at most {limits.max_ped_individuals} per "
                "request (use hemesim segregation for larger families)"
            )
        if not any(ind.genotype is not None for ind in pedigree):
            raise PedigreeError(
                "pedigree: no genotype column values; cosegregation needs the variant genotypes "
                "(N/A for men, NN/NA/AA for women)"
            )
        het = penetrance_female_het
        source = "given" if het is not None else "xlsa preset (assumed)"
        variant_info = None
        if variant:
            # the one variant penetrance of every surface (risk --variant, the family page)
            shared = backend("hemesim.phenotype.penetrance", "variant_penetrance")
            info = shared(variant.strip(), compute=het is None, disease_given=True)
            variant_info = {k: info[k] for k in ("input", "hgvs_c", "hgvs_p", "effect_class")}
            if het is None:
                het = float(info["penetrance_female"])
                source = f"predicted for {variant.strip()} ({info['source']})"
        result = backend("hemesim.genetics.segregation", "segregation")(
            pedigree,
            penetrance_male=penetrance_male,
            penetrance_female_het=het,
            penetrance_female_hom=penetrance_female_hom,
            phenocopy=phenocopy,
            allele_frequency=allele_frequency,
            proband=proband,
            penetrance_source=f"heterozygous women: {source}",
        )
        pp1, bs4 = backend("hemesim.variants.acmg", "cosegregation_criteria")(result.bayes_factor)
        met = next((c for c in (pp1, bs4) if c.met), None)
        out: dict[str, Any] = jsonable(result)
        out["variant"] = variant_info
        out["acmg"] = {
            "criterion": None if met is None else met.label,
            "evidence": (met or pp1).evidence,
            "criteria": [pp1.to_dict(), bs4.to_dict()],
        }
        return out

    return await request.app.state.compute.run(work)
