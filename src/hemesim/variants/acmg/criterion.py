"""One ACMG/AMP criterion as evaluated for a variant: :class:`Criterion`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hemesim.variants.acmg.points import DEFAULT_STRENGTH, POINTS, strength_label

__all__ = ["Criterion", "pmids", "pubmed_url"]

_PMID = re.compile(r"PMID[:\s]*(\d{6,9})", re.IGNORECASE)


def pmids(*texts: str) -> tuple[str, ...]:
    """PubMed ids cited as ``PMID:123`` / ``PMID 123`` in ``texts``, first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for m in _PMID.finditer(text or ""):
            seen.setdefault(m.group(1), None)
    return tuple(seen)


def pubmed_url(pmid: str) -> str:
    """Link of a PubMed record."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


@dataclass(frozen=True)
class Criterion:
    """An ACMG/AMP evidence code, evaluated.

    Attributes
    ----------
    code
        ``PVS1``, ``PS1`` ... ``BP7`` (Richards et al. 2015).
    strength
        ``supporting`` | ``moderate`` | ``strong`` | ``very_strong`` | ``stand_alone``: the
        strength it is applied at when met (the Richards default when not met or not evaluated).
    met
        ``True`` met, ``False`` evaluated and not met, ``None`` not evaluated (the data needed
        are not in hemesim; ``evidence`` says which).
    evidence
        Why, in one or two sentences, with the PubMed ids of the sources (``PMID:n``).
    """

    code: str
    strength: str
    met: bool | None
    evidence: str

    def __post_init__(self) -> None:
        if self.strength not in (*POINTS, "stand_alone"):
            raise ValueError(f"criterion {self.code}: unknown strength {self.strength!r}")

    @property
    def benign(self) -> bool:
        """True for benign criteria (BA, BS, BP)."""
        return self.code.startswith("B")

    @property
    def label(self) -> str:
        """``PVS1_Strong``, ``PM2_Supporting``, ``PS3``: code with a strength suffix when the
        strength differs from the Richards default."""
        return strength_label(self.code, self.strength)

    @property
    def points(self) -> int:
        """Points contributed (0 unless met; negative for benign; BA1 has none)."""
        if self.met is not True or self.strength == "stand_alone":
            return 0
        value = POINTS[self.strength]
        return -value if self.benign else value

    @property
    def pmids(self) -> tuple[str, ...]:
        """PubMed ids cited in the evidence."""
        return pmids(self.evidence)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``code``, ``label``, ``strength``, ``met``, ``points``, ``evidence``,
        ``pmids``."""
        return {
            "code": self.code,
            "label": self.label,
            "strength": self.strength,
            "met": self.met,
            "points": self.points,
            "evidence": self.evidence,
            "pmids": list(self.pmids),
        }


def default_strength(code: str) -> str:
    """The Richards 2015 strength of a code (``PM2`` -> ``moderate``)."""
    return DEFAULT_STRENGTH[code.rstrip("0123456789")]
