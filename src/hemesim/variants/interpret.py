"""``hemesim.variant(text)``: parse, check, place and interpret one ALAS2 variant."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hemesim.errors import VariantError
from hemesim.gene.curated import CuratedVariant, curated_variants
from hemesim.gene.domains import annotate as annotate_residue
from hemesim.gene.reference import Alas2Reference, load_reference
from hemesim.provenance import provenance
from hemesim.variants.consequence import (
    Annotation,
    annotate_variant,
    delins_as_substitution,
    format_c,
)
from hemesim.variants.effect_curated import curated_effect
from hemesim.variants.effect_rules import apply_rules
from hemesim.variants.effect_types import Effect
from hemesim.variants.parse import ParsedVariant, parse

__all__ = ["VariantReport", "interpret", "curated_index"]


@dataclass(frozen=True)
class VariantReport:
    """What one ALAS2 variant is and does.

    Attributes
    ----------
    input
        The text as given.
    hgvs_c, hgvs_p
        Canonical descriptions (``None`` when not derivable from the input).
    consequence
        Sequence Ontology term.
    domain
        ``residue`` and the ``regions``/sites containing it (innermost first).
    known
        The curated record, or ``None``.
    effect
        What the model should change (an :class:`Effect`).
    reference_check
        ``base`` (every base compared with the shipped mRNA), ``partial`` (exonic bases
        compared, intronic/flanking ones unknown), ``unavailable`` (none could be compared) or
        ``passed`` (p. input, residues compared with P22557).
    provenance
        Software, version, input, reference data used, time.
    notes
        What was inferred and what could not be checked.
    location
        Exon / intron / upstream / downstream placement (``None`` for p. input).
    grch38
        ``{assembly, vcf, hgvs_g, notes}``: the GRCh38 VCF record and g. HGVS (``None`` for p.).
    reference_note
        Caveat on the mRNA bases (a copy of NM_000032 whose version is not stated), when used.
    """

    input: str
    hgvs_c: str | None
    hgvs_p: str | None
    consequence: str
    domain: dict[str, Any]
    known: CuratedVariant | None
    effect: Effect
    reference_check: str
    provenance: dict[str, Any]
    notes: tuple[str, ...] = field(default_factory=tuple)
    location: dict[str, Any] | None = None
    grch38: dict[str, Any] | None = None
    reference_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the keys of the output contract (plus ``notes``)."""
        return {
            "input": self.input,
            "hgvs_c": self.hgvs_c,
            "hgvs_p": self.hgvs_p,
            "consequence": self.consequence,
            "domain": self.domain,
            "known": None if self.known is None else self.known.to_dict(),
            "effect": self.effect.to_dict(),
            "reference_check": self.reference_check,
            "reference_note": self.reference_note,
            "location": self.location,
            "grch38": self.grch38,
            "provenance": self.provenance,
            "notes": list(self.notes),
        }


def _p_key(p: ParsedVariant) -> tuple[Any, ...]:
    if p.edit == "fs":
        return ("fs", p.p_start)
    return (p.edit, p.p_start, p.p_end, p.alt)


@lru_cache(maxsize=1)
def curated_index() -> tuple[dict[str, CuratedVariant], dict[tuple[Any, ...], CuratedVariant]]:
    """Curated variants indexed by canonical c. body and by protein change key."""
    by_c: dict[str, CuratedVariant] = {}
    by_p: dict[tuple[Any, ...], CuratedVariant] = {}
    ref = load_reference()
    for rec in curated_variants():
        if rec.hgvs_c:
            parsed = parse(rec.hgvs_c)
            by_c[format_c(parsed)] = rec
            try:  # also by its normalised form (3' rule on the sequence)
                normalised = annotate_variant(parsed, ref).hgvs_c
            except VariantError:
                normalised = None
            if normalised:
                by_c.setdefault(normalised.split(":", 1)[1], rec)
        if rec.hgvs_p:
            by_p[_p_key(parse(rec.hgvs_p))] = rec
    return by_c, by_p


def _find_known(parsed: ParsedVariant, ann: Annotation) -> CuratedVariant | None:
    by_c, by_p = curated_index()
    if parsed.level == "c":
        rec = by_c.get(ann.hgvs_c.split(":", 1)[1]) if ann.hgvs_c else None
        rec = rec or by_c.get(format_c(parsed))
        if rec is not None:
            return rec
        if ann.hgvs_p and len(ann.alt_residues) == 1 and ann.consequence != "frameshift_variant":
            body = ann.hgvs_p.split(":", 1)[1]
            try:
                return by_p.get(_p_key(parse(body)))
            except VariantError:
                return None
        return None
    rec = by_p.get(_p_key(parsed))
    if rec is not None and parsed.edit == "fs" and parsed.fs_ter is not None:
        known = parse(rec.hgvs_p)
        if known.fs_ter != parsed.fs_ter or (parsed.alt and known.alt != parsed.alt):
            return None
    return rec


def _domain(ann: Annotation, ref: Alas2Reference) -> dict[str, Any]:
    cons = ann.consequence
    if cons == "5_prime_UTR_variant":
        return {"residue": None, "regions": ["5'UTR" + (" (IRE)" if ann.in_ire else "")]}
    if cons == "3_prime_UTR_variant":
        return {"residue": None, "regions": ["3'UTR"]}
    pos = ann.protein_start
    if pos is None:
        label = (ann.location or {}).get("label") or "intron"
        return {"residue": None, "regions": [label]}
    if pos >= ref.stop_codon:
        return {"residue": pos, "regions": ["stop codon"]}
    regions = annotate_residue(pos)
    out: dict[str, Any] = {"residue": pos, "regions": [r.name for r in regions]}
    if cons.startswith("splice") or cons == "intron_variant":
        out["regions"] = ["intron next to codon " + str(pos)]
    out["sources"] = sorted({r.source for r in regions})
    return out


def _check_stated_p(parsed: ParsedVariant, hgvs_p: str | None) -> str | None:
    """The note on a ClinVar title's p. part; a VariantError when it contradicts the c. part."""
    if parsed.stated_p is None:
        return None
    stated = parse(parsed.stated_p)
    derived = parse(hgvs_p.split(":", 1)[1]) if hgvs_p else None
    if derived is None or _p_key(stated) != _p_key(derived):
        raise VariantError(
            f"variant {parsed.text[:80]!r}: the title's {parsed.stated_p} does not match "
            f"{hgvs_p or 'no protein change'}, which its c. part gives on the reference"
        )
    return f"the title's {parsed.stated_p} matches the p. derived from its c. part"


def interpret(text: str) -> VariantReport:
    """Interpret one ALAS2 variant.

    Parameters
    ----------
    text
        ``NM_000032.5:c.1355G>A``, ``c.1706_1709del``, ``p.Arg452His``, ``p.(Arg452His)``,
        ``p.R452H``, ``R452H``, ``p.Gln548*``, ``p.Glu569Glyfs*24``...

    Returns
    -------
    VariantReport
        Canonical forms, consequence, domain, curated record, effect, reference check,
        provenance. ``report.effect`` is what the model applies.

    Raises
    ------
    VariantError
        Malformed text, unknown transcript, out-of-range position or reference mismatch
        (one line, quoting the stated and the reference base or residue).
    """
    ref = load_reference()
    parsed = parse(text)
    parsed = delins_as_substitution(parsed, ref) or parsed
    ann = annotate_variant(parsed, ref)
    notes = list(ann.notes)
    stated_note = _check_stated_p(parsed, ann.hgvs_p)
    if stated_note:
        notes.append(stated_note)
    known = _find_known(parsed, ann)
    rule_effect = apply_rules(ann)
    hgvs_p = ann.hgvs_p
    consequence = ann.consequence
    if known is not None and not known.provisional:
        if parsed.level == "c" and known.hgvs_p:
            curated_p = f"{ref.protein_accession}:{known.hgvs_p}"
            if hgvs_p != curated_p:
                notes.append(
                    f"p. from the curated record ({known.certainty}); codon-level "
                    f"prediction was {hgvs_p}"
                )
                hgvs_p = curated_p
            if consequence == "coding_sequence_variant":
                kp = parse(known.hgvs_p)
                consequence = {
                    "sub": "missense_variant",
                    "nonsense": "stop_gained",
                    "synonymous": "synonymous_variant",
                }.get(kp.edit, consequence)
    elif known is not None:
        notes.append("curated record is provisional (certainty 'unsure'): effect from rules")
    effect = curated_effect(
        rule_effect,
        known if known is not None and not known.provisional else None,
        hgvs_p=hgvs_p,
        hgvs_c=ann.hgvs_c,
    )
    prov = provenance("hemesim.variant", {"input": text})
    prov["reference"] = ref.to_dict()
    prov["curated_data"] = [
        "hemesim/gene/data/alas2_curated_variants.csv",
        "hemesim/gene/data/alas2_mechanisms.csv",
        "hemesim/gene/data/rule_default_ranges.csv",
    ]
    return VariantReport(
        input=text,
        hgvs_c=ann.hgvs_c,
        hgvs_p=hgvs_p,
        consequence=consequence,
        domain=_domain(ann, ref),
        known=known,
        effect=effect,
        reference_check=ann.reference_check,
        provenance=prov,
        notes=tuple(notes),
        location=ann.location,
        grch38=ann.grch38,
        reference_note=ann.reference_note,
    )
