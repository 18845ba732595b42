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
from pydantic import BaseModel, Field

from hemesim.errors import HemesimError
from hemesim.jsonable import jsonable
from hemesim.web.backends import backend

__all__ = ["CohortJobs", "CohortRequest", "router"]

router = APIRouter(prefix="/api", tags=["cohort"])


class CohortRequest(BaseModel):
    """Body of ``POST /api/cohort``."""

    n: Annotated[int, Field(ge=1, description="number of virtual people")] = 200
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 1
    hgvs: Annotated[str | None, Field(max_length=200, description="optional ALAS2 variant")] = None
    population: Annotated[
        Literal["men", "women"],
        Field(
            description="men: hemizygous for the variant (or normal), parameters drawn from "
            "their uncertainty priors; women: heterozygous, X-inactivation drawn per woman"
        ),
    ] = "men"
    uncertainty: Annotated[
        bool, Field(description="men: draw uncertain parameters from their log-normal priors")
    ] = True


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
            job["error"] = str(exc).splitlines()[0]
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
    """Run one cohort request and return its JSON form with a ``cli`` line that reproduces it.

    ``men``: the simulate stage's batched engine (:func:`hemesim.simulate.cohort.run_cohort`)
    evaluates ``n`` parameter sets drawn from the parameter-uncertainty priors, with the variant's
    effect applied to every set. ``women``: X-inactivation is sampled per woman
    (:func:`hemesim.phenotype.cohort_support.female_cohort_sets`) and the two clones are
    simulated once each on the app's model worker (``compute``), whatever the cohort size.
    """
    n, seed, hgvs = request["n"], request["seed"], request["hgvs"]
    if request["population"] == "women":
        if not hgvs:
            raise HemesimError("population 'women': give the variant they are heterozygous for")
        return _women_cohort(n, seed, hgvs, progress, compute)
    return _men_cohort(n, seed, hgvs, bool(request["uncertainty"]), progress, compute)


def _men_cohort(
    n: int, seed: int, hgvs: str | None, uncertainty: bool, progress: Any, compute: Any
) -> dict[str, Any]:
    """Men with parameters drawn from their priors (batched engine), optionally hemizygous."""
    import numpy as np

    run_cohort = backend("hemesim.simulate.cohort", "run_cohort")
    overrides: dict[str, float] = {}
    if hgvs:
        report = compute.submit(backend("hemesim.variants.interpret", "interpret"), hgvs).result()
        future = compute.submit(backend("hemesim.model", "effect_overrides"), report.effect)
        overrides = dict(future.result())
    table = {k: np.full(n, float(v)) for k, v in overrides.items()} or None
    result = run_cohort(table, n, seed=seed, uncertainty=uncertainty, progress=progress)
    units = backend("hemesim.model.definition", "READOUTS")
    out = jsonable(result)
    out["kind"] = "men" + (f" hemizygous for {hgvs}" if hgvs else " (normal ALAS2)")
    out["readouts"] = {
        name: jsonable(result.values[:, i].tolist()) for i, name in enumerate(result.names)
    }
    out["units"] = {name: units.get(name, "") for name in result.names}
    table_src = (
        "{" + ", ".join(f"'{k}': [{v!r}] * {n}" for k, v in overrides.items()) + "}"
        if overrides
        else "None"
    )
    out["cli"] = (
        'python -c "from hemesim import run_cohort; '
        f"r = run_cohort({table_src}, {n}, seed={seed}, uncertainty={uncertainty}); "
        'print(r.to_dict())"'
    )
    return out


def _women_cohort(n: int, seed: int, hgvs: str, progress: Any, compute: Any) -> dict[str, Any]:
    """Heterozygous women with sampled X-inactivation: two clone simulations, then mixing."""
    sets_fn = backend("hemesim.phenotype.cohort_support", "female_cohort_sets")
    clones = backend("hemesim.phenotype.clones", "default_backend")
    units = backend("hemesim.phenotype.readouts", "READOUT_UNITS")
    sets = compute.submit(sets_fn, hgvs, n, seed=seed).result()
    progress(0.1)
    model = compute.submit(clones).result()
    endpoints = []
    for i, overrides in enumerate(sets.parameter_sets):
        endpoints.append(compute.submit(model.endpoint, overrides).result())
        progress(0.1 + 0.4 * (i + 1))
    readouts = sets.combine(endpoints)
    return {
        "kind": "heterozygous women",
        "variant": sets.variant,
        "n": n,
        "seed": seed,
        "readouts": {k: jsonable(v) for k, v in readouts.items()},
        "units": {k: units.get(k, "") for k in readouts},
        "setup": jsonable(sets),
        "cli": (
            'python -c "from hemesim.phenotype.cohort_support import female_cohort_sets; '
            "from hemesim.phenotype.clones import default_backend; "
            f"s = female_cohort_sets('{hgvs}', {n}, seed={seed}); b = default_backend(); "
            'print(s.combine([b.endpoint(p) for p in s.parameter_sets]))"'
        ),
    }


def _jobs(request: Request) -> CohortJobs:
    state = request.app.state
    if not hasattr(state, "cohort"):
        state.cohort = CohortJobs(keep=state.limits.max_cohort_jobs, compute=state.compute)
    return state.cohort


@router.post("/cohort", status_code=202, summary="Start a virtual cohort (background job)")
def start(request: Request, body: CohortRequest) -> dict[str, Any]:
    """Queue a cohort run; poll ``GET /api/cohort/{job}`` for progress and the result."""
    limits = request.app.state.limits
    if body.n > limits.max_cohort_size:
        raise HemesimError(f"n {body.n}: at most {limits.max_cohort_size} people per request")
    jobs = _jobs(request)
    if jobs.running() >= 2:
        raise HTTPException(status_code=429, detail="a cohort is already running; wait for it")
    if body.population == "women" and not (body.hgvs or "").strip():
        raise HemesimError("population 'women': give the variant they are heterozygous for")
    if body.population == "men":
        backend("hemesim.simulate.cohort", "run_cohort")  # 503 now rather than a failed job
    return jobs.start(body)


@router.get("/cohort/{job}", summary="Progress and result of a cohort job")
def status(
    request: Request, job: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
) -> dict[str, Any]:
    """``status`` (queued/running/done/error), ``progress`` (0-1), ``result`` when done."""
    return _jobs(request).view(job)
