"""Variant endpoints: interpretation, validation as you type, domains, phenotype predictions."""

from __future__ import annotations

import json
from typing import Any

import pytest


def test_known_xlp_variant_is_gain_of_function(client) -> None:
    """c.1706_1709delAGTG (p.Glu569GlyfsTer24) is the commonest XLP allele (Whatley 2008)."""
    r = client.get("/api/variant", params={"hgvs": "c.1706_1709del"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"input", "hgvs_c", "hgvs_p", "consequence", "domain", "known", "effect"}
    assert body["effect"]["class"] == "gain_of_function"
    assert body["known"]["phenotype"] == "XLP"
    assert "Glu569" in body["hgvs_p"]


@pytest.mark.parametrize("hgvs", ["p.Arg452Xyz", "c.99999A>G", "foo", "c.", "NM_999.1:c.1A>G"])
def test_bad_variant_is_422_with_one_line(client, hgvs: str) -> None:
    r = client.get("/api/variant", params={"hgvs": hgvs})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail and "\n" not in detail


@pytest.mark.parametrize("params", [{}, {"hgvs": ""}, {"hgvs": "c." + "1" * 300}])
def test_missing_or_long_hgvs_is_422(client, params: dict) -> None:
    assert client.get("/api/variant", params=params).status_code == 422


def test_validate_answers_200_for_good_and_bad(client) -> None:
    good = client.get("/api/variant/validate", params={"hgvs": "p.Arg452Cys"}).json()
    assert good["valid"] is True and "Arg452Cys" in good["hgvs_p"]
    bad = client.get("/api/variant/validate", params={"hgvs": "p.Arg452"}).json()
    assert bad["valid"] is False and bad["message"]
    empty = client.get("/api/variant/validate").json()
    assert empty["valid"] is False


def test_domains_include_the_plp_lysine(client) -> None:
    """Lys391 forms the Schiff base with PLP (UniProt P22557; Bailey 2020)."""
    body = client.get("/api/domains").json()
    assert body["length"] == 587
    assert any(r["start"] == 391 and r["kind"] == "site" for r in body["regions"])
    assert all(1 <= r["start"] <= r["end"] <= 587 and r["source"] for r in body["regions"])


def test_phenotype_of_a_man_with_xlp(client) -> None:
    r = client.get("/api/phenotype", params={"hgvs": "c.1706_1709del", "sex": "male"})
    assert r.status_code == 200
    body = r.json()
    from hemesim.phenotype.predict import predict

    # the one disease call (the typical man; issue 14) and the share of men like him called XLP
    assert body["disease"] == predict("c.1706_1709del", sex="male").disease
    assert body["people_like_this"]["call_shares"]["XLP"] > 0.0
    assert body["phenotype"]["hb_g_dl"]["unit"] == "g/dL"
    assert len(body["phenotype"]["hb_g_dl"]["interval_95"]) == 2


def test_phenotype_across_x_inactivation_is_monotone_for_a_loss(client) -> None:
    """For a loss-of-function allele, more cells expressing it cannot raise hemoglobin."""
    r = client.get("/api/phenotype/xi", params={"hgvs": "p.Arg452Cys", "points": 6})
    assert r.status_code == 200
    body = r.json()
    assert body["xi"] == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    hb = [p["phenotype"]["hb_g_dl"]["value"] for p in body["female"]]
    assert all(a >= b - 1e-9 for a, b in zip(hb, hb[1:], strict=False))
    assert body["male"]["sex"] == "male"


def test_treatments_start_with_none(client) -> None:
    body = client.get("/api/phenotype/treatments", params={"hgvs": "p.Arg452Cys"}).json()
    names = list(body["treatments"])
    assert names[0] == "none" and "pyridoxine" in names


@pytest.mark.parametrize(
    "params",
    [
        {"hgvs": "p.Arg452Cys", "sex": "other"},
        {"hgvs": "p.Arg452Cys", "sex": "female", "xi": 1.5},
        {"hgvs": "p.Arg452Cys", "sex": "male", "xi": 0.5},
        {"hgvs": "p.Arg452Cys", "treatment": "surgery"},
        {"hgvs": "p.Arg452Zzz"},
    ],
)
def test_phenotype_bad_input_is_422(client, params: dict) -> None:
    r = client.get("/api/phenotype", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]


def test_phenotype_xi_points_are_capped(client) -> None:
    r = client.get("/api/phenotype/xi", params={"hgvs": "p.Arg452Cys", "points": 500})
    assert r.status_code == 422


def test_phenotype_has_the_shape_of_the_cli(client) -> None:
    """GET /api/phenotype == hemesim variant HGVS --sex female --xi 0.3 --treat pyridoxine --json"""
    from typer.testing import CliRunner

    from hemesim.cli.main import app

    args = ["variant", "p.Arg452Cys", "--sex", "female", "--xi", "0.3", "--treat", "pyridoxine"]
    cli = CliRunner().invoke(app, [*args, "--json"])
    assert cli.exit_code == 0, cli.output
    ref = json.loads(cli.output)
    params = {"hgvs": "p.Arg452Cys", "sex": "female", "xi": 0.3, "treatment": "pyridoxine"}
    api = client.get("/api/phenotype", params=params).json()
    assert set(api) == set(ref)
    assert api["phenotype"]["hb_g_dl"]["value"] == pytest.approx(
        ref["phenotype"]["hb_g_dl"]["value"]
    )
    assert api["disease"] == ref["disease"]


def test_treatments_are_the_phenotype_stage_list(client) -> None:
    """The API, the variant page and the validation offer the phenotype stage's treatments."""
    from hemesim.phenotype.treatments import TREATMENTS, offered_for
    from hemesim.web.api.variant import treatment_names

    assert treatment_names() == TREATMENTS
    assert TREATMENTS[0] == "none"
    # the treatments offered for the variant's disease (XLSA here), 'none' first
    body = client.get("/api/phenotype/treatments", params={"hgvs": "p.Arg452Cys"}).json()
    assert tuple(body["treatments"]) == ("none", *offered_for("XLSA"))
    xlp = client.get("/api/phenotype/treatments", params={"hgvs": "c.1706_1709del"}).json()
    assert tuple(xlp["treatments"]) == ("none", *offered_for("XLP"))
    page = client.get("/variant").text
    for name in TREATMENTS:
        assert f'<option value="{name}">' in page
    r = client.get("/api/phenotype/xi", params={"hgvs": "p.Arg452Cys", "treatment": "chelation"})
    assert r.status_code == 200


def _without_time(data: Any) -> Any:
    """``data`` with the provenance time stamps removed (they differ between two runs)."""
    if isinstance(data, dict):
        return {k: _without_time(v) for k, v in data.items() if k != "time_utc"}
    if isinstance(data, list):
        return [_without_time(v) for v in data]
    return data


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/phenotype/xi", {"hgvs": " p.Arg452Cys ", "treatment": "pyridoxine", "points": 3}),
        ("/api/phenotype/treatments", {"hgvs": "p.Arg452Cys", "sex": "female", "xi": 0.3}),
    ],
)
def test_variant_is_interpreted_once_per_request(
    client, monkeypatch: pytest.MonkeyPatch, path: str, params: dict
) -> None:
    """One interpretation serves every grid point (or treatment); the predictions are those of
    ``predict(HGVS text, ...)`` called for each one."""
    import hemesim.variants.interpret as interpret_module
    from hemesim.jsonable import jsonable
    from hemesim.phenotype.predict import predict

    real = interpret_module.interpret
    seen: list[str] = []

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(interpret_module, "interpret", counting)
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    assert seen == ["p.Arg452Cys"]
    monkeypatch.setattr(interpret_module, "interpret", real)

    body = r.json()
    hgvs = params["hgvs"].strip()
    if path.endswith("/xi"):
        t = params["treatment"]
        assert body["xi"] == [0.0, 0.5, 1.0]
        # the points of a curve are drawn without intervals (n_people=0)
        expected = {
            "male": predict(hgvs, sex="male", treatment=t, n_people=0),
            "female": [
                predict(hgvs, sex="female", xi=x, treatment=t, n_people=0) for x in body["xi"]
            ],
        }
        got = {"male": body["male"], "female": body["female"]}
    else:
        sex, xi = params["sex"], params["xi"]
        expected = {
            t: predict(hgvs, sex=sex, xi=xi, treatment=t, n_people=0) for t in body["treatments"]
        }
        got = body["treatments"]
    assert _without_time(got) == _without_time(json.loads(json.dumps(jsonable(expected))))


# A variant whose effect no rule or record quantifies: the interpretation, but no phenotype ------

UNQUANTIFIED = ["c.-50C>G", "c.1A>G"]


@pytest.mark.parametrize("hgvs", UNQUANTIFIED)
def test_unquantified_variant_phenotype_is_the_cli_answer(client, hgvs: str) -> None:
    """GET /api/phenotype == hemesim variant HGVS --sex male --json: the interpretation with
    ``prediction: null`` and the reason, 200 (exit 0), not the reference enzyme's phenotype."""
    from typer.testing import CliRunner

    from hemesim.cli.main import app

    cli = CliRunner().invoke(app, ["variant", hgvs, "--sex", "male", "--json"])
    assert cli.exit_code == 0, cli.output
    ref = json.loads(cli.output)
    r = client.get("/api/phenotype", params={"hgvs": hgvs, "sex": "male"})
    assert r.status_code == 200, r.text
    api = r.json()
    assert set(api) == set(ref)
    assert api["prediction"] is None and "phenotype" not in api and "disease" not in api
    assert api["prediction_note"] == ref["prediction_note"]
    assert api["prediction_note"].startswith(f"no phenotype predicted for {hgvs}: ")
    assert api["effect"]["class"] == "uncertain"


@pytest.mark.parametrize("path", ["/api/phenotype/xi", "/api/phenotype/treatments"])
def test_unquantified_variant_has_no_phenotype_grid(client, path: str) -> None:
    """The chart endpoints hold only predictions: a 422 with the reason (as hemesim penetrance)."""
    r = client.get(path, params={"hgvs": " c.-50C>G "})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith(
        "no phenotype predicted for c.-50C>G: its effect on ALAS2 is uncertain"
    )
    assert "\n" not in detail
    assert client.get("/api/variant", params={"hgvs": "c.-50C>G"}).status_code == 200
