"""PVS1 for ALAS2 by the ClinGen SVI decision tree (Abou Tayoun et al. Hum Mutat 2018).

Abou Tayoun AN et al., "Recommendations for interpreting the loss of function PVS1 ACMG/AMP
variant criterion", Hum Mutat 2018;39:1517 (PMID 30192042), Figure 1, for a gene where loss of
function is the disease mechanism:

* **nonsense / frameshift**: a premature stop more than 50-55 nt upstream of the last exon-exon
  junction is predicted to trigger nonsense-mediated decay (NMD) -> PVS1. Otherwise (last exon,
  or the 3'-most 50 nt of the penultimate exon) -> PVS1_Strong if the lost region is critical to
  protein function, else PVS1_Strong if more than 10 % of the protein is lost, else
  PVS1_Moderate;
* **canonical splice site (+-1, +-2)**: exon skipping is assumed (no RNA data): a skipped exon
  that shifts the frame and is followed by NMD -> PVS1; frame kept (or NMD escaped) -> the same
  critical-region / 10 % questions -> PVS1_Strong or PVS1_Moderate;
* **initiation codon**: no pathogenic variant known upstream of the nearest in-frame start ->
  PVS1_Supporting (PVS1_Moderate when one is known).

ALAS2 specifics:

* XLSA is the loss-of-function disease (Cotter et al. PNAS 1992, PMID 1570328, first ALAS2
  mutation); XLP is a **gain** of function (Whatley et al. Am J Hum Genet 2008, PMID 18760763):
  for XLP, PVS1 does not apply, and the C-terminal truncations in the gain-of-function window
  (codons 539-575, :data:`hemesim.gene.domains.GOF_TRUNCATION_WINDOW`) act by gain, not as null
  alleles, so they are never PVS1;
* the critical region is the catalytic core, residues 143-544 (Bailey et al. Nat Commun 2020,
  PMID 32499479; :mod:`hemesim.gene.domains`);
* exons: :data:`CODING_EXONS` below, from the exon table of shared/data
  (``alas2_exons_grch38.tsv``: 11 exons of NM_000032 on GRCh38, from the PyPI package spliceai
  1.3.1 annotation; lengths add up to the mRNA record). The last exon-exon junction is between
  c.1600 and c.1601, so a stop codon starting at c.1551 or later (codon 518 on) escapes NMD.
"""

from __future__ import annotations

from hemesim.gene.domains import GOF_TRUNCATION_WINDOW, in_catalytic_core
from hemesim.variants.acmg.criterion import Criterion
from hemesim.variants.acmg.facts import PROTEIN_LENGTH, STOP_CODON, VariantFacts

__all__ = ["CODING_EXONS", "NMD_BOUNDARY_C", "evaluate_pvs1", "nmd_predicted"]

ABOU_TAYOUN = "Abou Tayoun 2018 Hum Mutat (PMID:30192042)"
LOF_MECHANISM = "loss of function is the XLSA mechanism (Cotter 1992, PMID:1570328)"

CODING_EXONS: tuple[tuple[int, int, int], ...] = (
    (1, -138, -16),
    (2, -15, 181),
    (3, 182, 304),
    (4, 305, 415),
    (5, 416, 638),
    (6, 639, 823),
    (7, 824, 1003),
    (8, 1004, 1168),
    (9, 1169, 1437),
    (10, 1438, 1600),
    (11, 1601, 1764),
)
"""``(exon, first c., last c.)`` of each exon up to the stop codon (exon 1 is 5'UTR; exon 11
continues into the 3'UTR as c.*1-*125). Source: shared/data alas2_exons_grch38.tsv."""

CDS_END = 3 * STOP_CODON  # c.1764, last base of the stop codon
NMD_BOUNDARY_C = CODING_EXONS[-2][2] - 49
"""c.1551: a stop codon whose first base lies here or later escapes NMD (the last 50 nt of the
penultimate exon, which ends at c.1600, and the whole last exon)."""

CORE = (143, 544)


def nmd_predicted(ptc_codon: int) -> bool:
    """True when a premature stop at codon ``ptc_codon`` is predicted to trigger NMD."""
    return 3 * (ptc_codon - 1) + 1 < NMD_BOUNDARY_C


def _not_applicable(why: str) -> Criterion:
    return Criterion("PVS1", "very_strong", False, why)


def _truncation_strength(first_lost: int, what: str) -> Criterion:
    """The NMD-escaping branch: residues ``first_lost``..587 are missing or changed."""
    lost = PROTEIN_LENGTH - first_lost + 1
    share = lost / PROTEIN_LENGTH
    if first_lost <= CORE[1]:
        return Criterion(
            "PVS1",
            "strong",
            True,
            f"{what}; NMD not predicted (stop in the last exon or the last 50 nt of exon 10), "
            f"but it removes residues {first_lost}-{PROTEIN_LENGTH}, which include part of the "
            f"catalytic core 143-544 (Bailey 2020, PMID:32499479): critical region, "
            f"PVS1_Strong ({ABOU_TAYOUN}); {LOF_MECHANISM}",
        )
    if share > 0.10:
        return Criterion(
            "PVS1",
            "strong",
            True,
            f"{what}; NMD not predicted; removes {lost} of {PROTEIN_LENGTH} residues "
            f"({share:.0%} > 10%): PVS1_Strong ({ABOU_TAYOUN})",
        )
    return Criterion(
        "PVS1",
        "moderate",
        True,
        f"{what}; NMD not predicted; removes {lost} of {PROTEIN_LENGTH} residues ({share:.1%}, "
        f"< 10%) outside the catalytic core, a region of unknown role: PVS1_Moderate "
        f"({ABOU_TAYOUN}); the direction of C-terminal changes is not settled in ALAS2",
    )


def _truncating(facts: VariantFacts) -> Criterion:
    first = facts.residue
    ptc = facts.ptc
    kind = "nonsense" if facts.consequence == "stop_gained" else "frameshift"
    if first is None:
        return Criterion("PVS1", "very_strong", None, f"{kind} at an unknown codon: not evaluated")
    if GOF_TRUNCATION_WINDOW[0] <= first <= GOF_TRUNCATION_WINDOW[1]:
        return _not_applicable(
            f"{kind} starting at codon {first}, inside the gain-of-function window "
            f"{GOF_TRUNCATION_WINDOW[0]}-{GOF_TRUNCATION_WINDOW[1]}: such C-terminal truncations "
            "raise ALAS2 activity (XLP; Ducamp 2013 Hum Mol Genet 22:1280; Bailey 2020, "
            "PMID:32499479), so they are not null alleles and PVS1 does not apply"
        )
    if ptc is None:
        exon10 = (CODING_EXONS[-2][1] - 1) // 3 + 1  # codon 480, first of the penultimate exon
        if kind == "frameshift" and first >= exon10:
            return Criterion(
                "PVS1",
                "very_strong",
                None,
                f"frameshift from codon {first}, in the last two exons, with its new stop not "
                "known (no transcript sequence): whether it escapes NMD cannot be decided; not "
                "evaluated",
            )
        ptc = first
        where = f"{kind} from codon {first} (new stop position not stated: taken at codon {first})"
    else:
        where = f"{kind} from codon {first}, new stop at codon {ptc}"
    if ptc > STOP_CODON:
        return _not_applicable(
            f"{where}: past the normal stop (codon {STOP_CODON}), so the protein is elongated, "
            "not truncated; PVS1 does not apply (see PM4)"
        )
    if nmd_predicted(ptc):
        return Criterion(
            "PVS1",
            "very_strong",
            True,
            f"{where}: predicted to undergo nonsense-mediated decay (stop more than 50 nt "
            f"upstream of the last exon-exon junction, c.1600/c.1601): PVS1 ({ABOU_TAYOUN}); "
            f"{LOF_MECHANISM}",
        )
    return _truncation_strength(first, where)


def _exon_at_boundary(base: int, offset: int) -> int | None:
    for exon, start, end in CODING_EXONS:
        if offset > 0 and base == end:
            return exon
        if offset < 0 and base == start:
            return exon
    return None


def _splice(facts: VariantFacts) -> Criterion:
    pos = facts.c_start
    if pos is None or pos.offset == 0 or abs(pos.offset) > 2:
        return Criterion(
            "PVS1",
            "very_strong",
            None,
            "canonical splice variant without an intronic c. position: not evaluated",
        )
    exon = _exon_at_boundary(pos.base, pos.offset)
    site = f"c.{pos} ({'donor' if pos.offset > 0 else 'acceptor'})"
    if exon is None:
        return Criterion(
            "PVS1",
            "very_strong",
            None,
            f"{site} does not border an exon of the exon table: not evaluated",
        )
    _, start, end = CODING_EXONS[exon - 1]
    if end < 1:
        return _not_applicable(f"{site} borders exon 1, which is 5'UTR only: no coding change")
    if start < 1:
        return Criterion(
            "PVS1",
            "supporting",
            True,
            f"{site} borders exon 2, which holds the start codon: skipping it removes the "
            f"initiator; treated as an initiation-codon loss, PVS1_Supporting ({ABOU_TAYOUN})",
        )
    coding = min(end, CDS_END) - start + 1
    first_codon = (start - 1) // 3 + 1
    last_codon = min((min(end, CDS_END) - 1) // 3 + 1, STOP_CODON)
    what = (
        f"{site} of exon {exon} (c.{start}-c.{end}, {coding} coding nt); exon skipping assumed "
        "(no RNA data)"
    )
    if coding % 3:
        # the shifted frame starts in the next exon; where its stop falls needs the sequence,
        # so NMD is assumed when the shifted frame starts upstream of c.1551
        if end + 1 < NMD_BOUNDARY_C:
            return Criterion(
                "PVS1",
                "very_strong",
                True,
                f"{what}: skipping shifts the frame from c.{end + 1}, upstream of the last 50 nt "
                f"of exon 10, so NMD is predicted (the new stop's exact position needs the "
                f"transcript sequence): PVS1 ({ABOU_TAYOUN}); {LOF_MECHANISM}",
            )
        return _truncation_strength(first_codon, what + ": skipping shifts the frame")
    lost_core = any(in_catalytic_core(r) for r in range(first_codon, last_codon + 1))
    lost = last_codon - first_codon + 1
    if lost_core:
        return Criterion(
            "PVS1",
            "strong",
            True,
            f"{what}: skipping keeps the frame and removes codons {first_codon}-{last_codon} of "
            f"the catalytic core 143-544 (critical region): PVS1_Strong ({ABOU_TAYOUN})",
        )
    share = lost / PROTEIN_LENGTH
    strength = "strong" if share > 0.10 else "moderate"
    return Criterion(
        "PVS1",
        strength,
        True,
        f"{what}: skipping keeps the frame and removes {lost} codons ({share:.0%} of the "
        f"protein) outside the catalytic core: PVS1_{strength.capitalize()} ({ABOU_TAYOUN})",
    )


def evaluate_pvs1(facts: VariantFacts, disease: str, known_upstream_pathogenic: bool) -> Criterion:
    """PVS1 for ``facts`` and the disease whose mechanism applies (``XLSA`` or ``XLP``).

    Parameters
    ----------
    facts
        The variant.
    disease
        ``XLSA`` (loss of function) or ``XLP`` (gain of function).
    known_upstream_pathogenic
        A curated pathogenic variant lies between codon 2 and the next in-frame Met (Met6):
        start-loss variants are then PVS1_Moderate instead of PVS1_Supporting.
    """
    cons = facts.consequence
    null_like = cons in (
        "stop_gained",
        "frameshift_variant",
        "splice_donor_variant",
        "splice_acceptor_variant",
        "start_lost",
    )
    if not null_like:
        return _not_applicable(f"{cons.replace('_', ' ')}: not a null (loss-of-function) variant")
    if disease == "XLP":
        return _not_applicable(
            "XLP is caused by gain of ALAS2 function (Whatley 2008, PMID:18760763), so a null "
            "allele is not its mechanism; PVS1 does not apply"
        )
    if cons in ("stop_gained", "frameshift_variant"):
        return _truncating(facts)
    if cons in ("splice_donor_variant", "splice_acceptor_variant"):
        return _splice(facts)
    # start_lost: the next in-frame methionine is Met6 (P22557 sequence)
    if known_upstream_pathogenic:
        return Criterion(
            "PVS1",
            "moderate",
            True,
            "initiation codon lost; a pathogenic variant is known upstream of Met6, the next "
            f"in-frame start: PVS1_Moderate ({ABOU_TAYOUN})",
        )
    return Criterion(
        "PVS1",
        "supporting",
        True,
        "initiation codon lost; the next in-frame start is Met6 and no pathogenic variant is "
        f"curated upstream of it: PVS1_Supporting ({ABOU_TAYOUN})",
    )
