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

_D263N = (
    "c.787G>A (p.Asp263Asn) is one of Ducamp 2011's low-activity variants: kcat 0.2 with no PLP "
    "defect, so the mutant clone's MCH is ~10 pg (MCV ~53 fL)"
)
_FECH_UNSOURCED = (
    "FECH capacity (FECH.E, ~2.5x the normal flux by rule) and PPIX efflux (PPIX.k_efflux 20/h) "
    "are assumed; with FECH.kcat x 0.25 FECH becomes limiting"
)
_XLP_IRE = (
    "the XLP gain drains matrix iron, and IRP1 (matrix-iron sensor, Chung 2014; share "
    "IRP.w_mito 0.5 assumed) then represses ALAS2 translation through its 5'-IRE"
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
    "xlp-male-ep-c.1706_1709del": (
        _XLP_IRE + "; with the purified-enzyme gains of Bailey 2020 Table 3 (kcat x4.66, "
        "Km(succinyl-CoA) x1.73, kcat/Km only 2.7x, the rule default since issue 14) EP reaches "
        "~283 ug/dL, just below 300; with iron restricted (iron supply x 0.6) the same man has "
        "EP ~1100 ug/dL, 64% metal-free, the published XLP picture"
    ),
    "xlp-male-metal-free-c.1706_1709del": (
        _XLP_IRE + "; at normal iron supply the excess is mostly zinc-chelated (22% metal-free)"
    ),
    "xlp-male-ep-c.1699_1700del": (
        _XLP_IRE + "; measured kinetics (Bailey 2020 Table 3: kcat x4.4, Km(succinyl-CoA) x1.75) "
        "give EP ~289 ug/dL, just below 300"
    ),
    "xlp-male-ep-c.1642C>T": (
        _XLP_IRE + "; measured kinetics (Bailey 2020 Table 3: kcat x4.94, Km(succinyl-CoA) x1.72) "
        "give EP ~275 ug/dL, just below 300"
    ),
    "xlp-male-metal-free-c.1642C>T": (
        _XLP_IRE + ", so FECH is iron-limited and ZnPP rises: 20% metal-free (published 50-85%)"
    ),
    "xlp-vs-epp-ep-ratio": (
        "XLP and EPP men both sit near EP 280-290 ug/dL (ratio 0.97): the measured XLP gain is "
        "smaller than the rule's former Ducamp bounds, and EPP's residual FECH is assumed"
    ),
    "xlsa-female-penetrance-low": (
        "the penetrance is now the share of simulated women (calibrated female Hb set point, "
        "median 13.5 g/dL, and the rule's range of factors): a carrier at balanced "
        "X-inactivation loses about 2.5 g/dL through the mosaic Hb rule (the mutant clone's "
        "production, MCH 13 pg and 56 % ineffective, adds in marrow proportions under one EPO "
        "feedback), so most simulated women fall below 12 g/dL: 0.76 (the typical woman with the "
        "model's reference set point: 0.25)"
    ),
    "xlsa-female-penetrance-age": (
        "with a penetrance above 0.5 at balanced X-inactivation, age-related skewing moves women "
        "both ways and the share falls slightly (0.76 at 25 y, 0.71 at 65 y)"
    ),
    "xlp-male-metal-free-c.1699_1700del": (
        _XLP_IRE + ", so FECH is iron-limited and ZnPP rises: 48% metal-free (published 50-85%)"
    ),
    "xlp-male-ep-c.1734del": (
        _XLP_IRE + "; the mildest purified-enzyme gain (kcat x 1.29, kcat/Km x 2) gives EP ~150 "
        "ug/dL, below 300"
    ),
    "xlp-male-metal-free-c.1734del": (
        _XLP_IRE + "; with the mildest gain the excess is mostly zinc-chelated (10% metal-free)"
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
