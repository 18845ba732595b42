"""Parse an ALAS2 variant description (HGVS c., p. or g., a VCF allele, or shorthand).

Accepted forms (on NM_000032.5 / NP_000023.2 / GRCh38 NC_000023.11):

* ``NM_000032.5:c.1355G>A``, ``c.1355G>A``, ``NM_000032.5(ALAS2):c.1706_1709delAGTG``
* ClinVar titles: ``NM_000032.5(ALAS2):c.1354C>T (p.Arg452Cys)`` (the p. part is checked against
  the p. that hemesim derives, by :mod:`hemesim.variants.interpret`)
* ``NM_000032.4:c.`` (same protein NP_000023.2; coding positions only, with a note)
* ``NP_000023.2:p.(Arg452His)``, ``p.Arg452His``, ``p.R452H``, ``R452H``, ``Arg452His``,
  ``Q548X`` / ``p.Gln548*`` / ``p.Gln548Ter``, ``p.Glu569Glyfs*24`` / ``fsX24`` / ``fsTer24``
* ``NC_000023.11:g.55014830G>A`` and VCF alleles ``X-55014830-G-A`` (see
  :mod:`hemesim.variants.genome`): placed on the transcript and returned as c. records

The grammar is the biocommons ``hgvs`` parser (offline); hemesim adds the accession check, the
shorthand forms and one-line :class:`~hemesim.errors.VariantError` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from hemesim.errors import VariantError
from hemesim.gene.coordinates import CPos
from hemesim.gene.reference import PROTEIN_ACCESSION, TRANSCRIPT

__all__ = ["CPos", "ParsedVariant", "parse", "EXAMPLES", "hgvs_parser", "OLD_VERSION"]

EXAMPLES = (
    "e.g. NM_000032.5:c.1355G>A, c.1706_1709del, p.Arg452His, R452H, "
    "NC_000023.11:g.55014829C>T or X-55014829-C-T"
)

OLD_VERSION = "NM_000032.4"
"""Earlier RefSeq version of the transcript; encodes the same protein, NP_000023.2 (issue 15)."""

_CLINVAR_RE = re.compile(r"^(\S+:c\.\S+)\s+\((p\.\S+)\)$")

_TRANSCRIPTS = {TRANSCRIPT, "NM_000032", "ENST00000650242.1", "ENST00000650242", "ALAS2"}
_PROTEINS = {PROTEIN_ACCESSION, "NP_000023", "ENSP00000497236.1", "ENSP00000497236"}
_MAX_LEN = 300

_ACC_RE = re.compile(r"^([A-Za-z][A-Za-z0-9_.]*?)(?:\(([A-Za-z0-9_.-]+)\))?:(.*)$", re.S)
_SHORT1_RE = re.compile(r"^([ACDEFGHIKLMNPQRSTVWY])(\d{1,6})([ACDEFGHIKLMNPQRSTVWYX*=])$")
_SHORT3_RE = re.compile(r"^([A-Z][a-z]{2})(\d{1,6})([A-Z][a-z]{2}|[X*=])$")
_NUC_RE = re.compile(r"^[ACGT]*$")


@dataclass(frozen=True)
class ParsedVariant:
    """A syntactically valid variant, before any reference check.

    Attributes
    ----------
    text
        The input as given.
    level
        ``"c"`` (transcript) or ``"p"`` (protein).
    edit
        c.: ``sub`` ``del`` ``ins`` ``dup`` ``delins`` ``identity``; p.: ``sub`` ``nonsense``
        ``synonymous`` ``start_loss`` ``del`` ``ins`` ``dup`` ``delins`` ``fs`` ``ext``.
    start, end
        c. positions (``None`` for p.).
    ref, alt
        c.: reference / alternate bases as written (``ref`` may be ``None`` = not stated);
        p.: one-letter reference residue at ``p_start`` and the new residue(s).
    p_start, p_end, p_end_ref
        p.: first and last residue numbers and the reference residue at ``p_end``.
    fs_ter
        p. frameshift: position of the new stop counted from the first changed residue
        (``int``), ``"?"`` if unknown, ``None`` if not written.
    predicted
        True when the p. description was written in parentheses.
    notes
        Remarks made while parsing (e.g. a transcript given without version).
    form
        Input form: ``hgvs`` (c./p.), ``clinvar`` (a title with its p.), ``g`` or ``vcf``.
    genomic
        For ``g``/``vcf`` input: the GRCh38 span as given (for ``ins`` the two flanks).
    stated_p
        The p. part of a ClinVar-style title, to be compared with the derived p.
    """

    text: str
    level: Literal["c", "p"]
    edit: str
    start: CPos | None = None
    end: CPos | None = None
    ref: str | None = None
    alt: str | None = None
    p_start: int | None = None
    p_end: int | None = None
    p_end_ref: str | None = None
    fs_ter: int | str | None = None
    predicted: bool = False
    notes: tuple[str, ...] = ()
    form: str = "hgvs"
    genomic: tuple[int, int] | None = None
    stated_p: str | None = None


@lru_cache(maxsize=1)
def hgvs_parser() -> Any:
    """The biocommons ``hgvs`` grammar parser (offline; built once)."""
    import hgvs.parser

    return hgvs.parser.Parser()


_parser = hgvs_parser


def _fail(text: str, why: str) -> VariantError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return VariantError(f"variant {shown!r}: {why}; expected {EXAMPLES}")


def _split_accession(text: str) -> tuple[str | None, str, list[str]]:
    notes: list[str] = []
    m = _ACC_RE.match(text)
    if not m:
        return None, text, notes
    acc, gene, rest = m.group(1), m.group(2), m.group(3).strip()
    if gene is not None and gene.upper() != "ALAS2":
        raise _fail(text, f"gene {gene!r} is not ALAS2")
    if acc in ("NM_000032", "NP_000023"):
        versioned = TRANSCRIPT if acc.startswith("NM") else PROTEIN_ACCESSION
        notes.append(f"{acc} given without version; interpreted on {versioned} (MANE Select)")
    if acc == OLD_VERSION:
        notes.append(
            f"{OLD_VERSION} encodes the same protein as {TRANSCRIPT} ({PROTEIN_ACCESSION}); its "
            f"coding positions are read on {TRANSCRIPT}"
        )
        acc = TRANSCRIPT
    if acc in _TRANSCRIPTS:
        kind = "c"
    elif acc in _PROTEINS:
        kind = "p"
    else:
        base = acc.split(".")[0]
        if base in ("NM_000032", "NP_000023"):
            why = (
                f"version {acc} is not supported (hemesim uses {TRANSCRIPT} / {PROTEIN_ACCESSION})"
            )
        else:
            why = f"unknown transcript {acc!r} (ALAS2 is {TRANSCRIPT}, protein {PROTEIN_ACCESSION})"
        raise VariantError(f"variant {text[:60]!r}: {why}")
    if kind == "c" and rest.startswith("p."):
        raise VariantError(
            f"variant {text[:60]!r}: {acc} is a transcript, so use c. with it "
            f"(or {PROTEIN_ACCESSION}:p.)"
        )
    if kind == "p" and rest.startswith("c."):
        raise VariantError(
            f"variant {text[:60]!r}: {acc} is a protein, so use p. with it (or {TRANSCRIPT}:c.)"
        )
    return kind, rest, notes


def _shorthand(rest: str) -> str | None:
    """Turn ``R452H`` / ``Arg452His`` / ``Q548X`` into a p. body, else None."""
    m = _SHORT1_RE.match(rest)
    if m:
        alt = {"X": "*"}.get(m.group(3), m.group(3))
        return f"p.{m.group(1)}{m.group(2)}{alt}"
    m = _SHORT3_RE.match(rest)
    if m:
        alt = {"X": "*"}.get(m.group(3), m.group(3))
        return f"p.{m.group(1)}{m.group(2)}{alt}"
    return None


def _normalise_stop_x(body: str) -> str:
    """Old-style stop notation: ``Gln548X`` -> ``Gln548*``, ``fsX24`` -> ``fs*24``."""
    body = re.sub(r"fsX(\d+|\?)?$", lambda m: "fs*" + (m.group(1) or "?"), body)
    body = re.sub(r"extX", "ext*", body)
    return re.sub(r"(?<=\d)X(\))?$", lambda m: "*" + (m.group(1) or ""), body)


def _check_ascii_digits(text: str) -> None:
    """Refuse digits other than 0-9 (``R４５２H``, Arabic-Indic digits): Python's ``int`` and
    ``\\d`` accept them, so they were read as positions (issue 16)."""
    odd = next((c for c in text if c.isdigit() and c not in "0123456789"), None)
    if odd is not None:
        raise _fail(text, f"the digit {odd!r} is not an ASCII digit; write positions with 0-9")


def parse(text: str) -> ParsedVariant:
    """Parse one ALAS2 variant description.

    Parameters
    ----------
    text
        HGVS c. or p. (with or without accession, p. in three- or one-letter code, with or
        without parentheses) or the shorthand ``R452H``.

    Returns
    -------
    ParsedVariant
        The parsed description (not yet checked against the reference).

    Raises
    ------
    VariantError
        One line naming the problem and the expected form.
    """
    if not isinstance(text, str):
        raise VariantError(f"variant must be text, got {type(text).__name__}; expected {EXAMPLES}")
    raw = text
    text = text.strip()
    if not text:
        raise VariantError(f"variant is empty; expected {EXAMPLES}")
    if len(text) > _MAX_LEN or not text.replace("\t", " ").isprintable():
        raise _fail(text, "too long or contains control characters")
    _check_ascii_digits(text)
    from hemesim.variants.genome import is_genomic_input, parse_genomic

    if is_genomic_input(text):
        parsed: ParsedVariant = parse_genomic(text)
        return parsed
    clinvar = _CLINVAR_RE.match(text)
    if clinvar is not None:
        inner = parse(clinvar.group(1))
        if inner.level != "c":
            raise _fail(text, "a ClinVar title names a c. change and its p. in parentheses")
        stated = clinvar.group(2)
        parse(stated)  # the stated p. must itself be valid
        return replace(inner, text=text, form="clinvar", stated_p=stated)
    kind, body, notes = _split_accession(text)
    old_version = text.startswith(OLD_VERSION)
    if kind is None and body.startswith("g."):
        raise _fail(text, "a g. description needs its chromosome, NC_000023.11:g. (GRCh38)")
    if kind is None and body.startswith(("n.", "r.", "m.", "o.")) or body.startswith("n."):
        raise _fail(
            text,
            f"only c. ({TRANSCRIPT}), p. ({PROTEIN_ACCESSION}) and g. (NC_000023.11) are supported",
        )
    if not body.startswith(("c.", "p.")):
        short = _shorthand(body)
        if short is None:
            raise _fail(text, "not a c./p. description or a shorthand like R452H")
        body = short
        if kind == "c":
            raise VariantError(
                f"variant {text[:60]!r}: a transcript needs a c. description (or use "
                f"{PROTEIN_ACCESSION}:p.)"
            )
    level: Literal["c", "p"] = "c" if body.startswith("c.") else "p"
    if level == "p":
        body = _normalise_stop_x(body)
    acc = TRANSCRIPT if level == "c" else PROTEIN_ACCESSION
    try:
        var = _parser().parse_hgvs_variant(f"{acc}:{body}")
    except Exception as exc:  # the third-party grammar raises several types; all mean "bad input"
        reason = str(exc).split(":")[-1].strip() or type(exc).__name__
        raise _fail(raw.strip(), f"not valid HGVS ({reason[:60]})") from None
    posedit = var.posedit
    if posedit is None or isinstance(posedit, str) or posedit.pos is None:
        raise _fail(text, "p.?, p.= and p.0 name no specific change; give the residue")
    if level == "c":
        parsed = _from_c(text, posedit, tuple(notes))
        assert parsed.start is not None and parsed.end is not None
        if old_version and any(p.utr3 or p.base < 0 for p in (parsed.start, parsed.end)):
            raise VariantError(
                f"variant {text[:60]!r}: UTR numbering may differ between {OLD_VERSION} and "
                f"{TRANSCRIPT}; give UTR positions on {TRANSCRIPT} or as {'NC_000023.11:g.'}"
            )
        return parsed
    return _from_p(text, posedit, tuple(notes))


def _cpos(text: str, pos: Any) -> CPos:
    from hgvs.enums import Datum

    if getattr(pos, "uncertain", False) or pos.base is None:
        raise _fail(text, "uncertain positions like (?_10) are not supported")
    offset = int(pos.offset or 0)
    if pos.datum == Datum.CDS_END:
        if pos.base < 1:
            raise _fail(text, "3'UTR positions are c.*1 or later")
        return CPos(int(pos.base), offset, utr3=True)
    if pos.base == 0:
        raise _fail(
            text, "there is no c.0 (c.-1 is the base before the A of the ATG, c.1 is the A)"
        )
    return CPos(int(pos.base), offset)


def _order_key(p: CPos) -> tuple[int, int, int]:
    return (1 if p.utr3 else 0, p.base, p.offset)


def _from_c(text: str, posedit: Any, notes: tuple[str, ...]) -> ParsedVariant:
    from hgvs.edit import Dup, NARefAlt

    start = _cpos(text, posedit.pos.start)
    end = _cpos(text, posedit.pos.end) if posedit.pos.end is not None else start
    if _order_key(end) < _order_key(start):
        raise _fail(text, f"interval c.{start}_{end} runs backwards")
    edit = posedit.edit
    if isinstance(edit, Dup):
        kind, ref, alt = "dup", (edit.ref or None), None
    elif isinstance(edit, NARefAlt):
        kind = edit.type
        ref = edit.ref or None
        alt = edit.alt or None
        if kind == "identity":
            alt = ref
    else:
        raise _fail(
            text,
            f"edit type {type(edit).__name__} is not supported (use sub, del, dup, ins or delins)",
        )
    for seq, what in ((ref, "reference"), (alt, "inserted/alternate")):
        if seq is not None and not _NUC_RE.match(seq):
            raise _fail(text, f"{what} sequence {seq!r} must be A/C/G/T")
    if kind == "sub" and (start != end or ref is None or alt is None or len(ref) != 1):
        raise _fail(text, "a substitution changes one base, like c.1355G>A")
    adjacent = (
        not start.offset
        and not end.offset
        and (
            (start.utr3 == end.utr3 and end.base - start.base == 1)
            or (start.base, end.base) == (-1, 1)
            or (not start.utr3 and end.utr3 and end.base == 1)  # last CDS base, c.*1
        )
    )
    if kind == "ins" and not adjacent:
        raise _fail(text, "an insertion lies between two adjacent bases, like c.10_11insA")
    return ParsedVariant(
        text=text, level="c", edit=kind, start=start, end=end, ref=ref, alt=alt, notes=notes
    )


def _from_p(text: str, posedit: Any, notes: tuple[str, ...]) -> ParsedVariant:
    from hgvs.edit import AAExt, AAFs, AARefAlt, AASub, Dup

    pos = posedit.pos
    start, ref = int(pos.start.base), pos.start.aa
    end = int(pos.end.base) if pos.end is not None else start
    end_ref = pos.end.aa if pos.end is not None else ref
    if end < start:
        raise _fail(text, f"interval {start}_{end} runs backwards")
    predicted = bool(posedit.uncertain)
    edit = posedit.edit
    alt: str | None
    fs_ter: int | str | None = None
    if isinstance(edit, AASub):
        alt = edit.alt
        if alt == "?":
            if start != 1:
                raise _fail(
                    text, "'?' as the new residue is only meaningful for p.Met1? (start loss)"
                )
            kind = "start_loss"
        elif alt == "*":
            kind = "nonsense"
        elif alt == ref:
            kind = "synonymous"
        else:
            kind = "sub"
    elif isinstance(edit, AAFs):
        kind, alt = "fs", (edit.alt or None)
        fs_ter = edit.length if edit.length in (None, "?") else int(edit.length)
    elif isinstance(edit, AAExt):
        if edit.aaterm != "*" or ref != "*":
            raise _fail(text, "only C-terminal extensions (p.Ter588Xaaext*N) are supported")
        kind, alt = "ext", edit.alt
        fs_ter = edit.length if edit.length in (None, "?") else int(edit.length)
    elif isinstance(edit, Dup):
        kind, alt = "dup", None
    elif isinstance(edit, AARefAlt):
        kind = {"identity": "synonymous"}.get(edit.type, edit.type)
        alt = edit.alt or None
        if kind == "synonymous":
            alt = ref
    else:
        raise _fail(text, f"protein edit {type(edit).__name__} is not supported")
    if kind in ("sub", "nonsense", "synonymous", "start_loss", "fs", "ext") and end != start:
        raise _fail(text, f"a {kind} names one residue")
    if kind == "ins" and end != start + 1:
        raise _fail(
            text, "an insertion lies between two adjacent residues, like p.Lys100_Gly101insAla"
        )
    return ParsedVariant(
        text=text,
        level="p",
        edit=kind,
        ref=ref,
        alt=alt,
        p_start=start,
        p_end=end,
        p_end_ref=end_ref,
        fs_ter=fs_ter,
        predicted=predicted,
        notes=notes,
    )
