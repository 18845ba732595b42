"""The peeling engine agrees with plain enumeration on random pedigrees (habit 9 of style.md).

Hypothesis builds random valid pedigrees of up to 12 members, loop-free or with loops
(consanguinity, matings between any earlier man and woman), random observations (phenotypes,
carrier tests with random sensitivity/specificity, known genotypes) and random models (mutation
rates, penetrance, equilibrium or allele-frequency founders). Both engines must give the same
log-likelihood and every posterior to 1e-12, or both must reject the data as impossible.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import FEMALE_GENOTYPES, MALE_GENOTYPES, Individual, Pedigree
from hemesim.genetics.peeling import elimination_order, infer
from hemesim.genetics.risk import _partners, build_model, pedigree_factors, risk

TOL = 1e-12


@st.composite
def observations(draw: st.DrawFn, sex: str) -> dict[str, object]:
    obs: dict[str, object] = {"affected": draw(st.sampled_from([None, None, False, True]))}
    if draw(st.integers(0, 4)) == 0:
        obs["carrier_test"] = draw(st.sampled_from(["positive", "negative"]))
        obs["sensitivity"] = draw(st.sampled_from([0.9, 0.99, None]))
        obs["specificity"] = draw(st.sampled_from([0.95, 0.99, None]))
    if draw(st.integers(0, 29)) == 0:
        obs["genotype"] = draw(
            st.sampled_from(MALE_GENOTYPES if sex == "male" else FEMALE_GENOTYPES)
        )
    return obs


@st.composite
def pedigrees(draw: st.DrawFn, loops: bool, max_size: int = 12) -> Pedigree:
    """Random valid pedigree. Loop-free: each child is born to an existing couple, or to an
    existing member and a new founder partner (the marriage graph stays a tree). With loops:
    a child may be born to any earlier man and woman."""
    n = draw(st.integers(3, max_size))
    people: list[Individual] = []

    def add(sex: str, father: str | None = None, mother: str | None = None) -> str:
        iid = f"p{len(people)}"
        people.append(Individual(iid, sex, father, mother, **draw(observations(sex))))  # type: ignore[arg-type]
        return iid

    add("male")
    add("female")
    couples = [("p0", "p1")]
    while len(people) < n:
        sex = draw(st.sampled_from(["male", "female"]))
        men = [p.id for p in people if p.sex == "male"]
        women = [p.id for p in people if p.sex == "female"]
        if loops and draw(st.booleans()):
            father, mother = draw(st.sampled_from(men)), draw(st.sampled_from(women))
        elif draw(st.booleans()) or len(people) + 2 > n:
            father, mother = draw(st.sampled_from(couples))
        else:
            member = draw(st.sampled_from(people))
            if member.sex == "male":
                father, mother = member.id, add("female")
            else:
                father, mother = add("male"), member.id
        if (father, mother) not in couples:
            couples.append((father, mother))
        add(sex, father, mother)
    return Pedigree(people)


models = st.fixed_dictionaries(
    {
        "disease": st.sampled_from(["xlsa", "xlp"]),
        "mu_female": st.sampled_from([1e-6, 0.01, 0.02]),
        "mu_male": st.sampled_from([0.0, 1e-6, 0.02]),
        "fitness_male": st.sampled_from([0.0, 0.5, 0.8]),
        "allele_frequency": st.sampled_from([None, 0.01, 0.2]),
        "penetrance_female": st.sampled_from([None, 0.0, 0.3, 0.9]),
        "phenocopy": st.sampled_from([0.0, 0.01, 0.05]),
    }
)


def _compare(ped: Pedigree, kw: dict[str, object]) -> None:
    try:
        brute = risk(ped, engine="bruteforce", **kw)  # type: ignore[arg-type]
    except PedigreeError as exc:
        assert "likelihood 0" in str(exc)
        with pytest.raises(PedigreeError, match="likelihood 0"):
            risk(ped, engine="peeling", **kw)  # type: ignore[arg-type]
        return
    peel = risk(ped, engine="peeling", **kw)  # type: ignore[arg-type]
    assert peel.log_likelihood == pytest.approx(brute.log_likelihood, rel=TOL, abs=TOL)
    for a, b in zip(peel.members, brute.members, strict=True):
        for g in a.genotype_posterior:
            assert a.genotype_posterior[g] == pytest.approx(b.genotype_posterior[g], abs=TOL)
        assert a.p_carrier == pytest.approx(b.p_carrier, abs=TOL)
        assert a.p_affected == pytest.approx(b.p_affected, abs=TOL)
        if a.sex == "female":
            assert a.p_affected_son == pytest.approx(b.p_affected_son, abs=TOL)
            assert a.p_carrier_daughter == pytest.approx(b.p_carrier_daughter, abs=TOL)
        assert math.isclose(sum(a.genotype_posterior.values()), 1.0, abs_tol=1e-12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ped=pedigrees(loops=False), kw=models)
def test_loop_free_pedigrees_match_enumeration(ped: Pedigree, kw: dict[str, object]) -> None:
    _compare(ped, kw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ped=pedigrees(loops=True), kw=models)
def test_pedigrees_with_loops_match_enumeration(ped: Pedigree, kw: dict[str, object]) -> None:
    _compare(ped, kw)


def test_double_first_cousins_example_matches_enumeration() -> None:
    """The double-first-cousin example file (two loops) gives the same answer both ways."""
    from pathlib import Path

    import hemesim.genetics as g

    path = Path(g.__file__).parent / "examples" / "double_first_cousins.ped"
    from hemesim.genetics.ped import read_ped

    ped = read_ped(path)
    _compare(ped, {"mu_female": 1e-4, "mu_male": 1e-4})
    assert risk(ped).max_clique >= 3


@settings(max_examples=30, deadline=None)
@given(ped=pedigrees(loops=False, max_size=40))
def test_loop_free_pedigrees_need_no_fill_edges(ped: Pedigree) -> None:
    """On a loop-free pedigree min-fill eliminates without fill: cliques never exceed the
    largest family factor (daughter, father, mother) = 3 variables."""
    bare = Pedigree(Individual(p.id, p.sex, p.father, p.mother) for p in ped)
    model = build_model()
    cards, factors = pedigree_factors(bare, model, _partners(bare))
    result = infer(cards, factors)
    assert result.max_clique <= 3
    assert sorted(elimination_order(cards, [s for s, _ in factors])) == list(range(len(ped)))


def test_generic_factor_graph_against_enumeration() -> None:
    """The inference core on a random loopy factor graph (not a pedigree) against a dense sum."""
    rng = np.random.default_rng(7)
    cards = [2, 3, 2, 3, 3, 2]
    scopes = [(0, 1), (1, 2, 3), (3, 4), (4, 5, 0), (2, 5), (1,)]
    factors = [(s, rng.random([cards[v] for v in s])) for s in scopes]
    result = infer(cards, factors, pairs=[(0, 1), (3, 4)])
    dense = np.ones(cards)
    for s, t in factors:
        perm = sorted(range(len(s)), key=lambda k: s[k])
        shape = [cards[v] if v in s else 1 for v in range(len(cards))]
        dense = dense * np.transpose(t, perm).reshape(shape)
    z = dense.sum()
    assert result.log_likelihood == pytest.approx(math.log(z), rel=1e-13)
    for v in range(6):
        axes = tuple(a for a in range(6) if a != v)
        assert np.allclose(result.marginals[v], dense.sum(axis=axes) / z, atol=1e-13)
    assert np.allclose(result.pair_marginals[(0, 1)], dense.sum(axis=(2, 3, 4, 5)) / z, atol=1e-13)
