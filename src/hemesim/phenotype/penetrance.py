"""Female penetrance: P(disease | xi) and the share of women with the variant who are affected.

**The penetrance** (:attr:`PenetranceResult.penetrance`, the number every surface shows and the
pedigree engine takes) is the share of simulated heterozygous women called XLSA or XLP by the one
disease call, where the women differ as people do (:mod:`hemesim.phenotype.intervals`): their
X-inactivation ratio drawn from the population at their age, their between-person variability,
and the uncertainty of the variant's effect where it rests on a rule default or a measured range.
:func:`predictive_penetrance` computes it; ``predict`` (a woman without ``xi``), ``penetrance``,
``risk --variant``, reports and the web app all call it with the same defaults (2000 women, seed
0 when none is given), so they give the same number.

**The typical woman's curve** (below) is kept beside it: for the typical person of the genotype
(the point clones) ``P(disease | xi)`` is 0 or 1, and its integral over the xi distribution is
:attr:`PenetranceResult.typical_penetrance`.

For a heterozygous woman the model is deterministic given ``xi``: she is affected when her mixed
blood is called XLSA or XLP by :func:`hemesim.phenotype.diagnosis.diagnose` (the one disease call
of every surface, through :func:`hemesim.phenotype.assess.assess`). So ``P(disease | xi)`` is 0 or 1
and the penetrance is the probability mass of the affected ``xi`` under
:func:`hemesim.phenotype.xinactivation.xi_distribution` at the requested age::

    penetrance = integral of 1[affected(xi)] p(xi) dxi

computed exactly from the distribution's CDF between the affected intervals, whose ends are found
by bisection (to 1e-7 in xi). The two clones are simulated once each; every ``xi`` is an analytic
mix (:mod:`hemesim.phenotype.mosaic`). A Monte Carlo estimate with ``seed`` is reported beside the
exact value as a check.

The number :attr:`PenetranceResult.penetrance` is what the pedigree engine takes as its plain-float
heterozygous-female penetrance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import PhenotypeError
from hemesim.phenotype.assess import People, assess
from hemesim.phenotype.clones import CloneBackend, ClonePair, simulate_clones
from hemesim.phenotype.inputs import ResolvedVariant, resolve_variant
from hemesim.phenotype.intervals import PeopleClones, default_people, simulate_people
from hemesim.phenotype.plp_age import cell_factors_at_age
from hemesim.phenotype.vpop import typical_factors
from hemesim.phenotype.xinactivation import XiDistribution, xi_distribution
from hemesim.provenance import provenance

__all__ = [
    "PenetranceResult",
    "penetrance",
    "penetrance_from_clones",
    "clones_by_age",
    "predictive_penetrance",
    "variant_penetrance",
    "women_like_this",
    "REPORT_AGES_YEARS",
    "DEFAULT_WOMEN",
    "DEFAULT_SEED",
]

#: Women simulated for the penetrance (Monte Carlo SE at most 0.011).
DEFAULT_WOMEN = 2000
#: Seed used when none is given, so that every surface shows the same penetrance.
DEFAULT_SEED = 0

REPORT_AGES_YEARS: tuple[float, ...] = (25.0, 40.0, 65.0, 80.0)
_GRID_POINTS = 401


def _women(clones: ClonePair, xi: NDArray[np.float64], mechanism: str) -> People:
    return assess(
        clones.mutant,
        clones.normal,
        xi,
        sex="female",
        mechanism=mechanism,
        epo_gain=clones.epo_gain,
    )


def _affected(clones: ClonePair, xi: NDArray[np.float64], mechanism: str) -> NDArray[np.bool_]:
    return _women(clones, xi, mechanism).affected


def _affected_intervals(
    clones: ClonePair, mechanism: str, n_grid: int = _GRID_POINTS
) -> list[tuple[float, float]]:
    """Intervals of xi where a heterozygous woman is affected, ends refined by bisection."""
    grid = np.linspace(0.0, 1.0, n_grid)
    mask = _affected(clones, grid, mechanism)

    def refine(lo: float, hi: float, lo_state: bool) -> float:
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if bool(_affected(clones, np.array([mid]), mechanism)[0]) == lo_state:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    intervals: list[tuple[float, float]] = []
    start: float | None = 0.0 if mask[0] else None
    for i in range(1, n_grid):
        if mask[i] != mask[i - 1]:
            edge = refine(float(grid[i - 1]), float(grid[i]), bool(mask[i - 1]))
            if mask[i]:
                start = edge
            else:
                intervals.append((float(start if start is not None else 0.0), edge))
                start = None
    if start is not None:
        intervals.append((float(start), 1.0))
    return intervals


def _mass(dist: XiDistribution, intervals: list[tuple[float, float]]) -> float:
    total = 0.0
    for lo, hi in intervals:
        total += float(dist.cdf(hi)) - (float(dist.cdf(lo)) if lo > 0.0 else 0.0)
    return min(max(total, 0.0), 1.0)


@dataclass(frozen=True)
class PenetranceResult:
    """Female penetrance of one variant.

    Attributes
    ----------
    variant
        Variant label.
    penetrance
        P(disease) for a heterozygous woman at ``age_years`` (0..1): the share of simulated women
        with the variant called XLSA or XLP (see the module docstring); the pedigree engine's
        number. (:func:`penetrance_from_clones` alone gives the typical woman's value here.)
    typical_penetrance, typical_by_age
        The typical woman's penetrance (point clones, exact over xi), when the predictive one
        was computed.
    spread
        What the simulated women differ in, their number and seed.
    age_years
        Age the xi distribution refers to (years).
    by_age
        Penetrance at each age in :data:`REPORT_AGES_YEARS` (age -> probability).
    affected_xi_intervals
        Ranges of xi (fraction of cells with the variant X active) where a woman is affected.
    male_affected
        Whether the hemizygous man (xi = 1) is called XLSA or XLP.
    disease
        ``XLSA``, ``XLP`` or ``none``: the disease an affected carrier has.
    xi_grid, hb_g_dl, ep_total_ug_dl_rbc, affected
        P(disease | xi) curve and the readouts behind it.
    monte_carlo
        ``{"n", "seed", "estimate", "standard_error"}`` from sampling women.
    """

    variant: str
    penetrance: float
    age_years: float
    by_age: dict[float, float]
    affected_xi_intervals: list[tuple[float, float]]
    male_affected: bool
    disease: str
    xi_grid: NDArray[np.float64]
    hb_g_dl: NDArray[np.float64]
    ep_total_ug_dl_rbc: NDArray[np.float64]
    affected: NDArray[np.bool_]
    monte_carlo: dict[str, Any]
    distribution: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)
    criteria: dict[str, Any] = field(default_factory=dict)
    typical_penetrance: float | None = None
    typical_by_age: dict[float, float] | None = None
    spread: dict[str, Any] | None = None

    def __float__(self) -> float:
        return float(self.penetrance)

    def to_dataframe(self) -> Any:
        """P(disease | xi) curve as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(
            {
                "xi": self.xi_grid,
                "hb_g_dl": self.hb_g_dl,
                "ep_total_ug_dl_rbc": self.ep_total_ug_dl_rbc,
                "p_disease": self.affected.astype(float),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (curve subsampled to 51 points)."""
        step = max(1, (len(self.xi_grid) - 1) // 50)
        return {
            "variant": self.variant,
            "penetrance": self.penetrance,
            "age_years": self.age_years,
            "by_age": {f"{k:g}": v for k, v in self.by_age.items()},
            "typical_penetrance": self.typical_penetrance,
            "typical_by_age": None
            if self.typical_by_age is None
            else {f"{k:g}": v for k, v in self.typical_by_age.items()},
            "women_simulated": self.spread,
            "disease": self.disease,
            "male_affected": self.male_affected,
            "affected_xi_intervals": [list(iv) for iv in self.affected_xi_intervals],
            "criteria": self.criteria,
            "curve": {
                "xi": self.xi_grid[::step].tolist(),
                "p_disease": self.affected[::step].astype(float).tolist(),
                "hb_g_dl": self.hb_g_dl[::step].tolist(),
                "ep_total_ug_dl_rbc": self.ep_total_ug_dl_rbc[::step].tolist(),
            },
            "monte_carlo": self.monte_carlo,
            "xi_distribution": self.distribution,
            "provenance": self.provenance,
        }


def clones_by_age(
    effect: Any,
    treatment_factors: Mapping[str, float],
    *,
    treatment: str,
    backend: CloneBackend | None = None,
    person_factors: Mapping[str, float] | None = None,
) -> dict[float, ClonePair]:
    """The typical woman's clones at each age of :data:`REPORT_AGES_YEARS`, with the vitamin B6
    status of the age on PLP (:mod:`hemesim.phenotype.plp_age`; cached, so ages with the same
    factor cost one simulation).

    Parameters
    ----------
    effect
        The variant's :class:`~hemesim.variants.effect_types.Effect`.
    treatment_factors, treatment
        The treatment's erythroblast factors (without the age factor) and its name.
    backend
        Model access (default: the per-process model).
    person_factors
        The typical woman's own factors (:func:`hemesim.phenotype.vpop.typical_factors`), as
        the clones at the requested age were simulated with; ``None``: none.
    """
    return {
        a: simulate_clones(
            effect,
            treatment_factors={
                **(person_factors or {}),
                **cell_factors_at_age(
                    treatment_factors, treatment=treatment, age_years=a, sex="female"
                ),
            },
            backend=backend,
        )
        for a in REPORT_AGES_YEARS
    }


def penetrance_from_clones(
    clones: ClonePair,
    *,
    variant: str = "variant",
    mechanism: str = "loss_of_function",
    age_years: float | None = None,
    seed: int | np.random.Generator | None = None,
    n_women: int = 4000,
    xi_sample: NDArray[np.float64] | None = None,
    clones_at_ages: Mapping[float, ClonePair] | None = None,
) -> PenetranceResult:
    """Penetrance from two simulated clones (no simulation happens here).

    Parameters
    ----------
    clones
        Mutant and normal clone endpoints.
    variant
        Label for output.
    mechanism
        The variant's mechanism class (:func:`hemesim.phenotype.diagnosis.mechanism_of`):
        which disease criteria apply.
    age_years
        Age for the xi distribution (years); default 40.
    seed
        Seed for the Monte Carlo check.
    n_women
        Women sampled for the Monte Carlo check (>= 1).
    xi_sample
        The women's xi values (fraction of erythroid cells with the variant X active) already
        drawn from this age's distribution with ``seed``, when the caller uses the same women
        for other summaries; ``n_women`` must be its length. ``None`` draws them here.
    clones_at_ages
        The clones at each age of :data:`REPORT_AGES_YEARS` (:func:`clones_by_age`: the PLP
        of the age differs), for ``by_age``; ``None``: ``clones`` at every age.
    """
    dist = xi_distribution(age_years)
    intervals = _affected_intervals(clones, mechanism)
    p = _mass(dist, intervals)
    intervals_of_pair: dict[int, list[tuple[float, float]]] = {id(clones): intervals}
    by_age: dict[float, float] = {}
    for a in REPORT_AGES_YEARS:
        pair = clones if clones_at_ages is None else clones_at_ages.get(a, clones)
        if id(pair) not in intervals_of_pair:
            intervals_of_pair[id(pair)] = _affected_intervals(pair, mechanism)
        by_age[a] = _mass(xi_distribution(a), intervals_of_pair[id(pair)])

    grid = np.linspace(0.0, 1.0, _GRID_POINTS)
    women = _women(clones, grid, mechanism)
    affected = women.affected
    man = assess(
        clones.mutant,
        clones.normal,
        [1.0],
        sex="male",
        mechanism=mechanism,
        epo_gain=clones.epo_gain,
    )
    calls = set(women.diagnosis.calls.tolist()) | set(man.diagnosis.calls.tolist())
    disease = "XLP" if "XLP" in calls else ("XLSA" if "XLSA" in calls else "none")

    sample = dist.sample(n_women, seed) if xi_sample is None else np.asarray(xi_sample, float)
    if sample.shape != (n_women,):
        raise PhenotypeError(f"xi_sample: expected {n_women} values (n_women), got {sample.shape}")
    hits = _affected(clones, sample, mechanism)
    est = float(hits.mean())
    mc = {
        "n": int(n_women),
        "seed": seed if isinstance(seed, int) or seed is None else "generator",
        "estimate": est,
        "standard_error": float(np.sqrt(max(est * (1 - est), 0.0) / n_women)),
    }
    return PenetranceResult(
        variant=variant,
        penetrance=p,
        age_years=dist.age_years,
        by_age=by_age,
        affected_xi_intervals=intervals,
        male_affected=bool(man.affected[0]),
        disease=disease,
        xi_grid=grid,
        hb_g_dl=women.blood["hb_g_dl"],
        ep_total_ug_dl_rbc=women.blood["ep_total_ug_dl_rbc"],
        affected=affected,
        monte_carlo=mc,
        distribution=dist.to_dict(),
        provenance=provenance(
            "hemesim.phenotype.penetrance",
            {"variant": variant, "age_years": dist.age_years, "n_women": int(n_women)},
            seed if isinstance(seed, int) else None,
        ),
        criteria={
            "function": "hemesim.phenotype.diagnosis.diagnose",
            "mechanism": mechanism,
            "thresholds": women.diagnosis.thresholds,
        },
    )


def women_like_this(
    resolved: ResolvedVariant,
    *,
    treatment_factors: dict[str, float] | None = None,
    n_women: int = DEFAULT_WOMEN,
    seed: int | np.random.Generator | None = None,
    epo_gain: float = 0.0,
) -> PeopleClones:
    """The clones of ``n_women`` heterozygous women with the variant (see
    :mod:`hemesim.phenotype.intervals`); ``seed`` ``None`` means :data:`DEFAULT_SEED`."""
    return simulate_people(
        resolved.effect,
        sex="female",
        treatment_factors=treatment_factors,
        n=n_women,
        seed=_int_seed(seed),
        people=default_people(),
        epo_gain=epo_gain,
    )


def _int_seed(seed: int | np.random.Generator | None) -> int:
    if seed is None:
        return DEFAULT_SEED
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**31 - 1))
    return int(seed)


def predictive_penetrance(
    women: PeopleClones,
    *,
    mechanism: str,
    age_years: float | None,
    seed: int | np.random.Generator | None = None,
) -> tuple[float, float, NDArray[np.float64]]:
    """Share of the simulated women called XLSA or XLP at an age.

    Parameters
    ----------
    women
        Their clones (:func:`women_like_this`).
    mechanism
        The variant's mechanism class.
    age_years
        Age for the X-inactivation distribution (years; default 40).
    seed
        Seed of the women's xi draws (``None``: :data:`DEFAULT_SEED`).

    Returns
    -------
    tuple
        ``(penetrance, standard error, xi of each woman)``.
    """
    xis = xi_distribution(age_years).sample(women.n, _int_seed(seed))
    affected = women.people(xis, sex="female", mechanism=mechanism).affected
    p = float(np.mean(affected))
    return p, float(np.sqrt(max(p * (1 - p), 0.0) / women.n)), xis


def penetrance(
    variant: Any,
    *,
    seed: int | np.random.Generator | None = None,
    age_years: float | None = None,
    n_women: int = DEFAULT_WOMEN,
    treatment: str = "none",
    backend: CloneBackend | None = None,
) -> PenetranceResult:
    """Disease probability of a heterozygous woman, as a function of xi and over the population.

    Parameters
    ----------
    variant
        HGVS text, a ``VariantReport`` or an :class:`~hemesim.variants.effect_types.Effect`.
    seed
        Seed of the simulated women (``None``: :data:`DEFAULT_SEED`, so that every surface
        shows the same number).
    age_years
        Age (years; default 40): the X-inactivation distribution and the vitamin B6 status of
        the age (:mod:`hemesim.phenotype.plp_age`, on PLP; not under pyridoxine).
    n_women
        Women simulated (default 2000).
    treatment
        ``none`` | ``pyridoxine`` | ``chelation`` | ``phlebotomy`` | ``iron`` (erythroblast
        effects only).
    backend
        Model access for the typical woman's curve (default: the per-process roadrunner model);
        with a stand-in backend only the typical woman's penetrance is computed.

    Returns
    -------
    PenetranceResult
        ``float(result)`` is the penetrance.

    Examples
    --------
    >>> from hemesim.phenotype.penetrance import penetrance
    >>> p = penetrance("c.1354C>T", seed=1)  # doctest: +SKIP
    >>> 0.0 <= float(p) <= 1.0  # doctest: +SKIP
    True
    """
    from hemesim.phenotype.treatments import check_offered, get_treatment
    from hemesim.phenotype.xinactivation import seeded_rng, validate_n_women

    # every argument is checked before the simulations
    validate_n_women(n_women)
    seeded_rng(seed)
    xi_distribution(age_years)
    resolved = resolve_variant(variant).require_quantified()
    treat = get_treatment(treatment)
    check_offered(treat, resolved.disease)
    # the typical woman (her Hb set point, phenotype.vpop.typical_factors); none for a stand-in
    sex_factors = typical_factors("female") if backend is None else {}
    factors = cell_factors_at_age(
        treat.cell_factors, treatment=treat.name, age_years=age_years, sex="female"
    )
    clones = simulate_clones(
        resolved.effect, treatment_factors={**sex_factors, **factors}, backend=backend
    )
    typical = penetrance_from_clones(
        clones,
        variant=resolved.label,
        mechanism=resolved.mechanism,
        age_years=age_years,
        seed=_int_seed(seed),
        n_women=n_women,
        clones_at_ages=clones_by_age(
            resolved.effect,
            treat.cell_factors,
            treatment=treat.name,
            backend=backend,
            person_factors=sex_factors,
        ),
    )
    if backend is not None:  # a stand-in model: no batched engine for the predictive share
        return typical
    return with_predictive(
        typical, resolved, treat.cell_factors, n_women, seed, clones.epo_gain, treatment=treat.name
    )


def with_predictive(
    typical: PenetranceResult,
    resolved: ResolvedVariant,
    treatment_factors: dict[str, float],
    n_women: int,
    seed: int | np.random.Generator | None,
    epo_gain: float,
    *,
    treatment: str = "none",
) -> PenetranceResult:
    """``typical`` (the typical woman's result) with the predictive penetrance in front.

    ``treatment_factors`` are the treatment's (named ``treatment``) without the age factor:
    the women at each age get the PLP of that age (:mod:`hemesim.phenotype.plp_age`).
    """

    def women_at(age: float, women_seed: int | np.random.Generator | None) -> PeopleClones:
        return women_like_this(
            resolved,
            treatment_factors=cell_factors_at_age(
                treatment_factors, treatment=treatment, age_years=age, sex="female"
            ),
            n_women=n_women,
            seed=women_seed,
            epo_gain=epo_gain,
        )

    women = women_at(typical.age_years, seed)
    p, se, _ = predictive_penetrance(
        women, mechanism=resolved.mechanism, age_years=typical.age_years, seed=seed
    )
    by_age = {
        # the same people (women.seed) at each age, with the PLP of the age
        a: predictive_penetrance(
            women_at(a, women.seed), mechanism=resolved.mechanism, age_years=a, seed=seed
        )[0]
        for a in REPORT_AGES_YEARS
    }
    return replace(
        typical,
        penetrance=p,
        by_age=by_age,
        typical_penetrance=typical.penetrance,
        typical_by_age=dict(typical.by_age),
        monte_carlo={"n": women.n, "seed": women.seed, "estimate": p, "standard_error": se},
        spread={
            "n": women.n,
            "seed": women.seed,
            "varies": ["X-inactivation (population at the age)", *women.sources_of_spread],
        },
    )


def variant_penetrance(
    variant: Any,
    *,
    compute: bool = True,
    disease_given: bool = False,
    age_years: float | None = None,
    treatment: str = "none",
) -> dict[str, Any]:
    """Female penetrance and disease of a variant for the pedigree engine (plain numbers).

    The one source of the variant-specific penetrance that family risks use (``hemesim risk
    --variant``, ``hemesim report --ped``, the web family page): :func:`penetrance` with its
    defaults (2000 women, seed 0), so every surface gives the same number.

    Parameters
    ----------
    variant
        HGVS text or a ``VariantReport``.
    compute
        Predict the penetrance (``False`` when the user gives one: ``penetrance_female`` is
        then ``None`` and the user's value is used).
    disease_given
        The user gave the disease: needed for a variant of uncertain effect.
    age_years, treatment
        As :func:`penetrance`.

    Returns
    -------
    dict
        ``input, hgvs_c, hgvs_p, effect_class, disease ("xlsa" | "xlp" | None),
        penetrance_female, age_years, treatment, source``.

    Raises
    ------
    PhenotypeError
        A variant whose effect no rule or record quantifies, unless the user gives both the
        penetrance and the disease.
    """
    resolved = resolve_variant(variant)
    report = resolved.report or {}
    if resolved.is_unquantified and (compute or not disease_given):
        raise PhenotypeError(
            f"variant {resolved.label!r}: its effect on ALAS2 is uncertain "
            f"({resolved.effect.rationale.removeprefix('no rule applies: ')[:120]}), so hemesim "
            "cannot predict the female penetrance or the disease; give the penetrance and the "
            "disease (xlsa or xlp) yourself"
        )
    disease = {"XLSA": "xlsa", "XLP": "xlp"}.get(resolved.disease or "")
    if disease is None and not resolved.is_unquantified:
        disease = "xlp" if resolved.effect.effect_class == "gain_of_function" else "xlsa"
    value = None
    if compute:
        value = float(penetrance(variant, age_years=age_years, treatment=treatment))
    return {
        "input": resolved.label,
        "hgvs_c": report.get("hgvs_c"),
        "hgvs_p": report.get("hgvs_p"),
        "effect_class": resolved.effect.effect_class,
        "disease": None if resolved.is_unquantified else disease,
        "penetrance_female": value,
        "age_years": xi_distribution(age_years).age_years,
        "treatment": treatment,
        "source": "hemesim.phenotype.penetrance.penetrance (2000 simulated women, seed 0)"
        if compute
        else "given by the user",
    }
