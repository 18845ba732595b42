"""Curated known ALAS2 variants with their published effect and source.

Built from ``data/alas2_curated_variants.csv`` (see ``data/README.md``). The ``certainty`` column
is respected: records marked ``unsure`` are shown to the user but their numbers are not used
(the variant stage falls back to its rules for them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from hemesim.errors import GeneError

__all__ = ["CuratedVariant", "curated_variants", "CERTAINTY_LEVELS", "FACTOR_NAMES"]

CERTAINTY_LEVELS = ("verbatim", "verbatim_protein", "derived_c", "secondary_c", "unsure")
"""Allowed values of the ``certainty`` column, most to least certain."""

FACTOR_NAMES = ("kcat_factor", "km_succoa_factor", "kd_plp_factor", "stability_factor")
"""Effect factors a curated record may set (dimensionless multipliers on wild type)."""

_EFFECT_CLASSES = ("loss_of_function", "gain_of_function", "neutral", "uncertain")


@dataclass(frozen=True)
class CuratedVariant:
    """One published ALAS2 variant.

    Attributes
    ----------
    hgvs_c, hgvs_p
        ``c.`` and ``p.`` descriptions on NM_000032.5 / NP_000023.2 (either may be empty).
    phenotype
        ``XLSA``, ``XLP`` or ``VUS``.
    mechanism
        Short label of the mechanism (e.g. ``loss_of_function_thermolabile``).
    effect_class
        ``loss_of_function`` | ``gain_of_function`` | ``neutral`` | ``uncertain``.
    factors
        Measured or assigned factors (only those that were set), dimensionless.
    parameter_basis
        Where the numbers come from (measured value, midpoint, assumption).
    activity_percent_of_wt
        Reported in-vitro activity (% of wild type, text as published) or empty.
    pyridoxine_responsive
        ``yes`` | ``no`` | ``unknown``.
    source, certainty, notes
        Citation(s), certainty level (see :data:`CERTAINTY_LEVELS`), free text.
    """

    hgvs_c: str
    hgvs_p: str
    phenotype: str
    mechanism: str
    effect_class: str
    factors: tuple[tuple[str, float], ...]
    parameter_basis: str
    activity_percent_of_wt: str
    pyridoxine_responsive: str
    source: str
    certainty: str
    notes: str

    @property
    def provisional(self) -> bool:
        """True when the record's numbers must not be used (certainty ``unsure``)."""
        return self.certainty == "unsure"

    def factor_dict(self) -> dict[str, float]:
        """The set factors as a dict."""
        return dict(self.factors)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = asdict(self)
        d["factors"] = self.factor_dict()
        d["provisional"] = self.provisional
        return d


def _parse_row(row: dict[str, str], line: int) -> CuratedVariant:
    certainty = row["certainty"].strip()
    if certainty not in CERTAINTY_LEVELS:
        raise GeneError(
            f"curated variants line {line}: certainty {certainty!r} is not one of "
            f"{', '.join(CERTAINTY_LEVELS)}"
        )
    effect_class = row["effect_class"].strip()
    if effect_class not in _EFFECT_CLASSES:
        raise GeneError(f"curated variants line {line}: effect_class {effect_class!r} unknown")
    factors: list[tuple[str, float]] = []
    for name in FACTOR_NAMES:
        value = row.get(name, "").strip()
        if value:
            factors.append((name, float(value)))
    return CuratedVariant(
        hgvs_c=row["hgvs_c"].strip(),
        hgvs_p=row["hgvs_p"].strip(),
        phenotype=row["phenotype"].strip(),
        mechanism=row["mechanism"].strip(),
        effect_class=effect_class,
        factors=tuple(factors),
        parameter_basis=row["parameter_basis"].strip(),
        activity_percent_of_wt=row["activity_percent_of_wt"].strip(),
        pyridoxine_responsive=row["pyridoxine_responsive"].strip() or "unknown",
        source=row["source"].strip(),
        certainty=certainty,
        notes=row["notes"].strip(),
    )


@lru_cache(maxsize=1)
def curated_variants() -> tuple[CuratedVariant, ...]:
    """All curated ALAS2 variants, in file order (cached).

    Raises
    ------
    GeneError
        If the packaged CSV is missing or has a bad value.
    """
    res = resources.files("hemesim.gene").joinpath("data", "alas2_curated_variants.csv")
    if not res.is_file():
        raise GeneError("package data alas2_curated_variants.csv is missing; reinstall hemesim")
    reader = csv.DictReader(io.StringIO(res.read_text(encoding="utf-8")))
    return tuple(_parse_row(row, i) for i, row in enumerate(reader, start=2))
