"""Penetrance: the probability of being affected given sex and X-linked genotype.

Genotype order: males ``(N, A)``, females ``(NN, NA, AA)``. A :class:`Penetrance` holds both
rows; the disease presets :data:`PRESETS` give defaults that ``--penetrance-female`` (or
``risk(..., penetrance_female=P)``) overrides for heterozygous women. The phenotype stage can
later pass a variant-specific heterozygote penetrance through that same plain float.

Preset numbers and where they come from (``kind`` follows the parameter-table convention):

``xlsa`` (X-linked sideroblastic anemia, MIM 300751; ALAS2 loss of function)
    * hemizygous males 1.0 (assumed): XLSA is the male disease; variable expressivity is
      reported (R560H: no phenotype in one of two hemizygous brothers, Cazzola et al., Blood
      2002;100:4236), so lower it for such variants.
    * heterozygous females 0.05 (assumed, "low"): carriers are usually spared, with raised RDW
      and red-cell dimorphism, and only some have severe anemia, when X-inactivation is skewed
      towards the mutant X (OMIM/MedGen citing Fleming 2002; Cazzola et al., Blood
      2000;96:4363). No population penetrance figure was found; one third of *probands* in a
      French series were skewed women (Ducamp et al., Hum Mutat 2011;32:590), an ascertained
      share, not a penetrance. Sources as collected in /work/shared/biology-anchors.md 4a-4b.
    * homozygous females 1.0 (assumed, as hemizygous males).

``xlp`` (X-linked protoporphyria, MIM 300752; ALAS2 gain of function)
    * hemizygous males 1.0 (assumed; GeneReviews XLP, NBK121284: males are affected).
    * heterozygous females 0.5 (assumed, "substantial"): the phenotype in heterozygous women
      "ranges from asymptomatic to as severe as in affected males" (GeneReviews XLP, updated
      2019); in 11 heterozygous women from six families, those whose X-inactivation favoured
      the mutant X were symptomatic and those with balanced or favourable skewing were not
      (Brancaleoni et al., Clin Genet 2016;89:20, PMID 25615817). Under random X-inactivation
      about half of women skew either way, hence 0.5.
    * homozygous females 1.0 (assumed).

Phenocopies (affected non-carriers) default to 0 in both presets; set ``phenocopy`` to allow them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import as_real, short_repr

__all__ = ["PRESETS", "Penetrance", "penetrance_for"]


@dataclass(frozen=True)
class Penetrance:
    """P(affected | sex, genotype).

    Attributes
    ----------
    male
        ``(P(aff | N), P(aff | A))``.
    female
        ``(P(aff | NN), P(aff | NA), P(aff | AA))``.
    name
        Preset name or ``"custom"``.
    source
        Where the numbers come from (one line).
    """

    male: tuple[float, float]
    female: tuple[float, float, float]
    name: str = "custom"
    source: str = ""

    def __post_init__(self) -> None:
        for label, genotypes in (("male", "(N, A)"), ("female", "(NN, NA, AA)")):
            row = getattr(self, label)
            size = genotypes.count(",") + 1
            values = (
                [as_real(v) for v in row]
                if isinstance(row, (tuple, list)) and len(row) == size
                else None
            )
            if values is None or any(v is None or not 0.0 <= v <= 1.0 for v in values):
                raise PedigreeError(
                    f"penetrance {label} {short_repr(row)}: expected {size} probabilities "
                    f"{genotypes}, every value a number in [0, 1]"
                )
            object.__setattr__(self, label, tuple(values))

    def table(self) -> np.ndarray:
        """3x2 array ``[genotype, sex]`` (sex 0 male, 1 female); male row 2 is unused (0)."""
        return np.array(
            [
                [self.male[0], self.female[0]],
                [self.male[1], self.female[1]],
                [0.0, self.female[2]],
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "name": self.name,
            "male": list(self.male),
            "female": list(self.female),
            "source": self.source,
        }


PRESETS: dict[str, Penetrance] = {
    "xlsa": Penetrance(
        male=(0.0, 1.0),
        female=(0.0, 0.05, 1.0),
        name="xlsa",
        source=(
            "assumed: males 1.0; heterozygous females 0.05 ('usually spared', skewed "
            "X-inactivation; Cazzola 2000 Blood 96:4363; OMIM/MedGen)"
        ),
    ),
    "xlp": Penetrance(
        male=(0.0, 1.0),
        female=(0.0, 0.5, 1.0),
        name="xlp",
        source=(
            "assumed: males 1.0; heterozygous females 0.5 (asymptomatic to severe with "
            "X-inactivation; GeneReviews XLP NBK121284; Brancaleoni 2016 Clin Genet 89:20)"
        ),
    ),
}


def _probability(label: str, value: Any) -> float:
    """``value`` as a float if it is a number in [0, 1] (not a bool, not text), else an error."""
    number = as_real(value)
    if number is None or not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise PedigreeError(f"{label} {short_repr(value)}: must be a probability in [0, 1]")
    return number


def penetrance_for(
    disease: str = "xlsa",
    *,
    penetrance_female: float | None = None,
    penetrance_male: float | None = None,
    phenocopy: float | None = 0.0,
) -> Penetrance:
    """Build the penetrance for a disease preset with optional overrides.

    Parameters
    ----------
    disease
        ``"xlsa"`` or ``"xlp"``.
    penetrance_female
        Override for heterozygous (``NA``) women, a probability.
    penetrance_male
        Override for hemizygous (``A``) men (homozygous ``AA`` women follow it too).
    phenocopy
        P(affected) for non-carriers (``N`` men, ``NN`` women); ``None`` means the preset's 0.

    Raises
    ------
    PedigreeError
        For an unknown disease (or one that is not text) and for a probability that is not a
        number in [0, 1]; booleans and text such as ``"0.5"`` are refused, not converted.
    """
    if not isinstance(disease, str) or disease.lower() not in PRESETS:
        raise PedigreeError(
            f"disease {short_repr(disease)}: expected one of {', '.join(sorted(PRESETS))}"
        )
    pen = PRESETS[disease.lower()]
    male = list(pen.male)
    female = list(pen.female)
    changed = False
    if penetrance_female is not None:
        female[1] = _probability("penetrance_female", penetrance_female)
        changed = True
    if penetrance_male is not None:
        male[1] = female[2] = _probability("penetrance_male", penetrance_male)
        changed = True
    if phenocopy is not None and _probability("phenocopy", phenocopy):
        male[0] = female[0] = float(phenocopy)
        changed = True
    if not changed:
        return pen
    return replace(
        pen,
        male=(male[0], male[1]),
        female=(female[0], female[1], female[2]),
        source=pen.source + " (overridden by the caller)",
    )
