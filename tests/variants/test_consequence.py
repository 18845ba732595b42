"""Reference checks and consequences: base level on the shipped mRNA, and the codon-level
fallback of a reference without the nucleotide sequence (CODON_REF)."""

import pytest

from hemesim.errors import VariantError
from hemesim.gene.reference import Alas2Reference, load_reference
from hemesim.variants.consequence import annotate_variant, shift_protein_3prime
from hemesim.variants.parse import parse

REF = load_reference()
CODON_REF = Alas2Reference(protein=REF.protein, locus=REF.locus)


def ann(text: str):
    return annotate_variant(parse(text), REF)


def codon_ann(text: str):
    return annotate_variant(parse(text), CODON_REF)


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


def test_ambiguous_codon_lists_all_candidates_without_the_mrna() -> None:
    a = codon_ann("c.1355G>A")  # Arg452: CGN -> CAN (His/Gln), AGR -> AAR (Lys)
    assert set(a.alt_residues) == {"H", "Q", "K"}
    assert a.consequence == "missense_variant"
    assert a.reference_check == "unavailable"


def test_on_the_mrna_the_codon_is_known() -> None:
    # shared/data/README.md: c.1354_1355 = CG on the shipped record (Arg452 = CGC/CGT...)
    a = ann("c.1355G>A")
    assert (a.alt_residues, a.hgvs_p, a.reference_check) == (
        ("H",),
        "NP_000023.2:p.(Arg452His)",
        "base",
    )
    assert a.reference_note and "not proven" in a.reference_note


def test_incompatible_reference_base_quotes_both_without_the_mrna() -> None:
    # Arg452 codons CGN/AGA/AGG all have G at base 2 (c.1355): T is impossible
    with pytest.raises(VariantError, match=r"reference base T .* is G, not T"):
        codon_ann("c.1355T>A")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # c.1354 = C, c.1355 = G on the shipped record (shared/data/README.md)
        ("c.1354G>T", "the reference base at c.1354 is C, not G"),
        ("c.1354_1355delCA", "the reference sequence at c.1354_1355 is CG, not CA"),
        ("c.-60A>G", "the reference base at c.-60 is C, not A"),
        ("NM_000032.5:c.*5A>G", "the reference base at c.*5 is C, not A"),
    ],
)
def test_a_stated_base_that_differs_is_refused_quoting_both(text: str, message: str) -> None:
    with pytest.raises(VariantError, match=message) as info:
        ann(text)
    assert "\n" not in str(info.value)


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
    # exon 2 ends at c.181, exon 3 starts at c.182 (data/alas2_exons_grch38.tsv)
    assert ann("c.181+1G>A").consequence == "splice_donor_variant"
    assert ann("c.182-2A>G").consequence == "splice_acceptor_variant"
    assert ann("c.181+5G>A").consequence == "splice_region_variant"
    assert ann("c.182-8A>G").consequence == "splice_region_variant"
    assert ann("c.182-9A>G").consequence == "intron_variant"
    assert ann("c.181+50G>A").consequence == "intron_variant"
    assert ann("c.-60C>T").consequence == "5_prime_UTR_variant"
    assert ann("c.*5C>T").consequence == "3_prime_UTR_variant"


def test_intronic_bases_are_not_checked_and_say_so() -> None:
    a = ann("c.181+1G>A")
    assert a.reference_check == "unavailable"
    assert any("not checked" in n for n in a.notes)
    assert a.grch38 is not None and a.grch38["vcf"]["pos"] == 55_025_819  # exon 2 start - 1


def test_splice_offsets_need_real_exon_ends() -> None:
    with pytest.raises(VariantError, match=r"c.100 is not the last base of an exon"):
        ann("c.100+1G>A")
    with pytest.raises(VariantError, match=r"not the first base of an exon"):
        ann("c.101-2A>G")


def test_exonic_splice_region_is_flagged() -> None:
    # c.181 is the last base of exon 2: within 1-3 exonic bases of the junction (SO:0001630)
    base = REF.cds[180]
    alt = "A" if base != "A" else "C"
    a = ann(f"c.181{base}>{alt}")
    assert a.splice_region and any("splice_region_variant" in n for n in a.notes)
    assert not ann(f"c.100{REF.cds[99]}>{'A' if REF.cds[99] != 'A' else 'C'}").splice_region


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
        ("c.-1_1insT", "5_prime_UTR_variant"),  # before the A of the ATG (c.-1 is A)
        ("c.1764_*1insA", "3_prime_UTR_variant"),  # after the stop codon
        ("c.1764dup", "3_prime_UTR_variant"),  # copy lands after the intact stop
        # c.-1_1 = GA (shipped mRNA): c.1dup gives GAATG, whose ATG is intact one base later,
        # the same sequence as an A inserted before c.1
        ("c.1dup", "5_prime_UTR_variant"),
        ("c.1del", "start_lost"),  # GA|TG: no ATG left at either place
        ("c.1_3dup", "inframe_insertion"),  # ATGATG: the first ATG is intact
        ("c.2dup", "start_lost"),  # AT|T|G breaks the start codon
        ("c.1_3del", "start_lost"),
        ("c.1762_1764del", "stop_lost"),
        ("c.-2_3del", "start_lost"),
    ],
)
def test_indels_at_the_ends_of_the_cds(text: str, consequence: str) -> None:
    assert ann(text).consequence == consequence


def test_insertion_must_lie_between_adjacent_bases() -> None:
    with pytest.raises(VariantError, match="adjacent"):
        ann("c.1700_*1insA")
    with pytest.raises(VariantError, match="bp apart on GRCh38"):
        ann("c.181_182insA")  # adjacent on the mRNA, but intron 2 lies between


def test_one_nucleotide_delins_is_the_substitution() -> None:
    """HGVS writes a one-for-one replacement as a substitution: c.1355delinsA is c.1355G>A, with
    its curated record and effect; on the mRNA every position's base is known, so c.1354delinsT
    is c.1354C>T too (it stayed a delins at codon level)."""
    from hemesim.variants.interpret import interpret

    as_delins = interpret("c.1355delinsA")
    as_sub = interpret("c.1355G>A")
    assert as_delins.hgvs_c == as_sub.hgvs_c == "NM_000032.5:c.1355G>A"
    assert as_delins.effect == as_sub.effect
    assert as_delins.known is not None and as_delins.known == as_sub.known
    assert any("substitution" in n for n in as_delins.notes)
    assert interpret("c.1354delinsT").hgvs_c == "NM_000032.5:c.1354C>T"
    with pytest.raises(VariantError, match="reference base at c.1355 is G, not C"):
        interpret("c.1355delCinsA")


def test_identity_and_delins_normalisation() -> None:
    # last session's notes: c.1355delinsG (no change) was "protein altering"
    a = ann("c.1355delinsG")
    assert (a.hgvs_c, a.consequence) == ("NM_000032.5:c.1355=", "no_sequence_alteration")
    # c.1700_1764delinsTAA keeps c.1700 T and the final A: c.1701_1763delinsA. On the sequence
    # it turns Met567 into Ile and reads on into the 3'UTR: a frameshift at codon 567, inside
    # the C-terminal window of the gain-of-function rule (it was called a stop loss)
    b = ann("c.1700_1764delinsTAA")
    assert b.hgvs_c == "NM_000032.5:c.1701_1763delinsA"
    assert (b.consequence, b.protein_start) == ("frameshift_variant", 567)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("c.181+99999G>A", "longer than the"),
        ("c.1355-99999999999G>A", "not the first base of an exon"),
        ("c.-999999999A>G", "farther than the 5,000 bp"),
        ("c.*99999999A>G", "farther than the 5,000 bp"),
        ("c.1765A>G", "beyond the end of the CDS"),
    ],
)
def test_positions_that_do_not_exist_are_refused(text: str, match: str) -> None:
    with pytest.raises(VariantError, match=match):
        ann(text)


def test_positions_beyond_the_transcript_are_recognised() -> None:
    # the mRNA has a 138-nt 5'UTR and a 125-nt 3'UTR (ALAS2_NM_000032_mRNA.fasta header)
    assert ann("c.-139C>T").consequence == "upstream_gene_variant"
    assert ann("c.*126A>G").consequence == "downstream_gene_variant"
    assert ann(f"c.*125{REF.utr3[-1]}>T").consequence == "3_prime_UTR_variant"
    assert ann(f"c.-138{REF.utr5[0]}>T").consequence == "5_prime_UTR_variant"
