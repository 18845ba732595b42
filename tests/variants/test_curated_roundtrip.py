"""Every curated variant round-trips: parse, reference check, recorded consequence and effect."""

import pytest

from hemesim.gene.curated import curated_variants
from hemesim.variants.interpret import interpret
from hemesim.variants.parse import parse

_EXPECTED = {"sub": "missense_variant", "nonsense": "stop_gained", "fs": "frameshift_variant"}
RECORDS = curated_variants()


def _ids(r) -> str:  # noqa: ANN001
    return r.hgvs_c or r.hgvs_p


@pytest.mark.parametrize("rec", RECORDS, ids=[_ids(r) for r in RECORDS])
def test_curated_round_trip(rec) -> None:  # noqa: ANN001
    inputs = [x for x in (rec.hgvs_c, rec.hgvs_p) if x]
    for text in inputs:
        report = interpret(text)
        assert report.known is rec, text
        if rec.hgvs_p:
            expected = _EXPECTED[parse(rec.hgvs_p).edit]
            assert report.consequence == expected, text
            assert report.hgvs_p is not None and report.hgvs_p.endswith(rec.hgvs_p), text
        if not rec.provisional:
            effect = report.effect
            assert effect.effect_class == rec.effect_class, text
            for name, value in rec.factors:
                if effect.basis_of(name) == "measured":
                    # a curated measurement of this variant (alas2_mechanisms.csv) wins
                    continue
                if name == "stability_factor" and "thermolabile" in rec.mechanism:
                    # thermolabile and PLP-stabilised: the apoenzyme carries the instability
                    assert effect.apo_stability_factor == value, text
                    assert effect.stability_factor == 1.0, text
                    continue
                assert effect.factors()[name] == value, text
        assert report.reference_check == (
            "passed" if text.startswith("p.") else report.reference_check
        )


def test_issue_examples() -> None:
    # issue 3 examples: NM_000032.5:c.1355G>A, p.Arg452His and c.1706_1709del
    assert interpret("NM_000032.5:c.1355G>A").hgvs_p == "NP_000023.2:p.(Arg452His)"
    assert interpret("p.Arg452His").effect.effect_class == "loss_of_function"
    xlp = interpret("c.1706_1709del")
    assert xlp.hgvs_p == "NP_000023.2:p.(Glu569GlyfsTer24)"
    assert xlp.effect.effect_class == "gain_of_function"


def test_pyridoxine_responsive_records_get_plp_factor() -> None:
    # Cox 1994 NEJM: T388S is pyridoxine-responsive; the model needs kd_plp_factor > 1 for rescue
    eff = interpret("p.Thr388Ser").effect
    assert eff.effect_class == "loss_of_function" and eff.kd_plp_factor > 1


@pytest.mark.parametrize(
    "rec", [r for r in RECORDS if r.hgvs_c and r.hgvs_p], ids=lambda r: r.hgvs_c
)
def test_curated_c_and_p_agree_with_the_genetic_code(rec) -> None:  # noqa: ANN001
    # the curated protein change must be one of those the c. change can produce on P22557
    from hemesim.gene.reference import load_reference
    from hemesim.variants.consequence import annotate_variant

    ann = annotate_variant(parse(rec.hgvs_c), load_reference())
    prot = parse(rec.hgvs_p)
    assert ann.protein_start == prot.p_start
    if prot.edit in ("sub", "nonsense"):
        assert prot.alt in ann.alt_residues
    else:
        assert ann.consequence == "frameshift_variant"
