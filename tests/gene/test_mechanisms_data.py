"""Curated ALAS2 variant mechanisms: the loader's checks (bad fixtures in tmp_path) and invariants
of the shipped files (residues match P22557, numbers carry source and location, ranges hold)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import GeneError
from hemesim.gene.genetic_code import AA3, aa1
from hemesim.gene.mechanisms import (
    CERTAINTIES,
    FACTORS,
    MECHANISM_COLUMNS,
    RULE_RANGE_COLUMNS,
    mechanism_records,
    normalise_hgvs_p,
    parse_mechanisms,
    parse_rule_ranges,
    records_for,
    rule_default_ranges,
)
from hemesim.gene.reference import load_reference

GOOD = {
    "hgvs_c": "c.1642C>T",
    "hgvs_p": "p.(Gln548Ter)",
    "mechanism": "c_terminal_gain",
    "factor": "kcat",
    "value": "4.94",
    "low": "4.5",
    "high": "5.4",
    "measured_as": "kcat 17.3 vs 3.5 min-1",
    "assay": "purified recombinant human ALAS2",
    "source": "Bailey 2020",
    "location": "Table 3",
    "certainty": "table",
    "notes": "",
}


def _write(tmp_path: Path, rows: list[dict[str, str]], name: str = "mech.csv") -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(MECHANISM_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _parse(path: Path):  # noqa: ANN202 - test helper
    return parse_mechanisms(path.read_text(encoding="utf-8"), name=path.name)


def test_good_fixture_parses(tmp_path: Path) -> None:
    (rec,) = _parse(_write(tmp_path, [GOOD]))
    assert (rec.value, rec.low, rec.high) == (4.94, 4.5, 5.4)
    assert rec.measured and rec.has_number
    assert rec.to_dict()["measured"] is True


def test_not_read_row_without_number_is_allowed_and_not_measured(tmp_path: Path) -> None:
    row = GOOD | {"value": "", "low": "", "high": "", "certainty": "not_read"}
    (rec,) = _parse(_write(tmp_path, [row]))
    assert rec.value is None and not rec.measured and not rec.has_number


def test_range_only_row_is_allowed_but_not_measured(tmp_path: Path) -> None:
    row = GOOD | {"value": "", "low": "1.3", "high": "1.9", "certainty": "text"}
    (rec,) = _parse(_write(tmp_path, [row]))
    assert rec.value is None and rec.has_number and not rec.measured


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"factor": "kcat_factor"}, "factor", "is not one of"),
        ({"certainty": "verbatim"}, "certainty", "is not one of"),
        ({"value": "0", "low": "", "high": ""}, "value", "> 0"),
        ({"value": "-0.5", "low": "", "high": ""}, "value", "> 0"),
        ({"value": "nan", "low": "", "high": ""}, "value", "> 0"),
        ({"value": "inf", "low": "", "high": ""}, "value", "> 0"),
        ({"value": "fast", "low": "", "high": ""}, "value", "not a number"),
        ({"low": "-1"}, "low", "> 0"),
        ({"value": "6.0"}, "value", "above high"),
        ({"value": "4.0"}, "value", "below low"),
        ({"low": "6", "high": "5", "value": ""}, "low", "above high"),
        ({"source": ""}, "source", "numeric value needs a source"),
        ({"location": ""}, "location", "numeric value needs a location"),
        ({"certainty": "not_read"}, "value", "not_read row carries no number"),
        ({"value": "", "low": "", "high": ""}, "value", "must have certainty not_read"),
        ({"hgvs_p": "p.(Arg548Ter)"}, "hgvs_p", "P22557 has Q at 548"),
        ({"hgvs_p": "p.(Gln999Ter)"}, "hgvs_p", "outside P22557"),
        ({"hgvs_p": "p.Q548*"}, "hgvs_p", "is not of the form"),
        ({"hgvs_p": "p.(Xyz548Ter)"}, "hgvs_p", "three-letter code"),
        ({"hgvs_c": "1642C>T"}, "hgvs_c", "must start with 'c.'"),
        ({"hgvs_c": "", "hgvs_p": "", "notes": "promoter"}, "hgvs_c", "names its variant"),
        ({"mechanism": ""}, "mechanism", "empty"),
        ({"mechanism": "PLP affinity"}, "mechanism", "snake_case"),
        ({"assay": ""}, "assay", "empty"),
    ],
)
def test_bad_rows_name_line_and_column(
    tmp_path: Path, change: dict[str, str], column: str, fragment: str
) -> None:
    path = _write(tmp_path, [GOOD, GOOD | change])
    with pytest.raises(GeneError) as err:
        _parse(path)
    msg = str(err.value)
    assert f"mech.csv line 3, column '{column}'" in msg
    assert fragment in msg
    assert "\n" not in msg


def test_deletion_range_end_residue_is_checked(tmp_path: Path) -> None:
    ok = GOOD | {"hgvs_c": "", "hgvs_p": "p.(Ser551_Arg559del)"}
    assert _parse(_write(tmp_path, [ok]))
    bad = GOOD | {"hgvs_c": "", "hgvs_p": "p.(Ser551_Gly559del)"}
    with pytest.raises(GeneError, match="P22557 has R at 559"):
        _parse(_write(tmp_path, [bad]))


def test_regulatory_row_named_in_notes_is_allowed(tmp_path: Path) -> None:
    row = GOOD | {"hgvs_c": "", "hgvs_p": "", "factor": "expression", "notes": "variant: -206C>G"}
    (rec,) = _parse(_write(tmp_path, [row]))
    assert rec.factor == "expression"


def test_wrong_header_and_short_row_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("hgvs_c,hgvs_p,factor\nc.1A>G,,kcat\n", encoding="utf-8")
    with pytest.raises(GeneError, match="h.csv line 1: header"):
        _parse(path)
    short = ",".join(MECHANISM_COLUMNS) + "\nc.1642C>T,p.(Gln548Ter),x\n"
    path.write_text(short, encoding="utf-8")
    with pytest.raises(GeneError, match="h.csv line 2: expected 13 columns"):
        _parse(path)


@settings(max_examples=60, deadline=None)
@given(pos=st.integers(min_value=1, max_value=587), alt=st.sampled_from(sorted(AA3)))
def test_residue_check_property(pos: int, alt: str) -> None:
    """Any position: the true P22557 residue parses, any other residue is refused."""
    protein = load_reference().protein
    true3 = AA3[protein[pos - 1]]
    row = GOOD | {"hgvs_c": "", "hgvs_p": f"p.({true3}{pos}Ter)"}
    text_ok = _csv_text([row])
    assert parse_mechanisms(text_ok)[0].hgvs_p == row["hgvs_p"]
    if alt != protein[pos - 1] and AA3[alt] != "Ter":
        bad = row | {"hgvs_p": f"p.({AA3[alt]}{pos}Ter)"}
        with pytest.raises(GeneError, match=f"P22557 has {protein[pos - 1]} at {pos}"):
            parse_mechanisms(_csv_text([bad]))


def _csv_text(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(MECHANISM_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("given_p", "expected"),
    [
        ("p.Gln548*", "p.(Gln548Ter)"),
        ("p.(Gln548*)", "p.(Gln548Ter)"),
        ("p.(Met567Glufs*2)", "p.(Met567GlufsTer2)"),
        ("  p.(Arg452Cys) ", "p.(Arg452Cys)"),
        ("", ""),
    ],
)
def test_normalise_hgvs_p(given_p: str, expected: str) -> None:
    assert normalise_hgvs_p(given_p) == expected


# ---- the shipped files ---------------------------------------------------------------------


def test_shipped_file_loads_with_known_factors_and_certainties() -> None:
    recs = mechanism_records()
    assert len(recs) >= 50
    assert {r.factor for r in recs} <= set(FACTORS)
    assert {r.certainty for r in recs} <= set(CERTAINTIES)
    # every certainty level that carries numbers from the primary paper is represented
    assert {"table", "text", "secondary", "not_read"} <= {r.certainty for r in recs}


def test_shipped_residues_match_p22557() -> None:
    ref = load_reference()
    for r in mechanism_records():
        for three, pos in re.findall(r"([A-Z][a-z]{2})(\d+)", r.hgvs_p.split("fs")[0]):
            assert ref.residue(int(pos)) == aa1(three), r.hgvs_p


def test_shipped_numbers_have_source_location_and_hold_their_ranges() -> None:
    for r in mechanism_records():
        if r.has_number:
            assert r.source and r.location, r
        if r.value is not None:
            assert r.value > 0
            assert r.low is None or r.low <= r.value, r
            assert r.high is None or r.value <= r.high, r
        if r.certainty == "not_read":
            assert not r.has_number


def test_bailey_2020_table_3_ratios() -> None:
    """Bailey HJ et al. Nat Commun 2020;11:2813, Table 3: WT kcat 3.5 min-1, Km(succinyl-CoA)
    32 uM; Q548X kcat 17.3 min-1 and Km 55 uM; delG (c.1734del) kcat 4.5 min-1."""
    q548 = {r.factor: r for r in records_for(hgvs_p="p.Gln548*") if r.location == "Table 3"}
    assert q548["kcat"].value == pytest.approx(17.3 / 3.5, rel=1e-2)
    assert q548["km_succoa"].value == pytest.approx(55 / 32, rel=1e-2)
    delg = {r.factor: r for r in records_for(hgvs_c="c.1734del") if r.certainty == "table"}
    assert delg["kcat"].value == pytest.approx(4.5 / 3.5, rel=1e-2)
    assert delg["km_succoa"].value == pytest.approx(20 / 32, rel=1e-2)


def test_records_for_matches_c_or_p_and_needs_one() -> None:
    by_c = records_for(hgvs_c="c.1642C>T")
    by_p = records_for(hgvs_p="p.(Gln548Ter)")
    assert by_c and set(by_c) == set(by_p)
    assert records_for(hgvs_p="p.(Ile418Ser)") == ()
    with pytest.raises(GeneError, match="needs hgvs_p"):
        records_for()


def test_rule_ranges_contain_the_current_rule_defaults() -> None:
    from hemesim.variants.effect_rules import PARTIAL_LOSS, RULES

    ranges = rule_default_ranges()
    assert ranges
    for r in ranges:
        assert r.rule in RULES, r.rule
        assert r.low <= r.value <= r.high
        assert r.basis
    by_key = {(r.rule, r.factor): r for r in ranges}
    assert by_key[("missense_core", "kcat")].value == PARTIAL_LOSS["kcat_factor"]
    assert by_key[("missense_core", "kd_plp")].value == PARTIAL_LOSS["kd_plp_factor"]
    # the rule's XLP defaults are the geometric means of Bailey et al. Nat Commun 2020 Table 3
    # (p.Gln548*: kcat 17.3/3.5, Km SucCoA 55/32; p.Met567Glufs*2: 15.4/3.5, 56/32)
    gain = by_key[("truncating_c_terminal_gain", "kcat")].value
    assert gain == pytest.approx((17.3 / 3.5 * 15.4 / 3.5) ** 0.5, rel=0.01)
    assert by_key[("truncating_c_terminal_gain", "km_succoa")].value == pytest.approx(1.73, 0.01)


def test_rule_ranges_parser_refuses_bad_rows(tmp_path: Path) -> None:
    head = ",".join(RULE_RANGE_COLUMNS)
    path = tmp_path / "ranges.csv"
    path.write_text(f"{head}\nmissense_core,kcat,0.45,0.5,1.0,basis\n", encoding="utf-8")
    with pytest.raises(GeneError, match="ranges.csv line 2, column 'value'"):
        parse_rule_ranges(path.read_text(encoding="utf-8"), name=path.name)
    path.write_text(f"{head}\nmissense_core,speed,0.45,0.1,1.0,basis\n", encoding="utf-8")
    with pytest.raises(GeneError, match="column 'factor'"):
        parse_rule_ranges(path.read_text(encoding="utf-8"), name=path.name)
    path.write_text(f"{head}\nmissense_core,kcat,0.45,,1.0,basis\n", encoding="utf-8")
    with pytest.raises(GeneError, match="column 'low': empty"):
        parse_rule_ranges(path.read_text(encoding="utf-8"), name=path.name)
