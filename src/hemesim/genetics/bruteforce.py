"""Plain enumeration of every genotype assignment: the reference for the peeling engine.

For a pedigree of n members this lists all ``2^males * 3^females`` joint genotypes, evaluates
the joint probability of each directly from the transmission rules and observations in
:class:`~hemesim.genetics.xlinked.XLinkedModel`, and sums. It shares no code with
:mod:`hemesim.genetics.peeling` (no factors, no elimination order), so the two check each other.
Use it for small pedigrees only (about 14 members at most).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from hemesim.errors import PedigreeError
from hemesim.genetics.pedigree import Pedigree
from hemesim.genetics.peeling import Inference
from hemesim.genetics.xlinked import XLinkedModel, n_states

__all__ = ["MAX_STATES", "enumerate_pedigree"]

MAX_STATES = 5_000_000


def enumerate_pedigree(
    pedigree: Pedigree, model: XLinkedModel, *, pairs: Sequence[tuple[int, int]] = ()
) -> Inference:
    """Exact log-likelihood and marginals by summing over all joint genotypes.

    Parameters
    ----------
    pedigree
        The pedigree (small: the number of joint states must stay below :data:`MAX_STATES`).
    model
        Priors, penetrance and mutation rates.
    pairs
        Member pairs ``(i, j)`` whose joint posterior is wanted.

    Returns
    -------
    Inference
        Same fields as the peeling engine (``max_clique`` is the member count).
    """
    members = pedigree.individuals
    cards = [n_states(ind.sex) for ind in members]
    total_states = math.prod(cards)
    if total_states > MAX_STATES:
        raise PedigreeError(
            f"brute force: {total_states} joint genotypes exceed {MAX_STATES}; "
            "use the peeling engine"
        )
    grid = np.indices(cards).reshape(len(cards), -1)  # (n, states)
    fathers, mothers = pedigree.parents_index()
    pm = model.maternal_gamete_a()
    pf = model.paternal_gamete_a()
    joint = np.ones(grid.shape[1])
    for i, ind in enumerate(members):
        g = grid[i]
        joint *= model.evidence(ind)[g]
        if mothers[i] < 0:
            joint *= model.prior(ind.sex)[g]
            continue
        a_m = pm[grid[mothers[i]]]
        if ind.sex == "male":
            joint *= np.where(g == 1, a_m, 1.0 - a_m)
        else:
            a_f = pf[grid[fathers[i]]]
            p_nn = (1.0 - a_m) * (1.0 - a_f)
            p_na = a_m * (1.0 - a_f) + (1.0 - a_m) * a_f
            joint *= np.choose(g, [p_nn, p_na, a_m * a_f])
    like = float(joint.sum())
    if not like > 0.0:
        raise PedigreeError("observations impossible under the model (likelihood 0)")
    post = joint / like
    marginals = [np.bincount(grid[i], weights=post, minlength=cards[i]) for i in range(len(cards))]
    pair_out = {}
    for a, b in pairs:
        flat = grid[a] * cards[b] + grid[b]
        pair_out[(a, b)] = np.bincount(flat, weights=post, minlength=cards[a] * cards[b]).reshape(
            cards[a], cards[b]
        )
    return Inference(
        log_likelihood=math.log(like),
        marginals=marginals,
        pair_marginals=pair_out,
        max_clique=len(cards),
        order=list(range(len(cards))),
    )
