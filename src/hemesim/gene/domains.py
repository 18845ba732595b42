"""Domain map of the ALAS2 precursor (UniProt P22557 numbering), with sources.

Regions are intervals of residues; sites are single residues or short stretches with a catalytic
or binding role. :func:`annotate` returns what a residue lies in, innermost first.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Region",
    "REGIONS",
    "PLP_LYSINE",
    "CATALYTIC_HIS",
    "ACTIVE_SITE_RESIDUES",
    "GOF_TRUNCATION_WINDOW",
    "AUTOINHIBITORY_HELIX",
    "annotate",
    "is_active_site",
    "in_catalytic_core",
]

BAILEY_2020 = "Bailey HJ et al. Nat Commun 2020;11:2813 (PMID 32499479), full text and PDB 6HRH"
UNIPROT = "UniProtKB P22557 FT lines (entry version 233)"
DUCAMP_2013 = "Ducamp S et al. Hum Mol Genet 2013 (engineered A539X, G544X, G576X, V583X)"


@dataclass(frozen=True)
class Region:
    """A named stretch of the ALAS2 precursor.

    Attributes
    ----------
    name
        Human-readable name.
    start, end
        1-based inclusive residue numbers.
    kind
        ``region`` (structural domain) or ``site`` (catalytic/binding residue).
    source
        Citation for the assignment.
    """

    name: str
    start: int
    end: int
    kind: str
    source: str

    def contains(self, position: int) -> bool:
        """True if ``position`` lies in ``start..end``."""
        return self.start <= position <= self.end

    @property
    def length(self) -> int:
        """Number of residues."""
        return self.end - self.start + 1


PLP_LYSINE = 391
"""Lys391 forms the Schiff base with PLP (UniProt MOD_RES 391; Bailey 2020)."""

CATALYTIC_HIS = 285
"""His285, catalytic histidine (Bailey 2020 full text, as summarised in science.md)."""

PLP_CONTACTS: tuple[int, ...] = (257, 258, 259, 332, 357, 358, 359, 360, 388, 420, 421)
"""Residues contacting PLP, some from the other subunit (Bailey 2020; UniProt BINDING)."""

SUCCINYL_COA_BINDING: tuple[int, ...] = (163, 280, 299, 508)
"""Succinyl-CoA binding residues, by similarity to P18079 (UniProt BINDING)."""

ACTIVE_SITE_LOOP = (505, 514)
"""Mobile active-site loop 505-514 carrying Arg511 (Bailey 2020)."""

AUTOINHIBITORY_HELIX = (568, 575)
"""C-terminal helix a15 lying over the active site (Glu569-Arg511 salt bridge; Bailey 2020)."""

GOF_TRUNCATION_WINDOW = (539, 575)
"""Premature ends from codon 539 up to the helix give gain of function (Ducamp 2013: A539X and
G544X truncations are gain of function; the helix 568-575 is the autoinhibitory element)."""

ACTIVE_SITE_RESIDUES: frozenset[int] = frozenset(
    {PLP_LYSINE, CATALYTIC_HIS, *PLP_CONTACTS, *SUCCINYL_COA_BINDING}
    | set(range(ACTIVE_SITE_LOOP[0], ACTIVE_SITE_LOOP[1] + 1))
)
"""Residues whose substitution is taken as a severe loss (rule ``missense_active_site``)."""

REGIONS: tuple[Region, ...] = (
    Region("mitochondrial presequence", 1, 49, "region", UNIPROT + " TRANSIT (PMID 14643893)"),
    Region("N-terminal region of the mature enzyme", 50, 142, "region", BAILEY_2020),
    Region("catalytic core", 143, 544, "region", BAILEY_2020),
    Region("catalytic core subdomain 1 (143-195)", 143, 195, "region", BAILEY_2020),
    Region("catalytic core subdomain 2, PLP-binding (196-439)", 196, 439, "region", BAILEY_2020),
    Region("catalytic core subdomain 3 (440-544)", 440, 544, "region", BAILEY_2020),
    Region("mobile active-site loop (505-514)", 505, 514, "region", BAILEY_2020),
    Region("C-terminal extension (545-587)", 545, 587, "region", BAILEY_2020),
    Region("autoinhibitory helix a15 (568-575)", 568, 575, "region", BAILEY_2020),
    Region(
        "XLP gain-of-function truncation window (539-575)",
        GOF_TRUNCATION_WINDOW[0],
        GOF_TRUNCATION_WINDOW[1],
        "region",
        DUCAMP_2013,
    ),
    Region("PLP Schiff-base lysine (Lys391)", 391, 391, "site", UNIPROT + "; " + BAILEY_2020),
    Region("catalytic histidine (His285)", 285, 285, "site", BAILEY_2020),
    *(Region(f"PLP contact ({p})", p, p, "site", BAILEY_2020) for p in PLP_CONTACTS),
    *(
        Region(f"succinyl-CoA binding ({p}, by similarity)", p, p, "site", UNIPROT)
        for p in SUCCINYL_COA_BINDING
    ),
    Region("Arg511 (loop, salt bridge to Glu569)", 511, 511, "site", BAILEY_2020),
)
"""All regions and sites, outermost first within each kind."""


def annotate(position: int) -> tuple[Region, ...]:
    """Regions and sites containing a residue, innermost (shortest) first.

    Parameters
    ----------
    position
        1-based residue number of the precursor (1..587; 588 is the stop codon).
    """
    hits = [r for r in REGIONS if r.contains(position)]
    return tuple(sorted(hits, key=lambda r: (r.length, r.start)))


def is_active_site(position: int) -> bool:
    """True for the PLP lysine, catalytic His, PLP contacts, succinyl-CoA residues, loop 505-514."""
    return position in ACTIVE_SITE_RESIDUES


def in_catalytic_core(position: int) -> bool:
    """True for residues 143-544 (Bailey 2020)."""
    return 143 <= position <= 544
