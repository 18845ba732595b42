"""JSON conversion of results: numpy values and non-finite floats."""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from hemesim.jsonable import jsonable


class _Result:
    def to_dict(self) -> dict:
        return {"a": np.float64(1.5), "b": np.arange(3), "c": (1, float("inf"))}


def test_objects_numpy_and_infinities() -> None:
    assert jsonable(_Result()) == {"a": 1.5, "b": [0, 1, 2], "c": [1, None]}


@given(
    st.recursive(
        st.floats() | st.integers() | st.text(max_size=5) | st.none() | st.booleans(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=4), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_output_is_strict_json(value) -> None:
    text = json.dumps(jsonable(value), allow_nan=False)
    assert isinstance(json.loads(text), object)


def test_nan_becomes_none() -> None:
    assert jsonable([math.nan]) == [None]
