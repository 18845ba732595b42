"""Property-based API tests from the OpenAPI spec (schemathesis, in-process ASGI): no 5xx.

Bounded: a few examples per operation, so the module runs in well under a minute. Starting a
cohort is left to ``test_api_cohort.py``: a generated men cohort would compile the batched engine
in a background job for minutes.
"""

from __future__ import annotations

import warnings

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from hemesim.web.app import create_app  # noqa: E402
from hemesim.web.limits import Limits  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)

# Small limits keep every generated request cheap (few points, short time courses).
APP = create_app(Limits(max_points=40, max_until_h=100.0, max_cohort_size=3, compute_timeout_s=30))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

schema = schema.exclude(path="/api/cohort", method="POST")


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_answers_5xx(case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
