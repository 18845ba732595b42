"""Rule-based effects for variants that are not curated."""

import pytest

from hemesim.variants.consequence import Annotation
from hemesim.variants.effect_rules import RULES, apply_rules
from hemesim.variants.interpret import interpret


@pytest.mark.parametrize(
    ("text", "cls", "rule"),
    [
        ("p.Lys100Ter", "loss_of_function", "truncating_upstream"),
        ("c.300del", "loss_of_function", "truncating_upstream"),
        ("p.Ala539Ter", "gain_of_function", "truncating_c_terminal_gain"),  # Ducamp 2013 A539X
        ("p.Gly544Ter", "gain_of_function", "truncating_c_terminal_gain"),  # Ducamp 2013 G544X
        ("p.Ser568fs", "gain_of_function", "truncating_c_terminal_gain"),
        ("p.Gly576Ter", "uncertain", "c_terminal_downstream"),
        ("p.Pro580fs", "uncertain", "c_terminal_downstream"),
        ("p.Lys391Ala", "loss_of_function", "missense_plp_lysine"),
        ("p.His285Ala", "loss_of_function", "missense_active_site"),
        ("p.Arg511Gln", "loss_of_function", "missense_active_site"),
        ("p.Arg452Lys", "loss_of_function", "missense_core"),
        ("p.(Arg452=)", "neutral", "synonymous"),
        ("c.181+1G>A", "loss_of_function", "canonical_splice"),  # exon 2 ends at c.181
    ],
)
def test_rules(text: str, cls: str, rule: str) -> None:
    report = interpret(text)
    assert report.known is None
    assert report.effect.effect_class == cls
    assert report.effect.source.startswith(f"rule: {rule}")


def test_severity_ordering() -> None:
    lys = interpret("p.Lys391Ala").effect.kcat_factor
    site = interpret("p.His285Ala").effect.kcat_factor
    core = interpret("p.Arg452Lys").effect.kcat_factor
    assert lys < site < core < 1


def test_core_missense_is_plp_responsive() -> None:
    assert interpret("p.Arg452Lys").effect.kd_plp_factor > 1


def test_gain_is_not_lysate_scale() -> None:
    # science.md: do not build in the 20-40x crude-lysate Vmax (Ducamp 2013 purified: >3x kcat)
    eff = interpret("p.Ala539Ter").effect
    assert 1 < eff.kcat_factor < 10


def test_ire_rule_sets_ire_factor() -> None:
    eff = apply_rules(Annotation("NM_000032.5:c.-40A>G", None, "5_prime_UTR_variant", in_ire=True))
    assert eff.ire_factor == 0.0 and eff.source.startswith("rule: ire")


@pytest.mark.parametrize(
    "text",
    [
        "p.Gly50Ser".replace("Gly50", "Gln50"),
        "c.-60C>G",  # 5'UTR outside the IRE (c.-39_-19); c.-60 is C on the shipped mRNA
        "c.*5C>T",  # 3'UTR; c.*5 is C on the shipped mRNA
        "c.1A>G",
        "p.Ter588GlnextTer10",
        "c.-200C>T",  # upstream of the transcript
        "c.181+20G>A",  # deep in intron 2
        "c.181+5G>A",  # splice region: uncertain, with the reason
    ],
)
def test_no_rule_means_uncertain_with_reason(text: str) -> None:
    eff = interpret(text).effect
    assert eff.effect_class == "uncertain"
    assert eff.rationale


def test_every_rule_is_documented() -> None:
    for rule in RULES.values():
        assert rule.applies and rule.reasoning and rule.source


def test_core_missense_default_is_the_ducamp_series_prior() -> None:
    # Ducamp et al. Hum Mutat 2011;32:590: of 10 expressed XLSA missense variants, 5 had low
    # activity with PLP (reported residual activities 7-35%, about 0.2) and 5 near-normal activity
    # with PLP; the default is the geometric mean, not the low value compounded with the PLP defect.
    eff = interpret("p.Arg452Lys").effect
    assert eff.kcat_factor == pytest.approx(0.2**0.5, abs=0.01)
    assert eff.kd_plp_factor == 5.0


@pytest.mark.parametrize("text", ["c.1231C>T", "c.611G>A"])
def test_pyridoxine_responsive_curated_variants_carry_a_plp_defect(text: str) -> None:
    # R411C (Furuyama 1998, Cotter 1999) and R204Q (Harigae 1999) are pyridoxine-responsive.
    assert interpret(text).effect.kd_plp_factor > 1


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # the whole coding sequence, or start codon and Met6: no imported protein
        ("c.1_1764del", "start_lost_presequence"),
        ("c.1_18del", "start_lost_presequence"),
        # c.1_1000del removes the ATG, but c.1001-1006 read ATGGTG like c.1-6 (the shipped
        # mRNA): translation restarts there and frameshifts at codon 3, a truncation
        ("c.1_1000del", "truncating_upstream"),
        # in frame, or through the stop codon, taking active-site residues with it
        ("c.10_1764del", "deletion_active_site"),
        ("c.4_1164del", "deletion_active_site"),
        ("p.His285del", "deletion_active_site"),
    ],
)
def test_large_deletions_are_null_alleles(text: str, rule: str) -> None:
    """A man hemizygous for a deletion of the whole coding sequence was predicted healthy: the
    start-loss rule (Met6 may rescue) and the stop-loss rule (elongation) looked only at the
    consequence, not at what the deletion removes."""
    effect = interpret(text).effect
    assert effect.effect_class == "loss_of_function"
    assert effect.kcat_factor == 0.0
    assert effect.source.startswith(f"rule: {rule}")


def test_deleting_the_whole_presequence_is_a_null_allele() -> None:
    """Residues 2-49 carry the mitochondrial import signal: without them no enzyme reaches the
    matrix (c.4_147del was uncertain); a partial deletion stays uncertain."""
    effect = interpret("c.4_147del").effect
    assert (effect.effect_class, effect.expression_factor) == ("loss_of_function", 0.0)
    assert effect.source.startswith("rule: deletion_presequence")
    assert interpret("c.7_147del").effect.effect_class == "uncertain"


@pytest.mark.parametrize(
    "text",
    [
        "c.1A>G",  # start loss with Met6 kept
        "c.1_15del",  # codons 1-5: Met6 kept
        "c.1756_1764del",  # stop loss removing no active-site residue
        "p.Leu8del",  # in frame, in the presequence
    ],
)
def test_deletions_that_keep_the_rescue_or_the_active_site_stay_uncertain(text: str) -> None:
    assert interpret(text).effect.effect_class == "uncertain"
