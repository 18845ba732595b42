"""Fixtures for the web tests: one app and TestClient per module (the model loads once)."""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from hemesim.web.app import create_app
from hemesim.web.limits import Limits

# cohort jobs are stored in SQLite under HEMESIM_DATA_DIR: never in the tester's home
os.environ.setdefault("HEMESIM_DATA_DIR", tempfile.mkdtemp(prefix="hemesim-test-data-"))

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "hemesim" / "genetics" / "examples"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture()
def small_client() -> Iterator[TestClient]:
    """An app with tiny limits, to test the caps."""
    limits = Limits(
        max_upload_bytes=200, max_ped_individuals=2, max_cohort_size=5, max_points=10,
        max_until_h=10.0,
    )  # fmt: skip
    with TestClient(create_app(limits)) as c:
        yield c


@pytest.fixture()
def examples() -> Path:
    """Folder of the genetics stage's example PED files."""
    return EXAMPLES
