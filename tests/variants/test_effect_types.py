"""An Effect checks its class and factors when it is built (audit A6, B4)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hemesim.errors import HemesimError, VariantError
from hemesim.variants.effect_types import EFFECT_CLASSES, FACTOR_NAMES, WILD_TYPE, Effect

CHANGED = ("loss_of_function", "gain_of_function", "uncertain")


def test_classes_are_the_documented_literals() -> None:
    assert EFFECT_CLASSES == ("loss_of_function", "gain_of_function", "neutral", "uncertain")
    assert tuple(Effect().factors()) == FACTOR_NAMES


@pytest.mark.parametrize("cls", EFFECT_CLASSES)
def test_every_documented_class_is_accepted(cls: str) -> None:
    assert Effect(effect_class=cls).effect_class == cls  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["bogus", "", "Loss_of_function", "loss of function", None, 1])
def test_unknown_class_is_refused(bad: object) -> None:
    with pytest.raises(VariantError) as info:
        Effect(effect_class=bad, kcat_factor=0.5)  # type: ignore[arg-type]
    msg = str(info.value)
    assert msg.startswith(f"Effect effect_class {bad!r}: expected one of ")
    assert all(c in msg for c in EFFECT_CLASSES)


@pytest.mark.parametrize("name", FACTOR_NAMES)
@pytest.mark.parametrize(
    ("bad", "kind"),
    [("abc", "str"), ("0.5", "str"), (None, "NoneType"), (True, "bool"), (False, "bool"),
     (np.bool_(True), "bool"), ([0.5], "list"), (1j, "complex")],
)  # fmt: skip
def test_non_number_factor_is_refused_naming_the_field(name: str, bad: object, kind: str) -> None:
    with pytest.raises(VariantError) as info:
        Effect(effect_class="uncertain", **{name: bad})  # type: ignore[arg-type]
    msg = str(info.value)
    assert msg.startswith(f"Effect {name} {bad!r}: expected a real number >= 0")
    assert msg.endswith(f"not {kind}")


@pytest.mark.parametrize("name", FACTOR_NAMES)
@pytest.mark.parametrize("bad", [-1e-300, -0.5, -1, float("nan"), float("inf"), -float("inf")])
def test_negative_or_non_finite_factor_is_refused(name: str, bad: float) -> None:
    with pytest.raises(
        VariantError, match=rf"^Effect {name} .*: expected a finite real number >= 0"
    ):
        Effect(effect_class="loss_of_function", **{name: bad})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [0, 2, 0.0, 0.25, np.float32(0.5), np.float64(3.0), np.int64(0), Fraction(1, 4)]
)
def test_real_numbers_are_stored_as_float(value: object) -> None:
    eff = Effect(effect_class="loss_of_function", kcat_factor=value)  # type: ignore[arg-type]
    assert type(eff.kcat_factor) is float
    assert eff.kcat_factor == float(value)  # type: ignore[arg-type]
    assert type(eff.to_dict()["parameters"]["kcat_factor"]) is float


@given(
    name=st.sampled_from(FACTOR_NAMES),
    value=st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False),
    cls=st.sampled_from(CHANGED),
)
@settings(max_examples=200, deadline=None)
def test_any_finite_non_negative_factor_is_kept(name: str, value: float, cls: str) -> None:
    eff = Effect(effect_class=cls, **{name: value})  # type: ignore[arg-type]
    factors = eff.factors()
    assert factors[name] == value
    assert all(v == 1.0 for k, v in factors.items() if k != name)


@given(
    name=st.sampled_from(FACTOR_NAMES),
    value=st.one_of(
        st.floats(max_value=-1e-320),
        st.just(float("nan")),
        st.just(float("inf")),
        st.text(max_size=5),
        st.booleans(),
        st.none(),
    ),
)
@settings(max_examples=200, deadline=None)
def test_any_invalid_factor_raises_a_variant_error_naming_it(name: str, value: object) -> None:
    with pytest.raises(VariantError) as info:
        Effect(effect_class="uncertain", **{name: value})  # type: ignore[arg-type]
    assert str(info.value).startswith(f"Effect {name} ")


@pytest.mark.parametrize("name", FACTOR_NAMES)
def test_neutral_class_with_a_changed_factor_is_refused(name: str) -> None:
    """The class defaults to "neutral" (= enzyme unchanged): ``Effect(kcat_factor=0.05)`` used to
    be predicted as "no disease" with Hb 4.4 g/dL. It now asks for a class that says so."""
    with pytest.raises(VariantError) as info:
        Effect(**{name: 0.05})  # type: ignore[arg-type]
    msg = str(info.value)
    assert msg.startswith(f"Effect with {name}=0.05 has effect_class 'neutral' (the default)")
    assert "'loss_of_function', 'gain_of_function' or 'uncertain'" in msg


def test_neutral_message_lists_every_changed_factor() -> None:
    with pytest.raises(VariantError, match=r"kcat_factor=0\.5, ire_factor=0\.0 has"):
        Effect(effect_class="neutral", kcat_factor=0.5, ire_factor=0.0)


def test_neutral_with_unity_factors_is_accepted() -> None:
    assert Effect().factors() == dict.fromkeys(FACTOR_NAMES, 1.0)
    assert Effect(kcat_factor=1, expression_factor=np.float64(1.0)).effect_class == "neutral"
    assert WILD_TYPE.effect_class == "neutral"


@pytest.mark.parametrize("cls", CHANGED)
def test_changed_factors_are_accepted_with_a_directional_class(cls: str) -> None:
    eff = Effect(effect_class=cls, kcat_factor=0.05, expression_factor=0.0)  # type: ignore[arg-type]
    assert (eff.kcat_factor, eff.expression_factor) == (0.05, 0.0)


@pytest.mark.parametrize(
    ("field", "bad", "expected"),
    [
        ("rationale", None, "expected text"),
        ("source", 5, "expected text"),
        ("notes", "certainty: high", "expected a tuple of texts"),
        ("notes", ("ok", 3), "expected a tuple of texts"),
        ("notes", None, "expected a tuple of texts"),
    ],
)
def test_text_fields_must_be_text(field: str, bad: object, expected: str) -> None:
    with pytest.raises(VariantError, match=rf"^Effect {field} .*{expected}"):
        Effect(**{field: bad})  # type: ignore[arg-type]


def test_notes_list_is_stored_as_a_tuple_and_the_effect_stays_hashable() -> None:
    eff = Effect(effect_class="uncertain", notes=["a", "b"])  # type: ignore[arg-type]
    assert eff.notes == ("a", "b")
    assert hash(eff) == hash(Effect(effect_class="uncertain", notes=("a", "b")))


def test_replace_is_checked_too() -> None:
    eff = Effect(effect_class="loss_of_function", kcat_factor=0.2)
    with pytest.raises(VariantError, match="kcat_factor"):
        dataclasses.replace(eff, kcat_factor=-1.0)
    with pytest.raises(VariantError, match="'neutral'"):
        dataclasses.replace(eff, effect_class="neutral")


def test_error_is_a_hemesim_error() -> None:
    with pytest.raises(HemesimError):
        Effect(effect_class="uncertain", kcat_factor="abc")  # type: ignore[arg-type]
