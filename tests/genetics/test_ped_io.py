"""PED reader/writer/validator: documented errors on the invalid fixtures, round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hemesim
from hemesim.errors import PedigreeError
from hemesim.genetics.ped import parse_ped, read_ped, validate_ped, write_ped
from hemesim.genetics.pedigree import FEMALE_GENOTYPES, MALE_GENOTYPES, Individual, Pedigree

EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
VALID = sorted(p for p in EXAMPLES.glob("*.ped") if not p.name.startswith("invalid_"))

# fixture -> fragment of the documented one-line error (rule named in the message)
INVALID = {
    "invalid_own_ancestor.ped": "own ancestor",
    "invalid_father_female.ped": "a father must be male",
    "invalid_mother_male.ped": "a mother must be female",
    "invalid_missing_parent.ped": "is not in family",
    "invalid_duplicate_id.ped": "duplicate id",
    "invalid_one_parent.ped": "give both parents or neither",
    "invalid_columns.ped": "no '#' header names the columns",
}


def test_public_names_are_reexported() -> None:
    assert hemesim.read_ped is read_ped
    assert hemesim.write_ped is write_ped
    assert hemesim.validate_ped is validate_ped


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_examples_validate_and_round_trip(path: Path) -> None:
    assert validate_ped(path) == []
    ped = read_ped(path)
    assert parse_ped(write_ped(ped)) == ped


@pytest.mark.parametrize(("name", "fragment"), sorted(INVALID.items()))
def test_invalid_examples_give_documented_errors(name: str, fragment: str) -> None:
    path = EXAMPLES / name
    problems = validate_ped(path)
    assert problems and fragment in problems[0]
    with pytest.raises(PedigreeError, match="line [0-9]+") as info:
        read_ped(path)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_invalid_fixture_list_covers_every_invalid_file() -> None:
    on_disk = {p.name for p in EXAMPLES.glob("invalid_*.ped")} - {"invalid_impossible.ped"}
    assert on_disk == set(INVALID)


def test_tabs_spaces_missing_values_and_header() -> None:
    text = (
        "# a comment\n"
        "#fid\tiid pid mid sex phen carrier_test sensitivity genotype proband deceased x_note\n"
        "f\tdad 0 0 1 1 . . . 0 1 x\n"
        "f mum\t0\t0\t2\t-9\tnegative\t0.9\t.\tno\t0\t.\n"
        "f kid dad mum 1 2 . . A yes 0 hello\n"
    )
    ped = parse_ped(text)
    dad, mum, kid = ped.individuals
    assert dad.deceased and dad.affected is False and dad.is_founder
    assert mum.affected is None and mum.carrier_test == "negative" and mum.sensitivity == 0.9
    assert kid.genotype == "A" and kid.proband and kid.affected is True
    assert dict(kid.extra) == {"x_note": "hello"} and dict(mum.extra) == {"x_note": "."}
    assert parse_ped(write_ped(ped)) == ped


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("f a 0 0 0 1\n", "sex '0' must be 1, M or male (a man) or 2, F or female"),
        ("f a 0 0 1 7\n", "phenotype '7'"),
        ("f a 0 0\n", "4 fields, expected 6"),
        ("#fid iid pid mid sex phen genotype\nf a 0 0 1 1 NA\n", "not valid for a male"),
        ("#fid iid pid mid sex phen sensitivity\nf a 0 0 2 1 1.5\n", "sensitivity 1.5"),
        ("#fid iid pid mid sex phen carrier_test\nf a 0 0 2 1 maybe\n", "carrier_test 'maybe'"),
        ("", "no individuals"),
        ("f a a b 1 1\nf b 0 0 2 1\n", "own ancestor"),
    ],
)
def test_bad_fields_are_one_line_errors(text: str, fragment: str) -> None:
    with pytest.raises(PedigreeError) as info:
        parse_ped(text)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_validate_collects_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.ped"
    path.write_text("f a 0 0 1 1\nf a 0 0 1 1\nf k a ghost 1 2\nf z 0 0 3 1\n")
    problems = validate_ped(path)
    assert len(problems) >= 3
    assert any("duplicate id" in p for p in problems)
    assert any("ghost" in p for p in problems)
    assert any("sex '3'" in p for p in problems)


def test_missing_file_is_a_pedigree_error(tmp_path: Path) -> None:
    with pytest.raises(PedigreeError, match="not found"):
        read_ped(tmp_path / "nope.ped")
    assert validate_ped(tmp_path / "nope.ped") == [
        f"pedigree file {str(tmp_path / 'nope.ped')!r}: not found"
    ]


def test_ids_with_spaces_are_refused_before_writing() -> None:
    """A PED line is split on whitespace, so an id with a space cannot be written: Pedigree
    refuses it up front (it used to accept it and leave write_ped to fail)."""
    with pytest.raises(PedigreeError) as info:
        Pedigree([Individual("a b", "male")])
    assert str(info.value).startswith("individual 'a b': id 'a b' contains a space")
    with pytest.raises(PedigreeError, match=r"^individual 'a b': id 'a b' contains a space"):
        write_ped([Individual("a b", "male")])


# ---------------------------------------------------------------- property: round trip
ids = st.text(alphabet="abcdefghijkXYZ0123456789-_", min_size=1, max_size=6).filter(
    lambda s: s not in ("0",) and not s.startswith("#")
)


@st.composite
def pedigrees(draw: st.DrawFn) -> Pedigree:
    names = draw(st.lists(ids, min_size=1, max_size=10, unique=True))
    family = draw(st.sampled_from(["1", "fam", "F-2"]))
    extra_cols = draw(
        st.lists(st.sampled_from(["x_note", "x_age", "x_hpo"]), unique=True, max_size=2)
    )
    people: list[Individual] = []
    for name in names:
        sex = draw(st.sampled_from(["male", "female"]))
        men = [p.id for p in people if p.sex == "male"]
        women = [p.id for p in people if p.sex == "female"]
        father = mother = None
        if men and women and draw(st.booleans()):
            father, mother = draw(st.sampled_from(men)), draw(st.sampled_from(women))
        genotypes = MALE_GENOTYPES if sex == "male" else FEMALE_GENOTYPES
        people.append(
            Individual(
                id=name,
                sex=sex,  # type: ignore[arg-type]
                father=father,
                mother=mother,
                family=family,
                affected=draw(st.sampled_from([None, True, False])),
                carrier_test=draw(st.sampled_from([None, "positive", "negative"])),
                sensitivity=draw(st.one_of(st.none(), st.floats(0.01, 1.0))),
                specificity=draw(st.one_of(st.none(), st.floats(0.01, 1.0))),
                genotype=draw(st.one_of(st.none(), st.sampled_from(genotypes))),
                deceased=draw(st.booleans()),
                proband=draw(st.booleans()),
                extra=tuple((c, draw(st.sampled_from([".", "x1", "42"]))) for c in extra_cols),
            )
        )
    return Pedigree(people)


@settings(max_examples=150, deadline=None)
@given(ped=pedigrees())
def test_write_then_read_is_identity(ped: Pedigree) -> None:
    text = write_ped(ped)
    again = parse_ped(text)
    assert again == ped
    assert write_ped(again) == text  # and the text is a fixed point


@settings(max_examples=50, deadline=None)
@given(ped=pedigrees(), sep=st.sampled_from([" ", "  ", "\t", " \t "]))
def test_any_whitespace_separator_reads_the_same(ped: Pedigree, sep: str) -> None:
    assert parse_ped(write_ped(ped).replace("\t", sep)) == ped


# ---------------------------------------- unreadable files, BOM, long fields (audits #11, D12)
def test_read_errors_are_one_line_for_any_os_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    path = tmp_path / "family.ped"
    path.write_text("f a 0 0 1 1\n", encoding="utf-8")

    def broken(*_args: object) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    import hemesim.genetics.ped as ped_module

    monkeypatch.setattr(ped_module, "read_input_bytes", broken)
    with pytest.raises(PedigreeError) as info:
        read_ped(path)
    assert str(info.value) == f"pedigree file {str(path)!r}: cannot be read (Input/output error)"


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc/self/mem")
def test_proc_self_mem_is_a_clean_error() -> None:
    with pytest.raises(PedigreeError, match=r"^pedigree file '/proc/self/mem': cannot be read"):
        read_ped("/proc/self/mem")


def test_non_utf8_file_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ped"
    path.write_bytes("f Ren\u00e9 0 0 1 1\n".encode("latin-1"))
    with pytest.raises(PedigreeError) as info:
        read_ped(path)
    assert str(info.value) == (
        f"pedigree file {str(path)!r}: not UTF-8 text (byte 0xe9 at offset 5); "
        "save it as UTF-8 text"
    )


def test_a_leading_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    text = "f dad 0 0 1 1\nf mom 0 0 2 1\nf kid dad mom 1 2\n"
    path = tmp_path / "bom.ped"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert [i.id for i in read_ped(path)] == ["dad", "mom", "kid"]
    assert parse_ped("\ufeff" + text) == parse_ped(text)


@pytest.mark.parametrize("column", [0, 1, 2, 4])
def test_fields_longer_than_the_cap_are_refused_without_echo(column: int) -> None:
    from hemesim.genetics.ped import MAX_FIELD_LENGTH

    fields = ["f", "kid", "0", "0", "1", "1"]
    fields[column] = "x" * (MAX_FIELD_LENGTH + 1)
    with pytest.raises(PedigreeError) as info:
        parse_ped(" ".join(fields) + "\n")
    name = ("fid", "iid", "pid", "mid", "sex")[column]
    assert str(info.value) == (
        f"line 1: field {name} is longer than 100 characters; shorten the ids "
        "(a PED field is a short name)"
    )


def test_the_cap_is_100_characters_inclusive() -> None:
    from hemesim.genetics.ped import MAX_FIELD_LENGTH

    kid = "k" * MAX_FIELD_LENGTH
    assert MAX_FIELD_LENGTH == 100 and parse_ped(f"f {kid} 0 0 1 1\n")[kid].id == kid


def test_sex_message_lists_every_accepted_code() -> None:
    with pytest.raises(PedigreeError) as info:
        parse_ped("f a 0 0 x 1\n")
    listed = re.findall(r"\b(1|2|M|F|male|female)\b", str(info.value).partition("must be")[2])
    assert sorted(listed) == ["1", "2", "F", "M", "female", "male"]
    for code in listed + ["m", "FEMALE"]:  # each listed code is accepted, in any case
        sex = parse_ped(f"f a 0 0 {code} 1\n")["a"].sex
        assert sex == ("male" if code.lower() in ("1", "m", "male") else "female")


def test_read_ped_reads_pedigreejs_json(tmp_path: Path) -> None:
    from hemesim.genetics.pedigreejs import write_pedigreejs

    ped = read_ped(EXAMPLES / "xlsa_family.ped")
    path = tmp_path / "family.JSON"
    write_pedigreejs(ped, path)
    assert read_ped(path) == ped
