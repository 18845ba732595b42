"""Property tests (hypothesis) for the parser and the reference check, and a fuzz run."""

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemesim.errors import VariantError
from hemesim.gene.genetic_code import aa3, codons_for
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


@st.composite
def compatible_sub(draw):  # noqa: ANN001, ANN201
    n = draw(st.integers(min_value=1, max_value=REF.cds_length))
    codon, phase = (n - 1) // 3 + 1, (n - 1) % 3
    bases = sorted({c[phase] for c in codons_for(REF.residue(codon))})
    ref_base = draw(st.sampled_from(bases))
    alt = draw(st.sampled_from([b for b in "ACGT" if b != ref_base]))
    return n, ref_base, alt


@given(compatible_sub())
@settings(max_examples=300, deadline=None)
def test_c_substitution_normalises_to_itself(sub: tuple[int, str, str]) -> None:
    n, ref_base, alt = sub
    text = f"NM_000032.5:c.{n}{ref_base}>{alt}"
    assert interpret(text).hgvs_c == text


@given(compatible_sub())
@settings(max_examples=200, deadline=None)
def test_one_nucleotide_delins_reads_as_its_substitution(sub: tuple[int, str, str]) -> None:
    """Wherever the reference base is knowable (one base at that codon position for every codon
    of the residue), c.NdelinsX is interpreted exactly as c.NB>X; elsewhere it stays a
    delins."""
    n, ref_base, alt = sub
    codon, phase = (n - 1) // 3 + 1, (n - 1) % 3
    knowable = len({c[phase] for c in codons_for(REF.residue(codon))}) == 1
    as_delins = interpret(f"c.{n}delins{alt}")
    if knowable:
        as_sub = interpret(f"c.{n}{ref_base}>{alt}")
        assert (as_delins.hgvs_c, as_delins.consequence, as_delins.effect) == (
            as_sub.hgvs_c,
            as_sub.consequence,
            as_sub.effect,
        )
    else:
        assert as_delins.hgvs_c == f"NM_000032.5:c.{n}delins{alt}"


@pytest.mark.skipif(REF.has_cds, reason="with a CDS every wrong base is rejected (other test)")
@given(n=st.integers(min_value=1, max_value=REF.cds_length), base=st.sampled_from("ACGT"))
@settings(max_examples=300, deadline=None)
def test_impossible_reference_base_is_rejected(n: int, base: str) -> None:
    codon, phase = (n - 1) // 3 + 1, (n - 1) % 3
    possible = {c[phase] for c in codons_for(REF.residue(codon))}
    alt = "A" if base != "A" else "C"
    text = f"c.{n}{base}>{alt}"
    if base in possible:
        interpret(text)
        return
    with pytest.raises(VariantError) as info:
        interpret(text)
    msg = str(info.value)
    assert f"reference base {base}" in msg and all(b in msg for b in possible)


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
