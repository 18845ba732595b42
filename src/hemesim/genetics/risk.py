"""Public X-linked risk API: :func:`risk` -> :class:`RiskResult`.

For each member of a pedigree this gives the posterior genotype probabilities, P(carrier)
(for a man: P(he carries A)), P(affected), and for women the risk that her next son is affected
and that her next daughter is a carrier, plus the log-likelihood of the pedigree. Inference is
exact (:mod:`hemesim.genetics.peeling`); :mod:`hemesim.genetics.bruteforce` is the plain
reference (``engine="bruteforce"``).

Next-daughter partner rule: a daughter's genotype depends on her father. If the woman has
children in the pedigree, the father of her last-listed child is taken as the partner and the
joint posterior of the couple is used. Otherwise the partner is an unrelated, unaffected man
from the population: P(A | unaffected) = prior(A) (1 - pen(A)) / normaliser.

Defaults (assumed, not ALAS2-specific measurements): mutation rates ``mu_female = mu_male =
1e-6`` per transmitted X per generation (the usual order of magnitude for a single human gene),
and fitness of affected men ``0.5`` (neither XLSA nor XLP is lethal; affected men have children).
Set them for your family; without an allele frequency the founder prior comes from
mutation-selection equilibrium (:mod:`hemesim.genetics.priors`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import short_repr
from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.genetics.peeling import Factor, Inference, infer
from hemesim.genetics.penetrance import penetrance_for
from hemesim.genetics.priors import (
    FounderPrior,
    _check_prob,
    allele_frequency_prior,
    equilibrium_prior,
)
from hemesim.genetics.xlinked import XLinkedModel, genotype_names, n_states

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_FITNESS_MALE",
    "DEFAULT_MU",
    "MemberRisk",
    "RiskResult",
    "build_model",
    "pedigree_factors",
    "risk",
]

DEFAULT_MU = 1e-6
DEFAULT_FITNESS_MALE = 0.5


@dataclass(frozen=True)
class MemberRisk:
    """Risk figures for one member (probabilities, dimensionless).

    Attributes
    ----------
    id, family, sex
        Who.
    genotype_posterior
        Posterior probability of each genotype (``N``/``A`` or ``NN``/``NA``/``AA``).
    p_carrier
        P(at least one ``A`` allele): for a man, P(he carries the variant).
    p_affected
        P(affected | data): 1 or 0 when the phenotype is observed.
    p_affected_son
        Women only: P(her next son is affected).
    p_carrier_daughter
        Women only: P(her next daughter carries ``A``), with the partner rule of this module.
    partner
        Women only: id of the partner used for the daughter risk, ``None`` for a population one.
    """

    id: str
    family: str
    sex: str
    genotype_posterior: dict[str, float]
    p_carrier: float
    p_affected: float
    p_affected_son: float | None = None
    p_carrier_daughter: float | None = None
    partner: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form; the keys the CLI prints in JSON."""
        out: dict[str, Any] = {
            "id": self.id,
            "family": self.family,
            "sex": self.sex,
            "p_carrier": self.p_carrier,
            "p_affected": self.p_affected,
            "genotype_posterior": dict(self.genotype_posterior),
        }
        if self.sex == "female":
            out["p_affected_son"] = self.p_affected_son
            out["p_carrier_daughter"] = self.p_carrier_daughter
            out["partner"] = self.partner
        return out


@dataclass(frozen=True)
class RiskResult:
    """Per-member risks and the pedigree log-likelihood, with the model and provenance.

    Attributes
    ----------
    log_likelihood
        Natural log of P(observations | pedigree, model).
    members
        One :class:`MemberRisk` per member, in pedigree order.
    model
        The model used (priors, penetrance, mutation rates).
    max_clique
        Largest clique of the elimination (1 + treewidth); loops make it grow.
    provenance
        :func:`hemesim.provenance.provenance` record.
    """

    log_likelihood: float
    members: tuple[MemberRisk, ...]
    model: XLinkedModel
    max_clique: int = 0
    provenance: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> MemberRisk:
        hits = [m for m in self.members if m.id == key]
        if len(hits) != 1:
            raise KeyError(key)
        return hits[0]

    def __len__(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``log_likelihood``, ``individuals``, ``model``, ``provenance``."""
        return {
            "log_likelihood": self.log_likelihood,
            "individuals": [m.to_dict() for m in self.members],
            "model": self.model.to_dict(),
            "max_clique": self.max_clique,
            "provenance": self.provenance,
        }

    def to_dataframe(self) -> pd.DataFrame:
        """One row per member: id, family, sex, p_carrier, p_affected, son/daughter risks and
        posterior genotype columns ``post_<genotype>``."""
        import pandas as pd

        rows = []
        for m in self.members:
            row: dict[str, Any] = {
                "id": m.id,
                "family": m.family,
                "sex": m.sex,
                "p_carrier": m.p_carrier,
                "p_affected": m.p_affected,
                "p_affected_son": m.p_affected_son,
                "p_carrier_daughter": m.p_carrier_daughter,
            }
            for g, p in m.genotype_posterior.items():
                row[f"post_{g}"] = p
            rows.append(row)
        return pd.DataFrame(rows)


def build_model(
    *,
    disease: str = "xlsa",
    mu_female: float = DEFAULT_MU,
    mu_male: float = DEFAULT_MU,
    fitness_male: float = DEFAULT_FITNESS_MALE,
    allele_frequency: float | None = None,
    penetrance_female: float | None = None,
    penetrance_male: float | None = None,
    phenocopy: float = 0.0,
    founder_prior: FounderPrior | None = None,
) -> XLinkedModel:
    """Assemble an :class:`~hemesim.genetics.xlinked.XLinkedModel` from user-level settings.

    The founder prior is ``founder_prior`` if given, else from ``allele_frequency`` if given,
    else mutation-selection equilibrium from ``mu_female``, ``mu_male`` and ``fitness_male``.
    Every argument is checked whether or not it is used (``fitness_male`` matters only for the
    equilibrium prior, yet ``fitness_male="abc"`` is refused with an allele frequency too).

    Raises
    ------
    PedigreeError
        One line naming the argument and the expected form: a number in its range (booleans
        and text such as ``"1e-6"`` are refused, not converted), a known disease, a
        :class:`~hemesim.genetics.priors.FounderPrior`.
    """
    pen = penetrance_for(
        disease,
        penetrance_female=penetrance_female,
        penetrance_male=penetrance_male,
        phenocopy=phenocopy,
    )
    # checked here even when the founder prior does not come from it (never silently ignored)
    _check_prob("fitness_male", fitness_male, open_upper=True)
    if founder_prior is not None and not isinstance(founder_prior, FounderPrior):
        raise PedigreeError(
            f"founder_prior {short_repr(founder_prior)}: expected a FounderPrior "
            "(hemesim.genetics.priors.FounderPrior(male=(P(N), P(A)), female=(P(NN), P(NA), "
            "P(AA)))) or None"
        )
    from_frequency = None if allele_frequency is None else allele_frequency_prior(allele_frequency)
    if founder_prior is None:
        if from_frequency is not None:
            founder_prior = from_frequency
        else:
            founder_prior = equilibrium_prior(mu_female, mu_male, fitness_male)
    return XLinkedModel(
        founder_prior=founder_prior, penetrance=pen, mu_female=mu_female, mu_male=mu_male
    )


def _partners(pedigree: Pedigree) -> dict[int, int]:
    """Woman position -> partner position (father of her last-listed child)."""
    fathers, mothers = pedigree.parents_index()
    out: dict[int, int] = {}
    for i in range(len(pedigree)):
        if mothers[i] >= 0:
            out[mothers[i]] = fathers[i]
    return out


def pedigree_factors(
    pedigree: Pedigree, model: XLinkedModel, couples: dict[int, int] | None = None
) -> tuple[list[int], list[Factor]]:
    """The pedigree likelihood as factors: one per member (prior or transmission x evidence).

    A founder contributes ``prior x evidence`` over (self); a son ``P(son | mother) x evidence``
    over (self, mother) (a father passes no X to sons, so he is not in the factor); a daughter
    ``P(daughter | father, mother) x evidence`` over (self, father, mother). For each couple in
    ``couples`` (woman -> partner) an all-ones factor over (woman, partner) makes their joint
    posterior available without changing anything.
    """
    fathers, mothers = pedigree.parents_index()
    cards = [n_states(ind.sex) for ind in pedigree]
    son = model.son_table().T  # (son, mother)
    daughter = np.transpose(model.daughter_table(), (2, 0, 1))  # (daughter, father, mother)
    factors: list[Factor] = []
    linked: set[tuple[int, int]] = set()
    for i, ind in enumerate(pedigree):
        ev = model.evidence(ind)
        if mothers[i] < 0:
            factors.append(((i,), model.prior(ind.sex) * ev))
        elif ind.sex == "male":
            factors.append(((i, mothers[i]), son * ev[:, None]))
        else:
            factors.append(((i, fathers[i], mothers[i]), daughter * ev[:, None, None]))
            linked.add((mothers[i], fathers[i]))
    for woman, man in (couples or {}).items():
        if (woman, man) not in linked:
            factors.append(((woman, man), np.ones((cards[woman], cards[man]))))
    return cards, factors


def _describe(pedigree: Pedigree, variables: Any) -> str:
    names = [repr(pedigree.individuals[v].id) for v in list(variables)[:6]]
    more = " ..." if len(list(variables)) > 6 else ""
    return "individuals " + ", ".join(names) + more


def _member(
    ind: Individual,
    post: np.ndarray,
    model: XLinkedModel,
    joint_with_partner: np.ndarray | None,
    partner: str | None,
) -> MemberRisk:
    names = genotype_names(ind.sex)
    post = np.clip(post / post.sum(), 0.0, 1.0)
    pen = model.affected_prob(ind.sex)
    p_aff = float(post @ pen) if ind.affected is None else float(ind.affected)
    p_carrier = float(post[1:].sum())
    son_risk = daughter_risk = None
    if ind.sex == "female":
        pm = model.maternal_gamete_a()
        pen_m = model.affected_prob("male")
        son_risk = float(post @ (pm * pen_m[1] + (1 - pm) * pen_m[0]))
        pf = model.paternal_gamete_a()
        if joint_with_partner is None:
            prior_m = model.prior("male") * (1.0 - pen_m)
            partner_post = prior_m / prior_m.sum()
            joint_with_partner = np.outer(post, partner_post)
        # P(daughter has >= 1 A) = P(egg A) + P(sperm A) - both (no cancellation for tiny risks)
        any_a = pm[:, None] + pf[None, :] - np.outer(pm, pf)
        daughter_risk = float(np.sum(joint_with_partner * any_a))
    return MemberRisk(
        id=ind.id,
        family=ind.family,
        sex=ind.sex,
        genotype_posterior={g: float(p) for g, p in zip(names, post, strict=True)},
        p_carrier=min(max(p_carrier, 0.0), 1.0),
        p_affected=min(max(p_aff, 0.0), 1.0),
        p_affected_son=son_risk,
        p_carrier_daughter=None if daughter_risk is None else min(max(daughter_risk, 0.0), 1.0),
        partner=partner,
    )


def risk(
    pedigree: Pedigree | str | os.PathLike[str],
    *,
    disease: str = "xlsa",
    mu_female: float = DEFAULT_MU,
    mu_male: float = DEFAULT_MU,
    fitness_male: float = DEFAULT_FITNESS_MALE,
    allele_frequency: float | None = None,
    penetrance_female: float | None = None,
    penetrance_male: float | None = None,
    phenocopy: float = 0.0,
    founder_prior: FounderPrior | None = None,
    engine: str = "peeling",
) -> RiskResult:
    """Exact X-linked carrier and disease risks for every member of a pedigree.

    Parameters
    ----------
    pedigree
        A :class:`~hemesim.genetics.pedigree.Pedigree`, or the path of a ``.ped`` file or of a
        pedigreejs ``.json`` file.
    disease
        Penetrance preset, ``"xlsa"`` (low heterozygote penetrance) or ``"xlp"`` (substantial).
    mu_female, mu_male
        N -> A mutation probability per transmitted X in eggs / sperm, per generation.
    fitness_male
        Relative fitness of affected men, in [0, 1); used for the equilibrium founder prior.
    allele_frequency
        If given, founders are drawn from this allele frequency (HWE in women) instead of the
        mutation-selection equilibrium.
    penetrance_female
        P(affected | heterozygous woman); overrides the preset. The phenotype stage may pass a
        variant-specific number here.
    penetrance_male
        P(affected | hemizygous man) (and homozygous woman); overrides the preset.
    phenocopy
        P(affected | no A allele), default 0.
    founder_prior
        Explicit founder genotype probabilities (overrides ``allele_frequency`` and equilibrium).
    engine
        ``"peeling"`` (exact, any size) or ``"bruteforce"`` (enumeration, small pedigrees).

    Returns
    -------
    RiskResult

    Raises
    ------
    PedigreeError
        Bad parameters (one line naming the argument and the expected form; booleans and text
        are not numbers), a ``pedigree`` that is neither a Pedigree nor a path, an invalid
        pedigree, or observations with likelihood zero.
    """
    from hemesim.provenance import provenance

    if not isinstance(engine, str) or engine not in ("peeling", "bruteforce"):
        raise PedigreeError(f"engine {short_repr(engine)}: expected 'peeling' or 'bruteforce'")
    # the arguments first (cheap), then the file
    model = build_model(
        disease=disease,
        mu_female=mu_female,
        mu_male=mu_male,
        fitness_male=fitness_male,
        allele_frequency=allele_frequency,
        penetrance_female=penetrance_female,
        penetrance_male=penetrance_male,
        phenocopy=phenocopy,
        founder_prior=founder_prior,
    )
    if not isinstance(pedigree, Pedigree):
        if not isinstance(pedigree, (str, os.PathLike)):
            hint = (
                "; wrap a list of Individual as Pedigree([...])"
                if isinstance(pedigree, (list, tuple, Individual))
                else ""
            )
            raise PedigreeError(
                f"pedigree {short_repr(pedigree)}: expected a Pedigree or the path (str or "
                f"os.PathLike) of a .ped or pedigreejs .json file{hint}"
            )
        from hemesim.genetics.ped import read_ped

        pedigree = read_ped(pedigree)  # reads .json files as pedigreejs
    couples = _partners(pedigree)
    pairs = list(couples.items())
    inference: Inference
    if engine == "peeling":
        cards, factors = pedigree_factors(pedigree, model, couples)
        inference = infer(cards, factors, pairs=pairs, describe=lambda vs: _describe(pedigree, vs))
    else:
        from hemesim.genetics.bruteforce import enumerate_pedigree

        inference = enumerate_pedigree(pedigree, model, pairs=pairs)
    members = []
    for i, ind in enumerate(pedigree):
        partner = couples.get(i)
        joint = inference.pair_marginals.get((i, partner)) if partner is not None else None
        members.append(
            _member(
                ind,
                inference.marginals[i],
                model,
                joint,
                None if partner is None else pedigree.individuals[partner].id,
            )
        )
    params = {
        "disease": disease,
        "mu_female": mu_female,
        "mu_male": mu_male,
        "fitness_male": fitness_male,
        "allele_frequency": allele_frequency,
        "penetrance_female": penetrance_female,
        "penetrance_male": penetrance_male,
        "phenocopy": phenocopy,
        "founder_prior": None if founder_prior is None else founder_prior.to_dict(),
        "engine": engine,
        "n_individuals": len(pedigree),
    }
    return RiskResult(
        log_likelihood=inference.log_likelihood,
        members=tuple(members),
        model=model,
        max_clique=inference.max_clique,
        provenance=provenance("hemesim.risk", params),
    )
