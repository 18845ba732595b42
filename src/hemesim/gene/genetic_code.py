"""The standard genetic code (NCBI translation table 1) and amino-acid names.

Used to translate a CDS and, when no CDS is shipped, to check a stated reference base against the
codons that can encode the reference amino acid.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

__all__ = ["CODON_TABLE", "AA3", "AA1", "translate", "codons_for", "aa3", "aa1"]

_BASES = "TCAG"
_AAS = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE: dict[str, str] = {
    a + b + c: aa for (a, b, c), aa in zip(product(_BASES, repeat=3), _AAS, strict=True)
}
"""Codon (DNA, upper case) -> one-letter amino acid, ``*`` for stop (NCBI table 1)."""

AA3: dict[str, str] = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu",
    "G": "Gly", "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe",
    "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter",
    "U": "Sec", "O": "Pyl",
}  # fmt: skip
"""One-letter -> three-letter amino-acid code (``*`` -> ``Ter``)."""

AA1: dict[str, str] = {v.upper(): k for k, v in AA3.items()}
"""Upper-cased three-letter code -> one-letter code."""


def aa3(one: str) -> str:
    """Three-letter name of a one-letter amino acid (``*`` -> ``Ter``)."""
    return AA3[one]


def aa1(three: str) -> str:
    """One-letter code of a three-letter name (case-insensitive; ``Ter`` -> ``*``)."""
    return AA1[three.upper()]


def translate(seq: str) -> str:
    """Translate a DNA sequence codon by codon (length need not be a multiple of 3).

    Parameters
    ----------
    seq
        DNA (A/C/G/T); a trailing partial codon is ignored.

    Returns
    -------
    str
        One-letter protein, ``*`` for stop codons, ``X`` for codons with other letters.
    """
    s = seq.upper()
    return "".join(CODON_TABLE.get(s[i : i + 3], "X") for i in range(0, len(s) - 2, 3))


@lru_cache(maxsize=32)
def codons_for(aa: str) -> tuple[str, ...]:
    """All codons that encode a one-letter amino acid (``*`` for stop), sorted."""
    return tuple(sorted(c for c, a in CODON_TABLE.items() if a == aa))
