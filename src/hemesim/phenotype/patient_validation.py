"""Validation against published patients, one by one (``phenotype/data/published_patients.csv``).

Every patient of the table whose genotype is known is predicted as the person they are (sex, age,
X-inactivation when the paper gives it) and compared, readout by readout, with what the paper
reports. Nothing in hemesim is fitted to these patients. Reported per patient and readout: the
published value, the prediction, its ``interval_95`` (:mod:`hemesim.phenotype.intervals`), the
error (predicted minus published) and whether the published value falls inside the interval.
Summaries: per-readout mean and mean absolute error and interval coverage; agreement of the
disease call with the published status; agreement of the predicted pyridoxine response (Hb rise
>= 1 g/dL on 100 mg/day, operational) with the published one; the rank agreement (Spearman) of
predicted and published Hb across patients, when at least three have both.

Patients without a genotype, and rows whose variant hemesim cannot quantify, are listed as
skipped with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hemesim.errors import HemesimError
from hemesim.phenotype.published_patients import PublishedPatient, published_patients

__all__ = ["PatientComparison", "PatientValidation", "validate_patients", "READOUTS"]

#: Published readouts compared, and the predicted key for each.
READOUTS: dict[str, str] = {
    "hb_g_dl": "hb_g_dl",
    "mcv_fl": "mcv_fl",
    "mch_pg": "mch_pg",
    "rdw_cv_percent": "rdw_cv_percent",
    "ep_total_ug_dl_rbc": "ep_total_ug_dl_rbc",
    "metal_free_fraction": "metal_free_fraction",
}
#: Operational pyridoxine response (g/dL Hb rise), as the figure-level validation.
PYRIDOXINE_RESPONSE_G_DL = 1.0
_STATUS = {"XLSA": "XLSA", "XLP": "XLP", "carrier_unaffected": "unaffected"}


@dataclass(frozen=True)
class PatientComparison:
    """One readout of one published patient against its prediction."""

    patient_id: str
    variant: str
    sex: str
    readout: str
    published: float
    predicted: float
    interval_95: tuple[float, float] | None
    basis: str
    source: str

    @property
    def error(self) -> float:
        """Predicted minus published (units of the readout)."""
        return self.predicted - self.published

    @property
    def inside(self) -> bool | None:
        """Whether the published value lies in the 95 % interval (``None`` without one)."""
        if self.interval_95 is None:
            return None
        lo, hi = self.interval_95
        return bool(lo <= self.published <= hi)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "patient_id": self.patient_id,
            "variant": self.variant,
            "sex": self.sex,
            "readout": self.readout,
            "published": self.published,
            "predicted": self.predicted,
            "interval_95": None if self.interval_95 is None else list(self.interval_95),
            "inside_interval": self.inside,
            "error": self.error,
            "basis": self.basis,
            "source": self.source,
        }


@dataclass(frozen=True)
class PatientValidation:
    """Every comparison with published patients, with summaries."""

    comparisons: list[PatientComparison]
    calls: list[dict[str, Any]]
    pyridoxine: list[dict[str, Any]]
    skipped: list[dict[str, str]]
    severity_rank: dict[str, Any] = field(default_factory=dict)

    def by_readout(self) -> dict[str, dict[str, Any]]:
        """Per readout: ``n``, mean error, mean absolute error, interval coverage."""
        out: dict[str, dict[str, Any]] = {}
        for name in READOUTS:
            rows = [c for c in self.comparisons if c.readout == name]
            if not rows:
                continue
            errors = np.array([c.error for c in rows])
            inside = [c.inside for c in rows if c.inside is not None]
            out[name] = {
                "n": len(rows),
                "mean_error": float(errors.mean()),
                "mean_absolute_error": float(np.abs(errors).mean()),
                "inside_interval_95": sum(inside),
                "with_interval": len(inside),
                "coverage": (sum(inside) / len(inside)) if inside else None,
            }
        return out

    def agreement(self) -> dict[str, Any]:
        """How often the disease call and the pyridoxine response agree with the papers."""
        call_ok = sum(1 for c in self.calls if c["agrees"])
        b6_ok = sum(1 for c in self.pyridoxine if c["agrees"])
        return {
            "disease_call": {"agree": call_ok, "n": len(self.calls)},
            "pyridoxine_response": {"agree": b6_ok, "n": len(self.pyridoxine)},
            "severity_rank": self.severity_rank,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "summary": self.by_readout(),
            "agreement": self.agreement(),
            "comparisons": [c.to_dict() for c in self.comparisons],
            "calls": self.calls,
            "pyridoxine": self.pyridoxine,
            "skipped": self.skipped,
        }


def _variant(p: PublishedPatient) -> str | None:
    return p.hgvs_c or p.hgvs_p or None


def _spearman(x: list[float], y: list[float]) -> float:
    rx = np.argsort(np.argsort(x)).astype(float)
    ry = np.argsort(np.argsort(y)).astype(float)
    if np.std(rx) == 0 or np.std(ry) == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def validate_patients(*, seed: int = 0, n_people: int = 400) -> PatientValidation:
    """Predict every published patient with a known genotype and compare (module docstring).

    Parameters
    ----------
    seed
        Seed of the simulated people behind the intervals.
    n_people
        People per interval.
    """
    from hemesim.phenotype.predict import predict

    comparisons: list[PatientComparison] = []
    calls: list[dict[str, Any]] = []
    b6: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    hb_pairs: list[tuple[str, float, float]] = []
    for p in published_patients():
        variant = _variant(p)
        if variant is None:
            skipped.append({"patient_id": p.patient_id, "reason": "genotype not given"})
            continue
        xi = None if p.xi_mutant_percent is None else p.xi_mutant_percent / 100.0
        age = p.age_years if (p.sex == "female" and p.age_years and p.age_years >= 1) else None
        try:
            pred = predict(
                variant,
                sex=p.sex,
                xi=xi if p.sex == "female" else None,
                age_years=age,
                seed=seed,
                n_people=n_people,
            )
        except HemesimError as exc:
            skipped.append({"patient_id": p.patient_id, "reason": str(exc).splitlines()[0]})
            continue
        phen = pred.phenotype
        for name, key in READOUTS.items():
            published = getattr(p, name, None)
            if published is None or key not in phen:
                continue
            interval = phen[key].get("interval_95")
            comparisons.append(
                PatientComparison(
                    patient_id=p.patient_id,
                    variant=variant,
                    sex=p.sex,
                    readout=name,
                    published=float(published),
                    predicted=float(phen[key]["value"]),
                    interval_95=None if interval is None else (interval[0], interval[1]),
                    basis=pred.basis,
                    source=f"{p.source} ({p.location})",
                )
            )
            if name == "hb_g_dl":
                hb_pairs.append((p.patient_id, float(published), float(phen[key]["value"])))
        status = _STATUS.get(p.disease)
        if status is not None:
            called = pred.disease
            affected_called = called in ("XLSA", "XLP")
            agrees = (called == status) if status != "unaffected" else not affected_called
            shares = pred.intervals.call_shares if pred.intervals is not None else None
            calls.append(
                {
                    "patient_id": p.patient_id,
                    "variant": variant,
                    "sex": p.sex,
                    "published": p.disease,
                    "called": called,
                    "agrees": bool(agrees),
                    "call_shares_people_like_this": shares,
                }
            )
        if p.pyridoxine_response in ("yes", "partial", "no") and pred.disease != "XLP":
            try:
                treated = predict(
                    variant,
                    sex=p.sex,
                    xi=xi if p.sex == "female" else None,
                    age_years=age,
                    treatment="pyridoxine",
                    seed=seed,
                    n_people=0,
                )
            except HemesimError as exc:
                skipped.append(
                    {"patient_id": p.patient_id, "reason": f"pyridoxine: {str(exc)[:120]}"}
                )
            else:
                rise = float(treated.blood["hb_g_dl"] - pred.blood["hb_g_dl"])
                predicted_response = rise >= PYRIDOXINE_RESPONSE_G_DL
                published_response = p.pyridoxine_response in ("yes", "partial")
                b6.append(
                    {
                        "patient_id": p.patient_id,
                        "variant": variant,
                        "published": p.pyridoxine_response,
                        "predicted_hb_rise_g_dl": rise,
                        "agrees": predicted_response == published_response,
                    }
                )
    rank: dict[str, Any] = {"n": len(hb_pairs)}
    if len(hb_pairs) >= 3:
        rank["spearman"] = _spearman([h[1] for h in hb_pairs], [h[2] for h in hb_pairs])
    else:
        rank["note"] = "fewer than 3 patients with a genotype and a published Hb"
    return PatientValidation(
        comparisons=comparisons, calls=calls, pyridoxine=b6, skipped=skipped, severity_rank=rank
    )
