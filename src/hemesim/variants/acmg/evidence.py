"""Published ALAS2 variants the criteria compare against (curated records and UniProt).

Two package tables of :mod:`hemesim.gene`: the curated records
(``alas2_curated_variants.csv``, :func:`hemesim.gene.curated.curated_variants`) and UniProt's
annotated variants of P22557 (``alas2_uniprot_variants.tsv``, entry version 233, with the PubMed
ids UniProt cites). Records of certainty ``unsure`` are never used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from hemesim.errors import GeneError
from hemesim.gene.curated import CuratedVariant, curated_variants
from hemesim.gene.genetic_code import aa3
from hemesim.variants.parse import parse

__all__ = ["PublishedMissense", "functional_finding", "mechanism_findings", "published_missense"]


@dataclass(frozen=True)
class PublishedMissense:
    """A published missense change of ALAS2.

    Attributes
    ----------
    residue, ref, alt
        Position and one-letter residues.
    disease
        ``XLSA``, ``XLP``, ``VUS``/``modifier`` ...
    effect_class
        Curated class (``loss_of_function`` ...) or ``""`` for UniProt-only rows.
    hgvs_c
        Curated c. change, ``""`` when only the protein change was reported.
    activity
        What the in-vitro study found, as written (``""`` when none).
    source
        Citation text with ``PMID:n``.
    origin
        ``curated`` or ``uniprot``.
    """

    residue: int
    ref: str
    alt: str
    disease: str
    effect_class: str
    hgvs_c: str
    activity: str
    source: str
    origin: str

    @property
    def p(self) -> str:
        """``p.Arg452His``."""
        return f"p.{aa3(self.ref)}{self.residue}{aa3(self.alt)}"


def _uniprot_rows() -> list[dict[str, str]]:
    res = resources.files("hemesim.gene").joinpath("data", "alas2_uniprot_variants.tsv")
    if not res.is_file():
        raise GeneError("package data alas2_uniprot_variants.tsv is missing; reinstall hemesim")
    lines = [ln for ln in res.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))


@lru_cache(maxsize=1)
def published_missense() -> tuple[PublishedMissense, ...]:
    """Every published missense change: curated records first, then UniProt rows not curated."""
    out: list[PublishedMissense] = []
    seen: set[tuple[int, str]] = set()
    for rec in curated_variants():
        if rec.provisional or not rec.hgvs_p:
            continue
        p = parse(rec.hgvs_p)
        if p.edit != "sub" or p.p_start is None or p.ref is None or p.alt is None:
            continue
        activity = rec.activity_percent_of_wt
        activity = f"{activity}% of wild type" if activity else ""
        if not activity and "thermolabile" in rec.mechanism:
            activity = f"thermolabile in vitro ({rec.parameter_basis})"
        out.append(
            PublishedMissense(
                residue=p.p_start,
                ref=p.ref,
                alt=p.alt,
                disease=rec.phenotype,
                effect_class=rec.effect_class,
                hgvs_c=rec.hgvs_c,
                activity=activity,
                source=rec.source,
                origin="curated",
            )
        )
        seen.add((p.p_start, p.alt))
    notes: dict[tuple[int, str], str] = {}
    for row in _uniprot_rows():
        if row["disease"] == "mutagenesis":
            continue
        key = (int(row["position"]), row["alt"])
        pubmed = ";".join(f"PMID:{x}" for x in row["pubmed"].split(";") if x)
        notes[key] = row["note"]
        if key in seen:
            continue
        out.append(
            PublishedMissense(
                residue=key[0],
                ref=row["ref"],
                alt=row["alt"],
                disease=row["disease"],
                effect_class="",
                hgvs_c="",
                activity=row["note"] if "activit" in row["note"] else "",
                source=f"UniProt P22557 VARIANT ({pubmed})",
                origin="uniprot",
            )
        )
    # curated records take UniProt's activity note when they have no number of their own
    merged: list[PublishedMissense] = []
    for item in out:
        note = notes.get((item.residue, item.alt), "")
        thin = item.origin == "curated" and not item.activity
        if thin and ("activit" in note or "thermo" in note):
            item = replace(item, activity=f"UniProt: {note}")
        merged.append(item)
    return tuple(merged)


def functional_finding(rec: CuratedVariant) -> tuple[str, str] | None:
    """What in-vitro studies found for a curated record: ``(direction, text)`` or ``None``.

    ``direction`` is ``"reduced"`` (activity or stability lowered), ``"increased"`` (activity
    raised) or ``"normal"`` (activity not affected). Read from the record's activity column,
    mechanism and basis, and UniProt's note for the same missense change.
    """
    if rec.provisional:
        return None
    note = ""
    if rec.hgvs_p:
        p = parse(rec.hgvs_p)
        if p.edit == "sub" and p.p_start is not None:
            for row in published_missense():
                if row.residue == p.p_start and row.alt == p.alt:
                    note = row.activity
    basis = rec.parameter_basis
    cites = rec.source
    if rec.mechanism == "missense_activity_not_reduced_in_vitro" or "does not affect" in note:
        return "normal", f"in-vitro activity not reduced ({note or basis}; {cites})"
    if rec.effect_class == "gain_of_function" and ("kcat" in basis or "increased" in cites):
        return "increased", f"in-vitro activity increased ({basis}; {cites})"
    if "increased enzyme activity" in note or "increased activity" in basis:
        return "increased", f"in-vitro activity increased ({note or basis}; {cites})"
    if rec.effect_class == "loss_of_function":
        if rec.activity_percent_of_wt:
            return "reduced", f"{rec.activity_percent_of_wt}% of wild-type activity ({cites})"
        if "thermolabile" in rec.mechanism:
            return "reduced", f"thermolabile enzyme in vitro ({basis}; {cites})"
        if "reduced activity" in note or "thermosensitivity" in note:
            return "reduced", f"{note.removeprefix('UniProt: ')} (UniProt; {cites})"
    return None


def mechanism_findings(hgvs_p: str | None, hgvs_c: str | None) -> list[tuple[str, str]]:
    """In-vitro findings of the curated mechanisms table (:mod:`hemesim.gene.mechanisms`) for a
    variant: ``(direction, text)`` per record, direction as in :func:`functional_finding`.

    Records quoted only by a secondary source are left out. ``c_terminal_gain`` is a raised
    activity, ``no_defect_in_vitro`` a normal one, every other mechanism (catalytic, thermolabile,
    unstable, expression, PLP or SUCLA2 defects) a reduced function.
    """
    from hemesim.gene.mechanisms import records_for

    p = hgvs_p.split(":", 1)[1] if hgvs_p and ":" in hgvs_p else hgvs_p
    c = hgvs_c.split(":", 1)[1] if hgvs_c and ":" in hgvs_c else hgvs_c
    if not p and not c:
        return []
    out: list[tuple[str, str]] = []
    for rec in records_for(hgvs_p=p or None, hgvs_c=c or None):
        if rec.certainty == "secondary":
            continue
        if rec.mechanism == "c_terminal_gain":
            direction = "increased"
        elif rec.mechanism == "no_defect_in_vitro":
            direction = "normal"
        else:
            direction = "reduced"
        value = "" if rec.value is None else f" {rec.value:g} x wild type"
        measured = f"; {rec.measured_as}" if rec.measured_as else ""
        out.append(
            (
                direction,
                f"{rec.mechanism.replace('_', ' ')}: {rec.factor}{value}{measured} ({rec.source}, "
                f"{rec.location}; {rec.certainty})",
            )
        )
    return out
