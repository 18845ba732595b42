"""The model as data: Antimony + parameter table -> SBML, names other stages rely on, bad input."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemesim.errors import ModelError
from hemesim.model import (
    EFFECT_PARAMETERS,
    MODEL_NAMES,
    READOUTS,
    ModelDefinition,
    load_definition,
    parameter_id,
)


@pytest.fixture(scope="module")
def definition() -> ModelDefinition:
    return load_definition("erythroid")


def test_table_columns_kinds_units_sources(definition: ModelDefinition) -> None:
    table = definition.parameters
    assert list(table.columns) == ["name", "value", "unit", "source", "kind", "note"]
    assert set(table["kind"]) <= {"measured", "fitted", "assumed", "calculated"}
    assert all(str(u).strip() for u in table["unit"])
    assert all(str(s).strip() for s in table["source"])
    assert all(math.isfinite(v) and v >= 0 for v in table["value"])
    assert not table["name"].duplicated().any()


def test_names_other_stages_set_exist(definition: ModelDefinition) -> None:
    required = {
        "ALAS2.kcat", "ALAS2.Km_succoa", "ALAS2.Km_gly", "ALAS2.Kd_PLP", "ALAS2.half_life",
        "ALAS2.ksyn", "IRE.repression", "PLP", "iron.supply", "zinc.level", "FECH.kcat",
        "FECH.Km_Fe", "FECH.Km_Zn", "FECH.Km_PPIX", "maturation.duration",
    }  # fmt: skip
    assert required <= set(definition.parameter_names)
    targets = {name for names in EFFECT_PARAMETERS.values() for name in names}
    assert targets <= set(definition.parameter_names)


def test_measured_alas2_kinetics_match_bailey_2020(definition: ModelDefinition) -> None:
    """Bailey et al. Nat Commun 2020: kcat 3.0-3.5/min, Km succinyl-CoA 32-39 uM, Km Gly
    5.7-8.5 mM; the table holds kcat per HOUR and Km in uM."""
    v = definition.defaults
    assert 3.0 * 60 <= v["ALAS2_kcat"] <= 3.5 * 60
    assert 32 <= v["ALAS2_Km_succoa"] <= 39
    assert 5700 <= v["ALAS2_Km_gly"] <= 8500


def test_antimony_holds_equations_and_table_values(definition: ModelDefinition) -> None:
    template = definition.antimony_template
    for name in definition.parameter_names:
        pid = parameter_id(name)
        # a value is assigned exactly once, by the inserted table block, never in the template
        assert not re.search(rf"^\s*{re.escape(pid)}\s*=\s*[0-9.]", template, re.M), pid
        assert re.search(rf"^\s*{re.escape(pid)}\s*=", definition.antimony, re.M), pid


def test_sbml_is_cached_and_has_every_readout(definition: ModelDefinition) -> None:
    first = definition.sbml
    assert definition.sbml is first
    for rid in READOUTS:
        assert f'id="{rid}"' in first
    assert definition.readout_names == list(READOUTS)


def test_units_cover_species_readouts_parameters(definition: ModelDefinition) -> None:
    units = definition.units
    assert units["Hb"] == "uM"
    assert units["mch_pg"] == "pg"
    assert units["ALAS2_kcat"] == "1/h"
    for pid in definition.defaults:
        assert pid in units


def test_validate_overrides_maps_names_to_ids(definition: ModelDefinition) -> None:
    assert definition.validate_overrides({"ALAS2.kcat": 0.5}) == {"ALAS2_kcat": 0.5}
    assert definition.validate_overrides({"FECH_kcat": 3}) == {"FECH_kcat": 3.0}
    assert definition.validate_overrides(None) == {}


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"ALAS2.kcatt": 1.0}, "did you mean ALAS2.kcat"),
        ({"nonsense": 1.0}, "unknown parameter 'nonsense'"),
        ({"ALAS2.kcat": -1.0}, "finite number >= 0"),
        ({"ALAS2.kcat": float("nan")}, "finite number >= 0"),
        ({"ALAS2.kcat": float("inf")}, "finite number >= 0"),
        ({"ALAS2.kcat": "fast"}, "not a number"),
        ({"cyto": 1.0}, "compartment"),
        ({"IRE.repression": 1.5}, "expected 0 to 1"),
    ],
)
def test_bad_overrides_raise_one_line(
    definition: ModelDefinition, overrides: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ModelError) as info:
        definition.validate_overrides(overrides)  # type: ignore[arg-type]
    msg = str(info.value)
    assert fragment in msg
    assert "\n" not in msg


def test_unknown_model_name_lists_allowed() -> None:
    with pytest.raises(ModelError) as info:
        load_definition("liver")
    assert "'liver'" in str(info.value)
    for name in MODEL_NAMES:
        assert name in str(info.value)


def test_every_table_unit_has_an_sbml_unit(definition: ModelDefinition) -> None:
    from hemesim.model.definition import ANTIMONY_UNITS

    assert set(definition.parameters["unit"]) <= set(ANTIMONY_UNITS)
    assert 'units="per_h"' in definition.sbml


@given(value=st.floats(min_value=0.0, max_value=1e12, allow_nan=False))
def test_any_finite_nonnegative_value_is_accepted(value: float) -> None:
    d = load_definition()
    assert d.validate_overrides({"ALAS2.kcat": value}) == {"ALAS2_kcat": value}


@given(value=st.one_of(st.floats(max_value=-1e-300), st.just(float("nan"))))
def test_negative_or_nan_is_rejected(value: float) -> None:
    with pytest.raises(ModelError):
        load_definition().validate_overrides({"FECH.kcat": value})


@given(name=st.text(min_size=1, max_size=20))
def test_unknown_names_give_one_line_errors(name: str) -> None:
    d = load_definition()
    if name in d.parameter_names or name in d.defaults:
        return
    with pytest.raises(ModelError) as info:
        d.validate_overrides({name: 1.0})
    assert "\n" not in str(info.value).replace(repr(name), "")


def test_zero_is_refused_exactly_where_the_model_needs_a_positive_value(
    definition: ModelDefinition,
) -> None:
    """Constants that divide (K..., half-lives, molar masses, reference values, the maturation
    length, guard) must be > 0: 0 is refused with a message naming the parameter (and, for a
    parameter with a closed range such as the maturation length, that range). Every other
    parameter may be 0 and the model then still gives finite readouts (so the rule misses no
    denominator)."""
    import hemesim
    from hemesim.model.definition import _STRUCTURAL, RANGES, must_be_positive

    model = hemesim.load_model()
    positive = 0
    for pid in definition.defaults:
        name = definition.name_of(pid)
        if pid in _STRUCTURAL:
            continue
        if must_be_positive(name):
            positive += 1
            low, high = RANGES.get(pid, (None, None))
            expected = "> 0" if low is None else f"expected {low:g} to {high:g}"
            with pytest.raises(ModelError, match=rf"'{re.escape(name)}'.*{expected}"):
                definition.validate_overrides({name: 0.0})
        else:
            readouts = model.endpoint(overrides={name: 0.0})
            assert all(math.isfinite(v) for v in readouts.values()), name
    assert positive >= 25


def test_maturation_length_stays_where_the_blood_indices_are_calibrated(
    definition: ModelDefinition,
) -> None:
    assert definition.validate_overrides({"maturation.duration": 48}) == {
        "maturation_duration": 48.0
    }
    assert definition.validate_overrides({"maturation.duration": 96})["maturation_duration"] == 96
    for bad in (47.9, 96.5, 1e9):
        with pytest.raises(ModelError, match=r"'maturation.duration'.*48 to 96 h"):
            definition.validate_overrides({"maturation.duration": bad})


def test_mcv_reference_must_exceed_the_empty_cell_volume(definition: ModelDefinition) -> None:
    """MCV grows from MCV.min (a cell without hemoglobin) to MCV.ref at the reference MCH; a
    reference below the minimum made the MCV fall as hemoglobin rose."""
    definition.validate_overrides({"MCV.ref": 60})
    with pytest.raises(ModelError, match=r"MCV.ref > MCV.min"):
        definition.validate_overrides({"MCV.ref": 40})
    with pytest.raises(ModelError, match=r"MCV.ref > MCV.min"):
        definition.validate_overrides({"MCV.min": 95})


# --------------------------------------------------------------------------------------------
# one set of rules for single overrides and for columns of overrides (the batched engine)
# --------------------------------------------------------------------------------------------

RULE_CASES = [
    ("ALAS2.kcat", -97.5, r"finite number >= 0 \(unit 1/h\)"),
    ("FECH.kcat", float("nan"), r"finite number >= 0"),
    ("Hb.molar_mass", 0.0, r"finite number > 0 \(unit g/mol\)"),
    ("MCV.ref", 0.0, r"finite number > 0 \(unit fL\)"),
    ("IRE.repression", 1.5, r"expected 0 to 1"),
    ("maturation.duration", 200.0, r"expected 48 to 96 h"),
]


@pytest.mark.parametrize(("name", "bad", "expected"), RULE_CASES)
def test_columns_follow_the_rules_of_single_overrides(
    definition: ModelDefinition, name: str, bad: float, expected: str
) -> None:
    """The same value is refused with the same range by validate_overrides and, in any row, by
    check_override_columns, which also names the set and the value."""
    with pytest.raises(ModelError, match=rf"'{re.escape(name)}'.*{expected}"):
        definition.validate_overrides({name: bad})
    good = definition.defaults[definition.id_of(name)]
    column = np.array([good, good, bad, good])
    with pytest.raises(
        ModelError, match=rf"'{re.escape(name)}': value {bad:g} in set 2 .*{expected}"
    ):
        definition.check_override_columns({name: column})
    # a chunk of a larger cohort reports the set's index in the cohort
    with pytest.raises(ModelError, match=r"in set 1002 "):
        definition.check_override_columns({name: column}, first_set=1000)


def test_valid_columns_are_returned_by_id_as_floats(definition: ModelDefinition) -> None:
    out = definition.check_override_columns(
        {"ALAS2.kcat": [97.5, 200], "maturation_duration": np.array([48, 96]), "PLP": 2.0}
    )
    assert set(out) == {"ALAS2_kcat", "maturation_duration", "PLP"}
    np.testing.assert_array_equal(out["ALAS2_kcat"], [97.5, 200.0])
    assert out["maturation_duration"].dtype == np.float64
    np.testing.assert_array_equal(out["PLP"], [2.0])


def test_mcv_relation_is_checked_row_by_row(definition: ModelDefinition) -> None:
    """MCV.ref > MCV.min in every set, a missing column taking the table value (MCV.min 45 fL,
    MCV.ref 90 fL)."""
    definition.check_override_columns({"MCV.ref": [95.0, 60.0]})
    with pytest.raises(ModelError, match=r"'MCV.ref' = 40 and 'MCV.min' = 45 fL in set 1 "):
        definition.check_override_columns({"MCV.ref": [95.0, 40.0]})
    with pytest.raises(ModelError, match=r"'MCV.ref' = 100 and 'MCV.min' = 100 fL in set 2 "):
        definition.check_override_columns(
            {"MCV.min": [50.0, 99.0, 100.0], "MCV.ref": [100.0, 100.0, 100.0]}
        )
    with pytest.raises(ModelError, match=r"in set 7 .*MCV.ref > MCV.min"):
        definition.check_override_columns({"MCV.min": [95.0]}, first_set=7)


@pytest.mark.parametrize(
    ("columns", "fragment"),
    [
        ({"cyto": [0.25, -1.0]}, "compartment volume"),
        ({"ALAS2.kcat": ["a", "b"]}, "'a' is text, not a real number"),
        ({"ALAS2.kcat": [True, False]}, "True is a boolean"),
        ({"ALAS2.kcat": 1 + 2j}, "complex number"),
        ({"ALAS2.kcat": np.ones((3, 2))}, "shape (3, 2)"),
        ({"ALAS2.kcat": [None, 1.0]}, "None is of type NoneType"),
        ({"ALAS2.kcat": []}, "no values"),
        ({"ALAS2.kcatt": [1.0]}, "did you mean ALAS2.kcat"),
    ],
)
def test_columns_that_are_not_numbers_or_not_parameters(
    definition: ModelDefinition, columns: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ModelError) as info:
        definition.check_override_columns(columns)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [-1.0, 0.0, 10.0, 47.9, 96.5, 1e9, float("nan"), float("inf")])
def test_every_maturation_length_out_of_range_gets_the_range(
    definition: ModelDefinition, bad: float
) -> None:
    """-1 said '>= 0', 0 said '> 0' and 10 said '48 to 96 h': the range now comes first."""
    with pytest.raises(ModelError, match=r"'maturation.duration'.*expected 48 to 96 h"):
        definition.validate_overrides({"maturation.duration": bad})
    with pytest.raises(ModelError, match=r"'maturation.duration'.*expected 48 to 96 h"):
        definition.check_override_columns({"maturation.duration": [72.0, bad]})


def test_overrides_must_be_a_mapping_of_numbers(definition: ModelDefinition) -> None:
    with pytest.raises(ModelError, match=r"overrides must be a mapping .* got list"):
        definition.validate_overrides([("ALAS2.kcat", 97.5)])  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"'ALAS2.kcat'.*is not a number"):
        definition.validate_overrides({"ALAS2.kcat": 10**400})
