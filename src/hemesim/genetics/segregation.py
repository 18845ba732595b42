r"""Cosegregation of a variant with X-linked disease: the full-likelihood Bayes factor.

:func:`segregation` weighs a family's affection status and variant genotypes for and against
the hypothesis that the variant causes the disease (Thompson, Easton & Goldgar, Am J Hum Genet
2003;73:652, PMID 12900794, "a full-likelihood method for the evaluation of causality of sequence
variants from family data"):

* **causal** (H1): the variant is the disease allele ``A`` of the X-linked model
  (:mod:`hemesim.genetics.xlinked`): P(affected) depends on sex and genotype through the
  penetrances (hemizygous man, heterozygous woman, homozygous woman) and the phenocopy rate for
  non-carriers;
* **neutral** (H0): the variant is inherited the same way but has nothing to do with the disease;
  the affection status comes from an unlinked locus of the same model, so under H0 the
  phenotypes Y and the genotypes G are independent: ``P(Y, G | H0) = P(Y) P(G)``.

Conditioning on the proband (ascertainment)
    A family reaches the clinic through its proband, an affected carrier. His or her genotype is
    the reason the variant is being studied, so it is not evidence: the Bayes factor is computed
    **conditional on every phenotype and on the proband's genotype**, as in Thompson et al. 2003
    and in the FLB of the R package segregatr (Vigeland & Carrizosa)::

        BF = P(G_rest | G_proband, Y, H1) / P(G_rest | G_proband, H0)
           = [P(Y, G | H1) / P(Y, G_proband | H1)] / [P(G) / P(G_proband)]

    With several families (PED family ids), each has its own proband and the Bayes factor is the
    product over families (the likelihoods factorise over unconnected families).

Genotype data G are the PED ``genotype`` column (``N``/``A`` men, ``NN``/``NA``/``AA`` women)
and the ``carrier_test`` column (a test for the variant, with its sensitivity and specificity).
Phenotypes Y are the PED affection status (unknown status contributes nothing).

Every likelihood is exact and computed by the pedigree engine (:mod:`hemesim.genetics.peeling`,
junction-tree variable elimination; loops such as consanguinity are exact too).
``engine="bruteforce"`` uses plain enumeration (:mod:`hemesim.genetics.bruteforce`) instead; the
tests check that the two agree.

Founders get the allele frequency ``q`` (men ``A`` with ``q``, women in Hardy-Weinberg
proportions) when it is given, otherwise the mutation-selection equilibrium of
:mod:`hemesim.genetics.priors` (the default of :func:`hemesim.genetics.risk.risk`). The mutation
rates ``mu_female``/``mu_male`` also enter the transmission under both hypotheses, so a de novo
proband does not make the data impossible; set them to 0 to match segregatr (no mutation).

The strength of ACMG/AMP evidence (PP1/BS4) that a Bayes factor supports is decided by the
variant stage (:func:`hemesim.variants.acmg.cosegregation_criterion`), which takes the plain
number (genetics and variants do not import each other).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from typing import Any

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import short_repr
from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.genetics.penetrance import Penetrance
from hemesim.genetics.priors import (
    FounderPrior,
    _check_prob,
    allele_frequency_prior,
    equilibrium_prior,
)
from hemesim.genetics.xlinked import XLinkedModel

__all__ = [
    "CONDITIONING",
    "DEFAULT_PENETRANCE",
    "SegregationResult",
    "segregation",
    "segregation_model",
]

THOMPSON_2003 = (
    "Thompson D, Easton DF, Goldgar DE. Am J Hum Genet 2003;73:652-655 (PMID 12900794): "
    "full-likelihood Bayes factor"
)

CONDITIONING = (
    "conditional on every affection status and on the genotype of each family's proband: "
    "BF = [P(Y, G | causal) / P(Y, G_proband | causal)] / [P(G) / P(G_proband)] "
    "(Thompson, Easton & Goldgar 2003; as the FLB of segregatr)"
)

DEFAULT_PENETRANCE = {"male": 1.0, "female_het": 0.05, "female_hom": 1.0, "phenocopy": 0.0}
"""Defaults when no penetrance is given to the API: the ``xlsa`` preset of
:mod:`hemesim.genetics.penetrance` (assumed; see there). The CLI replaces the heterozygous-woman
value by the variant's own predicted penetrance."""

_IMPOSSIBLE = "observations impossible under the model (likelihood 0)"


@dataclass(frozen=True)
class SegregationResult:
    """The cosegregation Bayes factor of one pedigree and how it was computed.

    Attributes
    ----------
    bayes_factor
        ``P(data | causal) / P(data | neutral)``, conditional as in :data:`CONDITIONING`
        (dimensionless, >= 0; 0 when the data exclude a causal variant under the model; ``inf``
        past the float range, about 1e304, when ``log10_bayes_factor`` still holds the value).
    log10_bayes_factor
        ``log10(bayes_factor)``; ``None`` when the Bayes factor is 0.
    probands
        ``(family, id)`` of each family's proband.
    proband_source
        Per proband: ``"proband column"``, ``"argument"`` or ``"first affected carrier"``.
    penetrance
        The penetrances used (:class:`~hemesim.genetics.penetrance.Penetrance`).
    model
        The full X-linked model (founder prior, penetrance, mutation rates).
    log_likelihoods
        Natural logs of the four likelihoods: ``causal_all`` P(Y, G | H1), ``causal_proband``
        P(Y, G_proband | H1), ``genotypes_all`` P(G), ``genotypes_proband`` P(G_proband).
    counts
        Members, affected, genotyped (genotype or carrier test) and carriers observed.
    max_clique
        Largest clique of the elimination (1 + treewidth).
    conditioning
        How the proband is conditioned on (:data:`CONDITIONING`).
    notes
        What was assumed or chosen.
    provenance
        :func:`hemesim.provenance.provenance` record.
    """

    bayes_factor: float
    log10_bayes_factor: float | None
    probands: tuple[tuple[str, str], ...]
    proband_source: tuple[str, ...]
    penetrance: Penetrance
    model: XLinkedModel
    log_likelihoods: dict[str, float]
    counts: dict[str, int]
    max_clique: int = 0
    conditioning: str = CONDITIONING
    notes: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``bayes_factor``, ``log10_bayes_factor``, ``penetrance`` ...)."""
        pen = self.penetrance
        return {
            "bayes_factor": self.bayes_factor,
            "log10_bayes_factor": self.log10_bayes_factor,
            "conditioning": self.conditioning,
            "probands": [
                {"family": fam, "id": iid, "chosen_by": how}
                for (fam, iid), how in zip(self.probands, self.proband_source, strict=True)
            ],
            "penetrance": {
                "male_hemizygous": pen.male[1],
                "female_heterozygous": pen.female[1],
                "female_homozygous": pen.female[2],
                "phenocopy_male": pen.male[0],
                "phenocopy_female": pen.female[0],
                "source": pen.source,
            },
            "founder_prior": self.model.founder_prior.to_dict(),
            "mu_female": self.model.mu_female,
            "mu_male": self.model.mu_male,
            "assumptions": [self.conditioning, *self.model.assumptions()],
            "log_likelihoods": {
                k: (v if math.isfinite(v) else None) for k, v in self.log_likelihoods.items()
            },
            "counts": dict(self.counts),
            "max_clique": self.max_clique,
            "method": THOMPSON_2003,
            "notes": list(self.notes),
            "provenance": self.provenance,
        }


def segregation_model(
    *,
    penetrance_male: float | None = None,
    penetrance_female_het: float | None = None,
    penetrance_female_hom: float | None = None,
    phenocopy: float | None = None,
    allele_frequency: float | None = None,
    mu_female: float = 1e-6,
    mu_male: float = 1e-6,
    fitness_male: float = 0.5,
    penetrance_source: str = "",
) -> XLinkedModel:
    """The X-linked model of the causal hypothesis, every argument checked.

    Parameters
    ----------
    penetrance_male, penetrance_female_het, penetrance_female_hom
        P(affected | hemizygous man / heterozygous woman / homozygous woman), probabilities;
        ``None`` takes :data:`DEFAULT_PENETRANCE`.
    phenocopy
        P(affected | no variant allele), for men and women; ``None`` takes 0.
    allele_frequency
        Founder frequency of the variant allele (dimensionless, in [0, 1]); ``None`` uses the
        mutation-selection equilibrium from ``mu_female``, ``mu_male`` and ``fitness_male``.
    mu_female, mu_male
        N -> A mutation probability per transmitted X (eggs, sperm), in [0, 0.1].
    fitness_male
        Relative fitness of affected men in [0, 1) (equilibrium prior only; always checked).
    penetrance_source
        One line saying where the penetrances come from.

    Raises
    ------
    PedigreeError
        One line naming the argument and the expected range.
    """
    values = {
        "penetrance_male": (penetrance_male, DEFAULT_PENETRANCE["male"]),
        "penetrance_female_het": (penetrance_female_het, DEFAULT_PENETRANCE["female_het"]),
        "penetrance_female_hom": (penetrance_female_hom, DEFAULT_PENETRANCE["female_hom"]),
        "phenocopy": (phenocopy, DEFAULT_PENETRANCE["phenocopy"]),
    }
    got = {
        name: _check_prob(name, value) if value is not None else default
        for name, (value, default) in values.items()
    }
    _check_prob("mu_female", mu_female, upper=0.1)
    _check_prob("mu_male", mu_male, upper=0.1)
    _check_prob("fitness_male", fitness_male, open_upper=True)
    prior: FounderPrior
    if allele_frequency is not None:
        prior = allele_frequency_prior(allele_frequency)
    else:
        prior = equilibrium_prior(mu_female, mu_male, fitness_male)
    defaults = [name for name, (value, _) in values.items() if value is None]
    source = penetrance_source or "given by the caller"
    if defaults and not penetrance_source:
        source += f"; defaults (xlsa preset, assumed) for {', '.join(defaults)}"
    pen = Penetrance(
        male=(got["phenocopy"], got["penetrance_male"]),
        female=(got["phenocopy"], got["penetrance_female_het"], got["penetrance_female_hom"]),
        name="segregation",
        source=source,
    )
    return XLinkedModel(
        founder_prior=prior, penetrance=pen, mu_female=float(mu_female), mu_male=float(mu_male)
    )


def _has_genotype_data(ind: Individual) -> bool:
    return ind.genotype is not None or ind.carrier_test is not None


def _is_observed_carrier(ind: Individual) -> bool:
    return (ind.genotype is not None and "A" in ind.genotype) or ind.carrier_test == "positive"


def _choose_probands(
    pedigree: Pedigree, proband: str | tuple[str, str] | None
) -> tuple[list[int], list[str]]:
    """Position of each family's proband and how it was chosen."""
    families: dict[str, list[int]] = {}
    for i, ind in enumerate(pedigree):
        families.setdefault(ind.family, []).append(i)
    chosen: dict[str, tuple[int, str]] = {}
    if proband is not None:
        if not (
            isinstance(proband, str)
            or (isinstance(proband, tuple) and all(isinstance(p, str) for p in proband))
        ):
            raise PedigreeError(
                f"proband {short_repr(proband)}: expected an individual id or (family, id)"
            )
        try:
            i = pedigree.index_of(proband)
        except PedigreeError:
            raise PedigreeError(
                f"proband {short_repr(proband)}: no such individual in the pedigree"
            ) from None
        chosen[pedigree.individuals[i].family] = (i, "argument")
    for fam, members in families.items():
        if fam in chosen:
            continue
        flagged = [i for i in members if pedigree.individuals[i].proband]
        if len(flagged) > 1:
            ids = ", ".join(repr(pedigree.individuals[i].id) for i in flagged[:4])
            raise PedigreeError(
                f"family {fam!r}: several probands marked ({ids}); mark one per family, the "
                "affected carrier through whom the family was ascertained"
            )
        if flagged:
            chosen[fam] = (flagged[0], "proband column")
            continue
        candidates = [
            i
            for i in members
            if pedigree.individuals[i].affected is True
            and pedigree.individuals[i].genotype is not None
            and "A" in pedigree.individuals[i].genotype  # type: ignore[operator]
        ]
        if not candidates:
            raise PedigreeError(
                f"family {fam!r}: no proband; the Bayes factor is conditioned on an affected "
                "carrier (genotype A, NA or AA) through whom the family was ascertained: mark "
                "one in the proband column or name it (--proband ID)"
            )
        chosen[fam] = (candidates[0], "first affected carrier")
    positions, sources = [], []
    for fam in families:
        i, how = chosen[fam]
        ind = pedigree.individuals[i]
        if ind.affected is not True:
            raise PedigreeError(
                f"proband {ind.id!r} (family {fam!r}): must be affected (PED phenotype 2); the "
                "Bayes factor is conditioned on an affected carrier"
            )
        if ind.genotype is None or "A" not in ind.genotype:
            raise PedigreeError(
                f"proband {ind.id!r} (family {fam!r}): must carry the variant (genotype column "
                "A for a man, NA or AA for a woman)"
            )
        positions.append(i)
        sources.append(how)
    return positions, sources


def _strip(pedigree: Pedigree, *, phenotypes: bool, genotypes_of: set[int] | None) -> Pedigree:
    """A copy keeping the phenotypes (or not) and the genotype data of ``genotypes_of``
    (``None``: everyone's)."""
    members = []
    for i, ind in enumerate(pedigree):
        changes: dict[str, Any] = {}
        if not phenotypes:
            changes["affected"] = None
        if genotypes_of is not None and i not in genotypes_of:
            changes.update(genotype=None, carrier_test=None, sensitivity=None, specificity=None)
        members.append(replace(ind, **changes) if changes else ind)
    return Pedigree(members)


def _log_likelihood(pedigree: Pedigree, model: XLinkedModel, engine: str) -> tuple[float, int]:
    """Natural log of the likelihood (``-inf`` when it is 0) and the largest clique."""
    try:
        if engine == "peeling":
            from hemesim.genetics.peeling import infer
            from hemesim.genetics.risk import pedigree_factors

            cards, factors = pedigree_factors(pedigree, model)
            inf = infer(cards, factors)
        else:
            from hemesim.genetics.bruteforce import enumerate_pedigree

            inf = enumerate_pedigree(pedigree, model)
    except PedigreeError as exc:
        if str(exc).startswith(_IMPOSSIBLE):
            return -math.inf, 0
        raise
    return inf.log_likelihood, inf.max_clique


def segregation(
    pedigree: Pedigree | str | os.PathLike[str],
    *,
    penetrance_male: float | None = None,
    penetrance_female_het: float | None = None,
    penetrance_female_hom: float | None = None,
    phenocopy: float | None = None,
    allele_frequency: float | None = None,
    mu_female: float = 1e-6,
    mu_male: float = 1e-6,
    fitness_male: float = 0.5,
    proband: str | tuple[str, str] | None = None,
    penetrance_source: str = "",
    engine: str = "peeling",
) -> SegregationResult:
    """Full-likelihood Bayes factor for cosegregation of a variant with X-linked disease.

    Parameters
    ----------
    pedigree
        A :class:`~hemesim.genetics.pedigree.Pedigree` or the path of a ``.ped`` (or
        pedigreejs ``.json``) file, with affection status and the ``genotype`` (and/or
        ``carrier_test``) column for the variant.
    penetrance_male, penetrance_female_het, penetrance_female_hom, phenocopy
        Penetrances of the causal hypothesis (probabilities); see :func:`segregation_model`.
    allele_frequency
        Founder frequency of the variant allele; ``None``: mutation-selection equilibrium.
    mu_female, mu_male, fitness_male
        Mutation rates (per transmitted X) and fitness of affected men, as in
        :func:`hemesim.genetics.risk.risk`; 0 rates reproduce segregatr's FLB exactly.
    proband
        Id (or ``(family, id)``) of the proband of its family; other families use their
        ``proband`` column, else their first affected carrier in file order (reported).
    penetrance_source
        Where the penetrances come from (one line, reported).
    engine
        ``"peeling"`` (exact, any pedigree) or ``"bruteforce"`` (enumeration, small pedigrees).

    Returns
    -------
    SegregationResult
        ``result.bayes_factor`` and how it was conditioned (:data:`CONDITIONING`).

    Raises
    ------
    PedigreeError
        Bad parameters (one line naming the argument), no usable proband, or genotypes that are
        impossible under Mendelian inheritance with the given mutation rates.

    Examples
    --------
    >>> from hemesim.genetics.pedigree import Individual, Pedigree
    >>> fam = Pedigree([
    ...     Individual("gf", "male", affected=False),
    ...     Individual("gm", "female", affected=False),
    ...     Individual("uncle", "male", "gf", "gm", affected=True, genotype="A"),
    ...     Individual("mother", "female", "gf", "gm", affected=False),
    ...     Individual("father", "male", affected=False),
    ...     Individual("son", "male", "father", "mother", affected=True, genotype="A",
    ...                proband=True),
    ... ])
    >>> # neutral: the uncle is A with 1/2 (grandmother a carrier) x 1/2; causal: 1 (he is affected)
    >>> round(segregation(fam, allele_frequency=1e-4, mu_female=0, mu_male=0).bayes_factor, 3)
    3.999
    """
    from hemesim.provenance import provenance

    if not isinstance(engine, str) or engine not in ("peeling", "bruteforce"):
        raise PedigreeError(f"engine {short_repr(engine)}: expected 'peeling' or 'bruteforce'")
    model = segregation_model(
        penetrance_male=penetrance_male,
        penetrance_female_het=penetrance_female_het,
        penetrance_female_hom=penetrance_female_hom,
        phenocopy=phenocopy,
        allele_frequency=allele_frequency,
        mu_female=mu_female,
        mu_male=mu_male,
        fitness_male=fitness_male,
        penetrance_source=penetrance_source,
    )
    if not isinstance(pedigree, Pedigree):
        from hemesim.genetics.ped import read_ped

        pedigree = read_ped(pedigree)  # refuses non-paths with a one-line message
    positions, sources = _choose_probands(pedigree, proband)
    proband_set = set(positions)
    ll_all, clique_all = _log_likelihood(pedigree, model, engine)
    ll_prob, _ = _log_likelihood(
        _strip(pedigree, phenotypes=True, genotypes_of=proband_set), model, engine
    )
    ll_g, clique_g = _log_likelihood(
        _strip(pedigree, phenotypes=False, genotypes_of=None), model, engine
    )
    ll_gp, _ = _log_likelihood(
        _strip(pedigree, phenotypes=False, genotypes_of=proband_set), model, engine
    )
    if ll_g == -math.inf:
        raise PedigreeError(
            "genotypes impossible under Mendelian inheritance (likelihood 0 without any "
            "phenotype): check the genotype and carrier_test columns, or allow new mutations "
            "(mu_female, mu_male > 0)"
        )
    if ll_prob == -math.inf or ll_gp == -math.inf:
        raise PedigreeError(
            "the probands' own data are impossible under the causal model (likelihood 0): check "
            "the penetrances and the phenocopy rate"
        )
    notes: list[str] = []
    if ll_all == -math.inf:
        bf = 0.0
        log10 = None
        notes.append(
            "the data are impossible if the variant is causal (for example an affected "
            "non-carrier with phenocopy rate 0, or an unaffected hemizygous man with male "
            "penetrance 1): Bayes factor 0"
        )
    else:
        ln_bf = ll_all - ll_prob - ll_g + ll_gp
        log10 = ln_bf / math.log(10.0)
        bf = math.exp(ln_bf) if ln_bf < 700 else math.inf
    for i, how in zip(positions, sources, strict=True):
        if how == "first affected carrier":
            ind = pedigree.individuals[i]
            notes.append(
                f"family {ind.family!r}: proband taken to be {ind.id!r}, its first affected "
                "carrier in file order (mark the proband column to choose another)"
            )
    counts = {
        "members": len(pedigree),
        "affected": sum(1 for ind in pedigree if ind.affected is True),
        "unaffected": sum(1 for ind in pedigree if ind.affected is False),
        "genotyped": sum(1 for ind in pedigree if _has_genotype_data(ind)),
        "carriers_observed": sum(1 for ind in pedigree if _is_observed_carrier(ind)),
    }
    if counts["genotyped"] == len(positions):
        notes.append(
            "only the probands are genotyped: without genotypes of relatives there is no "
            "cosegregation evidence (Bayes factor 1)"
        )
    params = {
        "penetrance_male": penetrance_male,
        "penetrance_female_het": penetrance_female_het,
        "penetrance_female_hom": penetrance_female_hom,
        "phenocopy": phenocopy,
        "allele_frequency": allele_frequency,
        "mu_female": mu_female,
        "mu_male": mu_male,
        "fitness_male": fitness_male,
        "proband": proband if not isinstance(proband, tuple) else list(proband),
        "engine": engine,
        "n_individuals": len(pedigree),
    }
    return SegregationResult(
        bayes_factor=bf,
        log10_bayes_factor=log10,
        probands=tuple(
            (pedigree.individuals[i].family, pedigree.individuals[i].id) for i in positions
        ),
        proband_source=tuple(sources),
        penetrance=model.penetrance,
        model=model,
        log_likelihoods={
            "causal_all": ll_all,
            "causal_proband": ll_prob,
            "genotypes_all": ll_g,
            "genotypes_proband": ll_gp,
        },
        counts=counts,
        max_clique=max(clique_all, clique_g),
        notes=tuple(notes),
        provenance=provenance("hemesim.segregation", params),
    )
