"""Curated published data: loader logic on bad fixtures, and invariants of the packaged files.

The invariants hold for any correct transcription (they are identities or vocabulary checks, not
expected values): MCHC = 100 x MCH / MCV where a paper gives all three, genotype strings that
the project's own HGVS engine maps to the stated protein change, and a source and a location on
every row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import PhenotypeError
from hemesim.gene.reference import load_reference
from hemesim.phenotype.published_patients import (
    CERTAINTIES,
    PATIENT_COLUMNS,
    PATIENT_RANGES,
    SOURCED_VALUE_COLUMNS,
    age_onset,
    load_published_patients,
    load_sourced_values,
    published_patients,
    red_cell_bounds,
    xlp_iron,
)
from hemesim.variants.consequence import annotate_variant
from hemesim.variants.parse import parse

GOOD_ROW: dict[str, str] = {
    "patient_id": "X1",
    "family_id": "F1",
    "hgvs_c": "c.1354C>T",
    "hgvs_p": "p.(Arg452Cys)",
    "disease": "XLSA",
    "sex": "male",
    "age_years": "30",
    "hb_g_dl": "9.5",
    "mcv_fl": "65",
    "mch_pg": "",
    "mchc_g_dl": "",
    "rdw_cv_percent": "",
    "ferritin_ug_l": "500",
    "ep_total_ug_dl_rbc": "",
    "metal_free_fraction": "",
    "znpp_umol_mol_heme": "",
    "pyridoxine_response": "yes",
    "hb_on_pyridoxine_g_dl": "",
    "xi_mutant_percent": "",
    "treatment_at_measurement": "",
    "source": "Someone et al., J 2000;1:1",
    "location": "Table 1",
    "certainty": "table",
    "notes": "",
}


def _write(tmp_path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "patients.csv"
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(f'"{row.get(c, "")}"' for c in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_row(tmp_path: Path, **changes: str) -> Path:
    return _write(tmp_path, list(PATIENT_COLUMNS), [GOOD_ROW | changes])


def test_a_good_row_loads_with_units_and_empty_as_none(tmp_path: Path) -> None:
    (p,) = load_published_patients(_write_row(tmp_path))
    assert p.hb_g_dl == 9.5 and p.mcv_fl == 65.0 and p.mch_pg is None
    assert p.sex == "male" and p.pyridoxine_response == "yes"


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("hb_g_dl", "30", "outside 1-25 g/dL"),
        ("hb_g_dl", "0.5", "outside 1-25 g/dL"),
        ("mcv_fl", "20", "outside 40-140 fL"),
        ("mcv_fl", "abc", "not a number"),
        ("metal_free_fraction", "55", "outside 0-1"),
        ("sex", "m", "expected one of female, male"),
        ("disease", "EPP", "expected one of"),
        ("pyridoxine_response", "maybe", "expected one of"),
        ("certainty", "memory", "expected one of"),
        ("source", "", "every row must name it"),
        ("location", "", "every row must name it"),
        ("xi_mutant_percent", "80", "given for a man"),
        ("hgvs_c", "1354C>T", "expected HGVS"),
        ("hgvs_p", "R452C", "expected a change like"),
        ("age_years", "nan", "not a finite number"),
    ],
)
def test_bad_values_name_row_and_column(
    tmp_path: Path, column: str, value: str, needle: str
) -> None:
    with pytest.raises(PhenotypeError) as err:
        load_published_patients(_write_row(tmp_path, **{column: value}))
    message = str(err.value)
    assert "row 2" in message and repr(column) in message and needle in message
    assert "\n" not in message


def test_unknown_and_missing_columns_are_refused(tmp_path: Path) -> None:
    header = list(PATIENT_COLUMNS) + ["hb_g_l"]
    with pytest.raises(PhenotypeError, match=r"column 'hb_g_l': unknown column"):
        load_published_patients(_write(tmp_path, header, [GOOD_ROW]))
    header = [c for c in PATIENT_COLUMNS if c != "source"]
    with pytest.raises(PhenotypeError, match=r"column 'source': missing column"):
        load_published_patients(_write(tmp_path, header, [GOOD_ROW]))


def test_repeated_patient_id_and_missing_genotype_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PhenotypeError, match=r"row 3, column 'patient_id'.*repeated"):
        load_published_patients(_write(tmp_path, list(PATIENT_COLUMNS), [GOOD_ROW, GOOD_ROW]))
    with pytest.raises(PhenotypeError, match=r"column 'hgvs_c'.*give the genotype"):
        load_published_patients(_write_row(tmp_path, hgvs_c="", hgvs_p=""))
    (p,) = load_published_patients(_write_row(tmp_path, hgvs_c="", hgvs_p="", notes="not given"))
    assert p.hgvs_c == ""


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-100.0, max_value=300.0, allow_nan=False))
def test_range_check_accepts_exactly_the_physiological_interval(hb: float) -> None:
    import tempfile

    low, high, _ = PATIENT_RANGES["hb_g_dl"]
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_row(Path(tmp), hb_g_dl=repr(hb))
        if low <= hb <= high:
            (p,) = load_published_patients(path)
            assert p.hb_g_dl == hb
        else:
            with pytest.raises(PhenotypeError, match="hb_g_dl"):
                load_published_patients(path)


def test_sourced_values_loader_checks_statistic_and_n(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    good = "mchc,iron_deficiency,mean,30.1,g/dL,12,Src,Table 2,table,\n"
    path.write_text(",".join(SOURCED_VALUE_COLUMNS) + "\n" + good, encoding="utf-8")
    (v,) = load_sourced_values(path)
    assert v.value == 30.1 and v.n == 12
    path.write_text(",".join(SOURCED_VALUE_COLUMNS) + "\n" + good.replace("mean", "guess"))
    with pytest.raises(PhenotypeError, match=r"row 2, column 'statistic'"):
        load_sourced_values(path)
    path.write_text(",".join(SOURCED_VALUE_COLUMNS) + "\n" + good.replace(",12,", ",1.5,"))
    with pytest.raises(PhenotypeError, match=r"row 2, column 'n'"):
        load_sourced_values(path)


# --- invariants over the packaged files -------------------------------------------------------

_AA3 = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
}  # fmt: skip


def test_packaged_patients_load_and_carry_sources() -> None:
    patients = published_patients()
    assert patients, "published_patients.csv is empty"
    assert len({p.patient_id for p in patients}) == len(patients)
    for p in patients:
        assert p.source.strip() and p.location.strip() and p.certainty in CERTAINTIES
        assert p.sex in {"male", "female"}
        if p.sex == "male":
            assert p.xi_mutant_percent is None


def test_mchc_agrees_with_mch_over_mcv_where_all_three_are_published() -> None:
    """MCHC (g/dL) = 100 x MCH (pg) / MCV (fL): an identity of the three indices."""
    for p in published_patients():
        if p.mch_pg is not None and p.mcv_fl is not None and p.mchc_g_dl is not None:
            # Published indices are rounded to 1 pg / 1 fL at worst: allow 1.5 g/dL.
            assert abs(100.0 * p.mch_pg / p.mcv_fl - p.mchc_g_dl) <= 1.5, p.patient_id


def test_genotypes_map_to_the_stated_protein_change() -> None:
    """The project's HGVS engine places every c. change on the codon its p. change names."""
    ref = load_reference()
    for p in published_patients():
        if not p.hgvs_c or not p.hgvs_p:
            continue
        ann = annotate_variant(parse(p.hgvs_c), ref)
        m = re.match(r"p\.\(([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2})?", p.hgvs_p)
        assert m, p.hgvs_p
        assert ann.protein_start == int(m.group(2)), (p.patient_id, ann.protein_start)
        assert ref.residue(int(m.group(2))) == _AA3[m.group(1)], p.patient_id
        alt = m.group(3)
        if ann.consequence == "missense_variant" and alt is not None and "fs" not in p.hgvs_p:
            assert _AA3[alt] in ann.alt_residues, (p.patient_id, ann.alt_residues)


@pytest.mark.parametrize("loader", [red_cell_bounds, xlp_iron, age_onset])
def test_packaged_sourced_values_load(loader: object) -> None:
    values = loader()  # type: ignore[operator]
    assert values
    for v in values:
        assert v.source.strip() and v.location.strip() and v.unit.strip()


def test_paired_red_cell_means_respect_the_mchc_identity() -> None:
    """Where one source gives MCV, MCH and MCHC for one group, MCHC ~ 100 x MCH / MCV.

    Group means obey the identity only approximately (a mean of ratios is not the ratio of means),
    so 1.5 g/dL is allowed, as for the patients.
    """
    by_group: dict[tuple[str, str, str], dict[str, float]] = {}
    for v in red_cell_bounds():
        if v.quantity in {"mcv", "mch", "mchc"} and v.statistic in {"mean", "value"}:
            key = (v.condition, v.source.split(",")[0], v.statistic)
            by_group.setdefault(key, {})[v.quantity] = v.value
    checked = 0
    for group, q in by_group.items():
        if {"mcv", "mch", "mchc"} <= q.keys():
            assert abs(100.0 * q["mch"] / q["mcv"] - q["mchc"]) <= 1.5, group
            checked += 1
    assert checked >= 2


def test_every_packaged_patient_value_lies_in_its_physiological_range() -> None:
    """Each numeric column of every row, in the column's unit (PATIENT_RANGES), is possible."""
    checked = 0
    for p in published_patients():
        for column, (low, high, unit) in PATIENT_RANGES.items():
            value = getattr(p, column)
            if value is not None:
                assert low <= value <= high, (p.patient_id, column, value, unit)
                checked += 1
    assert checked >= 10


def test_rows_without_genotype_say_why_and_xi_is_for_women_only() -> None:
    for p in published_patients():
        if not p.hgvs_c and not p.hgvs_p:
            assert "not" in p.notes.lower(), p.patient_id  # e.g. "not named in the part read"
        if p.xi_mutant_percent is not None:
            assert p.sex == "female", p.patient_id


#: Plausible range per unit used in xlp_iron.csv. A new unit must be declared here with its range.
_XLP_IRON_UNITS: dict[str, tuple[float, float]] = {
    "dimensionless": (0.0, 100.0),
    "fraction": (0.0, 1.0),
    "g/dL": (0.1, 25.0),
    "ug/L": (1.0, 20000.0),
    "umol/mol heme": (1.0, 10000.0),
    "months": (0.0, 1200.0),
    "years": (0.0, 110.0),
    "nM": (0.0, 1000.0),
    "mg ferrous fumarate/day": (1.0, 2000.0),
}


def test_xlp_iron_rows_have_known_units_plausible_values_and_provenance() -> None:
    rows = xlp_iron()
    for v in rows:
        assert v.unit in _XLP_IRON_UNITS, (v.quantity, v.unit)
        low, high = _XLP_IRON_UNITS[v.unit]
        assert low <= v.value <= high, (v.quantity, v.condition, v.value, v.unit)
        if v.statistic == "fraction":
            assert v.unit == "fraction"
        assert v.source.strip() and v.location.strip() and v.certainty in CERTAINTIES
        assert v.n is None or v.n >= 1
    # XLP-specific rows exist (not only EPP and iron-deficiency comparators).
    assert any(v.condition.startswith("XLP") for v in rows)
