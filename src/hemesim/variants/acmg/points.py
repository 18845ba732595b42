"""The Bayesian point scale of ACMG/AMP evidence and the five classes.

Richards et al. (Genet Med 2015;17:405, PMID 25741868) grade each criterion as supporting,
moderate, strong or very strong (benign: supporting, strong, stand-alone). Tavtigian et al.
(Genet Med 2018;20:1054, PMID 29300386) showed that these grades behave as odds of
pathogenicity that are powers of one another: with the very strong odds ``O_VS = 350``, strong is
``O_VS^(1/2) = 18.7``, moderate ``O_VS^(1/4) = 4.33`` and supporting ``O_VS^(1/8) = 2.08``.
Tavtigian et al. (Hum Mutat 2020;41:1734, PMID 32720330) turned the exponents into points that
add: supporting 1, moderate 2, strong 4, very strong 8, benign evidence negative, and classes by
the sum (their Table 3):

=====================  ============
class                  points
=====================  ============
Pathogenic             >= 10
Likely pathogenic      6 to 9
Uncertain significance 0 to 5
Likely benign          -1 to -6
Benign                 <= -7
=====================  ============

BA1 (allele frequency above 5 %) stays outside the sum: it classifies a variant as benign on its
own (Richards 2015 "stand-alone"; Tavtigian 2020 keep it so).
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = [
    "CLASSES",
    "ODDS_VERY_STRONG",
    "POINTS",
    "STRENGTHS",
    "Strength",
    "class_from_points",
    "odds_threshold",
    "strength_label",
]

Strength = Literal["supporting", "moderate", "strong", "very_strong", "stand_alone"]

STRENGTHS: tuple[str, ...] = ("supporting", "moderate", "strong", "very_strong", "stand_alone")

POINTS: dict[str, int] = {"supporting": 1, "moderate": 2, "strong": 4, "very_strong": 8}
"""Points per strength (Tavtigian 2020); benign criteria count negative. ``stand_alone`` (BA1)
has no points: it decides the class by itself."""

ODDS_VERY_STRONG = 350.0
"""Odds of pathogenicity of very strong evidence (Tavtigian 2018, prior probability 0.1)."""

_EXPONENT = {"supporting": 1 / 8, "moderate": 1 / 4, "strong": 1 / 2, "very_strong": 1.0}

CLASSES: tuple[str, ...] = (
    "Pathogenic",
    "Likely pathogenic",
    "Uncertain significance",
    "Likely benign",
    "Benign",
)

_SUFFIX = {
    "supporting": "_Supporting",
    "moderate": "_Moderate",
    "strong": "_Strong",
    "very_strong": "_VeryStrong",
    "stand_alone": "",
}

#: the strength each code has in Richards 2015 (a label shows a suffix only when it differs)
DEFAULT_STRENGTH: dict[str, str] = {
    "PVS": "very_strong",
    "PS": "strong",
    "PM": "moderate",
    "PP": "supporting",
    "BA": "stand_alone",
    "BS": "strong",
    "BP": "supporting",
}


def odds_threshold(strength: str) -> float:
    """Odds of pathogenicity of one piece of evidence of ``strength`` (Tavtigian 2018).

    ``odds_threshold("supporting")`` is 350^(1/8) = 2.08, ``"moderate"`` 4.33, ``"strong"`` 18.7,
    ``"very_strong"`` 350. A Bayes factor at least this large supports pathogenicity at that
    strength; one at most its reciprocal supports benignity at that strength.
    """
    return math.pow(ODDS_VERY_STRONG, _EXPONENT[strength])


def strength_label(code: str, strength: str) -> str:
    """``PVS1`` at strong -> ``PVS1_Strong``; a code at its default strength keeps its name."""
    prefix = code.rstrip("0123456789")
    if DEFAULT_STRENGTH.get(prefix) == strength:
        return code
    return code + _SUFFIX[strength]


def class_from_points(points: int, *, stand_alone_benign: bool = False) -> str:
    """The ACMG/AMP class of a point total (Tavtigian 2020, Table 3).

    Parameters
    ----------
    points
        Sum of the points of the criteria that are met (benign ones negative).
    stand_alone_benign
        True when BA1 is met: the class is ``Benign`` whatever the points.
    """
    if stand_alone_benign:
        return "Benign"
    if points >= 10:
        return "Pathogenic"
    if points >= 6:
        return "Likely pathogenic"
    if points >= 0:
        return "Uncertain significance"
    if points >= -6:
        return "Likely benign"
    return "Benign"
