"""Validation against published patients, one by one (``phenotype/data/published_patients.csv``).

Every patient of the table whose genotype is known is predicted as the person they are (sex, age,
X-inactivation when the paper gives it) and compared, readout by readout, with what the paper
reports. Nothing in hemesim is fitted to these patients. Reported per patient and readout: the
published value, the prediction, its ``interval_95`` (:mod:`hemesim.phenotype.intervals`), the
error (predicted minus published) and whether the published value falls inside the interval.

Summaries:

- per readout: mean and mean absolute error, and how often the published value lies inside
  ``interval_95`` (coverage);
- agreement of the disease call with the published status, and of the predicted pyridoxine
  response (Hb rise >= 1 g/dL on 100 mg/day, operational) with the published one;
- rank agreement of severity: Spearman's rho (:func:`scipy.stats.spearmanr`) between published and
  predicted Hb across patients with distinct genotypes (one point per genotype, the mean over its
  patients), reported only from :data:`MIN_RANK_GENOTYPES` genotypes on ("not enough patients"
  below);
- the misses: every published value outside its ``interval_95`` and every disagreeing call or
  pyridoxine response, each with what was published and predicted.

Patients without a genotype, and rows whose variant hemesim cannot quantify, are listed as
skipped with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from hemesim.errors import HemesimError
from hemesim.phenotype.published_patients import PublishedPatient, published_patients

__all__ = [
    "MIN_RANK_GENOTYPES",
    "PatientComparison",
    "PatientValidation",
    "READOUTS",
    "READOUT_LABELS",
    "SUMMARY_READOUTS",
    "severity_rank_agreement",
    "severity_rank_text",
    "validate_patients",
]

#: Published readouts compared, and the predicted key for each.
READOUTS: dict[str, str] = {
    "hb_g_dl": "hb_g_dl",
    "mcv_fl": "mcv_fl",
    "mch_pg": "mch_pg",
    "rdw_cv_percent": "rdw_cv_percent",
    "ep_total_ug_dl_rbc": "ep_total_ug_dl_rbc",
    "metal_free_fraction": "metal_free_fraction",
    "znpp_umol_mol_heme": "znpp_umol_mol_heme",
}
#: Clinical name and unit of each compared readout (text output).
READOUT_LABELS: dict[str, tuple[str, str]] = {
    "hb_g_dl": ("Haemoglobin", "g/dL"),
    "mcv_fl": ("MCV", "fL"),
    "mch_pg": ("MCH", "pg"),
    "rdw_cv_percent": ("RDW-CV", "%"),
    "ep_total_ug_dl_rbc": ("Erythrocyte protoporphyrin", "ug/dL RBC"),
    "metal_free_fraction": ("Metal-free share of EP", "fraction"),
    "znpp_umol_mol_heme": ("Zinc protoporphyrin/heme", "umol/mol heme"),
    "hb_on_pyridoxine_g_dl": ("Haemoglobin on pyridoxine", "g/dL"),
}
#: Readouts of the summary, in order: the untreated ones, then Hb on pyridoxine (predicted with
#: ``treatment="pyridoxine"`` at 100 mg/day for patients whose paper gives it).
SUMMARY_READOUTS: tuple[str, ...] = (*READOUTS, "hb_on_pyridoxine_g_dl")
#: Operational pyridoxine response (g/dL Hb rise), as the figure-level validation.
PYRIDOXINE_RESPONSE_G_DL = 1.0
#: Fewest distinct genotypes with a published Hb for which a rank correlation is reported.
MIN_RANK_GENOTYPES = 3
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
        name, unit = READOUT_LABELS.get(self.readout, (self.readout, ""))
        return {
            "patient_id": self.patient_id,
            "variant": self.variant,
            "sex": self.sex,
            "readout": self.readout,
            "readout_name": name,
            "unit": unit,
            "published": self.published,
            "predicted": self.predicted,
            "interval_95": None if self.interval_95 is None else list(self.interval_95),
            "inside_interval": self.inside,
            "error": self.error,
            "basis": self.basis,
            "source": self.source,
        }


def severity_rank_agreement(
    rows: Sequence[tuple[str, str, float, float]], *, minimum: int = MIN_RANK_GENOTYPES
) -> dict[str, Any]:
    """Spearman rank agreement of severity (Hb) between published and predicted patients.

    Patients with the same genotype are one point (the mean of their published and of their
    predicted Hb), so that a family does not count as several independent genotypes.

    Parameters
    ----------
    rows
        ``(patient_id, genotype, published Hb, predicted Hb)`` per patient, Hb in g/dL.
    minimum
        Fewest distinct genotypes for which rho is computed.

    Returns
    -------
    dict
        ``status`` (``"ok"``, ``"not enough patients"`` or ``"undefined"`` when one side has all
        ranks tied), ``n`` (distinct genotypes), ``n_patients``, ``rho`` and ``p_value`` (``None``
        unless ``ok``), ``minimum``, ``note`` and ``genotypes`` (per genotype: patients, mean
        published and predicted Hb in g/dL).
    """
    groups: dict[str, list[tuple[str, float, float]]] = {}
    for patient_id, genotype, published, predicted in rows:
        groups.setdefault(genotype, []).append((patient_id, float(published), float(predicted)))
    pub_hb = [float(np.mean([m[1] for m in members])) for members in groups.values()]
    pred_hb = [float(np.mean([m[2] for m in members])) for members in groups.values()]
    points: list[dict[str, Any]] = [
        {
            "genotype": genotype,
            "patients": [m[0] for m in members],
            "published_hb_g_dl": pub,
            "predicted_hb_g_dl": pred,
        }
        for (genotype, members), pub, pred in zip(groups.items(), pub_hb, pred_hb, strict=True)
    ]
    out: dict[str, Any] = {
        "readout": "hb_g_dl",
        "n": len(points),
        "n_patients": len(rows),
        "minimum": minimum,
        "rho": None,
        "p_value": None,
        "genotypes": points,
    }
    if len(points) < minimum:
        out["status"] = "not enough patients"
        out["note"] = (
            f"{len(points)} distinct genotype(s) with a published Hb; at least {minimum} needed"
        )
        return out
    if len(set(pub_hb)) < 2 or len(set(pred_hb)) < 2:
        out["status"] = "undefined"
        out["note"] = "all published or all predicted Hb values are equal (ranks tied)"
        return out
    result = spearmanr(pub_hb, pred_hb)
    rho = float(result.statistic)
    p_value = float(result.pvalue)
    out["status"] = "ok"
    out["rho"] = rho
    out["p_value"] = p_value if math.isfinite(p_value) else None
    out["note"] = f"Spearman rho over {len(points)} genotypes ({len(rows)} patients)"
    return out


@dataclass(frozen=True)
class PatientValidation:
    """Every comparison with published patients, with summaries."""

    comparisons: list[PatientComparison]
    calls: list[dict[str, Any]]
    pyridoxine: list[dict[str, Any]]
    skipped: list[dict[str, str]]
    severity_rank: dict[str, Any] = field(default_factory=dict)
    n_in_table: int = 0
    n_predicted: int = 0

    def by_readout(self) -> dict[str, dict[str, Any]]:
        """Per readout: ``n``, mean error, mean absolute error, interval coverage."""
        out: dict[str, dict[str, Any]] = {}
        for name in SUMMARY_READOUTS:
            rows = [c for c in self.comparisons if c.readout == name]
            if not rows:
                continue
            errors = np.array([c.error for c in rows])
            inside = [c.inside for c in rows if c.inside is not None]
            label, unit = READOUT_LABELS[name]
            out[name] = {
                "name": label,
                "unit": unit,
                "n": len(rows),
                "n_patients": len({c.patient_id for c in rows}),
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

    def misses(self) -> list[dict[str, Any]]:
        """Every published value outside ``interval_95`` and every disagreeing call or response.

        Each entry has an ``id`` (``"<patient_id>:<readout>"``, ``"<patient_id>:disease_call"`` or
        ``"<patient_id>:pyridoxine"``), the ``kind``, what was published and predicted, and a
        one-line ``detail``.
        """
        out: list[dict[str, Any]] = []
        for c in self.comparisons:
            if c.inside is not False:
                continue
            assert c.interval_95 is not None
            name, unit = READOUT_LABELS.get(c.readout, (c.readout, ""))
            out.append(
                {
                    "id": f"{c.patient_id}:{c.readout}",
                    "kind": "readout",
                    "patient_id": c.patient_id,
                    "variant": c.variant,
                    "published": c.published,
                    "predicted": c.predicted,
                    "detail": (
                        f"{name}: published {c.published:.3g} {unit} outside interval_95 "
                        f"{c.interval_95[0]:.4g}-{c.interval_95[1]:.4g} (predicted "
                        f"{c.predicted:.3g})"
                    ),
                }
            )
        for call in self.calls:
            if not call["agrees"]:
                out.append(
                    {
                        "id": f"{call['patient_id']}:disease_call",
                        "kind": "disease_call",
                        "patient_id": call["patient_id"],
                        "variant": call["variant"],
                        "published": call["published"],
                        "predicted": call["called"],
                        "detail": (
                            f"disease call: published {call['published']}, called "
                            f"{call['called']} (shares among people like this: "
                            f"{_shares_text(call.get('call_shares_people_like_this'))})"
                        ),
                    }
                )
        for b6 in self.pyridoxine:
            if not b6["agrees"]:
                out.append(
                    {
                        "id": f"{b6['patient_id']}:pyridoxine",
                        "kind": "pyridoxine",
                        "patient_id": b6["patient_id"],
                        "variant": b6["variant"],
                        "published": b6["published"],
                        "predicted": b6["predicted_hb_rise_g_dl"],
                        "detail": (
                            f"pyridoxine response: published {b6['published']}, predicted Hb "
                            f"rise {b6['predicted_hb_rise_g_dl']:+.2f} g/dL (response = >= "
                            f"{PYRIDOXINE_RESPONSE_G_DL:g} g/dL)"
                        ),
                    }
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "n_patients_in_table": self.n_in_table,
            "n_predicted": self.n_predicted,
            "summary": self.by_readout(),
            "agreement": self.agreement(),
            "misses": self.misses(),
            "comparisons": [c.to_dict() for c in self.comparisons],
            "calls": self.calls,
            "pyridoxine": self.pyridoxine,
            "skipped": self.skipped,
        }

    def text_lines(self) -> list[str]:
        """The per-patient validation as a readable text table (clinical names, units)."""
        lines = [
            f"published patients, one by one (nothing fitted to them): {self.n_in_table} in the "
            f"table, {self.n_predicted} predicted, {len(self.skipped)} skipped",
            f"  {'readout':34} {'unit':14} {'n':>3} {'mean error':>11} {'mean |error|':>13}"
            f"  published inside interval_95",
        ]
        for s in self.by_readout().values():
            share = "" if s["coverage"] is None else f" ({100 * s['coverage']:.0f}%)"
            lines.append(
                f"  {s['name']:34} {s['unit']:14} {s['n']:>3} {s['mean_error']:>+11.3g} "
                f"{s['mean_absolute_error']:>13.3g}  {s['inside_interval_95']} of "
                f"{s['with_interval']}{share}"
            )
        if self.comparisons:
            lines.append(
                f"  {'patient':22} {'variant':16} {'readout':34} {'published':>10} "
                f"{'predicted':>10}  interval_95"
            )
            for c in self.comparisons:
                name, unit = READOUT_LABELS.get(c.readout, (c.readout, ""))
                iv = (
                    "-"
                    if c.interval_95 is None
                    else f"{c.interval_95[0]:.4g}-{c.interval_95[1]:.4g}"
                    + ("" if c.inside else "  MISS")
                )
                lines.append(
                    f"  {c.patient_id:22} {c.variant:16} {name + ' (' + unit + ')':34} "
                    f"{c.published:>10.3g} {c.predicted:>10.3g}  {iv}"
                )
        agree = self.agreement()
        lines.append(
            f"  disease call agrees for {agree['disease_call']['agree']} of "
            f"{agree['disease_call']['n']}; pyridoxine response for "
            f"{agree['pyridoxine_response']['agree']} of {agree['pyridoxine_response']['n']}"
        )
        lines.append("  " + severity_rank_text(self.severity_rank))
        misses = self.misses()
        if misses:
            lines.append(f"  misses ({len(misses)}):")
            lines.extend(f"    {m['patient_id']}: {m['detail']}" for m in misses)
        if self.skipped:
            lines.append(f"  skipped ({len(self.skipped)}):")
            lines.extend(f"    {s['patient_id']}: {s['reason'][:110]}" for s in self.skipped)
        return lines


def severity_rank_text(rank: dict[str, Any]) -> str:
    """One readable line for the severity rank agreement of :func:`severity_rank_agreement`."""
    head = "severity rank (Hb, one point per genotype):"
    status = rank.get("status")
    if status == "ok":
        p = rank.get("p_value")
        p_text = "" if p is None else f", p = {p:.2g}"
        return (
            f"{head} Spearman rho = {rank['rho']:+.2f} over {rank['n']} genotypes "
            f"({rank['n_patients']} patients{p_text})"
        )
    if status == "not enough patients":
        return (
            f"{head} not enough patients ({rank['n']} genotype(s) with a published Hb, "
            f"{rank['minimum']} needed)"
        )
    return f"{head} {status or 'not computed'} ({rank.get('note', '')})"


def _shares_text(shares: dict[str, float] | None) -> str:
    if not shares:
        return "not computed"
    return ", ".join(f"{k} {v:.0%}" for k, v in shares.items() if v > 0)


def _variant(p: PublishedPatient) -> str | None:
    return p.hgvs_c or p.hgvs_p or None


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
    hb_rows: list[tuple[str, str, float, float]] = []
    predicted_ids: list[str] = []
    table = published_patients()
    for p in table:
        variant = _variant(p)
        if variant is None:
            skipped.append({"patient_id": p.patient_id, "reason": "genotype not given"})
            continue
        xi = None if p.xi_mutant_percent is None else p.xi_mutant_percent / 100.0
        # the age acts on men too (vitamin B6 status on PLP, hemesim.phenotype.plp_age)
        age = p.age_years if (p.age_years and p.age_years >= 1) else None
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
        predicted_ids.append(p.patient_id)
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
                hb_rows.append((p.patient_id, variant, float(published), float(phen[key]["value"])))
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
            published_on_b6 = p.hb_on_pyridoxine_g_dl
            try:
                treated = predict(
                    variant,
                    sex=p.sex,
                    xi=xi if p.sex == "female" else None,
                    age_years=age,
                    treatment="pyridoxine",
                    seed=seed,
                    n_people=n_people if published_on_b6 is not None else 0,
                )
            except HemesimError as exc:
                skipped.append(
                    {"patient_id": p.patient_id, "reason": f"pyridoxine: {str(exc)[:120]}"}
                )
            else:
                rise = float(treated.blood["hb_g_dl"] - pred.blood["hb_g_dl"])
                if published_on_b6 is not None:
                    interval = treated.phenotype["hb_g_dl"].get("interval_95")
                    comparisons.append(
                        PatientComparison(
                            patient_id=p.patient_id,
                            variant=variant,
                            sex=p.sex,
                            readout="hb_on_pyridoxine_g_dl",
                            published=float(published_on_b6),
                            predicted=float(treated.phenotype["hb_g_dl"]["value"]),
                            interval_95=None if interval is None else (interval[0], interval[1]),
                            basis=treated.basis,
                            source=f"{p.source} ({p.location})",
                        )
                    )
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
    return PatientValidation(
        comparisons=comparisons,
        calls=calls,
        pyridoxine=b6,
        skipped=skipped,
        severity_rank=severity_rank_agreement(hb_rows),
        n_in_table=len(table),
        n_predicted=len(predicted_ids),
    )
