"""Browser tests of the ACMG panel (variant page) and the cosegregation panel (family page):
headless Debian Chromium via Playwright against a live local server; skipped without Chromium
(the fixtures are those of tests/web/test_browser.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from tests.web.test_browser import browser, page, server  # noqa: E402,F401  (fixtures)

FAMILY = """#fid iid pid mid sex phen genotype proband
f gf 0 0 1 1 . 0
f gm 0 0 2 1 . 0
f uncle gf gm 1 2 A 0
f brother gf gm 1 1 N 0
f mother gf gm 2 1 . 0
f dad 0 0 1 1 . 0
f son dad mother 1 2 A 1
"""


def test_variant_page_shows_class_and_pubmed_links(page) -> None:  # noqa: F811
    page.goto("/variant?hgvs=p.Lys100*")
    page.wait_for_selector("body[data-acmg=ready]", timeout=30_000)
    # PVS1 alone: 8 points, Likely pathogenic (Tavtigian 2020: 6-9)
    assert page.text_content("#acmg-class").strip() == "Likely pathogenic"
    assert page.text_content("#acmg-points").strip() == "8"
    link = page.locator("#acmg-met a[href='https://pubmed.ncbi.nlm.nih.gov/30192042/']")
    assert link.count() >= 1
    # absent from the population: PM2_Supporting adds 1 point
    page.fill("#acmg-af", "0")
    page.dispatch_event("#acmg-af", "change")
    sync_api.expect(page.locator("#acmg-points")).to_have_text("9", timeout=30_000)
    assert page.console_errors == []


def test_family_page_computes_cosegregation_from_genotypes(page) -> None:  # noqa: F811
    page.goto("/family")
    page.click("summary")
    page.fill("#ped-text", FAMILY)
    page.click("#ped-apply")
    page.wait_for_selector("body[data-segregation=ready]", timeout=30_000)
    bf = float(page.text_content("#segregation-bf"))
    assert bf > 1.0  # the affected uncle carries the variant, the unaffected one does not
    assert "PP1" in page.text_content("#segregation-result")
    assert page.console_errors == []
