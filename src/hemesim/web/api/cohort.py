"""Virtual cohorts as background jobs: ``POST /api/cohort`` starts one, ``GET`` polls it.

A cohort can take seconds to minutes, so it runs as a background job while the page polls
``GET /api/cohort/{job}`` for ``progress`` (0-1, or ``null`` when the engine reports none) and
finally the result (the shape of ``hemesim cohort --json``). The number of people per request is
capped (:class:`~hemesim.web.limits.Limits`), one cohort runs at a time, and only the last few
jobs are kept in memory.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from hemesim.errors import HemesimError
from hemesim.jsonable import jsonable
from hemesim.web.backends import backend
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
    """In-memory cohort jobs, one worker thread, at most ``keep`` jobs remembered."""

    def __init__(self, keep: int, compute: Any) -> None:
        self._compute = compute
        self._jobs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hemesim-cohort")

    def running(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return sum(j["status"] in ("queued", "running") for j in self._jobs.values())

    def start(self, body: CohortRequest) -> dict[str, Any]:
        """Queue a cohort and return its public record."""
        job_id = secrets.token_hex(8)
        job: dict[str, Any] = {
            "job": job_id,
            "status": "queued",
            "progress": 0.0,
            "request": body.model_dump(),
            "result": None,
            "error": None,
            "started": time.time(),
            "elapsed_s": 0.0,
        }
        with self._lock:
            self._jobs[job_id] = job
            while len(self._jobs) > self._keep:
                oldest = next(
                    (k for k, j in self._jobs.items() if j["status"] in ("done", "error")), None
                )
                if oldest is None:
                    break
                self._jobs.pop(oldest)
        self._executor.submit(self._run, job)
        return self.view(job_id)

    def view(self, job_id: str) -> dict[str, Any]:
        """Public record of a job (404 when unknown)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise HTTPException(status_code=404, detail=f"no cohort job {job_id!r}")
            out = {k: v for k, v in job.items() if k != "started"}
            if job["status"] in ("queued", "running"):
                out["elapsed_s"] = time.time() - job["started"]
            return out

    def _run(self, job: dict[str, Any]) -> None:
        job["status"] = "running"
        job["started"] = time.time()

        def progress(done: float, total: float | None = None) -> None:
            job["progress"] = float(done) / float(total) if total else float(done)

        try:
            req = job["request"]
            job["result"] = run_cohort_job(req, progress, self._compute)
            job["progress"] = 1.0
            job["status"] = "done"
        except HemesimError as exc:
            job["error"] = first_line(exc)
            job["status"] = "error"
        except HTTPException as exc:
            job["error"] = str(exc.detail)
            job["status"] = "error"
        except Exception as exc:  # a job must end with a status the page can show
            job["error"] = f"the cohort run failed: {type(exc).__name__}: {str(exc)[:200]}"
            job["status"] = "error"
        finally:
            job["elapsed_s"] = time.time() - job["started"]

    def shutdown(self) -> None:
        """Stop the worker (running jobs finish in the background)."""
        self._executor.shutdown(wait=False, cancel_futures=True)


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
    """``status`` (queued/running/done/error), ``progress`` (0-1), ``result`` when done."""
    return _jobs(request).view(job)
