"""ACMG/AMP classification: point arithmetic, class boundaries and each criterion.

Sources of the expected numbers:
* points and class boundaries: Tavtigian et al. Hum Mutat 2020;41:1734 (PMID 32720330), Table 3:
  Pathogenic >= 10, Likely pathogenic 6-9, Uncertain 0-5, Likely benign -1 to -6, Benign <= -7;
  supporting 1, moderate 2, strong 4, very strong 8;
* odds per strength: Tavtigian et al. Genet Med 2018;20:1054 (PMID 29300386): very strong 350,
  strong 18.7, moderate 4.33, supporting 2.08;
* PVS1 tree: Abou Tayoun et al. Hum Mutat 2018;39:1517 (PMID 30192042), Figure 1;
* BA1 > 5 %: Richards et al. Genet Med 2015;17:405 (PMID 25741868).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemesim.errors import VariantError
from hemesim.variants.acmg import CODES, Criterion, classify, cosegregation_criteria
from hemesim.variants.acmg.points import class_from_points, odds_threshold, strength_label
from hemesim.variants.acmg.pvs1 import CODING_EXONS, nmd_predicted
from hemesim.variants.interpret import interpret


# --- points and classes (Tavtigian 2020, Table 3) ------------------------------------------------
@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (13, "Pathogenic"),
        (10, "Pathogenic"),
        (9, "Likely pathogenic"),
        (6, "Likely pathogenic"),
        (5, "Uncertain significance"),
        (0, "Uncertain significance"),
        (-1, "Likely benign"),
        (-6, "Likely benign"),
        (-7, "Benign"),
        (-12, "Benign"),
    ],
)
def test_class_boundaries_tavtigian_2020(points: int, expected: str) -> None:
    assert class_from_points(points) == expected


def test_ba1_stands_alone() -> None:
    assert class_from_points(12, stand_alone_benign=True) == "Benign"


@pytest.mark.parametrize(
    ("strength", "odds"),
    [("supporting", 2.08), ("moderate", 4.33), ("strong", 18.7), ("very_strong", 350.0)],
)
def test_odds_per_strength_tavtigian_2018(strength: str, odds: float) -> None:
    assert odds_threshold(strength) == pytest.approx(odds, rel=2e-3)


@pytest.mark.parametrize(
    ("code", "strength", "met", "points"),
    [
        ("PVS1", "very_strong", True, 8),
        ("PVS1", "strong", True, 4),
        ("PM2", "supporting", True, 1),
        ("PM5", "moderate", True, 2),
        ("BS4", "strong", True, -4),
        ("BS3", "supporting", True, -1),
        ("PS3", "strong", False, 0),
        ("PS4", "strong", None, 0),
        ("BA1", "stand_alone", True, 0),
    ],
)
def test_criterion_points(code: str, strength: str, met: bool | None, points: int) -> None:
    assert Criterion(code, strength, met, "x").points == points


def test_labels_show_only_a_changed_strength() -> None:
    assert strength_label("PVS1", "very_strong") == "PVS1"
    assert strength_label("PVS1", "strong") == "PVS1_Strong"
    assert strength_label("PM2", "supporting") == "PM2_Supporting"
    assert strength_label("BS4", "moderate") == "BS4_Moderate"


def test_points_are_the_sum_of_met_criteria() -> None:
    c = classify(interpret("p.Lys100*"), allele_frequency=0.0, bayes_factor=20.0)
    assert c.points == sum(x.points for x in c.criteria)
    assert {x.label for x in c.met} == {"PVS1", "PM2_Supporting", "PP1_Strong"}
    assert c.points == 8 + 1 + 4
    assert c.classification == "Pathogenic"


def test_json_contract() -> None:
    d = classify(interpret("c.1354C>T")).to_dict()
    assert {"disease", "class", "points", "criteria"} <= set(d)
    assert [c["code"] for c in d["criteria"]] == list(CODES)
    assert len(CODES) == 28
    for c in d["criteria"]:
        assert {"code", "strength", "met", "evidence", "pmids"} <= set(c)
        assert c["met"] in (True, False, None)
        assert c["evidence"]


# --- PVS1 (Abou Tayoun 2018) ---------------------------------------------------------------------
def test_exon_table_is_contiguous_and_ends_at_the_stop() -> None:
    for (_, _, end), (_, start, _) in zip(CODING_EXONS, CODING_EXONS[1:], strict=False):
        assert start in (end + 1, 1) or (end == -1 and start == 1)
    assert CODING_EXONS[-1][2] == 1764  # 588 codons x 3


def test_nmd_boundary_is_50_nt_before_the_last_junction() -> None:
    # exon 10 ends at c.1600: a stop starting at c.1549 (codon 517) is more than 50 nt upstream
    assert nmd_predicted(517)
    assert not nmd_predicted(518)


def test_pvs1_early_nonsense_is_very_strong() -> None:
    c = classify(interpret("p.Lys100*"))
    assert c.disease == "XLSA"
    assert c["PVS1"].met is True and c["PVS1"].strength == "very_strong"
    assert "30192042" in c["PVS1"].pmids


def test_pvs1_nmd_escaping_frameshift_in_core_is_strong() -> None:
    c = classify(interpret("p.Arg517Glyfs*5"))
    assert c["PVS1"].met is True and c["PVS1"].strength == "strong"


def test_pvs1_does_not_apply_to_gain_of_function_truncations() -> None:
    for text in ("c.1642C>T", "p.Gln548*", "c.1699_1700del"):
        c = classify(interpret(text))
        assert c.disease == "XLP"
        assert c["PVS1"].met is False


def test_pvs1_elongating_frameshift_is_pm4_not_pvs1() -> None:
    c = classify(interpret("c.1743_1753del"))  # p.Gln581Hisfs*35, curated XLSA
    assert c["PVS1"].met is False
    assert c["PM4"].met is True


def test_pvs1_start_loss_is_supporting() -> None:
    assert classify(interpret("c.1A>G"))["PVS1"].label == "PVS1_Supporting"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("c.1168+2T>A", "PVS1_Strong"),  # exon 8, 165 nt: in frame, removes core codons 335-390
        ("c.1437+1G>A", "PVS1"),  # exon 9, 269 nt: frame shifted upstream of c.1551 -> NMD
        ("c.1438-1G>A", "PVS1_Strong"),  # exon 10, 163 nt: shifted frame starts in exon 11
    ],
)
def test_pvs1_canonical_splice_by_exon_skipping(text: str, label: str) -> None:
    c = classify(interpret(text))
    assert c["PVS1"].met is True
    assert c["PVS1"].label == label


def test_pvs1_not_for_missense() -> None:
    assert classify(interpret("p.Arg452Cys"))["PVS1"].met is False


# --- PS1 / PM5 / PM1 -----------------------------------------------------------------------------
def test_pm5_other_missense_at_the_same_residue() -> None:
    c = classify(interpret("p.Arg452His"))
    assert c["PM5"].met is True
    assert "Arg452Cys" in c["PM5"].evidence


def test_ps1_not_for_the_published_variant_itself() -> None:
    c = classify(interpret("c.1218G>T"))  # p.Leu406Phe, curated with this c.
    assert c["PS1"].met is False


def test_ps1_for_another_nucleotide_change_with_the_same_protein_change() -> None:
    # c.1218G>C also gives Leu406Phe (TTG -> TTC); the codon-level reference cannot decide it,
    # so the report is built as the sequence-level one would be
    report = interpret("c.1218G>T")
    report = dataclasses.replace(report, hgvs_c="NM_000032.5:c.1218G>C", known=None)
    c = classify(report)
    assert c["PS1"].met is True
    assert c["PM5"].met is False  # not both


def test_ps1_not_evaluated_for_protein_input() -> None:
    assert classify(interpret("p.Leu406Phe"))["PS1"].met is None


def test_pm1_active_site_residue() -> None:
    assert classify(interpret("p.Lys391Asn"))["PM1"].met is True
    assert classify(interpret("p.Arg452Cys"))["PM1"].met is False


# --- PS3 / BS3 -----------------------------------------------------------------------------------
def test_ps3_from_measured_activity_at_supporting() -> None:
    c = classify(interpret("c.1218G>T"))  # 14 % specific activity (Mendez 2016)
    assert c["PS3"].met is True and c["PS3"].label == "PS3_Supporting"


def test_bs3_when_activity_is_not_reduced() -> None:
    c = classify(interpret("p.Arg452Gly"))  # UniProt: does not affect activity
    assert c["BS3"].met is True and c["BS3"].label == "BS3_Supporting"
    assert c["PS3"].met is False


def test_ps3_for_xlp_gain_of_activity() -> None:
    c = classify(interpret("c.1642C>T"))  # kcat 17.3 vs 3.5 per min (Bailey 2020)
    assert c["PS3"].met is True


# --- figures given by the user -------------------------------------------------------------------
def test_frequency_criteria() -> None:
    assert classify(interpret("p.Arg452Cys"))["PM2"].met is None
    absent = classify(interpret("p.Arg452Cys"), allele_frequency=0.0)
    assert absent["PM2"].label == "PM2_Supporting" and absent["PM2"].met is True
    common = classify(interpret("p.Lys100*"), allele_frequency=0.06)
    assert common["BA1"].met is True
    assert common.classification == "Benign"  # stand-alone, whatever PVS1 says


def test_de_novo_criteria() -> None:
    c = classify(interpret("p.Arg452Cys"), de_novo="confirmed")
    assert c["PS2"].met is True and c["PM6"].met is False
    c = classify(interpret("p.Arg452Cys"), de_novo="assumed")
    assert c["PS2"].met is False and c["PM6"].met is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"allele_frequency": 1.5}, "allele_frequency"),
        ({"allele_frequency": True}, "allele_frequency"),
        ({"de_novo": "maybe"}, "de_novo"),
        ({"bayes_factor": -1.0}, "bayes_factor"),
        ({"bayes_factor": "3"}, "bayes_factor"),
    ],
)
def test_bad_figures_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(VariantError, match=f"^{field} "):
        classify(interpret("p.Arg452Cys"), **kwargs)


# --- PP1 / BS4 from the Bayes factor (odds scale of Tavtigian 2018) ------------------------------
@pytest.mark.parametrize(
    ("bf", "label"),
    [
        (2.1, "PP1"),
        (4.4, "PP1_Moderate"),
        (19.0, "PP1_Strong"),
        (1e6, "PP1_Strong"),  # capped at strong
        (0.47, "BS4_Supporting"),
        (0.2, "BS4_Moderate"),
        (0.05, "BS4"),
        (0.0, "BS4"),
    ],
)
def test_cosegregation_strength(bf: float, label: str) -> None:
    pp1, bs4 = cosegregation_criteria(bf)
    met = [c for c in (pp1, bs4) if c.met]
    assert len(met) == 1
    assert met[0].label == label


def test_cosegregation_neutral_band() -> None:
    for bf in (0.5, 1.0, 2.0):
        pp1, bs4 = cosegregation_criteria(bf)
        assert pp1.met is False and bs4.met is False
    pp1, bs4 = cosegregation_criteria(None)
    assert pp1.met is None and bs4.met is None


def test_documented_example() -> None:
    """docs/variants.md shows the line of `hemesim variant "p.Lys100*" --allele-frequency 0`."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "variants.md").read_text("utf-8")
    shown = re.search(r"ACMG/AMP: (.+) for (\w+) \((\d+) points; (.+)\)", doc)
    assert shown is not None
    c = classify(interpret("p.Lys100*"), allele_frequency=0.0)
    assert shown.groups() == (
        c.classification,
        c.disease,
        str(c.points),
        ", ".join(x.label for x in c.met),
    )


def test_undecided_codon_leaves_the_sequence_criteria_unevaluated() -> None:
    # c.1218G>C: Leu406 is TTG or CTG at codon level -> Phe or Leu; not decided without the CDS
    report = interpret("c.1218G>C")
    if report.consequence != "coding_sequence_variant":
        pytest.skip("the CDS is shipped: the codon is decided")
    c = classify(report)
    for code in ("PVS1", "PS1", "PM1", "PM5"):
        assert c[code].met is None


@given(st.integers(-40, 40), st.integers(-40, 40))
def test_class_is_monotone_in_points(a: int, b: int) -> None:
    """More points never give a less pathogenic class (Tavtigian 2020 ranges are ordered)."""
    from hemesim.variants.acmg.points import CLASSES

    lo, hi = sorted((a, b))
    assert CLASSES.index(class_from_points(hi)) <= CLASSES.index(class_from_points(lo))


@given(st.lists(st.sampled_from(["supporting", "moderate", "strong", "very_strong"]), max_size=6))
def test_points_add_as_log_odds(strengths: list[str]) -> None:
    """Points are log2-proportional to the odds (Tavtigian 2020): the product of the odds of
    the pieces of evidence equals 350^(points/8)."""
    import math

    points = sum(Criterion("PS3", s, True, "x").points for s in strengths)
    odds = math.prod(odds_threshold(s) for s in strengths)
    assert math.isclose(odds, 350.0 ** (points / 8), rel_tol=1e-9)


def test_ps3_from_the_mechanisms_table() -> None:
    """Bailey 2020 Table 3 (PMID 32499479): Q548X kcat 17.3 vs 3.5 per min, a raised activity;
    Ducamp 2011 (PMID 21309041): R452G without a defect in vitro."""
    from hemesim.variants.acmg.evidence import mechanism_findings

    found = mechanism_findings("NP_000023.2:p.(Gln548Ter)", None)
    assert ("increased" in {d for d, _ in found}) and any("4.94" in t for _, t in found)
    assert {d for d, _ in mechanism_findings("p.(Arg452Gly)", None)} == {"normal"}
    assert mechanism_findings("p.(Arg452Cys)", "c.1354C>T") == []


def test_exon_table_matches_the_shipped_exon_data() -> None:
    """CODING_EXONS (PVS1) agrees with the exon table (shared/data/alas2_exons_grch38.tsv, or
    the package copy when the sequence-level work ships it)."""
    from pathlib import Path

    import hemesim

    root = Path(__file__).resolve().parents[2]
    candidates = [
        Path(hemesim.__file__).parent / "gene" / "data" / "alas2_exons_grch38.tsv",
        root.parent / "shared" / "data" / "alas2_exons_grch38.tsv",
        root.parent.parent / "shared" / "data" / "alas2_exons_grch38.tsv",
    ]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        pytest.skip("exon table not found (shared/data or package data)")
    rows = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and not line.startswith("exon")
    ]
    table = {int(r[0]): (r[7], r[8]) for r in rows}
    for exon, start, end in CODING_EXONS:
        c_start, c_end = table[exon]
        assert c_start == f"c.{start}"
        assert c_end == (f"c.{end}" if exon < 11 else "c.*125")


def test_pvs1_frameshift_without_its_stop_near_the_end_is_not_evaluated() -> None:
    from hemesim.variants.acmg.facts import VariantFacts
    from hemesim.variants.acmg.pvs1 import evaluate_pvs1

    def fs(first: int) -> VariantFacts:
        return VariantFacts("frameshift_variant", first, first, None, None, None, "fs",
                            None, None, "loss_of_function", "")  # fmt: skip

    assert evaluate_pvs1(fs(500), "XLSA", False).met is None  # exon 10: stop may escape NMD
    assert evaluate_pvs1(fs(200), "XLSA", False).label == "PVS1"  # far upstream: NMD
