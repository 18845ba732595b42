"""The public risk API: result shape, invariants, partner rule, stability on large pedigrees."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import hemesim
from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Individual as I
from hemesim.genetics.pedigree import Pedigree
from hemesim.genetics.risk import RiskResult, risk

EXAMPLES = Path(hemesim.__file__).parent / "genetics" / "examples"
VALID = sorted(p for p in EXAMPLES.glob("*.ped") if not p.name.startswith("invalid_"))


def test_risk_is_reexported() -> None:
    assert hemesim.risk is risk


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
@pytest.mark.parametrize("disease", ["xlsa", "xlp"])
def test_posteriors_are_distributions(path: Path, disease: str) -> None:
    result = risk(path, disease=disease)
    assert isinstance(result, RiskResult) and math.isfinite(result.log_likelihood)
    assert result.log_likelihood <= 0.0
    for m in result.members:
        probs = np.array(list(m.genotype_posterior.values()))
        assert np.all(probs >= 0) and probs.sum() == pytest.approx(1.0, abs=1e-12)
        assert 0.0 <= m.p_carrier <= 1.0 and 0.0 <= m.p_affected <= 1.0
        if m.sex == "female":
            assert m.p_affected_son is not None and 0 <= m.p_affected_son <= 1
            assert m.p_carrier_daughter is not None and 0 <= m.p_carrier_daughter <= 1
        else:
            assert m.p_affected_son is None and m.p_carrier_daughter is None


def test_to_dict_has_the_documented_keys() -> None:
    out = risk(EXAMPLES / "isolated_case.ped").to_dict()
    assert {"log_likelihood", "individuals", "provenance", "model"} <= set(out)
    mother = next(m for m in out["individuals"] if m["id"] == "mother")
    assert {"id", "sex", "p_carrier", "p_affected", "genotype_posterior", "p_affected_son",
            "p_carrier_daughter"} <= set(mother)  # fmt: skip
    son = next(m for m in out["individuals"] if m["id"] == "son")
    assert "p_affected_son" not in son
    assert out["provenance"]["software"] == "hemesim"
    frame = risk(EXAMPLES / "isolated_case.ped").to_dataframe()
    assert list(frame["id"]) == ["father", "mother", "son"] and "post_NA" in frame


def test_female_penetrance_is_a_plain_float_argument() -> None:
    """An unaffected woman in an XLP family: the higher the heterozygote penetrance, the lower
    her carrier probability (being unaffected is more informative)."""
    ped = Pedigree(
        [I("gf", "male", affected=True), I("gm", "female"), I("h", "male", affected=False),
         I("d", "female", "gf", "gm"), I("g", "female", "h", "d", affected=False)]
    )  # fmt: skip
    low = risk(ped, disease="xlp", penetrance_female=0.1)["g"].p_carrier
    high = risk(ped, disease="xlp", penetrance_female=0.9)["g"].p_carrier
    # d is an obligate carrier; g has prior 1/2 -> (1/2)(1-P)/((1/2)(1-P)+1/2)
    assert low == pytest.approx(0.9 / 1.9, abs=1e-5)
    assert high == pytest.approx(0.1 / 1.1, abs=1e-5)


def test_daughter_risk_uses_the_partner_in_the_pedigree() -> None:
    """A carrier woman whose partner is affected: every daughter gets his A, so P(next daughter
    carrier) ~ 1; with an unrelated unaffected population partner it is ~1/2."""
    ped = Pedigree(
        [I("gf", "male", affected=True), I("gm", "female"), I("w", "female", "gf", "gm"),
         I("aff", "male", affected=True), I("son", "male", "aff", "w")]
    )  # fmt: skip
    r = risk(ped)
    assert r["w"].partner == "aff"
    assert r["w"].p_carrier_daughter == pytest.approx(1.0, abs=1e-5)
    alone = risk(Pedigree([I("gf", "male", affected=True), I("gm", "female"),
                           I("w", "female", "gf", "gm")]))  # fmt: skip
    assert alone["w"].partner is None
    assert alone["w"].p_carrier_daughter == pytest.approx(0.5, abs=1e-5)


def test_observed_phenotype_gives_p_affected_zero_or_one() -> None:
    r = risk(EXAMPLES / "isolated_case.ped")
    assert r["son"].p_affected == 1.0 and r["father"].p_affected == 0.0


def test_unknown_engine_and_bad_parameters() -> None:
    ped = Pedigree([I("a", "male")])
    with pytest.raises(PedigreeError, match="engine"):
        risk(ped, engine="magic")
    with pytest.raises(PedigreeError, match="mu_female"):
        risk(ped, mu_female=-1.0)


def test_impossible_example_file_with_zero_mutation() -> None:
    with pytest.raises(PedigreeError, match="likelihood 0.*'mum'"):
        risk(EXAMPLES / "invalid_impossible.ped", mu_female=0.0, mu_male=0.0)


def _chain(n: int, tested: bool) -> Pedigree:
    test = {"carrier_test": "negative", "sensitivity": 0.9, "specificity": 0.3} if tested else {}
    people = [I("m0", "female")]
    for k in range(n):
        people += [I(f"h{k}", "male", affected=False, **test),  # type: ignore[arg-type]
                   I(f"s{k}", "male", f"h{k}", f"m{k}", affected=False),
                   I(f"m{k + 1}", "female", f"h{k}", f"m{k}")]  # fmt: skip
    people.append(I("boy", "male", f"h{n - 1}", f"m{n}", affected=True))
    return Pedigree(people)


def test_large_pedigree_stays_finite_and_exact() -> None:
    """3,002 members in a chain of sibships where each of 1,000 married-in men has a negative
    test of specificity 0.3: the likelihood is ~0.3^1000 = 1e-523, far below the smallest double,
    yet per-message scaling keeps log L exact: it equals log L without the tests plus
    1000 log 0.3 (each man is N with probability 1 - O(mu)). The mother of the affected boy still
    gets the Haldane-model answer: a mutation that arose in the woman d generations up the chain
    has weight mu 4^-d (2 mu new, 1/2 per transmission, 1/2 per unaffected brother, 1/2 for the
    boy), so P(carrier) = (4/3) / (4/3 + 1) = 4/7 against the boy's own new mutation (weight mu)."""
    kw = {"mu_female": 1e-9, "mu_male": 1e-9, "fitness_male": 0.0, "penetrance_female": 0.0}
    tested = risk(_chain(1000, True), **kw)  # type: ignore[arg-type]
    plain = risk(_chain(1000, False), **kw)  # type: ignore[arg-type]
    assert tested.log_likelihood < -745  # exp() of this underflows
    assert tested.log_likelihood == pytest.approx(plain.log_likelihood + 1000 * math.log(0.3),
                                                  abs=1e-4)  # fmt: skip
    assert tested.max_clique <= 3
    assert tested["m1000"].p_carrier == pytest.approx(4 / 7, abs=1e-6)
