"""Virtual cohorts as background jobs: ``POST /api/cohort`` starts one, ``GET`` polls it.

A cohort can take seconds to minutes, so it runs as a background job while the page polls
``GET /api/cohort/{job}`` for ``progress`` (0-1, or ``null`` when the engine reports none) and
finally the result (the shape of ``hemesim cohort --json``). The number of people per request is
capped (:class:`~hemesim.web.limits.Limits`) and one cohort runs at a time. Jobs (parameters,
status, progress, result) are kept in SQLite (:mod:`hemesim.web.jobstore`): a finished job's
result is served after a restart, a job cut off by a restart answers ``interrupted``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from hemesim.errors import HemesimError
from hemesim.jsonable import jsonable
from hemesim.web.backends import backend
from hemesim.web.jobstore import JobStore
from hemesim.web.messages import first_line

__all__ = ["CohortJobs", "CohortRequest", "router"]

router = APIRouter(prefix="/api", tags=["cohort"])


class CohortRequest(BaseModel):
    """Body of ``POST /api/cohort``.

    Strict: ``n`` and ``seed`` must be JSON integers and ``uncertainty`` a JSON boolean, and a
    field not listed here is an error rather than ignored. ``hgvs`` is stripped of surrounding
    spaces; a blank one means no variant.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    n: Annotated[int, Field(ge=1, description="number of virtual people")] = 200
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 1
    hgvs: Annotated[str | None, Field(max_length=200, description="optional ALAS2 variant")] = None
    population: Annotated[
        Literal["men", "women"],
        Field(
            description="men: hemizygous for the variant (or without one); women: heterozygous "
            "(or without a variant), X-inactivation drawn per woman. Every person is drawn from "
            "the calibrated virtual population of the sex"
        ),
    ] = "men"
    uncertainty: Annotated[
        bool,
        Field(
            description="add the model's parameter (epistemic) uncertainty on top of the "
            "between-person spread (labelled spread 'population+parameter-uncertainty')"
        ),
    ] = False

    @field_validator("hgvs")
    @classmethod
    def _strip_hgvs(cls, value: str | None) -> str | None:
        """Surrounding spaces removed; blank -> ``None`` (no variant, as when omitted)."""
        return None if value is None else value.strip() or None


class CohortJobs:
    """Cohort jobs kept in a :class:`~hemesim.web.jobstore.JobStore` (SQLite, survives a
    restart), run one at a time on a worker thread.

    ``keep`` is accepted for compatibility; how long jobs are kept is the store's documented
    expiry rule (:mod:`hemesim.web.jobstore`).
    """

    #: seconds between progress writes to the store (progress is reported many times a second)
    PROGRESS_EVERY_S = 0.5

    def __init__(self, keep: int, compute: Any, store: JobStore | None = None) -> None:
        self._compute = compute
        self._keep = keep
        self.store = store if store is not None else JobStore()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hemesim-cohort")

    def running(self) -> int:
        """Jobs of this server queued or running."""
        return self.store.active()

    def start(self, body: CohortRequest) -> dict[str, Any]:
        """Queue a cohort and return its public record."""
        job_id = self.store.create("cohort", body.model_dump())
        self._executor.submit(self._run, job_id, body.model_dump())
        return self.view(job_id)

    def view(self, job_id: str) -> dict[str, Any]:
        """Public record of a job (404 when the id is unknown; a job cut off by a restart
        answers with status ``interrupted``, an old one with ``expired``)."""
        job = self.store.get(job_id)
        if job is None:
            raise HTTPException(
                status_code=404,
                detail=f"no cohort job {job_id!r}: no job with this id was started here (or it "
                "was deleted after 90 days); check the id",
            )
        job.pop("kind", None)
        job.pop("created", None)
        return job

    def _run(self, job_id: str, req: dict[str, Any]) -> None:
        store = self.store
        store.start(job_id)
        last = 0.0

        def progress(done: float, total: float | None = None) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= self.PROGRESS_EVERY_S:
                last = now
                store.progress(job_id, float(done) / float(total) if total else float(done))

        try:
            store.finish(job_id, run_cohort_job(req, progress, self._compute))
        except HemesimError as exc:
            store.fail(job_id, first_line(exc))
        except HTTPException as exc:
            store.fail(job_id, str(exc.detail))
        except Exception as exc:  # a job must end with a status the page can show
            store.fail(job_id, f"the cohort run failed: {type(exc).__name__}: {str(exc)[:200]}")

    def shutdown(self) -> None:
        """Stop the worker (a running job finishes in the background; queued ones are marked
        ``interrupted``)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.store.interrupt_queued()


def run_cohort_job(request: Mapping[str, Any], progress: Any, compute: Any) -> dict[str, Any]:
    """Run one cohort request and return its JSON form with the ``hemesim cohort`` line.

    The same function as the CLI, :func:`hemesim.phenotype.cohort.virtual_cohort`: people are
    drawn from the calibrated virtual population (the variant acting on each person's values, and
    the documented priors on top only when ``uncertainty``); women sample X-inactivation and mix
    their two clones; no variant means people without an ALAS2 variant. It runs on the app's
    model worker (``compute``) because the HGVS parser and the model stages keep process state.
    """
    n, seed, hgvs = request["n"], request["seed"], request["hgvs"]
    uncertainty = bool(request["uncertainty"])
    sex = "female" if request["population"] == "women" else "male"
    variant: Any = hgvs or None
    cohort_fn = backend("hemesim.phenotype.cohort", "virtual_cohort")
    cohort = compute.submit(
        cohort_fn, variant, sex, n, seed=seed, uncertainty=uncertainty, progress=progress
    ).result()
    out = jsonable(cohort)
    table = cohort.table
    out["kind"] = (
        (f"heterozygous women with {hgvs}" if hgvs else "women (no ALAS2 variant)")
        if sex == "female"
        else (f"men with {hgvs}" if hgvs else "men (no ALAS2 variant)")
    )
    columns = [c for c in table.columns if c != "disease" and table[c].dtype.kind == "f"]
    out["readouts"] = {c: jsonable(table[c].tolist()) for c in columns}
    out["units"] = {c: cohort.units.get(c, "") for c in columns}
    out["cli"] = (
        "hemesim cohort"
        + (f" --variant '{hgvs}'" if hgvs else "")
        + f" --sex {sex} --n {n} --seed {seed}"
        + (" --uncertainty" if uncertainty else "")
        + " --json"
    )
    return out


def check_hgvs(hgvs: str) -> None:
    """Interpret ``hgvs`` as the job will (:func:`hemesim.variants.interpret.interpret`, the
    parser behind :func:`~hemesim.phenotype.cohort.virtual_cohort`), so that a bad variant is a
    422 at submission rather than a failed job.

    A variant whose effect no rule or curated record quantifies (class uncertain, every factor
    1) is refused too, for men and women alike: a cohort of carriers needs a quantified effect,
    and the job would fail with the same reason
    (:meth:`hemesim.phenotype.inputs.ResolvedVariant.require_quantified`).

    Raises
    ------
    HemesimError
        The variants (or phenotype) stage's one-line reason, prefixed with the field name
        ``hgvs``.
    """
    interpret = backend("hemesim.variants.interpret", "interpret")
    resolve = backend("hemesim.phenotype.inputs", "resolve_variant")
    try:
        resolve(interpret(hgvs)).require_quantified()
    except HemesimError as exc:
        raise HemesimError(f"hgvs: {first_line(exc)}") from None


def _jobs(request: Request) -> CohortJobs:
    state = request.app.state
    if not hasattr(state, "cohort"):
        state.cohort = CohortJobs(keep=state.limits.max_cohort_jobs, compute=state.compute)
    return state.cohort


@router.post("/cohort", status_code=202, summary="Start a virtual cohort (background job)")
async def start(request: Request, body: CohortRequest) -> dict[str, Any]:
    """Queue a cohort run; poll ``GET /api/cohort/{job}`` for progress and the result.

    The variant is checked before the job is queued (422 naming ``hgvs``), including that its
    effect is quantified."""
    limits = request.app.state.limits
    if body.n > limits.max_cohort_size:
        raise HemesimError(f"n {body.n}: at most {limits.max_cohort_size} people per request")
    if body.hgvs is not None:  # on the model worker: the HGVS parser is not thread-safe
        await request.app.state.compute.run(check_hgvs, body.hgvs)
    if body.population == "men" or body.hgvs is None:  # 503 now rather than a failed job
        await run_in_threadpool(backend, "hemesim.simulate.cohort", "run_cohort")
    jobs = _jobs(request)
    if jobs.running() >= 2:
        raise HTTPException(status_code=429, detail="a cohort is already running; wait for it")
    return jobs.start(body)


@router.get("/cohort/{job}", summary="Progress and result of a cohort job")
def status(
    request: Request, job: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
) -> dict[str, Any]:
    """``status`` (queued/running/done/error, or interrupted: cut off by a server restart, or
    expired: finished over 7 days ago), ``progress`` (0-1), ``result`` when done. An unknown id
    is 404."""
    return _jobs(request).view(job)
