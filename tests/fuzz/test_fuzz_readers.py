"""Fuzzing every reader with hypothesis (issue 16): no crash, no wrong success, no hang.

The fast suite tries a few dozen inputs per reader; ``@pytest.mark.slow`` tries ``FUZZ_N``
(default 10^5) per reader and writes the tally (tried / ok / clean error / wrong success / crash
/ hang) to ``$FUZZ_REPORT`` (JSON) when set. The figures of the last slow run are in
docs/reliability.md. The outcome rules are in :mod:`tests.fuzz.readers`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tests.fuzz.readers import READERS, run, tally
from tests.fuzz.strategies import STRATEGIES

FAST_EXAMPLES = {"variant_lines": 8, "hgvs": 25, "web_body": 25}


@pytest.mark.parametrize("name", sorted(READERS))
def test_reader_fuzz_fast(name: str) -> None:
    reader = READERS[name]
    seen: list[str] = []

    @settings(
        max_examples=FAST_EXAMPLES.get(name, 40),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(STRATEGIES[name])
    def check(text: str) -> None:
        outcome = run(reader, text)
        seen.append(outcome)
        assert outcome in ("ok", "clean"), f"{name}: {outcome} on {text[:200]!r}"

    check()
    assert seen


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(READERS))
def test_reader_fuzz_slow(name: str) -> None:
    n = int(os.environ.get("FUZZ_N", "100000"))
    reader = READERS[name]
    seen: list[str] = []
    bad: list[str] = []

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[name])
    def check(text: str) -> None:
        outcome = run(reader, text)
        seen.append(outcome)
        if outcome not in ("ok", "clean"):
            bad.append(f"{outcome}: {text[:200]!r}")

    check()
    report = os.environ.get("FUZZ_REPORT")
    if report:
        path = Path(report)
        data = json.loads(path.read_text()) if path.exists() else {}
        data[name] = tally(seen)
        path.write_text(json.dumps(data, indent=1))
    assert not bad, bad[:5]
