"""The ALAS2 reference: protein P22557, the NM_000032.5 transcript (when shipped) and its locus.

The protein is always present. The transcript nucleotide sequence is optional package data
(``data/NM_000032.5.fasta``): hemesim did not find a verbatim public copy of it, so by default
``cds`` is ``None`` and the variant stage maps c. positions to codons only (see ``data/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from hemesim.errors import GeneError

__all__ = [
    "TRANSCRIPT",
    "PROTEIN_ACCESSION",
    "GenomicLocus",
    "Alas2Reference",
    "load_reference",
    "read_fasta",
]

TRANSCRIPT = "NM_000032.5"
"""MANE Select transcript of ALAS2 (UniProt P22557 DR MANE-Select line)."""

PROTEIN_ACCESSION = "NP_000023.2"
"""RefSeq protein of the MANE Select transcript."""

PROTEIN_SOURCE = (
    "UniProtKB P22557 sequence version 2, via ai4curation/ai-gene-review "
    "genes/human/ALAS2/ALAS2-uniprot.txt commit 03872525ccad5a57c2afff77fb6240f9e0089afd"
)


@dataclass(frozen=True)
class GenomicLocus:
    """Where ALAS2 lies on the genome.

    Attributes
    ----------
    assembly, chrom
        Genome build and chromosome name (``"GRCh38"``, ``"X"``).
    start, end
        1-based inclusive gene span in bp.
    strand
        ``-1``: ALAS2 is on the minus strand.
    source
        Where the coordinates come from.
    """

    assembly: str
    chrom: str
    start: int
    end: int
    strand: int
    source: str

    def contains(self, chrom: str, pos: int) -> bool:
        """Return True if ``chrom:pos`` (1-based) lies in the gene span (``chrX``/``X``/``23``)."""
        name = chrom.removeprefix("chr").removeprefix("CHR")
        if name in ("23", "NC_000023.11"):
            name = "X"
        return name == self.chrom and self.start <= pos <= self.end


@dataclass(frozen=True)
class Alas2Reference:
    """Reference sequences of human ALAS2.

    Attributes
    ----------
    protein
        The 587-aa precursor (one-letter codes, no stop).
    cds
        Coding sequence incl. the stop codon (1764 nt) or ``None`` when not shipped.
    utr5, utr3
        UTR sequences or ``None``.
    exon_ends_c
        c. coordinates of the last base of each exon (splice donors) or ``None``.
    ire_c
        ``(start, end)`` c. interval of the IRE in the 5'UTR (negative numbers) or ``None``.
    locus
        Genomic span (used to pick ALAS2 records out of a VCF).
    provenance
        Source of each component, by name.
    """

    protein: str
    cds: str | None = None
    utr5: str | None = None
    utr3: str | None = None
    exon_ends_c: tuple[int, ...] | None = None
    ire_c: tuple[int, int] | None = None
    locus: GenomicLocus | None = None
    transcript: str = TRANSCRIPT
    protein_accession: str = PROTEIN_ACCESSION
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def protein_length(self) -> int:
        """Number of amino acids (587 for P22557)."""
        return len(self.protein)

    @property
    def cds_length(self) -> int:
        """CDS length in nt including the stop codon: 3 x (protein length + 1)."""
        return 3 * (len(self.protein) + 1)

    @property
    def stop_codon(self) -> int:
        """Codon number of the stop codon (protein length + 1)."""
        return len(self.protein) + 1

    @property
    def has_cds(self) -> bool:
        """True when the nucleotide CDS is available for base-level checks."""
        return self.cds is not None

    def residue(self, position: int) -> str:
        """One-letter residue at a 1-based protein position; ``"*"`` at the stop codon.

        Raises
        ------
        GeneError
            If ``position`` is outside 1..stop codon.
        """
        if position == self.stop_codon:
            return "*"
        if not 1 <= position <= len(self.protein):
            raise GeneError(
                f"protein position {position} is outside ALAS2 1..{self.stop_codon} "
                f"({len(self.protein)} aa + stop)"
            )
        return self.protein[position - 1]

    def to_dict(self) -> dict[str, Any]:
        """Summary for JSON output (sequence lengths, not sequences)."""
        return {
            "transcript": self.transcript,
            "protein_accession": self.protein_accession,
            "protein_length": self.protein_length,
            "cds_length": self.cds_length,
            "cds_available": self.has_cds,
            "locus": None
            if self.locus is None
            else {
                "assembly": self.locus.assembly,
                "chrom": self.locus.chrom,
                "start": self.locus.start,
                "end": self.locus.end,
                "strand": self.locus.strand,
            },
            "provenance": dict(self.provenance),
        }


def read_fasta(text: str) -> dict[str, str]:
    """Parse FASTA text into ``{header: sequence}`` (sequence upper-cased, whitespace removed)."""
    records: dict[str, str] = {}
    header: str | None = None
    chunks: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(">"):
            if header is not None:
                records[header] = "".join(chunks).upper()
            header, chunks = line[1:], []
        elif header is None:
            raise GeneError("FASTA text must start with a '>' header line")
        else:
            chunks.append(line)
    if header is not None:
        records[header] = "".join(chunks).upper()
    return records


def _data_text(name: str) -> str | None:
    res = resources.files("hemesim.gene").joinpath("data", name)
    return res.read_text(encoding="utf-8") if res.is_file() else None


GRCH38_LOCUS = GenomicLocus(
    assembly="GRCh38",
    chrom="X",
    start=55_009_055,
    end=55_030_977,
    strand=-1,
    source="Ensembl release 89 gene span ENSG00000158578 as quoted on the Wikipedia ALAS2 page",
)


@lru_cache(maxsize=1)
def load_reference() -> Alas2Reference:
    """Load the packaged ALAS2 reference (cached).

    Returns
    -------
    Alas2Reference
        Protein always; ``cds`` only if ``data/NM_000032.5.fasta`` is shipped (it is not yet:
        no verbatim public copy was found, see ``data/README.md``).

    Raises
    ------
    GeneError
        If the packaged data are missing or inconsistent (e.g. a shipped CDS that does not
        translate to P22557).
    """
    text = _data_text("ALAS2_P22557.fasta")
    if text is None:
        raise GeneError("package data ALAS2_P22557.fasta is missing; reinstall hemesim")
    (protein,) = read_fasta(text).values()
    provenance = {"protein": PROTEIN_SOURCE, "locus": GRCH38_LOCUS.source}
    cds: str | None = None
    tx_text = _data_text(f"{TRANSCRIPT}.fasta")
    if tx_text is not None:
        from hemesim.gene.genetic_code import translate

        (cds,) = read_fasta(tx_text).values()
        if translate(cds) != protein + "*":
            raise GeneError(f"{TRANSCRIPT}.fasta does not translate to P22557; check the data")
        provenance["cds"] = tx_text.splitlines()[0][1:]
    else:
        provenance["cds"] = "unavailable: no verbatim public copy of NM_000032.5 found"
    return Alas2Reference(protein=protein, cds=cds, locus=GRCH38_LOCUS, provenance=provenance)
