"""The erythron's share of transferrin iron: a clone cannot take up more than the plasma delivers.

The model is one erythroblast. Its transferrin iron uptake is ``iron.supply x TfR1_level``, and
TfR1 rises when the cell is short of iron (IRP). For one cell among normal ones that is right; but
when *every* erythroblast carries the variant, all of them raise TfR1 together and they share the
same plasma iron. Plasma iron turnover is set by the body (iron recycled from old red cells by
macrophages plus absorption), not by the erythroblasts' receptors: when all receptors rise, the
transferrin saturation falls and each cell still receives about the normal amount (plasma iron
kinetics; the erythroid iron turnover of ~21 mg Fe/day, "the usual 20-25 mg/day", is supplied
mostly by recycling: ``shared/biology-anchors.md``, whole-body erythroid heme synthesis row,
calculated and recalled there, not verified here). Without that limit an XLP gain of function
(whose extra protoporphyrin drains matrix iron and raises TfR1) would draw ~12 % more iron into
every cell, make ~10 % more haemoglobin per cell than normal, and leave the porphyrin largely zinc-
chelated - more than the XLP patients of Whatley et al. 2008 (AJHG 83:408, "without anemia") and
the iron-limited picture of XLP (iron supplementation lowers protoporphyrin in XLP; Barman-
Aksoezen, Schneider-Yin & Minder, phenotype/data/README.md) allow.

The rule (an assumption of hemesim, stated in docs/phenotype.md):

* a clone whose cells would take up **more** transferrin iron over maturation than a normal clone
  of the same person gets its iron supply scaled by ``share <= 1`` so that its uptake equals the
  normal clone's (the plasma's delivery). ``share`` is found in a few rounds of a secant
  (Newton) step on ``ln U(share) = ln U_normal`` until the uptakes agree within 0.2 %;
* a clone that takes up **less** (XLSA: less heme made, less demand) is left as it is: the iron it
  does not take stays in plasma and stores, which the body-iron balance
  (:mod:`hemesim.phenotype.iron_overload`) follows;
* each clone is treated as its own erythron. In a mosaic woman the two clones share one plasma,
  so this overstates the limit on her variant cells and ignores the small one on her normal
  cells (a stated approximation);
* a treatment that raises iron supply (``--treat iron``) raises the plasma's delivery to both
  clones, so the variant clone gets more iron too.

A wild-type genotype, and so the calibrated virtual population, is unchanged (its clone *is* the
normal clone).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "IRON_SUPPLY_PARAMETER",
    "MAX_ROUNDS",
    "TOLERANCE",
    "UPTAKE_OUTPUT",
    "ELASTICITY_GUESS",
    "elasticity_of",
    "limit_shares",
    "needs_limit",
    "next_share",
]

#: Model quantity holding the transferrin iron one cell took up over maturation (amol).
UPTAKE_OUTPUT = "iron_taken_up_amol"
#: Parameter-table name of the cell's transferrin iron supply (amol/h).
IRON_SUPPLY_PARAMETER = "iron.supply"
#: Relative agreement of the clone's and the normal clone's uptake that ends the rounds.
TOLERANCE = 0.002
#: Most rounds (each is one more simulation of the clones still above the limit).
MAX_ROUNDS = 4
#: First guess of ``d ln(uptake) / d ln(iron supply)`` of a limited clone: the model's own
#: value for the c.1699_1700del man, measured between supply x 1 and x 0.9 (uptake 2325 ->
#: 2148 amol: ln(0.924) / ln(0.9) = 0.75). Only the number of rounds depends on it, not the result.
ELASTICITY_GUESS = 0.75


def needs_limit(
    uptake: NDArray[np.float64] | float,
    reference: NDArray[np.float64] | float,
    share: NDArray[np.float64] | float,
) -> NDArray[np.bool_]:
    """Which clones still need another round (bool per clone).

    A clone needs one when it takes up more than ``reference x (1 + TOLERANCE)``, or when it is
    already limited (``share < 1``) and now takes up less than ``reference x (1 - TOLERANCE)``
    (the limit overshot). ``uptake`` and ``reference`` in amol per cell; NaN (a failed
    simulation) never needs a round.
    """
    u = np.asarray(uptake, dtype=float)
    r = np.asarray(reference, dtype=float)
    s = np.asarray(share, dtype=float)
    with np.errstate(invalid="ignore"):
        above = u > r * (1.0 + TOLERANCE)
        overshot = (s < 1.0) & (u < r * (1.0 - TOLERANCE))
    return np.asarray((above | overshot) & np.isfinite(u) & np.isfinite(r) & (r > 0))


def next_share(
    share: NDArray[np.float64] | float,
    uptake: NDArray[np.float64] | float,
    reference: NDArray[np.float64] | float,
    elasticity: NDArray[np.float64] | float = ELASTICITY_GUESS,
) -> NDArray[np.float64]:
    """One round: ``min(1, share x (reference / uptake)^(1 / elasticity))`` (dimensionless).

    ``elasticity`` is ``d ln(uptake) / d ln(share)``: below 1 because a cell given less iron
    raises TfR1 and takes a larger part of what it is offered. The first round uses
    :data:`ELASTICITY_GUESS`; later rounds the secant of the last two (:func:`elasticity_of`).
    """
    s = np.asarray(share, dtype=float)
    u = np.asarray(uptake, dtype=float)
    r = np.asarray(reference, dtype=float)
    e = np.clip(np.asarray(elasticity, dtype=float), 0.2, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        new = np.where(u > 0, s * (r / u) ** (1.0 / e), s)
    return np.asarray(np.clip(new, 0.0, 1.0))


def elasticity_of(
    share_before: NDArray[np.float64] | float,
    uptake_before: NDArray[np.float64] | float,
    share_now: NDArray[np.float64] | float,
    uptake_now: NDArray[np.float64] | float,
) -> NDArray[np.float64]:
    """Secant ``d ln(uptake) / d ln(share)`` between two rounds (:data:`ELASTICITY_GUESS` where
    the share did not move or an uptake is not positive)."""
    s0, u0 = np.asarray(share_before, float), np.asarray(uptake_before, float)
    s1, u1 = np.asarray(share_now, float), np.asarray(uptake_now, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.log(u1 / u0) / np.log(s1 / s0)
    ok = np.isfinite(e) & (s1 != s0) & (u0 > 0) & (u1 > 0)
    return np.asarray(np.where(ok, e, ELASTICITY_GUESS))


def limit_shares(
    uptake: NDArray[np.float64],
    reference: NDArray[np.float64],
    rerun: Callable[[NDArray[np.int64], NDArray[np.float64]], NDArray[np.float64]],
) -> NDArray[np.float64]:
    """The share of iron supply of each clone (dimensionless, one per clone).

    Parameters
    ----------
    uptake
        Each variant clone's transferrin iron uptake at its full supply (amol per cell).
    reference
        The same person's normal clone's uptake (amol per cell): the plasma's delivery.
    rerun
        ``rerun(index, share) -> uptake``: simulate the clones at ``index`` again with their
        supply times ``share`` (keeping those results) and return their new uptakes.

    Notes
    -----
    At most :data:`MAX_ROUNDS` rounds, each re-simulating only the clones still outside the
    tolerance; the first step assumes :data:`ELASTICITY_GUESS`, later ones the secant.
    """
    u = np.array(uptake, dtype=float)
    r = np.asarray(reference, dtype=float)
    share = np.ones(u.size)
    before_s, before_u = share.copy(), u.copy()
    slope = np.full(u.size, ELASTICITY_GUESS)
    for round_ in range(MAX_ROUNDS):
        todo = np.flatnonzero(needs_limit(u, r, share))
        if todo.size == 0:
            break
        if round_ > 0:
            slope[todo] = elasticity_of(before_s[todo], before_u[todo], share[todo], u[todo])
        before_s[todo] = share[todo]
        before_u[todo] = u[todo]
        share[todo] = next_share(share[todo], u[todo], r[todo], slope[todo])
        u[todo] = rerun(todo, share[todo])
    return share
