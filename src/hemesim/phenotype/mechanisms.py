"""Three ways to raise erythrocyte protoporphyrin, side by side: XLP, EPP and iron deficiency.

- **XLP**: ALAS2 gain of function (default ``c.1706_1709del``, p.Glu569Glyfs*24, the commonest
  XLP allele; Whatley et al., AJHG 2008) - more ALA than FECH can finish; iron is available, so a
  substantial share is chelated with zinc.
- **EPP**: ferrochelatase loss - model parameter ``FECH.kcat`` x :data:`EPP_FECH_FACTOR`
  (0.25, inside the "~10%-30% of normal" FECH activity of EPP, GeneReviews EPP, NBK100826,
  Table 1). Protoporphyrin cannot be metallated: mostly metal-free.
- **Iron deficiency**: transferrin iron supply ``iron.supply`` x :data:`IRON_DEFICIENCY_FACTOR`
  (0.4, assumed). FECH inserts zinc when iron is short: mostly zinc protoporphyrin.

The separating readout is the metal-free share of total erythrocyte protoporphyrin (Gou et al.,
Clin Chem 2015): EPP 85-100% metal-free, XLP 50-85%, iron deficiency mainly ZnPP (so < 50%).
:func:`classify_ep_pattern` applies those cut-offs; nothing is tuned to make the model land in
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hemesim.phenotype.clones import CloneBackend, default_backend, simulate_clones
from hemesim.phenotype.inputs import resolve_variant
from hemesim.phenotype.readouts import GOU_2015, REFERENCES, UMOL_L_TO_UG_DL
from hemesim.provenance import provenance

__all__ = [
    "EPP_FECH_FACTOR",
    "IRON_DEFICIENCY_FACTOR",
    "XLP_DEFAULT_VARIANT",
    "MechanismRow",
    "MechanismComparison",
    "classify_ep_pattern",
    "compare_mechanisms",
]

EPP_FECH_FACTOR = 0.25
IRON_DEFICIENCY_FACTOR = 0.4
XLP_DEFAULT_VARIANT = "c.1706_1709del"
FECH_PARAMETER = "FECH.kcat"
IRON_PARAMETER = "iron.supply"


def classify_ep_pattern(ep_ug_dl: float, metal_free_fraction: float) -> str:
    """Name the protoporphyrin pattern by the Gou et al. 2015 cut-offs.

    Returns
    -------
    str
        ``normal`` (EP < 80 ug/dL), ``EPP-like`` (metal-free >= 0.85), ``XLP-like``
        (0.50 <= metal-free < 0.85) or ``ZnPP-predominant`` (metal-free < 0.50: iron deficiency or
        lead).
    """
    if ep_ug_dl < REFERENCES["ep_upper_normal"].value:
        return "normal"
    if metal_free_fraction >= REFERENCES["metal_free_epp_min"].value:
        return "EPP-like"
    if metal_free_fraction >= REFERENCES["metal_free_xlp_min"].value:
        return "XLP-like"
    return "ZnPP-predominant"


@dataclass(frozen=True)
class MechanismRow:
    """One condition's readouts and its classified pattern."""

    condition: str
    intervention: str
    hb_g_dl: float
    mcv_fl: float
    ep_total_ug_dl_rbc: float
    metal_free_fraction: float
    znpp_umol_mol_heme: float
    pattern: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "condition": self.condition,
            "intervention": self.intervention,
            "hb_g_dl": self.hb_g_dl,
            "mcv_fl": self.mcv_fl,
            "ep_total_ug_dl_rbc": self.ep_total_ug_dl_rbc,
            "metal_free_fraction": self.metal_free_fraction,
            "znpp_umol_mol_heme": self.znpp_umol_mol_heme,
            "pattern": self.pattern,
        }


@dataclass(frozen=True)
class MechanismComparison:
    """Normal, XLP, EPP and iron deficiency side by side."""

    rows: list[MechanismRow]
    source: str = GOU_2015
    provenance: dict[str, Any] = field(default_factory=dict)

    def row(self, condition: str) -> MechanismRow:
        """The row for ``condition`` (``normal``, ``XLP``, ``EPP``, ``iron deficiency``)."""
        for r in self.rows:
            if r.condition == condition:
                return r
        raise KeyError(condition)

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.rows])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rows": [r.to_dict() for r in self.rows],
            "cutoffs": {
                "ep_upper_normal_ug_dl": REFERENCES["ep_upper_normal"].value,
                "metal_free_epp_min": REFERENCES["metal_free_epp_min"].value,
                "metal_free_xlp_min": REFERENCES["metal_free_xlp_min"].value,
            },
            "source": self.source,
            "provenance": self.provenance,
        }


def _row(condition: str, intervention: str, r: dict[str, float]) -> MechanismRow:
    ep = r["ep_total_umol_l_rbc"] * UMOL_L_TO_UG_DL
    metal_free = 1.0 - r["znpp_fraction"]
    return MechanismRow(
        condition=condition,
        intervention=intervention,
        hb_g_dl=r["hb_g_dl"],
        mcv_fl=r["mcv_fl"],
        ep_total_ug_dl_rbc=ep,
        metal_free_fraction=metal_free,
        znpp_umol_mol_heme=r["znpp_umol_mol_heme"],
        pattern=classify_ep_pattern(ep, metal_free),
    )


def compare_mechanisms(
    xlp_variant: Any = XLP_DEFAULT_VARIANT, *, backend: CloneBackend | None = None
) -> MechanismComparison:
    """Simulate normal, XLP (ALAS2 gain), EPP (FECH loss) and iron deficiency (male cells).

    Parameters
    ----------
    xlp_variant
        The ALAS2 gain-of-function variant (HGVS, VariantReport or Effect).
    backend
        Model access (default: the per-process roadrunner model).
    """
    be: CloneBackend = backend if backend is not None else default_backend()
    resolved = resolve_variant(xlp_variant)
    fech = be.base_value(FECH_PARAMETER) * EPP_FECH_FACTOR
    iron = be.base_value(IRON_PARAMETER) * IRON_DEFICIENCY_FACTOR
    rows = [
        _row("normal", "reference parameters", be.endpoint({})),
        # the variant clone at the plasma's iron delivery, as in every prediction
        _row("XLP", f"ALAS2 {resolved.label}", simulate_clones(resolved.effect, backend=be).mutant),
        _row("EPP", f"{FECH_PARAMETER} x {EPP_FECH_FACTOR}", be.endpoint({FECH_PARAMETER: fech})),
        _row(
            "iron deficiency",
            f"{IRON_PARAMETER} x {IRON_DEFICIENCY_FACTOR}",
            be.endpoint({IRON_PARAMETER: iron}),
        ),
    ]
    return MechanismComparison(
        rows=rows,
        provenance=provenance("hemesim.phenotype.compare_mechanisms", {"xlp": resolved.label}),
    )
