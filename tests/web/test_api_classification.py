"""GET /api/classification and POST /api/segregation (shapes of the CLI's JSON), and the panels
on the variant and family pages."""

from __future__ import annotations

import pytest

FAMILY = b"""#fid iid pid mid sex phen genotype proband
f gf 0 0 1 0 . 0
f gm 0 0 2 0 . 0
f uncle gf gm 1 2 A 0
f brother gf gm 1 1 N 0
f mother gf gm 2 1 . 0
f dad 0 0 1 1 . 0
f son dad mother 1 2 A 1
"""


def test_classification_matches_the_library(client) -> None:
    from hemesim.variants.acmg import classify
    from hemesim.variants.interpret import interpret

    r = client.get("/api/classification", params={"hgvs": "p.Lys100*", "allele_frequency": 0})
    assert r.status_code == 200
    body = r.json()
    ref = classify(interpret("p.Lys100*"), allele_frequency=0.0).to_dict()
    assert body["class"] == ref["class"] == "Likely pathogenic"  # PVS1 8 + PM2_Supporting 1
    assert body["points"] == 9
    assert [c["code"] for c in body["criteria"]] == [c["code"] for c in ref["criteria"]]


def test_classification_bad_input_is_422(client) -> None:
    assert client.get("/api/classification", params={"hgvs": "c.9999C>T"}).status_code == 422
    r = client.get("/api/classification", params={"hgvs": "p.Lys100*", "de_novo": "maybe"})
    assert r.status_code == 422


def _post(client, ped: bytes, **form: str):
    return client.post(
        "/api/segregation", files={"file": ("family.ped", ped, "text/plain")}, data=form
    )


def test_segregation_matches_the_library(client) -> None:
    from hemesim.genetics.ped import parse_ped
    from hemesim.genetics.segregation import segregation

    r = _post(client, FAMILY, penetrance_female_het="0", allele_frequency="0.001")
    assert r.status_code == 200, r.text
    body = r.json()
    ref = segregation(parse_ped(FAMILY.decode()), penetrance_female_het=0.0, allele_frequency=1e-3)
    assert body["bayes_factor"] == pytest.approx(ref.bayes_factor, rel=1e-12)
    assert body["acmg"]["criterion"] == "PP1_Moderate"  # about 8 (hand-derived limit)


def test_segregation_needs_genotypes(client) -> None:
    ped = b"#fid iid pid mid sex phen\nf dad 0 0 1 1\nf mum 0 0 2 0\nf son dad mum 1 2\n"
    r = _post(client, ped)
    assert r.status_code == 422
    assert "genotype" in r.json()["detail"]


def test_pages_carry_the_panels(client) -> None:
    variant = client.get("/variant").text
    assert 'id="acmg-panel"' in variant and "/static/acmg.js" in variant
    family = client.get("/family").text
    assert 'id="segregation-result"' in family and "/static/segregation.js" in family
    assert client.get("/static/acmg.js").status_code == 200
    assert client.get("/static/segregation.js").status_code == 200
