"""Coordinates of the ALAS2 transcript: HGVS c. <-> mRNA <-> GRCh38 (chrX, minus strand).

Positions on the transcript are :class:`CPos` (HGVS c. numbering: ``c.1`` is the A of the ATG,
``c.-N`` lies before it, ``c.*N`` after the stop codon, ``c.N+k`` / ``c.N-k`` are intronic offsets
from the nearest exon base). :class:`TranscriptMap` converts them to 1-based mRNA positions and to
GRCh38 positions with the exon table, and back, for every base of the mRNA, every intron base and
up to :data:`FLANK` bp beyond either end of the transcript (upstream / downstream).

ALAS2 lies on the minus strand: the first mRNA base is the highest GRCh38 coordinate, and an
intronic ``c.N+k`` lies ``k`` bp *below* the GRCh38 position of ``c.N``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hemesim.errors import GeneError

__all__ = ["CPos", "Exon", "Location", "TranscriptMap", "CoordinateError", "FLANK"]

FLANK = 5000
"""bp beyond the transcript ends that are still placed (as upstream / downstream positions): the
default distance at which Ensembl VEP assigns upstream_gene_variant / downstream_gene_variant
(VEP option ``--distance``, default 5000)."""


class CoordinateError(GeneError):
    """A position that does not exist on the ALAS2 transcript or its flanks (one-line reason)."""


@dataclass(frozen=True)
class CPos:
    """A c. position: ``base`` (negative before the ATG), intronic ``offset``, 3'UTR flag."""

    base: int
    offset: int = 0
    utr3: bool = False

    def __str__(self) -> str:
        off = f"{self.offset:+d}" if self.offset else ""
        return f"{'*' if self.utr3 else ''}{self.base}{off}"

    @property
    def in_cds_numbering(self) -> bool:
        """True for exonic positions numbered from c.1 (not 3'UTR, not intronic)."""
        return not self.utr3 and self.offset == 0 and self.base > 0


@dataclass(frozen=True)
class Exon:
    """One exon: GRCh38 ``start``-``end`` (1-based inclusive, ``start < end``) and its mRNA span."""

    number: int
    chrom: str
    start: int
    end: int
    mrna_start: int
    mrna_end: int

    @property
    def length(self) -> int:
        """Exon length in nt."""
        return self.end - self.start + 1


Kind = Literal["exon", "intron", "upstream", "downstream"]


@dataclass(frozen=True)
class Location:
    """Where a position lies.

    Attributes
    ----------
    kind
        ``exon``, ``intron``, ``upstream`` (before the first mRNA base) or ``downstream``.
    region
        ``5'UTR``, ``CDS`` or ``3'UTR`` for exonic positions (the UTR side for introns by the
        flanking exon: intron 1 lies in the 5'UTR), ``None`` outside the transcript.
    number
        Exon or intron number (intron i lies between exons i and i+1), ``None`` outside.
    g
        GRCh38 position (1-based).
    m
        mRNA position (1-based) for exonic positions, else ``None``.
    junction_distance
        Exonic: bases to the nearest exon/intron junction counting this base (1 = the exon's
        first or last base), ``None`` at the transcript ends. Intronic: the offset's size.
    """

    kind: Kind
    region: str | None
    number: int | None
    g: int
    m: int | None = None
    junction_distance: int | None = None


class TranscriptMap:
    """Coordinate map of a minus-strand transcript.

    Parameters
    ----------
    exons
        Exons in transcript order (exon 1 first = highest GRCh38 coordinates).
    length
        mRNA length in nt (without poly(A)).
    cds_start, cds_end
        1-based mRNA positions of the A of the ATG and the last base of the stop codon.

    Raises
    ------
    GeneError
        If the exons do not tile the mRNA 1..length in order, or overlap on the genome.
    """

    def __init__(self, exons: tuple[Exon, ...], length: int, cds_start: int, cds_end: int) -> None:
        if not exons:
            raise GeneError("exon table is empty")
        expect = 1
        for i, ex in enumerate(exons):
            if ex.mrna_start != expect or ex.mrna_end - ex.mrna_start + 1 != ex.length:
                raise GeneError(
                    f"exon {ex.number}: mRNA {ex.mrna_start}-{ex.mrna_end} does not continue the "
                    f"transcript at {expect} with its GRCh38 length {ex.length}"
                )
            if i and ex.end >= exons[i - 1].start:
                raise GeneError(f"exon {ex.number} is not below exon {exons[i - 1].number}")
            expect = ex.mrna_end + 1
        if expect - 1 != length:
            raise GeneError(f"exon lengths add up to {expect - 1} nt, the mRNA has {length}")
        if not 1 <= cds_start < cds_end <= length:
            raise GeneError(f"CDS {cds_start}..{cds_end} is outside the mRNA 1..{length}")
        self.exons = exons
        self.length = length
        self.cds_start = cds_start
        self.cds_end = cds_end
        self.chrom = exons[0].chrom

    # ------------------------------------------------------------------ mRNA <-> c.

    def m_to_c(self, m: int) -> CPos:
        """c. position of mRNA position ``m`` (any integer: < 1 upstream, > length downstream)."""
        if m > self.cds_end:
            return CPos(m - self.cds_end, utr3=True)
        return CPos(m - self.cds_start + (1 if m >= self.cds_start else 0))

    def _virtual_m(self, pos: CPos) -> int:
        """mRNA coordinate of the exon-anchored base of ``pos`` (may lie outside 1..length)."""
        if pos.utr3:
            return self.cds_end + pos.base
        if pos.base < 0:
            return self.cds_start + pos.base
        m = self.cds_start - 1 + pos.base
        if m > self.cds_end:
            cds_len = self.cds_end - self.cds_start + 1
            raise CoordinateError(
                f"c.{pos.base} is beyond the end of the CDS (c.1..c.{cds_len}, stop codon "
                "included); use c.*N for the 3'UTR"
            )
        return m

    def c_to_m(self, pos: CPos) -> int | None:
        """mRNA position of an exonic c. position, ``None`` for intronic or flanking positions."""
        if pos.offset:
            return None
        m = self._virtual_m(pos)
        return m if 1 <= m <= self.length else None

    # ------------------------------------------------------------------ mRNA <-> GRCh38

    def exon_of(self, m: int) -> Exon:
        """The exon holding mRNA position ``m`` (1..length)."""
        for ex in self.exons:
            if ex.mrna_start <= m <= ex.mrna_end:
                return ex
        raise CoordinateError(f"mRNA position {m} is outside 1..{self.length}")

    def m_to_g(self, m: int) -> int:
        """GRCh38 position of mRNA position ``m`` (1..length)."""
        ex = self.exon_of(m)
        return ex.end - (m - ex.mrna_start)

    def g_to_m(self, g: int) -> int | None:
        """mRNA position of GRCh38 position ``g``, ``None`` outside the exons."""
        for ex in self.exons:
            if ex.start <= g <= ex.end:
                return ex.mrna_start + (ex.end - g)
        return None

    @property
    def g_first(self) -> int:
        """GRCh38 position of the first mRNA base (the highest exonic coordinate)."""
        return self.exons[0].end

    @property
    def g_last(self) -> int:
        """GRCh38 position of the last mRNA base (the lowest exonic coordinate)."""
        return self.exons[-1].start

    @property
    def g_window(self) -> tuple[int, int]:
        """GRCh38 interval that can be placed: the transcript and :data:`FLANK` bp each side."""
        return self.g_last - FLANK, self.g_first + FLANK

    # ------------------------------------------------------------------ c. <-> GRCh38

    def c_to_g(self, pos: CPos) -> int:
        """GRCh38 position of a c. position (exonic, intronic or within :data:`FLANK`).

        Raises
        ------
        CoordinateError
            An intronic offset from a base that is not at an exon end (``c.100+1``: c.100 is
            inside exon 2), an offset larger than its intron, a position beyond the flanks.
        """
        m = self._virtual_m(pos)
        if pos.offset == 0:
            if m < 1:
                g = self.g_first + (1 - m)
            elif m > self.length:
                g = self.g_last - (m - self.length)
            else:
                return self.m_to_g(m)
            lo, hi = self.g_window
            if not lo <= g <= hi:
                side = "upstream" if m < 1 else "downstream"
                raise CoordinateError(
                    f"c.{pos} lies {abs(g - (self.g_first if m < 1 else self.g_last)):,} bp "
                    f"{side} of the transcript, farther than the {FLANK:,} bp that are placed"
                )
            return g
        if not 1 <= m <= self.length:
            anchor = CPos(pos.base, 0, pos.utr3)
            raise CoordinateError(
                f"c.{pos}: an intronic offset needs an exonic anchor base, and c.{anchor} lies "
                "outside the transcript"
            )
        ex = self.exon_of(m)
        idx = self.exons.index(ex)
        anchor = CPos(pos.base, 0, pos.utr3)
        if pos.offset > 0:
            if m != ex.mrna_end or idx == len(self.exons) - 1:
                raise CoordinateError(
                    f"c.{pos}: c.{anchor} is not the last base of an exon followed by an intron "
                    f"(exon {ex.number} is {self._span(ex)})"
                )
            intron = ex.start - self.exons[idx + 1].end - 1
        else:
            if m != ex.mrna_start or idx == 0:
                raise CoordinateError(
                    f"c.{pos}: c.{anchor} is not the first base of an exon preceded by an intron "
                    f"(exon {ex.number} is {self._span(ex)})"
                )
            intron = self.exons[idx - 1].start - ex.end - 1
        if abs(pos.offset) > intron:
            raise CoordinateError(
                f"c.{pos}: offset {pos.offset:+d} is longer than the {intron:,}-bp intron "
                f"{'after' if pos.offset > 0 else 'before'} exon {ex.number}"
            )
        return self.m_to_g(m) - pos.offset

    def _span(self, ex: Exon) -> str:
        return f"c.{self.m_to_c(ex.mrna_start)}..c.{self.m_to_c(ex.mrna_end)}"

    def g_to_c(self, g: int) -> CPos:
        """HGVS c. position of GRCh38 position ``g`` (intronic positions by the nearer exon; the
        middle base of an odd-length intron is written ``+``, as HGVS requires).

        Raises
        ------
        CoordinateError
            If ``g`` is farther than :data:`FLANK` bp from the transcript.
        """
        lo, hi = self.g_window
        if not lo <= g <= hi:
            raise CoordinateError(
                f"chr{self.chrom}:{g:,} lies outside ALAS2 and its {FLANK:,}-bp flanks "
                f"(GRCh38 chr{self.chrom}:{lo:,}-{hi:,})"
            )
        if g > self.g_first:
            return self.m_to_c(1 - (g - self.g_first))
        if g < self.g_last:
            return self.m_to_c(self.length + (self.g_last - g))
        for i, ex in enumerate(self.exons):
            if ex.start <= g <= ex.end:
                return self.m_to_c(ex.mrna_start + (ex.end - g))
            nxt = self.exons[i + 1]
            if nxt.end < g < ex.start:
                j = ex.start - g  # 1 = first intron base after exon i
                n = ex.start - nxt.end - 1
                if 2 * j <= n + 1:
                    c = self.m_to_c(ex.mrna_end)
                    return CPos(c.base, j, c.utr3)
                c = self.m_to_c(nxt.mrna_start)
                return CPos(c.base, -(n - j + 1), c.utr3)
        raise CoordinateError(f"chr{self.chrom}:{g} not placed")  # pragma: no cover

    def canonical(self, pos: CPos) -> CPos:
        """The HGVS form of ``pos`` (an intronic offset past the intron's middle is written from
        the other exon)."""
        return self.g_to_c(self.c_to_g(pos))

    # ------------------------------------------------------------------ regions

    def region_of_m(self, m: int) -> str:
        """``5'UTR``, ``CDS`` or ``3'UTR`` of an mRNA position."""
        if m < self.cds_start:
            return "5'UTR"
        return "CDS" if m <= self.cds_end else "3'UTR"

    def locate(self, pos: CPos) -> Location:
        """Where ``pos`` lies (raises :class:`CoordinateError` for impossible positions)."""
        g = self.c_to_g(pos)
        m = self.c_to_m(pos)
        if m is not None:
            ex = self.exon_of(m)
            idx = self.exons.index(ex)
            dists = []
            if idx > 0:
                dists.append(m - ex.mrna_start + 1)
            if idx < len(self.exons) - 1:
                dists.append(ex.mrna_end - m + 1)
            return Location("exon", self.region_of_m(m), ex.number, g, m, min(dists, default=None))
        if pos.offset:
            anchor = self._virtual_m(pos)
            ex = self.exon_of(anchor)
            number = ex.number if pos.offset > 0 else ex.number - 1
            return Location("intron", self.region_of_m(anchor), number, g, None, abs(pos.offset))
        if g > self.g_first:
            return Location("upstream", None, None, g)
        return Location("downstream", None, None, g)
