"""From genotype to patient: ``predict(variant, sex, xi, treatment)`` -> a :class:`Prediction`.

Steps
-----
1. The variant becomes an ALAS2 :class:`~hemesim.variants.effect_types.Effect`
   (:func:`hemesim.phenotype.inputs.resolve_variant`).
2. Two erythroid clones are simulated once each (mutant, normal), with the treatment's parameter
   changes applied to both (:func:`hemesim.phenotype.clones.simulate_clones`; cached per process).
3. The blood is the mix of the clones at ``xi`` and the disease call is made on it, both by
   :func:`hemesim.phenotype.assess.assess` (the path penetrance and cohorts share): a man is
   ``xi = 1``; a woman with a given ``xi`` is that mix; a woman without ``xi`` is reported at the
   population median ``xi = 0.5``, with the penetrance and quantiles over the age-specific
   distribution of ``xi`` (:mod:`hemesim.phenotype.xinactivation`).
4. Grading (WHO anaemia) and photosensitivity risk (:mod:`hemesim.phenotype.grading`);
   body-iron trajectory (:mod:`hemesim.phenotype.iron_overload`); treated vs untreated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hemesim.errors import PhenotypeError
from hemesim.phenotype.assess import People, assess
from hemesim.phenotype.clones import CloneBackend, ClonePair, simulate_clones
from hemesim.phenotype.grading import grade_anemia, photosensitivity_risk, validate_sex
from hemesim.phenotype.inputs import ResolvedVariant, resolve_variant
from hemesim.phenotype.intervals import (
    DEFAULT_PEOPLE,
    MAX_PEOPLE,
    PeopleSampler,
    PredictionIntervals,
    default_people,
    intervals_of,
    simulate_people,
)
from hemesim.phenotype.iron_overload import IronTherapy, IronTrajectory, iron_trajectory
from hemesim.phenotype.mosaic import MosaicBlood, validate_xi
from hemesim.phenotype.penetrance import (
    DEFAULT_WOMEN,
    clones_by_age,
    penetrance_from_clones,
    predictive_penetrance,
    with_predictive,
    women_like_this,
)
from hemesim.phenotype.plp_age import PlpAgeFactor, cell_factors_at_age, plp_age_factor
from hemesim.phenotype.readouts import READOUT_UNITS
from hemesim.phenotype.treatments import (
    Treatment,
    check_offered,
    get_treatment,
    pyridoxine_plp_factor,
)
from hemesim.phenotype.vpop import typical_factors
from hemesim.phenotype.xinactivation import seeded_rng, validate_n_women, xi_distribution
from hemesim.provenance import provenance

__all__ = ["Prediction", "predict", "QUANTILES", "RESPONSE_READOUTS"]

#: Quantiles reported for women without a fixed xi.
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Readouts compared between treated and untreated.
RESPONSE_READOUTS: tuple[str, ...] = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "ep_total_ug_dl_rbc",
    "znpp_fraction",
    "mito_iron_index",
    "ineffective_fraction",
)
_QUANTILE_READOUTS: tuple[str, ...] = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "rdw_cv_percent",
    "ep_total_ug_dl_rbc",
    "znpp_fraction",
    "mutant_rbc_fraction",
)
POPULATION_MEDIAN_XI = 0.5
IRON_YEARS = 40.0


@dataclass(frozen=True)
class Prediction:
    """A predicted patient.

    Attributes
    ----------
    variant
        The resolved variant (label, effect, curated record).
    sex
        ``"male"`` or ``"female"``.
    xi
        X-inactivation ratio used (1 for a man; 0.5 for a woman without ``xi``).
    xi_given
        Whether the caller fixed ``xi``.
    treatment
        The treatment applied.
    blood
        Mixed blood readouts (with the treatment).
    clones
        The two clone endpoints (with the treatment).
    disease
        ``XLSA`` | ``XLP`` | ``carrier`` | ``none``.
    disease_basis
        Criterion, threshold and source of the call.
    severity
        WHO anaemia grade, photosensitivity risk and iron overload.
    iron
        Body-iron trajectory (with the treatment's iron removal).
    iron_untreated
        The untreated trajectory when a treatment is given, else ``None``.
    treatment_response
        Treated vs untreated, or ``None`` when untreated.
    penetrance, quantiles
        For a woman without ``xi``: P(disease) and readout quantiles; else ``None``.
    """

    variant: ResolvedVariant
    sex: str
    xi: float
    xi_given: bool
    treatment: Treatment
    blood: MosaicBlood
    clones: ClonePair
    disease: str
    disease_basis: dict[str, Any]
    severity: dict[str, Any]
    iron: IronTrajectory
    treatment_response: dict[str, Any] | None
    penetrance: float | None
    quantiles: dict[str, Any] | None
    penetrance_detail: dict[str, Any] | None = None
    iron_untreated: IronTrajectory | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    intervals: PredictionIntervals | None = None
    plp_age: PlpAgeFactor | None = None

    @property
    def basis(self) -> str:
        """``measured`` when every changed factor of the effect was measured for this variant,
        ``rule`` when any rests on a rule default (``given`` for an Effect passed in Python)."""
        return self.variant.effect.basis

    @property
    def phenotype(self) -> dict[str, dict[str, Any]]:
        """Blood readouts, ``{name: {"value", "unit", "interval_95", "basis"}}``.

        ``interval_95`` is the 2.5-97.5 % range among people with this genotype (and
        X-inactivation) with the effect's own uncertainty (:mod:`hemesim.phenotype.intervals`),
        or ``None`` when intervals were not computed.
        """
        out = self.blood.to_dict()
        ranges = self.intervals.intervals if self.intervals is not None else {}
        for name, entry in out.items():
            low_high = ranges.get(name)
            entry["interval_95"] = None if low_high is None else [low_high[0], low_high[1]]
            entry["basis"] = self.basis
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``phenotype``, ``disease``, ``severity``, ``treatment_response``,
        and for women without ``xi`` ``penetrance`` and ``quantiles``."""
        out: dict[str, Any] = {
            "variant": self.variant.to_dict(),
            "sex": self.sex,
            "xi": self.xi,
            "xi_basis": (
                "given"
                if self.xi_given
                else ("hemizygous (all cells)" if self.sex == "male" else "population median")
            ),
            "treatment": self.treatment.to_dict(),
            "age_years": None if self.plp_age is None else self.plp_age.age_years,
            "plp_age": None
            if self.plp_age is None
            else {**self.plp_age.to_dict(), "applied": self.treatment.name != "pyridoxine"},
            "phenotype": self.phenotype,
            "clones": {
                "mutant": {
                    k: self.clones.mutant[k]
                    for k in ("hb_g_dl", "mch_pg", "mcv_fl", "ep_total_umol_l_rbc")
                    if k in self.clones.mutant
                },
                "normal": {
                    k: self.clones.normal[k]
                    for k in ("hb_g_dl", "mch_pg", "mcv_fl", "ep_total_umol_l_rbc")
                    if k in self.clones.normal
                },
                # factor on the variant clone's iron supply that keeps its transferrin iron
                # uptake at the normal clone's (1 = not limited; phenotype.iron_delivery)
                "iron_share": self.clones.iron_share,
            },
            "basis": self.basis,
            "disease": self.disease,
            "disease_basis": self.disease_basis,
            "people_like_this": None if self.intervals is None else self.intervals.to_dict(),
            "severity": self.severity,
            "iron": self.iron.to_dict(),
            "treatment_response": self.treatment_response,
            "penetrance": self.penetrance,
            "quantiles": self.quantiles,
            "provenance": self.provenance,
        }
        if self.penetrance_detail is not None:
            out["penetrance_detail"] = self.penetrance_detail
        return out


def _validate_n(n_women: Any) -> int:
    return validate_n_women(n_women)


def _iron(blood: MosaicBlood, clones: ClonePair, sex: str, therapy: IronTherapy) -> IronTrajectory:
    """Body iron over the years; ``clones`` must be the UNTREATED pair: the erythroid expansion
    is measured against an untreated normal marrow (a treatment that loads a normal clone's
    mitochondria with iron is not a smaller marrow)."""
    return iron_trajectory(
        ineffective_fraction=min(blood["ineffective_fraction"], 0.99),
        normal_ineffective_fraction=min(clones.normal["ineffective_fraction"], 0.99),
        sex=sex,
        years=IRON_YEARS,
        hb_g_dl=blood["hb_g_dl"],
        therapy=therapy,
    )


def _people(pair: ClonePair, sex: str, xi: Any, mechanism: str) -> People:
    """The one path (clones -> mosaic -> call) for these X-inactivation ratios."""
    return assess(
        pair.mutant, pair.normal, xi, sex=sex, mechanism=mechanism, epo_gain=pair.epo_gain
    )


def _quantiles(
    women: People, xis: np.ndarray, seed: Any, age_years: float | None
) -> dict[str, Any]:
    """Readout quantiles over the simulated women (the same women as the penetrance)."""
    dist = xi_distribution(age_years)
    blood = women.blood
    shares = women.diagnosis.shares()
    qs = {
        k: {f"q{int(round(q * 100)):02d}": float(np.quantile(blood[k], q)) for q in QUANTILES}
        | {"unit": READOUT_UNITS.get(k, "")}
        for k in _QUANTILE_READOUTS
    }
    return {
        "n_women": int(xis.size),
        "seed": seed if isinstance(seed, int) or seed is None else "generator",
        "age_years": dist.age_years,
        "readouts": qs,
        "xi": {f"q{int(round(q * 100)):02d}": float(np.quantile(xis, q)) for q in QUANTILES},
        "share_called": {
            "XLP": shares["XLP"],
            "XLSA": shares["XLSA"],
            "unaffected": 1.0 - shares["XLP"] - shares["XLSA"],
        },
    }


def _intervals(
    resolved: ResolvedVariant,
    sex: str,
    xi: float,
    treatment_factors: dict[str, float],
    n_people: int,
    seed: int,
    people: PeopleSampler | None,
    epo_gain: float,
) -> PredictionIntervals:
    """Intervals of a man or of a woman with a given ``xi`` (the simulated people are memoised
    per process, so the same question costs no second simulation)."""
    group = simulate_people(
        resolved.effect,
        sex=sex,
        treatment_factors=treatment_factors,
        n=n_people,
        seed=seed,
        people=people if people is not None else default_people(),
        epo_gain=epo_gain,
    )
    return intervals_of(group.people(xi, sex=sex, mechanism=resolved.mechanism), group)


def predict(
    variant: Any,
    sex: str = "male",
    xi: float | None = None,
    treatment: str = "none",
    *,
    seed: int | np.random.Generator | None = None,
    n_women: int = DEFAULT_WOMEN,
    age_years: float | None = None,
    pyridoxine_mg_day: float | None = None,
    backend: CloneBackend | None = None,
    n_people: int | None = DEFAULT_PEOPLE,
    people: PeopleSampler | None = None,
) -> Prediction:
    """Predict the phenotype of a man or a heterozygous woman carrying an ALAS2 variant.

    Parameters
    ----------
    variant
        HGVS text (``"c.1355G>A"``), a ``VariantReport`` or an ``Effect``.
    sex
        ``"male"`` (hemizygous) or ``"female"`` (heterozygous).
    xi
        Women only: fraction of erythroid cells with the variant X active (0..1). ``None`` reports
        the population median and adds ``penetrance`` and ``quantiles``.
    treatment
        ``none`` | ``pyridoxine`` | ``chelation`` | ``phlebotomy`` (XLSA) | ``iron`` (XLP); a
        treatment not offered for the variant's disease is refused with the reason.
    seed
        Seed for the sampled women (quantiles, Monte Carlo check).
    n_women
        Women sampled when ``xi`` is not given.
    age_years
        Age (years, 0-120): for everyone, the vitamin B6 status of the age (a factor on the
        model's PLP, :mod:`hemesim.phenotype.plp_age`; not under pyridoxine); for a woman also
        the X-inactivation distribution. ``None``: the young-adult PLP (as at any age up to 50
        y) and, for a woman, the xi distribution at 40 y.
    pyridoxine_mg_day
        Pyridoxine dose (mg/day; default 100).
    backend
        Model access (default: the per-process roadrunner model). With a stand-in backend the
        intervals and the predictive penetrance (which need the model's batched engine) are not
        computed: the penetrance is then the typical woman's.
    n_people
        People simulated for the ``interval_95`` of every readout (default 400); ``None`` or 0
        skips the intervals.
    people
        Between-person variability for the intervals (default: the calibrated virtual
        population when hemesim has one, else none; see :mod:`hemesim.phenotype.intervals`).

    Returns
    -------
    Prediction
        ``.to_dict()`` gives the JSON form.

    Raises
    ------
    PhenotypeError
        Bad sex, xi, treatment or n_women (one-line message).
    """
    s = validate_sex(sex)
    if xi is not None:
        xi_value = validate_xi(xi)
        if s == "male":
            raise PhenotypeError(
                f"xi {xi!r}: only for sex 'female'; a hemizygous man has all cells mutant"
            )
    treat = get_treatment(treatment, pyridoxine_mg_day=pyridoxine_mg_day)
    if pyridoxine_mg_day is not None:
        pyridoxine_plp_factor(pyridoxine_mg_day)  # a bad dose is an error even when unused
        if treat.name != "pyridoxine":
            raise PhenotypeError(
                f"pyridoxine_mg_day {pyridoxine_mg_day!r}: only with treatment 'pyridoxine' "
                f"(treatment is {treat.name!r})"
            )
    plp_age = plp_age_factor(age_years, s)  # a bad age is an error for men and women
    seeded_rng(seed)  # checked whether or not women are sampled
    n = _validate_n(n_women)
    if n_people is not None and (
        isinstance(n_people, bool)
        or not isinstance(n_people, int | np.integer)
        or not 0 <= n_people <= MAX_PEOPLE
    ):
        raise PhenotypeError(
            f"n_people {n_people!r}: expected a whole number from 0 (no intervals) to {MAX_PEOPLE}"
        )
    resolved = resolve_variant(variant).require_quantified()
    mechanism = resolved.mechanism
    check_offered(treat, resolved.disease)

    # the typical person of this sex (women: their Hb set point); a stand-in model has none
    sex_factors = typical_factors(s) if backend is None else {}
    # the person's age acts on the PLP cofactor (both clones), except under pyridoxine
    base_factors = cell_factors_at_age({}, treatment="none", age_years=age_years, sex=s)
    cell_factors = cell_factors_at_age(
        treat.cell_factors, treatment=treat.name, age_years=age_years, sex=s
    )
    untreated = simulate_clones(
        resolved.effect, treatment_factors={**sex_factors, **base_factors}, backend=backend
    )
    clones = (
        untreated
        if cell_factors == base_factors
        else simulate_clones(
            resolved.effect,
            treatment_factors={**sex_factors, **cell_factors},
            backend=backend,
        )
    )
    x = 1.0 if s == "male" else (xi_value if xi is not None else POPULATION_MEDIAN_XI)

    person = _people(clones, s, [x], mechanism)
    blood = person.person(0)
    basis = person.diagnosis.basis(0)
    iron = _iron(blood, untreated, s, treat.iron_therapy)
    anemia = grade_anemia(blood["hb_g_dl"], s)
    severity = {
        "anemia": anemia.to_dict(),
        "photosensitivity": photosensitivity_risk(blood["ep_total_ug_dl_rbc"]),
        "iron_overload": {
            "ferritin_ug_l_at_10y": iron.ferritin_at(10.0),
            "years_to_overload": iron.years_to_overload(),
        },
    }

    pen_value: float | None = None
    pen_detail: dict[str, Any] | None = None
    quantiles: dict[str, Any] | None = None
    spread: PredictionIntervals | None = None
    if backend is not None:
        # a stand-in model: the intervals and the predictive penetrance need the batched engine
        # of the real model, so only the typical person's values are given
        n_people = 0
    if s == "female" and xi is None and backend is not None:
        xis = xi_distribution(age_years).sample(n, seed)
        pen = penetrance_from_clones(
            clones,
            variant=resolved.label,
            mechanism=mechanism,
            age_years=age_years,
            seed=seed,
            n_women=n,
            xi_sample=xis,
            clones_at_ages=clones_by_age(
                resolved.effect,
                treat.cell_factors,
                treatment=treat.name,
                backend=backend,
                person_factors=sex_factors,
            ),
        )
        pen_value = pen.penetrance
        pen_detail = {
            "age_years": pen.age_years,
            "by_age": {f"{k:g}": v for k, v in pen.by_age.items()},
            "typical_penetrance": pen.penetrance,
            "affected_xi_intervals": [list(iv) for iv in pen.affected_xi_intervals],
            "monte_carlo": pen.monte_carlo,
            "women_simulated": None,
        }
        quantiles = _quantiles(_people(clones, s, xis, mechanism), xis, seed, age_years)
    elif s == "female" and xi is None:
        # one group of simulated women for the penetrance, the quantiles and the intervals
        women = women_like_this(
            resolved,
            treatment_factors=cell_factors,
            n_women=n,
            seed=seed,
            epo_gain=clones.epo_gain,
        )
        _, _, xis = predictive_penetrance(
            women, mechanism=mechanism, age_years=age_years, seed=seed
        )
        typical = penetrance_from_clones(
            clones,
            variant=resolved.label,
            mechanism=mechanism,
            age_years=age_years,
            seed=women.seed,
            n_women=n,
            xi_sample=xis,
            clones_at_ages=clones_by_age(
                resolved.effect,
                treat.cell_factors,
                treatment=treat.name,
                person_factors=sex_factors,
            ),
        )
        pen = with_predictive(
            typical, resolved, treat.cell_factors, n, seed, clones.epo_gain, treatment=treat.name
        )
        pen_value = pen.penetrance
        pen_detail = {
            "age_years": pen.age_years,
            "by_age": {f"{k:g}": v for k, v in pen.by_age.items()},
            "typical_penetrance": pen.typical_penetrance,
            "affected_xi_intervals": [list(iv) for iv in pen.affected_xi_intervals],
            "monte_carlo": pen.monte_carlo,
            "women_simulated": pen.spread,
        }
        group = women.people(xis, sex=s, mechanism=mechanism)
        quantiles = _quantiles(group, xis, women.seed, age_years)
        if n_people:
            spread = intervals_of(group, women)
    elif n_people:
        spread = _intervals(
            resolved,
            s,
            x,
            cell_factors,
            int(n_people),
            seed if isinstance(seed, int) else 0,
            people,
            clones.epo_gain,
        )

    response: dict[str, Any] | None = None
    base_iron: IronTrajectory | None = None
    if treat.name != "none":
        base_person = _people(untreated, s, [x], mechanism)
        base_blood = base_person.person(0)
        base_iron = _iron(base_blood, untreated, s, IronTherapy())
        before = {k: base_blood[k] for k in RESPONSE_READOUTS}
        after = {k: blood[k] for k in RESPONSE_READOUTS}
        before["ferritin_ug_l_at_10y"] = base_iron.ferritin_at(10.0)
        after["ferritin_ug_l_at_10y"] = iron.ferritin_at(10.0)
        before["ferritin_ug_l_at_40y"] = base_iron.ferritin_at(IRON_YEARS)
        after["ferritin_ug_l_at_40y"] = iron.ferritin_at(IRON_YEARS)
        base_call = base_person.diagnosis.basis(0)
        response = {
            "treatment": treat.name,
            "untreated": before,
            "treated": after,
            "change": {k: after[k] - before[k] for k in before},
            "units": {k: READOUT_UNITS.get(k, "ug/L") for k in before},
            "disease_untreated": base_call["call"],
            "disease_treated": basis["call"],
        }
        if pen_value is not None:
            base_typical = penetrance_from_clones(
                untreated,
                variant=resolved.label,
                mechanism=mechanism,
                age_years=age_years,
                seed=0,
                n_women=n,
                clones_at_ages=clones_by_age(
                    resolved.effect,
                    {},
                    treatment="none",
                    backend=backend,
                    person_factors=sex_factors,
                ),
            )
            base_pen = (
                with_predictive(base_typical, resolved, {}, n, seed, untreated.epo_gain)
                if backend is None
                else base_typical
            )
            response["penetrance_untreated"] = base_pen.penetrance
            response["penetrance_treated"] = pen_value

    return Prediction(
        intervals=spread,
        variant=resolved,
        sex=s,
        xi=x,
        xi_given=xi is not None,
        treatment=treat,
        blood=blood,
        clones=clones,
        disease=basis["call"],
        disease_basis=basis,
        severity=severity,
        iron=iron,
        treatment_response=response,
        penetrance=pen_value,
        quantiles=quantiles,
        penetrance_detail=pen_detail,
        iron_untreated=base_iron,
        plp_age=plp_age,
        provenance=provenance(
            "hemesim.predict",
            {
                "variant": resolved.label,
                "sex": s,
                "xi": xi,
                "treatment": treat.name,
                "n_women": n,
                "age_years": age_years,
            },
            seed if isinstance(seed, int) else None,
        ),
    )
