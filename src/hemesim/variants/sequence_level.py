"""Base-level normalisation and protein consequence, on plain strings (any sequence).

Used by :mod:`hemesim.variants.on_mrna` on the shipped ALAS2 mRNA; testable on any sequence:

* :func:`shift_c_3prime` moves a deletion, duplication or insertion as far 3' as the sequence
  allows (HGVS 3' rule) and writes an insertion that copies the bases before it as ``dup``.
* :func:`protein_change` translates the mutated CDS (plus 3'UTR, if known, so that a frameshift
  can read into it) and describes the first change in HGVS p. terms, with the new stop position
  of a frameshift (``fsTer<N>``, counted from the first changed residue as HGVS requires).
"""

from __future__ import annotations

from dataclasses import dataclass

from hemesim.gene.genetic_code import aa3, translate
from hemesim.variants.consequence import shift_protein_3prime

__all__ = [
    "CEdit",
    "SeqEdit",
    "shift_c_3prime",
    "apply_c_edit",
    "protein_change",
    "ProteinChange",
    "normalise_edit",
    "apply_edit",
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
        if after == hi and after != s:  # at the exon/intron junction: keep both flanks inside
            return SeqEdit("ins", hi - 1, hi, alt[-1] + alt[:-1]), True
        return SeqEdit("ins", after, after + 1, alt), False
    return edit, False
