"""Model endpoints: parameter table, one time course, the pathway map state."""

from __future__ import annotations

import pytest

from hemesim.web.pathway_map import ARROWS

pytest.importorskip("roadrunner")


def test_parameters_table_has_units_and_sources(client) -> None:
    rows = client.get("/api/model/parameters").json()["parameters"]
    names = {r["name"] for r in rows}
    assert {"ALAS2.kcat", "PLP", "iron.supply"} <= names
    assert all(r["unit"] and r["source"] for r in rows)


def test_simulate_has_the_cli_json_shape(client) -> None:
    r = client.post("/api/simulate", json={"points": 5, "overrides": {"ALAS2.kcat": 97.5}})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"species", "fluxes", "readouts", "units", "provenance"}
    assert body["provenance"]["parameters"]


@pytest.mark.parametrize(
    ("payload", "word"),
    [
        ({"overrides": {"ALAS2.kcatt": 1.0}}, "unknown parameter"),
        ({"overrides": {"ALAS2.kcat": -1.0}}, "not allowed"),
        ({"points": 1}, "points"),
        ({"points": 10**6}, "points"),
        ({"until_h": 1e9}, "until_h"),
        ({"until_h": 0}, "until_h"),
        ({"overrides": {"PLP": "two"}}, "overrides"),
    ],
)
def test_simulate_bad_input_is_422(client, payload: dict, word: str) -> None:
    r = client.post("/api/simulate", json=payload)
    assert r.status_code == 422, r.text
    assert word in r.json()["detail"]


def test_pathway_binds_all_eight_steps_to_model_reactions(client) -> None:
    body = client.get("/api/pathway").json()
    elements = body["normal"]["elements"]
    steps = {a.step for a in ARROWS if a.step}
    assert steps == set(range(1, 9))
    for arrow in ARROWS:
        if arrow.step:
            el = elements[f"arrow-{arrow.key}"]
            assert el["model_id"] is not None, arrow.key
            assert el["value"] is not None and el["value"] >= 0
            assert el["unit"]


def test_pathway_at_defaults_is_its_own_reference(client) -> None:
    elements = client.get("/api/pathway").json()["normal"]["elements"]
    ratios = [e["ratio"] for e in elements.values() if e["ratio"] is not None]
    assert ratios and all(r == pytest.approx(1.0) for r in ratios)


def test_pathway_slider_lowers_alas2_flux(client) -> None:
    body = client.get("/api/pathway", params={"alas2": 0.2}).json()
    assert body["overrides"]["ALAS2.kcat"] > 0
    assert body["normal"]["elements"]["arrow-alas2"]["ratio"] < 1.0
    assert "--set ALAS2.kcat=" in body["cli"]


def test_pathway_gain_of_function_variant_raises_alas2_flux(client) -> None:
    """XLP c.1706_1709del has >3x kcat (Ducamp 2013), so ALAS2 flux rises above normal."""
    body = client.get("/api/pathway", params={"hgvs": "c.1706_1709del"}).json()
    assert body["variant_report"]["effect"]["class"] == "gain_of_function"
    assert body["variant"]["elements"]["arrow-alas2"]["ratio"] > 1.0
    assert body["cli_variant"].count("--set") >= 1


def test_pathway_variant_cell_is_the_phenotype_stage_cell(client) -> None:
    """One cell everywhere: the map's XLP cell has the iron delivery of every prediction
    (phenotype.iron_delivery), so its EP is the hemizygous man's of `predict`."""
    from hemesim.phenotype.clones import simulate_clones
    from hemesim.phenotype.inputs import resolve_variant

    body = client.get("/api/pathway", params={"hgvs": "c.1699_1700del"}).json()
    pair = simulate_clones(resolve_variant("c.1699_1700del").effect)
    assert pair.iron_share < 1.0
    assert body["variant_overrides"]["iron.supply"] == pytest.approx(
        pair.overrides_mutant["iron.supply"]
    )
    assert body["variant"]["readouts"]["ep_total_ug_dl_rbc"] == pytest.approx(
        pair.mutant["ep_total_ug_dl_rbc"], rel=1e-6
    )


def test_pathway_cli_reproduces_the_variant_run(client) -> None:
    """The command shown beside the map gives the same end point as the map."""
    from hemesim.simulate.session import load_model

    body = client.get("/api/pathway", params={"hgvs": "p.Arg452Cys", "iron": 0.5}).json()
    sets = dict(
        part.split("=", 1)
        for part in body["cli_variant"].split("--set ")[1:]
        for part in [part.split()[0]]
    )
    result = load_model("erythroid").simulate(
        points=50, overrides={k: float(v) for k, v in sets.items()}
    )
    flux = body["variant"]["elements"]["arrow-alas2"]
    assert result.fluxes[flux["model_id"]] == pytest.approx(flux["value"], rel=1e-6)


@pytest.mark.parametrize(
    "params",
    [{"alas2": 0}, {"plp": 1000}, {"iron": "nan"}, {"hgvs": "x" * 201}, {"hgvs": "c.99999A>G"}],
)
def test_pathway_bad_input_is_422(client, params: dict) -> None:
    r = client.get("/api/pathway", params=params)
    assert r.status_code == 422
    assert r.json()["detail"]


def test_pathway_refuses_an_unquantified_variant(client) -> None:
    """c.-50C>G (effect uncertain, every factor 1) was drawn as a normal man (Hb 15.5, MCV 90)."""
    r = client.get("/api/pathway", params={"hgvs": "c.-50C>G"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(
        "no phenotype predicted for c.-50C>G: its effect on ALAS2 is uncertain"
    )


def test_time_cap_is_the_models_longest_maturation(client) -> None:
    """The cap follows the model's range of maturation.duration (it was a stale 1440 h)."""
    from hemesim.model.definition import RANGES
    from hemesim.web.limits import DEFAULT_LIMITS, Limits

    high = RANGES["maturation_duration"][1]
    assert Limits().max_until_h == DEFAULT_LIMITS.max_until_h == high
    assert client.get("/api/health").json()["limits"]["max_until_h"] == high
    r = client.post("/api/simulate", json={"until_h": high + 1, "points": 2})
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"until_h {high + 1:g}: at most {high:g} h per request")
    longest = {"until_h": high, "points": 2, "overrides": {"maturation.duration": high}}
    assert client.post("/api/simulate", json=longest).status_code == 200
