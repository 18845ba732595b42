"""Curated published data: ALAS2 patients, red-cell bounds, XLP iron data, age of onset.

Four CSV files under ``hemesim/phenotype/data`` (their provenance, what was read and what could not
be read is in ``data/README.md``):

- ``published_patients.csv``: one row per published patient with an ALAS2 variant (XLSA, XLP or an
  unaffected carrier): genotype, sex, age, red-cell indices, ferritin, erythrocyte protoporphyrin,
  pyridoxine response and, for women, the X-inactivation ratio; each row names its source, where
  in the source the numbers stand and a certainty tag. For validation only: nothing is fitted to it.
- ``red_cell_bounds.csv``: what hypochromic erythropoiesis produces in people, from other
  microcytic anaemias (iron deficiency, thalassaemia trait, anaemia of chronic disease), not from
  ALAS2 patients.
- ``xlp_iron.csv``: iron status in published XLP series and the published effect of iron on
  protoporphyrin in XLP.
- ``age_onset.csv``: age at onset/diagnosis of late-onset XLSA and acquired X-inactivation skewing.

The last three share one layout (:class:`SourcedValue`). Every loader validates the whole file and
raises :class:`hemesim.errors.PhenotypeError` naming the file, the row and the column of the first
problem.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from hemesim.errors import PhenotypeError

__all__ = [
    "PATIENT_COLUMNS",
    "SOURCED_VALUE_COLUMNS",
    "PATIENT_RANGES",
    "PublishedPatient",
    "SourcedValue",
    "load_published_patients",
    "load_sourced_values",
    "published_patients",
    "red_cell_bounds",
    "xlp_iron",
    "age_onset",
]

#: Columns of ``published_patients.csv``, in order.
PATIENT_COLUMNS: tuple[str, ...] = (
    "patient_id",
    "family_id",
    "hgvs_c",
    "hgvs_p",
    "disease",
    "sex",
    "age_years",
    "hb_g_dl",
    "mcv_fl",
    "mch_pg",
    "mchc_g_dl",
    "rdw_cv_percent",
    "ferritin_ug_l",
    "ep_total_ug_dl_rbc",
    "metal_free_fraction",
    "znpp_umol_mol_heme",
    "pyridoxine_response",
    "hb_on_pyridoxine_g_dl",
    "xi_mutant_percent",
    "treatment_at_measurement",
    "source",
    "location",
    "certainty",
    "notes",
)

#: Columns of the three sourced-value files, in order.
SOURCED_VALUE_COLUMNS: tuple[str, ...] = (
    "quantity",
    "condition",
    "statistic",
    "value",
    "unit",
    "n",
    "source",
    "location",
    "certainty",
    "notes",
)

#: Physiologically possible range (inclusive) of every numeric patient column, with its unit.
#: Values outside are transcription errors (or unit mix-ups), not patients.
PATIENT_RANGES: dict[str, tuple[float, float, str]] = {
    "age_years": (0.0, 110.0, "years"),
    "hb_g_dl": (1.0, 25.0, "g/dL"),
    "mcv_fl": (40.0, 140.0, "fL"),
    "mch_pg": (8.0, 45.0, "pg"),
    "mchc_g_dl": (15.0, 40.0, "g/dL"),
    "rdw_cv_percent": (8.0, 60.0, "%"),
    "ferritin_ug_l": (1.0, 20000.0, "ug/L"),
    "ep_total_ug_dl_rbc": (5.0, 30000.0, "ug/dL RBC"),
    "metal_free_fraction": (0.0, 1.0, "fraction"),
    "znpp_umol_mol_heme": (1.0, 10000.0, "umol/mol heme"),
    "hb_on_pyridoxine_g_dl": (1.0, 25.0, "g/dL"),
    "xi_mutant_percent": (0.0, 100.0, "%"),
}

DISEASES = frozenset({"XLSA", "XLP", "carrier_unaffected"})
SEXES = frozenset({"male", "female"})
PYRIDOXINE_RESPONSES = frozenset({"yes", "partial", "no", "not_tried", "unknown"})
CERTAINTIES = frozenset({"table", "text", "figure", "secondary"})
#: Statistics allowed in the sourced-value files.
STATISTICS = frozenset(
    {
        "value",
        "mean",
        "median",
        "sd",
        "min",
        "max",
        "lower_limit",
        "upper_limit",
        "p2.5",
        "p97.5",
        "fraction",
        "count",
        "slope",
        "intercept",
        "r",
        "ratio",
        "change",
        "duration",
        "dose",
        "cutoff",
    }
)

_HGVS_C = re.compile(r"^c\.[-*]?\d+([+-]\d+)?(_[-*]?\d+([+-]\d+)?)?[ACGTacgtdelinsup>]+.*$")
_HGVS_P = re.compile(r"^p\.\([A-Z][a-z]{2}\d+.*\)$")


@dataclass(frozen=True)
class PublishedPatient:
    """One published patient with an ALAS2 variant (units in the field names; ``None`` = not given).

    Attributes
    ----------
    patient_id, family_id
        Identifiers unique in the file; ``family_id`` groups relatives of one pedigree.
    hgvs_c, hgvs_p
        The variant on NM_000032.5 (``c.``) and its protein consequence (``p.(...)``); both empty
        only for an ALAS2 patient whose variant was not in the part of the paper read (``notes``
        says so).
    disease
        ``XLSA``, ``XLP`` or ``carrier_unaffected`` as published.
    sex
        ``male`` or ``female``.
    pyridoxine_response
        ``yes``, ``partial``, ``no``, ``not_tried`` or ``unknown``.
    xi_mutant_percent
        Share (%) of cells with the mutant X active, women only, where the paper gives it.
    source, location, certainty
        Citation, where in it the numbers stand, and ``table``/``text``/``figure``/``secondary``.
    """

    patient_id: str
    family_id: str
    hgvs_c: str
    hgvs_p: str
    disease: str
    sex: str
    age_years: float | None
    hb_g_dl: float | None
    mcv_fl: float | None
    mch_pg: float | None
    mchc_g_dl: float | None
    rdw_cv_percent: float | None
    ferritin_ug_l: float | None
    ep_total_ug_dl_rbc: float | None
    metal_free_fraction: float | None
    znpp_umol_mol_heme: float | None
    pyridoxine_response: str
    hb_on_pyridoxine_g_dl: float | None
    xi_mutant_percent: float | None
    treatment_at_measurement: str
    source: str
    location: str
    certainty: str
    notes: str


@dataclass(frozen=True)
class SourcedValue:
    """One published number with its unit, statistic, sample size and provenance.

    Attributes
    ----------
    quantity
        What was measured (e.g. ``mchc``, ``rdw_cv``, ``ep_change_on_iron``).
    condition
        The population or state (e.g. ``iron_deficiency_anaemia``, ``beta_thalassaemia_trait``).
    statistic
        One of :data:`STATISTICS` (``mean``, ``min``, ``slope``, ...).
    value, unit
        The number and its unit.
    n
        Number of people behind it, ``None`` when not given.
    source, location, certainty, notes
        Citation, where in it, ``table``/``text``/``figure``/``secondary``, and free notes.
    """

    quantity: str
    condition: str
    statistic: str
    value: float
    unit: str
    n: int | None
    source: str
    location: str
    certainty: str
    notes: str


def _fail(file: str, row: int, column: str, message: str) -> PhenotypeError:
    return PhenotypeError(f"{file} row {row}, column {column!r}: {message}")


def _read_rows(text: str, file: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    if not header:
        raise PhenotypeError(f"{file}: empty file; expected the header {','.join(columns)}")
    unknown = [c for c in header if c not in columns]
    if unknown:
        raise _fail(file, 1, unknown[0], f"unknown column; expected only {', '.join(columns)}")
    missing = [c for c in columns if c not in header]
    if missing:
        raise _fail(file, 1, missing[0], "missing column")
    if len(set(header)) != len(header):
        dup = next(c for c in header if header.count(c) > 1)
        raise _fail(file, 1, dup, "column given twice")
    rows: list[dict[str, str]] = []
    for i, raw in enumerate(reader, start=2):
        if None in raw:
            raise _fail(file, i, "(extra)", "more fields than columns (unquoted comma?)")
        row = {k: (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        rows.append(row | {"__row__": str(i)})
    return rows


def _number(file: str, row: int, column: str, text: str) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise _fail(file, row, column, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise _fail(file, row, column, f"{text!r} is not a finite number")
    return value


def _choice(file: str, row: int, column: str, text: str, allowed: Iterable[str]) -> str:
    allowed = sorted(allowed)
    if text not in allowed:
        raise _fail(file, row, column, f"{text!r}; expected one of {', '.join(allowed)}")
    return text


def _required(file: str, row: int, column: str, text: str) -> str:
    if not text:
        raise _fail(file, row, column, "empty; every row must name it")
    return text


def _parse_patient(file: str, row: Mapping[str, str]) -> PublishedPatient:
    i = int(row["__row__"])
    values: dict[str, float | None] = {}
    for column, (low, high, unit) in PATIENT_RANGES.items():
        value = _number(file, i, column, row[column])
        if value is not None and not low <= value <= high:
            raise _fail(file, i, column, f"{value:g} {unit} outside {low:g}-{high:g} {unit}")
        values[column] = value
    sex = _choice(file, i, "sex", row["sex"], SEXES)
    if sex == "male" and values["xi_mutant_percent"] is not None:
        raise _fail(file, i, "xi_mutant_percent", "given for a man; X-inactivation is for women")
    hgvs_c, hgvs_p = row["hgvs_c"], row["hgvs_p"]
    if not hgvs_c and not hgvs_p and not row["notes"]:
        raise _fail(
            file, i, "hgvs_c", "empty with hgvs_p empty; give the genotype or say in notes why not"
        )
    if hgvs_c and not _HGVS_C.match(hgvs_c):
        raise _fail(file, i, "hgvs_c", f"{hgvs_c!r}; expected HGVS on NM_000032.5 like c.1354C>T")
    if hgvs_p and not _HGVS_P.match(hgvs_p):
        raise _fail(file, i, "hgvs_p", f"{hgvs_p!r}; expected a change like p.(Arg452Cys)")
    return PublishedPatient(
        patient_id=_required(file, i, "patient_id", row["patient_id"]),
        family_id=_required(file, i, "family_id", row["family_id"]),
        hgvs_c=hgvs_c,
        hgvs_p=hgvs_p,
        disease=_choice(file, i, "disease", row["disease"], DISEASES),
        sex=sex,
        pyridoxine_response=_choice(
            file, i, "pyridoxine_response", row["pyridoxine_response"], PYRIDOXINE_RESPONSES
        ),
        treatment_at_measurement=row["treatment_at_measurement"],
        source=_required(file, i, "source", row["source"]),
        location=_required(file, i, "location", row["location"]),
        certainty=_choice(file, i, "certainty", row["certainty"], CERTAINTIES),
        notes=row["notes"],
        age_years=values["age_years"],
        hb_g_dl=values["hb_g_dl"],
        mcv_fl=values["mcv_fl"],
        mch_pg=values["mch_pg"],
        mchc_g_dl=values["mchc_g_dl"],
        rdw_cv_percent=values["rdw_cv_percent"],
        ferritin_ug_l=values["ferritin_ug_l"],
        ep_total_ug_dl_rbc=values["ep_total_ug_dl_rbc"],
        metal_free_fraction=values["metal_free_fraction"],
        znpp_umol_mol_heme=values["znpp_umol_mol_heme"],
        hb_on_pyridoxine_g_dl=values["hb_on_pyridoxine_g_dl"],
        xi_mutant_percent=values["xi_mutant_percent"],
    )


def load_published_patients(path: str | Path) -> tuple[PublishedPatient, ...]:
    """Read and validate a published-patients CSV.

    Parameters
    ----------
    path
        CSV with exactly the columns :data:`PATIENT_COLUMNS`.

    Returns
    -------
    tuple of PublishedPatient
        In file order.

    Raises
    ------
    PhenotypeError
        Naming the row and column of the first unknown/missing column, bad value, value outside
        :data:`PATIENT_RANGES`, missing source or location, or repeated ``patient_id``.
    """
    path = Path(path)
    return _patients_from_text(path.read_text(encoding="utf-8"), path.name)


def _patients_from_text(text: str, file: str) -> tuple[PublishedPatient, ...]:
    patients: list[PublishedPatient] = []
    seen: set[str] = set()
    for row in _read_rows(text, file, PATIENT_COLUMNS):
        patient = _parse_patient(file, row)
        if patient.patient_id in seen:
            raise _fail(file, int(row["__row__"]), "patient_id", f"{patient.patient_id!r} repeated")
        seen.add(patient.patient_id)
        patients.append(patient)
    return tuple(patients)


def _parse_sourced(file: str, row: Mapping[str, str]) -> SourcedValue:
    i = int(row["__row__"])
    value = _number(file, i, "value", _required(file, i, "value", row["value"]))
    assert value is not None
    n_value = _number(file, i, "n", row["n"])
    if n_value is not None and (n_value < 1 or n_value != int(n_value)):
        raise _fail(file, i, "n", f"{row['n']!r}; expected a whole number of people >= 1")
    return SourcedValue(
        quantity=_required(file, i, "quantity", row["quantity"]),
        condition=_required(file, i, "condition", row["condition"]),
        statistic=_choice(file, i, "statistic", row["statistic"], STATISTICS),
        value=value,
        unit=_required(file, i, "unit", row["unit"]),
        n=None if n_value is None else int(n_value),
        source=_required(file, i, "source", row["source"]),
        location=_required(file, i, "location", row["location"]),
        certainty=_choice(file, i, "certainty", row["certainty"], CERTAINTIES),
        notes=row["notes"],
    )


def load_sourced_values(path: str | Path) -> tuple[SourcedValue, ...]:
    """Read and validate a sourced-value CSV (columns :data:`SOURCED_VALUE_COLUMNS`).

    Raises
    ------
    PhenotypeError
        Naming the row and column of the first problem.
    """
    path = Path(path)
    return _sourced_from_text(path.read_text(encoding="utf-8"), path.name)


def _sourced_from_text(text: str, file: str) -> tuple[SourcedValue, ...]:
    return tuple(_parse_sourced(file, row) for row in _read_rows(text, file, SOURCED_VALUE_COLUMNS))


def _package_text(name: str) -> str:
    return resources.files("hemesim.phenotype").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def published_patients() -> tuple[PublishedPatient, ...]:
    """The packaged published-patient table, validated once and cached."""
    return _patients_from_text(_package_text("published_patients.csv"), "published_patients.csv")


@lru_cache(maxsize=1)
def red_cell_bounds() -> tuple[SourcedValue, ...]:
    """Red-cell indices in other microcytic anaemias (packaged, validated, cached)."""
    return _sourced_from_text(_package_text("red_cell_bounds.csv"), "red_cell_bounds.csv")


@lru_cache(maxsize=1)
def xlp_iron() -> tuple[SourcedValue, ...]:
    """Iron status and the effect of iron on protoporphyrin in XLP (packaged, validated, cached)."""
    return _sourced_from_text(_package_text("xlp_iron.csv"), "xlp_iron.csv")


@lru_cache(maxsize=1)
def age_onset() -> tuple[SourcedValue, ...]:
    """Late-onset XLSA and acquired X-inactivation skewing by age (packaged, validated, cached)."""
    return _sourced_from_text(_package_text("age_onset.csv"), "age_onset.csv")
