"""Forward Wright-Fisher simulation of an X-linked allele: counts-based, exact, seeded.

The model (census at birth, N // 2 males and N - N // 2 females, affection, fitness as parent
choice weight, mutation in the transmitted gamete, no back mutation) is described in
:mod:`hemesim.genetics.population_model`. Every offspring's maternal allele is an independent
Bernoulli draw and every daughter's paternal allele another one, so a generation is drawn exactly
with a handful of binomial draws instead of one draw per individual:

* sons: ``inherited ~ Bin(n_males, p_inherited)``, then ``new ~ Bin(n_males - inherited,
  mu_female)`` (a maternal ``A`` that mutated in the egg); affected sons = inherited + new.
  This is the multinomial split of the maternal allele into inherited-a / new-a / A.
* daughters: ``aa ~ Bin(n_females, p_mat p_pat)``, ``Aa ~ Bin(n_females - aa, P(Aa) / (1 -
  P(aa)))``.
* affected heterozygous daughters: ``Bin(Aa, penetrance_female)``.

Generation 0 is drawn the same way from starting frequencies (the deterministic equilibrium by
default). Statistics are taken over the last ``ceil(G / 2)`` simulated generations.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import HemesimError, SimulationError
from hemesim.genetics._checks import short_repr
from hemesim.genetics.population_analytic import (
    balance_exists,
    deterministic_equilibrium,
    leading_order_equilibrium,
)
from hemesim.genetics.population_model import (
    PopulationModel,
    check_generations,
    check_model,
    maternal_gamete_probabilities,
    paternal_gamete_probability,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_REPLICATES",
    "MAX_TRAJECTORY_COUNTS",
    "PopulationResult",
    "Trajectories",
    "simulate_population",
    "run_wright_fisher",
    "initial_counts",
]

#: Most counts per series one run keeps, ``replicates x (generations + 1)``: five int64 series
#: of 10^7 counts are 400 MB (one population over ``MAX_GENERATIONS`` is 10^6 + 1).
MAX_TRAJECTORY_COUNTS = 10**7
#: Most independent populations one :func:`run_wright_fisher` call simulates side by side (for
#: one generation; longer runs are bounded by :data:`MAX_TRAJECTORY_COUNTS`).
MAX_REPLICATES = MAX_TRAJECTORY_COUNTS // 2

#: Names of the per-generation count series (each an int64 array, replicates x generations).
COUNT_FIELDS = (
    "males_affected",
    "males_affected_new_mutation",
    "females_heterozygous",
    "females_heterozygous_affected",
    "females_homozygous",
)


def _make_rng(
    seed: int | np.random.Generator | None, name: str = "seed"
) -> tuple[np.random.Generator, int | None]:
    """A Generator and the integer seed to record (drawn from OS entropy when ``seed`` is None).

    Every genetics function that takes a seed accepts the same forms: an integer >= 0
    (Python or numpy), a :class:`numpy.random.Generator` (used as is, nothing recorded) or
    ``None``.
    """
    if isinstance(seed, np.random.Generator):
        return seed, None
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise HemesimError(
            f"{name} {short_repr(seed)}: expected an integer >= 0, a numpy Generator or None"
        )
    return np.random.default_rng(int(seed)), int(seed)


def _check_progress(progress: Any) -> Callable[[int], None] | None:
    if progress is not None and not callable(progress):
        raise HemesimError(
            f"progress {short_repr(progress)}: expected a function called with the number of "
            "generations done, or None"
        )
    return progress  # type: ignore[no-any-return]


def _check_initial_frequency(value: Any) -> float | None:
    if value is None:
        return None
    message = f"initial_frequency {short_repr(value)}: expected a number in [0, 1] or None"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise HemesimError(message)
    if not 0.0 <= float(value) <= 1.0:  # NaN fails too
        raise HemesimError(message)
    return float(value)


def _check_replicates(replicates: Any, generations: int) -> int:
    if (
        isinstance(replicates, bool)
        or not isinstance(replicates, numbers.Integral)
        or not 1 <= int(replicates) <= MAX_REPLICATES
    ):
        raise HemesimError(
            f"replicates {short_repr(replicates)}: expected an integer from 1 to {MAX_REPLICATES:,}"
        )
    replicates = int(replicates)
    if replicates * (generations + 1) > MAX_TRAJECTORY_COUNTS:
        raise HemesimError(
            f"replicates {replicates:,} x (generations {generations:,} + 1) = "
            f"{replicates * (generations + 1):,} counts per series: expected at most "
            f"{MAX_TRAJECTORY_COUNTS:,} (the trajectories are kept in memory); use fewer "
            "replicates or generations, or several runs"
        )
    return replicates


def _check_initial(initial: Any, model: PopulationModel, replicates: int) -> dict[str, np.ndarray]:
    """Validated generation-0 counts, each an int64 array of length ``replicates``."""
    if not isinstance(initial, Mapping):
        raise HemesimError(
            f"initial {short_repr(initial)}: expected a dict of generation-0 counts with the keys "
            f"{', '.join(COUNT_FIELDS)}, or None"
        )
    missing = [k for k in COUNT_FIELDS if k not in initial]
    unknown = [k if isinstance(k, str) else short_repr(k) for k in initial if k not in COUNT_FIELDS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise HemesimError(
            f"initial: {'; '.join(parts)}; expected exactly the keys {', '.join(COUNT_FIELDS)}"
        )
    out: dict[str, np.ndarray] = {}
    for key in COUNT_FIELDS:
        value = initial[key]
        arr = None
        if not isinstance(value, (bool, np.bool_)):
            try:
                arr = np.asarray(value)
            except (TypeError, ValueError):
                arr = None
        if (
            arr is None
            or arr.dtype.kind not in "iu"
            or arr.ndim > 1
            or (arr.ndim == 1 and len(arr) != replicates)
        ):
            raise HemesimError(
                f"initial[{key!r}] {short_repr(value)}: expected a whole-number count (an int, or "
                f"integers, one per replicate: {replicates})"
            )
        out[key] = np.broadcast_to(arr.astype(np.int64), (replicates,))
    n_m, n_f = model.n_males, model.n_females
    rules = (
        ("males_affected", out["males_affected"], n_m, f"n_males = {n_m:,}"),
        (
            "males_affected_new_mutation",
            out["males_affected_new_mutation"],
            out["males_affected"],
            "males_affected",
        ),
        (
            "females_heterozygous + females_homozygous",
            out["females_heterozygous"] + out["females_homozygous"],
            n_f,
            f"n_females = {n_f:,}",
        ),
        (
            "females_heterozygous_affected",
            out["females_heterozygous_affected"],
            out["females_heterozygous"],
            "females_heterozygous",
        ),
    )
    for key in COUNT_FIELDS:
        if np.any(out[key] < 0):
            raise HemesimError(
                f"initial[{key!r}]: counts must be >= 0, got {short_repr(initial[key])}"
            )
    for name, value, bound, what in rules:
        bad = np.flatnonzero(value > bound)
        if bad.size:
            i = int(bad[0])
            where = f" (replicate {i})" if replicates > 1 else ""
            raise HemesimError(
                f"initial: {name} = {int(value[i]):,}{where} exceeds {what}; the model "
                f"(size {model.size:,}) has {n_m:,} males and {n_f:,} females per generation"
            )
    return out


@dataclass(frozen=True)
class Trajectories:
    """Counts per replicate and generation (arrays of shape ``(replicates, generations + 1)``).

    Column 0 is generation 0 (the founders; ``males_affected_new_mutation`` is 0 there because
    their origin is not simulated).
    """

    model: PopulationModel
    males_affected: np.ndarray
    males_affected_new_mutation: np.ndarray
    females_heterozygous: np.ndarray
    females_heterozygous_affected: np.ndarray
    females_homozygous: np.ndarray

    @property
    def females_affected(self) -> np.ndarray:
        """Affected females: affected heterozygotes plus all ``aa`` females."""
        return self.females_heterozygous_affected + self.females_homozygous

    @property
    def allele_frequency_male(self) -> np.ndarray:
        """Fraction of males carrying ``a``."""
        return self.males_affected / self.model.n_males

    @property
    def allele_frequency_female(self) -> np.ndarray:
        """Frequency of ``a`` among female X chromosomes, ``(Aa + 2 aa) / (2 n_females)``."""
        return (self.females_heterozygous + 2 * self.females_homozygous) / (
            2 * self.model.n_females
        )


def initial_counts(
    model: PopulationModel,
    rng: np.random.Generator,
    replicates: int = 1,
    initial_frequency: float | None = None,
) -> dict[str, np.ndarray]:
    """Draw generation 0 (counts per replicate).

    With ``initial_frequency=q`` males carry ``a`` with probability q and females are in
    Hardy-Weinberg proportions for q. With ``None`` the deterministic mutation-selection
    equilibrium is used when it exists (no burn-in needed), else q = 0.

    Parameters
    ----------
    model
        The population model.
    rng
        A numpy Generator, or a seed in the forms :func:`run_wright_fisher` takes (an integer
        >= 0 or ``None``).
    replicates
        Number of populations (integer from 1 to :data:`MAX_REPLICATES`).
    initial_frequency
        Starting allele frequency in [0, 1], or ``None`` for the equilibrium.

    Returns
    -------
    dict of str to numpy.ndarray
        One count array of length ``replicates`` per name in ``COUNT_FIELDS``.

    Raises
    ------
    HemesimError
        One line naming the bad argument.
    """
    model = check_model(model)
    generator, _ = _make_rng(rng, "rng")
    replicates = _check_replicates(replicates, 0)
    initial_frequency = _check_initial_frequency(initial_frequency)
    return _initial_counts(model, generator, replicates, initial_frequency)


def _initial_counts(
    model: PopulationModel,
    rng: np.random.Generator,
    replicates: int,
    initial_frequency: float | None,
) -> dict[str, np.ndarray]:
    if initial_frequency is None:
        eq = deterministic_equilibrium(model)
        if eq is None:
            x = y = z = 0.0
        else:
            x = eq.affected_male_frequency
            y = eq.heterozygous_female_frequency
            z = eq.homozygous_female_frequency
    else:
        q = float(initial_frequency)
        x, y, z = q, 2 * q * (1 - q), q * q
    n_m, n_f = model.n_males, model.n_females
    m_a = rng.binomial(n_m, x, size=replicates)
    f_aa = rng.binomial(n_f, z, size=replicates)
    f_Aa = rng.binomial(n_f - f_aa, min(1.0, y / (1 - z)) if z < 1 else 0.0)
    f_Aa_aff = rng.binomial(f_Aa, model.penetrance_female)
    return {
        "males_affected": m_a,
        "males_affected_new_mutation": np.zeros(replicates, dtype=np.int64),
        "females_heterozygous": f_Aa,
        "females_heterozygous_affected": f_Aa_aff,
        "females_homozygous": f_aa,
    }


def run_wright_fisher(
    model: PopulationModel,
    generations: int,
    *,
    seed: int | np.random.Generator | None = None,
    replicates: int = 1,
    initial_frequency: float | None = None,
    initial: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Trajectories:
    """Run ``replicates`` independent Wright-Fisher populations side by side (vectorised).

    Parameters
    ----------
    model
        The validated population model.
    generations
        Number of generations to simulate after generation 0 (integer >= 1).
    seed
        Integer seed >= 0, numpy Generator, or ``None`` (fresh entropy); the same integer seed
        gives identical trajectories.
    replicates
        Number of independent populations, from 1 to :data:`MAX_REPLICATES`, with
        ``replicates x (generations + 1)`` at most :data:`MAX_TRAJECTORY_COUNTS` (checked
        before anything is allocated).
    initial_frequency
        Starting allele frequency in [0, 1], or None for the equilibrium (see
        :func:`initial_counts`). Ignored when ``initial`` is given (but still checked).
    initial
        Explicit generation-0 counts, a dict with exactly the keys of ``COUNT_FIELDS``
        (whole numbers, or integer arrays of length ``replicates``), consistent with the
        model: affected males at most ``n_males``, new-mutation males at most the affected
        ones, heterozygous plus homozygous females at most ``n_females``, affected
        heterozygotes at most the heterozygotes. Used by the exactness tests.
    progress
        Called with the number of generations completed so far (every 64 and at the end);
        a callable or ``None``.

    Returns
    -------
    Trajectories

    Raises
    ------
    HemesimError
        One line naming a bad argument (model, generations, seed, replicates, initial state,
        progress).
    SimulationError
        If every male or every female has fitness 0 (no parent can be drawn).
    """
    model = check_model(model)
    generations = check_generations(generations)
    replicates = _check_replicates(replicates, generations)
    initial_frequency = _check_initial_frequency(initial_frequency)
    progress = _check_progress(progress)
    checked = None if initial is None else _check_initial(initial, model, replicates)
    rng, _ = _make_rng(seed)
    if checked is None:
        start = _initial_counts(model, rng, replicates, initial_frequency)
    else:
        start = checked
    loop = _run_scalar if replicates == 1 else _run_vectorised
    out = loop(model, generations, rng, start, progress)
    return Trajectories(model=model, **out)


#: the fitness fields that decide whether an affected individual of each sex can be a parent
_FITNESS_FIELDS = {"male": "fitness_male", "female": "fitness_female_hom/fitness_female_het"}


def _extinct(t: int, sex: str) -> SimulationError:
    """Every individual of one sex is affected and has fitness 0: no parent can be drawn.

    That happens when the variant has reached (or started at) frequency 1 in that sex and
    affected carriers cannot reproduce. A larger population does not help: at frequency 1 every
    individual carries it whatever the size. What helps is a fitness above 0 for affected
    individuals of that sex, or a start (``initial_frequency``) and mutation rates that leave
    wild-type individuals.
    """
    return SimulationError(
        f"generation {t}: every {sex} is affected and has fitness 0, so no parent can be drawn "
        f"(population extinct); raise {_FITNESS_FIELDS[sex]} above 0, or lower "
        "initial_frequency or the mutation rates (mu_female, mu_male)"
    )


def _run_vectorised(
    model: PopulationModel,
    generations: int,
    rng: np.random.Generator,
    start: dict[str, np.ndarray],
    progress: Callable[[int], None] | None,
) -> dict[str, np.ndarray]:
    """Generation loop over arrays of replicates (one binomial draw per array per step)."""
    replicates = len(start["males_affected"])
    n_m, n_f = model.n_males, model.n_females
    out = {k: np.zeros((replicates, generations + 1), dtype=np.int64) for k in COUNT_FIELDS}
    for k in COUNT_FIELDS:
        out[k][:, 0] = start[k]
    m_a = out["males_affected"][:, 0].astype(float)
    f_Aa = out["females_heterozygous"][:, 0].astype(float)
    f_Aa_aff = out["females_heterozygous_affected"][:, 0].astype(float)
    f_aa = out["females_homozygous"][:, 0].astype(float)
    u, h = model.mu_female, model.penetrance_female
    for t in range(1, generations + 1):
        p_inh, _ = maternal_gamete_probabilities(
            n_f - f_Aa - f_aa, f_Aa - f_Aa_aff, f_Aa_aff, f_aa, model
        )
        p_pat = paternal_gamete_probability(n_m - m_a, m_a, model)
        if np.isnan(p_inh).any() or np.isnan(p_pat).any():
            raise _extinct(t, "female" if np.isnan(p_inh).any() else "male")
        p_mat = p_inh + (1.0 - p_inh) * u
        sons_inh = rng.binomial(n_m, p_inh)
        sons_new = rng.binomial(n_m - sons_inh, u)
        p_aa = p_mat * p_pat
        p_Aa = p_mat * (1.0 - p_pat) + (1.0 - p_mat) * p_pat
        daughters_aa = rng.binomial(n_f, p_aa)
        with np.errstate(invalid="ignore", divide="ignore"):
            cond = np.where(p_aa < 1.0, p_Aa / (1.0 - p_aa), 0.0)
        daughters_Aa = rng.binomial(n_f - daughters_aa, np.clip(cond, 0.0, 1.0))
        daughters_Aa_aff = rng.binomial(daughters_Aa, h)
        out["males_affected"][:, t] = sons_inh + sons_new
        out["males_affected_new_mutation"][:, t] = sons_new
        out["females_heterozygous"][:, t] = daughters_Aa
        out["females_heterozygous_affected"][:, t] = daughters_Aa_aff
        out["females_homozygous"][:, t] = daughters_aa
        m_a = (sons_inh + sons_new).astype(float)
        f_Aa = daughters_Aa.astype(float)
        f_Aa_aff = daughters_Aa_aff.astype(float)
        f_aa = daughters_aa.astype(float)
        if progress is not None and (t % 64 == 0 or t == generations):
            progress(t)
    return out


def _run_scalar(
    model: PopulationModel,
    generations: int,
    rng: np.random.Generator,
    start: dict[str, np.ndarray],
    progress: Callable[[int], None] | None,
) -> dict[str, np.ndarray]:
    """The same generation loop for one population with Python scalars (about 10x less
    overhead per generation). Draws the same random numbers in the same order as
    :func:`_run_vectorised` with one replicate, so both give identical results (tested)."""
    n_m, n_f = model.n_males, model.n_females
    u, h = model.mu_female, model.penetrance_female
    binomial = rng.binomial
    cols: dict[str, list[int]] = {k: [int(start[k][0])] for k in COUNT_FIELDS}
    m_a, f_Aa = cols["males_affected"][0], cols["females_heterozygous"][0]
    f_Aa_aff, f_aa = cols["females_heterozygous_affected"][0], cols["females_homozygous"][0]
    for t in range(1, generations + 1):
        p_inh, _ = maternal_gamete_probabilities(
            float(n_f - f_Aa - f_aa),
            float(f_Aa - f_Aa_aff),
            float(f_Aa_aff),
            float(f_aa),
            model,
        )
        p_pat = paternal_gamete_probability(float(n_m - m_a), float(m_a), model)
        if math.isnan(p_inh) or math.isnan(p_pat):
            raise _extinct(t, "female" if math.isnan(p_inh) else "male")
        p_mat = p_inh + (1.0 - p_inh) * u
        sons_inh = int(binomial(n_m, p_inh))
        sons_new = int(binomial(n_m - sons_inh, u))
        p_aa = p_mat * p_pat
        p_Aa = p_mat * (1.0 - p_pat) + (1.0 - p_mat) * p_pat
        f_aa = int(binomial(n_f, p_aa))
        cond = p_Aa / (1.0 - p_aa) if p_aa < 1.0 else 0.0
        f_Aa = int(binomial(n_f - f_aa, min(max(cond, 0.0), 1.0)))
        f_Aa_aff = int(binomial(f_Aa, h))
        m_a = sons_inh + sons_new
        cols["males_affected"].append(m_a)
        cols["males_affected_new_mutation"].append(sons_new)
        cols["females_heterozygous"].append(f_Aa)
        cols["females_heterozygous_affected"].append(f_Aa_aff)
        cols["females_homozygous"].append(f_aa)
        if progress is not None and (t % 64 == 0 or t == generations):
            progress(t)
    return {k: np.asarray(v, dtype=np.int64)[np.newaxis, :] for k, v in cols.items()}


def _window(generations: int) -> slice:
    """Columns of the last ``ceil(G / 2)`` simulated generations (generation 0 excluded)."""
    return slice(generations + 1 - math.ceil(generations / 2), generations + 1)


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.inf if num > 0 else math.nan


def _batch_means_se(series: np.ndarray, n_batches: int = 20) -> float:
    """Standard error of the mean of an autocorrelated series by non-overlapping batch means."""
    n = len(series) // n_batches
    if n < 1:
        return math.nan
    means = series[: n * n_batches].reshape(n_batches, n).mean(axis=1)
    return float(means.std(ddof=1) / math.sqrt(n_batches))


@dataclass(frozen=True)
class PopulationResult:
    """One simulated population: trajectory, summary over the last half, analytic expectation.

    Attributes
    ----------
    model
        The parameters.
    generations
        Number of simulated generations G (the trajectory has G + 1 rows, generation 0 first).
    seed
        The integer seed that reproduces this result.
    trajectory
        Counts per generation (a :class:`Trajectories` with one replicate).
    provenance
        Provenance record (software, version, parameters, seed, time).
    """

    model: PopulationModel
    generations: int
    seed: int | None
    trajectory: Trajectories
    provenance: dict[str, Any] = field(repr=False)

    def _series(self, name: str) -> np.ndarray:
        return np.asarray(getattr(self.trajectory, name))[0]

    @property
    def window(self) -> slice:
        """Generations summarised: the last ``ceil(G / 2)``."""
        return _window(self.generations)

    @property
    def allele_frequency_male(self) -> float:
        """Mean fraction of males carrying ``a`` over the last half (at birth)."""
        return float(self._series("allele_frequency_male")[self.window].mean())

    @property
    def allele_frequency_female(self) -> float:
        """Mean frequency of ``a`` on female X chromosomes over the last half (at birth)."""
        return float(self._series("allele_frequency_female")[self.window].mean())

    @property
    def affected_males_total(self) -> int:
        """Affected males born over the last half."""
        return int(self._series("males_affected")[self.window].sum())

    @property
    def affected_females_total(self) -> int:
        """Affected females (affected ``Aa`` plus ``aa``) born over the last half."""
        return int(self._series("females_affected")[self.window].sum())

    @property
    def affected_male_new_mutation_fraction(self) -> float:
        """Affected males whose ``a`` arose in the maternal gamete / all affected males (last
        half); ``nan`` if no affected male was born."""
        new = int(self._series("males_affected_new_mutation")[self.window].sum())
        return _ratio(new, self.affected_males_total) if self.affected_males_total else math.nan

    @property
    def affected_male_to_female_ratio(self) -> float:
        """Affected males / affected females born over the last half (equal sex numbers up to
        one); ``inf`` if no affected female was born, ``nan`` if nobody was affected."""
        return _ratio(self.affected_males_total, self.affected_females_total)

    def standard_errors(self) -> dict[str, float]:
        """Batch-means standard errors (20 batches) of the two mean allele frequencies."""
        return {
            name: _batch_means_se(self._series(name)[self.window])
            for name in ("allele_frequency_male", "allele_frequency_female")
        }

    def analytic(self) -> dict[str, Any]:
        """The mutation-selection balance expected for this model (see population_analytic)."""
        lead = leading_order_equilibrium(self.model)
        det = deterministic_equilibrium(self.model)
        return {
            "balance": det is not None,
            "selected_against": balance_exists(self.model),
            "leading_order": None if lead is None else lead.to_dict(),
            "deterministic": None if det is None else det.to_dict(),
            "note": (
                "frequencies at birth per male / per female; leading order in mu (Haldane 1935) "
                "and the exact infinite-population fixed point; null when there is no balance "
                "below fixation: the variant is not selected against (selected_against, "
                "2 - omega (1 + fitness_male) > 0, is false) or mutation outweighs selection; "
                "leading order is also null where its formula exceeds 1"
            ),
        }

    def to_dataframe(self) -> pd.DataFrame:
        """The trajectory, one row per generation (counts and allele frequencies)."""
        import pandas as pd

        tr = self.trajectory
        data: dict[str, Any] = {"generation": np.arange(self.generations + 1)}
        for name in COUNT_FIELDS:
            data[name] = np.asarray(getattr(tr, name))[0]
        data["females_affected"] = tr.females_affected[0]
        data["allele_frequency_male"] = tr.allele_frequency_male[0]
        data["allele_frequency_female"] = tr.allele_frequency_female[0]
        return pd.DataFrame(data)

    def to_dict(self, max_trajectory_rows: int | None = None) -> dict[str, Any]:
        """JSON-ready summary (last half), trajectory, analytic expectation, provenance.

        Parameters
        ----------
        max_trajectory_rows
            ``None`` (default): the trajectory has every generation. An integer >= 2 keeps at
            most that many rows: generation 0, every ``k``-th generation after it and always
            the last (``trajectory_step`` = k), so the output stays bounded for long runs.
            The summary statistics always use every generation.
        """
        frame = self.to_dataframe()
        step = 1
        if max_trajectory_rows is not None:
            if (
                isinstance(max_trajectory_rows, bool)
                or not isinstance(max_trajectory_rows, numbers.Integral)
                or max_trajectory_rows < 2
            ):
                raise HemesimError(
                    f"max_trajectory_rows {short_repr(max_trajectory_rows)}: "
                    "expected an integer >= 2"
                )
            step = max(1, math.ceil(self.generations / (max_trajectory_rows - 1)))
            if step > 1:
                rows = list(range(0, self.generations + 1, step))
                if rows[-1] != self.generations:
                    rows.append(self.generations)
                frame = frame.iloc[rows]
        return {
            "parameters": {**self.model.to_dict(), "generations": self.generations},
            "n_males": self.model.n_males,
            "n_females": self.model.n_females,
            "summary_generations": [self.window.start, self.generations],
            "allele_frequency_male": self.allele_frequency_male,
            "allele_frequency_female": self.allele_frequency_female,
            "standard_error": self.standard_errors(),
            "affected_male_new_mutation_fraction": self.affected_male_new_mutation_fraction,
            "affected_male_to_female_ratio": self.affected_male_to_female_ratio,
            "affected_males_total": self.affected_males_total,
            "affected_females_total": self.affected_females_total,
            "trajectory": {col: frame[col].tolist() for col in frame.columns},
            "trajectory_step": step,
            "analytic": self.analytic(),
            "provenance": self.provenance,
        }


def simulate_population(
    size: int,
    generations: int,
    mu_female: float,
    mu_male: float | None = None,
    fitness_male: float = 0.0,
    fitness_female_het: float = 1.0,
    penetrance_female: float = 0.0,
    *,
    fitness_female_hom: float | None = None,
    seed: int | np.random.Generator | None = None,
    initial_frequency: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> PopulationResult:
    """Simulate an X-linked allele forward in time in a Wright-Fisher population.

    Parameters
    ----------
    size
        Census size N per generation (2 to ``MAX_SIZE`` = 10^12): ``N // 2`` males,
        ``N - N // 2`` females.
    generations
        Number of generations G to simulate (integer from 1 to ``MAX_GENERATIONS`` = 10^6).
    mu_female
        Mutation rate A -> a per maternal gamete per generation, in [0, 1].
    mu_male
        Mutation rate per paternal gamete; ``None`` means equal to ``mu_female``.
    fitness_male
        Relative fitness of affected (hemizygous) males, from 0 to ``MAX_FITNESS`` = 10^6;
        default 0, a genetic lethal.
    fitness_female_het
        Relative fitness of affected heterozygous females, from 0 to ``MAX_FITNESS``.
    penetrance_female
        Probability that a heterozygous female is affected, in [0, 1].
    fitness_female_hom
        Relative fitness of ``aa`` females (always affected); ``None`` = ``fitness_male``.
    seed
        Integer seed (recorded) or numpy Generator; ``None`` draws a seed from OS entropy and
        records it, so every result can be reproduced.
    initial_frequency
        Starting allele frequency in [0, 1]; ``None`` starts at the deterministic equilibrium
        (or at 0 if the variant is not selected against).
    progress
        Optional callable given the number of generations done (or ``None``).

    Returns
    -------
    PopulationResult

    Raises
    ------
    HemesimError
        One line naming the bad field (size, generations, a rate, a fitness, penetrance,
        initial_frequency, seed, progress).
    SimulationError
        If every individual of one sex has fitness 0.

    Examples
    --------
    >>> res = simulate_population(100_000, 200, 1e-3, fitness_male=0.0, seed=1)
    >>> round(res.affected_male_new_mutation_fraction, 1)
    0.3
    """
    generations = check_generations(generations)
    model = PopulationModel(
        size=size,
        mu_female=mu_female,
        mu_male=mu_female if mu_male is None else mu_male,
        fitness_male=fitness_male,
        fitness_female_het=fitness_female_het,
        penetrance_female=penetrance_female,
        fitness_female_hom=fitness_female_hom,
    )
    checked_frequency = _check_initial_frequency(initial_frequency)
    progress = _check_progress(progress)
    rng, recorded_seed = _make_rng(seed)
    trajectory = run_wright_fisher(
        model,
        generations,
        seed=rng,
        initial_frequency=checked_frequency,
        progress=progress,
    )
    from hemesim.provenance import provenance

    params = {
        **model.to_dict(),
        "generations": generations,
        "initial_frequency": initial_frequency,
    }
    return PopulationResult(
        model=model,
        generations=generations,
        seed=recorded_seed,
        trajectory=trajectory,
        provenance=provenance("hemesim.simulate_population", params, recorded_seed),
    )
