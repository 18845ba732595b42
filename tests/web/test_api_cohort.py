"""Cohort jobs: caps, unknown jobs, and (when the engine exists) a small run to completion."""

from __future__ import annotations

import time

import pytest

from hemesim.web.backends import available

HAVE_COHORT = available("hemesim.simulate.cohort", "run_cohort")


def test_cohort_size_is_capped(small_client) -> None:
    r = small_client.post("/api/cohort", json={"n": 6, "seed": 1})
    assert r.status_code == 422
    assert "at most 5" in r.json()["detail"]


@pytest.mark.parametrize("body", [{"n": 0}, {"n": -3}, {"seed": -1}, {"n": "many"}])
def test_bad_cohort_request_is_422(client, body: dict) -> None:
    assert client.post("/api/cohort", json=body).status_code == 422


def test_unknown_job_is_404_and_bad_id_is_422(client) -> None:
    assert client.get("/api/cohort/0123abcd").status_code == 404
    assert client.get("/api/cohort/not-hex!").status_code == 422


def _wait(client, job: dict) -> dict:
    deadline = time.monotonic() + 120
    view = job
    while view["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        view = client.get(f"/api/cohort/{job['job']}").json()
    return view


def test_women_without_a_variant_are_the_healthy_population(client) -> None:
    r = client.post("/api/cohort", json={"n": 2, "seed": 1, "population": "women"})
    assert r.status_code == 202, r.text


def test_women_cohort_is_reproducible_by_seed(client) -> None:
    """Heterozygous women: same seed, same women; every readout has one value per woman."""
    runs = []
    body = {"n": 50, "seed": 11, "hgvs": "p.Arg452Cys", "population": "women"}
    for _ in range(2):
        job = client.post("/api/cohort", json=body)
        assert job.status_code == 202
        view = _wait(client, job.json())
        assert view["status"] == "done", view.get("error")
        assert view["progress"] == 1.0
        runs.append(view["result"])
    readouts = runs[0]["readouts"]
    assert len(readouts["xi"]) == 50 and len(readouts["hb_g_dl"]) == 50
    assert all(0.0 <= x <= 1.0 for x in readouts["xi"])
    assert runs[0]["readouts"] == runs[1]["readouts"]
    assert runs[0]["units"]["hb_g_dl"] == "g/dL"


def test_cohort_with_a_bad_variant_is_refused_at_submission(client) -> None:
    """The variant is interpreted before a job is queued: 422 naming ``hgvs``, no job."""
    body = {"n": 3, "seed": 1, "hgvs": "p.Arg452Xyz", "population": "women"}
    r = client.post("/api/cohort", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("hgvs: variant 'p.Arg452Xyz'")


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_COHORT, reason="hemesim.simulate.cohort.run_cohort not installed")
def test_men_cohort_runs_on_the_batched_engine(client) -> None:
    """Slow: the first batched run compiles the engine (minutes on a busy machine)."""
    job = client.post("/api/cohort", json={"n": 4, "seed": 7, "hgvs": "p.Arg452Cys"}).json()
    assert job["status"] in ("queued", "running", "done")
    view = _wait(client, job)
    assert view["status"] == "done", view.get("error")
    assert view["progress"] == 1.0
    assert len(view["result"]["readouts"]["hb_g_dl"]) == 4
    assert view["result"]["cli"].startswith("hemesim cohort --variant 'p.Arg452Cys' --sex male")


def test_women_cohort_cli_line_reproduces_the_result(client) -> None:
    """The ``hemesim cohort`` line shown under the cohort gives the same women."""
    import json
    import shlex

    from typer.testing import CliRunner

    from hemesim.cli.main import app

    body = {"n": 20, "seed": 5, "hgvs": "p.Arg452Cys", "population": "women", "uncertainty": False}
    view = _wait(client, client.post("/api/cohort", json=body).json())
    args = shlex.split(view["result"]["cli"])
    assert args[0] == "hemesim"
    out = CliRunner().invoke(app, args[1:])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.stdout)
    hb = view["result"]["readouts"]["hb_g_dl"]
    assert printed["n"] == 20
    import numpy as np

    assert printed["quantiles"]["hb_g_dl"]["q50"] == pytest.approx(float(np.median(hb)), rel=1e-12)
    assert printed["disease_shares"] == view["result"]["disease_shares"]
