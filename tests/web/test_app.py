"""The app shell: pages, local assets, security headers, limits and error mapping."""

from __future__ import annotations

import pytest

from hemesim.web.assets import plotly_js_path

PAGES = ["/", "/pathway", "/variant", "/family", "/cohort"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_navigation(client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for link in ("/pathway", "/variant", "/family", "/cohort"):
        assert f'href="{link}"' in r.text


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_other_origins(client, path: str) -> None:
    html = client.get(path).text
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "//cdn" not in html


def test_content_security_policy_is_same_origin(client) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "connect-src 'self'" in csp
    assert r.headers["referrer-policy"] == "no-referrer"


def test_plotly_is_served_from_the_shipped_cartesian_bundle(client) -> None:
    """The pages load plotly.js's cartesian partial bundle, whose version and source
    static/vendor/README.md records."""
    r = client.get("/assets/plotly.min.js")
    assert r.status_code == 200
    assert r.content == plotly_js_path().read_bytes()
    banner = r.content[:200].decode()
    assert "plotly.js (cartesian - minified) v" in banner
    version = banner.split("minified) v")[1].split()[0]
    readme = (plotly_js_path().parent / "README.md").read_text()
    assert f"plotly.js-cartesian-dist-min@{version}" in readme


def test_static_assets_exist(client) -> None:
    for name in ("hemesim.css", "common.js", "pathway.js", "variant.js", "family.js", "cohort.js"):
        assert client.get(f"/static/{name}").status_code == 200, name
    assert client.get("/static/missing.js").status_code == 404


def test_health_reports_version_and_limits(client) -> None:
    body = client.get("/api/health").json()
    assert body["software"] == "hemesim"
    assert body["limits"]["max_cohort_size"] > 0


def test_openapi_lists_the_api_and_not_the_pages(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/variant", "/api/risk", "/api/pathway", "/api/simulate", "/api/cohort"):
        assert p in paths
    assert "/pathway" not in paths and "/" not in paths


def test_oversized_body_is_refused_with_413(small_client) -> None:
    r = small_client.post("/api/simulate", content=b"{" + b" " * 50_000 + b"}")
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]


def test_validation_errors_are_422_with_a_one_line_message(client) -> None:
    r = client.get("/api/pathway", params={"alas2": "lots"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "alas2" in detail and "\n" not in detail


def test_unknown_api_path_is_404(client) -> None:
    assert client.get("/api/nothing-here").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_scripts_or_handlers(client, path: str) -> None:
    """The CSP allows scripts only from the server: no inline <script> or on* attributes."""
    import re

    html = client.get(path).text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []
