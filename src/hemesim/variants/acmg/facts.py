"""What the classification needs to know about a variant, read from its report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hemesim.errors import VariantError
from hemesim.variants.parse import CPos, ParsedVariant, parse

if TYPE_CHECKING:
    from hemesim.variants.interpret import VariantReport

__all__ = ["PROTEIN_LENGTH", "STOP_CODON", "VariantFacts", "facts_of"]

PROTEIN_LENGTH = 587
"""Residues of the ALAS2 precursor (UniProt P22557); codon 588 is the stop."""
STOP_CODON = PROTEIN_LENGTH + 1


@dataclass(frozen=True)
class VariantFacts:
    """The parts of a :class:`~hemesim.variants.interpret.VariantReport` the criteria use.

    Attributes
    ----------
    consequence
        Sequence Ontology term.
    residue, residue_end
        First and last affected residue (codon) of the precursor, or ``None``.
    ptc
        Codon number of the new stop for ``stop_gained`` and frameshifts (from ``fsTer``), or
        ``None`` when not known; a value above 588 means the protein is elongated.
    c_start, c_end
        c. positions of the change (``None`` for protein-level input).
    p_edit, ref_residue, alt_residue
        Protein edit (``sub``, ``nonsense``, ``fs`` ...) and the one-letter residues of a
        missense change.
    effect_class, effect_source
        The variant stage's predicted effect and its rule or record.
    """

    consequence: str
    residue: int | None
    residue_end: int | None
    ptc: int | None
    c_start: CPos | None
    c_end: CPos | None
    p_edit: str | None
    ref_residue: str | None
    alt_residue: str | None
    effect_class: str
    effect_source: str

    @property
    def is_missense(self) -> bool:
        """A single-residue substitution to another amino acid."""
        return self.consequence == "missense_variant" and self.alt_residue is not None


def _parse_body(hgvs: str | None) -> ParsedVariant | None:
    if not hgvs:
        return None
    body = hgvs.split(":", 1)[1] if ":" in hgvs else hgvs
    try:
        return parse(body)
    except VariantError:
        return None


def facts_of(report: VariantReport) -> VariantFacts:
    """Read the facts of a variant report (canonical c. and p. are re-parsed)."""
    c = _parse_body(report.hgvs_c)
    p = _parse_body(report.hgvs_p)
    residue = report.domain.get("residue") if isinstance(report.domain, dict) else None
    residue_end = None
    p_edit = ref_res = alt_res = None
    ptc = None
    if p is not None and p.level == "p":
        p_edit = p.edit
        residue = p.p_start if p.p_start is not None else residue
        residue_end = p.p_end if p.p_end is not None else residue
        if p.edit == "sub":
            ref_res, alt_res = p.ref, p.alt
        if p.edit == "nonsense":
            ptc = p.p_start
        elif p.edit == "fs" and isinstance(p.fs_ter, int) and p.p_start is not None:
            ptc = p.p_start + p.fs_ter - 1
    if report.consequence == "stop_gained" and ptc is None and isinstance(residue, int):
        ptc = residue
    return VariantFacts(
        consequence=report.consequence,
        residue=residue if isinstance(residue, int) else None,
        residue_end=residue_end if isinstance(residue_end, int) else None,
        ptc=ptc,
        c_start=None if c is None else c.start,
        c_end=None if c is None else c.end,
        p_edit=p_edit,
        ref_residue=ref_res,
        alt_residue=alt_res,
        effect_class=report.effect.effect_class,
        effect_source=report.effect.source,
    )
