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

from hemesim.gene.genetic_code import aa3, translate
from hemesim.variants.consequence import shift_protein_3prime

__all__ = ["CEdit", "shift_c_3prime", "apply_c_edit", "protein_change", "ProteinChange"]


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


def protein_change(protein: str, mutated_cds: str, utr3: str = "") -> ProteinChange:
    """Describe how translating ``mutated_cds`` (+ ``utr3``) changes ``protein``.

    Parameters
    ----------
    protein
        Reference protein without the stop (one-letter).
    mutated_cds
        The edited coding sequence, starting at the A of the ATG.
    utr3
        3'UTR sequence, so that a frameshift may read through the old stop (may be empty).
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
    frameshift = (len(mutated_cds) - 3 * len(old)) % 3 != 0
    if i >= len(old) - 1 and (i >= len(new) or new[i] != "*"):
        # the old stop is gone: extension
        ext = f"Ter{len(new) - i}" if new.endswith("*") else "Ter?"
        alt = aa3(new[i]) if i < len(new) else ""
        return ProteinChange(f"p.(Ter{i + 1}{alt}ext{ext})", "stop_lost", i + 1, i + 1)
    ref_aa = aa3(old[i])
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
    return ProteinChange(body, "protein_altering_variant", i + 1, e)


def _stretch(protein: str, s: int, e: int) -> str:
    first = f"{aa3(protein[s - 1])}{s}"
    return first if s == e else f"{first}_{aa3(protein[e - 1])}{e}"
