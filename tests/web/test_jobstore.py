"""Cohort jobs persist in SQLite (issue 16, "Job store" and finding 11).

Before, jobs lived in memory: a restart lost every result, and a job lost to a restart answered
the same 404 as a mistyped id.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hemesim.web.app import create_app
from hemesim.web.jobstore import RECORD_TTL_S, RESULT_TTL_S, JobStore

REQUEST = {"n": 5, "seed": 1, "hgvs": None, "population": "men", "uncertainty": True}
RESULT = {"n": 5, "quantiles": {"hb_g_dl": [14.9, 15.5, 16.0]}}
DEAD_PID = 2**31 - 2  # above any Linux pid_max: no such process


def test_a_live_servers_jobs_are_left_alone_and_queued_ones_end_at_shutdown(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs.sqlite3"
    live = JobStore(path)  # this process: alive
    running = live.create("cohort", REQUEST)
    live.start(running)
    queued = live.create("cohort", REQUEST)
    other = JobStore(path)  # a second server while the first still runs
    assert other.get(running)["status"] == "running"
    live.interrupt_queued()  # the first server shuts down
    assert other.get(queued)["status"] == "interrupted"
    assert other.get(running)["status"] == "running"  # it finishes in the background


def test_a_finished_result_and_an_interrupted_job_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    first = JobStore(path)
    first.instance = f"{DEAD_PID}:gone"  # as if written by a server process that has ended
    done = first.create("cohort", REQUEST)
    first.start(done)
    first.finish(done, RESULT)
    cut = first.create("cohort", REQUEST)
    first.start(cut)
    first.progress(cut, 0.4)
    queued = first.create("cohort", REQUEST)
    second = JobStore(path)  # the server restarted
    assert second.get(done)["status"] == "done"
    assert second.get(done)["result"] == RESULT
    for job_id in (cut, queued):
        job = second.get(job_id)
        assert job is not None and job["status"] == "interrupted"
        assert "server stopped" in job["error"]
    assert second.get("0123456789abcdef") is None
    assert second.active() == 0


def test_old_jobs_expire_by_the_documented_rule(tmp_path: Path) -> None:
    clock = [1_000_000.0]
    store = JobStore(tmp_path / "jobs.sqlite3", now=lambda: clock[0])
    job = store.create("cohort", REQUEST)
    store.start(job)
    store.finish(job, RESULT)
    clock[0] += RESULT_TTL_S - 60
    assert store.get(job)["result"] == RESULT
    clock[0] += 120
    expired = store.get(job)
    assert expired["status"] == "expired" and expired["result"] is None
    clock[0] += RECORD_TTL_S
    store.create("cohort", REQUEST)  # expiry runs when a job is created
    assert store.get(job) is None


def test_at_most_max_records_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hemesim.web.jobstore as jobstore

    monkeypatch.setattr(jobstore, "MAX_RECORDS", 3)
    clock = [0.0]

    def tick() -> float:
        clock[0] += 1
        return clock[0]

    store = JobStore(tmp_path / "jobs.sqlite3", now=tick)
    ids = []
    for _ in range(5):
        ids.append(store.create("cohort", REQUEST))
        store.fail(ids[-1], "x")
    assert [store.get(i) is not None for i in ids] == [False, False, True, True, True]


def test_concurrent_writers_in_threads(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite3")
    made: list[str] = []
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(25):
                job = store.create("cohort", {**REQUEST, "seed": k * 100 + i})
                store.start(job)
                store.progress(job, 0.5)
                store.finish(job, {"k": k, "i": i})
                made.append(job)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(made)) == 200
    assert all(store.get(j)["status"] == "done" for j in made)


WRITER = """
import sys
from hemesim.web.jobstore import JobStore
store = JobStore(sys.argv[1])
for i in range(30):
    job = store.create("cohort", {"i": i})
    store.finish(job, {"i": i})
    print(job)
"""


def test_concurrent_writers_in_processes(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    JobStore(path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    store = JobStore(path)
    ids = [j for out in outs for j in out]
    assert len(set(ids)) == 90
    assert all(store.get(j)["status"] == "done" for j in ids)


def test_the_api_serves_results_across_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMESIM_DATA_DIR", str(tmp_path))
    old = JobStore()  # the previous server's store in the data folder
    old.instance = f"{DEAD_PID}:gone"
    done = old.create("cohort", REQUEST)
    old.finish(done, RESULT)
    cut = old.create("cohort", REQUEST)
    old.start(cut)
    with TestClient(create_app()) as client:
        answer = client.get(f"/api/cohort/{done}")
        assert answer.status_code == 200 and answer.json()["result"] == RESULT
        lost = client.get(f"/api/cohort/{cut}")
        assert lost.status_code == 200 and lost.json()["status"] == "interrupted"
        unknown = client.get("/api/cohort/0123456789abcdef")
        assert unknown.status_code == 404 and "no job with this id" in unknown.json()["detail"]
    assert (tmp_path / "jobs.sqlite3").is_file()
