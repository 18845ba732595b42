"""Pedigree structure: look-ups, orders and generation rows used for drawing."""

from __future__ import annotations

import pytest

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Individual as I
from hemesim.genetics.pedigree import Pedigree


def _cousins_from_different_depths() -> Pedigree:
    # A-B have child C; C-D (D married in) have child E. F-G (founders) have child H who marries E.
    return Pedigree(
        [I("A", "male"), I("B", "female"), I("C", "female", "A", "B"), I("D", "male"),
         I("E", "male", "D", "C"), I("F", "male"), I("G", "female"), I("H", "female", "F", "G"),
         I("K", "female", "E", "H")]
    )  # fmt: skip


def test_partners_share_a_row_and_children_sit_below() -> None:
    ped = _cousins_from_different_depths()
    gen = dict(zip([i.id for i in ped], ped.generations(), strict=True))
    assert gen["A"] == gen["B"] == 0 and gen["C"] == gen["D"] == 1
    assert gen["E"] == gen["H"] == 2  # H moved down to her partner's row
    assert gen["F"] == gen["G"] == 1  # her founder parents just above her
    assert gen["K"] == 3


def test_parent_child_mating_terminates() -> None:
    ped = Pedigree([I("f", "male"), I("m", "female"), I("d", "female", "f", "m"),
                    I("x", "male", "f", "d")])  # fmt: skip
    gen = ped.generations()
    assert len(gen) == 4 and gen[3] > gen[2]


def test_lookups_and_orders() -> None:
    ped = _cousins_from_different_depths()
    assert ped["E"].father == "D" and ped.index_of(("1", "K")) == 8
    order = ped.topological_order()
    fathers, mothers = ped.parents_index()
    pos = {v: k for k, v in enumerate(order)}
    assert all(pos[fathers[i]] < pos[i] for i in range(len(ped)) if fathers[i] >= 0)
    assert ped.children_index()[ped.index_of("E")] == [8]
    with pytest.raises(PedigreeError, match="no individual 'Z'"):
        ped.index_of("Z")


def test_same_id_in_two_families_needs_the_family() -> None:
    ped = Pedigree([I("a", "male", family="x"), I("a", "female", family="y")])
    assert ped[("y", "a")].sex == "female"
    with pytest.raises(PedigreeError, match="several families"):
        ped.index_of("a")


def test_constructor_errors_are_one_line() -> None:
    with pytest.raises(PedigreeError, match="no individuals"):
        Pedigree([])
    with pytest.raises(PedigreeError, match="sex 'x'") as info:
        Pedigree([I("a", "x")])  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    with pytest.raises(PedigreeError, match="own parent"):
        Pedigree([I("a", "male", "a", "b"), I("b", "female")])


def test_too_entangled_pedigree_is_refused_not_crashed() -> None:
    """A bounded clique table: exceeding it is a one-line error, not an out-of-memory crash."""
    from hemesim.genetics.peeling import infer
    from hemesim.genetics.risk import build_model, pedigree_factors

    ped = Pedigree(
        [I("f", "male"), I("m", "female"), I("d", "female", "f", "m"), I("s", "male", "f", "m")]
    )
    cards, factors = pedigree_factors(ped, build_model())
    with pytest.raises(PedigreeError, match="too entangled"):
        infer(cards, factors, max_table=5)
    assert infer(cards, factors).max_clique == 3
