"""Names the pages show for effect factors, curated-record fields and model parameters
(hemesim.web.display): every identifier the pages can receive has one."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from hemesim.model.effects import EFFECT_PARAMETERS
from hemesim.phenotype.vpop import VPOP_PARAMETERS
from hemesim.variants.effect_types import FACTOR_NAMES
from hemesim.web.display import (
    EFFECT_FACTORS,
    PARAMETER_NAMES,
    RECORD_FIELDS,
    display_json,
    parameter_label,
)


def _table() -> dict[str, dict[str, str]]:
    text = resources.files("hemesim.model").joinpath("parameters.csv").read_text("utf-8")
    return {row["name"]: row for row in csv.DictReader(text.splitlines())}


def test_every_effect_factor_has_a_name_in_the_effect_order() -> None:
    """A factor added to Effect without a name would show as an identifier again."""
    assert list(EFFECT_FACTORS) == list(FACTOR_NAMES)
    for key, lab in EFFECT_FACTORS.items():
        assert "_" not in lab.name and key not in lab.name
        assert lab.reading


def test_factor_json_names_the_model_parameters_each_factor_multiplies() -> None:
    factors = display_json()["effect_factors"]
    assert factors["km_gly_factor"]["parameter"] == "ALAS2.Km_gly, ALAS2.Ki_gly"
    for key, params in EFFECT_PARAMETERS.items():
        assert factors[key]["parameter"].split(", ") == list(params)


def test_sampled_and_slider_parameters_have_curated_names_and_table_units() -> None:
    table = _table()
    for p in VPOP_PARAMETERS:
        assert p.name in PARAMETER_NAMES
    for name in PARAMETER_NAMES:
        assert name in table, f"{name} is not a model parameter"
        lab = parameter_label(name)
        assert lab["name"].startswith(PARAMETER_NAMES[name]) and lab["name"].endswith(f"({name})")
        assert lab["unit"] == table[name]["unit"]


def test_other_parameters_are_named_from_their_form() -> None:
    assert parameter_label("ALAD.kcat") == {
        "name": "ALAD turnover number (kcat) (ALAD.kcat)",
        "unit": "1/h",
    }
    assert parameter_label("FECH.Km_PPIX")["name"] == "FECH Km for PPIX (FECH.Km_PPIX)"
    assert parameter_label("guard")["name"] == "Model parameter (guard)"
    assert parameter_label("no.such") == {"name": "Model parameter (no.such)", "unit": ""}
    assert set(display_json()["parameters"]) == set(_table())


def test_record_fields_cover_the_curated_records() -> None:
    """Every field of a curated variant record the page shows has a name."""
    from hemesim.jsonable import jsonable
    from hemesim.web.api.variant import _interpret

    known = jsonable(_interpret("c.1706_1709del"))["known"]
    shown = {"phenotype", "mechanism", "activity_percent_of_wt", "pyridoxine_responsive",
             "certainty", "source", "notes"}  # fmt: skip
    assert shown <= set(RECORD_FIELDS)
    assert set(known) & shown


def test_pages_embed_the_names(client) -> None:
    import html
    import json
    import re

    page = client.get("/variant").text
    data = json.loads(html.unescape(re.search(r"data-json='([^']*)'", page).group(1)))
    assert data["effect_factors"]["kcat_factor"]["name"] == EFFECT_FACTORS["kcat_factor"].name
    assert data["labels"]["hb_g_dl"]["name"] == "Haemoglobin"
    assert data["parameters"]["iron.supply"]["unit"] == "amol/h"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node for the page's JavaScript")
def test_the_pages_name_parameters_factors_and_fields_from_the_embedded_json() -> None:
    """common.js reads the names from the page's JSON: a cohort's ``param:iron.supply`` column
    is "Iron supply ... (iron.supply)" in amol/h (it was "Parameter iron.supply")."""
    from hemesim.web.pages import page_labels

    common = Path(__file__).resolve().parents[2] / "src/hemesim/web/static/common.js"
    labels = json.dumps(json.dumps(page_labels()))
    script = (
        "globalThis.document = {addEventListener() {}, querySelector() { return null; }, "
        "getElementById(id) { return id === 'hs-labels' ? {dataset: {json: " + labels + "}} "
        ": null; }, querySelectorAll() { return []; }};\n"
        "globalThis.window = {matchMedia() { return {matches: false}; }};\n"
        + common.read_text(encoding="utf-8")
        + "\nprocess.stdout.write(JSON.stringify([hs.label('param:iron.supply'), "
        "hs.label('param:ALAD.kcat', '1/h'), hs.factorLabel('kd_plp_factor'), "
        "hs.fieldName('activity_percent_of_wt'), hs.label('hb_g_dl').name]));\n"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    iron, alad, plp, field, hb = json.loads(out.stdout)
    assert iron["name"] == parameter_label("iron.supply")["name"] and iron["unit"] == "amol/h"
    assert iron["name"].startswith("Iron supply to the red-cell precursor")
    assert alad["name"] == "ALAD turnover number (kcat) (ALAD.kcat)" and alad["unit"] == "1/h"
    assert plp["name"] == EFFECT_FACTORS["kd_plp_factor"].name
    assert plp["parameter"] == "ALAS2.Kd_PLP"
    assert field == RECORD_FIELDS["activity_percent_of_wt"]
    assert hb == "Haemoglobin"
