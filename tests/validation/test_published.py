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

Calibration rows (normal physiology, the fit targets) must pass. A validation row listed in
KNOWN_DISCREPANCIES is a published figure the current model does NOT reproduce; the test asserts it
still fails, so that fixing the model forces the list to be updated (a strict expected failure).
Nothing is tuned to make a validation row pass.
"""

from __future__ import annotations

import pytest

from hemesim.phenotype.validation import CHECKS, ValidationReport, run_validation

_TOO_SEVERE = (
    "model XLSA hemizygote far more severe than reported (Hb ~3 g/dL, MCV ~15 fL at 25 Nov 2026): "
    "MCV = 90*(MCH/30)^0.8 has no floor and ALAS2 flux control is near-proportional"
)
_WEAK_COMPENSATION = (
    "balanced carrier anaemic: severe mutant clone plus EPO gain 1 (weak compensation by the "
    "normal clone) gives Hb ~11.2 g/dL at xi 0.5, so the affected xi starts below 0.5"
)
#: row id -> why the current model misses the published figure (reported to the model's owner).
KNOWN_DISCREPANCIES: dict[str, str] = {
    **{
        f"xlsa-male-{kind}-range-{v}": _TOO_SEVERE
        for kind in ("hb", "mcv")
        for v in ("c.595T>C", "c.1231C>T", "c.1343G>A", "c.1354C>T", "c.1355G>A", "c.611G>A")
    },
    "garcon-woman-hb-grade": _TOO_SEVERE,
    "garcon-woman-mcv": _TOO_SEVERE,
    "epp-ep-raised": "FECH has excess capacity: FECH.kcat x 0.25 gives EP ~220 ug/dL, not >= 300",
    "epp-hb-mild-fall": "FECH.kcat x 0.25 lowers Hb by ~3.9 g/dL (published mean fall 1.2)",
    "iron-deficiency-mostly-znpp": (
        "Zn competes too weakly with Fe at FECH: iron.supply x 0.4 leaves 67% metal-free"
    ),
    "xlsa-female-balanced-spared": _WEAK_COMPENSATION,
    "xlsa-female-penetrance-low": _WEAK_COMPENSATION,
    "xlsa-female-penetrance-age": (
        _WEAK_COMPENSATION + "; with the threshold below 0.5, wider age-related skewing lowers it"
    ),
    "xlp-female-balanced-asymptomatic": (
        "EP at xi 0.5 is ~430 ug/dL, above the 300 ug/dL diagnostic range used for the XLP call"
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
