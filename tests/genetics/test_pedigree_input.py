"""Malformed input to Individual, Pedigree and the PED reader/writer (audit A7, A8, B6, C4).

Every refusal is a one-line PedigreeError naming the field and the form expected; whatever
Pedigree accepts can be written with write_ped and read back identically.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hemesim.errors import PedigreeError
from hemesim.genetics.ped import MAX_FIELD_LENGTH, parse_ped, read_ped, validate_ped, write_ped
from hemesim.genetics.pedigree import Individual as I
from hemesim.genetics.pedigree import Pedigree
from hemesim.genetics.risk import risk

ID_FORM = (
    "expected a non-empty text of at most 100 characters without spaces, other than '0' and "
    "'.' (the PED codes for an unknown parent)"
)


def _refused(people: Any) -> str:
    with pytest.raises(PedigreeError) as info:
        Pedigree(people)
    message = str(info.value)
    assert "\n" not in message
    return message


# ------------------------------------------------------------------ A7: affected is a bool
@pytest.mark.parametrize("value", [1, 0, 2, 1.0, "no", "yes", "2", [True]])
def test_affected_must_be_true_false_or_none(value: Any) -> None:
    message = _refused([I("a", "male", affected=value)])
    assert message == (
        f"individual 'a': affected {value!r} must be True (affected), False (unaffected) or "
        "None (unknown); PED phenotype codes (2 affected, 1 unaffected, 0 unknown) are "
        "converted by read_ped"
    )


def test_ped_code_1_is_not_read_as_affected_by_risk() -> None:
    """The audit's wrong answer: affected=1 (PED 'unaffected') gave p_affected 1.0."""
    with pytest.raises(PedigreeError, match="affected 1 must be True"):
        risk(Pedigree([I("a", "male", affected=1)]))
    assert parse_ped("f a 0 0 1 1\n")["a"].affected is False  # the PED code, read by read_ped


def test_numpy_booleans_are_stored_as_bool() -> None:
    ped = Pedigree([I("a", "male", affected=np.True_, proband=np.False_)])
    assert ped["a"].affected is True and ped["a"].proband is False
    assert risk(ped)["a"].p_affected == 1.0


# --------------------------------------------------------- A8 / C4: ids follow the PED rules
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0", "is reserved for 'unknown parent' in PED"),
        (".", "is reserved for 'unknown parent' in PED"),
        ("a b", "contains a space, tab or line break (PED separates fields with them)"),
        ("a\tb", "contains a space, tab or line break (PED separates fields with them)"),
        ("a\u2028b", "contains a space, tab or line break (PED separates fields with them)"),
        ("", "is empty"),
        (None, "is missing or not text"),
        (5, "is not text"),
        ("a\ud800", "is not valid Unicode (a lone surrogate cannot be saved as UTF-8)"),
    ],
)
def test_bad_individual_ids_are_refused_naming_the_rule(value: Any, reason: str) -> None:
    message = _refused([I(value, "male")])
    assert f": id {value!r} {reason}; {ID_FORM}" in message


def test_missing_id_is_not_reported_as_own_parent() -> None:
    """C4: id None equals father None; the message used to say 'their own parent'."""
    message = _refused([I(None, "male")])  # type: ignore[arg-type]
    assert message == f"individual None: id None is missing or not text; {ID_FORM}"
    assert "their own parent" not in message


def test_over_long_id_is_refused_without_echoing_it() -> None:
    long_id = "a" * (MAX_FIELD_LENGTH + 50)
    message = _refused([I(long_id, "male")])
    assert "is longer than 100 characters" in message
    assert long_id not in message and "(150 characters)" in message
    assert parse_ped(write_ped([I("a" * MAX_FIELD_LENGTH, "male")]))["a" * 100]


@pytest.mark.parametrize(
    ("father", "reason"),
    [
        ("x y", "contains a space"),
        ("0", "is reserved for 'unknown parent' in PED"),
        (".", "is reserved for 'unknown parent' in PED"),
        (7, "is not text"),
        ("", "is empty"),
    ],
)
def test_bad_parent_ids_are_refused(father: Any, reason: str) -> None:
    people = [I("kid", "male", father=father, mother="mum"), I("mum", "female")]
    message = _refused(people)
    assert message.startswith(f"individual 'kid': father {father!r} {reason}")
    assert "or None for an unknown parent" in message


@pytest.mark.parametrize(
    ("family", "reason"),
    [
        ("#f", "starts with '#' or a byte-order mark"),
        ("\ufefff", "starts with '#' or a byte-order mark"),
        ("f g", "contains a space"),
        (None, "is missing or not text"),
        ("f" * 101, "is longer than 100 characters"),
    ],
)
def test_bad_family_ids_are_refused(family: Any, reason: str) -> None:
    message = _refused([I("a", "male", family=family)])
    assert f"family {family!r}"[:20] in message and reason in message


def test_ids_the_reader_accepts_are_accepted_and_round_trip() -> None:
    """'#' only starts a comment at the start of a line: an individual id may start with it."""
    ped = Pedigree(
        [I("#1", "male", family="0"), I("m\u00e9re", "female", family="0"),
         I("x.y", "male", "#1", "m\u00e9re", family="0")]
    )  # fmt: skip
    assert parse_ped(write_ped(ped)) == ped


def test_write_ped_of_an_int_id_is_refused_when_the_pedigree_is_built() -> None:
    """It used to build (and run risk) and then fail in write_ped with a TypeError."""
    message = _refused([I(5, "male")])  # type: ignore[arg-type]
    assert message.startswith("individual 5: id 5 is not text")


# ------------------------------------------------------------- other fields (B6) and extras
@pytest.mark.parametrize("value", ["0.9", True, float("nan"), 0.0, 1.5, [0.9]])
def test_sensitivity_must_be_a_number_in_0_1(value: Any) -> None:
    message = _refused([I("a", "female", carrier_test="positive", sensitivity=value)])
    assert message == f"individual 'a': sensitivity {value!r} must be a probability in (0, 1]"


def test_integer_sensitivity_is_stored_as_float_and_round_trips() -> None:
    ped = Pedigree([I("a", "female", carrier_test="negative", sensitivity=1, specificity=0.5)])
    assert type(ped["a"].sensitivity) is float
    assert parse_ped(write_ped(ped)) == ped


@pytest.mark.parametrize("field", ["deceased", "proband"])
@pytest.mark.parametrize("value", ["yes", 1, None])
def test_drawing_flags_must_be_bool(field: str, value: Any) -> None:
    message = _refused([I("a", "male", **{field: value})])
    assert message == f"individual 'a': {field} {value!r} must be True or False"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ((("Note", "x"),), "extra column name 'Note' is not lower case"),
        ((("my note", "x"),), "extra column name 'my note' contains a space"),
        ((("genotype", "NA"),), "extra column name 'genotype' is a field"),
        ((("fid", "x"),), "extra column name 'fid' is a standard PED column"),
        ((("x_note", "x"), ("x_note", "y")), "extra column 'x_note' is given twice"),
        (
            (("x_note", "hello world"),),
            "extra column 'x_note' value 'hello world' contains a space",
        ),
        ((("x_note", ""),), "extra column 'x_note' value '' is empty"),
        ((("x_note", 5),), "extra column 'x_note' value 5 is not text"),
        (("x_note",), "extra ('x_note',) must be (name, text) pairs"),
        ("x_note=x", "extra 'x_note=x' must be (name, text) pairs"),
    ],
)
def test_extra_columns_must_be_writable(extra: Any, fragment: str) -> None:
    message = _refused([I("a", "male", extra=extra)])
    assert fragment in message


def test_extra_columns_become_a_table_so_they_round_trip() -> None:
    """Columns a member lacks are '.', in first-seen order (what write_ped writes anyway)."""
    ped = Pedigree(
        [I("a", "male", extra={"x_note": "x", "x_age": "40"}), I("b", "female"),
         I("c", "female", extra=(("x_age", "7"), ("x_note", "#y")))]
    )  # fmt: skip
    assert [dict(i.extra) for i in ped] == [
        {"x_note": "x", "x_age": "40"},
        {"x_note": ".", "x_age": "."},
        {"x_note": "#y", "x_age": "7"},
    ]
    assert [name for name, _ in ped["c"].extra] == ["x_note", "x_age"]
    assert parse_ped(write_ped(ped)) == ped


# --------------------------------------------------------------- containers (B6)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "pedigree None: expected a list of Individual; read a file with "
               "hemesim.genetics.ped.read_ped"),
        (5, "pedigree 5: expected a list of Individual; read a file with "
            "hemesim.genetics.ped.read_ped"),
        ("ab", "pedigree 'ab': expected a list of Individual; read a file with "
               "hemesim.genetics.ped.read_ped"),
        ({"id": "a"}, "pedigree {'id': 'a'}: expected a list of Individual; read a file with "
                      "hemesim.genetics.ped.read_ped"),
    ],
)  # fmt: skip
def test_pedigree_of_something_else_is_refused(value: Any, message: str) -> None:
    assert _refused(value) == message


def test_a_single_individual_gets_a_hint() -> None:
    assert _refused(I("a", "male")).endswith("wrap a single one as Pedigree([individual])")


@pytest.mark.parametrize("member", ["a", {"id": "a", "sex": "male"}, None])
def test_members_must_be_individuals(member: Any) -> None:
    message = _refused([I("x", "male"), member])
    assert message.startswith(f"pedigree member 2: {member!r} ({type(member).__name__}) is not")


def test_unhashable_field_values_do_not_crash() -> None:
    message = _refused([I(["a"], ["male"], father=["f"], mother={"m": 1})])  # type: ignore[arg-type]
    assert message.startswith("individual ['a']: id ['a'] is not text")
    assert "(and " in message  # every field reported, nothing raised


# ---------------------------------------------------------------- write_ped (A8, B6)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "write_ped: pedigree None: expected a Pedigree or a list of Individual"),
        ("f a 0 0 1 1", "write_ped: pedigree 'f a 0 0 1 1': expected a Pedigree or a list of "
                        "Individual"),
        ([], "write_ped: no individuals to write; a PED file needs at least one individual "
             "(read_ped refuses an empty file)"),
        (["a"], "pedigree member 1: 'a' (str) is not an Individual; build members with "
                "hemesim.genetics.pedigree.Individual"),
    ],
)  # fmt: skip
def test_write_ped_refuses_what_it_cannot_write(value: Any, message: str) -> None:
    with pytest.raises(PedigreeError) as info:
        write_ped(value)
    assert str(info.value) == message


def test_write_ped_validates_a_plain_list_like_pedigree() -> None:
    """A parent id with a space used to be written, making a 7-field line."""
    with pytest.raises(PedigreeError, match=r"^individual 'a': father 'x y' contains a space"):
        write_ped([I("a", "male", father="x y", mother="z")])
    with pytest.raises(PedigreeError, match="is not in family"):
        write_ped([I("a", "male", father="x", mother="z")])
    people = [I("f", "male"), I("m", "female"), I("k", "female", "f", "m", affected=True)]
    assert write_ped(people) == write_ped(Pedigree(people))
    assert write_ped(iter(people)) == write_ped(Pedigree(people))


def test_write_ped_dest_errors_are_one_line(tmp_path: Path) -> None:
    ped = Pedigree([I("a", "male")])
    with pytest.raises(PedigreeError, match="^pedigree file 5: expected a path"):
        write_ped(ped, 5)  # type: ignore[arg-type]
    with pytest.raises(PedigreeError, match="cannot be written"):
        write_ped(ped, str(tmp_path / "a\0b.ped"))


# ---------------------------------------------------------- readers given non-text (B6)
@pytest.mark.parametrize("source", [None, 5, ["a.ped"], 1.5])
def test_read_ped_and_validate_ped_need_a_path(source: Any) -> None:
    expected = (
        f"pedigree file {source!r}: expected a path (str or os.PathLike) of a .ped or "
        "pedigreejs .json file"
    )
    for call in (read_ped, validate_ped):
        with pytest.raises(PedigreeError) as info:
            call(source)
        assert str(info.value) == expected


def test_bytes_path_and_empty_path_are_explained(tmp_path: Path) -> None:
    with pytest.raises(PedigreeError, match="pass the text to parse_ped, or decode a bytes path"):
        read_ped(b"/tmp/x.ped")
    with pytest.raises(PedigreeError, match="^pedigree file '': the path is empty"):
        read_ped("")
    with pytest.raises(PedigreeError, match="not a valid path"):
        read_ped(str(tmp_path / "nul\0.ped"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "PED text None: expected the contents of a PED file as one str (lines "
               "'FID IID PID MID SEX PHEN'); read a file with read_ped"),
        (["f a 0 0 1 1"], "PED text ['f a 0 0 1 1']: expected the contents of a PED file as one "
                          "str (lines 'FID IID PID MID SEX PHEN'); read a file with read_ped"),
        (b"f a 0 0 1 1", "PED text is bytes; decode it first (text.decode('utf-8')) or read the "
                         "file with read_ped"),
    ],
)  # fmt: skip
def test_parse_ped_needs_text(text: Any, message: str) -> None:
    with pytest.raises(PedigreeError) as info:
        parse_ped(text)
    assert str(info.value) == message


def test_validate_ped_checks_json_as_read_ped_reads_it(tmp_path: Path) -> None:
    from hemesim.genetics.pedigreejs import write_pedigreejs

    good = tmp_path / "family.json"
    write_pedigreejs(Pedigree([I("f", "male"), I("m", "female"), I("k", "male", "f", "m")]), good)
    assert validate_ped(good) == []
    bad = tmp_path / "bad.JSON"
    bad.write_text(json.dumps([{"name": "a", "sex": "X"}]), encoding="utf-8")
    assert validate_ped(bad) == ["pedigreejs person 1, name 'a': sex 'X' must be 'M' or 'F'"]


def test_pedigreejs_flags_are_not_truthy_text(tmp_path: Path) -> None:
    from hemesim.genetics.pedigreejs import from_pedigreejs

    with pytest.raises(PedigreeError, match=r"proband 'no' must be true or false"):
        from_pedigreejs([{"name": "a", "sex": "M", "proband": "no"}])
    with pytest.raises(PedigreeError, match=r"alas2_test_sensitivity True is not a number"):
        from_pedigreejs([{"name": "a", "sex": "F", "alas2_test_sensitivity": True}])
    with pytest.raises(PedigreeError, match=r"hemesim_extra 'x' must be an object"):
        from_pedigreejs([{"name": "a", "sex": "F", "hemesim_extra": "x"}])
    with pytest.raises(PedigreeError, match=r"^pedigreejs person 1, name 'a b': id 'a b'"):
        from_pedigreejs([{"name": "a b", "sex": "F"}])
    with pytest.raises(PedigreeError, match=r"^pedigreejs person 1: name None must be a text"):
        from_pedigreejs([{"name": None, "sex": "F"}])
    with pytest.raises(PedigreeError, match=r"^pedigreejs person 2: father True must be a text"):
        from_pedigreejs([{"name": "m", "sex": "F"}, {"name": "a", "sex": "F", "father": True}])
    assert from_pedigreejs([{"name": 7, "sex": "M", "famid": 2}])[("2", "7")].sex == "male"


# ------------------------------------- property: what Pedigree accepts, PED reads back equal
#: ids as any text without whitespace, control characters or lone surrogates
PLAIN_IDS = st.text(
    st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=8
)
#: values a caller might pass for some field, most of them not valid there
ODD = [
    "0", ".", "#x", "\ufeffx", "a b", "a\tb", "", "x" * 101, "x" * 100, "Note", None, 1, 0, 2,
    True, 1.5, float("nan"), "yes", "1", "M", "na", ("x",),
]  # fmt: skip
FIELDS = [
    "id", "sex", "father", "mother", "family", "affected", "carrier_test", "sensitivity",
    "specificity", "genotype", "deceased", "proband", "extra",
]  # fmt: skip


@st.composite
def any_people(draw: st.DrawFn) -> list[I]:
    """A valid pedigree with wide-ranging ids and extras; in about half of the examples one
    field of one member is replaced by an odd value (valid or not)."""
    ids = draw(st.lists(PLAIN_IDS.filter(lambda s: s not in ("0", ".")), min_size=1, max_size=6,
                        unique=True))  # fmt: skip
    family = draw(PLAIN_IDS.filter(lambda s: not s.startswith(("#", "\ufeff"))))
    columns = draw(
        st.lists(st.sampled_from(["x_note", "x_age", "x_x.y", "x_é"]), unique=True, max_size=3)
    )
    people: list[I] = []
    for iid in ids:
        sex = draw(st.sampled_from(["male", "female"]))
        men = [p.id for p in people if p.sex == "male"]
        women = [p.id for p in people if p.sex == "female"]
        father = mother = None
        if men and women and draw(st.booleans()):
            father, mother = draw(st.sampled_from(men)), draw(st.sampled_from(women))
        genotypes = ("N", "A") if sex == "male" else ("NN", "NA", "AA")
        mine = draw(st.lists(st.sampled_from(columns), unique=True)) if columns else []
        people.append(
            I(
                id=iid,
                sex=sex,  # type: ignore[arg-type]
                father=father,
                mother=mother,
                family=family,
                affected=draw(st.sampled_from([None, True, False])),
                carrier_test=draw(st.sampled_from([None, "positive", "negative"])),
                sensitivity=draw(st.one_of(st.none(), st.floats(1e-9, 1.0), st.just(1))),
                specificity=draw(st.one_of(st.none(), st.floats(0.01, 1.0))),
                genotype=draw(st.one_of(st.none(), st.sampled_from(genotypes))),
                deceased=draw(st.booleans()),
                proband=draw(st.booleans()),
                extra=tuple((c, draw(st.one_of(PLAIN_IDS, st.just(".")))) for c in mine),
            )
        )
    if draw(st.booleans()):
        k = draw(st.integers(0, len(people) - 1))
        name, value = draw(st.sampled_from(FIELDS)), draw(st.sampled_from(ODD))
        if name == "extra":
            value = ((draw(st.sampled_from(["x_note", "note", "Note", "sex", "a b"])), value),)
        people[k] = replace(people[k], **{name: value})
    return people


@settings(max_examples=100, deadline=None)
@given(people=any_people())
@example(people=[I("0", "male")])
@example(people=[I(".", "female")])
@example(people=[I("a" * 150, "male")])
@example(people=[I("a", "male", extra=(("x_note", "x"),)), I("b", "male")])
@example(people=[I("a", "male", extra=(("Note", "x"),))])
@example(people=[I("a", "male", family="\ufeffx")])
def test_anything_pedigree_accepts_round_trips_through_ped(people: list[I]) -> None:
    try:
        ped = Pedigree(people)
    except PedigreeError as exc:
        assert "\n" not in str(exc)
        return
    text = write_ped(ped)
    assert parse_ped(text) == ped
    assert write_ped(parse_ped(text)) == text


def test_a_written_file_reads_back_with_any_unicode_id(tmp_path: Path) -> None:
    ped = Pedigree(
        [I("\u7236", "male", family="\u5bb6"), I("m\u00e8re", "female", family="\u5bb6"),
         I("\U0001f476", "female", "\u7236", "m\u00e8re", family="\u5bb6", extra={"x_n": "\u00e9"})]
    )  # fmt: skip
    path = write_ped(ped, tmp_path / "p.ped") and tmp_path / "p.ped"
    assert read_ped(path) == ped
