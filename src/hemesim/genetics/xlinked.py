"""The X-linked locus model: states, transmission with sex-specific mutation, and observations.

States: males ``0 = N``, ``1 = A`` (hemizygous); females ``0 = NN``, ``1 = NA``, ``2 = AA``.

Transmission (Mendel for the X chromosome):

* a mother passes either X with probability 1/2; a transmitted ``N`` becomes ``A`` with
  probability ``mu_female``, so her gamete carries ``A`` with probability ``mu_f`` (``NN``),
  ``(1 + mu_f)/2`` (``NA``) or ``1`` (``AA``);
* a father passes his X to every daughter and none to his sons; it carries ``A`` with probability
  ``mu_male`` (``N`` father) or ``1`` (``A`` father);
* a son's genotype is his maternal gamete; a daughter's is the count of ``A`` in her two gametes.
  Back mutation (``A -> N``) is ignored.

Observations multiply into a per-member likelihood vector over genotypes:

* phenotype: affected ``P(aff | sex, g)``, unaffected ``1 - P(aff | sex, g)``, unknown 1;
* carrier test (detects any ``A`` allele): positive ``sensitivity`` if ``g`` has an ``A`` else
  ``1 - specificity``; negative ``1 - sensitivity`` or ``specificity``;
* known genotype: the indicator of that genotype.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import as_real, short_repr
from hemesim.genetics.pedigree import FEMALE_GENOTYPES, MALE_GENOTYPES, Individual
from hemesim.genetics.penetrance import Penetrance
from hemesim.genetics.priors import FounderPrior

__all__ = ["XLinkedModel", "genotype_names", "n_states"]

# number of A alleles per state, by sex
_A_COUNT = {"male": np.array([0, 1]), "female": np.array([0, 1, 2])}


def n_states(sex: str) -> int:
    """Number of genotype states: 2 for a male, 3 for a female."""
    return 2 if sex == "male" else 3


def genotype_names(sex: str) -> tuple[str, ...]:
    """Genotype labels in state order."""
    return MALE_GENOTYPES if sex == "male" else FEMALE_GENOTYPES


@dataclass(frozen=True)
class XLinkedModel:
    """Everything the likelihood needs apart from the pedigree.

    Attributes
    ----------
    founder_prior
        Genotype probabilities for founders.
    penetrance
        P(affected | sex, genotype).
    mu_female, mu_male
        N -> A mutation probability per transmitted X in eggs and sperm (per generation).
    """

    founder_prior: FounderPrior
    penetrance: Penetrance
    mu_female: float = 0.0
    mu_male: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.founder_prior, FounderPrior):
            raise PedigreeError(
                f"founder_prior {short_repr(self.founder_prior)}: expected a FounderPrior "
                "(hemesim.genetics.priors)"
            )
        if not isinstance(self.penetrance, Penetrance):
            raise PedigreeError(
                f"penetrance {short_repr(self.penetrance)}: expected a Penetrance "
                "(hemesim.genetics.penetrance.penetrance_for)"
            )
        for name in ("mu_female", "mu_male"):
            value = getattr(self, name)
            number = as_real(value)
            if number is None or not np.isfinite(number) or not 0.0 <= number <= 0.1:
                raise PedigreeError(
                    f"{name} {short_repr(value)}: must be a mutation rate in [0, 0.1]"
                )
            object.__setattr__(self, name, number)

    def maternal_gamete_a(self) -> np.ndarray:
        """P(egg carries A | mother NN, NA, AA), shape (3,)."""
        mu = self.mu_female
        return np.array([mu, 0.5 + 0.5 * mu, 1.0])

    def paternal_gamete_a(self) -> np.ndarray:
        """P(sperm X carries A | father N, A), shape (2,)."""
        return np.array([self.mu_male, 1.0])

    def son_table(self) -> np.ndarray:
        """P(son genotype | mother genotype), shape (3 mother, 2 son)."""
        pm = self.maternal_gamete_a()
        return np.stack([1.0 - pm, pm], axis=1)

    def daughter_table(self) -> np.ndarray:
        """P(daughter genotype | father, mother), shape (2 father, 3 mother, 3 daughter)."""
        pm = self.maternal_gamete_a()[None, :]
        pf = self.paternal_gamete_a()[:, None]
        return np.stack([(1 - pf) * (1 - pm), pf * (1 - pm) + (1 - pf) * pm, pf * pm], axis=2)

    def prior(self, sex: str) -> np.ndarray:
        """Founder genotype prior for a sex."""
        return np.array(self.founder_prior.male if sex == "male" else self.founder_prior.female)

    def affected_prob(self, sex: str) -> np.ndarray:
        """P(affected | genotype) for a sex."""
        return np.array(self.penetrance.male if sex == "male" else self.penetrance.female)

    def evidence(self, ind: Individual) -> np.ndarray:
        """Likelihood of the member's own observations given each genotype state."""
        like = np.ones(n_states(ind.sex))
        if ind.affected is not None:
            pen = self.affected_prob(ind.sex)
            like = like * (pen if ind.affected else 1.0 - pen)
        if ind.carrier_test is not None:
            has_a = _A_COUNT[ind.sex] > 0
            sens = 1.0 if ind.sensitivity is None else ind.sensitivity
            spec = 1.0 if ind.specificity is None else ind.specificity
            if ind.carrier_test == "positive":
                like = like * np.where(has_a, sens, 1.0 - spec)
            else:
                like = like * np.where(has_a, 1.0 - sens, spec)
        if ind.genotype is not None:
            names = genotype_names(ind.sex)
            like = like * (np.array(names) == ind.genotype)
        return like

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (for provenance), with the assumptions in words."""
        return {
            "founder_prior": self.founder_prior.to_dict(),
            "penetrance": self.penetrance.to_dict(),
            "mu_female": self.mu_female,
            "mu_male": self.mu_male,
            "assumptions": self.assumptions(),
        }

    def assumptions(self) -> list[str]:
        """Every assumption behind the risks, one sentence each (printed by every surface)."""
        pen = self.penetrance
        prior = self.founder_prior
        return [
            f"founders: P(carrier woman) = {prior.female[1]:.3g}, P(affected-allele man) = "
            f"{prior.male[1]:.3g} ({prior.method}"
            + (
                f": mutation-selection balance at affected-male fitness {prior.fitness_male:g})"
                if prior.fitness_male is not None
                else ")"
            ),
            f"new mutations per transmission: {self.mu_female:.3g} in mothers, "
            f"{self.mu_male:.3g} in fathers",
            f"penetrance ({pen.name}): men without/with the variant {pen.male[0]:.3g}/"
            f"{pen.male[1]:.3g}; women NN/NA/AA {pen.female[0]:.3g}/{pen.female[1]:.3g}/"
            f"{pen.female[2]:.3g}" + (f" ({pen.source})" if pen.source else ""),
        ]
