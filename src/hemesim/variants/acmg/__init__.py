"""ACMG/AMP classification of ALAS2 variants with the Bayesian point system.

:func:`classify` takes a :class:`~hemesim.variants.interpret.VariantReport` and returns a
:class:`Classification` (disease, class, points, every criterion with its evidence and PMIDs).
:func:`cosegregation_criteria` turns a cosegregation Bayes factor into PP1/BS4.
"""

from hemesim.variants.acmg.classify import (
    CODES,
    Classification,
    classify,
    cosegregation_criteria,
    disease_for,
)
from hemesim.variants.acmg.criterion import Criterion
from hemesim.variants.acmg.points import class_from_points, odds_threshold

__all__ = [
    "CODES",
    "Classification",
    "Criterion",
    "class_from_points",
    "classify",
    "cosegregation_criteria",
    "disease_for",
    "odds_threshold",
]
