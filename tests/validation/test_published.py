"""Predicted vs published: the rows of ``hemesim validate``, run against the real model.

Every row names its source (see hemesim/phenotype/validation.py for the full citations):
- XLSA males: Cotter et al., Blood 1999;93:1757; Kucerova et al., Acta Haematol 2011;125:193;
  Harigae et al. 1999 (PMID 10577279); OMIM 300751 / MedGen C0221018; ranges from Cazzola et al.,
  Blood 2002;100:4236 and The Hematologist 2006 case; WHO 2011 anaemia thresholds.
- Pyridoxine responders: Cotter 1999 (all four probands responsive); Harigae 1999.
- Heterozygous woman with 90:10 skewing: Garcon & Kannengiesser, Blood 2014;123:808.
- XLP: Whatley et al., AJHG 2008;83:408; Balwani et al., Mol Med 2013;19:26; Gou et al.,
  Clin Chem 2015;61:1453; Gou et al., J Appl Lab Med 2018;3:213; Brancaleoni et al.,
  Clin Genet 2016;89:20; GeneReviews XLP.
- EPP vs XLP vs iron deficiency: Gou 2015; Hastka et al., Clin Chem 1994;40:768; Holme et al.,
  Blood 2007;110:4108.
- Women with XLSA: Cazzola et al., Blood 2000;96:4363; Donker thesis (Radboud 2014).
- Iron: Donker thesis ch. 6; Cotter 1999.

Published patients one by one (phenotype/data/published_patients.csv; every row names its paper,
table or passage, e.g. Cazzola et al., Blood 2002;100:4236; Garcon & Kannengiesser, Blood
2014;123:808; Cotter et al., Blood 1999;93:1757 and J Clin Invest 1995; Cazzola et al., Blood
2000;96:4363): every patient is predicted or skipped with a reason, every published readout of a
predicted patient is compared, and every miss (published value outside interval_95, disagreeing
disease call or pyridoxine response) is listed in KNOWN_DISCREPANCIES as "patient:<id>:<what>".
Model numbers are not pinned here: the model's XLP and iron handling is still changing.

Calibration rows (normal physiology, the fit targets) must pass. A validation row listed in
KNOWN_DISCREPANCIES is a published figure the current model does NOT reproduce; the test asserts it
still fails, so that fixing the model forces the list to be updated (a strict expected failure).
Nothing is tuned to make a validation row pass.
"""

from __future__ import annotations

import warnings

import pytest

from hemesim.phenotype.patient_validation import (
    MIN_RANK_GENOTYPES,
    READOUTS,
    SUMMARY_READOUTS,
)
from hemesim.phenotype.published_patients import published_patients
from hemesim.phenotype.validation import CHECKS, ValidationReport, run_validation

_D263N = (
    "c.787G>A (p.Asp263Asn) is one of Ducamp 2011's low-activity variants: kcat 0.2 with no PLP "
    "defect, so the mutant clone's MCH is ~10 pg (MCV ~53 fL)"
)
_FECH_UNSOURCED = (
    "FECH capacity (FECH.E, ~2.5x the normal flux by rule) and PPIX efflux (PPIX.k_efflux 20/h) "
    "are assumed; with FECH.kcat x 0.25 FECH becomes limiting"
)
#: row id -> why the current model misses the published figure (reported to the model's owner).
KNOWN_DISCREPANCIES: dict[str, str] = {
    "garcon-woman-mcv": _D263N + "; mixed MCV ~60 fL at 90:10, below 73 +/- 10 fL",
    "garcon-woman-pyridoxine": (
        _D263N + "; without a PLP defect pyridoxine raises Hb only 0.3 g/dL (published +1.8)"
    ),
    "epp-ep-raised": _FECH_UNSOURCED + " and fast efflux drains PPIX: EP ~280 ug/dL, not >= 300",
    "epp-hb-mild-fall": (
        _FECH_UNSOURCED + "; the unused iron loads mitochondria and the ineffective-erythropoiesis "
        "law built for XLSA adds to it: Hb falls ~2.5 g/dL (published mean 1.2, 0-2.5 accepted)"
    ),
    "xlsa-female-penetrance-low": (
        "the penetrance is now the share of simulated women (calibrated female Hb set point, "
        "median 13.5 g/dL, and the rule's range of factors): a carrier at balanced "
        "X-inactivation loses about 2.5 g/dL through the mosaic Hb rule (the mutant clone's "
        "production, MCH 13 pg and 56 % ineffective, adds in marrow proportions under one EPO "
        "feedback), so most simulated women fall below 12 g/dL: 0.76 (the typical woman, at the "
        "same female set point: 0.82)"
    ),
    "xlsa-female-penetrance-age": (
        "with a penetrance above 0.5 at balanced X-inactivation, age-related skewing moves women "
        "both ways and the share falls slightly (0.76 at 25 y, 0.70 at 65 y)"
    ),
    "xlp-male-metal-free-c.1734del": (
        "the mildest purified-enzyme gain (Bailey 2020 Table 3: kcat x 1.29, kcat/Km x 2) is "
        "limited to the normal transferrin iron delivery (phenotype.iron_delivery) and then "
        "reaches EP ~430 ug/dL, but FECH still chelates most of it with zinc: ~39% metal-free "
        "(published 50-85%, Gou 2015)"
    ),
    "xlp-female-balanced-asymptomatic": (
        "the transferrin iron delivery limits each clone as if it were the whole erythron "
        "(phenotype.iron_delivery): in a balanced woman the variant clone shares plasma with "
        "normal cells and would get more iron, so its EP is overstated; the mixture reaches "
        "~303 ug/dL, just above 300"
    ),
    "garcon-woman-hb-grade": (
        _D263N + "; with the female Hb set point of the calibrated population (median 13.5 g/dL, "
        "phenotype.vpop.typical_factors) the mosaic Hb rule gives ~7.1 g/dL (severe), below the "
        "published 9.6 (moderate): the same cause as xlsa-female-penetrance-low"
    ),
    "xlsa-female-balanced-spared": (
        "with the female Hb set point (median 13.5 g/dL) a balanced carrier of the rule's "
        "R452C-like loss loses ~2.4 g/dL through the mosaic Hb rule and reaches ~11.1 g/dL, below "
        "12: the same cause as xlsa-female-penetrance-low (the mosaic rule, not the set point)"
    ),
    # --- published patients, one by one (keys "patient:<patient_id>:<readout or call>") ---
    "patient:Garcon2014-P1:mcv_fl": (
        _D263N + "; at her 90:10 X-inactivation the mixed MCV is ~54 fL and the 95% interval of "
        "women like her ends just below her 73 fL (Garcon & Kannengiesser, Blood 2014)"
    ),
    "patient:Garcon2014-P1:pyridoxine": (
        _D263N + "; without a PLP defect pyridoxine raises her Hb by ~0.6 g/dL, under the 1 g/dL "
        "response threshold (published 9.6 -> 11.4 g/dL)"
    ),
    "patient:Cazzola2002-P2:disease_call": (
        "the model has no modifier that silences a hemizygous c.1679G>A (p.Arg560His): ~98% of "
        "simulated men like him are XLSA and ~2% unaffected, while he showed 'almost no phenotypic "
        "expression' beside his anaemic brother (Cazzola et al., Blood 2002)"
    ),
}


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    return run_validation()


@pytest.fixture(scope="module")
def rows_by_group() -> dict[str, list[str]]:
    from hemesim.phenotype.validation import _Context

    ctx = _Context(None)
    return {check.__name__: [r.id for r in check(ctx)] for check in CHECKS}


@pytest.mark.parametrize("group", [c.__name__ for c in CHECKS])
def test_group_matches_published(
    report: ValidationReport, rows_by_group: dict[str, list[str]], group: str
) -> None:
    problems: list[str] = []
    for row_id in rows_by_group[group]:
        row = report.row(row_id)
        if row.category == "calibration" or row_id not in KNOWN_DISCREPANCIES:
            if not row.passed:
                problems.append(
                    f"{row_id}: predicted {row.predicted!r} {row.unit}, published "
                    f"{row.published} ({row.source})"
                )
        elif row.passed:
            problems.append(
                f"{row_id} now matches the published figure: remove it from KNOWN_DISCREPANCIES"
            )
    assert not problems, "\n".join(problems)


def test_report_renders(report: ValidationReport) -> None:
    html = report.to_html()
    assert html.startswith("<!DOCTYPE html>") and "http" not in html.split("<body>")[0]
    assert len(report.rows) == report.to_dataframe().shape[0]
    for row in report.rows:
        assert row.source, row.id


_PATIENT_KEY = "patient:"


def test_published_patients_one_by_one(report: ValidationReport) -> None:
    """Each published patient is predicted or skipped with a reason; misses are listed.

    Sources: the ``source`` and ``location`` of every row of published_patients.csv (Cazzola
    2002 and 2000, Garcon 2014, Cotter 1995 and 1999, Kucerova 2011, Moon 2014, ...).
    """
    pv = report.patients
    assert pv is not None
    table = published_patients()
    assert pv.n_in_table == len(table)
    skipped = {s["patient_id"]: s["reason"] for s in pv.skipped}
    called = {c["patient_id"] for c in pv.calls}
    compared = {(c.patient_id, c.readout) for c in pv.comparisons}
    problems: list[str] = []
    for p in table:
        if p.patient_id in skipped:
            if not skipped[p.patient_id].strip():
                problems.append(f"{p.patient_id}: skipped without a reason")
            continue
        if p.patient_id not in called:
            problems.append(f"{p.patient_id}: neither predicted nor skipped ({p.source})")
            continue
        for readout in READOUTS:
            if getattr(p, readout) is not None and (p.patient_id, readout) not in compared:
                problems.append(f"{p.patient_id}: published {readout} not compared")
        on_b6 = (p.patient_id, "hb_on_pyridoxine_g_dl") in compared
        tried = p.pyridoxine_response in ("yes", "partial", "no") and p.disease == "XLSA"
        if p.hb_on_pyridoxine_g_dl is not None and tried and not on_b6:
            problems.append(f"{p.patient_id}: published Hb on pyridoxine not compared")
    assert pv.n_predicted == len(called)
    assert not problems, "\n".join(problems)

    for name, s in pv.by_readout().items():
        assert s["n"] >= s["with_interval"] >= s["inside_interval_95"] >= 0, name
        assert s["name"] and s["unit"], name

    rank = pv.severity_rank
    assert rank["n"] == len({g["genotype"] for g in rank["genotypes"]})
    if rank["n"] >= MIN_RANK_GENOTYPES:
        assert rank["status"] in {"ok", "undefined"}
        if rank["status"] == "ok":
            assert -1.0 <= rank["rho"] <= 1.0
    else:
        assert rank["status"] == "not enough patients" and rank["rho"] is None

    unlisted = [
        f"{m['id']}: {m['detail']}"
        for m in pv.misses()
        if _PATIENT_KEY + m["id"] not in KNOWN_DISCREPANCIES
    ]
    assert not unlisted, "misses without a reason in KNOWN_DISCREPANCIES:\n" + "\n".join(unlisted)
    # A listed miss that now matches is reported, not failed: the model's iron and XLP handling
    # is being changed in parallel (update the list when it settles).
    missed = {_PATIENT_KEY + m["id"] for m in pv.misses()}
    fixed = [k for k in KNOWN_DISCREPANCIES if k.startswith(_PATIENT_KEY) and k not in missed]
    if fixed:
        warnings.warn(f"patient rows now matching: {fixed}", stacklevel=1)


def test_listed_patient_misses_name_real_patients_and_readouts() -> None:
    ids = {p.patient_id for p in published_patients()}
    kinds = set(SUMMARY_READOUTS) | {"disease_call", "pyridoxine"}
    for key, reason in KNOWN_DISCREPANCIES.items():
        if not key.startswith(_PATIENT_KEY):
            continue
        patient_id, _, what = key[len(_PATIENT_KEY) :].rpartition(":")
        assert patient_id in ids, key
        assert what in kinds, key
        assert len(reason) > 40, key
