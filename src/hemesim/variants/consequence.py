"""Check a parsed variant against the ALAS2 reference, place it, and name its consequence.

With the shipped mRNA and exon map (the default), c. variants are checked base by base, normalised
and placed on GRCh38 by :func:`hemesim.variants.on_mrna.annotate_on_sequence`. The
codon-level path below is the fallback for a reference without the nucleotide sequence: there
c. positions are mapped to codons (codon = ceil(c/3)) and a stated reference base is checked
against the genetic code: it must be a base that some codon of the reference amino acid carries
at that codon position. The protein change of a substitution is then the set of changes that are
possible for those codons; when they all agree (e.g. c.1642C>T at Gln548: CAA/CAG -> TAA/TAG, both
stop) the result is definite. p. descriptions are checked residue by residue against P22557.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from hemesim.errors import VariantError
from hemesim.gene.genetic_code import aa3, codons_for, translate
from hemesim.gene.reference import Alas2Reference
from hemesim.variants.parse import CPos, ParsedVariant

__all__ = [
    "Annotation",
    "annotate_variant",
    "delins_as_substitution",
    "format_c",
    "shift_protein_3prime",
]

ReferenceCheck = Literal["passed", "base", "partial", "unavailable"]


@dataclass(frozen=True)
class Annotation:
    """A variant checked against the reference and placed on the transcript and protein.

    Attributes
    ----------
    hgvs_c, hgvs_p
        Canonical descriptions with accession, or ``None`` when not derivable.
    consequence
        Sequence Ontology term (``missense_variant``, ``stop_gained``, ``frameshift_variant``,
        ``splice_donor_variant``, ``5_prime_UTR_variant``, ...).
    protein_start, protein_end
        Affected residues/codons (1-based; 588 = stop codon) or ``None`` outside the CDS.
    alt_residues
        Candidate new residues (one-letter) of a substitution; several when the codon is unknown.
    candidate_consequences
        Consequences of the candidates (one entry when definite).
    splice_offset
        Intronic offset closest to the exon for splice variants (``+1``, ``-2``...).
    in_ire
        True / False when the IRE position is known, ``None`` when it is not.
    fs_ter
        Frameshift length to the new stop (HGVS ``fsTer<N>``), ``"?"`` or ``None``.
    reference_check
        ``base``: every base of the change lies on the shipped mRNA and every stated base was
        compared with it; ``partial``: exonic bases compared, intronic/flanking ones unknown;
        ``unavailable``: no base could be compared (intronic/flanking only, or no mRNA);
        ``passed``: p. input, every stated residue compared with P22557.
    notes
        What was inferred and what could not be checked.
    location
        ``{kind, number, part, label, splice_region}``: exon/intron/upstream/downstream.
    grch38
        ``{assembly, vcf: {chrom, pos, ref, alt} | None, hgvs_g, notes}`` or ``None`` (p. input).
    splice_region
        True within 1-3 exonic or 3-8 intronic bases of a splice junction (SO:0001630).
    reference_note
        Caveat on the mRNA bases used (version of the record not stated), when bases were used.
    """

    hgvs_c: str | None
    hgvs_p: str | None
    consequence: str
    protein_start: int | None = None
    protein_end: int | None = None
    alt_residues: tuple[str, ...] = ()
    candidate_consequences: tuple[str, ...] = ()
    splice_offset: int | None = None
    in_ire: bool | None = None
    fs_ter: int | str | None = None
    reference_check: ReferenceCheck = "unavailable"
    notes: tuple[str, ...] = field(default_factory=tuple)
    location: dict[str, Any] | None = None
    grch38: dict[str, Any] | None = None
    splice_region: bool = False
    reference_note: str | None = None


# ----------------------------------------------------------------------------- helpers


def _span(start: CPos, end: CPos) -> str:
    return str(start) if start == end else f"{start}_{end}"


def format_c(p: ParsedVariant) -> str:
    """Canonical c. body (without accession) of a parsed c. variant."""
    assert p.start is not None and p.end is not None
    span = _span(p.start, p.end)
    if p.edit == "sub":
        return f"c.{span}{p.ref}>{p.alt}"
    if p.edit == "del":
        return f"c.{span}del"
    if p.edit == "dup":
        return f"c.{span}dup"
    if p.edit == "ins":
        return f"c.{span}ins{p.alt}"
    if p.edit == "delins":
        return f"c.{span}delins{p.alt}"
    return f"c.{span}="


def _codon(n: int) -> tuple[int, int]:
    """c. position (>= 1) -> (codon number, 0-based position within the codon)."""
    return (n - 1) // 3 + 1, (n - 1) % 3


def _check_base(ref: Alas2Reference, n: int, base: str, text: str) -> None:
    """Raise VariantError if ``base`` cannot be the reference base at c.n."""
    if ref.cds is not None:
        actual = ref.cds[n - 1]
        if actual != base:
            raise VariantError(
                f"variant {text[:60]!r}: reference base at c.{n} is {actual}, not {base} "
                f"({ref.transcript})"
            )
        return
    codon, phase = _codon(n)
    aa = ref.residue(codon)
    codons = codons_for(aa)
    if not any(c[phase] == base for c in codons):
        possible = "/".join(sorted({c[phase] for c in codons}))
        raise VariantError(
            f"variant {text[:60]!r}: reference base {base} is impossible at c.{n}: codon {codon} "
            f"encodes {aa3(aa)}{codon} ({', '.join(codons)}), whose base {phase + 1} is "
            f"{possible}, not {base}"
        )


def _sub_outcomes(ref: Alas2Reference, n: int, base: str, alt: str) -> tuple[str, ...]:
    """New residue(s) after c.n base>alt: definite with a CDS, else all compatible codons."""
    codon, phase = _codon(n)
    cods: tuple[str, ...]
    if ref.cds is not None:
        cods = (ref.cds[3 * (codon - 1) : 3 * codon],)
    else:
        cods = tuple(c for c in codons_for(ref.residue(codon)) if c[phase] == base)
    return tuple(sorted({translate(c[:phase] + alt + c[phase + 1 :]) for c in cods}))


def _point_consequence(ref_aa: str, alt_aa: str, codon: int) -> str:
    if codon == 1 and ref_aa == "M":
        return "synonymous_variant" if alt_aa == "M" else "start_lost"
    if ref_aa == "*":
        return "stop_retained_variant" if alt_aa == "*" else "stop_lost"
    if alt_aa == "*":
        return "stop_gained"
    if alt_aa == ref_aa:
        return "synonymous_variant"
    return "missense_variant"


def _p_point(ref_aa: str, alt_aa: str, codon: int) -> str:
    cons = _point_consequence(ref_aa, alt_aa, codon)
    if cons == "start_lost":
        return "p.(Met1?)"
    if cons in ("synonymous_variant", "stop_retained_variant"):
        return f"p.({aa3(ref_aa)}{codon}=)"
    if cons == "stop_lost":
        return f"p.(Ter{codon}{aa3(alt_aa)}extTer?)"
    return f"p.({aa3(ref_aa)}{codon}{aa3(alt_aa)})"


def shift_protein_3prime(protein: str, start: int, end: int) -> tuple[int, int]:
    """Shift a deleted/duplicated residue stretch 3' (C-terminal) as far as HGVS requires.

    Parameters
    ----------
    protein
        Reference protein (one-letter).
    start, end
        1-based inclusive stretch.

    Returns
    -------
    tuple of int
        The most C-terminal equivalent stretch.
    """
    while end < len(protein) and protein[end] == protein[start - 1]:
        start, end = start + 1, end + 1
    return start, end


# ----------------------------------------------------------------------------- c. level


def _region_of(pos: CPos, ref: Alas2Reference) -> str:
    if pos.utr3:
        return "utr3"
    if pos.offset:
        return "intron"
    if pos.base < 0:
        return "utr5"
    return "cds"


def _check_within_gene(p: ParsedVariant, ref: Alas2Reference) -> None:
    """Raise VariantError for an intron offset or UTR position farther from the coding sequence
    than the whole gene spans (no such position exists on the transcript)."""
    locus = ref.locus
    if locus is None:
        return
    span = locus.end - locus.start + 1
    for pos in (p.start, p.end):
        assert pos is not None
        far = max(abs(pos.offset), -pos.base if pos.base < 0 else 0, pos.base if pos.utr3 else 0)
        if far > span:
            raise VariantError(
                f"variant {p.text[:60]!r}: c.{pos} lies {far:,} nt from the coding sequence, "
                f"farther than the whole ALAS2 gene spans ({span:,} nt, {locus.assembly} "
                f"chr{locus.chrom}:{locus.start:,}-{locus.end:,}); expected a position within "
                "the gene"
            )


def _annotate_c(p: ParsedVariant, ref: Alas2Reference) -> Annotation:
    assert p.start is not None and p.end is not None
    text = p.text
    for pos in (p.start, p.end):
        if not pos.utr3 and pos.base > ref.cds_length:
            raise VariantError(
                f"variant {text[:60]!r}: c.{pos.base} is beyond the end of the {ref.transcript} "
                f"CDS (c.1..c.{ref.cds_length}, stop codon included); use c.*N for the 3'UTR"
            )
    _check_within_gene(p, ref)
    notes: list[str] = list(p.notes)
    body = format_c(p)
    hgvs_c = f"{ref.transcript}:{body}"
    check: ReferenceCheck = "passed" if ref.has_cds else "unavailable"
    regions = {_region_of(p.start, ref), _region_of(p.end, ref)}

    # intronic / splice
    if "intron" in regions:
        return _annotate_intronic(p, ref, hgvs_c, notes)
    if regions == {"utr5"}:
        if ref.ire_c is None:
            in_ire: bool | None = None
            notes.append(
                "5'UTR: IRE position on NM_000032.5 not in package data; IRE overlap unknown"
            )
        else:
            lo, hi = ref.ire_c
            in_ire = not (p.end.base < lo or p.start.base > hi)
        notes.append(f"5'UTR reference bases not checked ({ref.provenance.get('cds', '')})")
        return Annotation(
            hgvs_c,
            None,
            "5_prime_UTR_variant",
            in_ire=in_ire,
            reference_check="unavailable",
            notes=tuple(notes),
        )
    if regions == {"utr3"}:
        notes.append("3'UTR reference bases not checked")
        return Annotation(
            hgvs_c, None, "3_prime_UTR_variant", reference_check="unavailable", notes=tuple(notes)
        )

    # coding (possibly reaching into a UTR)
    first = max(p.start.base, 1) if not p.start.utr3 else ref.cds_length
    last = ref.cds_length if p.end.utr3 else p.end.base
    c_first, _ = _codon(first)
    c_last, _ = _codon(max(first, last))
    if not ref.has_cds:
        notes.append(
            "codon-level mapping: no NM_000032.5 sequence in package data; reference "
            "bases checked against the genetic code only"
        )
    # stated reference bases
    if p.ref is not None and "cds" in regions and regions == {"cds"}:
        span_len = p.end.base - p.start.base + 1
        if p.edit != "sub" and len(p.ref) != span_len:
            raise VariantError(
                f"variant {text[:60]!r}: stated sequence {p.ref} has {len(p.ref)} nt but "
                f"c.{_span(p.start, p.end)} spans {span_len} nt"
            )
        for i, base in enumerate(p.ref):
            _check_base(ref, p.start.base + i, base, text)
    if p.edit == "identity":
        return Annotation(
            hgvs_c,
            None,
            "no_sequence_alteration",
            c_first,
            c_last,
            reference_check=check,
            notes=tuple(notes),
        )
    if p.edit in ("ins", "dup"):
        site = _insertion_site(p, ref)
        if site is not None:
            cons, why = site
            notes.append(why)
            hgvs_p = f"{ref.protein_accession}:p.(Met1?)" if cons == "start_lost" else None
            return Annotation(
                hgvs_c, hgvs_p, cons, c_first, c_last, reference_check=check, notes=tuple(notes)
            )
    if regions != {"cds"}:
        # deletion/delins reaching from a UTR into the start or the stop codon
        cons = "start_lost" if not p.start.utr3 and p.start.base < 1 else "stop_lost"
        hgvs_p = f"{ref.protein_accession}:p.(Met1?)" if cons == "start_lost" else None
        return Annotation(
            hgvs_c, hgvs_p, cons, c_first, c_last, reference_check="unavailable", notes=tuple(notes)
        )
    if p.edit == "sub":
        assert p.ref is not None and p.alt is not None
        n = p.start.base
        codon, _ = _codon(n)
        ref_aa = ref.residue(codon)
        alts = _sub_outcomes(ref, n, p.ref, p.alt)
        cands = tuple(_point_consequence(ref_aa, a, codon) for a in alts)
        distinct = sorted(set(cands))
        if len(alts) == 1:
            hgvs_p = f"{ref.protein_accession}:{_p_point(ref_aa, alts[0], codon)}"
        else:
            joined = "^".join(aa3(a) for a in alts)
            hgvs_p = f"{ref.protein_accession}:p.({aa3(ref_aa)}{codon}{joined})"
            notes.append(
                f"codon {codon} not known at base level: the change is one of "
                f"{', '.join(aa3(a) for a in alts)}"
            )
        cons = distinct[0] if len(distinct) == 1 else "coding_sequence_variant"
        return Annotation(
            hgvs_c,
            hgvs_p,
            cons,
            codon,
            codon,
            alts,
            tuple(cands),
            reference_check=check,
            notes=tuple(notes),
        )
    return _annotate_indel(p, ref, hgvs_c, c_first, c_last, check, notes)


def _annotate_indel(
    p: ParsedVariant,
    ref: Alas2Reference,
    hgvs_c: str,
    c_first: int,
    c_last: int,
    check: ReferenceCheck,
    notes: list[str],
) -> Annotation:
    assert p.start is not None and p.end is not None
    span_len = p.end.base - p.start.base + 1
    inserted = len(p.alt or "")
    if p.edit == "del":
        net = -span_len
    elif p.edit == "dup":
        net = span_len
    elif p.edit == "ins":
        net = inserted
        span_len = 0
        c_first = c_last = _codon(p.end.base)[0]
    else:  # delins
        net = inserted - span_len
    if ref.cds is not None:
        return _indel_with_cds(p, ref, check, notes)
    notes.append("3' shifting of c. indels needs the nucleotide sequence; c. kept as written")
    acc = ref.protein_accession
    if c_first == 1 and p.edit in ("del", "delins"):
        return Annotation(
            hgvs_c,
            f"{acc}:p.(Met1?)",
            "start_lost",
            1,
            c_last,
            reference_check=check,
            notes=tuple(notes),
        )
    if c_last >= ref.stop_codon and p.edit in ("del", "delins"):
        return Annotation(
            hgvs_c, None, "stop_lost", c_first, c_last, reference_check=check, notes=tuple(notes)
        )
    if net % 3:
        ref_aa = ref.residue(c_first)
        notes.append(
            f"frameshift from codon {c_first}: the first changed residue and the new "
            "stop need the nucleotide sequence (codon-level description)"
        )
        return Annotation(
            hgvs_c,
            f"{acc}:p.({aa3(ref_aa)}{c_first}fs)",
            "frameshift_variant",
            c_first,
            c_first,
            reference_check=check,
            notes=tuple(notes),
        )
    aligned = (p.start.base - 1) % 3 == 0 and span_len % 3 == 0
    if p.edit in ("del", "dup") and aligned:
        s, e = shift_protein_3prime(ref.protein, c_first, c_last)
        what = "del" if p.edit == "del" else "dup"
        stretch = (
            f"{aa3(ref.residue(s))}{s}"
            if s == e
            else f"{aa3(ref.residue(s))}{s}_{aa3(ref.residue(e))}{e}"
        )
        cons = "inframe_deletion" if what == "del" else "inframe_insertion"
        return Annotation(
            hgvs_c,
            f"{acc}:p.({stretch}{what})",
            cons,
            c_first,
            c_last,
            reference_check=check,
            notes=tuple(notes),
        )
    cons = {"del": "inframe_deletion", "dup": "inframe_insertion", "ins": "inframe_insertion"}.get(
        p.edit, "protein_altering_variant"
    )
    notes.append("in-frame change not aligned to codons: protein change needs the sequence")
    return Annotation(
        hgvs_c, None, cons, c_first, c_last, reference_check=check, notes=tuple(notes)
    )


def _insertion_site(p: ParsedVariant, ref: Alas2Reference) -> tuple[str, str] | None:
    """Consequence of an ins/dup decided by where the new bases land, or None for the codons.

    New bases go after c.``after`` (the end of a dup, the left flank of an ins).
    """
    assert p.start is not None and p.end is not None
    n = ref.cds_length
    if p.edit == "ins":
        if p.start.base == -1 and p.end.base == 1 and not p.end.utr3:
            return "5_prime_UTR_variant", "inserted before the start codon"
        if p.end.utr3:
            if p.start.base != n:
                raise VariantError(
                    f"variant {p.text[:60]!r}: c.{p.start}_{p.end} are not adjacent (the CDS "
                    f"ends at c.{n}); an insertion lies between two adjacent bases"
                )
            return "3_prime_UTR_variant", "inserted after the stop codon; protein unchanged"
        after = p.start.base
    else:
        if p.end.utr3 or p.end.base < 1:
            return None
        if p.start.base < 1:
            return "coding_sequence_variant", "duplication spanning the 5'UTR and the start codon"
        after = p.end.base
    if after == n:
        return "3_prime_UTR_variant", "new bases follow the intact stop codon; protein unchanged"
    if ref.cds is not None:
        return None
    if after in (1, 2):
        return "start_lost", "new bases interrupt the ATG start codon"
    if after in (n - 2, n - 1):
        return (
            "coding_sequence_variant",
            "new bases interrupt the stop codon; outcome needs the sequence",
        )
    return None


def _indel_with_cds(
    p: ParsedVariant, ref: Alas2Reference, check: ReferenceCheck, notes: list[str]
) -> Annotation:
    """Base-level path: 3'-shift the c. edit, translate the mutated CDS, describe the change."""
    from hemesim.variants.sequence_level import (
        CEdit,
        apply_c_edit,
        protein_change,
        shift_c_3prime,
    )

    assert p.start is not None and p.end is not None and ref.cds is not None
    edit = CEdit(p.edit, p.start.base, p.end.base, p.alt or "")
    shifted = shift_c_3prime(ref.cds, edit)
    if shifted != edit:
        notes.append(f"{edit.describe()} shifted 3' to {shifted.describe()} (HGVS 3' rule)")
    change = protein_change(ref.protein, apply_c_edit(ref.cds, shifted), ref.utr3 or "")
    return Annotation(
        f"{ref.transcript}:{shifted.describe()}",
        f"{ref.protein_accession}:{change.body}",
        change.consequence,
        change.first,
        change.last,
        fs_ter=change.fs_ter,
        reference_check=check,
        notes=tuple(notes),
    )


def _annotate_intronic(
    p: ParsedVariant, ref: Alas2Reference, hgvs_c: str, notes: list[str]
) -> Annotation:
    assert p.start is not None and p.end is not None
    s, e = p.start, p.end
    if s.base != e.base and s.offset and e.offset:
        raise VariantError(
            f"variant {p.text[:60]!r}: spans from one intron into another (a whole exon); "
            "give the exonic part and the splice sites separately"
        )
    offsets: list[int] = []
    if s.offset == 0 and e.offset > 0:
        offsets = [1]
    elif s.offset < 0 and e.offset == 0:
        offsets = [-1]
    else:
        offsets = [o for o in (s.offset, e.offset) if o]
    closest = min(offsets, key=abs)
    if ref.exon_ends_c is None:
        notes.append(
            "exon boundaries of NM_000032.5 not in package data: the splice position "
            "is taken from the notation, not checked"
        )
    notes.append("intronic reference bases not checked")
    if abs(closest) <= 2:
        cons = "splice_donor_variant" if closest > 0 else "splice_acceptor_variant"
    elif abs(closest) <= 8:
        cons = "splice_region_variant"
    else:
        cons = "intron_variant"
    codon = _codon(s.base)[0] if s.base > 0 and not s.utr3 else None
    return Annotation(
        hgvs_c,
        None,
        cons,
        codon,
        codon,
        splice_offset=closest,
        reference_check="unavailable",
        notes=tuple(notes),
    )


# ----------------------------------------------------------------------------- p. level


def _check_residue(ref: Alas2Reference, pos: int, aa: str, text: str) -> None:
    if not 1 <= pos <= ref.stop_codon:
        raise VariantError(
            f"variant {text[:60]!r}: residue {pos} is outside {ref.protein_accession} "
            f"(1..{ref.protein_length}, stop codon {ref.stop_codon})"
        )
    actual = ref.residue(pos)
    if actual != aa:
        raise VariantError(
            f"variant {text[:60]!r}: residue {pos} of {ref.protein_accession} is "
            f"{aa3(actual)} ({actual}), not {aa3(aa)} ({aa})"
        )


def _annotate_p(p: ParsedVariant, ref: Alas2Reference) -> Annotation:
    assert p.p_start is not None and p.p_end is not None and p.ref is not None
    text = p.text
    _check_residue(ref, p.p_start, p.ref, text)
    if p.p_end != p.p_start and p.p_end_ref is not None:
        _check_residue(ref, p.p_end, p.p_end_ref, text)
    s, e = p.p_start, p.p_end
    acc = ref.protein_accession
    lp, rp = ("(", ")") if p.predicted else ("", "")
    notes = list(p.notes)
    alts: tuple[str, ...] = ()
    if p.edit in ("sub", "nonsense", "synonymous", "start_loss"):
        alt = p.alt or "?"
        if p.edit == "start_loss" or (s == 1 and alt != "M"):
            cons, body = "start_lost", "Met1?"
        else:
            cons = _point_consequence(p.ref, alt, s)
            if cons == "stop_lost":
                raise VariantError(
                    f"variant {text[:60]!r}: a change of the stop codon is an extension; "
                    f"write p.Ter{s}{aa3(alt)}extTer<N> (or Ter?)"
                )
            body = f"{aa3(p.ref)}{s}=" if alt == p.ref else f"{aa3(p.ref)}{s}{aa3(alt)}"
            alts = (alt,)
        return Annotation(
            None,
            f"{acc}:p.{lp}{body}{rp}",
            cons,
            s,
            e,
            alts,
            (cons,),
            reference_check="passed",
            notes=tuple(notes),
        )
    if p.edit == "fs":
        if s >= ref.stop_codon:
            raise VariantError(
                f"variant {text[:60]!r}: a frameshift cannot start at the stop codon"
            )
        new = aa3(p.alt) if p.alt else ""
        ter = "" if p.fs_ter is None else f"Ter{p.fs_ter}"
        body = f"{aa3(p.ref)}{s}{new}fs{ter}"
        return Annotation(
            None,
            f"{acc}:p.{lp}{body}{rp}",
            "frameshift_variant",
            s,
            s,
            fs_ter=p.fs_ter,
            reference_check="passed",
            notes=tuple(notes),
        )
    if p.edit == "ext":
        ter = "?" if p.fs_ter in (None, "?") else str(p.fs_ter)
        body = f"Ter{s}{aa3(p.alt or 'X') if p.alt else ''}extTer{ter}"
        return Annotation(
            None,
            f"{acc}:p.{lp}{body}{rp}",
            "stop_lost",
            s,
            s,
            fs_ter=p.fs_ter,
            reference_check="passed",
            notes=tuple(notes),
        )
    if s == ref.stop_codon or e == ref.stop_codon:
        raise VariantError(
            f"variant {text[:60]!r}: the stop codon can only be changed by an "
            "extension (p.Ter588XaaextTerN)"
        )
    if p.edit in ("del", "dup"):
        s2, e2 = shift_protein_3prime(ref.protein, s, e)
        if (s2, e2) != (s, e):
            notes.append(f"shifted 3' from {s}_{e} to {s2}_{e2} (HGVS 3' rule)")
        stretch = (
            f"{aa3(ref.residue(s2))}{s2}"
            if s2 == e2
            else f"{aa3(ref.residue(s2))}{s2}_{aa3(ref.residue(e2))}{e2}"
        )
        cons = "inframe_deletion" if p.edit == "del" else "inframe_insertion"
        if s2 == 1:
            cons = "start_lost"
        return Annotation(
            None,
            f"{acc}:p.{lp}{stretch}{p.edit}{rp}",
            cons,
            s2,
            e2,
            reference_check="passed",
            notes=tuple(notes),
        )
    new = "".join(aa3(a) for a in (p.alt or ""))
    if "*" in (p.alt or ""):
        cons = "stop_gained"
    elif p.edit == "ins":
        cons = "inframe_insertion"
    else:
        cons = "protein_altering_variant"
    stretch = f"{aa3(p.ref)}{s}" if s == e else f"{aa3(p.ref)}{s}_{aa3(p.p_end_ref or '')}{e}"
    return Annotation(
        None,
        f"{acc}:p.{lp}{stretch}{p.edit}{new}{rp}",
        cons,
        s,
        e,
        reference_check="passed",
        notes=tuple(notes),
    )


def delins_as_substitution(p: ParsedVariant, ref: Alas2Reference) -> ParsedVariant | None:
    """The substitution a one-nucleotide coding ``delins`` of one base describes, or ``None``.

    HGVS describes the replacement of one nucleotide by one other as a substitution
    (``c.1355G>A``, not ``c.1355delinsA``). The reference base is the transcript's, or, without
    the nucleotide sequence, the base every codon of the reference residue has at that position
    (G at the second base of any Arg codon). ``None`` when it is not one coding nucleotide,
    when the base cannot be known, or when the new base equals it (no change).
    """
    if p.level != "c" or p.edit != "delins" or p.start is None or p.start != p.end:
        return None
    if ref.mrna is not None:
        return None  # the sequence-level path normalises every delins itself
    pos = p.start
    if not pos.in_cds_numbering or pos.base > ref.cds_length or len(p.alt or "") != 1:
        return None
    if ref.cds is not None:
        base = ref.cds[pos.base - 1]
    else:
        codon, phase = _codon(pos.base)
        bases = {c[phase] for c in codons_for(ref.residue(codon))}
        if len(bases) != 1:
            return None
        base = bases.pop()
    if p.ref is not None and p.ref != base:
        return None  # a stated base that differs is reported by the reference check
    if base == p.alt:
        return None
    note = (
        f"{format_c(p)} replaces one nucleotide by one: described as the substitution "
        f"c.{pos}{base}>{p.alt} (HGVS)"
    )
    return replace(p, edit="sub", ref=base, notes=(*p.notes, note))


def annotate_variant(p: ParsedVariant, ref: Alas2Reference) -> Annotation:
    """Check ``p`` against ``ref`` and describe its consequence.

    Raises
    ------
    VariantError
        Reference mismatch (quoting the stated and the reference base/residue), out-of-range
        position, or an unsupported combination.
    """
    if p.level == "c":
        if ref.mrna is not None and ref.tx_map is not None:
            from hemesim.variants.on_mrna import annotate_on_sequence

            return annotate_on_sequence(p, ref)
        return _annotate_c(p, ref)
    return _annotate_p(p, ref)
