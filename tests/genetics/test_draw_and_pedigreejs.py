"""SVG drawing (standard nomenclature) and the pedigreejs JSON reader/writer."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hemesim
from hemesim.errors import PedigreeError
from hemesim.genetics.draw import draw_svg, layout, write_svg
from hemesim.genetics.ped import read_ped
from hemesim.genetics.pedigree import Individual as I
from hemesim.genetics.pedigree import Pedigree
from hemesim.genetics.pedigreejs import (
    from_pedigreejs,
    read_pedigreejs,
    to_pedigreejs,
    write_pedigreejs,
)
from hemesim.genetics.risk import risk

EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
SVG = "{http://www.w3.org/2000/svg}"


def _groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        g.get("id", "")[4:]: g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("ind-")
    }


def test_svg_uses_standard_symbols() -> None:
    ped = read_ped(EXAMPLES / "xlsa_family.ped")
    result = risk(ped)
    svg = draw_svg(ped, result)
    groups = _groups(svg)
    assert set(groups) == {ind.id for ind in ped}
    for ind in ped:
        g = groups[ind.id]
        shape = g.find(f"{SVG}rect") if ind.sex == "male" else g.find(f"{SVG}circle")
        assert shape is not None, ind.id  # squares for males, circles for females
        assert shape.get("fill") == ("black" if ind.affected else "white")
        assert (g.find(f"{SVG}line[@class='deceased']") is not None) == ind.deceased
        assert (g.find(f"{SVG}path[@class='proband']") is not None) == ind.proband
        label = g.find(f"{SVG}text[@class='p-carrier']")
        assert label is not None and label.text is not None and label.text.startswith("P(c)=")
    # II-2 is unaffected and an (almost) obligate carrier: a dot; II-4 (negative test) is not
    assert groups["II-2"].find(f"{SVG}circle[@class='carrier']") is not None
    assert groups["II-4"].find(f"{SVG}circle[@class='carrier']") is None


def test_generations_are_aligned_and_couples_joined() -> None:
    ped = read_ped(EXAMPLES / "xlsa_family.ped")
    slots, gen = layout(ped)
    by_id = {ind.id: (slots[i], gen[i]) for i, ind in enumerate(ped)}
    assert by_id["I-1"][1] == by_id["I-2"][1] == 0
    assert by_id["II-3"][1] == by_id["II-2"][1] == 1  # married-in partner on the same row
    assert by_id["III-1"][1] == 2
    assert abs(by_id["II-3"][0] - by_id["II-2"][0]) == 1  # partners side by side
    svg = draw_svg(ped)
    assert svg.count('class="couple"') == 3 and svg.count('class="sibship"') == 3


def test_consanguineous_couple_gets_a_double_line() -> None:
    svg = draw_svg(read_ped(EXAMPLES / "consanguineous.ped"))
    assert svg.count("couple consanguineous") == 1


def test_write_svg_and_bad_path(tmp_path: Path) -> None:
    ped = read_ped(EXAMPLES / "isolated_case.ped")
    out = write_svg(ped, tmp_path / "p.svg", risk(ped), title="isolated case")
    ET.parse(out)
    with pytest.raises(PedigreeError, match="cannot be written"):
        write_svg(ped, tmp_path / "missing" / "dir" / "p.svg")


# ------------------------------------------------------------------------- pedigreejs
def test_reads_the_documented_pedigreejs_example() -> None:
    """The dataset shown in the pedigreejs documentation (CCGE-BOADICEA/pedigreejs, index.html,
    'dataset' option)."""
    data = [
        {"name": "m21", "sex": "M", "top_level": True},
        {"name": "f21", "sex": "F", "top_level": True},
        {"name": "ch1", "sex": "F", "mother": "f21", "father": "m21", "breast_cancer": True,
         "proband": True},
    ]  # fmt: skip
    ped = from_pedigreejs(data)
    assert [i.id for i in ped] == ["m21", "f21", "ch1"]
    assert ped["ch1"].proband and ped["ch1"].mother == "f21" and ped["ch1"].affected is None


def test_gene_test_and_status_fields() -> None:
    data = [
        {"famid": "x", "name": "d", "sex": "M", "status": 1, "alas2_disease": True},
        {"famid": "x", "name": "m", "sex": "F", "alas2_gene_test": {"type": "T", "result": "N"},
         "alas2_test_sensitivity": 0.9},
        {"famid": "x", "name": "k", "sex": "F", "mother": "m", "father": "d",
         "alas2_gene_test": {"type": "S", "result": "P"}},
    ]  # fmt: skip
    ped = from_pedigreejs(data)
    assert ped["d"].deceased and ped["d"].affected is True
    assert ped["m"].carrier_test == "negative" and ped["m"].sensitivity == 0.9
    assert ped["k"].carrier_test == "positive"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"name": "a"}, "list of person objects"),
        ([{"name": "a", "sex": "U"}], "sex 'U'"),
        ([{"sex": "M"}], "'name'"),
        ([{"name": "a", "sex": "F", "alas2_disease": "yes"}], "true or false"),
        ([{"name": "k", "sex": "M", "mother": "m", "father": "f"}], "not in family"),
    ],
)
def test_pedigreejs_errors(data: object, fragment: str) -> None:
    with pytest.raises(PedigreeError, match=fragment):
        from_pedigreejs(data)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("[!i]*.ped")), ids=lambda p: p.name)
def test_pedigreejs_round_trip_of_examples(path: Path, tmp_path: Path) -> None:
    ped = read_ped(path)
    out = tmp_path / "p.json"
    write_pedigreejs(ped, out)
    assert read_pedigreejs(out) == ped
    assert all(
        "top_level" in o for o in json.loads(out.read_text(encoding="utf-8")) if "mother" not in o
    )


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_pedigreejs_round_trip_property(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 8))
    people: list[I] = []
    for k in range(n):
        sex = data.draw(st.sampled_from(["male", "female"]))
        men = [p.id for p in people if p.sex == "male"]
        women = [p.id for p in people if p.sex == "female"]
        parents = (None, None)
        if men and women and data.draw(st.booleans()):
            parents = (data.draw(st.sampled_from(men)), data.draw(st.sampled_from(women)))
        people.append(
            I(
                f"i{k}",
                sex,  # type: ignore[arg-type]
                *parents,
                affected=data.draw(st.sampled_from([None, True, False])),
                carrier_test=data.draw(st.sampled_from([None, "positive", "negative"])),
                deceased=data.draw(st.booleans()),
                proband=data.draw(st.booleans()),
            )
        )
    ped = Pedigree(people)
    assert from_pedigreejs(json.loads(json.dumps(to_pedigreejs(ped)))) == ped


def test_bad_json_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{")
    with pytest.raises(PedigreeError, match="not valid JSON"):
        read_pedigreejs(bad)


# --------------------------------------------------- reading errors and wording (audit #11)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            [
                {"name": "dad", "sex": "M"},
                {"name": "k", "sex": "M", "mother": "m", "father": "dad"},
            ],
            "pedigreejs person 2, name 'k': mother 'm' is not in family '1'; every parent must "
            "be a person in the list (or leave both out)",
        ),
        (
            [{"name": "kid", "sex": "M"}, {"name": "kid", "sex": "F"}],
            "pedigreejs person 2, name 'kid': duplicate id 'kid' in family '1' (first at person 1)",
        ),
        (
            [{"name": "d", "sex": "M"}, {"name": "k", "sex": "F", "father": "d"}],
            "pedigreejs person 2, name 'k': only the father is given; give both parents or "
            "neither (leave both out when unknown)",
        ),
    ],
    ids=["missing-parent", "duplicate", "one-parent"],
)
def test_pedigreejs_errors_name_the_person_not_a_line(data: object, message: str) -> None:
    with pytest.raises(PedigreeError) as info:
        from_pedigreejs(data)
    assert str(info.value) == message


def test_pedigreejs_ids_are_capped_without_echoing_them() -> None:
    long_name = "x" * 101
    with pytest.raises(PedigreeError) as info:
        from_pedigreejs([{"name": long_name, "sex": "M"}])
    assert str(info.value) == (
        "pedigreejs person 1: name is longer than 100 characters; shorten the ids"
    )
    assert len(from_pedigreejs([{"name": "x" * 100, "sex": "M"}])) == 1


def test_unreadable_pedigreejs_files_are_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "dir.json"
    folder.mkdir()
    with pytest.raises(PedigreeError, match=r"'.*dir\.json': is a folder; expected a file$"):
        read_pedigreejs(folder)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'[{"\xa9"}]')
    with pytest.raises(PedigreeError) as info:
        read_pedigreejs(binary)
    assert str(info.value).endswith("not UTF-8 text (byte 0xa9 at offset 3); save it as UTF-8 text")


def test_pedigreejs_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"name": "a", "sex": "F"}]).encode())
    assert [i.id for i in read_pedigreejs(path)] == ["a"]


def test_write_svg_error_names_the_file_not_a_cli_option(tmp_path: Path) -> None:
    ped = read_ped(EXAMPLES / "isolated_case.ped")
    dest = tmp_path / "missing" / "p.svg"
    with pytest.raises(PedigreeError) as info:
        write_svg(ped, dest)
    assert str(info.value) == (
        f"pedigree drawing {str(dest)!r}: cannot be written (No such file or directory)"
    )


# ----------------------------------------------------------------------------- nomenclature marks
_ANNOTATED_PED = """\
#fid\tiid\tpid\tmid\tsex\tphen\tcarrier_test\tsensitivity\tspecificity\tgenotype\tdeceased\tproband\tage
xl\tI-1\t0\t0\t1\t1\t.\t.\t.\t.\t1\t0\t71
xl\tI-2\t0\t0\t2\t0\t.\t.\t.\t.\t0\t0\t68
xl\tII-1\tI-1\tI-2\t1\t2\t.\t.\t.\t.\t1\t0\t19
xl\tII-2\tI-1\tI-2\t2\t1\tpositive\t.\t.\tNA\t0\t0\t44
xl\tII-3\t0\t0\t1\t1\t.\t.\t.\t.\t0\t0\t.
xl\tIII-1\tII-3\tII-2\t1\t2\t.\t.\t.\tA\t0\t1\t12
xl\tIII-2\tII-3\tII-2\t2\t0\tnegative\t0.95\t1.0\t.\t0\t0\t9
"""


def _texts(group: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in group.findall(f"{SVG}text[@class='{cls}']")]


def test_age_test_marks_genotype_and_known_carrier_follow_bennett(tmp_path: Path) -> None:
    """Bennett et al. 2008 (J Genet Couns 17:424): age below the symbol ('d.' before the age
    at death), E+/E- for a positive/negative evaluation, the genotype written below, a dot for
    a carrier who is not affected, an arrow with P for the proband."""
    path = tmp_path / "fam.ped"
    path.write_text(_ANNOTATED_PED, encoding="utf-8")
    groups = _groups(draw_svg(read_ped(path)))  # no risk result: the marks come from the file
    assert _texts(groups["I-1"], "age") == ["d. 71 y"]  # deceased: age at death
    assert _texts(groups["I-2"], "age") == ["68 y"]
    assert _texts(groups["II-3"], "age") == []  # '.' = not given
    assert _texts(groups["II-2"], "test") == ["E+"] and _texts(groups["II-2"], "genotype") == ["NA"]
    assert _texts(groups["III-2"], "test") == ["E\u2212"]
    assert _texts(groups["III-1"], "genotype") == ["A"]
    # a woman with genotype NA (and a positive test) is a known carrier: the dot, without risk()
    assert groups["II-2"].find(f"{SVG}circle[@class='carrier']") is not None
    assert groups["III-2"].find(f"{SVG}circle[@class='carrier']") is None
    assert groups["III-1"].find(f"{SVG}path[@class='proband']") is not None
    assert _texts(groups["III-1"], "proband-label") == ["P"]
    # the text lines keep Bennett's order: id, age, test, genotype
    order = [t.get("class") for t in groups["II-2"].findall(f"{SVG}text")]
    assert order == ["id", "age", "test", "genotype"]


def test_legend_lists_exactly_the_symbols_used(tmp_path: Path) -> None:
    path = tmp_path / "fam.ped"
    path.write_text(_ANNOTATED_PED, encoding="utf-8")
    ped = read_ped(path)
    root = ET.fromstring(draw_svg(ped, risk(ped)))
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    assert len(legend) == 1
    kinds = {
        (g.get("class") or "").split()[1]
        for g in legend[0].iter(f"{SVG}g")
        if (g.get("class") or "").startswith("legend-item")
    }
    assert kinds == {
        "male", "female", "affected", "unaffected", "unknown", "carrier", "deceased", "proband",
        "age", "test", "genotype", "p-carrier",
    }  # fmt: skip
    plain = ET.fromstring(draw_svg(read_ped(EXAMPLES / "isolated_case.ped")))
    plain_kinds = {
        (g.get("class") or "").split()[1]
        for g in plain.iter(f"{SVG}g")
        if (g.get("class") or "").startswith("legend-item")
    }
    assert "age" not in plain_kinds and "test" not in plain_kinds and "p-carrier" not in plain_kinds


def test_pedigreejs_age_is_read_into_the_age_column_and_drawn() -> None:
    people = [
        {"famid": "f", "name": "dad", "sex": "M", "top_level": True, "age": 61},
        {"famid": "f", "name": "mum", "sex": "F", "top_level": True, "status": 1, "age": 58},
        {"famid": "f", "name": "kid", "sex": "M", "father": "dad", "mother": "mum", "age": 7},
    ]
    ped = from_pedigreejs(people)
    assert dict(ped["kid"].extra)["age"] == "7"
    groups = _groups(draw_svg(ped))
    assert _texts(groups["mum"], "age") == ["d. 58 y"]
    back = {o["name"]: o for o in to_pedigreejs(ped)}
    assert back["kid"]["age"] == 7 and from_pedigreejs(list(back.values())) == ped
