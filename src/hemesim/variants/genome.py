"""GRCh38 forms of ALAS2 variants: ``NC_000023.11:g.`` HGVS and VCF records, in and out.

Input: a g. description (``NC_000023.11:g.55014830G>A``) or one VCF allele (``X-55014830-G-A``,
``chrX:55014830:G:A``, ``X 55014830 . G A``) is placed on the transcript with the exon map
(:class:`hemesim.gene.coordinates.TranscriptMap`; ALAS2 lies on the minus strand, so the bases are
reverse-complemented) and becomes a c. description that the variant stage checks and normalises
like any other. A VCF REF is compared with the reference wherever the base is known (exonic).

Output: :func:`genomic_forms` gives the left-normalised VCF record (with its padding base, known
from the mRNA when exonic) and the g. HGVS (3'-shifted on the plus strand).

Mapping and normalisation are done here on the shipped mRNA and exon table, not with the biocommons
``hgvs`` package: its mapper and normaliser need a UTA database and a sequence provider, which are
not reachable offline. ``hgvs`` is used only to parse the g. grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hemesim.errors import GeneError, VariantError
from hemesim.gene.coordinates import CPos
from hemesim.gene.reference import Alas2Reference, load_reference

__all__ = [
    "CHROM_ACCESSION",
    "GenomicForms",
    "genomic_forms",
    "genomic_to_parsed",
    "is_genomic_input",
    "plus_base",
    "revcomp",
    "vcf_allele_to_parsed",
]

CHROM_ACCESSION = "NC_000023.11"
"""RefSeq accession of GRCh38 chromosome X."""

_COMP = str.maketrans("ACGTNacgtn", "TGCANtgcan")
_CHROM = r"(?:chr)?(?:X|23)|NC_000023\.11"
_VCF_RE = re.compile(
    rf"^({_CHROM})[-:\s]+(\d{{1,12}})(?:\s+\S+)?[-:\s]+([ACGTNacgtn]+)[-:>\s]+(\S+)$", re.I
)
_G_RE = re.compile(r"^(NC_0000\d\d(?:\.\d+)?|(?:chr)?[0-9XYM]{1,2})(?:\([^)]*\))?:(g\..*)$", re.I)
_REF_NOTE_UNKNOWN = "the genome sequence is not shipped: only exonic bases are known"


def revcomp(seq: str) -> str:
    """Reverse complement of a DNA sequence (A/C/G/T/N)."""
    return seq.translate(_COMP)[::-1]


def plus_base(ref: Alas2Reference, g: int) -> str | None:
    """Plus-strand GRCh38 base at ``g`` when it is an mRNA base, else ``None`` (unknown)."""
    tm, mrna = ref.tx_map, ref.mrna
    assert tm is not None and mrna is not None
    m = tm.g_to_m(g)
    return None if m is None else revcomp(mrna[m - 1])


def is_genomic_input(text: str) -> bool:
    """True when ``text`` looks like a g. description or a VCF allele (not c./p.)."""
    t = text.strip()
    return bool(_G_RE.match(t) or _VCF_RE.match(t))


# ----------------------------------------------------------------------------- output


@dataclass(frozen=True)
class GenomicForms:
    """GRCh38 descriptions of one variant.

    Attributes
    ----------
    vcf
        ``{"chrom", "pos", "ref", "alt"}``, left-normalised, with the padding base for indels;
        ``None`` when a needed base is unknown (intronic / flanking) or nothing changes.
    hgvs_g
        ``NC_000023.11:g.`` description (3'-shifted on the plus strand when the bases are known).
    notes
        What could not be given and why.
    """

    vcf: dict[str, Any] | None
    hgvs_g: str | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{assembly, vcf, hgvs_g, notes}``."""
        return {
            "assembly": "GRCh38",
            "vcf": None if self.vcf is None else dict(self.vcf),
            "hgvs_g": self.hgvs_g,
            "notes": list(self.notes),
        }


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}_{hi}"


def genomic_forms(
    ref: Alas2Reference,
    kind: str,
    g_lo: int,
    g_hi: int,
    alt_tx: str,
    stated_plus: dict[int, str] | None = None,
    hgvs_span: tuple[int, int] | None = None,
    hgvs_alt_tx: str | None = None,
) -> GenomicForms:
    """VCF record and g. HGVS of an edit given on GRCh38 positions.

    Parameters
    ----------
    ref
        Reference with mRNA and exon map.
    kind
        ``sub``, ``del``, ``dup``, ``ins``, ``delins`` or ``identity``.
    g_lo, g_hi
        Affected GRCh38 span (for ``ins``: the two flanking positions, ``g_hi = g_lo + 1``), as
        left-normalised on the plus strand (the transcript's 3' shift).
    alt_tx
        New bases on the transcript strand.
    stated_plus
        Plus-strand bases the user stated where the reference is unknown (used, unchecked).
    hgvs_span, hgvs_alt_tx
        Span (and new bases) of the g. description when it differs from the VCF placement (the
        HGVS 3' rule on the plus strand shifts the other way); default the same.
    """
    tm = ref.tx_map
    assert tm is not None
    chrom = tm.chrom
    stated = stated_plus or {}
    notes: list[str] = []
    unknown: list[int] = []

    def base(g: int) -> str:
        b = plus_base(ref, g)
        if b is None:
            b = stated.get(g)
        if b is None:
            unknown.append(g)
            return "N"
        return b

    alt = revcomp(alt_tx)
    vcf: dict[str, Any] | None
    if kind == "identity":
        vcf = None
        notes.append("no change: no VCF record")
    else:
        if kind in ("sub", "delins"):
            pos, r, a = g_lo, "".join(base(g) for g in range(g_lo, g_hi + 1)), alt
        elif kind == "del":
            pad = base(g_lo - 1)
            pos, r, a = g_lo - 1, pad + "".join(base(g) for g in range(g_lo, g_hi + 1)), pad
        elif kind == "dup":
            pad = base(g_lo - 1)
            pos, r, a = g_lo - 1, pad, pad + "".join(base(g) for g in range(g_lo, g_hi + 1))
        else:  # ins between g_lo and g_hi
            pad = base(g_lo)
            pos, r, a = g_lo, pad, pad + alt
        vcf = {"chrom": chrom, "pos": pos, "ref": r, "alt": a}
        if unknown:
            where = ", ".join(f"chr{chrom}:{g:,}" for g in sorted(set(unknown))[:3])
            more = "" if len(set(unknown)) <= 3 else f" and {len(set(unknown)) - 3} more"
            notes.append(
                f"no VCF form: it needs the base at {where}{more}, which is intronic or outside "
                f"the transcript ({_REF_NOTE_UNKNOWN})"
            )
            vcf = None
        elif set(stated) & set(range(pos, pos + len(r))):
            notes.append("VCF REF includes stated intronic/flanking bases that were not checked")
    lo, hi = hgvs_span or (g_lo, g_hi)
    galt = alt if hgvs_alt_tx is None else revcomp(hgvs_alt_tx)
    if kind == "sub":
        known = plus_base(ref, lo) or stated.get(lo)
        body = f"{lo}{known}>{galt}" if known else None
        if body is None:
            notes.append("no g. substitution: the reference base is not known or stated")
    elif kind == "identity":
        body = f"{_span(lo, hi)}="
    elif kind in ("del", "dup"):
        body = f"{_span(lo, hi)}{kind}"
    elif kind == "ins":
        body = f"{lo}_{hi}ins{galt}"
    else:
        body = f"{_span(lo, hi)}delins{galt}"
    hgvs_g = None if body is None else f"{CHROM_ACCESSION}:g.{body}"
    return GenomicForms(vcf, hgvs_g, tuple(notes))


# ----------------------------------------------------------------------------- input


def _fail(text: str, why: str) -> VariantError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return VariantError(
        f"variant {shown!r}: {why}; expected e.g. NC_000023.11:g.55014830G>A or X-55014830-G-A "
        "(GRCh38)"
    )


def _g_to_c(ref: Alas2Reference, text: str, g: int) -> CPos:
    tm = ref.tx_map
    assert tm is not None
    try:
        return tm.g_to_c(g)
    except GeneError as exc:
        raise _fail(text, str(exc)) from None


def genomic_to_parsed(
    text: str,
    kind: str,
    g_lo: int,
    g_hi: int,
    ref_plus: str | None,
    alt_plus: str,
    form: str,
    notes: tuple[str, ...] = (),
    ref: Alas2Reference | None = None,
) -> Any:
    """A :class:`~hemesim.variants.parse.ParsedVariant` (c. level) for a GRCh38 edit.

    ``g_lo``/``g_hi``: the span (for ``ins`` the two flanking positions). The c. interval runs
    from the higher GRCh38 position (5' on the transcript) to the lower one.
    """
    from hemesim.variants.parse import ParsedVariant

    ref = ref or load_reference()
    if ref.tx_map is None:
        raise _fail(text, "genomic input needs the exon map, which is not in package data")
    start, end = _g_to_c(ref, text, g_hi), _g_to_c(ref, text, g_lo)
    ref_tx = revcomp(ref_plus) if ref_plus else None
    alt_tx = revcomp(alt_plus) if alt_plus else None
    if kind == "identity":
        alt_tx = ref_tx
    return ParsedVariant(
        text=text,
        level="c",
        edit=kind,
        start=start,
        end=end,
        ref=ref_tx,
        alt=alt_tx,
        notes=notes,
        form=form,
        genomic=(g_lo, g_hi),
    )


def parse_g(text: str) -> Any:
    """Parse ``NC_000023.11:g.`` HGVS into a c.-level ParsedVariant (see module docstring)."""
    m = _G_RE.match(text.strip())
    if m is None:
        raise _fail(text, "not a g. description")
    acc, body = m.group(1), m.group(2)
    if acc.upper().startswith("NC_000023.10") or acc.upper() == "NC_000023":
        raise _fail(
            text,
            f"{acc} is not GRCh38 chromosome X (hemesim places variants on {CHROM_ACCESSION}; "
            "GRCh37 is not supported)",
        )
    if acc != CHROM_ACCESSION:
        raise _fail(text, f"ALAS2 lies on {CHROM_ACCESSION} (GRCh38 chromosome X), not {acc}")
    from hgvs.edit import Dup, NARefAlt

    from hemesim.variants.parse import hgvs_parser

    try:
        var = hgvs_parser().parse_hgvs_variant(f"{CHROM_ACCESSION}:{body}")
    except Exception as exc:  # the grammar raises several types; all mean "bad input"
        reason = str(exc).split(":")[-1].strip() or type(exc).__name__
        raise _fail(text, f"not valid HGVS ({reason[:60]})") from None
    pe = var.posedit
    if pe is None or isinstance(pe, str) or pe.pos is None:
        raise _fail(text, "name a specific change")
    if getattr(pe.pos.start, "uncertain", False) or pe.pos.start.base is None:
        raise _fail(text, "uncertain positions are not supported")
    lo = int(pe.pos.start.base)
    hi = int(pe.pos.end.base) if pe.pos.end is not None else lo
    if hi < lo:
        raise _fail(text, f"interval g.{lo}_{hi} runs backwards")
    edit = pe.edit
    if isinstance(edit, Dup):
        kind, r, a = "dup", (edit.ref or None), ""
    elif isinstance(edit, NARefAlt):
        kind, r, a = edit.type, (edit.ref or None), (edit.alt or "")
    else:
        raise _fail(text, f"edit {type(edit).__name__} is not supported (sub/del/dup/ins/delins)")
    for seq in (r or "", a):
        if not re.fullmatch(r"[ACGT]*", seq):
            raise _fail(text, f"sequence {seq!r} must be A/C/G/T")
    if kind == "sub" and (lo != hi or not r or len(r) != 1 or len(a) != 1):
        raise _fail(text, "a substitution changes one base, like g.55014830G>A")
    if kind == "ins" and hi != lo + 1:
        raise _fail(text, "an insertion lies between two adjacent bases, like g.100_101insA")
    if r is not None and kind != "sub" and len(r) != hi - lo + 1:
        span = f"g.{_span(lo, hi)} spans {hi - lo + 1}"
        raise _fail(text, f"stated sequence {r} has {len(r)} nt but {span}")
    if kind == "identity":
        a = r or ""
    ref = load_reference()
    _check_plus_ref(ref, text, lo, r if kind != "ins" else None, "stated reference")
    note = f"read from GRCh38 {CHROM_ACCESSION}:g.{body[2:]} (ALAS2 is on the minus strand)"
    return genomic_to_parsed(text, kind, lo, hi, r, a, "g", (note,), ref)


def _check_plus_ref(ref: Alas2Reference, text: str, pos: int, bases: str | None, what: str) -> None:
    """Refuse plus-strand ``bases`` at ``pos`` that differ from a known reference base."""
    if not bases:
        return
    tm = ref.tx_map
    assert tm is not None
    for i, b in enumerate(bases.upper()):
        known = plus_base(ref, pos + i)
        if known is not None and b != "N" and known != b:
            c = tm.g_to_c(pos + i)
            raise VariantError(
                f"variant {text[:60]!r}: {what} {b} at chr{tm.chrom}:{pos + i:,} is not the "
                f"reference base {known} (c.{c} is {revcomp(known)} on the minus-strand mRNA)"
            )


def vcf_allele_to_parsed(
    text: str, chrom: str, pos: int, ref_allele: str, alt_allele: str, form: str = "vcf"
) -> Any:
    """One VCF allele (any padding, any side) as a c.-level ParsedVariant.

    The allele is trimmed of shared bases at its end, then at its start (as ``bcftools norm``
    does), the remaining change is placed on the transcript, and REF is compared with the reference
    base wherever it is known.
    """
    name = chrom.strip()
    if name.lower().removeprefix("chr") not in ("x", "23") and name != CHROM_ACCESSION:
        raise _fail(text, f"CHROM {name!r}: ALAS2 lies on chromosome X (X, chrX)")
    r, a = ref_allele.upper(), alt_allele.upper()
    if not re.fullmatch(r"[ACGTN]+", r):
        raise _fail(text, f"REF {ref_allele[:20]!r} must be bases (A/C/G/T/N)")
    if "," in a:
        raise _fail(
            text,
            "one ALT allele at a time (hemesim variants FILE.vcf reads multi-allelic records)",
        )
    if not re.fullmatch(r"[ACGTN]+", a):
        raise _fail(text, f"ALT {alt_allele[:20]!r} must be bases (symbolic alleles are not read)")
    ref = load_reference()
    tm = ref.tx_map
    assert tm is not None
    lo_w, hi_w = tm.g_window
    if not lo_w <= pos <= hi_w:
        raise _fail(
            text,
            f"chr{tm.chrom}:{pos:,} lies outside ALAS2 and its flanks (GRCh38 "
            f"chr{tm.chrom}:{lo_w:,}-{hi_w:,})",
        )
    _check_plus_ref(ref, text, pos, r, "VCF REF")
    notes = [f"read from the GRCh38 VCF allele chr{tm.chrom}:{pos} {r}>{a}"]
    unknown = [g for g in range(pos, pos + len(r)) if plus_base(ref, g) is None]
    if unknown:
        notes.append(
            f"REF base(s) at {len(unknown)} intronic/flanking position(s) not checked "
            f"({_REF_NOTE_UNKNOWN})"
        )
    if "N" in a or ("N" in r and not unknown):
        raise _fail(text, "N is not a base hemesim can interpret")
    p = pos
    while r and a and r[-1] == a[-1]:
        r, a = r[:-1], a[:-1]
    while r and a and r[0] == a[0]:
        r, a, p = r[1:], a[1:], p + 1
    n_ref = len(ref_allele)
    if not r and not a:
        return genomic_to_parsed(
            text, "identity", pos, pos + n_ref - 1, ref_allele.upper(), "", form, tuple(notes), ref
        )
    if not r:
        return genomic_to_parsed(text, "ins", p - 1, p, None, a, form, tuple(notes), ref)
    if not a:
        return genomic_to_parsed(text, "del", p, p + len(r) - 1, r, "", form, tuple(notes), ref)
    kind = "sub" if len(r) == 1 and len(a) == 1 else "delins"
    return genomic_to_parsed(text, kind, p, p + len(r) - 1, r, a, form, tuple(notes), ref)


def parse_vcf_text(text: str) -> Any:
    """Parse a one-allele VCF-style string (``X-55014830-G-A``, ``chrX:55014830:G:A``,
    ``X 55014830 . G A``) into a c.-level ParsedVariant."""
    m = _VCF_RE.match(text.strip())
    if m is None:
        raise _fail(text, "not a VCF allele")
    return vcf_allele_to_parsed(text, m.group(1), int(m.group(2)), m.group(3), m.group(4))


def parse_genomic(text: str) -> Any:
    """g. HGVS or a VCF allele -> c.-level ParsedVariant (``None`` if neither form)."""
    t = text.strip()
    if _G_RE.match(t):
        return parse_g(t)
    if _VCF_RE.match(t):
        return parse_vcf_text(t)
    return None
