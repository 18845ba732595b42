"""c. <-> mRNA <-> GRCh38 map of the shipped exon table (data/alas2_exons_grch38.tsv).

Expected coordinates are worked out by hand from the exon table rows quoted in the comments
(minus strand: mRNA position m in an exon lies at exon.end - (m - exon.mrna_start)).
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.gene.coordinates import FLANK, CoordinateError, CPos
from hemesim.gene.reference import load_reference
from hemesim.variants.parse import parse

REF = load_reference()
TM = REF.tx_map
assert TM is not None and REF.mrna is not None
MRNA = REF.mrna


def test_every_mrna_position_round_trips() -> None:
    """c. -> g. -> c. (and mRNA) for all 2027 transcript positions, and through the c. parser."""
    seen_g = set()
    for m in range(1, TM.length + 1):
        c = TM.m_to_c(m)
        g = TM.c_to_g(c)
        assert (TM.c_to_m(c), TM.m_to_g(m), TM.g_to_c(g), TM.g_to_m(g)) == (m, g, c, m)
        alt = "A" if MRNA[m - 1] != "A" else "C"
        assert parse(f"c.{c}{MRNA[m - 1]}>{alt}").start == c
        seen_g.add(g)
    assert len(seen_g) == TM.length == 2027


def test_every_genomic_position_in_the_window_round_trips() -> None:
    """g. -> c. -> g. for every GRCh38 position of the gene and its 5-kb flanks (introns
    included), and the c. form is canonical (an offset past an intron's middle is never made)."""
    lo, hi = TM.g_window
    for g in range(lo, hi + 1):
        c = TM.g_to_c(g)
        assert TM.c_to_g(c) == g
        assert TM.canonical(c) == c
    assert hi - lo + 1 == (TM.g_first - TM.g_last + 1) + 2 * FLANK


def test_anchor_positions_from_the_exon_table() -> None:
    # exon 2: 55,025,820-55,026,015, mRNA 124-319; c.1 = mRNA 139 -> 55,026,015 - 15
    assert TM.c_to_g(CPos(1)) == 55_026_000
    # exon 1 starts the mRNA at 55,031,064 (c.-138); exon 11 ends it at 55,009,055 (c.*125)
    assert TM.c_to_g(CPos(-138)) == 55_031_064
    assert TM.c_to_g(CPos(125, utr3=True)) == 55_009_055
    # exon 9: 55,014,747-55,015,015, mRNA 1307-1575; c.1354 = mRNA 1492 -> 55,015,015 - 185
    assert TM.c_to_g(CPos(1354)) == 55_014_830
    # intron 2 lies between exon 2 (starts 55,025,820) and exon 3 (ends 55,024,840)
    assert TM.c_to_g(CPos(181, 1)) == 55_025_819
    assert TM.c_to_g(CPos(182, -1)) == 55_024_841
    # intron 1 is in the 5'UTR: exon 1 ends at c.-16
    assert TM.c_to_g(CPos(-16, 1)) == 55_030_941


def test_intron_middle_is_written_plus() -> None:
    # intron 2: 55,024,841-55,025,819 = 979 bp (odd): base 490 is the middle, written c.181+490
    n = 55_025_819 - 55_024_841 + 1
    assert n == 979
    assert TM.g_to_c(55_025_820 - 490) == CPos(181, 490)
    assert TM.g_to_c(55_025_820 - 491) == CPos(182, -489)
    assert TM.canonical(CPos(181, 491)) == CPos(182, -489)


@pytest.mark.parametrize(
    ("pos", "match"),
    [
        (CPos(100, 1), "c.100 is not the last base of an exon"),
        (CPos(183, -1), "c.183 is not the first base of an exon"),
        (CPos(-138, -1), "not the first base of an exon preceded by an intron"),
        (CPos(125, 1, utr3=True), "not the last base of an exon followed by an intron"),
        (CPos(181, 980), "longer than the 979-bp intron"),
        (CPos(-138 - FLANK - 1), "farther than the 5,000 bp"),
        (CPos(125 + FLANK + 1, utr3=True), "farther than the 5,000 bp"),
        (CPos(1765), "beyond the end of the CDS"),
    ],
)
def test_positions_that_do_not_exist(pos: CPos, match: str) -> None:
    with pytest.raises(CoordinateError, match=match):
        TM.c_to_g(pos)


def test_beyond_the_transcript_is_upstream_or_downstream() -> None:
    assert TM.locate(CPos(-139)).kind == "upstream"
    assert TM.locate(CPos(-138)).kind == "exon"
    assert TM.locate(CPos(126, utr3=True)).kind == "downstream"
    assert TM.locate(CPos(-138 - FLANK)).g == TM.g_first + FLANK
    with pytest.raises(CoordinateError, match="outside ALAS2"):
        TM.g_to_c(TM.g_first + FLANK + 1)


introns = st.integers(min_value=0, max_value=len(TM.exons) - 2)


@given(i=introns, frac=st.floats(min_value=0.0, max_value=1.0))
@settings(max_examples=300, deadline=None)
def test_intronic_offsets_round_trip_through_the_parser(i: int, frac: float) -> None:
    """Any intron base, written from either exon, maps to its GRCh38 position and back to the
    canonical form; the c. parser reads the canonical text back to the same position."""
    ex, nxt = TM.exons[i], TM.exons[i + 1]
    n = ex.start - nxt.end - 1
    j = 1 + round(frac * (n - 1))
    donor = TM.m_to_c(ex.mrna_end)
    acceptor = TM.m_to_c(nxt.mrna_start)
    plus = CPos(donor.base, j, donor.utr3)
    minus = CPos(acceptor.base, -(n - j + 1), acceptor.utr3)
    g = TM.c_to_g(plus)
    assert TM.c_to_g(minus) == g == ex.start - j
    canonical = TM.g_to_c(g)
    assert canonical == (plus if 2 * j <= n + 1 else minus)
    assert parse(f"c.{canonical}A>G").start == canonical
    assert TM.locate(canonical).kind == "intron" and TM.locate(canonical).number == ex.number
