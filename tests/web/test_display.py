"""Names the pages show for effect factors, curated-record fields and model parameters
(hemesim.web.display): every identifier the pages can receive has one."""

from __future__ import annotations

import csv
from importlib import resources

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
