"""The export API checks its arguments before any work (audit A9, A10, B8).

The suffix of the output sets (or must match) the format, a file of another type is never
written over, the SED-ML time course is one the model can run, and a wrong argument gives a
HemesimError naming it, not a pathlib, libSEDML or attribute error.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import ModelError, ReportError
from hemesim.model.definition import ModelDefinition, load_definition
from hemesim.model.export import (
    MAX_POINTS,
    SBML_LOCATION,
    export,
    sbml_text,
    sedml_text,
    write_omex,
)

MATURATION_H = load_definition().defaults["maturation_duration"]


def _time_course(text: str) -> tuple[float, int]:
    import libsedml

    doc = libsedml.readSedMLFromString(text)
    assert doc.getNumErrors(libsedml.LIBSEDML_SEV_ERROR) == 0
    sim = doc.getSimulation(0)
    return sim.getOutputEndTime(), sim.getNumberOfPoints()


# ----------------------------------------------------------------------------- export: A9


@pytest.mark.parametrize("name", ["m.xml", "m.sbml", "m.XML", "m.Sbml"])
def test_export_infers_sbml_from_the_suffix(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    info = export(out)
    assert info == {"path": str(out), "format": "sbml", "bytes": out.stat().st_size}
    assert out.read_text(encoding="utf-8") == sbml_text()


@pytest.mark.parametrize("name", ["m.omex", "m.OMEX"])
def test_export_infers_omex_from_the_suffix(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    info = export(str(out))
    assert info["format"] == "omex"
    assert zipfile.is_zipfile(out)
    with zipfile.ZipFile(out) as z:
        assert z.read(SBML_LOCATION).decode() == sbml_text()


@pytest.mark.parametrize(("name", "fmt"), [("m.xml", "SBML"), ("m.omex", "Omex")])
def test_explicit_format_is_case_insensitive(tmp_path: Path, name: str, fmt: str) -> None:
    assert export(tmp_path / name, fmt)["format"] == fmt.lower()


@pytest.mark.parametrize(
    ("name", "fmt", "needs"),
    [("m.xml", "omex", ".omex"), ("m.sbml", "omex", ".omex"), ("m.omex", "sbml", ".xml or .sbml")],
)
def test_format_that_does_not_match_the_suffix_is_refused(
    tmp_path: Path, name: str, fmt: str, needs: str
) -> None:
    out = tmp_path / name
    with pytest.raises(ReportError) as info:
        export(out, fmt)
    msg = str(info.value)
    assert f"does not match the format {fmt!r}" in msg
    assert f"{fmt} needs a file name ending in {needs}" in msg
    assert not out.exists()


@pytest.mark.parametrize("name", ["precious.ped", "notes.txt", "model", "m.xml.bak", "m.zip"])
def test_unknown_suffix_is_refused_and_the_file_is_untouched(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    out.write_text("f a 0 0 1 1\n", encoding="utf-8")
    for fmt in (None, "sbml", "omex"):
        with pytest.raises(ReportError, match=r"is not an export format; expected a file name"):
            export(out, fmt)
    assert out.read_text(encoding="utf-8") == "f a 0 0 1 1\n"


def test_existing_file_of_the_right_type_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "m.xml"
    out.write_text("old", encoding="utf-8")
    export(out)
    assert out.read_text(encoding="utf-8") == sbml_text()


@pytest.mark.parametrize("bad", [None, 5, 1.5, b"/tmp/m.xml", ["m.xml"], ""])
def test_export_path_must_be_a_file_name(bad: object) -> None:
    with pytest.raises(ReportError, match=r"^output path .*: expected a file name"):
        export(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["cellml", "", 5, True, ["sbml"]])
def test_export_format_must_be_sbml_or_omex(tmp_path: Path, bad: object) -> None:
    with pytest.raises(ModelError, match=r"^export format .*: expected sbml or omex"):
        export(tmp_path / "m.xml", bad)  # type: ignore[arg-type]
    assert not (tmp_path / "m.xml").exists()


@pytest.mark.parametrize("name", ["m\x00.xml", "a" * 300 + ".xml", "a" * 300 + "/m.omex"])
def test_impossible_file_name_gives_a_report_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ReportError, match=r"^output "):
        export(f"{tmp_path}/{name}")


def test_folder_named_like_an_export_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "m.omex"
    folder.mkdir()
    with pytest.raises(ReportError, match="is a directory"):
        export(folder)


# ----------------------------------------------------------------------------- write_omex, texts


def test_write_omex_checks_its_arguments(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"^output path None: .*ending in \.omex"):
        write_omex(None)  # type: ignore[arg-type]
    with pytest.raises(ReportError, match=r"needs a file name ending in \.omex; change the name$"):
        write_omex(tmp_path / "m.xml")
    with pytest.raises(ModelError, match=r"^definition 'x': expected a ModelDefinition"):
        write_omex(tmp_path / "m.omex", "x")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    assert write_omex(tmp_path / "m.omex") == tmp_path / "m.omex"


@pytest.mark.parametrize("bad", ["x", "erythroid", 5, {"ALAS2.kcat": 1.0}])
def test_texts_refuse_a_definition_that_is_not_one(bad: object) -> None:
    for fn in (sbml_text, sedml_text):
        with pytest.raises(ModelError, match=r"^definition .*: expected a ModelDefinition"):
            fn(bad)  # type: ignore[operator]


# ----------------------------------------------------------------------------- sedml_text: A10


def test_default_time_course_is_the_maturation() -> None:
    assert _time_course(sedml_text()) == (pytest.approx(MATURATION_H), 200)


@pytest.mark.parametrize("bad", [-1, 0, 0.0, -0.0, float("nan"), float("inf"), -float("inf")])
def test_until_h_must_be_a_positive_finite_time(bad: float) -> None:
    with pytest.raises(ModelError, match=r"^until_h .*: expected a time in hours > 0 and at most"):
        sedml_text(until_h=bad)


@pytest.mark.parametrize("bad", ["x", "72", True, False, [72], complex(1, 0)])
def test_until_h_must_be_a_number(bad: object) -> None:
    with pytest.raises(ModelError, match=r"^until_h .*: expected a time in hours"):
        sedml_text(until_h=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [MATURATION_H + 0.001, 96, 1000])
def test_until_h_past_the_end_of_maturation_is_refused(bad: float) -> None:
    with pytest.raises(ModelError) as info:
        sedml_text(until_h=bad)
    msg = str(info.value)
    assert msg.startswith(f"until_h {bad!r} is past the end of maturation")
    assert f"({MATURATION_H:g} h)" in msg


def test_until_h_limit_follows_the_definitions_maturation_length() -> None:
    base = load_definition()
    table = base.parameters
    table.loc[table["name"] == "maturation.duration", "value"] = 96.0
    longer = ModelDefinition(base.name, base.antimony_template, table)
    assert _time_course(sedml_text(longer, until_h=90))[0] == pytest.approx(90.0)
    assert _time_course(sedml_text(longer))[0] == pytest.approx(96.0)
    with pytest.raises(ModelError, match=r"past the end of maturation.*\(96 h\)"):
        sedml_text(longer, until_h=100)


@given(end=st.floats(min_value=1e-6, max_value=MATURATION_H, allow_nan=False))
@settings(max_examples=40, deadline=None)
def test_any_time_within_maturation_is_written(end: float) -> None:
    assert _time_course(sedml_text(until_h=end))[0] == pytest.approx(end, rel=1e-12)


@given(
    end=st.one_of(
        st.floats(max_value=0.0),
        st.floats(min_value=MATURATION_H * 1.0001),
        st.just(float("nan")),
    )
)
@settings(max_examples=40, deadline=None)
def test_any_time_outside_maturation_is_refused(end: float) -> None:
    with pytest.raises(ModelError, match=r"^until_h "):
        sedml_text(until_h=end)


@pytest.mark.parametrize("n", [2, 17, MAX_POINTS, np.int64(50), np.int32(3)])
def test_points_in_range_are_written(n: int) -> None:
    assert _time_course(sedml_text(points=n))[1] == int(n)


@pytest.mark.parametrize(
    "bad", [-5, 0, 1, MAX_POINTS + 1, 10**12, 2.5, 200.0, "200", None, True, np.float64(10)]
)
def test_points_must_be_an_integer_from_2_to_max(bad: object) -> None:
    with pytest.raises(ModelError) as info:
        sedml_text(points=bad)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"points {bad!r}: expected an integer from 2 to 100,000 (the number of output intervals)"
    )


@given(n=st.integers().filter(lambda n: not 2 <= n <= MAX_POINTS))
@settings(max_examples=60, deadline=None)
def test_any_integer_outside_the_range_is_refused(n: int) -> None:
    with pytest.raises(ModelError, match=r"^points "):
        sedml_text(points=n)


@pytest.mark.parametrize("bad", [None, "", "   ", 5, "a b.xml", 'x"y.xml', "<m>.xml", "m\n.xml"])
def test_sbml_location_must_be_a_relative_path_or_uri(bad: object) -> None:
    with pytest.raises(ModelError, match=r"^sbml_location .*: expected the relative path or URI"):
        sedml_text(sbml_location=bad)  # type: ignore[arg-type]


def test_sbml_location_is_written_as_the_model_source() -> None:
    import libsedml

    doc = libsedml.readSedMLFromString(sedml_text(sbml_location="models/erythroid.xml"))
    assert doc.getModel(0).getSource() == "models/erythroid.xml"
