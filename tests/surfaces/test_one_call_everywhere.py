"""Every surface gives the same disease call and the same female penetrance for the same person.

Issue 14 saw the penetrance of p.Arg452Cys at 40 y differ by screen (``penetrance`` 0.25, the
family section of ``report --ped`` 0.05, the web page a threshold in xi). Here the Python API,
the CLI (``variant --json``, ``penetrance --json``, ``risk --variant --json``), the web API
(``/api/phenotype``, ``/api/phenotype/penetrance``, ``/api/risk`` with a variant) and the report's
family section are compared on the same inputs: they must agree exactly (one function,
:func:`hemesim.phenotype.penetrance.penetrance`, with one seed and one number of women).
"""

from __future__ import annotations

import json
import warnings
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app
from hemesim.phenotype.penetrance import penetrance
from hemesim.phenotype.predict import predict

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

runner = CliRunner()
XLSA = "c.1354C>T"  # p.Arg452Cys, Cotter et al., Blood 1999;93:1757
ISOLATED = Path(str(resources.files("hemesim.genetics") / "examples" / "isolated_case.ped"))


def _cli(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    from hemesim.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


@pytest.fixture(scope="module")
def python_penetrance() -> float:
    return float(penetrance(XLSA))


def test_female_penetrance_is_one_number(client, python_penetrance: float) -> None:  # type: ignore[no-untyped-def]
    # predict (a woman without xi) and penetrance()
    woman = predict(XLSA, sex="female")
    assert woman.penetrance == python_penetrance
    # hemesim penetrance --json
    assert _cli(["penetrance", XLSA, "--json"])["penetrance"] == python_penetrance
    # hemesim risk --variant --json (the family engine's input)
    risk = _cli(["risk", str(ISOLATED), "--variant", XLSA, "--json"])
    assert risk["variant"]["penetrance_female"] == python_penetrance
    assert risk["model"]["penetrance"]["female"][1] == python_penetrance
    # web: the variant page's penetrance and the family page with a variant
    web = client.get("/api/phenotype/penetrance", params={"hgvs": XLSA})
    assert web.status_code == 200, web.text
    assert web.json()["penetrance"] == python_penetrance
    with ISOLATED.open("rb") as fh:
        fam = client.post("/api/risk", files={"file": ("f.ped", fh)}, data={"variant": XLSA})
    assert fam.status_code == 200, fam.text
    assert fam.json()["model"]["penetrance"]["female"][1] == python_penetrance


def test_report_family_section_uses_the_variants_penetrance(python_penetrance: float) -> None:
    from hemesim.report.build import build_report

    report = build_report(XLSA, ISOLATED)
    assert report.family is not None
    assert report.family["penetrance_female"] == python_penetrance
    assert report.family["model"]["penetrance"]["female"][1] == python_penetrance


@pytest.mark.parametrize(("sex", "xi"), [("male", None), ("female", 0.9), ("female", 0.3)])
def test_disease_call_is_one_call(client, sex: str, xi: float | None) -> None:  # type: ignore[no-untyped-def]
    api = predict(XLSA, sex=sex, xi=xi, seed=0)
    args = ["variant", XLSA, "--sex", sex, "--json"] + ([] if xi is None else ["--xi", str(xi)])
    cli = _cli(args)
    params = {"hgvs": XLSA, "sex": sex} | ({} if xi is None else {"xi": xi})
    web = client.get("/api/phenotype", params=params)
    assert web.status_code == 200, web.text
    assert cli["disease"] == web.json()["disease"] == api.disease
    assert cli["disease_basis"]["criteria_met"] == api.disease_basis["criteria_met"]
