"""What the variant page makes the server compute, and when (docs/web.md, Speed of the variant
page): a link starts the main chart at once; the penetrance is kept once computed."""

from __future__ import annotations

import pytest

from hemesim.web.api import variant as api


def test_a_variant_link_starts_the_main_chart_before_the_page_asks(client) -> None:
    """GET /variant?hgvs=X queues the X-inactivation panel (untreated, 11 points, the text
    trimmed as the page trims it) on the model worker; the page's own request then finds it."""
    api._xi_panel.cache_clear()
    assert client.get("/variant", params={"hgvs": " p.Arg452Cys "}).status_code == 200
    r = client.get(
        "/api/phenotype/xi", params={"hgvs": "p.Arg452Cys", "treatment": "none", "points": 11}
    )
    assert r.status_code == 200
    info = api._xi_panel.cache_info()
    assert (info.misses, info.hits) == (1, 1)  # computed once, for the link; found by the page


@pytest.mark.parametrize("hgvs", ["p.Arg452", "c.-50C>G", "c." + "1" * 300, ""])
def test_a_link_to_a_bad_or_unquantified_variant_still_serves_the_page(client, hgvs) -> None:
    """The started work fails quietly (nothing cached); the page's requests report the reason."""
    api._xi_panel.cache_clear()
    page = client.get("/variant", params={"hgvs": hgvs})
    assert page.status_code == 200 and "Variant explorer" in page.text
    if hgvs:
        r = client.get("/api/phenotype/xi", params={"hgvs": hgvs, "points": 11})
        assert r.status_code == 422
    assert api._xi_panel.cache_info().currsize == 0


def test_penetrance_is_the_phenotype_stage_number_and_is_kept(client, monkeypatch) -> None:
    """/api/phenotype/penetrance answers hemesim.phenotype.penetrance.penetrance (seed 0),
    computed in the penetrance process, and a second request (coming back to the variant) is
    answered from memory without asking that process again."""
    from hemesim.jsonable import jsonable
    from hemesim.phenotype.penetrance import penetrance

    api._PENETRANCE_KEPT.clear()
    params = {"hgvs": "p.Arg452Cys", "treatment": "none"}
    first = client.get("/api/phenotype/penetrance", params=params)
    assert first.status_code == 200, first.text
    expected = jsonable(penetrance("p.Arg452Cys").to_dict())
    assert first.json()["penetrance"] == pytest.approx(expected["penetrance"], abs=1e-12)
    assert first.json()["by_age"] == pytest.approx(expected["by_age"], abs=1e-12)

    async def refuse(*_args, **_kwargs):
        raise AssertionError("asked the penetrance process again")

    monkeypatch.setattr(client.app.state.background, "run", refuse)
    again = client.get("/api/phenotype/penetrance", params=params)
    assert again.json() == first.json()


@pytest.mark.parametrize(
    ("hgvs", "words"),
    [("c.-50C>G", "no phenotype predicted for c.-50C>G"), ("p.Arg452", "p.Arg452")],
)
def test_penetrance_process_reports_refusals_as_422(client, hgvs: str, words: str) -> None:
    """The stage's errors cross the process boundary as the one-line 422 of every endpoint."""
    r = client.get("/api/phenotype/penetrance", params={"hgvs": hgvs})
    assert r.status_code == 422
    assert words in r.json()["detail"] and "\n" not in r.json()["detail"]


def test_the_penetrance_runs_beside_the_model_thread(client) -> None:
    """While the penetrance process computes, the model thread answers the main chart."""
    import threading

    api._PENETRANCE_KEPT.clear()
    api._xi_panel.cache_clear()
    client.get("/api/phenotype/penetrance", params={"hgvs": "c.-50C>G"})  # starts the process
    done: dict[str, int] = {}
    order: list[str] = []

    def penetrance() -> None:
        done["pen"] = client.get(
            "/api/phenotype/penetrance", params={"hgvs": "p.Arg170Cys"}
        ).status_code
        order.append("penetrance")

    thread = threading.Thread(target=penetrance)
    thread.start()
    while client.app.state.background.pending == 0 and thread.is_alive():
        threading.Event().wait(0.01)
    xi = client.get("/api/phenotype/xi", params={"hgvs": "p.Arg170Cys", "points": 11})
    order.append("xi")
    thread.join(timeout=120)
    assert xi.status_code == 200 and done == {"pen": 200}
    assert order == ["xi", "penetrance"]
