"""A calibrated virtual population of healthy adults: who the people of a cohort are.

Method (Allen, Rieger & Musante, CPT Pharmacometrics Syst Pharmacol 2016;5:140)
-------------------------------------------------------------------------------
1. **Plausible patients.** Parameter sets are drawn from wide priors on the parameters that really
   differ between people (:data:`VPOP_PARAMETERS`), simulated over one maturation with the
   batched engine, and kept when every readout is finite and inside broad physiological bounds
   (:data:`PLAUSIBLE_BOUNDS`).
2. **Selection.** Each plausible patient ``i`` with readouts ``y_i`` is accepted with probability
   ``min(1, alpha * r_i / max r)``, ``r_i = target(y_i) / plausible(y_i)``: the target density is
   the product of the published reference distributions of Hb, MCH, MCV and MCHC for the sex
   (:mod:`hemesim.phenotype.reference_intervals`; a split normal through each 2.5/50/97.5 %
   point, independent readouts since no source gives their correlations) and, for EP and
   ZnPP/heme, which have an upper reference limit only, a factor flat below the limit and
   falling steeply above it (:func:`upper_limit_logpdf`); the plausible density is a Gaussian
   kernel density estimate over (Hb, MCH, MCV). ``alpha`` is chosen on a grid to make the
   selected quantiles closest to the targets (root mean square error relative to each
   interval's width), as Allen et al. tune their scaling factor.
3. **Cohorts** draw people from the selected members (uniformly, with replacement, seeded), so a
   cohort of any size costs one simulation per distinct member (two for a woman's clone pair).

RDW-CV does not come from the erythroid model: each person's base within-clone MCV coefficient of
variation (``base_cv`` of :func:`hemesim.phenotype.mosaic.mix_arrays`, to which the mosaic adds
anisocytosis for hypochromic cells) is drawn from a log-normal chosen so that the members' RDW-CV
meets the published 2.5/97.5 % limits (the same for both sexes, as the source pools them). Serum
ferritin is not simulated (no body iron stores in the erythroblast model); its reference interval
stays in the table and the calibration report lists it as not modelled.

The stored calibration (``phenotype/data/vpop_calibration.json``) is written by
``python -m hemesim.phenotype.vpop_calibrate``: method, varying parameters and priors, targets,
achieved quantiles, seed, model hash and the members' parameter values. Re-run it after any change
to the model (the hash tells).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hemesim.errors import PhenotypeError
from hemesim.phenotype.grading import validate_sex
from hemesim.phenotype.reference_intervals import reference_interval

__all__ = [
    "CALIBRATION_FILE",
    "PLAUSIBLE_BOUNDS",
    "SELECTION_READOUTS",
    "CHECK_READOUTS",
    "VPOP_PARAMETERS",
    "PopulationDraw",
    "VpopCalibration",
    "VpopParameter",
    "QuantileCheck",
    "UPPER_TOLERANCE",
    "WIDTH_TOLERANCE",
    "check_quantiles",
    "load_calibration",
    "people_sampler",
    "model_hash",
    "rdw_distribution",
    "sample_plausible",
    "select_vpop",
    "split_normal_logpdf",
]

CALIBRATION_FILE = "vpop_calibration.json"

SELECTION_READOUTS: tuple[str, ...] = ("hb_g_dl", "mch_pg", "mcv_fl", "mchc_g_dl")
"""Readouts whose reference distributions form the target density."""

KDE_READOUTS: tuple[str, ...] = ("hb_g_dl", "mch_pg", "mcv_fl")
"""Readouts of the plausible density (MCHC = 100 MCH / MCV adds no dimension)."""

CHECK_READOUTS: tuple[str, ...] = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "mchc_g_dl",
    "rdw_cv_percent",
    "ep_total_ug_dl_rbc",
    "znpp_umol_mol_heme",
)
"""Readouts whose achieved quantiles are reported against the reference intervals."""

PLAUSIBLE_BOUNDS: dict[str, tuple[float, float]] = {
    "hb_g_dl": (8.0, 22.0),
    "mch_pg": (18.0, 42.0),
    "mcv_fl": (60.0, 120.0),
    "mchc_g_dl": (25.0, 38.0),
    "ep_total_ug_dl_rbc": (0.0, 300.0),
    "znpp_umol_mol_heme": (0.0, 200.0),
    "mito_iron_index": (0.0, 2.0),
}
"""Broad bounds of a plausible adult (units of each readout): wider than any reference interval;
an EP at or above 300 ug/dL is the protoporphyria range (Gou et al. 2015), not a healthy person;
mitochondrial iron at most twice the model's normal erythroblast (healthy marrow has no ring
sideroblasts; the index rises above 1 where iron supply outruns heme synthesis)."""


@dataclass(frozen=True)
class VpopParameter:
    """A model parameter that differs between healthy people, with its plausible-patient prior.

    Attributes
    ----------
    name
        Model table name (``parameters.csv``).
    low, high
        Prior range: factors on the table value (``scale="factor"``, log-uniform) or absolute
        values in the table unit (``scale="absolute"``, uniform).
    scale
        ``"factor"`` or ``"absolute"``.
    why
        The physiological reason it varies between people.
    """

    name: str
    low: float
    high: float
    scale: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "low": self.low,
            "high": self.high,
            "scale": self.scale,
            "prior": "log-uniform factor on the table value"
            if self.scale == "factor"
            else "uniform (table unit)",
            "why": self.why,
        }


VPOP_PARAMETERS: tuple[VpopParameter, ...] = (
    VpopParameter(
        "iron.supply",
        0.7,
        1.4,
        "factor",
        "transferrin iron delivered to each erythroblast: transferrin saturation ranges about "
        "20-50 % in healthy adults and iron stores differ (more iron-restricted erythropoiesis "
        "in menstruating women)",
    ),
    VpopParameter(
        "ALAS2.ksyn",
        0.7,
        1.8,
        "factor",
        "ALAS2 expression (GATA1-driven transcription and translation) differs between people",
    ),
    VpopParameter(
        "globin.ksyn",
        0.7,
        1.7,
        "factor",
        "globin synthesis capacity (alpha/beta-globin expression) differs between people",
    ),
    VpopParameter(
        "Hb.ref",
        10.0,
        19.5,
        "absolute",
        "haemoglobin set point of the EPO feedback (renal oxygen sensing; androgens raise it in "
        "men): the main source of the sex difference in Hb at equal red-cell indices",
    ),
    VpopParameter(
        "MCV.ref",
        80.0,
        102.0,
        "absolute",
        "red-cell volume at normal hemoglobin content: cell size is a heritable trait that "
        "varies between healthy people independently of hemoglobinisation",
    ),
)
"""The parameters that differ between people, with their plausible-patient priors."""


def model_hash(sbml: str) -> str:
    """SHA-256 of the model's SBML text (the calibration is tied to it)."""
    return hashlib.sha256(sbml.encode("utf-8")).hexdigest()


def sample_plausible(
    n: int,
    seed: int,
    base: Mapping[str, float],
    parameters: Sequence[VpopParameter] = VPOP_PARAMETERS,
) -> dict[str, NDArray[np.float64]]:
    """Draw ``n`` plausible-patient parameter sets from the priors (table names -> values)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x7F0F]))
    out: dict[str, NDArray[np.float64]] = {}
    for p in parameters:
        if p.name not in base:
            raise PhenotypeError(
                f"virtual-population parameter {p.name!r} is not in the model table; update "
                "VPOP_PARAMETERS and re-run python -m hemesim.phenotype.vpop_calibrate"
            )
        if p.scale == "factor":
            f = np.exp(rng.uniform(math.log(p.low), math.log(p.high), n))
            out[p.name] = float(base[p.name]) * f
        else:
            out[p.name] = rng.uniform(p.low, p.high, n)
    return out


def split_normal_logpdf(
    y: NDArray[np.float64], targets: Mapping[float, float]
) -> NDArray[np.float64]:
    """Log density of a split normal through published quantiles (up to a constant).

    ``targets`` maps quantiles to values (at least a lower and an upper limit). The centre is the
    median when given, else the midpoint of the limits; each side's sd puts its limit at its
    quantile.
    """
    from scipy.stats import norm

    lows = [q for q in targets if q < 0.5]
    highs = [q for q in targets if q > 0.5]
    if not lows or not highs:
        raise PhenotypeError("a target distribution needs a lower and an upper limit")
    ql, qh = min(lows), max(highs)
    lo, hi = targets[ql], targets[qh]
    centre = targets.get(0.5, 0.5 * (lo + hi))
    sd_lo = (centre - lo) / -float(norm.ppf(ql))
    sd_hi = (hi - centre) / float(norm.ppf(qh))
    sd = np.where(y < centre, sd_lo, sd_hi)
    # one normalising constant for both halves (2 / (sqrt(2 pi) (sd_lo + sd_hi))): continuous
    out: NDArray[np.float64] = -0.5 * ((y - centre) / sd) ** 2 - np.log(sd_lo + sd_hi)
    return out


UPPER_LIMIT_READOUTS: tuple[str, ...] = ("ep_total_ug_dl_rbc", "znpp_umol_mol_heme")
"""Readouts with a published upper reference limit only: the target density is flat below the
limit and falls as a half-normal of sd :data:`UPPER_LIMIT_SOFTNESS` x limit above it."""

UPPER_LIMIT_SOFTNESS = 0.05


def upper_limit_logpdf(y: NDArray[np.float64], limit: float) -> NDArray[np.float64]:
    """Log target factor of a readout known only by its upper reference limit."""
    excess = np.maximum(y - limit, 0.0) / (UPPER_LIMIT_SOFTNESS * limit)
    out: NDArray[np.float64] = -0.5 * excess**2
    return out


def _targets(sex: str) -> dict[str, dict[float, float]]:
    return {k: reference_interval(k, sex).targets() for k in SELECTION_READOUTS}


def _upper_limits(sex: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in UPPER_LIMIT_READOUTS:
        high = reference_interval(k, sex).high
        if high is not None:
            out[k] = high
    return out


def _quantile_error(
    values: Mapping[str, NDArray[np.float64]], targets: Mapping[str, Mapping[float, float]]
) -> float:
    """Root mean square of the quantile errors, each relative to its interval's width."""
    errs = []
    for k, tq in targets.items():
        width = max(tq.values()) - min(tq.values())
        errs += [(float(np.quantile(values[k], q)) - v) / width for q, v in tq.items()]
    return float(np.sqrt(np.mean(np.square(errs))))


def select_vpop(
    readouts: Mapping[str, NDArray[np.float64]],
    sex: str,
    seed: int,
    *,
    alphas: Sequence[float] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
    min_members: int = 500,
    kde_points: int = 6000,
) -> tuple[NDArray[np.int64], dict[str, Any]]:
    """Select a virtual population from plausible patients (Allen et al. 2016).

    Parameters
    ----------
    readouts
        Readout name -> values of the plausible patients (all finite, inside the bounds).
    sex
        Whose reference intervals form the target.
    seed
        Seed of the acceptance draws and the density-estimate subsample.
    alphas
        Grid of scaling factors of the acceptance probability.
    min_members
        Fewest members a selection may have.
    kde_points
        Plausible patients used to build the kernel density estimate.

    Returns
    -------
    indices, info
        Accepted patients and ``{"alpha", "quantile_error", "n_plausible", "n_selected"}``.
    """
    from scipy.stats import gaussian_kde

    s = validate_sex(sex)
    targets = _targets(s)
    n = len(next(iter(readouts.values())))
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5E1, 0 if s == "male" else 1]))
    y = np.vstack([np.asarray(readouts[k], dtype=float) for k in KDE_READOUTS])
    mu, sd = y.mean(axis=1, keepdims=True), y.std(axis=1, keepdims=True)
    z = (y - mu) / sd
    fit = z[:, rng.choice(n, size=min(kde_points, n), replace=False)]
    log_plausible = gaussian_kde(fit).logpdf(z)
    log_target = np.zeros(n)
    for k, tq in targets.items():
        log_target += split_normal_logpdf(np.asarray(readouts[k], dtype=float), tq)
    for k, limit in _upper_limits(s).items():
        log_target += upper_limit_logpdf(np.asarray(readouts[k], dtype=float), limit)
    log_r = log_target - log_plausible
    ratio = np.exp(log_r - log_r.max())
    u = rng.uniform(size=n)
    best: tuple[float, float, NDArray[np.int64]] | None = None
    for alpha in alphas:
        idx = np.nonzero(u < np.minimum(1.0, alpha * ratio))[0]
        if idx.size < min_members:
            continue
        err = _quantile_error({k: np.asarray(readouts[k])[idx] for k in targets}, targets)
        if best is None or err < best[1]:
            best = (float(alpha), err, idx)
    if best is None:
        raise PhenotypeError(
            f"virtual population for {s}: fewer than {min_members} plausible patients accepted at "
            "every alpha; draw more plausible patients (--n-plausible)"
        )
    alpha, err, idx = best
    return idx, {
        "alpha": alpha,
        "rms_quantile_error_relative_to_interval_width": err,
        "n_plausible": int(n),
        "n_selected": int(idx.size),
    }


def rdw_distribution(
    sex: str, extra_cv: NDArray[np.float64] | None = None, seed: int = 0
) -> tuple[float, float]:
    """Log-normal of the base within-clone RDW-CV: (median %, sd of ln).

    Without ``extra_cv`` the log-normal runs through the published limits. With the members'
    extra (anisocytosis) CV, the median and sd are chosen so that base + extra meets the
    published 2.5/97.5 % points (least squares over a seeded Monte Carlo sample).
    """
    from scipy.optimize import minimize
    from scipy.stats import norm

    ri = reference_interval("rdw_cv_percent", sex)
    if ri.low is None or ri.high is None or ri.low_quantile is None or ri.high_quantile is None:
        raise PhenotypeError(f"no RDW-CV reference interval for {ri.sex}")
    zl, zh = float(norm.ppf(ri.low_quantile)), float(norm.ppf(ri.high_quantile))
    sdlog = (math.log(ri.high) - math.log(ri.low)) / (zh - zl)
    median = math.exp(math.log(ri.low) - zl * sdlog)
    if extra_cv is None or not np.any(extra_cv > 0):
        return median, sdlog
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x4D5]))
    m = 20_000
    extra = 100.0 * np.asarray(extra_cv, dtype=float)[rng.integers(0, len(extra_cv), m)]
    z = rng.standard_normal(m)
    qs = (ri.low_quantile, ri.high_quantile)
    target = np.array([ri.low, ri.high])

    def loss(x: NDArray[np.float64]) -> float:
        rdw = np.exp(x[0] + np.exp(x[1]) * z) + extra
        return float(np.sum((np.quantile(rdw, qs) - target) ** 2))

    fit = minimize(loss, [math.log(median), math.log(sdlog)], method="Nelder-Mead")
    return float(math.exp(fit.x[0])), float(math.exp(fit.x[1]))


@dataclass(frozen=True)
class PopulationDraw:
    """People drawn from the virtual population.

    Attributes
    ----------
    member
        Index of each person's member (row of :attr:`VpopCalibration.members`).
    within_clone_cv
        Each person's within-clone MCV coefficient of variation (dimensionless).
    """

    member: NDArray[np.int64]
    within_clone_cv: NDArray[np.float64]


@dataclass(frozen=True)
class VpopCalibration:
    """The stored calibration of one sex.

    Attributes
    ----------
    sex
        ``"male"`` or ``"female"``.
    names
        Varied parameter names (model table names).
    members
        Parameter values of the selected members, shape ``(K, len(names))`` (table units).
    rdw_median_percent, rdw_sdlog
        Log-normal of the within-clone RDW-CV.
    model_sha256
        Hash of the SBML the calibration was made with.
    record
        The whole JSON record (method, targets, achieved quantiles, provenance).
    """

    sex: str
    names: tuple[str, ...]
    members: NDArray[np.float64]
    rdw_median_percent: float
    rdw_sdlog: float
    model_sha256: str
    record: dict[str, Any]

    @property
    def size(self) -> int:
        """Number of members."""
        return int(self.members.shape[0])

    def column(self, name: str) -> NDArray[np.float64]:
        """One parameter's values over the members."""
        return self.members[:, self.names.index(name)]

    def draw(self, n: int, rng: np.random.Generator) -> PopulationDraw:
        """``n`` people: a member each (uniform, with replacement) and a within-clone CV."""
        member = rng.integers(0, self.size, size=n)
        cv = self.rdw_median_percent / 100.0 * np.exp(self.rdw_sdlog * rng.standard_normal(n))
        return PopulationDraw(member=member.astype(np.int64), within_clone_cv=cv)

    def summary(self) -> dict[str, Any]:
        """Method, parameters, targets and achieved quantiles of this sex (no member table)."""
        rec = self.record
        return {
            "method": rec["method"],
            "parameters": [p["name"] for p in rec["parameters"]],
            "members": self.size,
            "model_sha256": self.model_sha256,
            "achieved": rec["achieved"][self.sex],
            "targets": rec["targets"][self.sex],
        }


def calibration_path() -> Path:
    """Where the stored calibration lives (inside the package)."""
    return Path(str(resources.files("hemesim.phenotype").joinpath("data", CALIBRATION_FILE)))


@lru_cache(maxsize=4)
def _read(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError:
        raise PhenotypeError(
            f"no virtual-population calibration at {path}; run "
            "python -m hemesim.phenotype.vpop_calibrate"
        ) from None
    return data


def load_calibration(sex: str, path: str | Path | None = None) -> VpopCalibration:
    """The stored virtual population of one sex.

    Parameters
    ----------
    sex
        ``"male"`` or ``"female"``.
    path
        A calibration JSON (default: the packaged one).
    """
    s = validate_sex(sex)
    rec = _read(str(path or calibration_path()))
    block = rec["members"][s]
    return VpopCalibration(
        sex=s,
        names=tuple(block["columns"]),
        members=np.asarray(block["values"], dtype=float),
        rdw_median_percent=float(rec["rdw"][s]["median_percent"]),
        rdw_sdlog=float(rec["rdw"][s]["sd_log"]),
        model_sha256=str(rec["model"]["sha256"]),
        record=rec,
    )


WIDTH_TOLERANCE = 0.3
"""Stated tolerance of a two-sided target: |achieved - published quantile| <= 0.3 x the
interval's width. The largest miss is the upper MCH limit (about 0.26 widths): the textbook MCH,
MCV and MCHC limits are not jointly attainable (MCH 34 pg at MCV <= 95 fL is MCHC > 35.7)."""

UPPER_TOLERANCE = 1.10
"""Stated tolerance of an upper-only limit: the achieved 97.5 % point at most 10 % above it."""


@dataclass(frozen=True)
class QuantileCheck:
    """One published quantile of a healthy population against the virtual population's."""

    readout: str
    sex: str
    quantile: float
    target: float
    achieved: float
    passed: bool
    unit: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "readout": self.readout,
            "sex": self.sex,
            "quantile": self.quantile,
            "target": self.target,
            "achieved": self.achieved,
            "passed": self.passed,
            "unit": self.unit,
            "source": self.source,
        }


def check_quantiles(values: Mapping[str, NDArray[np.float64]], sex: str) -> list[QuantileCheck]:
    """Compare a healthy cohort's readouts with the published reference intervals.

    Two-sided intervals (:data:`CHECK_READOUTS` with a lower limit) pass within
    :data:`WIDTH_TOLERANCE` interval widths at every published quantile; upper-only limits pass
    when the 97.5 % point is at most :data:`UPPER_TOLERANCE` times the limit.
    """
    s = validate_sex(sex)
    out: list[QuantileCheck] = []
    for k in CHECK_READOUTS:
        ri = reference_interval(k, s)
        v = np.asarray(values[k], dtype=float)
        v = v[np.isfinite(v)]
        targets = ri.targets()
        two_sided = ri.low is not None and ri.high is not None
        for q, target in targets.items():
            got = float(np.quantile(v, q))
            if two_sided:
                ok = abs(got - target) <= WIDTH_TOLERANCE * (ri.high - ri.low)  # type: ignore[operator]
            else:
                ok = got <= UPPER_TOLERANCE * target
            out.append(QuantileCheck(k, s, q, target, got, bool(ok), ri.unit, ri.source))
    return out


#: Parameters that set the *typical* person of a sex apart from the model table: the table's
#: Hb set point (``Hb.ref`` 15.5 g/dL) is the adult male midpoint, so the typical woman takes the
#: median set point of the calibrated female population instead (calibrated to the published
#: female Hb interval, docs/phenotype.md); every other parameter stays at the table value, which
#: the calibration keeps near the population medians of both sexes.
SEX_SPECIFIC: tuple[str, ...] = ("Hb.ref",)


@lru_cache(maxsize=2)
def typical_factors(sex: str) -> dict[str, float]:
    """Factors on the model table that make the typical person of ``sex`` (dimensionless).

    ``{}`` for men (the table is the typical man); for women, ``{"Hb.ref": median female set
    point / table value}`` (about 13.5 / 15.5) from the stored calibration. Both clones of a
    woman take them, as every simulated woman of an interval or a penetrance does.
    """
    from hemesim.model import load_definition

    s = validate_sex(sex)
    if s == "male":
        return {}
    definition = load_definition("erythroid")
    cal = load_calibration(s)
    out: dict[str, float] = {}
    for name in SEX_SPECIFIC:
        base = float(definition.defaults[definition.id_of(name)])
        out[name] = float(np.median(cal.column(name))) / base
    return out


@lru_cache(maxsize=1)
def people_sampler() -> Any:
    """Between-person variability for :mod:`hemesim.phenotype.intervals`.

    Returns ``sampler(rng, n, sex) -> {parameter table name: multiplier per person}``: each
    person is a member of the stored virtual population of the sex (uniform, with replacement),
    as factors on the model's table values (1 = the typical person). One object per process,
    so that callers may key caches on it.
    """
    from hemesim.model import load_definition

    definition = load_definition("erythroid")
    base = {
        str(k): float(v)
        for k, v in zip(definition.parameters["name"], definition.parameters["value"], strict=True)
    }

    def sampler(rng: np.random.Generator, n: int, sex: str) -> dict[str, NDArray[np.float64]]:
        cal = load_calibration(sex)
        member = rng.integers(0, cal.size, size=n)
        return {name: cal.column(name)[member] / base[name] for name in cal.names}

    return sampler
