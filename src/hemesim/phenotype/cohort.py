"""Virtual cohorts of carriers: many men or heterozygous women, on the batched engine.

A cohort answers "what is the spread of outcomes?" for one variant. Each person is one draw of

* the X-inactivation ratio ``xi`` (women; :func:`hemesim.phenotype.xinactivation.xi_distribution`),
* with ``uncertainty=True``, the model's uncertain parameters from their documented log-normal
  priors (:mod:`hemesim.simulate.priors`: the spread follows each parameter's ``kind``).

Men are one parameter set each. A woman is TWO sets sharing her prior draw: the mutant clone (the
variant's overrides) and the normal clone, mixed over her ``xi`` by the same rules as a single
prediction (:func:`hemesim.phenotype.mosaic.mix_arrays`). Without parameter uncertainty all women
share the two clone simulations and only ``xi`` varies, so any ``n`` costs two simulations.

Simulation runs through :func:`hemesim.simulate.cohort.run_cohort` (the batched engine generated
from the model's SBML), locally or on Dask (``scheduler``), seeded by block so that the result is
identical however it is chunked or distributed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import PhenotypeError
from hemesim.phenotype.grading import ANEMIA_THRESHOLD_G_DL, validate_sex
from hemesim.phenotype.inputs import resolve_variant
from hemesim.phenotype.mosaic import mix_arrays
from hemesim.phenotype.readouts import REFERENCES, UMOL_L_TO_UG_DL
from hemesim.phenotype.treatments import get_treatment
from hemesim.phenotype.xinactivation import xi_distribution
from hemesim.provenance import provenance

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_COHORT",
    "SUMMARY_READOUTS",
    "VirtualCohort",
    "call_disease_arrays",
    "virtual_cohort",
]

MAX_COHORT = 10_000_000
"""Largest cohort accepted in one call (people)."""

SUMMARY_READOUTS = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "ep_total_ug_dl_rbc",
    "znpp_fraction",
    "mito_iron_index",
)
QUANTILES = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)


def call_disease_arrays(
    hb_g_dl: np.ndarray, ep_ug_dl: np.ndarray, sex: str, variant_is_neutral: bool
) -> np.ndarray:
    """Vectorised disease call, thresholds as :func:`hemesim.phenotype.grading.call_disease`.

    ``XLP`` when erythrocyte protoporphyrin reaches the protoporphyria range (Gou et al., Clin Chem
    2015); else ``XLSA`` when Hb is below the WHO 2011 anaemia threshold for the sex; else
    ``carrier`` for a woman with a non-neutral variant; else ``none``. A person whose simulation
    failed (non-finite readouts) is ``failed``, never silently counted in a class.
    """
    s = validate_sex(sex)
    out = np.full(hb_g_dl.shape, "none", dtype=object)
    if not variant_is_neutral:
        if s == "female":
            out[:] = "carrier"
        out[hb_g_dl < ANEMIA_THRESHOLD_G_DL[s]] = "XLSA"
    out[ep_ug_dl >= REFERENCES["ep_protoporphyria_lower"].value] = "XLP"
    out[~(np.isfinite(hb_g_dl) & np.isfinite(ep_ug_dl))] = "failed"
    return out


@dataclass(frozen=True)
class VirtualCohort:
    """One row per simulated person, with summaries.

    Attributes
    ----------
    table
        ``xi`` (women), the blood readouts (units in :attr:`units`), ``disease`` and, with
        parameter uncertainty, the sampled parameter values of the mutant clone.
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
        try:
            if p.suffix.lower() == ".parquet":
                self.table.to_parquet(p, index=False)
            elif p.suffix.lower() == ".csv":
                self.table.to_csv(p, index=False)
            else:
                raise PhenotypeError(f"--out {str(p)!r}: expected a .parquet or .csv file name")
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise PhenotypeError(f"--out {str(p)!r} cannot be written ({reason})") from None
        return p

    def to_dict(self) -> dict[str, Any]:
        """JSON summary: request, quantiles with units, disease shares, provenance."""
        return {
            "variant": self.variant,
            "sex": self.sex,
            "n": self.n,
            "uncertainty": self.uncertainty,
            "treatment": self.treatment,
            "quantiles": self.quantiles(),
            "units": {k: self.units.get(k, "") for k in SUMMARY_READOUTS},
            "disease_shares": self.disease_shares(),
            "n_failed": self.n_failed,
            "penetrance": (
                self.disease_shares().get("XLSA", 0.0) + self.disease_shares().get("XLP", 0.0)
                if self.sex == "female"
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
                    "uncertainty": self.uncertainty,
                    "treatment": self.treatment,
                },
                self.seed,
            ),
        }


def _qname(q: float) -> str:
    """``0.025 -> "q2.5"``, ``0.5 -> "q50"``."""
    return f"q{q * 100:g}"


def virtual_cohort(
    variant: Any,
    sex: str = "male",
    n: int = 1000,
    *,
    seed: int = 0,
    uncertainty: bool = False,
    treatment: str = "none",
    age_years: float | None = None,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> VirtualCohort:
    """Simulate ``n`` carriers of one ALAS2 variant.

    Parameters
    ----------
    variant
        HGVS text, a ``VariantReport`` or an ``Effect``.
    sex
        ``"male"`` (hemizygous men) or ``"female"`` (heterozygous women, ``xi`` sampled).
    n
        Number of people (1 .. :data:`MAX_COHORT`).
    seed
        Seed of every random draw (``xi`` and parameter priors).
    uncertainty
        Sample the uncertain model parameters from their documented log-normal priors.
    treatment
        ``none`` | ``pyridoxine`` | ``chelation`` | ``phlebotomy`` (erythroblast effects).
    age_years
        Age for the X-inactivation distribution (years; default 40).
    scheduler
        ``None`` (this process), ``"local"`` (Dask LocalCluster) or a scheduler address.
    progress
        ``progress(done, total)`` after each chunk of simulations.

    Returns
    -------
    VirtualCohort
    """
    from hemesim.model import effect_overrides, load_definition
    from hemesim.simulate.cohort import run_cohort
    from hemesim.simulate.dask_runner import check_scheduler
    from hemesim.simulate.priors import priors_from_table

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
    n, seed = int(n), int(seed)
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
    normal = {k: base[k] * f for k, f in treat.cell_factors.items()}
    mutant = {**effect_overrides(resolved.effect, definition)}
    for k, f in treat.cell_factors.items():
        mutant[k] = mutant.get(k, base[k]) * f
    epo_gain = float(base.get("EPO.gain", 0.0))
    units = dict(definition.units)
    units["ep_total_ug_dl_rbc"] = "ug/dL RBC"
    names = sorted(set(mutant) | set(normal))
    started = time.perf_counter()

    if s == "male":
        constant = {k: float(mutant.get(k, base[k])) for k in names}

        def men(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
            return {k: np.full(m, v) for k, v in constant.items()}

        result = run_cohort(
            men if constant else None,
            n,
            seed=seed,
            uncertainty=uncertainty,
            scheduler=scheduler,
            progress=progress,
        )
        table = result.to_dataframe()
        table["ep_total_ug_dl_rbc"] = table["ep_total_umol_l_rbc"] * UMOL_L_TO_UG_DL
        meta: dict[str, Any] = {"simulations": n}
    else:
        dist = xi_distribution(age_years)
        if not uncertainty:
            pair = {k: np.array([mutant.get(k, base[k]), normal.get(k, base[k])]) for k in names}
            clones = run_cohort(pair or None, 2, seed=seed, scheduler=None, progress=progress)
            rows = clones.to_dataframe()
            xi = dist.sample(n, seed)
            blood = mix_arrays(_row(rows, 0), _row(rows, 1), xi, epo_gain=epo_gain)
            meta = {"simulations": 2}
        else:
            from hemesim.model.definition import UPPER_BOUNDS

            priors = priors_from_table(
                definition.parameters, id_of=definition.id_of, upper_bounds=UPPER_BOUNDS
            )
            by_id = {definition.id_of(k): k for k in base}
            prior_names = [by_id.get(p, p) for p in priors.names]
            ratio = {k: mutant.get(k, base[k]) / base[k] if base[k] else 1.0 for k in names}

            def women(rng: np.random.Generator, m: int) -> dict[str, np.ndarray]:
                k = m // 2
                draw = priors.sample(rng, k)
                cols: dict[str, np.ndarray] = {}
                for pid, name in zip(priors.names, prior_names, strict=True):
                    values = draw[pid]
                    cols[name] = np.repeat(values, 2) * np.tile(
                        [
                            ratio.get(name, 1.0),
                            normal.get(name, base[name]) / base[name] if base[name] else 1.0,
                        ],
                        k,
                    )
                for name in names:
                    if name not in cols:
                        cols[name] = np.tile(
                            [mutant.get(name, base[name]), normal.get(name, base[name])], k
                        )
                cols["xi"] = np.repeat(dist.sample(k, rng), 2)
                return cols

            result = run_cohort(
                women,
                2 * n,
                seed=seed,
                scheduler=scheduler,
                progress=progress,
                covariates=("xi",),
            )
            rows = result.to_dataframe()
            mut = rows.iloc[0::2].reset_index(drop=True)
            nor = rows.iloc[1::2].reset_index(drop=True)
            xi = mut["xi"].to_numpy(dtype=float)
            blood = mix_arrays(_columns(mut), _columns(nor), xi, epo_gain=epo_gain)
            meta = {"simulations": 2 * n}
        import pandas as pd

        table = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in blood.items()})
    table["disease"] = call_disease_arrays(
        table["hb_g_dl"].to_numpy(dtype=float),
        table["ep_total_ug_dl_rbc"].to_numpy(dtype=float),
        s,
        resolved.is_neutral,
    )
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


def _row(rows: pd.DataFrame, i: int) -> dict[str, float]:
    return {
        str(k): float(v) for k, v in rows.iloc[i].items() if isinstance(v, int | float | np.number)
    }


def _columns(rows: pd.DataFrame) -> Mapping[str, np.ndarray]:
    return {k: rows[k].to_numpy(dtype=float) for k in rows.columns if rows[k].dtype.kind in "fi"}
