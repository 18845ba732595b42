"""GRCh38 input and output: g. HGVS, VCF alleles, ClinVar titles, NM_000032.4, normalisation.

The property tests check the normaliser against a brute-force enumeration written here: every
placement of a deletion/duplication/insertion inside one exon that gives the same mutated
sequence is listed, the HGVS choice is the 3'-most (a duplication when the new bases copy the
preceding ones), and the VCF choice is the leftmost on the plus strand (bcftools-style left
alignment, Tan et al. Bioinformatics 2015;31:2202), which on this minus-strand gene is the same
placement. Shifts stop at the exon ends because intron bases are not shipped (on both sides).
"""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemesim.errors import VariantError
from hemesim.gene.reference import load_reference
from hemesim.variants.genome import revcomp
from hemesim.variants.interpret import interpret
from hemesim.variants.parse import parse

REF = load_reference()
TM = REF.tx_map
assert TM is not None and REF.mrna is not None
MRNA = REF.mrna


# ----------------------------------------------------------------------------- unit tests


@pytest.mark.parametrize(
    "text",
    [
        "c.1354C>T",
        "NM_000032.5:c.1354C>T",
        "NM_000032.5(ALAS2):c.1354C>T (p.Arg452Cys)",  # a ClinVar title
        "NM_000032.4:c.1354C>T",
        "NC_000023.11:g.55014830G>A",
        "X-55014830-G-A",
        "chrX-55014830-G-A",
        "chrX:55014830:G:A",
        "23-55014830-G-A",
        "X\t55014830\t.\tG\tA",
        "X 55014830 G A",
    ],
)
def test_every_input_form_gives_the_same_variant(text: str) -> None:
    # c.1354 = mRNA 1492 in exon 9 (55,014,747-55,015,015): 55,015,015 - 185 = 55,014,830;
    # C on the minus-strand mRNA (shared/data/README.md: c.1354_1355 = CG) is G on the plus strand
    r = interpret(text)
    assert (r.hgvs_c, r.hgvs_p) == ("NM_000032.5:c.1354C>T", "NP_000023.2:p.(Arg452Cys)")
    assert r.known is not None and r.known.hgvs_c == "c.1354C>T"
    assert r.grch38 is not None
    assert r.grch38["vcf"] == {"chrom": "X", "pos": 55_014_830, "ref": "G", "alt": "A"}
    assert r.grch38["hgvs_g"] == "NC_000023.11:g.55014830G>A"
    assert r.reference_check == "base" and "not proven" in (r.reference_note or "")


def test_clinvar_title_p_must_match() -> None:
    match = r"p.Arg452His does not match NP_000023.2:p.\(Arg452Cys\)"
    with pytest.raises(VariantError, match=match):
        interpret("NM_000032.5(ALAS2):c.1354C>T (p.Arg452His)")
    r = interpret("NM_000032.5(ALAS2):c.1706_1709del (p.Glu569fs)")
    assert r.hgvs_p == "NP_000023.2:p.(Glu569GlyfsTer24)"
    assert any("matches" in n for n in r.notes)


def test_old_version_says_same_protein() -> None:
    r = interpret("NM_000032.4:c.1355G>A")
    assert any("same protein" in n and "NP_000023.2" in n for n in r.notes)
    with pytest.raises(VariantError, match="UTR numbering may differ"):
        interpret("NM_000032.4:c.*5C>T")


def test_deletion_vcf_carries_the_padding_base() -> None:
    """c.1706_1709del (AGTG): the VCF record starts at the plus-strand base before the deleted
    ones, i.e. the mRNA base after c.1709 complemented; reading it back gives the same c."""
    r = interpret("c.1706_1709del")
    vcf = r.grch38["vcf"]
    g_1709 = TM.c_to_g(parse("c.1709A>G").start)
    assert vcf["pos"] == g_1709 - 1
    assert vcf["ref"] == revcomp(REF.cds[1705:1710]) and vcf["alt"] == vcf["ref"][0]
    back = interpret(f"X-{vcf['pos']}-{vcf['ref']}-{vcf['alt']}")
    assert back.hgvs_c == r.hgvs_c == "NM_000032.5:c.1706_1709del"


def test_intronic_indel_has_no_vcf_and_says_why() -> None:
    r = interpret("c.181+3_181+4del")
    assert r.grch38["vcf"] is None
    assert any("intronic" in n for n in r.grch38["notes"])
    assert r.grch38["hgvs_g"] == "NC_000023.11:g.55025816_55025817del"
    assert r.consequence == "splice_region_variant" and r.reference_check == "unavailable"


def test_intronic_substitution_from_vcf_is_placed_not_checked() -> None:
    r = interpret("X-55025818-C-T")  # c.181+2 (55,025,820 - 2)
    assert r.hgvs_c == "NM_000032.5:c.181+2G>A"
    assert r.consequence == "splice_donor_variant"
    assert any("not checked" in n for n in r.notes)


# ----------------------------------------------------------------------------- brute force


def _exon_seq(ex) -> str:  # noqa: ANN001
    return MRNA[ex.mrna_start - 1 : ex.mrna_end]


def _expected(ex, mutated: str):  # noqa: ANN001, ANN202
    """HGVS 3'-most placement on the exon that yields ``mutated``: (kind, i, j, inserted)."""
    e = _exon_seq(ex)
    n, d = len(e), len(mutated) - len(e)
    if d < 0:
        k = -d
        starts = [s for s in range(1, n - k + 2) if e[: s - 1] + e[s - 1 + k :] == mutated]
        s = max(starts)
        return "del", s, s + k - 1, ""
    valid = [a for a in range(0, n + 1) if e[:a] + mutated[a : a + d] + e[a:] == mutated]
    dups = [a for a in valid if a >= d and e[a - d : a] == mutated[a : a + d]]
    if dups:
        a = max(dups)
        return "dup", a - d + 1, a, ""
    a = max(x for x in valid if 1 <= x <= n - 1)
    return "ins", a, a + 1, mutated[a : a + d]


def _c_text(ex, kind: str, i: int, j: int, ins: str) -> str:  # noqa: ANN001
    a, b = TM.m_to_c(ex.mrna_start + i - 1), TM.m_to_c(ex.mrna_start + j - 1)
    span = str(a) if a == b and kind != "ins" else f"{a}_{b}"
    return f"NM_000032.5:c.{span}{kind}{ins}"


def _vcf(ex, kind: str, i: int, j: int, ins: str):  # noqa: ANN001, ANN202
    """Left-aligned plus-strand VCF of the exon-relative placement, or None if the padding base
    is intronic. Plus strand: exon-relative transcript index t lies at ex.end - (t - 1)."""
    plus = revcomp(_exon_seq(ex))  # plus[x] is at GRCh38 ex.start + x

    def base(g: int) -> str | None:
        return plus[g - ex.start] if ex.start <= g <= ex.end else None

    if kind == "ins":
        g_lo = ex.end - i  # the 3' flank (transcript index i + 1)
        pad = base(g_lo)
        return None if pad is None else (g_lo, pad, pad + revcomp(ins))
    g_lo, g_hi = ex.end - (j - 1), ex.end - (i - 1)
    pad = base(g_lo - 1)
    if pad is None:
        return None
    seq = plus[g_lo - ex.start : g_hi - ex.start + 1]
    if kind == "del":
        return g_lo - 1, pad + seq, pad
    return g_lo - 1, pad, pad + seq


@st.composite
def exon_indels(draw):  # noqa: ANN001, ANN201
    ex = draw(st.sampled_from(TM.exons))
    e = _exon_seq(ex)
    kind = draw(st.sampled_from(["del", "dup", "ins"]))
    if kind == "ins":
        ins = draw(st.text(alphabet="ACGT", min_size=1, max_size=4))
        a = draw(st.integers(min_value=1, max_value=len(e) - 1))
        return ex, kind, a, a + 1, ins, e[:a] + ins + e[a:]
    k = draw(st.integers(min_value=1, max_value=6))
    s = draw(st.integers(min_value=1, max_value=len(e) - k + 1))
    if kind == "del":
        mutated = e[: s - 1] + e[s - 1 + k :]
    else:
        mutated = e[: s - 1 + k] + e[s - 1 : s - 1 + k] + e[s - 1 + k :]
    return ex, kind, s, s + k - 1, "", mutated


@given(exon_indels())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_normalisation_agrees_with_brute_force_and_with_vcf(case) -> None:  # noqa: ANN001
    """c. as written -> 3'-most c. (brute force) and its left-aligned VCF; the VCF read back
    (and the VCF of the placement as written, when its padding base is exonic) gives that c."""
    ex, kind, i, j, ins, mutated = case
    written = _c_text(ex, kind, i, j, ins)
    want_kind, wi, wj, wins = _expected(ex, mutated)
    want_c = _c_text(ex, want_kind, wi, wj, wins)
    report = interpret(written)
    assert report.hgvs_c == want_c, written
    want_vcf = _vcf(ex, want_kind, wi, wj, wins)
    got = report.grch38["vcf"]
    if want_vcf is None:
        assert got is None
    else:
        assert (got["pos"], got["ref"], got["alt"]) == want_vcf
        assert interpret(f"X-{want_vcf[0]}-{want_vcf[1]}-{want_vcf[2]}").hgvs_c == want_c
    as_written = _vcf(ex, kind, i, j, ins)
    if as_written is not None:
        assert interpret(f"chrX:{as_written[0]}:{as_written[1]}:{as_written[2]}").hgvs_c == want_c


@given(m=st.integers(min_value=1, max_value=len(MRNA)), alt=st.sampled_from("ACGT"))
@settings(max_examples=200, deadline=None)
def test_c_to_g_to_c_through_the_descriptions(m: int, alt: str) -> None:
    """Any mRNA substitution: its g. HGVS and its VCF read back to the same c. (the exhaustive
    position-level round trip is in tests/gene/test_coordinates.py)."""
    b = MRNA[m - 1]
    if alt == b:
        return
    c = TM.m_to_c(m)
    r = interpret(f"c.{c}{b}>{alt}")
    vcf = r.grch38["vcf"]
    assert interpret(r.grch38["hgvs_g"]).hgvs_c == r.hgvs_c == f"NM_000032.5:c.{c}{b}>{alt}"
    assert interpret(f"X-{vcf['pos']}-{vcf['ref']}-{vcf['alt']}").hgvs_c == r.hgvs_c


GENOMIC_ALPHABET = "NC_000023.11:g.X-chrX:0123456789_>ACGTNdelinsdup=(), \t"


@given(
    st.one_of(
        st.text(alphabet=GENOMIC_ALPHABET, max_size=40),
        st.builds(
            lambda p, r, a: f"X-{p}-{r}-{a}",
            st.integers(min_value=-10, max_value=60_000_000),
            st.text(alphabet="ACGTN.*<>", max_size=5),
            st.text(alphabet="ACGTN.*<>,", max_size=5),
        ),
        st.builds(
            lambda p, q, e: f"NC_000023.11:g.{p}_{q}{e}",
            st.integers(min_value=55_000_000, max_value=55_040_000),
            st.integers(min_value=55_000_000, max_value=55_040_000),
            st.sampled_from(["del", "dup", "insA", "delinsTT", "=", "A>G"]),
        ),
        st.builds(
            lambda c, p: f"NM_000032.5(ALAS2):c.{c} ({p})",
            st.sampled_from(["1354C>T", "1355G>A", "181+1G>A", "1706_1709del", "-60C>T"]),
            st.sampled_from(["p.Arg452Cys", "p.Arg452His", "p.Glu569fs", "p.?", "x"]),
        ),
    )
)
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz_new_input_forms_only_variant_errors(text: str) -> None:
    with contextlib.suppress(VariantError):
        interpret(text)


def test_r452h_lies_in_exon_9_and_removes_an_hhai_site() -> None:
    """Edgar AJ et al. Eur J Haematol 1997;58:1-4: the Arg452His change (G>A at cDNA 1407 of
    their numbering = c.1355) lies in exon 9 and destroys an HhaI site (GCGC)."""
    r = interpret("c.1355G>A")
    assert r.location is not None and r.location["label"] == "exon 9 (CDS)"
    window = REF.cds[1349:1360]  # c.1350..c.1360
    assert "GCGC" in window
    mutated = window[:5] + "A" + window[6:]  # c.1355 is window[5]
    assert window[5] == "G" and "GCGC" not in mutated


def test_ire_is_found_on_the_sequence_and_triggers_its_rule() -> None:
    # the IRE motif TTCGTCCTCAGTGCAGGGCAA lies at c.-39..c.-19 (shared/data/README.md); c.-30 is A
    assert REF.utr5 is not None and REF.utr5[138 - 39 : 138 - 18] == "TTCGTCCTCAGTGCAGGGCAA"
    inside = interpret("c.-30A>G")
    assert inside.domain["regions"] == ["5'UTR (IRE)"]
    assert inside.effect.source.startswith("rule: ire")
    outside = interpret("c.-60C>G")
    assert outside.domain["regions"] == ["5'UTR"] and outside.effect.ire_factor == 1.0


def test_delins_that_creates_a_stop_is_a_truncation() -> None:
    # CAA/CAG of Gln548 replaced by TAA: the stop of p.Gln548* (Balwani 2013, c.1642C>T), in
    # the C-terminal gain-of-function window
    r = interpret("c.1642_1644delinsTAA")
    assert (r.consequence, r.hgvs_p) == ("stop_gained", "NP_000023.2:p.(Gln548Ter)")
    assert r.effect.effect_class == "gain_of_function"


@pytest.mark.slow
def test_every_mrna_substitution_round_trips_through_g_and_vcf() -> None:
    """All 2027 x 3 substitutions of the mRNA: c. -> g. HGVS -> c. and c. -> VCF -> c."""
    for m in range(1, len(MRNA) + 1):
        b = MRNA[m - 1]
        c = TM.m_to_c(m)
        for alt in "ACGT".replace(b, ""):
            r = interpret(f"c.{c}{b}>{alt}")
            vcf = r.grch38["vcf"]
            assert interpret(r.grch38["hgvs_g"]).hgvs_c == r.hgvs_c
            assert interpret(f"X-{vcf['pos']}-{vcf['ref']}-{vcf['alt']}").hgvs_c == r.hgvs_c
