"""Interpret many ALAS2 variants from a file: one description per line, or a VCF.

A bad line never stops the run: it becomes a row with its line number and the error message.
VCF records are interpreted from their ``NM_000032.5:c.`` annotations in INFO (VEP ``CSQ`` /
snpEff ``ANN`` / ``HGVSc``; one row per distinct annotation, so every annotated ALT allele of a
multi-allelic record), whatever their coordinates. Records without one are read from their
GRCh38 coordinates (CHROM ``X``/``chrX``/``23``): one row per ALT allele, placed on the transcript
with the exon map and normalised (a left-normalised indel maps to the 3'-shifted c.
description); records outside ALAS2 and its 5-kb flanks are skipped. A header that names
GRCh37/hg19 turns coordinate reading off (error rows), since the exon map is GRCh38.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemesim.errors import HemesimError, VariantError
from hemesim.gene.reference import TRANSCRIPT
from hemesim.provenance import provenance
from hemesim.safe_io import MAX_VARIANT_FILE_BYTES, InputFileError, read_input_bytes
from hemesim.variants.interpret import VariantReport, interpret

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BatchRow",
    "BatchResult",
    "read_entries",
    "interpret_file",
    "interpret_lines",
    "COLUMNS",
]

COLUMNS = (
    "line", "input", "hgvs_c", "hgvs_p", "consequence", "domain", "known", "effect_class",
    "kcat_factor", "km_succoa_factor", "kd_plp_factor", "stability_factor", "ire_factor",
    "expression_factor", "reference_check", "grch38_vcf", "hgvs_g", "error",
)  # fmt: skip
"""Columns of the output table, in order."""

_HGVSC_IN_INFO = re.compile(r"NM_000032(?:\.5)?:(c\.[^|,;\s]+)")
_GRCH37 = re.compile(r"GRCh37|hg19|b37|hs37|NCBI37", re.I)


@dataclass(frozen=True)
class BatchRow:
    """One input line: its report, or the error it raised (exactly one of the two is set)."""

    line: int
    input: str
    report: VariantReport | None = None
    error: str | None = None

    def to_record(self) -> dict[str, Any]:
        """Flat row with :data:`COLUMNS` keys."""
        rec: dict[str, Any] = dict.fromkeys(COLUMNS)
        rec.update(line=self.line, input=self.input, error=self.error)
        r = self.report
        if r is not None:
            rec.update(
                hgvs_c=r.hgvs_c,
                hgvs_p=r.hgvs_p,
                consequence=r.consequence,
                domain="; ".join(r.domain.get("regions", [])),
                known=None if r.known is None else f"{r.known.phenotype} ({r.known.certainty})",
                effect_class=r.effect.effect_class,
                reference_check=r.reference_check,
                **_grch38_columns(r),
                **r.effect.factors(),
            )
        return rec


def _grch38_columns(r: VariantReport) -> dict[str, Any]:
    g = r.grch38 or {}
    vcf = g.get("vcf")
    text = None if not vcf else f"{vcf['chrom']}-{vcf['pos']}-{vcf['ref']}-{vcf['alt']}"
    return {"grch38_vcf": text, "hgvs_g": g.get("hgvs_g")}


@dataclass(frozen=True)
class BatchResult:
    """All rows of a batch run, with the count of skipped (non-ALAS2 or blank) entries."""

    source: str
    rows: tuple[BatchRow, ...]
    skipped: int = 0
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[BatchRow, ...]:
        """Rows that could not be interpreted."""
        return tuple(r for r in self.rows if r.error is not None)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per row."""
        return [r.to_record() for r in self.rows]

    def to_dataframe(self) -> pd.DataFrame:
        """The table as a pandas DataFrame with :data:`COLUMNS`."""
        import pandas as pd

        return pd.DataFrame(self.to_records(), columns=list(COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``source``, ``n``, ``n_errors``, ``skipped``, ``rows`` (full reports
        or errors) and ``provenance``."""
        rows = []
        for r in self.rows:
            entry: dict[str, Any] = {"line": r.line, "input": r.input}
            if r.report is not None:
                entry["report"] = r.report.to_dict()
                entry["report"].pop("provenance", None)
            else:
                entry["error"] = r.error
            rows.append(entry)
        return {
            "source": self.source,
            "n": len(self.rows),
            "n_errors": len(self.errors),
            "skipped": self.skipped,
            "rows": rows,
            "provenance": self.provenance,
        }


def _annotations(info: str) -> list[str]:
    """Distinct ``c.`` descriptions on NM_000032 in a VCF INFO column, in order.

    VEP (``CSQ``, ``HGVSc``) writes ``NM_000032.5:c.1355G>A`` in one field. snpEff's ``ANN``
    puts the transcript and the HGVS.c in separate fields of each ``|``-separated annotation
    (field 7 Feature_ID, field 10 HGVS.c; snpEff's VCF annotation standard).
    """
    found = list(_HGVSC_IN_INFO.findall(info))
    for item in info.split(";"):
        key, _, value = item.partition("=")
        if key.strip() != "ANN":
            continue
        for annotation in value.split(","):
            fields = annotation.split("|")
            if len(fields) > 9 and fields[6].startswith("NM_000032") and fields[9]:
                found.append(fields[9])
    return list(dict.fromkeys(c for c in found if c.startswith("c.")))


def _is_sequence_allele(alt: str) -> bool:
    """True for an ALT allele made of bases: not missing (``.``), not the spanning deletion
    ``*``, not symbolic (``<NON_REF>``, ``<DEL>``) and not a breakend (``]chr:pos]N``)."""
    return (
        bool(alt)
        and alt not in (".", "*")
        and not alt.startswith("<")
        and not any(c in alt for c in "[]")
    )


def _vcf_entries(lines: list[str]) -> Iterator[tuple[int, str | None, str]]:
    """Yield (line, text to interpret or None, label) for the VCF records to interpret.

    A record is interpreted from every distinct ``NM_000032.5:c.`` annotation in its INFO (one
    per ALT allele in VEP's ``CSQ`` or snpEff's ``ANN``), wherever its coordinates lie: an
    annotation names the transcript whatever the assembly. A record with more ALT alleles than
    annotations gets an error row for the unannotated ones. A record without an annotation is
    read from its GRCh38 coordinates, one ``CHROM-POS-REF-ALT`` entry per sequence ALT allele;
    it is skipped outside ALAS2 and its flanks.
    """
    from hemesim.gene.reference import load_reference

    tm = load_reference().tx_map
    assert tm is not None
    lo, hi = tm.g_window
    header = "\n".join(ln for ln in lines[:500] if ln.startswith("##"))
    grch37 = _GRCH37.search(header)
    for i, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.rstrip("\n").split("\t")
        if len(cols) < 5:
            yield i, None, f"VCF line has {len(cols)} columns; expected at least 5 (CHROM..ALT)"
            continue
        chrom, pos_text, _, ref, alt = cols[:5]
        try:
            pos = int(pos_text)
        except ValueError:
            yield i, None, f"VCF POS {pos_text!r} is not an integer"
            continue
        label = f"{chrom}:{pos} {ref}>{alt}"
        info = cols[7] if len(cols) > 7 else ""
        annotated = _annotations(info)
        alts = [a for a in alt.split(",") if _is_sequence_allele(a)]
        if not annotated:
            on_x = chrom.lower().removeprefix("chr") in ("x", "23") or chrom == "NC_000023.11"
            if not on_x or not lo <= pos <= hi:
                yield i, "", "skip"
                continue
            if grch37:
                yield (
                    i,
                    None,
                    f"{label}: the VCF header names {grch37.group(0)}, but hemesim's exon map is "
                    "GRCh38; annotate the record with NM_000032.5:c. or lift it over to GRCh38",
                )
                continue
            if not alts:  # a gVCF reference block (<NON_REF>) or a monomorphic site (.)
                yield i, "", "skip"
                continue
            for a in alts:
                yield i, f"{chrom}-{pos}-{ref}-{a}", label
            continue
        for c_text in annotated:
            yield i, f"{TRANSCRIPT}:{c_text}", label
        if len(alts) > len(annotated):
            yield (
                i,
                None,
                (
                    f"{label} has {len(alts)} ALT alleles but {len(annotated)} distinct "
                    f"{TRANSCRIPT}:c. annotation(s) in INFO; the other allele(s) cannot be mapped"
                ),
            )


def read_entries(text: str) -> tuple[list[tuple[int, str, str | None]], int]:
    """Split file text into ``(line, input, error)`` entries and a skipped count.

    Plain lists: one variant per line; blank lines and ``#`` comments are skipped. VCF (detected
    by ``##fileformat=VCF`` or a ``#CHROM`` header): see the module docstring.
    """
    lines = text.removeprefix("\ufeff").splitlines()  # a byte-order mark is not a variant
    is_vcf = any(line.startswith(("##fileformat=VCF", "#CHROM")) for line in lines[:200])
    entries: list[tuple[int, str, str | None]] = []
    skipped = 0
    if is_vcf:
        for i, c_text, label in _vcf_entries(lines):
            if label == "skip":
                skipped += 1
            elif c_text is None:
                entries.append((i, " ".join(lines[i - 1].split("\t")[:5]), label))
            else:
                entries.append((i, c_text, None))
        return entries, skipped
    for i, line in enumerate(lines, start=1):
        item = line.strip()
        if not item or item.startswith("#"):
            skipped += 1
            continue
        entries.append((i, item, None))
    return entries, skipped


def interpret_lines(
    entries: list[tuple[int, str, str | None]],
    source: str = "<lines>",
    skipped: int = 0,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Interpret pre-split entries; each failure becomes an error row.

    Parameters
    ----------
    entries
        ``(line number, variant text, error or None)`` as from :func:`read_entries`.
    source
        Name of the input, for provenance.
    skipped
        Number of skipped lines to record.
    progress
        Called with 1 after each entry (for a progress bar).
    """
    rows: list[BatchRow] = []
    # A repeated description is interpreted once (the HGVS grammar costs milliseconds a line,
    # and lab files repeat variants): its report (immutable) or error is reused, line by line.
    seen: dict[str, tuple[VariantReport | None, str | None]] = {}
    for line, item, err in entries:
        if err is not None:
            rows.append(BatchRow(line, item, error=err))
            if progress is not None:
                progress(1)
            continue
        known = seen.get(item)
        if known is None:
            try:
                known = (interpret(item), None)
            except HemesimError as exc:
                known = (None, str(exc))
            seen[item] = known
        rows.append(BatchRow(line, item, report=known[0], error=known[1]))
        if progress is not None:
            progress(1)
    prov = provenance("hemesim.variants", {"source": source, "n": len(rows)})
    return BatchResult(source=source, rows=tuple(rows), skipped=skipped, provenance=prov)


def interpret_file(path: str | Path, progress: Callable[[int], None] | None = None) -> BatchResult:
    """Interpret every variant in a list file or VCF.

    Raises
    ------
    VariantError
        If the file cannot be read, is a FIFO or a device, or is larger than
        :data:`hemesim.safe_io.MAX_VARIANT_FILE_BYTES` (256 MiB); individual bad lines do not
        raise.
    """
    p = Path(path)
    try:
        text = read_input_bytes(p, MAX_VARIANT_FILE_BYTES, "variants file").decode("utf-8")
    except InputFileError as exc:  # a FIFO, a device (/dev/zero), or too large
        raise VariantError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise VariantError(
            f"variants file {str(p)!r} cannot be read ({exc.__class__.__name__}); "
            "expected a UTF-8 text file, one variant per line, or a VCF"
        ) from None
    entries, skipped = read_entries(text)
    return interpret_lines(entries, source=str(p), skipped=skipped, progress=progress)
