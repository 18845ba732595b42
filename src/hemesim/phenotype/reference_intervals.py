"""Published reference intervals of healthy adults, by readout and sex.

The table ``phenotype/data/reference_intervals.csv`` holds one row per readout and sex:
``readout, sex, low, high, median, low_quantile, high_quantile, unit, population, source, location,
certainty``. ``low`` and ``high`` are the population quantiles ``low_quantile`` and
``high_quantile`` (0.025/0.975 for a central 95 % interval, 0.05/0.95 where the source gives the
5th/95th percentiles); an empty cell means the source gives no such limit (EP and ZnPP/heme have
an upper reference limit only) or the number could not be read (``certainty = not-read``; the
``location`` column says what was tried). Readout names are those of
:data:`hemesim.phenotype.readouts.READOUT_UNITS`.

These intervals are the targets of the virtual population (:mod:`hemesim.phenotype.vpop`); they
are never fitted to disease data.
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from hemesim.errors import PhenotypeError
from hemesim.phenotype.grading import validate_sex

__all__ = ["ReferenceInterval", "reference_interval", "reference_intervals"]

_CERTAINTIES = frozenset({"read", "read-abstract", "read-textbook", "cited-in-project", "not-read"})


@dataclass(frozen=True)
class ReferenceInterval:
    """One published reference interval of healthy adults.

    Attributes
    ----------
    readout
        Readout name (:data:`hemesim.phenotype.readouts.READOUT_UNITS`).
    sex
        ``"male"`` or ``"female"``.
    low, high
        Lower and upper reference limit (``unit``), or ``None`` where the source gives none.
    median
        Population median (``unit``), or ``None``; where a source gives only the mean, the
        ``location`` says so.
    low_quantile, high_quantile
        The population quantiles that ``low`` and ``high`` stand for (e.g. 0.025, 0.975).
    unit
        Unit of ``low``, ``high`` and ``median``.
    population, source, location, certainty
        Who was measured; the publication; where in it the numbers stand; how they were read
        (``read``, ``read-abstract``, ``read-textbook``, ``cited-in-project``, ``not-read``).
    """

    readout: str
    sex: str
    low: float | None
    high: float | None
    median: float | None
    low_quantile: float | None
    high_quantile: float | None
    unit: str
    population: str
    source: str
    location: str
    certainty: str

    @property
    def is_available(self) -> bool:
        """True when at least one limit was read."""
        return self.low is not None or self.high is not None

    def targets(self) -> dict[float, float]:
        """Quantile -> value for each limit the source gives (``{0.025: low, 0.5: median}``)."""
        out: dict[float, float] = {}
        if self.low is not None and self.low_quantile is not None:
            out[self.low_quantile] = self.low
        if self.median is not None:
            out[0.5] = self.median
        if self.high is not None and self.high_quantile is not None:
            out[self.high_quantile] = self.high
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def _number(text: str, field: str, row: int) -> float | None:
    if text.strip() == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise PhenotypeError(
            f"reference_intervals.csv row {row}: {field} {text!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise PhenotypeError(f"reference_intervals.csv row {row}: {field} {text!r} is not finite")
    return value


@lru_cache(maxsize=1)
def _load() -> tuple[ReferenceInterval, ...]:
    path = resources.files("hemesim.phenotype").joinpath("data", "reference_intervals.csv")
    out: list[ReferenceInterval] = []
    with path.open(encoding="utf-8") as fh:
        for i, rec in enumerate(csv.DictReader(fh), start=2):
            values = {
                k: _number(rec[k], k, i)
                for k in ("low", "high", "median", "low_quantile", "high_quantile")
            }
            if rec["certainty"] not in _CERTAINTIES:
                raise PhenotypeError(
                    f"reference_intervals.csv row {i}: certainty {rec['certainty']!r}; expected "
                    f"one of {sorted(_CERTAINTIES)}"
                )
            out.append(
                ReferenceInterval(
                    readout=rec["readout"],
                    sex=rec["sex"],
                    unit=rec["unit"],
                    population=rec["population"],
                    source=rec["source"],
                    location=rec["location"],
                    certainty=rec["certainty"],
                    **values,
                )
            )
    return tuple(out)


def reference_intervals() -> list[ReferenceInterval]:
    """Every row of the table (both sexes, including rows marked ``not-read``)."""
    return list(_load())


def reference_interval(readout: str, sex: str) -> ReferenceInterval:
    """The reference interval of one readout for one sex.

    Parameters
    ----------
    readout
        Readout name, e.g. ``"hb_g_dl"``.
    sex
        ``"male"`` or ``"female"``.

    Raises
    ------
    PhenotypeError
        Unknown readout or sex (one line naming the field and the expected values).
    """
    s = validate_sex(sex)
    rows = _load()
    known = sorted({r.readout for r in rows})
    if readout not in known:
        raise PhenotypeError(f"readout {readout!r}: expected one of {', '.join(known)}")
    for r in rows:
        if r.readout == readout and r.sex == s:
            return r
    raise PhenotypeError(f"readout {readout!r} has no reference interval for sex {s!r}")
