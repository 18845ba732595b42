"""Virtual cohorts: many people with (or without) one ALAS2 variant, on the batched engine.

A cohort answers "what is the spread of outcomes?" for one variant. Each person is

* a member of the calibrated virtual population of healthy adults of the sex (the default
  spread, ``population=True``; :mod:`hemesim.phenotype.vpop`): their own iron supply, ALAS2 and
  globin synthesis, Hb set point and red-cell size, and their own within-clone RDW,
* for women, an X-inactivation ratio ``xi``
  (:func:`hemesim.phenotype.xinactivation.xi_distribution`),
* with ``uncertainty=True`` only, a draw of the model's uncertain parameters from their documented
  log-normal priors (:mod:`hemesim.simulate.priors`) on top: epistemic uncertainty, labelled
  ``spread = "population+parameter-uncertainty"`` (or ``"parameter-uncertainty"`` with
  ``population=False``) in every output, never presented as people.

The variant acts on each person's own values (its factor times the member's value). Men are one
parameter set each. A woman is TWO sets sharing her person draw: the mutant clone (the variant's
overrides) and the normal clone, mixed over her ``xi`` by the same rules as a single prediction
(:func:`hemesim.phenotype.mosaic.mix_arrays`). Without parameter uncertainty people who share a
member share its simulations, so any ``n`` costs at most one simulation per distinct member and
clone. ``variant=None`` simulates people without an ALAS2 variant (the healthy population).

Simulation runs through :func:`hemesim.simulate.cohort.run_cohort` (the batched engine generated
from the model's SBML), locally or on Dask (``scheduler``), seeded so that the result is identical
however it is chunked or distributed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from hemesim.errors import PhenotypeError
from hemesim.phenotype.clones import simulate_clones
from hemesim.phenotype.diagnosis import diagnose
from hemesim.phenotype.grading import validate_sex
from hemesim.phenotype.inputs import resolve_variant
from hemesim.phenotype.iron_delivery import IRON_SUPPLY_PARAMETER
from hemesim.phenotype.mosaic import WITHIN_CLONE_CV, mix_arrays
from hemesim.phenotype.plp_age import cell_factors_at_age, plp_age_factor
from hemesim.phenotype.readouts import READOUT_UNITS
from hemesim.phenotype.treatments import get_treatment
from hemesim.phenotype.vpop import typical_factors
from hemesim.phenotype.xinactivation import xi_distribution
from hemesim.provenance import provenance
from hemesim.safe_io import atomic_output, csv_safe, os_error_reason

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_COHORT",
    "NO_VARIANT_LABEL",
    "SPREADS",
    "SUMMARY_READOUTS",
    "VirtualCohort",
    "virtual_cohort",
]

MAX_COHORT = 10_000_000
"""Largest cohort accepted in one call (people)."""

SUMMARY_READOUTS = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "mchc_g_dl",
    "rdw_cv_percent",
    "ep_total_ug_dl_rbc",
    "znpp_umol_mol_heme",
    "znpp_fraction",
    "mito_iron_index",
)
QUANTILES = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)


@dataclass(frozen=True)
class VirtualCohort:
    """One row per simulated person, with summaries.

    Attributes
    ----------
    table
        ``member`` (the person's row of the virtual population), ``xi`` (women), the blood
        readouts (units in :attr:`units`) and ``disease``.
    variant, sex, seed, uncertainty, treatment
        The request.
    elapsed_s
        Wall time of the simulation (s).
    units
        Readout -> unit.
    """

    table: pd.DataFrame
    variant: str
    sex: str
    seed: int
    uncertainty: bool
    treatment: str
    elapsed_s: float
    units: dict[str, str]
    meta: dict[str, Any]

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.table)

    @property
    def spread(self) -> str:
        """What varies between rows: ``population``, ``population+parameter-uncertainty``,
        ``parameter-uncertainty`` or ``none`` (:data:`SPREADS`)."""
        return str(self.meta.get("spread", "none"))

    def to_dataframe(self) -> pd.DataFrame:
        """The per-person table (a copy)."""
        return self.table.copy()

    def quantiles(self) -> dict[str, dict[str, float]]:
        """Summary quantiles of each readout: ``{readout: {"q02.5": ..., "q50": ...}}``."""
        out: dict[str, dict[str, float]] = {}
        for key in SUMMARY_READOUTS:
            values = self.table[key].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if values.size:
                out[key] = {_qname(q): float(np.quantile(values, q)) for q in QUANTILES}
        return out

    @property
    def n_failed(self) -> int:
        """People whose simulation failed (left out of shares and quantiles)."""
        return int((self.table["disease"] == "failed").sum())

    def disease_shares(self) -> dict[str, float]:
        """Fraction of the successfully simulated people in each disease call."""
        calls = self.table["disease"]
        counts = calls[calls != "failed"].value_counts(normalize=True)
        return {str(k): float(v) for k, v in counts.items()}

    def write(self, path: str | Path) -> Path:
        """Write the per-person table as Parquet (``.parquet``) or CSV (``.csv``)."""
        p = Path(path)
        if p.suffix.lower() not in (".parquet", ".csv"):
            raise PhenotypeError(f"--out {str(p)!r}: expected a .parquet or .csv file name")
        try:
            with atomic_output(p) as tmp:  # no partial file on failure
                if p.suffix.lower() == ".parquet":
                    self.table.to_parquet(tmp, index=False)
                else:
                    csv_safe(self.table).to_csv(tmp, index=False)
        except OSError as exc:
            reason = os_error_reason(exc)
            raise PhenotypeError(f"--out {str(p)!r} cannot be written ({reason})") from None
        return p

    def to_dict(self) -> dict[str, Any]:
        """JSON summary: request, quantiles with units, disease shares, provenance."""
        return {
            "variant": self.variant,
            "sex": self.sex,
            "n": self.n,
            "spread": self.spread,
            "uncertainty": self.uncertainty,
            "treatment": self.treatment,
            "quantiles": self.quantiles(),
            "units": {k: self.units.get(k, "") for k in SUMMARY_READOUTS},
            "disease_shares": self.disease_shares(),
            "n_failed": self.n_failed,
            "penetrance": (
                self.disease_shares().get("XLSA", 0.0) + self.disease_shares().get("XLP", 0.0)
                if self.sex == "female" and self.variant != NO_VARIANT_LABEL
                else None
            ),
            "elapsed_s": self.elapsed_s,
            **self.meta,
            "provenance": provenance(
                "hemesim.phenotype.virtual_cohort",
                {
                    "variant": self.variant,
                    "sex": self.sex,
                    "n": self.n,
                    "spread": self.spread,
                    "uncertainty": self.uncertainty,
                    "treatment": self.treatment,
                },
                self.seed,
            ),
        }


def _qname(q: float) -> str:
    """``0.025 -> "q2.5"``, ``0.5 -> "q50"``."""
    return f"q{q * 100:g}"


SPREADS = {
    (True, False): "population",
    (True, True): "population+parameter-uncertainty",
    (False, True): "parameter-uncertainty",
    (False, False): "none",
}
"""``(population, uncertainty) -> spread`` label carried by every cohort output."""

SPREAD_TEXT = {
    "population": "between-person variability of healthy adults (calibrated virtual population)",
    "population+parameter-uncertainty": (
        "between-person variability, and on top of it the model's parameter (epistemic) "
        "uncertainty: the spread is wider than between people"
    ),
    "parameter-uncertainty": (
        "model parameter (epistemic) uncertainty around one typical person: NOT a population"
    ),
    "none": "one typical person (default parameters); only X-inactivation varies",
}

NO_VARIANT_LABEL = "none (no ALAS2 variant)"


def virtual_cohort(
    variant: Any = None,
    sex: str = "male",
    n: int = 1000,
    *,
    seed: int = 0,
    uncertainty: bool = False,
    population: bool = True,
    treatment: str = "none",
    age_years: float | None = None,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> VirtualCohort:
    """Simulate ``n`` people carrying one ALAS2 variant, or none.

    Parameters
    ----------
    variant
        HGVS text, a ``VariantReport`` or an ``Effect``; ``None`` for people without an ALAS2
        variant (the healthy population).
    sex
        ``"male"`` (hemizygous men) or ``"female"`` (heterozygous women, ``xi`` sampled).
    n
        Number of people (1 .. :data:`MAX_COHORT`).
    seed
        Seed of every random draw (people, ``xi`` and parameter priors).
    uncertainty
        Also sample the uncertain model parameters from their documented log-normal priors
        (epistemic uncertainty, labelled as such in every output; never a population).
    population
        Draw each person from the calibrated virtual population of the sex
        (:mod:`hemesim.phenotype.vpop`); ``False`` for one typical person (default parameters).
    treatment
        ``none`` | ``pyridoxine`` | ``chelation`` | ``phlebotomy`` (erythroblast effects).
    age_years
        Age (years): the vitamin B6 status of the age on PLP (:mod:`hemesim.phenotype.plp_age`)
        and, for women, the X-inactivation distribution (default 40 y; no age: young-adult PLP).
    scheduler
        ``None`` (this process), ``"local"`` (Dask LocalCluster) or a scheduler address.
    progress
        ``progress(done, total)`` after each chunk of simulations.

    Returns
    -------
    VirtualCohort
    """
    from hemesim.model import effect_overrides, load_definition
    from hemesim.simulate.dask_runner import check_scheduler

    check_scheduler(scheduler)  # also where the female cohort needs only two simulations
    if age_years is not None:
        xi_distribution(age_years)  # a bad age is an error for men too, not ignored

    s = validate_sex(sex)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_COHORT:
        raise PhenotypeError(f"n {n!r}: expected a whole number from 1 to {MAX_COHORT:,}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise PhenotypeError(f"seed {seed!r}: expected a whole number >= 0")
    if not isinstance(uncertainty, bool | np.bool_):
        raise PhenotypeError(f"uncertainty {uncertainty!r}: expected True or False")
    if not isinstance(population, bool | np.bool_):
        raise PhenotypeError(f"population {population!r}: expected True or False")
    n, seed = int(n), int(seed)
    if variant is None:
        from hemesim.phenotype.inputs import ResolvedVariant
        from hemesim.variants.effect_types import Effect

        resolved = ResolvedVariant(label=NO_VARIANT_LABEL, effect=Effect())
    else:
        resolved = resolve_variant(variant).require_quantified()
    treat = get_treatment(treatment)
    if treat.name != "none" and not treat.cell_factors:
        raise PhenotypeError(
            f"treatment {treat.name!r} acts on body iron over years, which a cohort of "
            "erythroblasts does not simulate; use --treat none|pyridoxine here, or "
            f"hemesim variant HGVS --sex ... --treat {treat.name}"
        )
    definition = load_definition("erythroid")
    base: dict[str, float] = {
        str(k): float(v)
        for k, v in zip(definition.parameters["name"], definition.parameters["value"], strict=True)
    }
    # one typical person (population=False) is the typical person of the sex, as in predict;
    # the age's vitamin B6 status on PLP (hemesim.phenotype.plp_age), as in predict
    cell_factors = {
        **(typical_factors(s) if not population else {}),
        **cell_factors_at_age(treat.cell_factors, treatment=treat.name, age_years=age_years, sex=s),
    }
    normal = {k: base[k] * f for k, f in cell_factors.items()}
    mutant = {**effect_overrides(resolved.effect, definition)}
    for k, f in cell_factors.items():
        mutant[k] = mutant.get(k, base[k]) * f
    # the erythron's transferrin iron delivery (phenotype.iron_delivery): every person's variant
    # clone takes the typical person's share (the intervals find it person by person)
    share = simulate_clones(resolved.effect, treatment_factors=cell_factors).iron_share
    if share < 1.0:
        mutant[IRON_SUPPLY_PARAMETER] = (
            mutant.get(IRON_SUPPLY_PARAMETER, base[IRON_SUPPLY_PARAMETER]) * share
        )
    epo_gain = float(base.get("EPO.gain", 0.0))
    units = dict(definition.units)
    units.update({k: READOUT_UNITS[k] for k in ("ep_total_ug_dl_rbc", "rdw_cv_percent")})
    spread = SPREADS[(bool(population), bool(uncertainty))]
    pop = _Population.load(s, seed, bool(population), definition.sbml)
    dist = xi_distribution(age_years) if s == "female" else None
    started = time.perf_counter()

    clones = [mutant] if s == "male" else [mutant, normal]
    if not uncertainty:
        per_person, people, sims = _population_clones(
            pop, clones, base, n, dist, scheduler, progress
        )
    else:
        per_person, people, sims = _uncertain_clones(
            pop, clones, base, definition, n, dist, scheduler, progress
        )
    # mix_arrays is elementwise: a per-person base CV array broadcasts like the scalar
    cv = cast(float, people["within_clone_cv"])
    if dist is None:
        blood = mix_arrays(per_person[0], per_person[0], np.ones(n), base_cv=cv)
    else:
        blood = mix_arrays(
            per_person[0], per_person[1], people["xi"], epo_gain=epo_gain, base_cv=cv
        )
    meta: dict[str, Any] = {"simulations": int(sims), "iron_share": share}
    import pandas as pd

    table = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in blood.items()})
    # the one disease call of every surface (hemesim.phenotype.diagnosis)
    calls = diagnose(blood, sex=s, mechanism=resolved.mechanism).calls
    if s == "male":
        table = table.drop(
            columns=[
                c
                for c in ("xi", "mutant_rbc_fraction", "mcv_normal_clone_fl", "dimorphic")
                if c in table.columns
            ]
        )
    table["mchc_g_dl"] = 100.0 * table["mch_pg"] / table["mcv_fl"]
    if population:
        table.insert(0, "member", people["member"])
    table["disease"] = calls
    meta["spread"] = spread
    meta["spread_description"] = SPREAD_TEXT[spread]
    meta["population"] = pop.info
    meta["plp_age"] = plp_age_factor(age_years, s).to_dict()
    return VirtualCohort(
        table=table,
        variant=resolved.label,
        sex=s,
        seed=seed,
        uncertainty=bool(uncertainty),
        treatment=treat.name,
        elapsed_s=time.perf_counter() - started,
        units=units,
        meta=meta,
    )


@dataclass(frozen=True)
class _Population:
    """The virtual population a cohort draws from (or one typical person), and its seeds."""

    sex: str
    pool: dict[str, np.ndarray]
    size: int
    rdw_median_percent: float
    rdw_sdlog: float
    seed: int
    info: dict[str, Any]

    @staticmethod
    def load(sex: str, seed: int, population: bool, sbml: str) -> _Population:
        if not population:
            return _Population(sex, {}, 1, 100.0 * WITHIN_CLONE_CV, 0.0, seed, {"used": False})
        from hemesim.phenotype.vpop import load_calibration, model_hash

        cal = load_calibration(sex)
        info = {
            "used": True,
            "members": cal.size,
            "parameters": list(cal.names),
            "method": "Allen et al., CPT Pharmacometrics Syst Pharmacol 2016;5:140",
            "calibration_model_sha256": cal.model_sha256,
            "calibration_matches_model": cal.model_sha256 == model_hash(sbml),
        }
        pool = {name: cal.column(name) for name in cal.names}
        return _Population(sex, pool, cal.size, cal.rdw_median_percent, cal.rdw_sdlog, seed, info)

    def people(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``n`` people: member index and within-clone MCV coefficient of variation each."""
        member = rng.integers(0, self.size, size=n)
        cv = self.rdw_median_percent / 100.0 * np.exp(self.rdw_sdlog * rng.standard_normal(n))
        return member, cv

    def values(self, name: str, base: Mapping[str, float], member: np.ndarray) -> np.ndarray:
        """Each person's own value of a parameter (the member's, or the table value)."""
        if name in self.pool:
            return self.pool[name][member]
        return np.full(member.size, float(base[name]))


def _clone_columns(
    pop: _Population,
    clones: list[dict[str, float]],
    base: Mapping[str, float],
    member: np.ndarray,
    extra: Mapping[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Rows ``[clone_0(person_0), clone_1(person_0), clone_0(person_1), ...]``.

    A clone's override multiplies the person's own value by the clone's change from the table
    value (a variant's 10 % expression times this person's ALAS2 synthesis). ``extra`` holds
    per-person values that replace the person's own (parameter-uncertainty draws).
    """
    own_values = dict(extra or {})
    names = sorted(set(pop.pool).union(*clones).union(own_values))
    k = len(clones)
    out: dict[str, np.ndarray] = {}
    for name in names:
        own = own_values[name] if name in own_values else pop.values(name, base, member)
        col = np.empty(member.size * k)
        for j, clone in enumerate(clones):
            col[j::k] = own * _ratio(clone, base, name)
        out[name] = col
    return out


def _ratio(clone: Mapping[str, float], base: Mapping[str, float], name: str) -> float:
    b = float(base[name])
    return float(clone.get(name, b)) / b if b else 1.0


def _split(rows: pd.DataFrame, k: int) -> list[dict[str, np.ndarray]]:
    """Clone ``j`` of every person from rows ordered person by person."""
    return [_columns(rows.iloc[j::k].reset_index(drop=True)) for j in range(k)]


def _population_clones(
    pop: _Population,
    clones: list[dict[str, float]],
    base: Mapping[str, float],
    n: int,
    dist: Any,
    scheduler: Any,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[dict[str, np.ndarray]], dict[str, np.ndarray], int]:
    """Without parameter uncertainty: one simulation per distinct member and clone, so any
    ``n`` costs at most K (2K for women) simulations; people are drawn up front."""
    from hemesim.simulate.cohort import run_cohort

    rng = np.random.default_rng(np.random.SeedSequence([pop.seed, 0x70E0]))
    member, cv = pop.people(rng, n)
    unique, inverse = np.unique(member, return_inverse=True)
    sets = _clone_columns(pop, clones, base, unique)
    m = unique.size * len(clones)
    result = run_cohort(sets or None, m, seed=pop.seed, scheduler=scheduler, progress=progress)
    per_member = _split(result.to_dataframe(), len(clones))
    per_person = [{key: v[inverse] for key, v in c.items()} for c in per_member]
    people = {"member": member, "within_clone_cv": cv}
    if dist is not None:
        people["xi"] = dist.sample(n, rng)
    return per_person, people, m


def _uncertain_clones(
    pop: _Population,
    clones: list[dict[str, float]],
    base: Mapping[str, float],
    definition: Any,
    n: int,
    dist: Any,
    scheduler: Any,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[dict[str, np.ndarray]], dict[str, np.ndarray], int]:
    """With parameter uncertainty: each person's prior draw (shared by her two clones) on top of
    her member's values, drawn block by block inside the engine's sampler (reproducible however
    the cohort is chunked); one simulation per person and clone."""
    from hemesim.model.definition import UPPER_BOUNDS
    from hemesim.simulate.cohort import run_cohort
    from hemesim.simulate.priors import priors_from_table

    priors = priors_from_table(
        definition.parameters, id_of=definition.id_of, upper_bounds=UPPER_BOUNDS
    )
    by_id = {definition.id_of(k): k for k in base}
    prior_names = [by_id.get(p, p) for p in priors.names]
    k = len(clones)

    def sampler(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
        kp = m // k
        member, cv = pop.people(rng, kp)
        factors = priors.sample_factors(rng, kp)
        drawn = {
            name: priors.apply(i, pop.values(name, base, member), factors[:, i])
            for i, name in enumerate(prior_names)
        }
        cols = _clone_columns(pop, clones, base, member, drawn)
        cols["member"] = np.repeat(member.astype(float), k)
        cols["within_clone_cv"] = np.repeat(cv, k)
        if dist is not None:
            cols["xi"] = np.repeat(dist.sample(kp, rng), k)
        return cols

    covariates = ("member", "within_clone_cv") + (("xi",) if dist is not None else ())
    result = run_cohort(
        sampler,
        n * k,
        seed=pop.seed,
        scheduler=scheduler,
        progress=progress,
        covariates=covariates,
    )
    rows = result.to_dataframe()
    first = rows.iloc[0::k].reset_index(drop=True)
    people = {c: first[c].to_numpy() for c in covariates}
    people["member"] = people["member"].astype(np.int64)
    return _split(rows, k), people, n * k


def _columns(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    return {k: rows[k].to_numpy(dtype=float) for k in rows.columns if rows[k].dtype.kind in "fi"}
