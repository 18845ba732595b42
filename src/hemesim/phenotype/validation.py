"""Predicted vs published: one row per published figure, with its source and pass/fail.

Calibration and validation are kept apart. The model's parameters are fitted only to normal
physiology and in-vitro enzyme data; the ``calibration`` rows show those fit targets (they are
expected to pass and are not counted). The ``validation`` rows compare disease predictions with
published figures the model was NOT fitted to; nothing in hemesim is tuned to make them pass.

Each row is computed by a small function from :func:`hemesim.phenotype.predict.predict` (and
friends) and names its source; ``tests/validation`` runs the same rows.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from hemesim.phenotype.clones import CloneBackend, simulate_clones
from hemesim.phenotype.grading import WHO_2011
from hemesim.phenotype.inputs import resolve_variant
from hemesim.phenotype.mechanisms import EPP_FECH_FACTOR, compare_mechanisms
from hemesim.phenotype.mosaic import mix_arrays
from hemesim.phenotype.patient_validation import (
    PatientValidation,
    severity_rank_text,
    validate_patients,
)
from hemesim.phenotype.penetrance import penetrance_from_clones
from hemesim.phenotype.predict import Prediction, predict
from hemesim.phenotype.readouts import GOU_2015, HASTKA_1994, UMOL_L_TO_UG_DL
from hemesim.phenotype.xinactivation import xi_distribution
from hemesim.provenance import provenance

__all__ = ["ValidationRow", "ValidationReport", "CHECKS", "run_validation"]

COTTER_1999 = (
    "Cotter et al., Blood 1999;93:1757 (Y199H, R411C, R448Q, R452C probands; all "
    "pyridoxine-responsive)"
)
KUCEROVA_2011 = "Kucerova et al., Acta Haematol 2011;125:193 (R452H, R452C in Czech XLSA males)"
HARIGAE_1999 = "Harigae et al. 1999, PMID 10577279 (R204Q, pyridoxine-responsive), per UniProt"
OMIM_XLSA = (
    "OMIM 300751 / MedGen C0221018: hypochromic microcytic anaemia; carriers have raised RDW and "
    "dimorphism (Fleming 2002)"
)
WHATLEY_2008 = (
    "Whatley et al., AJHG 2008;83:408 (XLP: c.1706_1709del, c.1699_1700del; no anaemia, no iron "
    "overload)"
)
BALWANI_2013 = (
    "Balwani et al., Mol Med 2013;19:26 (15 XLP probands incl. c.1642C>T, c.1734delG; XLP males "
    "~2x EP of EPP)"
)
GOU_2018 = "Gou et al., J Appl Lab Med 2018;3:213 (XLP female:male EP ratio 0.76, 95% CI 0.43-1.36)"
CAZZOLA_2000 = (
    "Cazzola et al., Blood 2000;96:4363 (heterozygous woman expressing only the mutant allele "
    "had sideroblastic anaemia; relatives expressing the normal allele had normal Hb)"
)
DONKER_2014 = (
    "Donker, PhD thesis, Radboud University 2014, ch. 3 and 6 (most female carriers spared; "
    "age-related skewing; iron overload in the 3rd-4th decade; phlebotomy)"
)
BRANCALEONI_2016 = (
    "Brancaleoni et al., Clin Genet 2016;89:20 (XLP women: symptomatic when X-inactivation "
    "favours the mutant X, not when balanced), as summarised in hemesim.genetics.penetrance"
)
REFERENCE_INTERVALS = "adult reference intervals (/work/shared/science.md section 3)"
HOLME_2007 = (
    "Holme et al., Blood 2007;110:4108 (178 EPP patients: mean Hb lower by 1.2 g/dL in males; "
    "33% of men anaemic by WHO criteria; no iron overload)"
)
BARMAN_AKSOEZEN = (
    "Barman-Aksoezen J, Schneider-Yin X, Minder EI, 'Iron in erythropoietic protoporphyrias: "
    "Dr. Jekyll or Mr. Hyde?' (iron supplementation beneficial in XLP, harmful in most EPP; "
    "phenotype/data/README.md)"
)
BMC_MED_GENOMICS_2021 = (
    "X-linked sideroblastic anaemia in a female fetus: a case report and a literature review, "
    "BMC Med Genomics 2021, doi 10.1186/s12920-021-01146-z, background: 'Heterozygous female "
    "carriers of the ALAS2 gene mutation are often asymptomatic or only mildly anaemic'"
)
PDPT_2024 = (
    "Effects of iron supplements in individuals with erythropoietic protoporphyria, "
    "Photodiagnosis Photodyn Ther 2024;47:104211 (PPIX rose in 7 of 10)"
)
#: Accepted fall of Hb in EPP men relative to normal (g/dL): published mean 1.2, up to ~2x accepted.
EPP_HB_FALL_MAX_G_DL = 2.5
CAZZOLA_2002 = (
    "Cazzola et al., Blood 2002;100:4236 (R560H hemizygote aged 38: Hb 7.6 g/dL, MCV 64 fL, "
    "ferritin 859 ug/L; his hemizygous brother almost unaffected)"
)
HEMATOLOGIST_2006 = (
    "The Hematologist 2006;3(4) 'Ask the Hematologist' (congenital sideroblastic anaemia in a boy: "
    "Hb 5.9-7.2 g/dL, MCV 44-52 fL, RDW 28-32%; ALAS2 result pending)"
)
GARCON_2014 = (
    "Garcon & Kannengiesser, Blood 2014;123:808 (heterozygous woman, ALAS2 c.787G>A p.Asp263Asn, "
    "X-inactivation 90:10: Hb 9.6 g/dL, MCV 73 fL, MCH 23 pg, RDW 27%, ferritin 465 ug/L; "
    "pyridoxine raised Hb to 11.4 g/dL)"
)
#: Published extremes of Hb and MCV in hemizygous/congenital sideroblastic anaemia found so far:
#: the most severe values (HEMATOLOGIST_2006) bound the range from below; the WHO threshold and the
#: microcytosis limit bound it from above.
XLSA_MALE_HB_RANGE_G_DL = (5.9, 13.0)
XLSA_MALE_MCV_RANGE_FL = (44.0, 80.0)
GARCON_VARIANT = "c.787G>A"

XLSA_MALE_VARIANTS: dict[str, tuple[str, str]] = {
    "c.595T>C": ("p.Tyr199His", COTTER_1999),
    "c.1231C>T": ("p.Arg411Cys", COTTER_1999),
    "c.1343G>A": ("p.Arg448Gln", COTTER_1999),
    "c.1354C>T": ("p.Arg452Cys", COTTER_1999),
    "c.1355G>A": ("p.Arg452His", KUCEROVA_2011),
    "c.611G>A": ("p.Arg204Gln", HARIGAE_1999),
}
PYRIDOXINE_RESPONDERS: dict[str, tuple[str, str]] = {
    "c.595T>C": ("p.Tyr199His", COTTER_1999),
    "c.1231C>T": ("p.Arg411Cys", COTTER_1999),
    "c.1343G>A": ("p.Arg448Gln", COTTER_1999),
    "c.1354C>T": ("p.Arg452Cys", COTTER_1999),
    "c.611G>A": ("p.Arg204Gln", HARIGAE_1999),
}
XLP_MALE_VARIANTS: dict[str, tuple[str, str]] = {
    "c.1706_1709del": ("p.Glu569Glyfs*24", WHATLEY_2008),
    "c.1699_1700del": ("p.Met567Glufs*2", WHATLEY_2008),
    "c.1642C>T": ("p.Gln548*", BALWANI_2013),
    "c.1734del": ("p.(C-terminal frameshift)", BALWANI_2013),
}
#: Operational definition of a pyridoxine response (assumption: a rise of at least 1 g/dL Hb).
PYRIDOXINE_RESPONSE_G_DL = 1.0
FEMALE_XLSA_VARIANT = "c.1354C>T"
FEMALE_XLP_VARIANT = "c.1706_1709del"


@dataclass(frozen=True)
class ValidationRow:
    """One published figure against its prediction."""

    id: str
    category: str
    claim: str
    published: str
    predicted: float | str
    unit: str
    passed: bool
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        pred = self.predicted
        if isinstance(pred, float):
            pred = float(f"{pred:.4g}")
        return {
            "id": self.id,
            "category": self.category,
            "claim": self.claim,
            "published": self.published,
            "predicted": pred,
            "unit": self.unit,
            "passed": self.passed,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class ValidationReport:
    """All rows, with summary counts and an HTML rendering."""

    rows: list[ValidationRow]
    provenance: dict[str, Any] = field(default_factory=dict)
    patients: PatientValidation | None = None

    @property
    def validation_rows(self) -> list[ValidationRow]:
        """Rows that compare disease predictions with published data."""
        return [r for r in self.rows if r.category == "validation"]

    @property
    def passed(self) -> bool:
        """True when every validation row passes (calibration rows are not counted)."""
        return all(r.passed for r in self.validation_rows)

    def counts(self) -> dict[str, int]:
        """Passed/failed counts per category."""
        out: dict[str, int] = {}
        for r in self.rows:
            key = f"{r.category}_{'passed' if r.passed else 'failed'}"
            out[key] = out.get(key, 0) + 1
        return out

    def row(self, row_id: str) -> ValidationRow:
        """The row with this id."""
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.rows])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "passed": self.passed,
            "counts": self.counts(),
            "rows": [r.to_dict() for r in self.rows],
            "patients": None if self.patients is None else self.patients.to_dict(),
            "provenance": self.provenance,
        }

    def to_html(self) -> str:
        """A self-contained HTML page (no external assets)."""
        esc = html.escape
        counts = self.counts()
        parts = [
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
            "<title>hemesim phenotype validation</title><style>",
            "body{font-family:system-ui,sans-serif;margin:2em;color:#222}",
            "table{border-collapse:collapse;width:100%;font-size:0.9em}",
            "th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}",
            "th{background:#f0f0f0}.pass{background:#e6f4ea}.fail{background:#fde8e8}",
            ".cal{color:#555}</style></head><body>",
            "<h1>hemesim: predicted vs published</h1>",
            "<p>Calibration rows are the fit targets (normal physiology); validation rows compare "
            "disease predictions with published figures the model was not fitted to.</p>",
            f"<p>Validation: {counts.get('validation_passed', 0)} passed, "
            f"{counts.get('validation_failed', 0)} failed. Calibration: "
            f"{counts.get('calibration_passed', 0)} passed, "
            f"{counts.get('calibration_failed', 0)} failed.</p>",
            "<table><thead><tr><th>id</th><th>category</th><th>claim</th><th>published</th>"
            "<th>predicted</th><th>unit</th><th>result</th><th>source</th><th>note</th></tr>"
            "</thead><tbody>",
        ]
        for r in self.rows:
            d = r.to_dict()
            cls = "pass" if r.passed else "fail"
            parts.append(
                f"<tr class='{cls}{' cal' if r.category == 'calibration' else ''}'>"
                f"<td>{esc(r.id)}</td><td>{esc(r.category)}</td><td>{esc(r.claim)}</td>"
                f"<td>{esc(r.published)}</td><td>{esc(str(d['predicted']))}</td>"
                f"<td>{esc(r.unit)}</td><td>{'pass' if r.passed else 'FAIL'}</td>"
                f"<td>{esc(r.source)}</td><td>{esc(r.note)}</td></tr>"
            )
        parts.append("</tbody></table>")
        if self.patients is not None:
            parts.append(_patients_html(self.patients))
        prov = self.provenance
        parts.append(
            ""
            f"<p class='cal'>{esc(str(prov.get('software', '')))} "
            f"{esc(str(prov.get('version', '')))}, {esc(str(prov.get('time_utc', '')))}</p>"
            "</body></html>"
        )
        return "".join(parts)


class _Context:
    """Caches predictions within one validation run."""

    def __init__(self, backend: CloneBackend | None) -> None:
        self.backend = backend
        self._pred: dict[tuple[Any, ...], Prediction] = {}

    def predict(
        self, variant: str, sex: str = "male", xi: float | None = None, treatment: str = "none"
    ) -> Prediction:
        key = (variant, sex, xi, treatment)
        if key not in self._pred:
            self._pred[key] = predict(
                variant, sex, xi, treatment, seed=20250101, n_women=2000, backend=self.backend
            )
        return self._pred[key]


Check = Callable[[_Context], list[ValidationRow]]


def _calibration(ctx: _Context) -> list[ValidationRow]:
    from hemesim.variants.effect_types import WILD_TYPE

    clones = simulate_clones(WILD_TYPE, backend=ctx.backend)
    n = clones.normal
    ep = n["ep_total_umol_l_rbc"] * UMOL_L_TO_UG_DL
    return [
        ValidationRow(
            "cal-hb",
            "calibration",
            "normal adult Hb",
            "13.5-17.5 (men)",
            n["hb_g_dl"],
            "g/dL",
            13.5 <= n["hb_g_dl"] <= 17.5,
            REFERENCE_INTERVALS,
        ),
        ValidationRow(
            "cal-mch",
            "calibration",
            "normal MCH",
            "27-33",
            n["mch_pg"],
            "pg",
            27.0 <= n["mch_pg"] <= 33.0,
            REFERENCE_INTERVALS,
        ),
        ValidationRow(
            "cal-mcv",
            "calibration",
            "normal MCV",
            "80-100",
            n["mcv_fl"],
            "fL",
            80.0 <= n["mcv_fl"] <= 100.0,
            REFERENCE_INTERVALS,
        ),
        ValidationRow(
            "cal-ep",
            "calibration",
            "normal total erythrocyte protoporphyrin",
            "< 80",
            ep,
            "ug/dL RBC",
            ep < 80.0,
            GOU_2015,
        ),
        ValidationRow(
            "cal-znpp",
            "calibration",
            "normal ZnPP/heme",
            "<= 40",
            n["znpp_umol_mol_heme"],
            "umol/mol heme",
            n["znpp_umol_mol_heme"] <= 40.0,
            HASTKA_1994,
        ),
    ]


def _virtual_population(ctx: _Context) -> list[ValidationRow]:
    """Calibration rows: the healthy virtual population's quantiles against the published
    reference intervals it was selected to reproduce (:mod:`hemesim.phenotype.vpop`)."""
    if ctx.backend is not None:  # the population is simulated with the real model only
        return []
    return list(_virtual_population_rows(VPOP_CHECK_PEOPLE, 20250101))


VPOP_CHECK_PEOPLE = 20_000
"""People per sex simulated for the virtual-population calibration rows."""


@lru_cache(maxsize=2)
def _virtual_population_rows(n: int, seed: int) -> tuple[ValidationRow, ...]:
    from hemesim.phenotype.cohort import virtual_cohort
    from hemesim.phenotype.vpop import CHECK_READOUTS, check_quantiles

    rows: list[ValidationRow] = []
    for sex in ("male", "female"):
        table = virtual_cohort(None, sex, n, seed=seed).table
        for c in check_quantiles({k: table[k].to_numpy() for k in CHECK_READOUTS}, sex):
            rows.append(
                ValidationRow(
                    f"cal-vpop-{sex}-{c.readout}-q{c.quantile * 100:g}",
                    "calibration",
                    f"healthy {'men' if sex == 'male' else 'women'}: {c.quantile:.1%} point of "
                    f"{c.readout} (virtual population, {n:,} people)",
                    f"{c.target:g}",
                    c.achieved,
                    c.unit,
                    c.passed,
                    c.source,
                    "selection target of the virtual population (Allen et al. 2016)",
                )
            )
    return tuple(rows)


def _xlsa_males(ctx: _Context) -> list[ValidationRow]:
    rows: list[ValidationRow] = []
    for hgvs, (prot, src) in XLSA_MALE_VARIANTS.items():
        p = ctx.predict(hgvs, "male")
        hb, mcv = p.blood["hb_g_dl"], p.blood["mcv_fl"]
        rows.append(
            ValidationRow(
                f"xlsa-male-anaemia-{hgvs}",
                "validation",
                f"XLSA male {hgvs} ({prot}) is anaemic",
                "Hb < 13 (WHO anaemia, men)",
                hb,
                "g/dL",
                hb < 13.0,
                f"{src}; {WHO_2011}",
            )
        )
        rows.append(
            ValidationRow(
                f"xlsa-male-microcytic-{hgvs}",
                "validation",
                f"XLSA male {hgvs} ({prot}) is microcytic",
                "MCV < 80",
                mcv,
                "fL",
                mcv < 80.0,
                f"{src}; {OMIM_XLSA}",
            )
        )
        lo, hi = XLSA_MALE_HB_RANGE_G_DL
        rows.append(
            ValidationRow(
                f"xlsa-male-hb-range-{hgvs}",
                "validation",
                f"XLSA male {hgvs}: Hb inside the range reported for hemizygous XLSA",
                f"{lo:g}-{hi:g} (7.6 in an R560H man)",
                hb,
                "g/dL",
                lo <= hb < hi,
                f"{CAZZOLA_2002}; {HEMATOLOGIST_2006}",
            )
        )
        lo, hi = XLSA_MALE_MCV_RANGE_FL
        rows.append(
            ValidationRow(
                f"xlsa-male-mcv-range-{hgvs}",
                "validation",
                f"XLSA male {hgvs}: MCV inside the range reported for hemizygous XLSA",
                f"{lo:g}-{hi:g} (64 in an R560H man)",
                mcv,
                "fL",
                lo <= mcv < hi,
                f"{CAZZOLA_2002}; {HEMATOLOGIST_2006}",
            )
        )
    return rows


def _garcon_woman(ctx: _Context) -> list[ValidationRow]:
    from hemesim.phenotype.grading import grade_anemia

    v = GARCON_VARIANT
    p = ctx.predict(v, "female", 0.9)
    treated = ctx.predict(v, "female", 0.9, "pyridoxine")
    hb, mcv, rdw = p.blood["hb_g_dl"], p.blood["mcv_fl"], p.blood["rdw_cv_percent"]
    published_grade = grade_anemia(9.6, "female").grade
    delta = float((treated.treatment_response or {}).get("change", {}).get("hb_g_dl", np.nan))
    return [
        ValidationRow(
            "garcon-woman-hb-grade",
            "validation",
            f"woman heterozygous for {v} with xi 0.9: anaemia of the reported grade",
            f"Hb 9.6 ({published_grade})",
            hb,
            "g/dL",
            grade_anemia(hb, "female").grade == published_grade,
            f"{GARCON_2014}; {WHO_2011}",
        ),
        ValidationRow(
            "garcon-woman-mcv",
            "validation",
            f"woman heterozygous for {v} with xi 0.9: MCV near the reported value",
            "73 (within 10 fL accepted)",
            mcv,
            "fL",
            abs(mcv - 73.0) <= 10.0,
            GARCON_2014,
        ),
        ValidationRow(
            "garcon-woman-rdw",
            "validation",
            f"woman heterozygous for {v} with xi 0.9: raised RDW (double population)",
            "27% (> 14.5% accepted)",
            rdw,
            "%",
            rdw > 14.5,
            GARCON_2014,
        ),
        ValidationRow(
            "garcon-woman-pyridoxine",
            "validation",
            f"woman heterozygous for {v} with xi 0.9: Hb rises on pyridoxine",
            "+1.8 (9.6 -> 11.4); >= 1 accepted",
            delta,
            "g/dL",
            bool(delta >= PYRIDOXINE_RESPONSE_G_DL),
            GARCON_2014,
        ),
    ]


def _pyridoxine(ctx: _Context) -> list[ValidationRow]:
    rows: list[ValidationRow] = []
    for hgvs, (prot, src) in PYRIDOXINE_RESPONDERS.items():
        p = ctx.predict(hgvs, "male", treatment="pyridoxine")
        resp = p.treatment_response or {}
        delta = float(resp.get("change", {}).get("hb_g_dl", float("nan")))
        rows.append(
            ValidationRow(
                f"pyridoxine-responder-{hgvs}",
                "validation",
                f"pyridoxine-responsive XLSA {hgvs} ({prot}): Hb rises on 100 mg/day",
                f"clinical responder (Hb rise >= {PYRIDOXINE_RESPONSE_G_DL:g} g/dL, operational)",
                delta,
                "g/dL",
                bool(delta >= PYRIDOXINE_RESPONSE_G_DL),
                src,
                note=f"effect kd_plp_factor = {p.variant.effect.kd_plp_factor:g}",
            )
        )
    return rows


def _xlp_males(ctx: _Context) -> list[ValidationRow]:
    rows: list[ValidationRow] = []
    for hgvs, (prot, src) in XLP_MALE_VARIANTS.items():
        p = ctx.predict(hgvs, "male")
        ep = p.blood["ep_total_ug_dl_rbc"]
        mf = p.blood["metal_free_fraction"]
        hb = p.blood["hb_g_dl"]
        ferritin = p.iron.ferritin_at(40.0)
        rows += [
            ValidationRow(
                f"xlp-male-ep-{hgvs}",
                "validation",
                f"XLP male {hgvs} ({prot}): total EP in the protoporphyria range",
                "300-5000 (normal < 80)",
                ep,
                "ug/dL RBC",
                300.0 <= ep <= 5000.0,
                f"{GOU_2015}; {src}",
            ),
            ValidationRow(
                f"xlp-male-metal-free-{hgvs}",
                "validation",
                f"XLP male {hgvs}: metal-free share below the EPP cut-off",
                "50-85% metal-free (EPP 85-100%)",
                mf,
                "fraction",
                0.5 <= mf < 0.85,
                GOU_2015,
            ),
            ValidationRow(
                f"xlp-male-no-anaemia-{hgvs}",
                "validation",
                f"XLP male {hgvs}: no anaemia",
                "Hb >= 13",
                hb,
                "g/dL",
                hb >= 13.0,
                f"{WHATLEY_2008}; {WHO_2011}",
            ),
            ValidationRow(
                f"xlp-male-no-overload-{hgvs}",
                "validation",
                f"XLP male {hgvs}: no iron overload by 40 years",
                "ferritin <= 300",
                ferritin,
                "ug/L",
                ferritin <= 300.0,
                WHATLEY_2008,
            ),
        ]
    return rows


def _mechanisms(ctx: _Context) -> list[ValidationRow]:
    comp = compare_mechanisms(backend=ctx.backend)
    normal = comp.row("normal")
    epp, xlp, iron = comp.row("EPP"), comp.row("XLP"), comp.row("iron deficiency")
    hb_fall = normal.hb_g_dl - epp.hb_g_dl
    ratio = xlp.ep_total_ug_dl_rbc / epp.ep_total_ug_dl_rbc if epp.ep_total_ug_dl_rbc else np.inf
    return [
        ValidationRow(
            "epp-metal-free",
            "validation",
            "EPP (FECH loss): mostly metal-free EP",
            ">= 85% metal-free",
            epp.metal_free_fraction,
            "fraction",
            epp.metal_free_fraction >= 0.85,
            GOU_2015,
            note="FECH.kcat x 0.25 (assumed residual activity)",
        ),
        ValidationRow(
            "epp-ep-raised",
            "validation",
            "EPP: total EP in the protoporphyria range",
            "300-5000",
            epp.ep_total_ug_dl_rbc,
            "ug/dL RBC",
            300.0 <= epp.ep_total_ug_dl_rbc <= 5000.0,
            GOU_2015,
        ),
        ValidationRow(
            "epp-hb-mild-fall",
            "validation",
            "EPP (FECH loss): Hb only mildly lower than normal",
            f"mean fall 1.2 in men (0-{EPP_HB_FALL_MAX_G_DL:g} accepted)",
            hb_fall,
            "g/dL",
            bool(0.0 <= hb_fall <= EPP_HB_FALL_MAX_G_DL),
            HOLME_2007,
        ),
        ValidationRow(
            "iron-deficiency-znpp",
            "validation",
            "iron deficiency: ZnPP/heme raised",
            "72-265 (normal <= 40)",
            iron.znpp_umol_mol_heme,
            "umol/mol heme",
            iron.znpp_umol_mol_heme > 40.0,
            HASTKA_1994,
            note="iron.supply x 0.4 (assumed)",
        ),
        ValidationRow(
            "iron-deficiency-mostly-znpp",
            "validation",
            "iron deficiency: EP mostly zinc protoporphyrin",
            "< 50% metal-free",
            iron.metal_free_fraction,
            "fraction",
            iron.metal_free_fraction < 0.5,
            GOU_2015,
        ),
        ValidationRow(
            "xlp-vs-epp-ep-ratio",
            "validation",
            "XLP males have higher EP than EPP patients",
            "about 2x (1-4 accepted)",
            float(ratio),
            "ratio",
            bool(1.0 <= ratio <= 4.0),
            BALWANI_2013,
            note="depends on the assumed EPP residual FECH activity",
        ),
    ]


def _females_xlsa(ctx: _Context) -> list[ValidationRow]:
    v = FEMALE_XLSA_VARIANT
    half = ctx.predict(v, "female", 0.5)
    skewed = ctx.predict(v, "female", 0.95)
    normal_rdw = ctx.predict(v, "female", 0.0).blood["rdw_cv_percent"]
    if ctx.backend is None:  # the one penetrance every surface shows
        from hemesim.phenotype.penetrance import penetrance

        pen = penetrance(v)
    else:  # a stand-in model: the typical woman's
        resolved = resolve_variant(v)
        clones = simulate_clones(resolved.effect, backend=ctx.backend)
        pen = penetrance_from_clones(clones, variant=v, seed=7, n_women=2000)
    return [
        ValidationRow(
            "xlsa-female-balanced-spared",
            "validation",
            f"heterozygous woman {v}, balanced X-inactivation (xi 0.5): not anaemic",
            "Hb >= 12 (carriers usually spared)",
            half.blood["hb_g_dl"],
            "g/dL",
            half.blood["hb_g_dl"] >= 12.0,
            f"{OMIM_XLSA}; {CAZZOLA_2000}",
        ),
        ValidationRow(
            "xlsa-female-balanced-at-most-mild",
            "validation",
            f"heterozygous woman {v}, balanced X-inactivation (xi 0.5): at most mildly anaemic",
            "Hb >= 11 (WHO mild anaemia or none; carriers 'often asymptomatic or only mildly "
            "anaemic')",
            half.blood["hb_g_dl"],
            "g/dL",
            half.blood["hb_g_dl"] >= 11.0,
            f"{BMC_MED_GENOMICS_2021}; {WHO_2011}",
        ),
        ValidationRow(
            "xlsa-female-skewed-anaemic",
            "validation",
            f"heterozygous woman {v}, skewed to the mutant X (xi 0.95): anaemic",
            "Hb < 12",
            skewed.blood["hb_g_dl"],
            "g/dL",
            skewed.blood["hb_g_dl"] < 12.0,
            f"{CAZZOLA_2000}; {WHO_2011}",
        ),
        ValidationRow(
            "xlsa-female-rdw",
            "validation",
            f"heterozygous woman {v} (xi 0.5): raised RDW from two red-cell populations",
            "RDW above normal (> 14.5%)",
            half.blood["rdw_cv_percent"],
            "%",
            half.blood["rdw_cv_percent"] > 14.5,
            OMIM_XLSA,
            note=f"single-population RDW {normal_rdw:.1f}% (assumed within-clone CV)",
        ),
        ValidationRow(
            "xlsa-female-penetrance-low",
            "validation",
            f"most heterozygous XLSA women ({v}) are unaffected at 40 years",
            "penetrance < 0.5",
            pen.penetrance,
            "probability",
            pen.penetrance < 0.5,
            DONKER_2014,
        ),
        ValidationRow(
            "xlsa-female-penetrance-age",
            "validation",
            "penetrance in women rises with age (age-related skewing)",
            "P(65 y) > P(25 y)",
            pen.by_age[65.0] - pen.by_age[25.0],
            "difference",
            pen.by_age[65.0] > pen.by_age[25.0],
            DONKER_2014,
        ),
    ]


def _females_xlp(ctx: _Context) -> list[ValidationRow]:
    v = FEMALE_XLP_VARIANT
    resolved = resolve_variant(v)
    clones = simulate_clones(resolved.effect, backend=ctx.backend)
    grid = np.linspace(0.0, 1.0, 101)
    ep = mix_arrays(clones.mutant, clones.normal, grid, epo_gain=clones.epo_gain)[
        "ep_total_ug_dl_rbc"
    ]
    monotone = bool(np.all(np.diff(ep) >= -1e-9))
    male_ep = float(ep[-1])
    dist = xi_distribution()
    xis = dist.sample(20000, 11)
    female_mean = float(
        mix_arrays(clones.mutant, clones.normal, xis, epo_gain=clones.epo_gain)[
            "ep_total_ug_dl_rbc"
        ].mean()
    )
    ratio = female_mean / male_ep if male_ep > 0 else float("nan")
    # linearity of EP in xi: coefficient of determination of a straight-line fit
    slope, intercept = np.polyfit(grid, ep, 1)
    resid = ep - (slope * grid + intercept)
    total = float(np.sum((ep - ep.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / total if total > 0 else float("nan")
    balanced = ctx.predict(v, "female", 0.5)
    return [
        ValidationRow(
            "xlp-female-ep-rises-with-xi",
            "validation",
            f"XLP women ({v}): EP rises with the share of cells expressing the mutant X",
            "from asymptomatic to as severe as males",
            float(ep[-1] - ep[0]),
            "ug/dL RBC (xi 1 minus xi 0)",
            monotone and ep[-1] > ep[0],
            "GeneReviews XLP (NBK121284, 2019)",
        ),
        ValidationRow(
            "xlp-female-ep-proportional",
            "validation",
            f"XLP women ({v}): EP proportional to the share of cells expressing the mutant X",
            "EP tracks X-inactivation (R^2 of a line >= 0.98 accepted)",
            r2,
            "R^2",
            bool(r2 >= 0.98),
            BRANCALEONI_2016,
        ),
        ValidationRow(
            "xlp-female-male-ratio",
            "validation",
            "mean EP of XLP women relative to XLP men",
            "0.76 (95% CI 0.43-1.36)",
            ratio,
            "ratio",
            0.43 <= ratio <= 1.36,
            GOU_2018,
            note="women averaged over the xi distribution at 40 years",
        ),
        ValidationRow(
            "xlp-female-balanced-asymptomatic",
            "validation",
            f"XLP woman {v} with balanced X-inactivation (xi 0.5): not XLP by EP",
            "EP < 300 (asymptomatic when balanced)",
            balanced.blood["ep_total_ug_dl_rbc"],
            "ug/dL RBC",
            balanced.disease != "XLP",
            BRANCALEONI_2016,
        ),
    ]


def _iron(ctx: _Context) -> list[ValidationRow]:
    v = "c.1354C>T"
    untreated = ctx.predict(v, "male")
    phleb = ctx.predict(v, "male", treatment="phlebotomy")
    ytoo = untreated.iron.years_to_overload()
    f40 = phleb.iron.ferritin_at(40.0)
    return [
        ValidationRow(
            "xlsa-iron-overload",
            "validation",
            f"untreated XLSA male ({v}) develops iron overload by the 4th decade",
            "ferritin > 300 within 40 years",
            float("nan") if ytoo is None else ytoo,
            "years",
            ytoo is not None and ytoo <= 40.0,
            DONKER_2014,
        ),
        ValidationRow(
            "xlsa-phlebotomy",
            "validation",
            f"phlebotomy prevents iron overload in XLSA ({v})",
            "ferritin <= 300 at 40 years",
            f40,
            "ug/L",
            f40 <= 300.0,
            f"{COTTER_1999}; {DONKER_2014}",
        ),
    ]


def _iron_in_protoporphyria(ctx: _Context) -> list[ValidationRow]:
    """Oral iron in the two protoporphyrias: opposite directions, reproduced, not fitted."""
    from hemesim.phenotype.clones import default_backend
    from hemesim.phenotype.treatments import IRON_PARAMETER, IRON_SUPPLY_FACTOR

    v = FEMALE_XLP_VARIANT
    untreated = ctx.predict(v, "male")
    treated = ctx.predict(v, "male", treatment="iron")
    xlp_change = treated.blood["ep_total_ug_dl_rbc"] - untreated.blood["ep_total_ug_dl_rbc"]
    be = ctx.backend if ctx.backend is not None else default_backend()
    fech = {"FECH.kcat": be.base_value("FECH.kcat") * EPP_FECH_FACTOR}
    iron = {IRON_PARAMETER: be.base_value(IRON_PARAMETER) * IRON_SUPPLY_FACTOR}
    epp0 = be.endpoint(fech)["ep_total_umol_l_rbc"] * UMOL_L_TO_UG_DL
    epp1 = be.endpoint(fech | iron)["ep_total_umol_l_rbc"] * UMOL_L_TO_UG_DL
    return [
        ValidationRow(
            "xlp-iron-lowers-ep",
            "validation",
            f"oral iron lowers EP in an XLP man ({v})",
            "EP falls (iron beneficial in XLP)",
            xlp_change,
            "ug/dL RBC (treated minus untreated)",
            xlp_change < 0.0,
            BARMAN_AKSOEZEN,
            note="iron supply x1.25 (assumed size)",
        ),
        ValidationRow(
            "epp-iron-raises-ep",
            "validation",
            "oral iron raises EP in EPP (FECH loss)",
            "EP rose in 7 of 10 iron-deficient EPP patients on iron",
            epp1 - epp0,
            "ug/dL RBC (treated minus untreated)",
            epp1 > epp0,
            f"{PDPT_2024}; {BARMAN_AKSOEZEN}",
            note="FECH.kcat x 0.25 (assumed residual activity), iron supply x1.25",
        ),
    ]


CHECKS: tuple[Check, ...] = (
    _calibration,
    _xlsa_males,
    _pyridoxine,
    _garcon_woman,
    _xlp_males,
    _mechanisms,
    _females_xlsa,
    _females_xlp,
    _iron,
    _iron_in_protoporphyria,
    _virtual_population,
)


def run_validation(
    *,
    backend: CloneBackend | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    patients: bool = True,
) -> ValidationReport:
    """Run every check and return the report.

    Parameters
    ----------
    backend
        Model access (default: the per-process roadrunner model).
    progress
        Called as ``progress(done, total, name)`` after each group of checks.
    patients
        Also compare with every published patient one by one
        (:func:`hemesim.phenotype.patient_validation.validate_patients`).
    """
    ctx = _Context(backend)
    rows: list[ValidationRow] = []
    total = len(CHECKS) + (1 if patients else 0)
    for i, check in enumerate(CHECKS, start=1):
        rows.extend(check(ctx))
        if progress is not None:
            progress(i, total, check.__name__.lstrip("_"))
    per_patient = validate_patients() if patients else None
    if progress is not None and patients:
        progress(total, total, "published patients")
    return ValidationReport(
        rows=rows, provenance=provenance("hemesim validate", {}), patients=per_patient
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _patients_html(p: PatientValidation) -> str:
    """The per-patient section of the HTML report."""
    esc = html.escape
    agree = p.agreement()
    parts = [
        "<h2>Published patients, one by one</h2>",
        "<p>Each patient with a known genotype is predicted as the person they are (sex, age, "
        "X-inactivation when given); nothing is fitted to them. Disease call: "
        f"{agree['disease_call']['agree']} of {agree['disease_call']['n']} agree; pyridoxine "
        f"response: {agree['pyridoxine_response']['agree']} of "
        f"{agree['pyridoxine_response']['n']} agree. "
        f"{esc(_upper_first(severity_rank_text(p.severity_rank)))}.</p>",
        "<table><thead><tr><th>readout</th><th>n</th><th>mean error</th>"
        "<th>mean |error|</th><th>published inside interval_95</th></tr></thead><tbody>",
    ]
    for s in p.by_readout().values():
        parts.append(
            f"<tr><td>{esc(s['name'])} ({esc(s['unit'])})</td><td>{s['n']}</td>"
            f"<td>{s['mean_error']:.3g}</td>"
            f"<td>{s['mean_absolute_error']:.3g}</td>"
            f"<td>{s['inside_interval_95']} of {s['with_interval']}</td></tr>"
        )
    parts.append(
        "</tbody></table><table><thead><tr><th>patient</th><th>variant</th><th>readout</th>"
        "<th>published</th><th>predicted</th><th>interval_95</th><th>source</th></tr></thead>"
        "<tbody>"
    )
    for c in p.comparisons:
        iv = "" if c.interval_95 is None else f"{c.interval_95[0]:.3g}-{c.interval_95[1]:.3g}"
        parts.append(
            f"<tr class='{'pass' if c.inside else 'fail'}'><td>{esc(c.patient_id)}</td>"
            f"<td>{esc(c.variant)}</td><td>{esc(c.readout)}</td><td>{c.published:.3g}</td>"
            f"<td>{c.predicted:.3g}</td><td>{iv}</td><td>{esc(c.source)}</td></tr>"
        )
    parts.append("</tbody></table>")
    if p.skipped:
        parts.append(
            "<p>Skipped: "
            + "; ".join(esc(f"{s['patient_id']} ({s['reason'][:100]})") for s in p.skipped)
            + "</p>"
        )
    return "".join(parts)
