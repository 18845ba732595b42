"""The variant page's API accepts the GRCh38, VCF and ClinVar input forms and returns genome
coordinates (issue 15); the page has the block that shows them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "hgvs",
    [
        "NC_000023.11:g.55014830G>A",
        "X-55014830-G-A",
        "chrX:55014830:G:A",
        "NM_000032.5(ALAS2):c.1354C>T (p.Arg452Cys)",
        "NM_000032.4:c.1354C>T",
    ],
)
def test_every_input_form_is_c1354(client, hgvs: str) -> None:
    # c.1354 lies at GRCh38 chrX:55,014,830 (exon 9, minus strand; tests/gene/test_coordinates.py)
    r = client.get("/api/variant", params={"hgvs": hgvs})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["hgvs_c"] == "NM_000032.5:c.1354C>T"
    assert body["grch38"]["vcf"] == {"chrom": "X", "pos": 55014830, "ref": "G", "alt": "A"}
    assert body["grch38"]["hgvs_g"] == "NC_000023.11:g.55014830G>A"
    assert body["location"]["label"] == "exon 9 (CDS)"
    assert "not proven" in body["reference_note"]


@pytest.mark.parametrize(
    "hgvs", ["X-1-A-G", "NC_000023.10:g.55014830G>A", "X-55014830-C-A", "c.100+1G>A"]
)
def test_bad_genomic_input_is_422_with_one_line(client, hgvs: str) -> None:
    r = client.get("/api/variant", params={"hgvs": hgvs})
    assert r.status_code == 422
    assert "\n" not in r.json()["detail"]


def test_page_has_the_genome_block(client) -> None:
    page = client.get("/variant").text
    assert 'id="variant-genome"' in page and "GRCh38" in page
    js = client.get("/static/variant.js").text
    assert "function showGenome" in js and "grch38" in js
