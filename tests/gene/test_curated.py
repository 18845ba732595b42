"""Curated variants: valid fields, and every protein position matches P22557."""

import re

from hemesim.gene.curated import CERTAINTY_LEVELS, curated_variants
from hemesim.gene.genetic_code import aa1
from hemesim.gene.reference import load_reference


def test_fields_are_valid() -> None:
    recs = curated_variants()
    assert recs
    for r in recs:
        assert r.certainty in CERTAINTY_LEVELS
        assert r.hgvs_c or r.hgvs_p
        assert r.source
        for _, value in r.factors:
            assert value >= 0


def test_protein_positions_match_fasta() -> None:
    ref = load_reference()
    for r in curated_variants():
        m = re.match(r"p\.\(([A-Z][a-z]{2})(\d+)", r.hgvs_p)
        if m:
            assert ref.residue(int(m.group(2))) == aa1(m.group(1)), r.hgvs_p


def test_required_xlp_variants_present() -> None:
    # issue 3: c.1706_1709del, c.1699_1700del, c.1734del, c.1642C>T must be curated (XLP)
    by_c = {r.hgvs_c: r for r in curated_variants()}
    for c in ("c.1706_1709del", "c.1699_1700del", "c.1734del", "c.1642C>T"):
        assert by_c[c].phenotype == "XLP"
        assert by_c[c].effect_class == "gain_of_function"


def test_xlp_gain_is_purified_enzyme_scale_not_lysate_scale() -> None:
    # science.md: 20-40x is the crude-lysate figure; purified enzyme gains are 1.3-5x (Bailey 2020,
    # Ducamp 2013). No curated kcat factor may reach the lysate range.
    for r in curated_variants():
        assert r.factor_dict().get("kcat_factor", 1.0) < 10


def test_unsure_records_are_provisional() -> None:
    for r in curated_variants():
        assert r.provisional == (r.certainty == "unsure")
