"""Browser tests: headless Debian Chromium driven by Playwright against a live local server.

Each page must load without console errors; the variant explorer must show the effect of a known
variant; the family page must show Haldane's 2/3 for the mother of an isolated affected male.
Screenshots are saved in ``test-artifacts/`` (git-ignored). Chromium is never downloaded: if
``/usr/bin/chromium`` is missing, the tests skip with that reason.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from hemesim.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, access_log=False, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, base_url=server)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    pg.on(
        "request",
        lambda r: (
            pg.console_errors.append(f"off-site request {r.url}")
            if not r.url.startswith((server, "data:", "blob:"))
            else None
        ),
    )
    yield pg
    context.close()


# Waits use selectors and expect(), not wait_for_function: the app's CSP forbids eval().


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", ["/", "/pathway", "/variant", "/family", "/cohort"])
def test_page_loads_without_console_errors(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if path == "/pathway":
        page.wait_for_selector("body[data-ready=pathway]", timeout=60_000)
    _shot(page, "page" + (path.replace("/", "-") if path != "/" else "-home"))
    assert page.console_errors == []


def test_pathway_map_is_painted_by_flux(page) -> None:
    page.goto("/pathway?hgvs=c.1706_1709del")
    page.wait_for_selector("body[data-ready=pathway]", timeout=60_000)
    sync_api.expect(page.locator("#caption-variant")).to_contain_text("gain", timeout=60_000)
    width_normal = page.get_attribute("#normal-arrow-alas2 path", "stroke-width")
    width_variant = page.get_attribute("#variant-arrow-alas2 path", "stroke-width")
    assert float(width_variant) > float(width_normal)  # gain of function: more ALAS2 flux
    page.hover("#normal-arrow-alas2 text")
    tip = page.text_content("#tooltip")
    assert "amol/h" in tip and "ALAS2" in tip
    _shot(page, "pathway-variant")
    assert page.console_errors == []


def test_variant_explorer_shows_a_known_gain_of_function(page) -> None:
    """c.1706_1709del (p.Glu569GlyfsTer24) is the commonest XLP allele (Whatley 2008)."""
    page.goto("/variant")
    page.fill("#hgvs", "c.1706_1709")
    page.wait_for_selector("#hgvs-msg.error", timeout=20_000)
    page.fill("#hgvs", "c.1706_1709del")
    page.wait_for_selector("body[data-ready=variant]", timeout=30_000)
    assert page.text_content("#effect-class").strip() == "gain of function"
    assert "XLP" in page.text_content("#known-record")
    assert page.query_selector("#variant-marker") is not None
    # effect factors by what they change, not by identifier (hemesim.web.display)
    factors = page.locator("#effect-factors tbody")
    assert "Catalytic rate (turnover, kcat)" in factors.text_content()
    assert "_factor" not in factors.text_content()
    assert page.locator("#effect-factors tbody tr").first.get_attribute("class") == "changed"
    assert "Disease" in page.text_content("#known-record")
    page.wait_for_selector("body[data-drawn=main]", timeout=60_000)
    assert page.query_selector("#xi-chart .main-svg") is not None
    # clinical names with reference ranges and flags: XLP raises EP far above < 80 ug/dL
    ep = page.locator("#pheno-table tr[data-readout=ep_total_ug_dl_rbc]")
    assert "Erythrocyte protoporphyrin" in ep.text_content() and "< 80" in ep.text_content()
    assert ep.locator("td.flag-high").count() >= 1
    _shot(page, "variant-xlp")
    assert page.console_errors == []


def test_variant_page_draws_its_main_chart_first_and_the_rest_in_view(page) -> None:
    """The interpretation, readout table and main chart are drawn without waiting for the
    treatment comparison or the penetrance (2000 simulated women), which are asked for when
    their section comes near the screen, so a variant left at once leaves no work behind.
    The penetrance line then names the disease and the age (it failed on toPrecision(0))."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/variant?hgvs=p.Arg452Cys")
    page.wait_for_selector("body[data-drawn=main]", timeout=60_000)
    assert page.locator("#pheno-table tbody tr").count() > 3
    assert page.query_selector("#treatment-chart .main-svg") is None
    assert not [u for u in asked if "/api/phenotype/penetrance" in u or "/treatments" in u]
    assert "when this section is in view" in page.text_content("#penetrance-chart")

    page.locator("#penetrance-chart").scroll_into_view_if_needed()
    page.wait_for_selector("body[data-charts=ready]", timeout=120_000)
    assert page.query_selector("#treatment-chart .main-svg") is not None
    assert page.query_selector("#penetrance-chart .main-svg") is not None
    text = page.text_content("#penetrance-text")
    assert text.startswith("P(XLSA) for a heterozygous woman at 40 years: ")
    with page.expect_download() as download:
        page.click("#variant-dl-json")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["treatments"]["treatments"]["none"]["disease"]
    assert page.console_errors == []


def test_family_page_shows_haldane_two_thirds(page) -> None:
    """Mother of an isolated affected male, lethal disorder, equal mutation rates: carrier
    probability 2/3 (Haldane 1935; shared/science.md section 5)."""
    page.goto("/family")
    page.click("#example-isolated")
    page.wait_for_selector("body[data-ready=family]", timeout=30_000)
    assert page.text_content("#risks tr[data-id=mother] .p-carrier").strip() == "66.7%"
    assert page.query_selector("#pedigree svg") is not None
    # edit an observation: the mother is now known to be unaffected -> her risk changes
    page.select_option("#members tbody tr[data-index='1'] select[data-field=phen]", "1")
    carrier = page.locator("#risks tr[data-id=mother] .p-carrier")
    sync_api.expect(carrier).not_to_have_text("66.7%", timeout=30_000)
    _shot(page, "family-haldane")
    assert page.console_errors == []


def test_cohort_runs_with_progress_and_draws_a_distribution(page) -> None:
    page.goto("/cohort")
    page.fill("#cohort-n", "300")
    page.select_option("#cohort-population", "women")
    page.fill("#cohort-hgvs", "p.Arg452Cys")
    page.click("#cohort-run")
    page.wait_for_selector("body[data-ready=cohort]", timeout=120_000)
    assert page.get_attribute("#cohort-progress", "value") == "1"
    assert page.query_selector("#cohort-chart .main-svg") is not None
    assert page.locator("#cohort-summary tbody tr").count() > 3
    _shot(page, "cohort-run")
    assert page.console_errors == []


def _errors_besides_422(pg) -> list[str]:
    """Console errors, without Chromium's own line for an answer the page expects and shows
    (``Failed to load resource: the server responded with a status of 422``)."""
    return [e for e in pg.console_errors if "status of 422" not in e]


def test_variant_explorer_clears_the_previous_variant(page) -> None:
    """p.Arg452Cys, then c.-50C>G (effect uncertain, every factor 1): the page kept 'Man
    (hemizygous): XLSA', the treatment chart and, in the JSON download, the old predictions."""
    page.goto("/variant?hgvs=p.Arg452Cys")
    page.wait_for_selector("body[data-drawn=main]", timeout=60_000)
    page.locator("#treatment-chart").scroll_into_view_if_needed()
    page.wait_for_selector("body[data-charts=ready]", timeout=60_000)
    assert "Man (hemizygous): XLSA" in page.text_content("#calls")
    assert "anaemia (WHO)" in page.text_content("#calls")  # the grade, not only in --json
    assert page.query_selector("#treatment-chart .main-svg") is not None

    page.fill("#hgvs", "c.-50C>G")
    page.wait_for_selector("body[data-charts=none]", timeout=60_000)
    assert page.text_content("#effect-class").strip() == "uncertain"
    calls = page.text_content("#calls")
    assert calls.startswith("no phenotype predicted for c.-50C>G: its effect on ALAS2 is uncertain")
    assert "XLSA" not in calls and "Man (hemizygous)" not in calls
    for chart in ("#xi-chart", "#treatment-chart"):
        assert page.query_selector(f"{chart} .main-svg") is None
        assert "no phenotype was predicted" in page.text_content(chart)
    assert page.locator("#readout option").count() == 0
    assert page.is_disabled("#variant-dl-csv") and page.is_disabled("#variant-dl-png")
    with page.expect_download() as download:
        page.click("#variant-dl-json")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["variant"]["input"] == "c.-50C>G"
    assert saved["phenotype_xi"] is None and saved["treatments"] is None
    assert saved["prediction_note"] == calls
    _shot(page, "variant-unquantified")
    assert _errors_besides_422(page) == []


def test_pathway_does_not_draw_an_unquantified_variant(page) -> None:
    """/api/pathway drew c.-50C>G as a normal man; now the page draws the normal cell alone,
    clears the previous variant's map and says why."""
    page.goto("/pathway?hgvs=c.1706_1709del")
    sync_api.expect(page.locator("#caption-variant")).to_contain_text("gain", timeout=60_000)
    assert page.get_attribute("#variant-arrow-alas2 path", "stroke-width") != "3"
    page.fill("#pathway-hgvs", "c.-50C>G")
    status = page.locator("#pathway-status")
    sync_api.expect(status).to_contain_text("no phenotype predicted for c.-50C>G", timeout=60_000)
    assert "the variant is not drawn" in status.text_content()
    assert "not drawn" in page.text_content("#caption-variant")
    assert "dim" in page.get_attribute("#variant-figure", "class")
    assert page.get_attribute("#variant-arrow-alas2 path", "stroke-width") == "3"  # unpainted
    variant_cells = page.locator("#readouts tbody tr td:nth-child(3)").all_text_contents()
    assert variant_cells and set(variant_cells) == {"–"}
    _shot(page, "pathway-unquantified")
    assert _errors_besides_422(page) == []


def test_family_page_points_a_pedigreejs_file_to_the_api(page) -> None:
    page.goto("/family")
    data = b'[{"famid": "f", "name": "dad", "sex": "M"}]'
    page.set_input_files(
        "#ped-file", {"name": "family.json", "mimeType": "application/json", "buffer": data}
    )
    status = page.locator("#family-status")
    sync_api.expect(status).to_contain_text("pedigreejs JSON", timeout=10_000)
    assert "hemesim risk family.json --json" in status.text_content()
    assert page.console_errors == []


# --- phones, touch words, accessible names, API docs -----------------------------------------

PHONE = {"width": 390, "height": 844}
PHONE_PAGES = {
    # path -> what marks the page as drawn (and, for the family page, an example to load)
    "/": "body[data-page=home]",
    "/pathway": "body[data-ready=pathway]",
    "/variant?hgvs=p.Arg452Cys": "body[data-drawn=main]",
    "/family": "body[data-ready=family]",
    "/cohort": "body[data-page=cohort]",
    "/api/docs": "body[data-ready=api]",
}
INTERACTIVE_ROLES = {
    "button", "link", "textbox", "combobox", "slider", "checkbox", "spinbutton", "radio",
    "listbox", "searchbox", "menuitem", "tab", "switch",
}  # fmt: skip


def _unnamed_controls(context, pg) -> list[str]:
    """Interactive or focusable elements without an accessible name, from Chromium's own
    accessibility tree (the names a screen reader announces)."""
    cdp = context.new_cdp_session(pg)
    unnamed = []
    for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("ignored"):
            continue
        role = (node.get("role") or {}).get("value", "")
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        name = ((node.get("name") or {}).get("value") or "").strip()
        if (role in INTERACTIVE_ROLES or props.get("focusable")) and not name:
            if role in ("RootWebArea", "WebArea"):
                continue
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})
            attrs = described["node"].get("attributes", [])
            ident = dict(zip(attrs[::2], attrs[1::2], strict=False)).get("id", "")
            unnamed.append(f"{role} <{described['node']['nodeName'].lower()} id={ident!r}>")
    cdp.detach()
    return unnamed


def test_every_page_fits_a_phone_says_tap_and_names_every_control(browser, server) -> None:
    """At 390 x 844 (a phone, touch) no page scrolls sideways (they were 493-722 px wide), the
    pathway map keeps readable text (it shrank to 5 px), the pages say "tap", and every control
    has an accessible name (the sliders and the PED text box had none)."""
    context = browser.new_context(viewport=PHONE, base_url=server, has_touch=True, is_mobile=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    widths, unnamed = {}, {}
    for path, mark in PHONE_PAGES.items():
        pg.goto(path)
        if path == "/family":
            pg.click("#example-three")
        pg.wait_for_selector(mark, state="attached", timeout=90_000)
        if path.startswith("/variant"):  # the panels drawn when scrolled to: every chart
            pg.locator("#treatment-chart").scroll_into_view_if_needed()
            pg.wait_for_selector("body[data-charts=ready]", state="attached", timeout=120_000)
        widths[path] = pg.evaluate("document.scrollingElement.scrollWidth")
        unnamed[path] = _unnamed_controls(context, pg)
        if path == "/pathway":
            label_px = pg.evaluate(
                "document.querySelector('#normal-node-ppix text').getBoundingClientRect().height"
            )
            assert label_px >= 9, f"pathway labels drawn {label_px:.1f} px high"
            lead = pg.locator(".lead")
            assert lead.locator(".touch-word").is_visible()
            assert not lead.locator(".mouse-word").is_visible()
            assert "Tap an element" in lead.inner_text()
            sync_api.expect(pg.locator("#pathway-status")).to_contain_text("Tap an arrow")
        _shot(pg, "phone" + path.split("?")[0].replace("/", "-"))
    context.close()
    assert widths == dict.fromkeys(PHONE_PAGES, 390)
    assert unnamed == {path: [] for path in PHONE_PAGES}
    assert errors == []


WIDE_FAMILY = "\n".join(
    ["f dad 0 0 1 1", "f mum 0 0 2 0"]
    + [f"f child{i} dad mum {1 + i % 2} {2 if i == 0 else 1}" for i in range(14)]
)  # a sibship of 14: a drawing about twice as wide as a phone screen


@pytest.mark.parametrize("family", ["example", "wide"])
def test_family_pedigree_pans_and_zooms_on_a_phone(browser, server, family: str) -> None:
    """At 390 px the pedigree keeps readable symbols and text (at least 9 px) in a frame that
    pans (swipe) and zooms (-, +, fit), and the page itself never scrolls sideways, whatever
    the family's width; "fit" shows the whole family in the frame's width."""
    context = browser.new_context(viewport=PHONE, base_url=server, has_touch=True, is_mobile=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto("/family")
    if family == "example":
        pg.click("#example-three")
    else:
        pg.locator("details:has(#ped-text) summary").click()
        pg.fill("#ped-text", WIDE_FAMILY)
        pg.click("#ped-apply")
    pg.wait_for_selector("body[data-ready=family] #pedigree svg", timeout=60_000)
    sizes = pg.evaluate(
        """() => {
          const frame = document.getElementById('pedigree');
          const svg = frame.querySelector('svg');
          const texts = [...svg.querySelectorAll('text')].map((t) => t.getBoundingClientRect());
          return {page: document.scrollingElement.scrollWidth, frame: frame.getBoundingClientRect(),
                  inner: frame.scrollWidth, client: frame.clientWidth,
                  svg: svg.getBoundingClientRect().width,
                  text: Math.min(...texts.filter((r) => r.height > 0).map((r) => r.height))};
        }"""
    )
    assert sizes["page"] == 390
    assert sizes["frame"]["left"] >= 0 and sizes["frame"]["right"] <= 390
    assert sizes["text"] >= 9, f"pedigree text {sizes['text']:.1f} px high"
    assert sizes["inner"] > sizes["client"]  # wider than the frame: it pans
    tools = pg.locator(".zoom-tools").filter(
        has=pg.locator("[aria-label='zoom out of the pedigree']")
    )
    assert tools.locator(".touch-word").is_visible()  # "swipe to pan" on a touch screen
    frame = pg.locator("#pedigree")
    frame.evaluate("(el) => { el.scrollLeft = 200; }")
    assert frame.evaluate("(el) => el.scrollLeft") > 0

    def width():
        return pg.evaluate("document.querySelector('#pedigree svg').getBoundingClientRect().width")

    before = width()
    pg.click("[aria-label='zoom into the pedigree']")
    assert width() > before
    pg.click("[aria-label='fit the pedigree to the width']")
    assert width() <= sizes["client"] + 1
    assert pg.evaluate("document.scrollingElement.scrollWidth") == 390
    _shot(pg, f"phone-pedigree-{family}")
    context.close()
    assert errors == []


def test_desktop_pages_say_hover(page) -> None:
    page.goto("/pathway")
    page.wait_for_selector("body[data-ready=pathway]", timeout=60_000)
    lead = page.locator(".lead")
    assert "Hover over or focus an element" in lead.inner_text()
    assert not lead.locator(".touch-word").is_visible()
    sync_api.expect(page.locator("#pathway-status")).to_contain_text("Hover over an arrow")


def test_api_docs_render_every_operation_from_this_server(page) -> None:
    """/api/docs was blank: Swagger UI came from a CDN that the CSP blocks. Now its files come
    from the swagger-ui-py package through this server (off-site requests are recorded as
    errors by the fixture)."""
    paths = page.request.get("/openapi.json").json()["paths"]
    operations = sum(len(methods) for methods in paths.values())
    page.goto("/api/docs")
    page.wait_for_selector("body[data-ready=api]", timeout=30_000)
    sync_api.expect(page.locator(".opblock")).to_have_count(operations)
    assert "/api/variant" in page.text_content("#swagger-ui")
    assert page.console_errors == []


def test_cohort_page_leads_with_disease_shares_and_clinical_names(page) -> None:
    page.goto("/cohort")
    page.fill("#cohort-n", "200")
    page.select_option("#cohort-population", "women")
    page.fill("#cohort-hgvs", "p.Arg452Cys")
    page.click("#cohort-run")
    page.wait_for_selector("body[data-ready=cohort]", timeout=120_000)
    shares = page.locator("#cohort-shares .share")
    assert shares.count() >= 2
    assert "penetrance" in page.text_content("#cohort-penetrance")
    first_row = page.locator("#cohort-summary tbody tr").first
    assert first_row.get_attribute("data-readout") == "hb_g_dl"
    assert "Haemoglobin" in first_row.text_content() and "11.5-14.9" in first_row.text_content()
    rows = page.locator("#cohort-summary tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.readout)"
    )
    params = [i for i, key in enumerate(rows) if key.startswith("param:")]
    assert all(i > rows.index("hb_g_dl") for i in params)
    assert "hb_g_dl" not in page.text_content("#cohort-readout")  # names, not identifiers
    # the outcome is above the numbers
    top = page.evaluate(
        "[document.getElementById('cohort-shares').getBoundingClientRect().top,"
        " document.getElementById('cohort-summary').getBoundingClientRect().top]"
    )
    assert top[0] < top[1]
    assert page.console_errors == []
