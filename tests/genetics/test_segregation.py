"""Cosegregation Bayes factor (genetics/segregation.py): exact engine against enumeration.

The junction-tree engine and plain enumeration (genetics/bruteforce.py) share no code; hypothesis
draws pedigrees of up to 9 members, with and without loops, random phenotypes, genotypes and
carrier tests, a proband, and random penetrances, and both must give the same Bayes factor (to
1e-9 relative) or both refuse the data. The worked example is derived by hand in its docstring.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import FEMALE_GENOTYPES, MALE_GENOTYPES, Individual, Pedigree
from hemesim.genetics.segregation import CONDITIONING, segregation

EXAMPLES = "src/hemesim/genetics/examples"


def _uncle_family(**changes: object) -> Pedigree:
    """Grandparents gf/gm; their sons uncle (affected, A) and brother (unaffected, N) and
    daughter mother (unaffected, untyped); her son, the proband (affected, A)."""
    people = [
        Individual("gf", "male"),
        Individual("gm", "female"),
        Individual("uncle", "male", "gf", "gm", affected=True, genotype="A"),
        Individual("brother", "male", "gf", "gm", affected=False, genotype="N"),
        Individual("mother", "female", "gf", "gm", affected=False),
        Individual("dad", "male", affected=False),
        Individual("son", "male", "dad", "mother", affected=True, genotype="A", proband=True),
        Individual("sister", "female", "dad", "mother", affected=False),
    ]
    return Pedigree([Individual(**{**p.__dict__, **changes.get(p.id, {})}) for p in people])  # type: ignore[arg-type]


def test_worked_example_tends_to_eight() -> None:
    """Full penetrance in men, none in women, no phenocopies, rare allele (q -> 0), no mutation.

    Causal: the affected uncle must be A and the unaffected brother N: probability 1.
    Neutral, given the proband is A: his mother is a carrier; her A came from her mother or her
    father with equal chance (a woman carries with frequency 2q, passes it with 1/2; a man
    carries with q, passes it to every daughter), so the grandmother is a carrier with 1/2, and
    then each son of hers is A with 1/2: P(uncle A, brother N) = 1/2 * 1/2 * 1/2 = 1/8.
    BF -> 8 (segregatr's FLB gives 7.9992 at q = 1e-4 on this pedigree, its X-linked example).
    """
    result = segregation(
        _uncle_family(),
        penetrance_male=1.0,
        penetrance_female_het=0.0,
        penetrance_female_hom=1.0,
        phenocopy=0.0,
        allele_frequency=1e-7,
        mu_female=0.0,
        mu_male=0.0,
    )
    assert result.bayes_factor == pytest.approx(8.0, rel=1e-5)
    assert result.log10_bayes_factor == pytest.approx(math.log10(8.0), rel=1e-5)
    assert result.probands == (("1", "son"),)
    assert result.conditioning == CONDITIONING


def test_only_the_proband_genotyped_gives_one() -> None:
    fam = _uncle_family(uncle={"genotype": None}, brother={"genotype": None})
    result = segregation(fam, allele_frequency=1e-4)
    assert result.bayes_factor == pytest.approx(1.0, rel=1e-12)
    assert any("only the probands" in n for n in result.notes)


def test_affected_non_carrier_without_phenocopies_excludes_causality() -> None:
    fam = _uncle_family(uncle={"genotype": "N"})
    result = segregation(fam, allele_frequency=1e-4, phenocopy=0.0)
    assert result.bayes_factor == 0.0
    assert result.log10_bayes_factor is None
    assert result.to_dict()["log_likelihoods"]["causal_all"] is None
    allowed = segregation(fam, allele_frequency=1e-4, phenocopy=0.01)
    assert 0.0 < allowed.bayes_factor < 1.0


def test_families_multiply() -> None:
    one = _uncle_family()
    two = Pedigree(
        list(one) + [Individual(**{**p.__dict__, "family": "2"}) for p in one]  # type: ignore[arg-type]
    )
    a = segregation(one, allele_frequency=1e-3)
    b = segregation(two, allele_frequency=1e-3)
    assert b.bayes_factor == pytest.approx(a.bayes_factor**2, rel=1e-10)
    assert len(b.probands) == 2


def test_proband_rules() -> None:
    fam = _uncle_family(son={"proband": False})
    chosen = segregation(fam, allele_frequency=1e-3)
    assert chosen.probands == (("1", "uncle"),)  # first affected carrier in file order
    assert chosen.proband_source == ("first affected carrier",)
    named = segregation(fam, allele_frequency=1e-3, proband="son")
    assert named.proband_source == ("argument",)
    with pytest.raises(PedigreeError, match="must be affected"):
        segregation(fam, allele_frequency=1e-3, proband="mother")
    with pytest.raises(PedigreeError, match="no such individual"):
        segregation(fam, allele_frequency=1e-3, proband="nobody")
    none = _uncle_family(son={"proband": False, "genotype": None}, uncle={"genotype": None})
    with pytest.raises(PedigreeError, match="no proband"):
        segregation(none, allele_frequency=1e-3)


def test_impossible_genotypes_are_refused() -> None:
    fam = _uncle_family(mother={"genotype": "NN"})  # her son is A: needs a new mutation
    with pytest.raises(PedigreeError, match="Mendelian"):
        segregation(fam, allele_frequency=1e-3, mu_female=0.0, mu_male=0.0)
    assert segregation(fam, allele_frequency=1e-3).bayes_factor > 0  # default rates allow it


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"penetrance_male": 1.5}, "penetrance_male"),
        ({"penetrance_female_het": -0.1}, "penetrance_female_het"),
        ({"penetrance_female_hom": True}, "penetrance_female_hom"),
        ({"phenocopy": "0.1"}, "phenocopy"),
        ({"allele_frequency": 2.0}, "allele frequency"),
        ({"mu_female": 0.5}, "mu_female"),
        ({"engine": "fast"}, "engine"),
    ],
)
def test_bad_parameters_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(PedigreeError, match=f"^{field} "):
        segregation(_uncle_family(), **kwargs)


def test_loop_example_matches_enumeration() -> None:
    ped = Pedigree(
        [
            Individual(**{**p.__dict__, "genotype": g, "affected": a, "proband": pr})
            for p, (g, a, pr) in zip(
                __import__("hemesim.genetics.ped", fromlist=["read_ped"]).read_ped(
                    f"{EXAMPLES}/consanguineous.ped"
                ),
                [
                    (None, False, False),
                    (None, None, False),
                    ("NA", False, False),
                    (None, False, False),
                    (None, False, False),
                    (None, False, False),
                    ("N", False, False),
                    (None, False, False),
                    ("A", True, True),
                    ("NA", False, False),
                ],
                strict=True,
            )
        ]
    )
    peel = segregation(ped, allele_frequency=1e-3)
    brute = segregation(ped, allele_frequency=1e-3, engine="bruteforce")
    assert peel.bayes_factor == pytest.approx(brute.bayes_factor, rel=1e-10)
    assert peel.max_clique >= 3  # the loop widens a clique


# --- property: exact engine == enumeration on random pedigrees -----------------------------------
@st.composite
def families(draw: st.DrawFn) -> Pedigree:
    n = draw(st.integers(3, 9))
    loops = draw(st.booleans())
    people: list[Individual] = []

    def obs(sex: str) -> dict[str, object]:
        out: dict[str, object] = {"affected": draw(st.sampled_from([None, False, True]))}
        if draw(st.integers(0, 2)) == 0:
            out["genotype"] = draw(
                st.sampled_from(MALE_GENOTYPES if sex == "male" else FEMALE_GENOTYPES)
            )
        elif draw(st.integers(0, 6)) == 0:
            out["carrier_test"] = draw(st.sampled_from(["positive", "negative"]))
            out["sensitivity"] = 0.95
        return out

    def add(sex: str, father: str | None = None, mother: str | None = None) -> str:
        iid = f"p{len(people)}"
        people.append(Individual(iid, sex, father, mother, **obs(sex)))  # type: ignore[arg-type]
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
    k = draw(st.integers(0, len(people) - 1))
    p = people[k]
    people[k] = Individual(
        **{
            **p.__dict__,
            "affected": True,
            "genotype": "A" if p.sex == "male" else draw(st.sampled_from(["NA", "AA"])),
            "proband": True,
            "carrier_test": None,
            "sensitivity": None,
        }
    )
    return Pedigree(people)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ped=families(),
    pen_m=st.sampled_from([1.0, 0.9, 0.5]),
    pen_het=st.sampled_from([0.0, 0.05, 0.5]),
    pheno=st.sampled_from([0.0, 0.01]),
    q=st.sampled_from([None, 1e-4, 0.05]),
    mu=st.sampled_from([0.0, 1e-6, 0.01]),
)
def test_peeling_equals_enumeration(
    ped: Pedigree, pen_m: float, pen_het: float, pheno: float, q: float | None, mu: float
) -> None:
    kwargs = dict(
        penetrance_male=pen_m,
        penetrance_female_het=pen_het,
        phenocopy=pheno,
        allele_frequency=q,
        mu_female=mu,
        mu_male=mu,
    )
    if q is None and mu == 0.0:
        kwargs["allele_frequency"] = 1e-3  # the equilibrium prior needs mutation
    outcomes = []
    for engine in ("peeling", "bruteforce"):
        try:
            outcomes.append(segregation(ped, engine=engine, **kwargs).bayes_factor)  # type: ignore[arg-type]
        except PedigreeError as exc:
            outcomes.append(str(exc).split(":")[0])
    a, b = outcomes
    if isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-300)
        assert a >= 0.0
    else:
        assert a == b  # both refuse, for the same reason
