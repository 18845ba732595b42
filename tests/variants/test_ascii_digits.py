"""Only ASCII digits 0-9 in HGVS positions and ``--set`` values (issue 16, finding 11).

Python's ``int``/``float`` and the regex ``\\d`` accept any Unicode decimal digit, so
``R٤٥٢H`` (Arabic-Indic digits) was read as R452H and ``--set ALAS2.kcat=٩٧`` as 97.
"""

from __future__ import annotations

import pytest

from hemesim.cli._common import parse_assignments
from hemesim.errors import HemesimError, VariantError
from hemesim.variants.parse import parse


@pytest.mark.parametrize(
    "text", ["R\u0664\u0665\u0662H", "p.Arg\uff14\uff15\uff12His", "c.\u0967\u0969\u096b\u096bG>A"]
)
def test_non_ascii_digits_are_refused_in_hgvs(text: str) -> None:
    with pytest.raises(VariantError, match="not an ASCII digit"):
        parse(text)


def test_ascii_digits_still_parse() -> None:
    assert parse("R452H").p_start == 452


@pytest.mark.parametrize("value", ["\u0669\u0667", "\uff19\uff17.5", "1e\u0662"])
def test_non_ascii_digits_are_refused_in_set(value: str) -> None:
    with pytest.raises(HemesimError, match="is not a number"):
        parse_assignments([f"ALAS2.kcat={value}"])


def test_ascii_set_values_still_parse() -> None:
    assert parse_assignments(["ALAS2.kcat=97.5"]) == {"ALAS2.kcat": 97.5}
