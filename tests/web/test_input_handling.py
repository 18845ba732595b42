"""Input handling of the API: caps, unknown and repeated fields, body framing, strict numbers.

Each test reproduces a defect of the input audit (D1-D11) and checks the one-line 422 (or 413)
that replaces the silent or misleading answer. None of them starts the batched engine: cohorts of
men run a stand-in for ``run_cohort_job``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Query

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

import hemesim.web.api.cohort as cohort_api
from hemesim.errors import HemesimError, PhenotypeError
from hemesim.web.app import check_parameter_names, create_app

SIMULATE_FIELDS = "until_h, points, overrides"
COHORT_FIELDS = "n, seed, hgvs, population, uncertainty"


def _wait(client: TestClient, job: dict, limit_s: float = 30.0) -> dict:
    """Poll a cohort job until it ends (or ``limit_s`` passes: a job stuck in running)."""
    deadline = time.monotonic() + limit_s
    view = job
    while view["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.02)
        view = client.get(f"/api/cohort/{job['job']}").json()
    return view


@pytest.fixture()
def fake_cohort_run(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the cohort run by a stand-in that records the request it was given."""
    seen: list[dict[str, Any]] = []

    def fake(request: Any, progress: Any, compute: Any) -> dict[str, Any]:
        seen.append(dict(request))
        return {"fake": True}

    monkeypatch.setattr(cohort_api, "run_cohort_job", fake)
    return seen


# D1: the end time set through maturation.duration is capped like until_h ------------------------


@pytest.mark.parametrize("key", ["maturation.duration", "maturation_duration"])
def test_maturation_duration_override_is_capped_without_until_h(client, key: str) -> None:
    r = client.post("/api/simulate", json={"points": 2000, "overrides": {key: 1e9}})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(f"overrides.{key} 1e+09: at most 96 h per request")
    assert "the model allows it from 48 to 96 h" in r.json()["detail"]


def test_maturation_duration_within_the_cap_is_simulated(client) -> None:
    r = client.post("/api/simulate", json={"points": 2, "overrides": {"maturation.duration": 80}})
    assert r.status_code == 200, r.text
    assert r.json()["provenance"]["parameters"]["overrides"] == {"maturation.duration": 80.0}


# D3: unknown body fields and query parameters are errors, not ignored ----------------------------


def test_unknown_simulate_field_is_named(client) -> None:
    r = client.post("/api/simulate", json={"points": 3, "override": {"ALAS2.kcat": 1.0}})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        f"request body: unknown field 'override'; expected one of {SIMULATE_FIELDS}"
    )


def test_unknown_cohort_fields_are_named(client) -> None:
    body = {"n": 2, "population": "women", "sex": "female", "variant": "p.Arg452Cys"}
    r = client.post("/api/cohort", json=body)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        f"request body: unknown fields 'sex', 'variant'; expected one of {COHORT_FIELDS}"
    )


@pytest.mark.parametrize(
    ("method", "url", "detail"),
    [
        (
            "GET",
            "/api/pathway?zinc=5",
            "unknown query parameter 'zinc'; expected one of alas2, plp, iron, hgvs",
        ),
        (
            "GET",
            "/api/phenotype?hgvs=p.Arg452Cys&treat=pyridoxine",
            "unknown query parameter 'treat'; expected one of hgvs, sex, xi, treatment, seed, age",
        ),
        (
            "GET",
            "/api/domains?x=1",
            "unknown query parameter 'x'; this endpoint takes no query parameters",
        ),
        (
            "POST",
            "/api/simulate?points=3",
            "unknown query parameter 'points'; this endpoint takes no query parameters",
        ),
    ],
)
def test_unknown_query_parameter_is_named(client, method: str, url: str, detail: str) -> None:
    r = client.request(method, url, json={} if method == "POST" else None)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == detail


def test_pages_still_take_query_strings(client) -> None:
    """Links such as /variant?hgvs=... open a page with a variant: pages are not checked."""
    assert client.get("/variant", params={"hgvs": "p.Arg452Cys"}).status_code == 200


PED = b"f dad 0 0 1 1\nf mum 0 0 2 0\nf son dad mum 1 2\n"


@pytest.mark.parametrize(
    ("form", "detail"),
    [
        (
            {"fitnes_male": "0"},
            "unknown form field 'fitnes_male'; expected one of file, disease, fitness_male, "
            "mu_female, mu_male, allele_frequency, penetrance_female, variant, svg",
        ),
        ({"disease": ["xlsa", "xlp"]}, "form field 'disease' given 2 times; give it once"),
    ],
)
def test_unknown_or_repeated_risk_form_field_is_named(client, form: dict, detail: str) -> None:
    """A misspelt option would otherwise be computed with its default."""
    r = client.post("/api/risk", files={"file": ("f.ped", PED, "text/plain")}, data=form)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == detail


def test_list_query_parameters_may_repeat() -> None:
    """Only a parameter declared as a list may be given more than once."""
    app = FastAPI(dependencies=[Depends(check_parameter_names)])

    @app.get("/tags")
    def tags(tag: Annotated[list[str], Query()], n: int = 1) -> dict[str, Any]:
        return {"tag": tag, "n": n}

    with TestClient(app) as c:
        assert c.get("/tags?tag=a&tag=b").json() == {"tag": ["a", "b"], "n": 1}
        r = c.get("/tags?tag=a&n=1&n=2")
        assert r.status_code == 422
        assert r.json()["detail"] == "query parameter 'n' given 2 times; give it once"


# D5: a chunked body over the cap is a 413 like one with Content-Length ---------------------------


def _chunks(*parts: bytes) -> Iterator[bytes]:
    yield from parts  # a generator body: httpx sends it chunked, without Content-Length


def test_chunked_oversized_body_is_413(small_client) -> None:
    r = small_client.post(
        "/api/simulate",
        content=_chunks(b"{", b" " * 10_000, b" " * 10_000, b"}"),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413, r.text
    assert r.json()["detail"] == f"request body too large: at most {200 + 16 * 1024} bytes"


def test_chunked_body_under_the_cap_reaches_the_endpoint(small_client) -> None:
    r = small_client.post(
        "/api/simulate",
        content=_chunks(b'{"points": ', b"1}"),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("points:")


# D6: malformed bodies say what is wrong and what is expected -------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "start"),
    [
        (
            b'{"points": }',
            "application/json",
            "request body: invalid JSON at character 11 (Expecting value); expected a JSON "
            f"object with fields {SIMULATE_FIELDS}",
        ),
        (
            b'{"points": 3}',
            "text/plain",
            "request body: expected Content-Type application/json (got Content-Type text/plain)",
        ),
        (
            b"points=3",
            "application/x-www-form-urlencoded",
            "request body: expected Content-Type application/json "
            "(got Content-Type application/x-www-form-urlencoded)",
        ),
        (
            b"[3]",
            "application/json",
            f"request body: expected a JSON object with fields {SIMULATE_FIELDS}, got an array",
        ),
    ],
)
def test_malformed_simulate_body_is_explained(
    client, content: bytes, content_type: str, start: str
) -> None:
    r = client.post("/api/simulate", content=content, headers={"content-type": content_type})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(start)


def test_missing_simulate_body_is_explained(client) -> None:
    r = client.post("/api/simulate", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        f"request body: missing; expected a JSON object with fields {SIMULATE_FIELDS}"
    )


def test_risk_with_a_json_body_asks_for_a_multipart_upload(client) -> None:
    r = client.post("/api/risk", json={"file": "f dad 0 0 1 1"})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "file: expected a multipart/form-data upload of a PED file (columns FID IID PID MID SEX "
        "PHEN [...]) or pedigreejs JSON in field 'file' (got Content-Type application/json)"
    )


@pytest.mark.parametrize("path", ["/api/risk", "/api/risk/pdf"])
@pytest.mark.parametrize(
    ("content_type", "reason"),
    [
        ("multipart/form-data", "Missing boundary in multipart"),
        ("multipart/form-data; boundary=", "Invalid multipart data"),
    ],
)
def test_unreadable_multipart_body_is_422(
    client, path: str, content_type: str, reason: str
) -> None:
    """Starlette's form parser answered these 400 with its own text; the API promises a 422."""
    r = client.post(path, content=b"--xyz\r\ngarbage", headers={"content-type": content_type})
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == (
        f"request body: not a readable multipart/form-data upload ({reason}); expected a PED "
        "file (columns FID IID PID MID SEX PHEN [...]) or pedigreejs JSON in field 'file', sent "
        "as a browser form or curl -F does (Content-Type multipart/form-data with a boundary)"
    )


def test_other_http_errors_keep_their_status(client) -> None:
    assert client.get("/api/cohort/abc").status_code == 404
    assert client.post("/api/health").status_code == 405


# D7: the cohort's HGVS is stripped, blank means none, and it is checked at submission ------------


@pytest.mark.parametrize("population", ["men", "women"])
def test_cohort_bad_hgvs_is_422_at_submission(
    client, fake_cohort_run: list, population: str
) -> None:
    r = client.post("/api/cohort", json={"n": 2, "hgvs": "zzz", "population": population})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("hgvs: variant 'zzz': not a c./p. description")
    assert fake_cohort_run == []


@pytest.mark.parametrize("population", ["men", "women"])
def test_cohort_unquantified_hgvs_is_422_at_submission(
    client, fake_cohort_run: list, population: str
) -> None:
    """c.-50C>G was accepted (202) and then failed as a job; the CLI refuses it at once."""
    body = {"n": 3, "hgvs": " c.-50C>G ", "population": population}
    r = client.post("/api/cohort", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(
        "hgvs: no phenotype predicted for c.-50C>G: its effect on ALAS2 is uncertain"
    )
    assert fake_cohort_run == []


def test_cohort_blank_hgvs_is_no_variant_for_both_sexes(client, fake_cohort_run: list) -> None:
    women = client.post("/api/cohort", json={"n": 2, "hgvs": "   ", "population": "women"})
    assert women.status_code == 202, women.text  # healthy women (no ALAS2 variant)
    men = client.post("/api/cohort", json={"n": 2, "hgvs": "   ", "population": "men"})
    assert men.status_code == 202, men.text
    assert men.json()["request"]["hgvs"] is None
    assert _wait(client, men.json())["status"] == "done"
    assert [r["hgvs"] for r in fake_cohort_run] == [None, None]


def test_cohort_hgvs_spaces_are_removed_from_the_command_and_labels(client) -> None:
    body = {"n": 2, "seed": 1, "hgvs": " p.Arg452Cys ", "population": "women", "uncertainty": False}
    job = client.post("/api/cohort", json=body)
    assert job.status_code == 202, job.text
    assert job.json()["request"]["hgvs"] == "p.Arg452Cys"
    view = _wait(client, job.json())
    assert view["status"] == "done", view["error"]
    assert view["result"]["kind"] == "heterozygous women with p.Arg452Cys"
    assert view["result"]["cli"].startswith("hemesim cohort --variant 'p.Arg452Cys' --sex female")


# D8: numbers in a JSON body are JSON numbers -----------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"points": 3, "until_h": True}, "until_h: expected a number, got true"),
        ({"points": 3, "until_h": "2"}, 'until_h: expected a number, got "2"'),
        ({"overrides": {"ALAS2.kcat": True}}, "overrides.ALAS2.kcat: expected a number, got true"),
        ({"overrides": {"PLP": "2"}}, 'overrides.PLP: expected a number, got "2"'),
        ({"points": "3"}, 'points: expected an integer, got "3"'),
        ({"points": True}, "points: expected an integer, got true"),
        ({"points": 3.5}, "points: expected an integer, got 3.5"),
    ],
)
def test_simulate_numbers_are_strict(client, payload: dict, detail: str) -> None:
    r = client.post("/api/simulate", json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == detail


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"n": True}, "n: expected an integer, got true"),
        ({"seed": "1"}, 'seed: expected an integer, got "1"'),
        ({"uncertainty": "no"}, 'uncertainty: expected true or false, got "no"'),
    ],
)
def test_cohort_numbers_and_flags_are_strict(client, payload: dict, detail: str) -> None:
    # women without a variant: were the field accepted, the answer would be the variant's 422
    r = client.post("/api/cohort", json={"population": "women", **payload})
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == detail


def test_integers_are_accepted_for_real_numbers(client) -> None:
    payload = {"points": 2, "until_h": 1, "overrides": {"ALAS2.kcat": 97}}
    r = client.post("/api/simulate", json=payload)
    assert r.status_code == 200, r.text
    parameters = r.json()["provenance"]["parameters"]
    assert parameters["until_h"] == 1.0 and parameters["overrides"] == {"ALAS2.kcat": 97.0}


# D9: a repeated query parameter is an error, not its last value ----------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [("/api/variant?hgvs=zzz&hgvs=p.Arg452Cys", "hgvs"), ("/api/pathway?alas2=1&alas2=2", "alas2")],
)
def test_repeated_query_parameter_is_422(client, url: str, name: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == f"query parameter '{name}' given 2 times; give it once"


# D11: /api/variant/validate always answers 200 ---------------------------------------------------


def test_validate_answers_200_for_text_over_the_cap(client) -> None:
    r = client.get("/api/variant/validate", params={"hgvs": "c." + "1" * 300})
    assert r.status_code == 200, r.text
    message = "hgvs: 302 characters; at most 200 (e.g. c.1706_1709del)"
    assert r.json() == {"valid": False, "message": message}


# Errors without a message; the cohort worker's shutdown ------------------------------------------


def test_hemesim_error_without_a_message_is_a_422() -> None:
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise HemesimError("")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 422
    assert r.json() == {"detail": "HemesimError"}


def test_cohort_job_failing_without_a_message_ends_in_error(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(request: Any, progress: Any, compute: Any) -> dict[str, Any]:
        raise PhenotypeError("")

    monkeypatch.setattr(cohort_api, "run_cohort_job", fail)
    job = client.post("/api/cohort", json={"n": 2, "population": "men"})
    assert job.status_code == 202, job.text
    view = _wait(client, job.json())
    assert view["status"] == "error" and view["error"] == "PhenotypeError"


def test_cohort_worker_stops_with_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app()
    assert not hasattr(app.state, "cohort_jobs")
    with TestClient(app) as c:
        assert c.get("/api/cohort/0123abcd").status_code == 404  # creates the job table
        jobs = app.state.cohort
        calls: list[bool] = []
        stop = jobs.shutdown

        def counted_stop() -> None:
            calls.append(True)
            stop()

        monkeypatch.setattr(jobs, "shutdown", counted_stop)
    assert calls == [True]
    with TestClient(app) as c:  # started again: a new worker
        assert c.get("/api/cohort/0123abcd").status_code == 404
        assert app.state.cohort is not jobs
