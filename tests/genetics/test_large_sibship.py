"""A sibship of thousands is computed exactly (issue 16, finding 7).

The audit's 5000-child sibship grew faster than quadratically; here it also failed outright from
about 1000 children ("observations impossible ... likelihood 0"): the product of one normalised
message per child underflowed to 0 in the couple's clique. Daughters of unknown phenotype carry
no information (each one's factor sums to 1 over her genotypes), so adding thousands of them must
leave the log-likelihood and every other member's posterior exactly as they were.
"""

from __future__ import annotations

import pytest

from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.genetics.risk import risk


def _family(daughters: int) -> Pedigree:
    people = [Individual("dad", "male", affected=False), Individual("mum", "female")]
    people += [
        Individual(f"s{i}", "male", father="dad", mother="mum", affected=(i == 0))
        for i in range(10)
    ]
    people += [
        Individual(f"d{i}", "female", father="dad", mother="mum", affected=None)
        for i in range(daughters)
    ]
    return Pedigree(people)


def test_uninformative_daughters_change_nothing_even_by_the_thousand() -> None:
    small = risk(_family(0), disease="xlsa").to_dict()
    large = risk(_family(3000), disease="xlsa").to_dict()
    assert large["log_likelihood"] == pytest.approx(small["log_likelihood"], rel=1e-9)
    by_id = {m["id"]: m for m in large["individuals"]}
    for member in small["individuals"]:
        assert by_id[member["id"]]["p_carrier"] == pytest.approx(member["p_carrier"], rel=1e-9)
