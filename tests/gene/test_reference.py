"""The packaged ALAS2 reference matches UniProt P22557 (shared/data/README.md checks)."""

import pytest

from hemesim.errors import GeneError
from hemesim.gene.genetic_code import translate
from hemesim.gene.reference import load_reference, read_fasta


def test_protein_is_p22557_length_and_landmarks() -> None:
    # UniProt P22557 sequence version 2: 587 aa; Lys391 PLP lysine (MOD_RES), Arg452, Arg411,
    # Thr388, Met567, Glu569, Gln548 as placed by the literature (shared/data/README.md).
    ref = load_reference()
    assert ref.protein_length == 587
    landmarks = {391: "K", 452: "R", 411: "R", 388: "T", 567: "M", 569: "E", 548: "Q", 1: "M"}
    assert {p: ref.residue(p) for p in landmarks} == landmarks
    assert ref.residue(588) == "*"
    assert ref.cds_length == 1764


def test_shipped_mrna_matches_its_header_and_p22557() -> None:
    # ALAS2_NM_000032_mRNA.fasta header: 2027 nt + poly(A), CDS 139..1902, 5'UTR 138 nt;
    # shared/data/README.md: the CDS translates to P22557 exactly, c.1231 = C, c.1354_1355 = CG,
    # c.1699_1700 = AT, c.1706_1709 = AGTG, IRE at mRNA 100-120 = c.-39 to c.-19
    ref = load_reference()
    assert ref.mrna is not None and len(ref.mrna) == 2027
    assert ref.cds is not None and translate(ref.cds) == ref.protein + "*"
    assert (len(ref.utr5 or ""), len(ref.utr3 or "")) == (138, 125)
    assert ref.cds[1230] == "C" and ref.cds[1353:1355] == "CG"
    assert ref.cds[1698:1700] == "AT" and ref.cds[1705:1709] == "AGTG"
    assert ref.ire_c == (-39, -19)
    assert "not proven" in ref.to_dict()["reference_note"]


def test_exon_table_tiles_the_mrna() -> None:
    # alas2_exons_grch38.tsv: 11 exons, lengths add up to 2027; exon 2 = c.-15..c.181
    ref = load_reference()
    assert ref.tx_map is not None and len(ref.tx_map.exons) == 11
    assert ref.exon_ends_c == (-16, 181, 304, 415, 638, 823, 1003, 1168, 1437, 1600)


def test_residue_out_of_range_raises() -> None:
    with pytest.raises(GeneError, match="outside ALAS2"):
        load_reference().residue(589)


def test_locus_contains_grch38_span() -> None:
    # the exon table spans GRCh38 chrX:55,009,055 (exon 11 end) - 55,031,064 (exon 1 start)
    locus = load_reference().locus
    assert locus is not None
    assert locus.contains("chrX", 55_009_055) and locus.contains("X", 55_031_064)
    assert not locus.contains("chrX", 55_031_065) and not locus.contains("chr3", 55_020_000)


def test_read_fasta_rejects_headerless_text() -> None:
    with pytest.raises(GeneError, match="header"):
        read_fasta("ACGT\n")
    assert read_fasta(">a\nac\ngt\n>b\nTT") == {"a": "ACGT", "b": "TT"}


def test_translate_uses_standard_code() -> None:
    assert translate("ATGTGGTAATAGTGA") == "MW***"


@pytest.mark.parametrize(
    ("fasta", "match"),
    [
        (">fake CDS 1..9 = 9 nt transcript\nATGAAATAA\n", "does not translate to P22557"),
        (">no coordinates\nATGAAATAA\n", "header must state"),
    ],
)
def test_shipped_mrna_must_encode_p22557(
    monkeypatch: pytest.MonkeyPatch, fasta: str, match: str
) -> None:
    # An mRNA file that does not encode P22557 is refused (the guard that protects the base-level
    # checks). The fake sequences here are deliberately wrong.
    from hemesim.gene import reference

    real = reference._data_text

    def fake(name: str) -> str | None:
        return fasta if name == reference.MRNA_FILE else real(name)

    monkeypatch.setattr(reference, "_data_text", fake)
    with pytest.raises(GeneError, match=match):
        reference.load_reference.__wrapped__()


def test_exons_that_do_not_tile_the_mrna_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from hemesim.gene import reference

    real = reference._data_text

    def fake(name: str) -> str | None:
        text = real(name)
        if name == reference.EXON_FILE and text is not None:
            return text.replace("55009055\t55009343\t289", "55009056\t55009343\t288")
        return text

    monkeypatch.setattr(reference, "_data_text", fake)
    with pytest.raises(GeneError, match="exon 11"):
        reference.load_reference.__wrapped__()
