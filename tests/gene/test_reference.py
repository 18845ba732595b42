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


def test_missing_cds_is_reported_not_invented() -> None:
    ref = load_reference()
    if ref.cds is None:
        assert "unavailable" in ref.provenance["cds"]
        assert ref.to_dict()["cds_available"] is False
    else:  # pragma: no cover - only once the verbatim transcript is shipped
        assert translate(ref.cds) == ref.protein + "*"


def test_residue_out_of_range_raises() -> None:
    with pytest.raises(GeneError, match="outside ALAS2"):
        load_reference().residue(589)


def test_locus_contains_grch38_span() -> None:
    # GRCh38 chrX:55,009,055-55,030,977 (science.md, Ensembl 89 via Wikipedia)
    locus = load_reference().locus
    assert locus is not None
    assert locus.contains("chrX", 55_009_055) and locus.contains("X", 55_030_977)
    assert not locus.contains("chrX", 55_030_978) and not locus.contains("chr3", 55_020_000)


def test_read_fasta_rejects_headerless_text() -> None:
    with pytest.raises(GeneError, match="header"):
        read_fasta("ACGT\n")
    assert read_fasta(">a\nac\ngt\n>b\nTT") == {"a": "ACGT", "b": "TT"}


def test_translate_uses_standard_code() -> None:
    assert translate("ATGTGGTAATAGTGA") == "MW***"


def test_shipped_cds_must_translate_to_p22557(monkeypatch: pytest.MonkeyPatch) -> None:
    # A transcript file that does not encode P22557 is refused (the guard that protects the
    # base-level checks once NM_000032.5 is shipped). The fake CDS here is deliberately wrong.
    from hemesim.gene import reference

    real = reference._data_text

    def fake(name: str) -> str | None:
        if name == "NM_000032.5.fasta":
            return ">fake\nATGAAATAA\n"
        return real(name)

    monkeypatch.setattr(reference, "_data_text", fake)
    with pytest.raises(GeneError, match="does not translate to P22557"):
        reference.load_reference.__wrapped__()
