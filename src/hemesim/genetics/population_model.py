"""The X-linked Wright-Fisher population model as data: parameters, validation, gamete odds.

A biallelic X-linked locus with wild-type allele ``A`` and variant allele ``a``. Males are
hemizygous (``A`` or ``a``), females are ``AA``, ``Aa`` or ``aa``. The model is kept apart from the
run (house habit 2): build and inspect a :class:`PopulationModel` without simulating, then hand it
to :func:`hemesim.genetics.population.simulate_population` or to the analytic equilibria in
:mod:`hemesim.genetics.population_analytic`.

Semantics (one generation, non-overlapping generations)
-------------------------------------------------------
1. Census at birth: ``n_males = size // 2`` sons and ``n_females = size - size // 2`` daughters
   (sex numbers are fixed, not drawn).
2. Affection at birth: every hemizygous ``a`` male is affected; every ``aa`` female is affected;
   each ``Aa`` female is affected independently with probability ``penetrance_female``.
3. Selection as parent choice: relative fitness is the weight with which an adult is drawn as a
   parent. Unaffected adults have fitness 1, affected males ``fitness_male``, affected
   heterozygous females ``fitness_female_het``, homozygous ``aa`` females ``fitness_female_hom``.
4. Reproduction (Wright-Fisher): every offspring independently draws its mother from the females
   with probability proportional to fitness, and one of her two X chromosomes with probability 1/2.
   A daughter also draws her father from the males with probability proportional to fitness and
   receives his X. A son receives no paternal X.
5. Mutation in the transmitted gamete: a transmitted ``A`` becomes ``a`` with probability
   ``mu_female`` in a maternal gamete and ``mu_male`` in a paternal gamete. There is no back
   mutation (``a`` -> ``A``), as in Haldane (1935).

Because offspring are drawn independently, the maternal allele of every offspring is an
independent Bernoulli draw with the probability given by :func:`maternal_gamete_probabilities`,
and the paternal allele of every daughter is an independent Bernoulli draw with the probability
given by :func:`paternal_gamete_probability`. The counts-based simulator draws whole generations
from these probabilities (binomial draws), which is exact, not an approximation.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from hemesim.errors import HemesimError
from hemesim.genetics._checks import short_repr

__all__ = [
    "MAX_FITNESS",
    "MAX_GENERATIONS",
    "MAX_SIZE",
    "PopulationModel",
    "maternal_gamete_probabilities",
    "paternal_gamete_probability",
    "check_generations",
    "check_model",
]

#: a count or frequency: a Python float (one population) or a numpy array (replicates)
ArrayOrFloat = float | np.ndarray

#: Largest census size N (individuals per generation). Counts are int64 (numpy's binomial
#: draws take a C long); at 10^12 a sum of counts over 10^6 generations stays below 2^63
#: and every frequency is exact in float64. No real population comes near it.
MAX_SIZE = 10**12
#: Most generations one run simulates (about 7 s and 100 MB for one population); the
#: trajectory is kept in memory, one row per generation.
MAX_GENERATIONS = 10**6
#: Largest relative fitness (unaffected individuals have 1). Parent-choice weights are fitness x
#: count, at most 10^6 x 5 x 10^11 = 5 x 10^17 here, far from float overflow; a fitness such as
#: 1e308 would overflow to inf, and inf / inf is not a probability. A million-fold advantage is
#: already "only affected individuals reproduce".
MAX_FITNESS = 1e6


def _check_rate(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise HemesimError(f"{name} {short_repr(value)}: expected a number in [0, 1] (per gamete)")
    out = float(value)
    if not (0.0 <= out <= 1.0):
        raise HemesimError(f"{name} {short_repr(value)}: expected a number in [0, 1] (per gamete)")
    return out


def _check_fitness(name: str, value: Any) -> float:
    message = (
        f"{name} {short_repr(value)}: expected a relative fitness from 0 to {MAX_FITNESS:,.0f} "
        "(unaffected individuals have 1)"
    )
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise HemesimError(message)
    out = float(value)
    if not (math.isfinite(out) and 0.0 <= out <= MAX_FITNESS):
        raise HemesimError(message)
    return out


def _check_probability(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise HemesimError(f"{name} {short_repr(value)}: expected a probability in [0, 1]")
    out = float(value)
    if not (0.0 <= out <= 1.0):
        raise HemesimError(f"{name} {short_repr(value)}: expected a probability in [0, 1]")
    return out


def check_generations(value: Any) -> int:
    """Return ``value`` as an int if it is a whole number of generations in 1..MAX_GENERATIONS.

    Raises
    ------
    HemesimError
        If ``value`` is not an integer (floats such as ``10.0`` are refused too), is < 1 or is
        above :data:`MAX_GENERATIONS`.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not 1 <= int(value) <= MAX_GENERATIONS
    ):
        raise HemesimError(
            f"generations {short_repr(value)}: expected an integer from 1 to {MAX_GENERATIONS:,}"
        )
    return int(value)


def check_model(model: Any, where: str = "model") -> PopulationModel:
    """Return ``model`` if it is a :class:`PopulationModel`, else a one-line error.

    Parameters
    ----------
    model
        The argument to check.
    where
        How to name the argument in the message (e.g. ``"model"``).

    Raises
    ------
    HemesimError
        Naming the argument, what it got and how to build a model.
    """
    if not isinstance(model, PopulationModel):
        raise HemesimError(
            f"{where} {short_repr(model)} ({type(model).__name__}): expected a PopulationModel, "
            "e.g. PopulationModel(size=10_000, mu_female=1e-4, mu_male=1e-4, fitness_male=0.0) "
            "from hemesim.genetics.population_model"
        )
    return model


@dataclass(frozen=True)
class PopulationModel:
    """Parameters of the X-linked Wright-Fisher model (validated on construction).

    Parameters
    ----------
    size
        Census size N per generation (integer from 2 to :data:`MAX_SIZE`): ``N // 2`` males and
        ``N - N // 2`` females.
    mu_female
        Mutation rate A -> a per maternal (egg) gamete per generation, in [0, 1].
    mu_male
        Mutation rate A -> a per paternal (sperm) gamete per generation, in [0, 1].
    fitness_male
        Relative fitness of affected (hemizygous ``a``) males, from 0 (a genetic lethal) to
        :data:`MAX_FITNESS`.
    fitness_female_het
        Relative fitness of an *affected* heterozygous female, from 0 to :data:`MAX_FITNESS`.
    penetrance_female
        Probability that an ``Aa`` female is affected, in [0, 1]; 0 is recessive-like,
        1 is dominant-like.
    fitness_female_hom
        Relative fitness of ``aa`` females (always affected), from 0 to :data:`MAX_FITNESS`;
        ``None`` (default) means the same as ``fitness_male``: two variant X chromosomes leave
        no wild-type cell lineage, so an ``aa`` woman is taken to be as affected as a
        hemizygous man.
    """

    size: int
    mu_female: float
    mu_male: float
    fitness_male: float
    fitness_female_het: float = 1.0
    penetrance_female: float = 0.0
    fitness_female_hom: float | None = None

    def __post_init__(self) -> None:
        size = self.size
        if (
            isinstance(size, bool)
            or not isinstance(size, numbers.Integral)
            or not 2 <= int(size) <= MAX_SIZE
        ):
            raise HemesimError(
                f"size {short_repr(size)}: expected an integer from 2 to {MAX_SIZE:,} (individuals)"
            )
        object.__setattr__(self, "size", int(size))
        object.__setattr__(self, "mu_female", _check_rate("mu_female", self.mu_female))
        object.__setattr__(self, "mu_male", _check_rate("mu_male", self.mu_male))
        if self.fitness_female_hom is None:
            object.__setattr__(self, "fitness_female_hom", self.fitness_male)
        for name in ("fitness_male", "fitness_female_het", "fitness_female_hom"):
            object.__setattr__(self, name, _check_fitness(name, getattr(self, name)))
        object.__setattr__(
            self,
            "penetrance_female",
            _check_probability("penetrance_female", self.penetrance_female),
        )

    @property
    def n_males(self) -> int:
        """Number of males per generation, ``size // 2``."""
        return self.size // 2

    @property
    def n_females(self) -> int:
        """Number of females per generation, ``size - size // 2``."""
        return self.size - self.size // 2

    @property
    def mean_het_fitness(self) -> float:
        """Expected fitness of an ``Aa`` female, ``1 - h + h * w_het`` (h = penetrance)."""
        h = self.penetrance_female
        return 1.0 - h + h * self.fitness_female_het

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a JSON-ready dict."""
        return asdict(self)


def maternal_gamete_probabilities(
    females_AA: ArrayOrFloat,
    females_Aa_unaffected: ArrayOrFloat,
    females_Aa_affected: ArrayOrFloat,
    females_aa: ArrayOrFloat,
    model: PopulationModel,
) -> tuple[Any, Any]:
    """Probabilities that a maternal gamete carries an inherited ``a``, or a new ``a`` mutation.

    The mother is drawn with probability proportional to fitness, then one of her X chromosomes
    with probability 1/2, then an ``A`` mutates to ``a`` with probability ``mu_female``.
    Works on counts or on frequencies (only ratios matter), scalars or numpy arrays.

    Returns
    -------
    (p_inherited, p_new)
        ``p_inherited``: the transmitted X carried ``a`` already in the mother;
        ``p_new``: it carried ``A`` and mutated in the gamete, ``(1 - p_inherited) * mu_female``.
        ``nan`` where no female has positive fitness.
    """
    w_het = model.fitness_female_het
    w_hom = float(model.fitness_female_hom)  # type: ignore[arg-type]  # set in __post_init__
    total = females_AA + females_Aa_unaffected + w_het * females_Aa_affected + w_hom * females_aa
    a_weight = 0.5 * (females_Aa_unaffected + w_het * females_Aa_affected) + w_hom * females_aa
    if isinstance(total, float):  # scalar fast path (no numpy call per generation)
        p_inherited = a_weight / total if total > 0 else math.nan
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            p_inherited = a_weight / total
    p_new = (1.0 - p_inherited) * model.mu_female
    return p_inherited, p_new


def paternal_gamete_probability(
    males_A: ArrayOrFloat, males_a: ArrayOrFloat, model: PopulationModel
) -> Any:
    """Probability that a daughter's paternal X carries ``a`` (inherited or new mutation).

    The father is drawn with probability proportional to fitness (affected males
    ``fitness_male``, others 1); his ``A`` mutates with probability ``mu_male``. ``nan`` where no
    male has positive fitness.
    """
    w = model.fitness_male
    total = males_A + w * males_a
    if isinstance(total, float):
        p_inherited = w * males_a / total if total > 0 else math.nan
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            p_inherited = w * males_a / total
    return p_inherited + (1.0 - p_inherited) * model.mu_male
