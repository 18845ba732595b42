"""Published X-linked Bayesian risk examples, reproduced by the exact engine.

Each test names its source. Textbook calculations use a simplified model (no new mutation in
the consultand's generation, a stated prior); where so, the engine is configured to the same
model (``mu = 0`` with a known-genotype relative or an allele-frequency founder prior, or a tiny
``mu`` with ``f = 0`` for Haldane's equilibrium) and the test says how.
"""

from __future__ import annotations

import pytest

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Individual as I
from hemesim.genetics.pedigree import Pedigree
from hemesim.genetics.risk import risk

# A tiny equal mutation rate makes the equilibrium prior first order, as in Haldane's derivation;
# the O(mu) remainder is far below the tolerance used.
MU = 1e-9
TOL = 1e-6
# Textbook examples treat the population carrier risk as negligible: founders get a tiny allele
# frequency (a known-genotype founder needs a non-zero prior), contributing O(Q) to the answers.
Q = 1e-12


def haldane(**kw: float) -> dict[str, float]:
    """Haldane's setting: equal rates, lethal in males, carrier women unaffected."""
    return {"mu_female": MU, "mu_male": MU, "fitness_male": 0.0, "penetrance_female": 0.0, **kw}


def test_obligate_carrier_daughter_of_affected_man() -> None:
    """A daughter of an affected man is an obligate carrier: a father passes his X to every
    daughter (science.md section 5; GeneReviews X-Linked Protoporphyria, NBK121284, "Risk to
    Family Members": all daughters of an affected male are heterozygous; experts123.com, "What
    are the hallmarks of X-linked recessive inheritance?": passed from an affected grandfather
    through his carrier daughters to half of his grandsons). Model: mu -> 0 (MU)."""
    ped = Pedigree(
        [
            I("gf", "male", affected=True),
            I("gm", "female"),
            I("daughter", "female", "gf", "gm"),
        ]
    )
    r = risk(ped, **haldane())
    assert r["daughter"].p_carrier == pytest.approx(1.0, abs=TOL)
    # and her next son is affected with probability 1/2 (male penetrance 1)
    assert r["daughter"].p_affected_son == pytest.approx(0.5, abs=TOL)


def test_isolated_case_mother_grandmother_aunt() -> None:
    """Isolated affected male, lethal X-linked disorder, equal mutation rates (Haldane):
    P(mother carrier) = 2/3, P(maternal grandmother carrier) = 1/3, P(maternal aunt carrier)
    = 1/6. Sources read: science.md section 5 ((2+f)/3 with f = 0); easybayes.org "Risk
    calculation for an X-linked disease" (prior 2/3 for a lethal mutation with equal rates);
    Hum Hered 1973;23:19-26, doi 10.1159/000152548, "Risk of recurrence and carrier frequency
    for X-linked lethal recessives" (abstract: carrier frequency about 4 mu, one third of cases
    fresh mutations, 2/3 for the mother of one affected son); the teaching set 'XL lethal: mother
    2/3, grandmother 1/3, aunt 1/6' (freezingblue.com flashcards "Bayesian Probability", card 1).
    The textbook treatment is Young, *Introduction to Risk Calculation in Genetic Counseling*
    (Oxford UP), not consulted here."""
    ped = Pedigree(
        [
            I("gf", "male", affected=False),
            I("gm", "female"),
            I("father", "male", affected=False),
            I("mother", "female", "gf", "gm"),
            I("aunt", "female", "gf", "gm"),
            I("case", "male", "father", "mother", affected=True),
        ]
    )
    r = risk(ped, **haldane())
    assert r["mother"].p_carrier == pytest.approx(2 / 3, abs=TOL)
    assert r["gm"].p_carrier == pytest.approx(1 / 3, abs=TOL)
    assert r["aunt"].p_carrier == pytest.approx(1 / 6, abs=TOL)


@pytest.mark.parametrize("fitness", [0.0, 0.3, 0.9])
def test_isolated_case_general_fitness(fitness: float) -> None:
    """Mother of an isolated affected male: carrier probability (2+f)/3 (science.md section 5,
    Haldane's equilibrium with affected-male fitness f)."""
    ped = Pedigree(
        [I("f", "male", affected=False), I("m", "female"), I("s", "male", "f", "m", affected=True)]
    )
    r = risk(ped, **haldane(fitness_male=fitness))
    assert r["m"].p_carrier == pytest.approx((2 + fitness) / 3, abs=TOL)


@pytest.mark.parametrize(("n_sons", "expected"), [(1, 1 / 3), (2, 1 / 5), (3, 1 / 9)])
def test_possible_carrier_with_unaffected_sons(n_sons: int, expected: float) -> None:
    """Daughter of an obligate carrier (prior 1/2) with n unaffected sons:
    posterior = (1/2)(1/2)^n / ((1/2)(1/2)^n + 1/2), i.e. 1/3, 1/5, 1/9 for n = 1, 2, 3
    (medicalalgorithms.com, "Risk of being a carrier for an X-linked recessive condition in a
    woman who is the daughter of an obligate carrier and who has normal sons", the formula read
    there). Model: the calculation ignores new mutation,
    so mu = 0; the obligate carrier is given as genotype NA, founders have negligible allele
    frequency Q."""
    people = [
        I("gf", "male", affected=False),
        I("gm", "female", genotype="NA"),
        I("husband", "male", affected=False),
        I("woman", "female", "gf", "gm"),
    ]
    people += [I(f"son{k}", "male", "husband", "woman", affected=False) for k in range(n_sons)]
    r = risk(Pedigree(people), mu_female=0.0, mu_male=0.0, allele_frequency=Q,
             penetrance_female=0.0)  # fmt: skip
    assert r["woman"].p_carrier == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("n_grandsons", [1, 2, 3])
def test_possible_carrier_with_unaffected_grandsons(n_grandsons: int) -> None:
    """Daughter of an obligate carrier whose only child is a daughter with n unaffected sons:
    conditional P(data | carrier) = (2^n + 1) / 2^(n+1), P(data | non-carrier) = 1, prior 1/2
    (medicalalgorithms.com, "... daughter of an obligate carrier and who has normal grandsons").
    Model: mu = 0, negligible founder allele frequency Q, obligate carrier given as genotype NA."""
    people = [
        I("gf", "male", affected=False),
        I("gm", "female", genotype="NA"),
        I("h1", "male", affected=False),
        I("woman", "female", "gf", "gm"),
        I("h2", "male", affected=False),
        I("daughter", "female", "h1", "woman"),
    ]
    people += [I(f"gs{k}", "male", "h2", "daughter", affected=False) for k in range(n_grandsons)]
    r = risk(Pedigree(people), mu_female=0.0, mu_male=0.0, allele_frequency=Q,
             penetrance_female=0.0)  # fmt: skip
    n = n_grandsons
    cond = (2**n + 1) / 2 ** (n + 1)
    expected = 0.5 * cond / (0.5 * cond + 0.5)
    assert r["woman"].p_carrier == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("n_sons", "n_brothers"), [(0, 0), (1, 0), (0, 1), (3, 2)])
def test_mother_of_isolated_case_with_unaffected_sons_and_brothers(
    n_sons: int, n_brothers: int
) -> None:
    """Mother of an isolated lethal case with unaffected sons and brothers (Haldane prior).
    The textbook route (easybayes.org, "only few non-affected boys reduce significatively the
    risk"): start from the 2/3 prior and condition on the unaffected relatives; with b brothers
    and n further sons this gives
    (2^b + 1) / (2^(b+n) + 2^b + 1) (derivation in docs/risk.md; for b = 0 it is the familiar
    2/3 prior times (1/2)^n, renormalised). Bridge, *The Calculation of Genetic Risks* (1997),
    Table A.5, tabulates this case; the transcription at medicalalgorithms.com prints the middle
    term as 2^n, which gives 2/5 instead of 1/2 for n = 1, b = 0 (2/3 prior, one unaffected
    son), so the derivation is the reference here."""
    people = [
        I("gf", "male", affected=False),
        I("gm", "female"),
        I("husband", "male", affected=False),
        I("woman", "female", "gf", "gm"),
        I("case", "male", "husband", "woman", affected=True),
    ]
    people += [I(f"b{k}", "male", "gf", "gm", affected=False) for k in range(n_brothers)]
    people += [I(f"s{k}", "male", "husband", "woman", affected=False) for k in range(n_sons)]
    r = risk(Pedigree(people), **haldane())
    b, n = n_brothers, n_sons
    assert r["woman"].p_carrier == pytest.approx((2**b + 1) / (2 ** (b + n) + 2**b + 1), abs=TOL)


@pytest.mark.parametrize(("sensitivity", "specificity"), [(0.95, 1.0), (0.7, 0.99), (1.0, 0.9)])
def test_negative_carrier_test(sensitivity: float, specificity: float) -> None:
    """Bayes with a test: prior 1/2 (daughter of an obligate carrier), negative result with
    sensitivity s and specificity c: posterior = (1/2)(1-s) / ((1/2)(1-s) + (1/2)c), the
    prior x conditional table of the medicalalgorithms.com page above with the test as the
    conditional, and the formula of the Bayesian carrier-status calculator at
    cal53.calculator.city ("P(Carrier|Test)", sensitivity and specificity inputs).
    Model: mu = 0, founder allele frequency Q, obligate carrier given as
    genotype NA."""
    people = [
        I("gf", "male", affected=False),
        I("gm", "female", genotype="NA"),
        I("woman", "female", "gf", "gm", carrier_test="negative",
          sensitivity=sensitivity, specificity=specificity),
    ]  # fmt: skip
    r = risk(Pedigree(people), mu_female=0.0, mu_male=0.0, allele_frequency=Q,
             penetrance_female=0.0)  # fmt: skip
    s, c = sensitivity, specificity
    expected = 0.5 * (1 - s) / (0.5 * (1 - s) + 0.5 * c)
    assert r["woman"].p_carrier == pytest.approx(expected, abs=1e-9)


def test_manifesting_heterozygote_xlp() -> None:
    """An affected woman in an XLP family (no phenocopies) is heterozygous; each of her
    children inherits the variant with probability 1/2 (GeneReviews X-Linked Protoporphyria,
    NBK121284, "Risk to Family Members": a heterozygous woman transmits the variant to 50% of
    her children; heterozygous women range from asymptomatic to as severe as males). Her
    untested daughter is then affected with probability pen_F / 2. Model: mu = 0, founders from
    a negligible allele frequency (1e-9)."""
    pen_f = 0.5
    people = [
        I("gf", "male", affected=False),
        I("gm", "female"),
        I("woman", "female", "gf", "gm", affected=True),
        I("husband", "male", affected=False),
        I("daughter", "female", "husband", "woman"),
        I("son", "male", "husband", "woman"),
    ]
    r = risk(Pedigree(people), disease="xlp", mu_female=0.0, mu_male=0.0,
             allele_frequency=1e-9, penetrance_female=pen_f)  # fmt: skip
    assert r["woman"].p_carrier == pytest.approx(1.0, abs=TOL)
    assert r["daughter"].p_carrier == pytest.approx(0.5, abs=TOL)
    assert r["son"].p_carrier == pytest.approx(0.5, abs=TOL)
    assert r["daughter"].p_affected == pytest.approx(pen_f / 2, abs=TOL)
    assert r["woman"].p_affected_son == pytest.approx(0.5, abs=TOL)
    assert r["woman"].p_carrier_daughter == pytest.approx(0.5, abs=TOL)


def test_impossible_observations_raise_one_line() -> None:
    """Affected son of a mother who tested negative with a perfect test, mu = 0 and no carrier
    founders: likelihood zero -> one-line PedigreeError naming the individuals."""
    people = [
        I("dad", "male", affected=False),
        I("mum", "female", carrier_test="negative", sensitivity=1.0, specificity=1.0),
        I("son", "male", "dad", "mum", affected=True),
    ]
    for engine in ("peeling", "bruteforce"):
        with pytest.raises(PedigreeError, match="likelihood 0") as info:
            risk(Pedigree(people), mu_female=0.0, mu_male=0.0, engine=engine)
        assert "\n" not in str(info.value)
