"""Vitamin B6 status by age: a factor on the model's PLP cofactor level for a person's age.

Late-onset, pyridoxine-responsive XLSA is described in old men with thermolabile ALAS2 variants
that PLP stabilises (Cotter et al., J Clin Invest 1995: p.Lys299Gln, a man of 77), and vitamin
B6 status falls with age (``data/plp_by_age.csv``). The model's ``PLP`` (2 uM, assumed; the
young-adult level) is multiplied by the factor of this module, so a variant whose activity or
stability depends on PLP (``kd_plp_factor``, ``apo_stability_factor``) loses activity with age
while the wild type, whose ALAS2 is ~95 % PLP-bound, hardly changes.

The factor
----------
Calculated from the rows of ``plp_by_age.csv`` with a numeric ``median`` of ``plasma_PLP`` for
the person's sex (today one study: Mei et al., Front Nutr 2026, Table 3; median plasma PLP of
healthy adults aged 20-80 y, < 50 y vs >= 50 y):

* the **reference band** is the youngest band (< 50 y): factor 1, held from age 0 to the band's
  upper edge (50 y), so any age up to 50 y, and a person whose age is not given, keeps the
  model's default ``PLP`` (the numbers of hemesim before ages acted on PLP);
* each older band contributes ``median(band) / median(reference band)`` at the band's midpoint
  (>= 50 y: 50-80 y, midpoint 65 y);
* between these points the factor is linear in age; beyond the last midpoint it is held at the
  last band's value (stated rule: the study reports group contrasts, not a curve; no
  extrapolation past the data).

Men: 31.68 / 38.44 = 0.824 from 65 y on; women: 41.38 / 39.65 = 1.044 (the study found PLP of
women "largely stable" with age, and the factor follows the data rather than the hypothesis).

Assumptions (tagged ``assumed`` in every output)
------------------------------------------------
* Plasma PLP is a proxy for the PLP available to ALAS2 in erythroid mitochondria, and the
  model's ``PLP`` moves in proportion to it.
* The factor describes people who do not take vitamin B6 supplements (NHANES: in men plasma PLP
  fell with age "only in nonusers of supplemental vitamin B-6", Morris et al. 2008).
* **Pyridoxine removes the age factor**: under treatment the PLP level is the young adult's
  times the pyridoxine factor (:mod:`hemesim.phenotype.treatments`). Basis: with 8 mg/day
  pyridoxine the PLP difference between young and middle-aged women on the same diet was no
  longer significant (Lee, PhD thesis, Oregon State University 1984).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from hemesim.errors import PhenotypeError
from hemesim.phenotype.grading import validate_sex
from hemesim.phenotype.treatments import PLP_PARAMETER

__all__ = [
    "PLP_AGE_FILE",
    "PlpByAgeRow",
    "PlpAgeFactor",
    "plp_by_age_rows",
    "age_anchors",
    "plp_age_factor",
    "cell_factors_at_age",
    "MAX_AGE_YEARS",
]

PLP_AGE_FILE = "plp_by_age.csv"
MAX_AGE_YEARS = 120.0
_COLUMNS = (
    "quantity",
    "sex",
    "age_band",
    "age_low_years",
    "age_high_years",
    "statistic",
    "value",
    "unit",
    "n",
    "source",
    "location",
    "certainty",
    "notes",
)
_CERTAINTY = ("table", "text", "figure", "secondary")
ASSUMPTIONS = (
    "assumed: plasma PLP is a proxy for the PLP available to ALAS2 in erythroid mitochondria",
    "assumed: the person takes no vitamin B6 supplement (NHANES 2003-2004: PLP fell with age "
    "in men only among nonusers; Morris et al., Am J Clin Nutr 2008)",
    "pyridoxine removes the age factor (Lee, PhD thesis, Oregon State University 1984: the PLP "
    "difference between age groups was not significant under 8 mg/day pyridoxine)",
)


@dataclass(frozen=True)
class PlpByAgeRow:
    """One row of ``plp_by_age.csv`` (see ``data/README.md``)."""

    quantity: str
    sex: str
    age_band: str
    age_low_years: float | None
    age_high_years: float | None
    statistic: str
    value: float | None
    unit: str
    n: int | None
    source: str
    location: str
    certainty: str
    notes: str


def _number(text: str, where: str, column: str) -> float | None:
    if text.strip() == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise PhenotypeError(f"{where} column {column}: {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise PhenotypeError(f"{where} column {column}: {text!r} is not a number >= 0")
    return value


def rows_from_text(text: str, file: str = PLP_AGE_FILE) -> tuple[PlpByAgeRow, ...]:
    """Parse the CSV text of ``plp_by_age.csv``.

    Raises
    ------
    PhenotypeError
        A missing column, a bad number, a missing source or location, or an unknown certainty,
        naming the file, row and column.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PhenotypeError(f"{file}: missing column(s) {', '.join(missing)}")
    rows: list[PlpByAgeRow] = []
    for i, raw in enumerate(reader, start=2):
        where = f"{file} row {i}"
        for column in ("quantity", "sex", "statistic", "source", "location"):
            if not (raw.get(column) or "").strip():
                raise PhenotypeError(f"{where} column {column}: empty")
        if raw["certainty"] not in _CERTAINTY:
            raise PhenotypeError(
                f"{where} column certainty: {raw['certainty']!r}; expected one of "
                f"{', '.join(_CERTAINTY)}"
            )
        if raw["sex"] not in ("male", "female", "both"):
            raise PhenotypeError(f"{where} column sex: {raw['sex']!r}; expected male|female|both")
        n = _number(raw["n"], where, "n")
        value = _number(raw["value"], where, "value")
        if value is not None and not raw["unit"].strip():
            raise PhenotypeError(f"{where} column unit: empty for a value")
        rows.append(
            PlpByAgeRow(
                quantity=raw["quantity"],
                sex=raw["sex"],
                age_band=raw["age_band"],
                age_low_years=_number(raw["age_low_years"], where, "age_low_years"),
                age_high_years=_number(raw["age_high_years"], where, "age_high_years"),
                statistic=raw["statistic"],
                value=value,
                unit=raw["unit"],
                n=None if n is None else int(n),
                source=raw["source"],
                location=raw["location"],
                certainty=raw["certainty"],
                notes=raw["notes"],
            )
        )
    return tuple(rows)


@lru_cache(maxsize=1)
def plp_by_age_rows() -> tuple[PlpByAgeRow, ...]:
    """Every row of the packaged ``plp_by_age.csv``."""
    text = resources.files("hemesim.phenotype").joinpath("data", PLP_AGE_FILE).read_text("utf-8")
    return rows_from_text(text)


def _median_bands(rows: tuple[PlpByAgeRow, ...], sex: str) -> list[PlpByAgeRow]:
    bands = [
        r
        for r in rows
        if r.quantity == "plasma_PLP"
        and r.sex == sex
        and r.statistic == "median"
        and r.value is not None
        and r.age_low_years is not None
        and r.age_high_years is not None
    ]
    if not bands:
        raise PhenotypeError(f"{PLP_AGE_FILE}: no plasma_PLP median rows with age bands for {sex}")
    bands.sort(key=lambda r: r.age_low_years or 0.0)
    sources = {r.source for r in bands}
    if len(sources) > 1:  # band ratios are only meaningful within one study and one assay
        raise PhenotypeError(
            f"{PLP_AGE_FILE}: the {sex} median bands come from more than one study ({sources})"
        )
    return bands


@lru_cache(maxsize=4)
def age_anchors(sex: str) -> tuple[tuple[float, float], ...]:
    """``((age in years, factor), ...)``: the points the factor is interpolated between.

    The first point is the reference band's upper edge (factor 1); each older band adds its
    midpoint with ``median(band) / median(reference band)`` (see the module docstring).
    """
    s = validate_sex(sex)
    bands = _median_bands(plp_by_age_rows(), s)
    ref = bands[0]
    assert ref.value is not None and ref.age_high_years is not None
    points = [(float(ref.age_high_years), 1.0)]
    for band in bands[1:]:
        assert band.value is not None and band.age_low_years is not None
        assert band.age_high_years is not None
        mid = 0.5 * (band.age_low_years + band.age_high_years)
        points.append((mid, band.value / ref.value))
    return tuple(points)


@dataclass(frozen=True)
class PlpAgeFactor:
    """The factor on the model's ``PLP`` for a person of an age.

    Attributes
    ----------
    age_years
        The age (years), or ``None`` when not given.
    sex
        ``male`` or ``female``.
    factor
        Multiplies the model's ``PLP`` (dimensionless; 1 = the young-adult level).
    rule
        How the factor was obtained for this age (words).
    reference_band
        The band the factor is relative to (e.g. ``<50 y``).
    studied_ages
        ``(low, high)`` years covered by the bands the factor is calculated from.
    source
        The study the band medians come from.
    """

    age_years: float | None
    sex: str
    factor: float
    rule: str
    reference_band: str
    studied_ages: tuple[float, float]
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the basis and the assumptions."""
        return {
            "age_years": self.age_years,
            "sex": self.sex,
            "factor": self.factor,
            "parameter": PLP_PARAMETER,
            "rule": self.rule,
            "reference_band": self.reference_band,
            "studied_ages_years": list(self.studied_ages),
            "basis": "calculated: ratio of median plasma PLP of the age band to the reference "
            "band (data/plp_by_age.csv)",
            "source": self.source,
            "assumptions": list(ASSUMPTIONS),
        }


def check_age(age_years: Any) -> float:
    """``age_years`` as a float (0-120 years), or a one-line :class:`PhenotypeError`."""
    try:
        if isinstance(age_years, bool):
            raise TypeError("a boolean is not an age")
        age = float(age_years)
    except (TypeError, ValueError):
        raise PhenotypeError(f"age {age_years!r}: expected a number of years") from None
    if not math.isfinite(age) or not 0.0 <= age <= MAX_AGE_YEARS:
        raise PhenotypeError(f"age {age_years!r}: expected years between 0 and 120")
    return age


def plp_age_factor(age_years: float | None, sex: str) -> PlpAgeFactor:
    """The factor on the model's ``PLP`` at an age.

    Parameters
    ----------
    age_years
        Age (years, 0-120); ``None``: not given, factor 1 (the reference band).
    sex
        ``male`` or ``female`` (the bands of that sex are used).

    Returns
    -------
    PlpAgeFactor

    Raises
    ------
    PhenotypeError
        A bad age or sex (one line).
    """
    s = validate_sex(sex)
    bands = _median_bands(plp_by_age_rows(), s)
    ref = bands[0]
    studied = (
        float(min(b.age_low_years or 0.0 for b in bands)),
        float(max(b.age_high_years or 0.0 for b in bands)),
    )

    def result(age: float | None, factor: float, rule: str) -> PlpAgeFactor:
        return PlpAgeFactor(
            age_years=age,
            sex=s,
            factor=factor,
            rule=rule,
            reference_band=ref.age_band,
            studied_ages=studied,
            source=f"{ref.source}, {ref.location}",
        )

    if age_years is None:
        return result(
            None,
            1.0,
            f"no age given: the reference band ({ref.age_band}), as at any age up to "
            f"{ref.age_high_years:g} y",
        )
    age = check_age(age_years)
    points = age_anchors(s)
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    factor = float(np.interp(age, xs, ys))
    if age <= xs[0]:
        rule = f"within or below the reference band ({ref.age_band}): 1"
    elif age >= xs[-1]:
        rule = f"held at the oldest band's ratio from its midpoint ({xs[-1]:g} y) on"
    else:
        rule = "linear in age between the reference band's edge and the band midpoints"
    if not studied[0] <= age <= studied[1]:
        rule += f" (outside the studied {studied[0]:g}-{studied[1]:g} y: value held)"
    return result(age, factor, rule)


def cell_factors_at_age(
    cell_factors: Mapping[str, float],
    *,
    treatment: str,
    age_years: float | None,
    sex: str,
) -> dict[str, float]:
    """A treatment's erythroblast parameter factors with the age factor on ``PLP`` added.

    Parameters
    ----------
    cell_factors
        The treatment's factors (:attr:`hemesim.phenotype.treatments.Treatment.cell_factors`).
    treatment
        The treatment's name: under ``pyridoxine`` the age factor is not applied (see the
        module docstring).
    age_years, sex
        As :func:`plp_age_factor`.

    Returns
    -------
    dict
        Parameter name -> factor; unchanged (a copy) when the age factor is 1.
    """
    out = dict(cell_factors)
    factor = plp_age_factor(age_years, sex).factor  # checks the age and sex in every case
    if treatment != "pyridoxine" and factor != 1.0:
        out[PLP_PARAMETER] = out.get(PLP_PARAMETER, 1.0) * factor
    return out
