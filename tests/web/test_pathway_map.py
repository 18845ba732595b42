"""The map's binding to model ids and its per-element values."""

from __future__ import annotations

import math

import pytest

from hemesim.web.pathway_map import ARROWS, NODES, bind, map_state


def test_binding_uses_the_model_ids_case_insensitively() -> None:
    binding = bind(["ala_c", "PBG"], ["r2_alad"])
    assert binding["node-ala_c"] == "ala_c"
    assert binding["node-pbg"] == "PBG"
    assert binding["arrow-alad"] == "r2_alad"
    assert binding["arrow-alas2"] is None


def test_binding_to_the_erythroid_model_covers_every_step() -> None:
    """Each of the eight enzymes (shared/science.md section 2) is bound to a model reaction."""
    import libsbml

    from hemesim.model.definition import load_definition

    model = libsbml.readSBMLFromString(load_definition("erythroid").sbml).getModel()
    species = [s.getId() for s in model.getListOfSpecies()]
    reactions = [r.getId() for r in model.getListOfReactions()]
    binding = bind(species, reactions)
    for arrow in ARROWS:
        if arrow.step:
            assert binding[f"arrow-{arrow.key}"] in reactions, arrow.enzyme
    unbound = [n.key for n in NODES if binding[f"node-{n.key}"] is None and not n.boundary]
    assert unbound == []


def test_map_state_ratios_and_missing_values() -> None:
    binding = {"node-pbg": "PBG", "arrow-alad": "R2", "arrow-alas2": None}
    ref = map_state(binding, {"PBG": 2.0}, {"R2": 4.0}, {"PBG": "uM", "R2": "amol/h"})
    state = map_state(binding, {"PBG": 1.0}, {"R2": float("nan")}, {"PBG": "uM"}, ref)
    assert state["elements"]["node-pbg"]["ratio"] == pytest.approx(0.5)
    assert state["elements"]["arrow-alad"]["value"] is None
    assert state["elements"]["arrow-alas2"]["value"] is None
    assert state["elements"]["arrow-alad"]["step"] == 2
    assert all(v["ratio"] is None or math.isfinite(v["ratio"]) for v in state["elements"].values())


def test_arrow_paths_are_svg_paths() -> None:
    for arrow in ARROWS:
        assert arrow.path.startswith("M") and arrow.path.count("L") == len(arrow.points) - 1
