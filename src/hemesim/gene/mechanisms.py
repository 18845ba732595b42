"""Per-variant mechanisms and measured factors of ALAS2 variants, curated from primary papers.

Two package data files (see ``data/README.md``, section "Variant mechanisms"):

``data/alas2_mechanisms.csv``
    One row per (variant, factor, source): the factor a variant changes (turnover, substrate
    affinities, PLP affinity, stability with and without PLP, the SUCLA2 interaction, expression,
    the IRE), as a mutant / wild-type ratio with the quantity as published, the assay, the source,
    where in the paper the number was read and a certainty tag (``table``, ``figure``, ``text``,
    ``secondary`` or ``not_read``).
``data/rule_default_ranges.csv``
    For the variant-stage rules that assign default factors, an uncertainty range derived from the
    curated values, with the calculation in words.

Every loader checks its file when it is read: an unknown factor or certainty, a ratio that is not a
positive finite number, a number without source or location, or a protein residue that does not
match UniProt P22557 raises :class:`~hemesim.errors.GeneError` naming the line and the column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from hemesim.errors import GeneError
from hemesim.gene.genetic_code import AA1
from hemesim.gene.reference import load_reference

__all__ = [
    "FACTORS",
    "CERTAINTIES",
    "MEASURED_CERTAINTIES",
    "MECHANISM_COLUMNS",
    "RULE_RANGE_COLUMNS",
    "MechanismRecord",
    "RuleDefaultRange",
    "parse_mechanisms",
    "parse_rule_ranges",
    "mechanism_records",
    "records_for",
    "rule_default_ranges",
    "normalise_hgvs_p",
]

FACTORS = (
    "kcat",
    "km_gly",
    "km_succoa",
    "kd_plp",
    "half_life_holo",
    "half_life_apo",
    "sucla2_binding",
    "expression",
    "ire",
)
"""Factors a record can carry; each is a dimensionless mutant / wild-type ratio:
turnover number, Km(glycine), Km(succinyl-CoA), Kd(PLP), half-life with PLP (holoenzyme) and
without PLP (apoenzyme), fraction of the wild-type SUCLA2 interaction kept, expression (mRNA,
protein or reporter) and IRE function."""

CERTAINTIES = ("table", "figure", "text", "secondary", "not_read")
"""Certainty tags: read in a table, read off a figure (approximate), stated in the text or
abstract, quoted by a secondary source, or reported by the paper but the number was not read."""

MEASURED_CERTAINTIES = ("table", "figure", "text")
"""Certainties whose numbers were read in the primary paper itself."""

MECHANISM_COLUMNS = (
    "hgvs_c",
    "hgvs_p",
    "mechanism",
    "factor",
    "value",
    "low",
    "high",
    "measured_as",
    "assay",
    "source",
    "location",
    "certainty",
    "notes",
)
"""Columns of ``alas2_mechanisms.csv``, in order."""

RULE_RANGE_COLUMNS = ("rule", "factor", "value", "low", "high", "basis")
"""Columns of ``rule_default_ranges.csv``, in order."""

_MECHANISMS_FILE = "alas2_mechanisms.csv"
_RULE_RANGES_FILE = "rule_default_ranges.csv"
_HGVS_P = re.compile(r"^p\.\((?P<body>.+)\)$")
_RESIDUE = re.compile(r"(?P<aa>[A-Z][a-z]{2})(?P<pos>\d+)")
_VARIANT_NOTE = "variant:"
_LABEL = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class MechanismRecord:
    """One curated (variant, factor, source) row of ``alas2_mechanisms.csv``.

    Attributes
    ----------
    hgvs_c
        c. description on NM_000032.5 (c.1 = A of ATG) or ``""`` when not known.
    hgvs_p
        p. description on NP_000023.2 in the style ``p.(Arg452Cys)`` / ``p.(Gln548Ter)``, or ``""``
        (regulatory variants; the variant is then named in ``notes`` after ``variant:``).
    mechanism
        Short snake_case label (``catalytic``, ``plp_responsive``, ``thermolabile_plp_rescued``,
        ``sucla2_interaction``, ``expression``, ``c_terminal_gain``, ...).
    factor
        One of :data:`FACTORS`.
    value
        Mutant / wild-type ratio (dimensionless, > 0), or ``None`` when the paper gives only a
        range or bound (``low``/``high``) or the number was not read (certainty ``not_read``).
    low, high
        Reported range or the SE/SD-based range of the ratio (dimensionless), or ``None``.
    measured_as
        The quantity exactly as published, with units.
    assay
        Purified recombinant enzyme, E. coli expression, cell line or patient cells, and species.
    source
        Authors, journal, year, volume:pages and PMID (or what of these was seen).
    location
        Where in the paper (``"Table 3"``, ``"abstract"``, ...).
    certainty
        One of :data:`CERTAINTIES`.
    notes
        Arithmetic behind the ratio, caveats, the variant name for regulatory variants.
    """

    hgvs_c: str
    hgvs_p: str
    mechanism: str
    factor: str
    value: float | None
    low: float | None
    high: float | None
    measured_as: str
    assay: str
    source: str
    location: str
    certainty: str
    notes: str

    @property
    def measured(self) -> bool:
        """True when a point value was read in the primary paper (table, figure or text)."""
        return self.value is not None and self.certainty in MEASURED_CERTAINTIES

    @property
    def has_number(self) -> bool:
        """True when the record carries a value or a bound."""
        return any(x is not None for x in (self.value, self.low, self.high))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``measured`` added)."""
        d = asdict(self)
        d["measured"] = self.measured
        return d


@dataclass(frozen=True)
class RuleDefaultRange:
    """Uncertainty range of one default factor of a variant-stage rule.

    Attributes
    ----------
    rule
        Rule name as in ``hemesim.variants.effect_rules.RULES``.
    factor
        One of :data:`FACTORS`.
    value
        The rule's default (mutant / wild-type ratio, dimensionless, > 0).
    low, high
        95 %-style uncertainty range of that default, derived from the curated values.
    basis
        The calculation, naming the curated values used; a proposed new default, if any.
    """

    rule: str
    factor: str
    value: float
    low: float
    high: float
    basis: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def normalise_hgvs_p(hgvs_p: str) -> str:
    """Return ``hgvs_p`` in the curated style: parentheses, three-letter codes, ``Ter`` for stop.

    Parameters
    ----------
    hgvs_p
        e.g. ``"p.Gln548*"``, ``"p.(Gln548Ter)"``, ``"p.(Met567Glufs*2)"``.

    Returns
    -------
    str
        e.g. ``"p.(Gln548Ter)"``, ``"p.(Met567GlufsTer2)"``; ``""`` for empty input.
    """
    s = hgvs_p.strip()
    if not s:
        return ""
    if s.startswith("p.") and not s.startswith("p.("):
        s = f"p.({s[2:]})"
    return s.replace("*", "Ter")


def _where(name: str, line: int, column: str) -> str:
    return f"{name} line {line}, column '{column}'"


def _ratio(text: str, name: str, line: int, column: str) -> float | None:
    t = text.strip()
    if not t:
        return None
    try:
        x = float(t)
    except ValueError:
        raise GeneError(
            f"{_where(name, line, column)}: {t!r} is not a number; expected a positive "
            "mutant / wild-type ratio or an empty cell"
        ) from None
    if not math.isfinite(x) or x <= 0:
        raise GeneError(
            f"{_where(name, line, column)}: {t!r} must be a finite ratio > 0 "
            "(mutant / wild type, dimensionless)"
        )
    return x


def _check_header(fieldnames: Sequence[str] | None, expected: tuple[str, ...], name: str) -> None:
    if tuple(fieldnames or ()) != expected:
        raise GeneError(
            f"{name} line 1: header {','.join(fieldnames or [])!r} does not match the expected "
            f"columns {','.join(expected)!r}"
        )


def _check_range(
    value: float | None, low: float | None, high: float | None, name: str, line: int
) -> None:
    if low is not None and high is not None and low > high:
        raise GeneError(f"{_where(name, line, 'low')}: low {low} is above high {high}")
    if value is not None and low is not None and value < low:
        raise GeneError(f"{_where(name, line, 'value')}: value {value} is below low {low}")
    if value is not None and high is not None and value > high:
        raise GeneError(f"{_where(name, line, 'value')}: value {value} is above high {high}")


def _check_protein(hgvs_p: str, name: str, line: int) -> None:
    m = _HGVS_P.match(hgvs_p)
    first = _RESIDUE.match(m.group("body")) if m else None
    if m is None or first is None:
        raise GeneError(
            f"{_where(name, line, 'hgvs_p')}: {hgvs_p!r} is not of the form p.(Arg452Cys), "
            "p.(Gln548Ter) or p.(Met567GlufsTer2)"
        )
    ref = load_reference()
    body = m.group("body")
    # the reference residues: the first one, and the range end of a deletion/duplication (A_B)
    refs = [first]
    end = re.match(r"_(?P<aa>[A-Z][a-z]{2})(?P<pos>\d+)", body[first.end() :])
    if end:
        refs.append(end)
    for r in refs:
        pos = int(r.group("pos"))
        three = r.group("aa")
        if three.upper() not in AA1:
            raise GeneError(
                f"{_where(name, line, 'hgvs_p')}: {three!r} in {hgvs_p!r} is not an amino-acid "
                "three-letter code"
            )
        if not 1 <= pos <= ref.protein_length:
            raise GeneError(
                f"{_where(name, line, 'hgvs_p')}: position {pos} in {hgvs_p!r} is outside "
                f"P22557 1..{ref.protein_length}"
            )
        actual = ref.residue(pos)
        if AA1[three.upper()] != actual:
            raise GeneError(
                f"{_where(name, line, 'hgvs_p')}: {hgvs_p!r} names {three}{pos} but P22557 has "
                f"{actual} at {pos}"
            )


def parse_mechanisms(text: str, name: str = _MECHANISMS_FILE) -> tuple[MechanismRecord, ...]:
    """Parse and check the text of a mechanisms CSV.

    Parameters
    ----------
    text
        CSV text with the columns :data:`MECHANISM_COLUMNS`.
    name
        File name used in error messages.

    Returns
    -------
    tuple of MechanismRecord
        In file order.

    Raises
    ------
    GeneError
        Naming the line and column of the first problem: wrong header, unknown factor or
        certainty, a ratio that is not a finite number > 0, value outside [low, high], a number
        on a ``not_read`` row, a row without value or bound that is not ``not_read``, a missing
        source/location/measured_as/assay/mechanism, a row that names no variant, a c.
        description not starting with ``c.``, or a p. residue that does not match P22557.
    """
    reader = csv.DictReader(io.StringIO(text))
    _check_header(reader.fieldnames, MECHANISM_COLUMNS, name)
    records: list[MechanismRecord] = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise GeneError(
                f"{name} line {line}: expected {len(MECHANISM_COLUMNS)} columns "
                f"({','.join(MECHANISM_COLUMNS)})"
            )
        r = {k: v.strip() for k, v in row.items()}
        if r["factor"] not in FACTORS:
            raise GeneError(
                f"{_where(name, line, 'factor')}: {r['factor']!r} is not one of "
                f"{', '.join(FACTORS)}"
            )
        if r["certainty"] not in CERTAINTIES:
            raise GeneError(
                f"{_where(name, line, 'certainty')}: {r['certainty']!r} is not one of "
                f"{', '.join(CERTAINTIES)}"
            )
        value = _ratio(r["value"], name, line, "value")
        low = _ratio(r["low"], name, line, "low")
        high = _ratio(r["high"], name, line, "high")
        _check_range(value, low, high, name, line)
        has_number = any(x is not None for x in (value, low, high))
        if r["certainty"] == "not_read" and has_number:
            raise GeneError(
                f"{_where(name, line, 'value')}: a not_read row carries no number; give the "
                "certainty the number was read with (table, figure, text or secondary)"
            )
        if r["certainty"] != "not_read" and not has_number:
            raise GeneError(
                f"{_where(name, line, 'value')}: no value, low or high; a row without a number "
                "must have certainty not_read"
            )
        for col in ("source", "location"):
            if not r[col]:
                what = "a numeric value" if has_number else "a record"
                raise GeneError(f"{_where(name, line, col)}: {what} needs a {col}")
        for col in ("mechanism", "measured_as", "assay"):
            if not r[col]:
                raise GeneError(f"{_where(name, line, col)}: empty; every record states its {col}")
        if not _LABEL.match(r["mechanism"]):
            raise GeneError(
                f"{_where(name, line, 'mechanism')}: {r['mechanism']!r} must be a short "
                "snake_case label such as plp_responsive or c_terminal_gain"
            )
        if not (r["hgvs_c"] or r["hgvs_p"] or r["notes"].startswith(_VARIANT_NOTE)):
            raise GeneError(
                f"{_where(name, line, 'hgvs_c')}: no hgvs_c, no hgvs_p and no notes starting "
                f"with {_VARIANT_NOTE!r}; every record names its variant"
            )
        if r["hgvs_c"] and not r["hgvs_c"].startswith("c."):
            raise GeneError(
                f"{_where(name, line, 'hgvs_c')}: {r['hgvs_c']!r} must start with 'c.' "
                "(NM_000032.5 coding numbering, c.1 = A of ATG)"
            )
        if r["hgvs_p"]:
            _check_protein(r["hgvs_p"], name, line)
        records.append(
            MechanismRecord(
                hgvs_c=r["hgvs_c"],
                hgvs_p=r["hgvs_p"],
                mechanism=r["mechanism"],
                factor=r["factor"],
                value=value,
                low=low,
                high=high,
                measured_as=r["measured_as"],
                assay=r["assay"],
                source=r["source"],
                location=r["location"],
                certainty=r["certainty"],
                notes=r["notes"],
            )
        )
    return tuple(records)


def parse_rule_ranges(text: str, name: str = _RULE_RANGES_FILE) -> tuple[RuleDefaultRange, ...]:
    """Parse and check the text of a rule-default-ranges CSV.

    Parameters
    ----------
    text
        CSV text with the columns :data:`RULE_RANGE_COLUMNS`.
    name
        File name used in error messages.

    Returns
    -------
    tuple of RuleDefaultRange

    Raises
    ------
    GeneError
        Wrong header, empty rule or basis, unknown factor, a value/low/high that is missing or not
        a finite number > 0, or a value outside [low, high]; the message names line and column.
    """
    reader = csv.DictReader(io.StringIO(text))
    _check_header(reader.fieldnames, RULE_RANGE_COLUMNS, name)
    out: list[RuleDefaultRange] = []
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise GeneError(
                f"{name} line {line}: expected {len(RULE_RANGE_COLUMNS)} columns "
                f"({','.join(RULE_RANGE_COLUMNS)})"
            )
        r = {k: v.strip() for k, v in row.items()}
        for col in ("rule", "basis"):
            if not r[col]:
                raise GeneError(f"{_where(name, line, col)}: empty")
        if r["factor"] not in FACTORS:
            raise GeneError(
                f"{_where(name, line, 'factor')}: {r['factor']!r} is not one of "
                f"{', '.join(FACTORS)}"
            )
        nums: dict[str, float] = {}
        for col in ("value", "low", "high"):
            x = _ratio(r[col], name, line, col)
            if x is None:
                raise GeneError(f"{_where(name, line, col)}: empty; expected a ratio > 0")
            nums[col] = x
        _check_range(nums["value"], nums["low"], nums["high"], name, line)
        out.append(RuleDefaultRange(r["rule"], r["factor"], **nums, basis=r["basis"]))
    return tuple(out)


def _data(name: str) -> str:
    res = resources.files("hemesim.gene").joinpath("data", name)
    if not res.is_file():
        raise GeneError(f"package data {name} is missing; reinstall hemesim")
    return res.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def mechanism_records() -> tuple[MechanismRecord, ...]:
    """All curated mechanism records (checked, cached).

    Returns
    -------
    tuple of MechanismRecord
        In file order.

    Raises
    ------
    GeneError
        If the packaged file is missing or fails a check of :func:`parse_mechanisms`.
    """
    return parse_mechanisms(_data(_MECHANISMS_FILE))


def records_for(
    hgvs_p: str | None = None, hgvs_c: str | None = None
) -> tuple[MechanismRecord, ...]:
    """Curated records of one variant.

    A record matches when its c. description equals ``hgvs_c`` or its p. description equals
    ``hgvs_p`` (p. compared after :func:`normalise_hgvs_p`, so ``p.Gln548*`` finds
    ``p.(Gln548Ter)``): the same protein change from another codon change has the same effect.

    Parameters
    ----------
    hgvs_p
        Protein description on NP_000023.2, or ``None``.
    hgvs_c
        Coding description on NM_000032.5, or ``None``.

    Returns
    -------
    tuple of MechanismRecord
        Possibly empty (no curated data: the rules apply).

    Raises
    ------
    GeneError
        If neither description is given.
    """
    p = normalise_hgvs_p(hgvs_p or "")
    c = (hgvs_c or "").strip()
    if not p and not c:
        raise GeneError(
            "records_for needs hgvs_p (e.g. 'p.(Arg452Cys)') or hgvs_c (e.g. 'c.1354C>T')"
        )
    return tuple(
        r
        for r in mechanism_records()
        if (c and r.hgvs_c == c) or (p and r.hgvs_p and normalise_hgvs_p(r.hgvs_p) == p)
    )


@lru_cache(maxsize=1)
def rule_default_ranges() -> tuple[RuleDefaultRange, ...]:
    """Uncertainty ranges of the rule defaults (checked, cached).

    Returns
    -------
    tuple of RuleDefaultRange
        One per (rule, factor).

    Raises
    ------
    GeneError
        If the packaged file is missing or fails a check of :func:`parse_rule_ranges`.
    """
    return parse_rule_ranges(_data(_RULE_RANGES_FILE))
