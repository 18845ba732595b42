"""Property tests (hypothesis) for the parser and the reference check, and a fuzz run."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemesim.errors import VariantError
from hemesim.gene.genetic_code import aa3
from hemesim.gene.reference import load_reference
from hemesim.variants.interpret import interpret

REF = load_reference()
AMINO = "ACDEFGHIKLMNPQRSTVWY"
positions = st.integers(min_value=2, max_value=REF.protein_length)


@given(pos=positions, alt=st.sampled_from(AMINO))
@settings(max_examples=300, deadline=None)
def test_protein_substitution_normalises_to_itself(pos: int, alt: str) -> None:
    ref_aa = REF.residue(pos)
    body = f"p.({aa3(ref_aa)}{pos}{aa3(alt) if alt != ref_aa else '='})"
    report = interpret(f"NP_000023.2:{body}")
    assert report.hgvs_p == f"NP_000023.2:{body}"
    assert report.reference_check == "passed"


@given(pos=positions, wrong=st.sampled_from(AMINO), alt=st.sampled_from(AMINO))
@settings(max_examples=300, deadline=None)
def test_wrong_reference_residue_is_rejected(pos: int, wrong: str, alt: str) -> None:
    ref_aa = REF.residue(pos)
    if wrong == ref_aa:
        return
    with pytest.raises(VariantError) as info:
        interpret(f"p.{aa3(wrong)}{pos}{aa3(alt)}")
    assert aa3(wrong) in str(info.value) and aa3(ref_aa) in str(info.value)


MRNA = REF.mrna or ""
TM = REF.tx_map
assert TM is not None


@st.composite
def mrna_sub(draw):  # noqa: ANN001, ANN201
    """A substitution at any base of the shipped mRNA (5'UTR, CDS or 3'UTR), stating its base."""
    m = draw(st.integers(min_value=1, max_value=len(MRNA)))
    ref_base = MRNA[m - 1]
    alt = draw(st.sampled_from([b for b in "ACGT" if b != ref_base]))
    return str(TM.m_to_c(m)), ref_base, alt


@given(mrna_sub())
@settings(max_examples=300, deadline=None)
def test_c_substitution_normalises_to_itself(sub: tuple[str, str, str]) -> None:
    pos, ref_base, alt = sub
    text = f"NM_000032.5:c.{pos}{ref_base}>{alt}"
    report = interpret(text)
    assert report.hgvs_c == text
    assert report.reference_check == "base"


@given(mrna_sub())
@settings(max_examples=200, deadline=None)
def test_one_nucleotide_delins_reads_as_its_substitution(sub: tuple[str, str, str]) -> None:
    """Everywhere on the mRNA, c.NdelinsX is interpreted exactly as c.NB>X (the base B is known),
    and c.NdelinsB (no change) as c.N=."""
    pos, ref_base, alt = sub
    as_delins = interpret(f"c.{pos}delins{alt}")
    as_sub = interpret(f"c.{pos}{ref_base}>{alt}")
    assert (as_delins.hgvs_c, as_delins.consequence, as_delins.effect) == (
        as_sub.hgvs_c,
        as_sub.consequence,
        as_sub.effect,
    )
    assert interpret(f"c.{pos}delins{ref_base}").hgvs_c == f"NM_000032.5:c.{pos}="


@given(mrna_sub(), st.sampled_from("ACGT"))
@settings(max_examples=300, deadline=None)
def test_wrong_reference_base_is_rejected_quoting_both(sub: tuple[str, str, str], b: str) -> None:
    pos, ref_base, _ = sub
    if b == ref_base:
        return
    alt = "A" if b != "A" else "C"
    with pytest.raises(VariantError) as info:
        interpret(f"c.{pos}{b}>{alt}")
    assert f"the reference base at c.{pos} is {ref_base}, not {b}" in str(info.value)


HGVS_ALPHABET = "cpgnNMPR_0123456789.:>()*+-?=delinsdupfsextTerACGTRHKQX AlaArgGluHis"


def _fuzz_once(text: str) -> None:
    with contextlib.suppress(VariantError):
        interpret(text)


@given(st.one_of(st.text(max_size=40), st.text(alphabet=HGVS_ALPHABET, max_size=40)))
@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz_only_variant_errors(text: str) -> None:
    _fuzz_once(text)


@pytest.mark.slow
@given(st.one_of(st.text(max_size=60), st.text(alphabet=HGVS_ALPHABET, max_size=60)))
@settings(
    max_examples=100_000, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
def test_fuzz_100k_only_variant_errors(text: str) -> None:
    _fuzz_once(text)
