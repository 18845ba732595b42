"""Rules that turn a consequence into an :class:`~hemesim.variants.effect_types.Effect`.

Each rule says when it applies, why, and where the reasoning or numbers come from. Numbers that
are assumptions (not measured for the variant) are marked as such in the rationale. When no rule
applies the effect class is ``uncertain``: uncertainty is reported, never hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hemesim.gene.domains import (
    ACTIVE_SITE_RESIDUES,
    AUTOINHIBITORY_HELIX,
    GOF_TRUNCATION_WINDOW,
    PLP_LYSINE,
    in_catalytic_core,
    is_active_site,
)
from hemesim.gene.mechanisms import rule_default_ranges
from hemesim.variants.consequence import Annotation
from hemesim.variants.effect_types import Effect, EffectClass

__all__ = [
    "Rule",
    "RULES",
    "apply_rules",
    "PARTIAL_LOSS",
    "PARTIAL_LOSS_KCAT_FACTOR",
    "PYRIDOXINE_KD_PLP_FACTOR",
]

ACMG = "Richards S et al. Genet Med 2015;17:405 (ACMG/AMP PVS1: null variants)"
_NEXT_MET = 73
"""First in-frame methionine of P22557 after Met1 and Met6 (the sequence), downstream of the
mitochondrial presequence 1-49."""
BAILEY = "Bailey HJ et al. Nat Commun 2020;11:2813 (PMID 32499479)"
DUCAMP = "Ducamp S et al. Hum Mol Genet 2013 (purified XLP variants >3x kcat, >14x kcat/Km)"


@dataclass(frozen=True)
class Rule:
    """A documented interpretation rule.

    Attributes
    ----------
    name
        Identifier used in ``Effect.source`` as ``rule: <name>``.
    applies
        When it applies.
    reasoning
        Why, in words a geneticist can check.
    source
        Citations behind the reasoning and numbers.
    """

    name: str
    applies: str
    reasoning: str
    source: str


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "synonymous",
            "synonymous or stop-retained change, or no change",
            "the protein is unchanged; splicing effects of synonymous changes are not modelled",
            "HGVS/Sequence Ontology definitions",
        ),
        Rule(
            "truncating_upstream",
            f"stop gained or frameshift starting before codon {GOF_TRUNCATION_WINDOW[0]}",
            "the catalytic core (143-544) is lost or the mRNA is degraded: a null allele "
            "(no active enzyme made)",
            ACMG,
        ),
        Rule(
            "truncating_c_terminal_gain",
            f"stop gained or frameshift starting in codons {GOF_TRUNCATION_WINDOW[0]}-"
            f"{GOF_TRUNCATION_WINDOW[1]}",
            "removes or replaces the autoinhibitory C-terminal helix (568-575) that lies over "
            "the active site; truncations from A539X on are gain of function (XLP). Numbers are "
            "the geometric means of the purified p.Gln548* and p.Met567Glufs*2 enzymes (Bailey "
            "2020 Table 3: kcat x4.66, Km(succinyl-CoA) x1.73, Km(glycine) x1.33), with the "
            "range of measured gains (rule_default_ranges.csv)",
            f"{BAILEY} Table 3; {DUCAMP}",
        ),
        Rule(
            "c_terminal_downstream",
            f"stop gained or frameshift after codon {AUTOINHIBITORY_HELIX[1]}",
            "the helix is kept; frameshifts here may elongate the protein, and some elongating "
            "frameshifts cause XLSA (e.g. p.Gln581Hisfs*35), so the direction is not decided",
            "science.md protein map; curated record c.1743_1753del",
        ),
        Rule(
            "missense_plp_lysine",
            f"missense at Lys{PLP_LYSINE}",
            "Lys391 forms the Schiff base with PLP; without it there is no catalysis "
            "(kcat factor 0, assumed)",
            f"UniProt P22557 MOD_RES 391; {BAILEY}",
        ),
        Rule(
            "missense_active_site",
            "missense at His285, a PLP contact, a succinyl-CoA binding residue or loop 505-514",
            "direct contact with cofactor or substrate or the catalytic loop: severe loss "
            "(kcat factor 0.1, assumed)",
            f"{BAILEY}; UniProt P22557 BINDING",
        ),
        Rule(
            "missense_core",
            "other missense in the catalytic core 143-544",
            "typical XLSA missense: partial loss with lower PLP affinity, often pyridoxine-"
            "responsive. Of 10 XLSA missense variants expressed by Ducamp 2011, 5 had low "
            "activity under standard conditions (with PLP), 2 only without added PLP (with "
            "thermosensitivity) and 3 none in vitro; measured residual activities of the low "
            "ones are 7-35% (Mendez 2016 7% and 14%, UniProt 12-25% and 15-35%), about 0.2. A "
            "variant of unknown activity therefore gets the geometric mean over that series, "
            "kcat factor 0.45 = 0.2^0.5 x 1^0.5 (assumed prior; 95 % range 0.07-1.0, the "
            "measured span), and the PLP defect that the series shows as PLP Kd factor 5 "
            "(assumed; range 1-25, assumed: no Kd(PLP) was read)",
            "Ducamp S et al. Hum Mutat 2011;32:590 (PMID 21309041, abstract); Mendez M et al. "
            "Mol Genet Genomic Med 2016; UniProt P22557 VARIANT notes; "
            "Cotter PD et al. J Clin Invest 1995 (PLP stabilises mutants)",
        ),
        Rule(
            "canonical_splice",
            "intronic +1, +2, -1 or -2 (canonical splice site)",
            "canonical splice-site changes are null alleles unless shown otherwise",
            ACMG,
        ),
        Rule(
            "inframe_plp_lysine",
            "in-frame deletion or insertion that removes Lys391",
            "the PLP lysine is lost: no catalysis (assumed)",
            "UniProt P22557 MOD_RES 391",
        ),
        Rule(
            "deletion_active_site",
            "deletion reaching into the coding sequence (in frame, or removing the start or "
            "the stop codon) that removes an active-site residue: His285, a PLP contact, a "
            "succinyl-CoA binding residue or loop 505-514",
            "whatever protein is made lacks a residue that a missense change already makes a "
            "severe loss (rule missense_active_site); a deletion of it leaves no catalysis "
            "(kcat factor 0, expression factor 0 when the start or stop codon goes too: "
            "assumed)",
            f"{BAILEY}; UniProt P22557 BINDING; {ACMG}",
        ),
        Rule(
            "deletion_presequence",
            "in-frame deletion of the whole mitochondrial presequence after Met1 (residues 2-49)",
            "without its presequence the precursor is not imported into the mitochondrion, "
            "where its substrate succinyl-CoA is made: no enzyme where it works (expression "
            "factor 0, assumed)",
            "UniProt P22557 TRANSIT 1-49",
        ),
        Rule(
            "start_lost_presequence",
            "deletion of the start codon that also removes Met6",
            f"Met6 is the only other in-frame start in the mitochondrial presequence (1-49); the "
            f"next is Met{_NEXT_MET}, so any protein made would lack the presequence and stay in "
            "the cytosol, away from succinyl-CoA: a null allele",
            f"UniProt P22557 TRANSIT 1-49 and sequence; {ACMG}",
        ),
        Rule(
            "ire",
            "change inside the 5'UTR iron-responsive element",
            "IRP binding to the IRE represses ALAS2 translation when iron is scarce; a disrupted "
            "IRE frees translation from iron control (ire_factor 0, assumed); the net clinical "
            "direction is not established, so the class stays uncertain",
            "Cox TC et al. EMBO J 1991;10:1891 (IRE identified; loop mutant does not bind)",
        ),
    )
}

_RULE_FACTOR = {
    "kcat": "kcat_factor",
    "km_gly": "km_gly_factor",
    "km_succoa": "km_succoa_factor",
    "kd_plp": "kd_plp_factor",
    "half_life_holo": "stability_factor",
    "half_life_apo": "apo_stability_factor",
    "sucla2_binding": "sucla2_factor",
    "expression": "expression_factor",
    "ire": "ire_factor",
}
"""Factor names of the curated tables -> :class:`Effect` field names."""


def rule_ranges(rule: str) -> dict[str, tuple[float, float, float]]:
    """Default value and 95 % range of each factor a rule sets: ``{effect_field: (value, low,
    high)}`` from ``gene/data/rule_default_ranges.csv`` (``{}`` for a rule without an entry)."""
    return {
        _RULE_FACTOR[r.factor]: (r.value, r.low, r.high)
        for r in rule_default_ranges()
        if r.rule == rule
    }


PYRIDOXINE_KD_PLP_FACTOR = 5.0
"""PLP dissociation-constant factor given to pyridoxine-responsive loss-of-function variants
(assumed: no per-variant Kd(PLP) was read; PLP stabilises such mutants in vitro, Cotter 1995)."""

PARTIAL_LOSS_KCAT_FACTOR = round(0.2**0.5, 2)
"""kcat factor of a core missense without measured activity: geometric mean over the Ducamp
et al. 2011 series (half the variants near 0.2 with PLP, half near 1; assumed prior)."""

PARTIAL_LOSS = {"kcat_factor": PARTIAL_LOSS_KCAT_FACTOR, "kd_plp_factor": PYRIDOXINE_KD_PLP_FACTOR}
"""Default factors of a core missense partial loss (rule ``missense_core``)."""


def _effect(rule: str, cls: EffectClass, **factors: float) -> Effect:
    """The effect of ``rule``: its tabulated defaults (with their 95 % ranges) where
    ``rule_default_ranges.csv`` has them, else the ``factors`` given; every changed factor has
    basis ``rule``."""
    r = RULES[rule]
    table = rule_ranges(rule)
    values = dict(factors) | {k: v[0] for k, v in table.items()}
    numbers: dict[str, Any] = dict(values)
    return Effect(
        effect_class=cls,
        rationale=f"{r.applies}: {r.reasoning}",
        source=f"rule: {rule} ({r.source})",
        factor_basis=tuple((k, "rule") for k, v in values.items() if v != 1.0),
        ranges=tuple((k, lo, hi) for k, (_, lo, hi) in table.items()),
        **numbers,
    )


_MET6 = 6
_PRESEQUENCE_END = 49
_DELETION = re.compile(r"del(ins[A-Za-z*]*)?\)?$")


def _is_deletion(ann: Annotation) -> bool:
    """True for a deletion or deletion-insertion: its canonical c. (or, for a protein-level
    description, its p.) ends in ``del`` or ``delins...``."""
    return bool(_DELETION.search(ann.hgvs_c or ann.hgvs_p or ""))


def _removes_active_site(ann: Annotation) -> bool:
    """True when the codon span of ``ann`` contains an active-site residue."""
    first, last = ann.protein_start, ann.protein_end
    if first is None or last is None:
        return False
    return any(first <= r <= last for r in ACTIVE_SITE_RESIDUES)


def _uncertain(why: str) -> Effect:
    return Effect(effect_class="uncertain", rationale=f"no rule applies: {why}", source="")


def apply_rules(ann: Annotation) -> Effect:
    """Return the rule-based effect of an annotated variant.

    Parameters
    ----------
    ann
        Output of :func:`hemesim.variants.consequence.annotate_variant`.

    Returns
    -------
    Effect
        Class and factors; class ``uncertain`` with the reason when no rule applies.
    """
    cons = ann.consequence
    pos = ann.protein_start
    if cons in ("synonymous_variant", "stop_retained_variant", "no_sequence_alteration"):
        return _effect("synonymous", "neutral")
    if cons in ("stop_gained", "frameshift_variant") and pos is not None:
        if pos < GOF_TRUNCATION_WINDOW[0]:
            return _effect(
                "truncating_upstream", "loss_of_function", kcat_factor=0.0, expression_factor=0.0
            )
        if pos <= GOF_TRUNCATION_WINDOW[1]:
            return _effect("truncating_c_terminal_gain", "gain_of_function")
        return _effect("c_terminal_downstream", "uncertain")
    if cons == "missense_variant" and pos is not None:
        if pos == PLP_LYSINE:
            return _effect("missense_plp_lysine", "loss_of_function", kcat_factor=0.0)
        if is_active_site(pos):
            return _effect("missense_active_site", "loss_of_function", kcat_factor=0.1)
        if in_catalytic_core(pos):
            return _effect("missense_core", "loss_of_function")
        return _uncertain(f"missense at residue {pos}, outside the catalytic core 143-544")
    if cons == "coding_sequence_variant":
        return _uncertain(
            "the codon is not known at base level and the candidate changes "
            f"differ ({', '.join(sorted(set(ann.candidate_consequences)))})"
        )
    if cons in ("splice_donor_variant", "splice_acceptor_variant"):
        return _effect(
            "canonical_splice", "loss_of_function", kcat_factor=0.0, expression_factor=0.0
        )
    deletion = _is_deletion(ann)
    if cons in ("inframe_deletion", "inframe_insertion", "protein_altering_variant"):
        end = ann.protein_end
        removes_lys = pos is not None and end is not None and pos <= PLP_LYSINE <= end
        if cons == "inframe_deletion" and removes_lys:
            return _effect("inframe_plp_lysine", "loss_of_function", kcat_factor=0.0)
        if deletion and _removes_active_site(ann):
            return _effect("deletion_active_site", "loss_of_function", kcat_factor=0.0)
        covers_presequence = (
            pos is not None and end is not None and pos <= 2 <= _PRESEQUENCE_END <= end
        )
        if cons == "inframe_deletion" and covers_presequence:
            return _effect("deletion_presequence", "loss_of_function", expression_factor=0.0)
        return _uncertain("in-frame change; its effect depends on the residues involved")
    if cons == "5_prime_UTR_variant":
        if ann.in_ire:
            return _effect("ire", "uncertain", ire_factor=0.0)
        if ann.in_ire is None:
            return _uncertain(
                "5'UTR change; whether it touches the IRE is unknown without the "
                "transcript sequence"
            )
        return _uncertain("5'UTR change outside the IRE")
    if cons == "start_lost" and deletion and (ann.protein_end or 0) >= _MET6:
        return _effect(
            "start_lost_presequence", "loss_of_function", kcat_factor=0.0, expression_factor=0.0
        )
    if cons in ("start_lost", "stop_lost") and deletion and _removes_active_site(ann):
        return _effect(
            "deletion_active_site", "loss_of_function", kcat_factor=0.0, expression_factor=0.0
        )
    if cons == "splice_region_variant":  # issue 15: splice region by distance (v15seq)
        return _uncertain(
            "splice region outside the canonical +-1/2 (3-8 intronic bases from the exon, "
            "SO:0001630): splicing may be altered, but no splicing predictor is shipped"
        )
    if cons == "start_lost":
        return _uncertain(
            "start loss: an in-frame Met6 lies inside the presequence, so a "
            "shorter precursor may still be imported; not decided"
        )
    if cons == "stop_lost":
        return _uncertain(
            "stop loss elongates the C-terminus; elongations can cause XLSA but "
            "the effect is not established"
        )
    return _uncertain(f"{cons.replace('_', ' ')}")
