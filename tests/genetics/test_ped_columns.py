"""A misspelt PED column is an error, not free text (issue 16, finding 3).

The audit wrote ``carier_test`` for ``carrier_test``: the column was kept as text, the tested
mother's P(carrier) fell from 1.0 to 5e-6 and nothing was said. Free-text columns now need the
declared prefix ``x_``; any other unknown name is refused, named, with the known columns listed.
"""

from __future__ import annotations

import pytest

from hemesim.errors import PedigreeError
from hemesim.genetics.ped import parse_ped
from hemesim.genetics.pedigree import OBSERVATION_COLUMNS, Individual, Pedigree

FAMILY = """#fid iid pid mid sex phen {column}
f gf 0 0 1 2 .
f gm 0 0 2 1 .
f mum gf gm 2 1 positive
f dad 0 0 1 1 .
f son dad mum 1 2 .
"""


def test_a_misspelt_column_is_refused_with_the_known_ones() -> None:
    with pytest.raises(PedigreeError) as info:
        parse_ped(FAMILY.format(column="carier_test"))
    message = str(info.value)
    assert "'carier_test'" in message and "did you mean carrier_test" in message
    assert all(name in message for name in OBSERVATION_COLUMNS)
    assert "x_" in message and "\n" not in message


def test_the_correct_column_is_read() -> None:
    assert parse_ped(FAMILY.format(column="carrier_test"))["mum"].carrier_test == "positive"


def test_free_text_columns_under_the_prefix_round_trip() -> None:
    ped = parse_ped(FAMILY.format(column="x_clinic"))
    assert dict(ped["mum"].extra) == {"x_clinic": "positive"}


def test_an_individual_extra_column_needs_the_prefix() -> None:
    with pytest.raises(PedigreeError, match="does not start with 'x_'"):
        Pedigree([Individual("a", "male", extra={"note": "x"})])
