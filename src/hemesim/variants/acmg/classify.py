"""ACMG/AMP classification of an ALAS2 variant from what hemesim holds offline.

:func:`classify` evaluates every criterion of Richards et al. 2015 (Genet Med 17:405, PMID
25741868) that the package data allow, with the ClinGen Sequence Variant Interpretation (SVI)
refinements, for the disease the variant's mechanism points to (XLSA for loss of function, XLP
for gain), and sums the Bayesian points (:mod:`hemesim.variants.acmg.points`).

Criteria evaluated from package data
    PVS1 (:mod:`~hemesim.variants.acmg.pvs1`), PS1 and PM5 (published missense changes at the same
    residue: curated records and UniProt), PM1 (domain map), PM4 (in-frame length change, stop
    loss, elongation), PS3/BS3 (curated in-vitro studies).
Criteria evaluated from figures the caller gives
    PM2/BA1 (``allele_frequency``), PS2/PM6 (``de_novo``), PP1/BS4 (``bayes_factor`` of
    cosegregation, from :func:`hemesim.genetics.segregation.segregation`).
Not evaluated (reported with the reason)
    PS4, PM3, PP2, PP3/BP4 (no predictor is shipped), PP4, BS1, BS2, BP1-BP3, BP5, BP7;
    PP5/BP6 are retired (Biesecker & Harrison Genet Med 2018;20:1687, PMID 29543229).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hemesim.errors import VariantError
from hemesim.gene.domains import ACTIVE_SITE_RESIDUES, annotate, in_catalytic_core
from hemesim.variants.acmg.criterion import Criterion, default_strength
from hemesim.variants.acmg.evidence import (
    functional_finding,
    mechanism_findings,
    published_missense,
)
from hemesim.variants.acmg.facts import VariantFacts, facts_of
from hemesim.variants.acmg.points import CLASSES, class_from_points, odds_threshold
from hemesim.variants.acmg.pvs1 import evaluate_pvs1

if TYPE_CHECKING:
    from hemesim.variants.interpret import VariantReport

__all__ = [
    "BA1_FREQUENCY",
    "CODES",
    "Classification",
    "classify",
    "cosegregation_criteria",
    "disease_for",
]

CODES: tuple[str, ...] = (
    "PVS1", "PS1", "PS2", "PS3", "PS4", "PM1", "PM2", "PM3", "PM4", "PM5", "PM6",
    "PP1", "PP2", "PP3", "PP4", "PP5",
    "BA1", "BS1", "BS2", "BS3", "BS4", "BP1", "BP2", "BP3", "BP4", "BP5", "BP6", "BP7",
)  # fmt: skip
"""The 28 criteria of Richards et al. 2015, in their order."""

BA1_FREQUENCY = 0.05
"""BA1: allele frequency above 5 % (Richards 2015)."""

RICHARDS = "Richards 2015 (PMID:25741868)"
TAVTIGIAN_2018 = "Tavtigian 2018 (PMID:29300386)"
TAVTIGIAN_2020 = "Tavtigian 2020 (PMID:32720330)"
BRNICH = "Brnich 2020 Genome Med 12:3 (PMID:31892348)"
THOMPSON = "Thompson 2003 (PMID:12900794)"
JARVIK = "Jarvik & Browning 2016 (PMID:27236918)"

_NOT_EVALUATED: dict[str, str] = {
    "PS4": "needs case-control counts or the number of unrelated probands; hemesim holds none",
    "PM3": "for recessive disorders (variant in trans with a pathogenic one); X-linked ALAS2 "
    "disease in men is hemizygous",
    "PP2": "needs the gene's missense constraint and benign missense rate; not in hemesim",
    "PP3": "needs a calibrated in-silico predictor; none is shipped in a package here",
    "PP4": "phenotype specificity is a clinical judgement (coupled to PP1: Biesecker 2024, "
    "PMID:38103548); give it outside hemesim",
    "PP5": "retired: reputable-source assertions are not evidence (Biesecker & Harrison 2018, "
    "PMID:29543229)",
    "BS1": "needs the disorder's maximum credible population allele frequency, which hemesim "
    "does not hold",
    "BS2": "needs counts of healthy adults carrying the variant; family members enter the "
    "cosegregation Bayes factor (PP1/BS4) instead",
    "BP1": "applies to genes whose disease is caused by truncating variants only; XLSA is "
    "mostly missense",
    "BP2": "needs phase with a pathogenic variant; not in the input",
    "BP3": "repeat regions of ALAS2 are not annotated in hemesim",
    "BP4": "needs a calibrated in-silico predictor; none is shipped in a package here",
    "BP5": "needs an alternate molecular diagnosis in a case; not in the input",
    "BP6": "retired: reputable-source assertions are not evidence (Biesecker & Harrison 2018, "
    "PMID:29543229)",
    "BP7": "synonymous changes need a splicing prediction (BP4) first; none is shipped",
}


@dataclass(frozen=True)
class Classification:
    """The ACMG/AMP classification of one variant for one disease.

    Attributes
    ----------
    disease
        ``XLSA`` or ``XLP``: the disease whose mechanism the variant's effect points to.
    disease_basis
        Why that disease.
    classification
        One of :data:`~hemesim.variants.acmg.points.CLASSES`.
    points
        Sum of the points of the met criteria (Tavtigian 2020).
    criteria
        Every criterion, met or not or not evaluated, in Richards order.
    notes
        What the classification cannot see (e.g. published case counts).
    """

    disease: str
    disease_basis: str
    classification: str
    points: int
    criteria: tuple[Criterion, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __getitem__(self, code: str) -> Criterion:
        for c in self.criteria:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def met(self) -> tuple[Criterion, ...]:
        """The criteria that are met."""
        return tuple(c for c in self.criteria if c.met is True)

    @property
    def summary(self) -> str:
        """``Likely pathogenic (7 points: PVS1_Strong, PM2_Supporting, ...)``."""
        labels = ", ".join(c.label for c in self.met) or "no criterion met"
        return f"{self.classification} ({self.points} points: {labels})"

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{disease, class, points, criteria: [{code, strength, met, evidence,
        ...}], ...}``."""
        return {
            "disease": self.disease,
            "class": self.classification,
            "points": self.points,
            "met": [c.label for c in self.met],
            "criteria": [c.to_dict() for c in self.criteria],
            "disease_basis": self.disease_basis,
            "method": (
                f"ACMG/AMP criteria ({RICHARDS}) with ClinGen SVI refinements, Bayesian points "
                f"({TAVTIGIAN_2018}; {TAVTIGIAN_2020}): supporting 1, moderate 2, strong 4, very "
                "strong 8, benign negative; Pathogenic >= 10, Likely pathogenic 6-9, Uncertain "
                "0-5, Likely benign -1 to -6, Benign <= -7; BA1 stands alone"
            ),
            "notes": list(self.notes),
        }


def disease_for(report: VariantReport) -> tuple[str, str]:
    """``(disease, why)``: XLP for a gain-of-function variant, XLSA otherwise."""
    known = report.known
    if known is not None and not known.provisional and known.phenotype in ("XLSA", "XLP"):
        return known.phenotype, f"curated {known.phenotype} record ({known.mechanism})"
    cls = report.effect.effect_class
    if cls == "gain_of_function":
        return "XLP", "predicted gain of function (the XLP mechanism)"
    if cls == "loss_of_function":
        return "XLSA", "predicted loss of function (the XLSA mechanism)"
    return "XLSA", (
        f"effect {cls}: no gain of function predicted, so XLSA, the loss-of-function disease, "
        "is assessed"
    )


def _c_of(report: VariantReport) -> str | None:
    if report.hgvs_c and ":" in report.hgvs_c:
        return report.hgvs_c.split(":", 1)[1]
    return report.hgvs_c


def _ps1_pm5(
    facts: VariantFacts, report: VariantReport, disease: str
) -> tuple[Criterion, Criterion]:
    if not facts.is_missense or facts.residue is None:
        why = "not a missense change"
        return (
            Criterion("PS1", "strong", False, why),
            Criterion("PM5", "moderate", False, why),
        )
    same_site = [
        r
        for r in published_missense()
        if r.residue == facts.residue and r.disease == disease and r.effect_class != "neutral"
    ]
    same_change = [r for r in same_site if r.alt == facts.alt_residue]
    others = [r for r in same_site if r.alt != facts.alt_residue]
    c_here = _c_of(report)
    ps1: Criterion
    if not same_change:
        ps1 = Criterion(
            "PS1",
            "strong",
            False,
            f"no published {disease} variant with the same amino-acid change",
        )
    else:
        rec = same_change[0]
        if c_here is None:
            ps1 = Criterion(
                "PS1",
                "strong",
                None,
                f"{rec.p} is published with {disease} ({rec.source}); PS1 needs a different "
                "nucleotide change, and the input gives no c. change: not evaluated",
            )
        elif not rec.hgvs_c:
            ps1 = Criterion(
                "PS1",
                "strong",
                None,
                f"{rec.p} is published with {disease} ({rec.source}) without its c. change, so "
                "whether this is a different nucleotide change is unknown: not evaluated",
            )
        elif rec.hgvs_c == c_here:
            ps1 = Criterion(
                "PS1",
                "strong",
                False,
                f"this is the published variant itself ({rec.hgvs_c}, {rec.source}); PS1 is "
                "for a different nucleotide change giving the same amino-acid change",
            )
        else:
            ps1 = Criterion(
                "PS1",
                "strong",
                True,
                f"same amino-acid change as {rec.hgvs_c} {rec.p}, published with {disease} "
                f"({rec.source}); a reported, not expert-panel, classification ({RICHARDS})",
            )
    pm5: Criterion
    if ps1.met:
        pm5 = Criterion("PM5", "moderate", False, "PS1 is met for this change (not both)")
    elif others:
        listed = "; ".join(f"{r.p} ({r.source})" for r in others[:4])
        pm5 = Criterion(
            "PM5",
            "moderate",
            True,
            f"a different missense change at residue {facts.residue} is published with "
            f"{disease}: {listed}",
        )
    else:
        pm5 = Criterion(
            "PM5",
            "moderate",
            False,
            f"no other published {disease} missense change at residue {facts.residue}",
        )
    return ps1, pm5


def _pm1(facts: VariantFacts, disease: str) -> Criterion:
    if facts.consequence not in ("missense_variant", "inframe_deletion", "inframe_insertion"):
        return Criterion("PM1", "moderate", False, "PM1 is for missense and in-frame changes")
    first, last = facts.residue, facts.residue_end or facts.residue
    if first is None or last is None:
        return Criterion("PM1", "moderate", None, "residue not known: not evaluated")
    if disease == "XLP":
        return Criterion(
            "PM1",
            "moderate",
            False,
            "no hot spot of XLP missense changes is established in the domain map",
        )
    hits = sorted(r for r in ACTIVE_SITE_RESIDUES if first <= r <= last)
    if hits:
        names = "; ".join(
            next((reg.name for reg in annotate(r) if reg.kind == "site"), str(r)) for r in hits[:3]
        )
        return Criterion(
            "PM1",
            "moderate",
            True,
            f"residue(s) {', '.join(map(str, hits[:6]))} of the active site ({names}): "
            "cofactor, substrate or catalytic-loop contact (Bailey 2020, PMID:32499479; UniProt "
            "P22557)",
        )
    where = (
        "in the catalytic core 143-544 but not at a residue of known catalytic or binding role "
        "(the core spans 402 of 587 residues: too broad for a hot spot)"
        if in_catalytic_core(first)
        else "outside the catalytic core 143-544"
    )
    return Criterion("PM1", "moderate", False, f"residue {first} is {where}")


def _pm4(facts: VariantFacts, pvs1: Criterion) -> Criterion:
    cons = facts.consequence
    if pvs1.met:
        return Criterion("PM4", "moderate", False, "PVS1 is met (not both)")
    if cons in ("inframe_deletion", "inframe_insertion"):
        return Criterion(
            "PM4",
            "moderate",
            True,
            f"{cons.replace('_', ' ')} changes the protein length (repeat regions are not "
            f"annotated, so the non-repeat condition is assumed) ({RICHARDS})",
        )
    if cons == "stop_lost":
        return Criterion("PM4", "moderate", True, f"stop loss lengthens the protein ({RICHARDS})")
    if cons == "frameshift_variant" and facts.ptc is not None and facts.ptc > 588:
        return Criterion(
            "PM4",
            "moderate",
            True,
            f"frameshift whose new stop (codon {facts.ptc}) lies past the normal stop: the "
            f"protein is lengthened ({RICHARDS})",
        )
    return Criterion("PM4", "moderate", False, "no in-frame length change or stop loss")


def _ps3_bs3(report: VariantReport, disease: str) -> tuple[Criterion, Criterion]:
    cap = (
        "applied at supporting: the validation controls of these assays were not read, and "
        f"ClinGen allows more than supporting only for assays with at least 11 ({BRNICH})"
    )
    known = report.known
    findings = mechanism_findings(report.hgvs_p, report.hgvs_c)
    if known is not None and not known.provisional:
        curated = functional_finding(known)
        if curated is not None:
            findings.append(curated)
    if not findings:
        why = "no curated in-vitro study of this variant"
        return Criterion("PS3", "strong", False, why), Criterion("BS3", "strong", False, why)
    wanted = "reduced" if disease == "XLSA" else "increased"
    damaging = [text for direction, text in findings if direction == wanted]
    normal = [text for direction, text in findings if direction == "normal"]
    if damaging and normal:
        why = f"conflicting in-vitro results: {'; '.join(damaging[:2])} but {'; '.join(normal[:2])}"
        return Criterion("PS3", "strong", False, why), Criterion("BS3", "strong", False, why)
    if damaging:
        return (
            Criterion("PS3", "supporting", True, f"{'; '.join(damaging[:3])}; {cap}"),
            Criterion("BS3", "strong", False, "the in-vitro results are damaging"),
        )
    if normal:
        reported = (
            f" Patients with this change were reported with {known.phenotype}: the assay may "
            "miss the defect (conflicting evidence)"
            if known is not None and known.phenotype in ("XLSA", "XLP")
            else ""
        )
        return (
            Criterion("PS3", "strong", False, "in-vitro activity not reduced"),
            Criterion("BS3", "supporting", True, f"{'; '.join(normal[:2])}; {cap}.{reported}"),
        )
    other = "; ".join(text for _, text in findings[:2])
    why = f"{other}: not the direction of the {disease} mechanism"
    return Criterion("PS3", "strong", False, why), Criterion("BS3", "strong", False, why)


def _frequency(allele_frequency: float | None) -> tuple[Criterion, Criterion]:
    if allele_frequency is None:
        why = "needs the population allele frequency (give --allele-frequency, e.g. from gnomAD)"
        return Criterion("PM2", "supporting", None, why), Criterion("BA1", "stand_alone", None, why)
    q = allele_frequency
    if isinstance(q, bool) or not isinstance(q, (int, float)) or not (0.0 <= q <= 1.0):
        raise VariantError(
            f"allele_frequency {q!r}: expected the population allele frequency, a number in [0, 1]"
        )
    pm2 = Criterion(
        "PM2",
        "supporting",
        q == 0.0,
        (
            "absent from the population data given (allele frequency 0); applied at supporting "
            "per ClinGen SVI PM2 v1.0 (2020)"
            if q == 0.0
            else f"allele frequency {q:g} given: present in the population data, so PM2 "
            "(absent) is not met"
        ),
    )
    ba1 = Criterion(
        "BA1",
        "stand_alone",
        q > BA1_FREQUENCY,
        f"allele frequency {q:g} {'>' if q > BA1_FREQUENCY else '<='} {BA1_FREQUENCY:g} "
        f"({RICHARDS})",
    )
    return pm2, ba1


def _de_novo(de_novo: str | None) -> tuple[Criterion, Criterion]:
    if de_novo is None:
        why = "needs de novo status (give --de-novo confirmed|assumed)"
        return Criterion("PS2", "strong", None, why), Criterion("PM6", "moderate", None, why)
    if de_novo not in ("confirmed", "assumed", "no"):
        raise VariantError(
            f"de_novo {de_novo!r}: expected 'confirmed' (maternity and paternity confirmed), "
            "'assumed' or 'no'"
        )
    ps2 = Criterion(
        "PS2",
        "strong",
        de_novo == "confirmed",
        f"de novo status given: {de_novo} (PS2 needs maternity and paternity confirmed; "
        f"{RICHARDS})",
    )
    pm6 = Criterion(
        "PM6",
        "moderate",
        de_novo == "assumed",
        f"de novo status given: {de_novo} (PM6: assumed de novo, without confirmation)",
    )
    return ps2, pm6


def cosegregation_criteria(bayes_factor: float | None) -> tuple[Criterion, Criterion]:
    """PP1 and BS4 from a cosegregation Bayes factor (a plain number, or ``None``).

    The Bayes factor is the likelihood ratio of the family data for a causal versus a neutral
    variant (:func:`hemesim.genetics.segregation.segregation`), so it is read on the odds scale of
    Tavtigian 2018 (:func:`~hemesim.variants.acmg.points.odds_threshold`): at least 2.08 ->
    PP1_Supporting, 4.33 -> PP1_Moderate, 18.7 -> PP1_Strong; at most 1/2.08 = 0.48 ->
    BS4_Supporting, 1/4.33 = 0.23 -> BS4_Moderate, 1/18.7 = 0.053 -> BS4 (strong). Both are
    capped at strong, the highest level the cosegregation criteria are used at (Jarvik &
    Browning 2016 quantify PP1 by likelihood ratio; ClinGen, Biesecker 2024, PMID 38103548).
    """
    if bayes_factor is None:
        why = "needs family data: give a pedigree with genotypes (hemesim segregation, or --ped)"
        return Criterion("PP1", "supporting", None, why), Criterion("BS4", "strong", None, why)
    bf = bayes_factor
    if isinstance(bf, bool) or not isinstance(bf, (int, float)) or math.isnan(bf) or bf < 0:
        raise VariantError(f"bayes_factor {bf!r}: expected a number >= 0")
    shown = f"cosegregation Bayes factor {bf:.4g} ({THOMPSON})"
    scale = f"odds scale of {TAVTIGIAN_2018}; {JARVIK}"
    for strength in ("strong", "moderate", "supporting"):
        t = odds_threshold(strength)
        if bf >= t:
            return (
                Criterion("PP1", strength, True, f"{shown} >= {t:.3g} ({scale})"),
                Criterion("BS4", "strong", False, f"{shown}: supports cosegregation"),
            )
    for strength in ("strong", "moderate", "supporting"):
        t = odds_threshold(strength)
        if bf <= 1.0 / t:
            return (
                Criterion("PP1", "supporting", False, f"{shown}: against cosegregation"),
                Criterion("BS4", strength, True, f"{shown} <= 1/{t:.3g} = {1 / t:.3g} ({scale})"),
            )
    lo, hi = 1.0 / odds_threshold("supporting"), odds_threshold("supporting")
    why = f"{shown} between {lo:.2f} and {hi:.2f}: neither for nor against ({scale})"
    return Criterion("PP1", "supporting", False, why), Criterion("BS4", "strong", False, why)


def classify(
    report: VariantReport,
    *,
    bayes_factor: float | None = None,
    allele_frequency: float | None = None,
    de_novo: str | None = None,
) -> Classification:
    """ACMG/AMP class and criteria of an interpreted ALAS2 variant.

    Parameters
    ----------
    report
        Output of :func:`hemesim.variants.interpret.interpret`.
    bayes_factor
        Cosegregation Bayes factor from family data (dimensionless), for PP1/BS4.
    allele_frequency
        Population allele frequency of the variant (e.g. gnomAD), for PM2/BA1.
    de_novo
        ``"confirmed"`` (PS2), ``"assumed"`` (PM6) or ``"no"``.

    Returns
    -------
    Classification

    Raises
    ------
    VariantError
        One line naming the argument for a value out of its range.
    """
    disease, basis = disease_for(report)
    facts = facts_of(report)
    upstream = any(
        r.residue < 6 and r.disease == disease and r.effect_class == "loss_of_function"
        for r in published_missense()
    )
    pvs1 = evaluate_pvs1(facts, disease, upstream)
    ps1, pm5 = _ps1_pm5(facts, report, disease)
    ps3, bs3 = _ps3_bs3(report, disease)
    pm2, ba1 = _frequency(allele_frequency)
    ps2, pm6 = _de_novo(de_novo)
    pp1, bs4 = cosegregation_criteria(bayes_factor)
    evaluated = {
        c.code: c
        for c in (
            pvs1, ps1, ps2, ps3, _pm1(facts, disease), pm2, _pm4(facts, pvs1), pm5, pm6,
            pp1, ba1, bs3, bs4,
        )
    }  # fmt: skip
    if facts.consequence == "coding_sequence_variant":
        why = (
            "the codon is not known at base level and the candidate changes differ "
            "(missense, nonsense or synonymous): not evaluated"
        )
        for code in ("PVS1", "PS1", "PM1", "PM4", "PM5"):
            evaluated[code] = Criterion(code, default_strength(code), None, why)
    criteria = tuple(
        evaluated.get(code) or Criterion(code, default_strength(code), None, _NOT_EVALUATED[code])
        for code in CODES
    )
    points = sum(c.points for c in criteria)
    klass = class_from_points(points, stand_alone_benign=bool(ba1.met))
    assert klass in CLASSES
    notes = [
        "published case reports are not counted (PS4, and PP1 from published families): "
        "hemesim holds no case counts",
    ]
    if facts.consequence == "coding_sequence_variant":
        notes.append(
            "the codon change is not known at base level, so null-variant and missense criteria "
            "could not be decided"
        )
    return Classification(
        disease=disease,
        disease_basis=basis,
        classification=klass,
        points=points,
        criteria=criteria,
        notes=tuple(notes),
    )
