"""Base-level path (used once the NM_000032.5 CDS is shipped), tested on a SYNTHETIC mini-gene.

The toy sequence below is invented for the test (it is not ALAS2): ATG AAA AAG CTG GCC GGT GAA
TGG TAA encodes MKKLAGEW*, and a short 3'UTR TTAGCC gives frameshifts a stop to read into.
Expected descriptions follow the HGVS rules (3' shifting, dup for copied bases, fsTer counted from
the first changed residue), worked out by hand in the comments.
"""

import pytest

from hemesim.errors import VariantError
from hemesim.gene.genetic_code import translate
from hemesim.gene.reference import Alas2Reference
from hemesim.variants.consequence import annotate_variant
from hemesim.variants.parse import parse

CDS = "ATGAAAAAGCTGGCCGGTGAATGGTAA"
TOY = Alas2Reference(protein="MKKLAGEW", cds=CDS, utr3="TTAGCC", transcript="NM_000032.5")


def ann(text: str):
    return annotate_variant(parse(text), TOY)


def test_toy_is_consistent() -> None:
    assert translate(CDS) == TOY.protein + "*"


def test_deletion_shifted_3prime() -> None:
    # AAA AAG: deleting c.4_6 (AAA) is the same as deleting c.6_8; one Lys lost, shifted to Lys3
    a = ann("c.4_6del")
    assert a.hgvs_c == "NM_000032.5:c.6_8del"
    assert (a.hgvs_p, a.consequence) == ("NP_000023.2:p.(Lys3del)", "inframe_deletion")
    assert a.reference_check == "passed"


def test_frameshift_new_stop() -> None:
    # c.5dup shifts to c.8dup (run of A at c.4-8); ATG AAA AAA GCT GGC CGG TGA: M K K A G R *
    # first changed residue Leu4 -> Ala; Ala=1 Gly=2 Arg=3 Ter=4
    a = ann("c.5dup")
    assert a.hgvs_c == "NM_000032.5:c.8dup"
    assert a.hgvs_p == "NP_000023.2:p.(Leu4AlafsTer4)"
    assert a.fs_ter == 4


def test_frameshift_deletion() -> None:
    # c.20del (A of GAA) shifts to c.21del; frame: ... G D G N * -> Glu7Asp, D=1 .. *=4
    a = ann("c.20del")
    assert (a.hgvs_c, a.hgvs_p) == ("NM_000032.5:c.21del", "NP_000023.2:p.(Glu7AspfsTer4)")


def test_insertion_copying_previous_bases_is_dup() -> None:
    a = ann("c.12_13insCTG")
    assert a.hgvs_c == "NM_000032.5:c.10_12dup"
    assert a.hgvs_p == "NP_000023.2:p.(Leu4dup)"


def test_inframe_insertion_as_delins() -> None:
    # ATG AAA AAG C|CTG|TG GCC -> ... CCT GTG GCC: Leu4 -> Pro Val
    assert ann("c.10_11insCTG").hgvs_p == "NP_000023.2:p.(Leu4delinsProVal)"


def test_exact_reference_base_check() -> None:
    assert ann("c.23G>A").hgvs_p == "NP_000023.2:p.(Trp8Ter)"
    with pytest.raises(VariantError, match="reference base at c.23 is G, not C"):
        ann("c.23C>A")


def test_stop_loss_reads_into_utr() -> None:
    # TAA -> CAA at c.25: Gln, then reading on: TTA GCC (no stop) -> extension of unknown length
    a = ann("c.25T>C")
    assert a.consequence == "stop_lost"
