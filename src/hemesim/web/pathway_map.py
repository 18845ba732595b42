"""Geometry of the pathway map (eight steps across mitochondrion and cytosol) and its data binding.

The map is drawn as SVG from :data:`NODES` (intermediates) and :data:`ARROWS` (reactions). Each
element names the model ids it stands for (SBML species and reaction ids of
``hemesim/model/erythroid.ant``), matched against the loaded model, so the drawing follows the
model. An
element with no match is drawn grey and dashed ("not in the model").

Coordinates are in SVG user units of a 960 x 520 view box: the mitochondrion (outer and inner
membrane, intermembrane space, matrix) on the left, the cytosol on the right.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ARROWS", "NODES", "Arrow", "Node", "bind", "map_state"]


@dataclass(frozen=True)
class Node:
    """An intermediate drawn as a circle.

    Attributes
    ----------
    key
        Map element id (``node-<key>`` in the SVG).
    label
        Text under the circle.
    x, y
        Centre (SVG user units).
    ids
        Candidate species ids in the model, in order of preference (case-insensitive).
    boundary
        True for buffered substrates the model holds constant (no concentration is reported).
    """

    key: str
    label: str
    x: float
    y: float
    ids: tuple[str, ...]
    boundary: bool = False


@dataclass(frozen=True)
class Arrow:
    """A reaction drawn as a polyline with an arrow head.

    Attributes
    ----------
    key
        Map element id (``arrow-<key>``).
    step
        Step number 1-8 of the pathway, or 0 for transport and side reactions.
    enzyme
        Label next to the arrow (enzyme name, or what the arrow stands for).
    points
        Polyline vertices (SVG user units), tail first.
    label_at
        Position of the label.
    anchor
        SVG ``text-anchor`` of the label (``start`` beside vertical arrows).
    ids
        Candidate reaction ids in the model, in order of preference (case-insensitive).
    """

    key: str
    step: int
    enzyme: str
    points: tuple[tuple[float, float], ...]
    label_at: tuple[float, float]
    ids: tuple[str, ...]
    anchor: str = "middle"

    @property
    def path(self) -> str:
        """SVG path ``d`` attribute."""
        head, *rest = self.points
        return f"M{head[0]:g},{head[1]:g} " + " ".join(f"L{x:g},{y:g}" for x, y in rest)


NODES: tuple[Node, ...] = (
    Node("gly", "glycine", 100, 105, ("Gly", "glycine"), boundary=True),
    Node("succoa", "succinyl-CoA", 100, 195, ("SucCoA", "succinyl_CoA"), boundary=True),
    Node("ala_m", "ALA (mito)", 330, 150, ("ALA_m",)),
    Node("ala_c", "ALA", 590, 150, ("ALA_c", "ALA")),
    Node("pbg", "PBG", 820, 150, ("PBG",)),
    Node("hmb", "HMB", 820, 270, ("HMB",)),
    Node("urogen1", "uro'gen I", 915, 345, ("UROgenI", "URO1")),
    Node("urogen3", "uro'gen III", 820, 400, ("UROgenIII", "URO3")),
    Node("coprogen_c", "copro'gen III", 640, 400, ("COPROgen_c", "COPROgen")),
    Node("coprogen_m", "copro'gen (mito)", 390, 400, ("COPROgen_m",)),
    Node("protogen", "proto'gen IX", 390, 300, ("PROTOgen",)),
    Node("ppix", "PPIX", 260, 300, ("PPIX",)),
    Node("znpp", "ZnPP", 260, 400, ("ZnPP",)),
    Node("fe_m", "Fe2+ (mito)", 150, 400, ("Fe_m",)),
    Node("heme_m", "heme (mito)", 110, 300, ("heme_m", "heme")),
    Node("heme_c", "heme", 600, 255, ("heme_c",)),
    Node("hb", "Hb", 700, 330, ("Hb",)),
    Node("fe_c", "Fe2+ (cytosol)", 640, 480, ("Fe_c",)),
)

ARROWS: tuple[Arrow, ...] = (
    Arrow("alas2", 1, "ALAS2", ((122, 150), (306, 150)), (214, 140), ("R1_ALAS2", "ALAS2")),
    Arrow("ala_export", 0, "ALA export", ((354, 150), (566, 150)), (460, 140), ("ALA_export",)),
    Arrow("alad", 2, "ALAD", ((614, 150), (796, 150)), (705, 140), ("R2_ALAD", "ALAD")),
    Arrow("hmbs", 3, "HMBS", ((820, 174), (820, 246)), (830, 214), ("R3_HMBS", "HMBS"), "start"),
    Arrow("uros", 4, "UROS", ((820, 294), (820, 376)), (830, 339), ("R4_UROS", "UROS"), "start"),
    Arrow(
        "hmb_cyclisation",
        0,
        "non-enzymatic",
        ((838, 286), (897, 331)),
        (848, 262),
        ("R4_nonenzymatic",),
        "start",
    ),
    Arrow("urod", 5, "UROD", ((796, 400), (664, 400)), (730, 390), ("R5_UROD", "UROD")),
    Arrow(
        "copro_import",
        0,
        "copro'gen import",
        ((616, 400), (414, 400)),
        (515, 390),
        ("COPRO_import",),
    ),
    Arrow("cpox", 6, "CPOX", ((390, 376), (390, 324)), (400, 354), ("R6_CPOX", "CPOX"), "start"),
    Arrow("ppox", 7, "PPOX", ((366, 300), (284, 300)), (325, 290), ("R7_PPOX", "PPOX")),
    Arrow("fech_fe", 8, "FECH", ((236, 300), (134, 300)), (185, 290), ("R8_FECH_Fe", "FECH")),
    Arrow(
        "fech_zn", 8, "FECH (Zn)", ((260, 324), (260, 376)), (272, 354), ("R8_FECH_Zn",), "start"
    ),
    Arrow(
        "heme_export",
        0,
        "heme export",
        ((110, 276), (110, 245), (560, 245), (580, 250)),
        (300, 217),
        ("heme_export",),
    ),
    Arrow("hb_assembly", 0, "Hb assembly", ((618, 268), (682, 316)), (664, 280), ("Hb_assembly",)),
    Arrow(
        "fe_import",
        0,
        "mitoferrin",
        ((616, 480), (150, 480), (150, 424)),
        (300, 472),
        ("Fe_mito_import",),
    ),
)

_STEP_LABELS = {a.key: a.enzyme for a in ARROWS}


def bind(species_ids: Iterable[str], reaction_ids: Iterable[str]) -> dict[str, str | None]:
    """Match map elements to model ids (case-insensitive, first candidate present wins).

    Parameters
    ----------
    species_ids, reaction_ids
        The model's SBML species and reaction ids.

    Returns
    -------
    dict
        ``"node-<key>"`` / ``"arrow-<key>"`` -> model id, or ``None`` when the model has no match.
    """
    species = {s.lower(): s for s in species_ids}
    reactions = {r.lower(): r for r in reaction_ids}
    out: dict[str, str | None] = {}
    for kind, elements, ids in (("node", NODES, species), ("arrow", ARROWS, reactions)):
        for el in elements:
            hit = next((ids[c.lower()] for c in el.ids if c.lower() in ids), None)
            out[f"{kind}-{el.key}"] = hit
    return out


def _finite(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def map_state(
    binding: Mapping[str, str | None],
    species: Mapping[str, float],
    fluxes: Mapping[str, float],
    units: Mapping[str, str],
    reference: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Values for each map element at one state of the model.

    Parameters
    ----------
    binding
        From :func:`bind`.
    species, fluxes
        Model id -> value at the state shown (concentration / rate).
    units
        Model id -> unit text.
    reference
        A previous ``map_state`` (the normal state at default parameters); when given, each
        element also carries ``ratio`` = value / reference value.

    Returns
    -------
    dict
        ``{"elements": {element id: {"note", "model_id", "label", "value", "unit", "ratio",
        "step"}}}``.
    """
    elements: dict[str, dict[str, Any]] = {}
    for el_id, model_id in binding.items():
        kind, key = el_id.split("-", 1)
        label = _STEP_LABELS.get(key, key) if kind == "arrow" else _node_label(key)
        source = fluxes if kind == "arrow" else species
        value = _finite(source.get(model_id)) if model_id else None
        ratio = None
        if reference is not None and value is not None:
            ref = _finite(reference["elements"].get(el_id, {}).get("value"))
            if ref is not None and ref != 0:
                ratio = value / ref
        step = next((a.step for a in ARROWS if a.key == key), 0) if kind == "arrow" else 0
        node = next((n for n in NODES if n.key == key), None) if kind == "node" else None
        elements[el_id] = {
            "note": (
                "buffered substrate, held constant"
                if node and node.boundary and value is None
                else ""
            ),
            "model_id": model_id,
            "label": label,
            "value": value,
            "unit": units.get(model_id, "") if model_id else "",
            "ratio": ratio,
            "step": step,
        }
    return {"elements": elements}


def _node_label(key: str) -> str:
    return next((n.label for n in NODES if n.key == key), key)
