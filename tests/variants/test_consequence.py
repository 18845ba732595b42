"""Reference checks and consequences (codon-level when no CDS is shipped)."""

import pytest

from hemesim.errors import VariantError
from hemesim.gene.reference import load_reference
from hemesim.variants.consequence import annotate_variant, shift_protein_3prime
from hemesim.variants.parse import parse

REF = load_reference()


def ann(text: str):
    return annotate_variant(parse(text), REF)


def test_nonsense_is_definite_at_codon_level() -> None:
    # Gln548 codons CAA/CAG: C>T at base 1 gives TAA/TAG, both stop (c.1642C>T, Balwani 2013)
    a = ann("c.1642C>T")
    assert (a.consequence, a.hgvs_p, a.protein_start) == (
        "stop_gained",
        "NP_000023.2:p.(Gln548Ter)",
        548,
    )


def test_start_codon_change_is_start_lost() -> None:
    assert ann("c.1A>G").consequence == "start_lost"
    assert ann("c.2T>C").hgvs_p == "NP_000023.2:p.(Met1?)"


def test_ambiguous_codon_lists_all_candidates() -> None:
    a = ann("c.1355G>A")  # Arg452: CGN -> CAN (His/Gln), AGR -> AAR (Lys)
    assert set(a.alt_residues) == {"H", "Q", "K"}
    assert a.consequence == "missense_variant"
    assert a.reference_check == "unavailable"


@pytest.mark.skipif(REF.has_cds, reason="codon-level check only without the CDS")
def test_incompatible_reference_base_quotes_both() -> None:
    # Arg452 codons CGN/AGA/AGG all have G at base 2 (c.1355): T is impossible
    with pytest.raises(VariantError, match=r"reference base T .* is G, not T"):
        ann("c.1355T>A")


def test_protein_mismatch_quotes_both_residues() -> None:
    with pytest.raises(VariantError, match=r"residue 452 of NP_000023.2 is Arg \(R\), not Lys"):
        ann("p.Lys452His")


@pytest.mark.parametrize("text", ["c.1765A>G", "c.2000del", "p.Arg600His", "p.Met0Val"])
def test_out_of_range(text: str) -> None:
    with pytest.raises(VariantError, match="beyond the end|outside|expected"):
        ann(text)


def test_frameshift_codon_and_inframe_deletion() -> None:
    assert ann("c.1706_1709del").consequence == "frameshift_variant"
    assert ann("c.1706_1709del").protein_start == 569
    a = ann("c.1699_1701del")  # codon 567 exactly
    assert (a.consequence, a.hgvs_p) == ("inframe_deletion", "NP_000023.2:p.(Met567del)")


def test_stated_deleted_sequence_length_checked() -> None:
    with pytest.raises(VariantError, match="has 3 nt but"):
        ann("c.1706_1709delAGT")


def test_splice_and_utr_regions() -> None:
    assert ann("c.100+1G>A").consequence == "splice_donor_variant"
    assert ann("c.101-2A>G").consequence == "splice_acceptor_variant"
    assert ann("c.100+5G>A").consequence == "splice_region_variant"
    assert ann("c.100+50G>A").consequence == "intron_variant"
    assert ann("c.-30C>T").consequence == "5_prime_UTR_variant"
    assert ann("c.*5A>G").consequence == "3_prime_UTR_variant"


def test_protein_three_prime_shift() -> None:
    # P22557 starts MVTAAMLLQ: Leu7-Leu8 is a repeat, so p.Leu7del is written p.Leu8del
    assert REF.protein[6:8] == "LL"
    assert shift_protein_3prime(REF.protein, 7, 7) == (8, 8)
    assert ann("p.Leu7del").hgvs_p == "NP_000023.2:p.Leu8del"
    assert ann("p.Ala4dup").hgvs_p == "NP_000023.2:p.Ala5dup"


def test_protein_consequences() -> None:
    assert ann("p.(Arg452=)").consequence == "synonymous_variant"
    assert ann("p.Met1?").consequence == "start_lost"
    assert ann("p.Ter588GlnextTer10").consequence == "stop_lost"
    assert ann("p.Glu569fs").consequence == "frameshift_variant"
    assert ann("R452H").reference_check == "passed"


@pytest.mark.parametrize(
    ("text", "consequence"),
    [
        ("c.-1_1insA", "5_prime_UTR_variant"),  # before the A of the ATG
        ("c.1764_*1insA", "3_prime_UTR_variant"),  # after the stop codon
        ("c.1764dup", "3_prime_UTR_variant"),  # copy lands after the intact stop
        ("c.1_3dup", "inframe_insertion"),  # ATGATG: the first ATG is intact
        ("c.2dup", "start_lost"),  # AT|T|G breaks the start codon
        ("c.1_3del", "start_lost"),
        ("c.1762_1764del", "stop_lost"),
        ("c.-2_3del", "start_lost"),
    ],
)
def test_indels_at_the_ends_of_the_cds(text: str, consequence: str) -> None:
    assert ann(text).consequence == consequence


def test_insertion_into_utr3_must_touch_the_cds_end() -> None:
    with pytest.raises(VariantError, match="not adjacent"):
        ann("c.1700_*1insA")


def test_one_nucleotide_delins_is_the_substitution() -> None:
    """HGVS writes a one-for-one replacement as a substitution: c.1355delinsA is c.1355G>A
    (G is the second base of every Arg452 codon), with its curated record and effect; it was
    left an in-frame change of uncertain effect, and a man carrying it was called healthy."""
    from hemesim.variants.interpret import interpret

    as_delins = interpret("c.1355delinsA")
    as_sub = interpret("c.1355G>A")
    assert as_delins.hgvs_c == as_sub.hgvs_c == "NM_000032.5:c.1355G>A"
    assert as_delins.effect == as_sub.effect
    assert as_delins.known is not None and as_delins.known == as_sub.known
    assert any("substitution" in n for n in as_delins.notes)
    # the first base of an Arg codon is A or C: not knowable, so the delins stays as written
    assert interpret("c.1354delinsT").hgvs_c == "NM_000032.5:c.1354delinsT"
    with pytest.raises(VariantError, match="reference base C is impossible"):
        interpret("c.1355delCinsA")


@pytest.mark.parametrize(
    "text",
    ["c.100+99999G>A", "c.1355-99999999999G>A", "c.-999999999A>G", "c.*99999999A>G"],
)
def test_positions_beyond_the_gene_are_refused(text: str) -> None:
    with pytest.raises(VariantError, match=r"farther than the whole ALAS2 gene spans \(21,923 nt"):
        ann(text)


def test_positions_within_the_gene_are_kept() -> None:
    assert ann("c.100+5G>A").consequence == "splice_region_variant"
    assert ann("c.*30G>A").consequence == "3_prime_UTR_variant"
