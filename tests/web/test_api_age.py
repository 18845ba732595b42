"""GET /api/phenotype takes the person's age (vitamin B6 status on PLP), as ``hemesim variant
--age``; data: median plasma PLP of men >= 50 y vs < 50 y (Mei et al., Front Nutr 2026, Table 3)."""

from __future__ import annotations

import pytest


def test_phenotype_api_takes_the_age(client) -> None:
    params = {"hgvs": "p.Lys299Gln", "sex": "male", "age": 75}
    data = client.get("/api/phenotype", params=params).json()
    assert data["age_years"] == 75.0
    assert data["plp_age"]["factor"] == pytest.approx(31.68 / 38.44)
    young = client.get("/api/phenotype", params={**params, "age": 25}).json()
    assert young["plp_age"]["factor"] == 1.0
    assert data["phenotype"]["hb_g_dl"]["value"] < young["phenotype"]["hb_g_dl"]["value"]


@pytest.mark.parametrize("age", ["200", "-1", "old", "nan"])
def test_phenotype_api_refuses_a_bad_age(client, age: str) -> None:
    response = client.get("/api/phenotype", params={"hgvs": "p.Lys299Gln", "age": age})
    assert response.status_code == 422
