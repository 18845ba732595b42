"""POST /api/risk: PED upload -> X-linked risks (the shape of hemesim risk --json)."""

from __future__ import annotations

from pathlib import Path

import pytest

ISOLATED = b"#fid iid pid mid sex phen\nf dad 0 0 1 1\nf mum 0 0 2 0\nf son dad mum 1 2\n"


def _post(client, ped: bytes, **form: str):
    return client.post("/api/risk", files={"file": ("family.ped", ped, "text/plain")}, data=form)


def test_haldane_mother_of_an_isolated_case(client) -> None:
    """Lethal X-linked disorder (fitness 0), equal mutation rates: the mother of an isolated
    affected male is a carrier with probability 2/3 (Haldane 1935; shared/science.md s. 5)."""
    r = _post(client, ISOLATED, fitness_male="0")
    assert r.status_code == 200
    members = {m["id"]: m for m in r.json()["individuals"]}
    assert members["mum"]["p_carrier"] == pytest.approx(2 / 3, abs=1e-4)
    assert members["son"]["p_affected"] == pytest.approx(1.0)


def test_risk_json_matches_the_library(client) -> None:
    from hemesim.genetics.ped import parse_ped
    from hemesim.genetics.risk import risk

    body = _post(client, ISOLATED, disease="xlp").json()
    ref = risk(parse_ped(ISOLATED.decode()), disease="xlp").to_dict()
    assert body["log_likelihood"] == pytest.approx(ref["log_likelihood"])
    assert [m["p_carrier"] for m in body["individuals"]] == pytest.approx(
        [m["p_carrier"] for m in ref["individuals"]]
    )
    assert "svg" not in body


def test_svg_is_returned_on_request_and_escapes_ids(client) -> None:
    ped = b"f <b>x</b> 0 0 1 2\n"
    body = _post(client, ped, svg="true").json()
    assert body["svg"].startswith("<svg")
    assert "<b>" not in body["svg"] and "&lt;b&gt;" in body["svg"]


INVALID = [
    "invalid_columns.ped",
    "invalid_duplicate_id.ped",
    "invalid_father_female.ped",
    "invalid_missing_parent.ped",
    "invalid_mother_male.ped",
    "invalid_one_parent.ped",
    "invalid_own_ancestor.ped",
]


@pytest.mark.parametrize("name", INVALID)
def test_invalid_ped_files_are_422(client, examples: Path, name: str) -> None:
    r = _post(client, (examples / name).read_bytes(), fitness_male="0")
    assert r.status_code == 422, r.text
    assert r.json()["detail"]


def test_impossible_observations_are_422(client, examples: Path) -> None:
    """An affected son of a mother who tested negative is impossible without new mutations."""
    ped = (examples / "invalid_impossible.ped").read_bytes()
    r = _post(client, ped, mu_female="0", mu_male="0", allele_frequency="0.001")
    assert r.status_code == 422, r.text


@pytest.mark.parametrize(
    ("ped", "form"),
    [
        (b"\xff\xfe\x00", {}),
        (b"", {}),
        (ISOLATED, {"fitness_male": "1"}),
        (ISOLATED, {"disease": "flu"}),
        (ISOLATED, {"mu_male": "-1"}),
        (ISOLATED, {"penetrance_female": "2"}),
    ],
)
def test_bad_upload_or_option_is_422(client, ped: bytes, form: dict) -> None:
    r = _post(client, ped, **form)
    assert r.status_code == 422, r.text


def test_missing_file_is_422(client) -> None:
    assert client.post("/api/risk", data={"disease": "xlsa"}).status_code == 422


def test_caps_on_bytes_and_members(small_client) -> None:
    r = _post(small_client, ISOLATED)
    assert r.status_code == 422 and "at most 2" in r.json()["detail"]
    big = b"#" + b"x" * 300 + b"\n" + ISOLATED
    r = _post(small_client, big)
    assert r.status_code in (413, 422)


def test_the_cli_line_of_the_family_page_gives_the_same_risks(client, tmp_path: Path) -> None:
    """The page shows `hemesim risk family.ped --disease D --fitness-male F --json`."""
    import json

    from typer.testing import CliRunner

    from hemesim.cli.main import app

    ped = tmp_path / "family.ped"
    ped.write_bytes(ISOLATED)
    cli = CliRunner().invoke(
        app, ["risk", str(ped), "--disease", "xlp", "--fitness-male", "0", "--json"]
    )
    assert cli.exit_code == 0, cli.output
    api = _post(client, ISOLATED, disease="xlp", fitness_male="0").json()
    ref = json.loads(cli.output)
    assert set(api) == set(ref)
    assert [m["p_carrier"] for m in api["individuals"]] == pytest.approx(
        [m["p_carrier"] for m in ref["individuals"]]
    )


def test_family_pdf(client) -> None:
    r = client.post(
        "/api/risk/pdf", files={"file": ("f.ped", ISOLATED)}, data={"fitness_male": "0"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_family_pdf_bad_input_is_422(client) -> None:
    r = client.post("/api/risk/pdf", files={"file": ("f.ped", b"f a 0 0 9 1")})
    assert r.status_code == 422


def test_example_pedigrees_are_listed_and_valid(client) -> None:
    examples = client.get("/api/pedigree/examples").json()["examples"]
    names = [e["name"] for e in examples]
    assert "isolated_case" in names and not any(n.startswith("invalid") for n in names)
    for name in names:
        text = client.get(f"/api/pedigree/examples/{name}").text
        assert _post(client, text.encode()).status_code == 200, name


@pytest.mark.parametrize(("name", "status"), [("nope", 404), ("../etc", 404), ("a b", 422)])
def test_unknown_example_is_4xx(client, name: str, status: int) -> None:
    assert client.get(f"/api/pedigree/examples/{name}").status_code == status


# pedigreejs JSON, as the CLI's risk and report read it ---------------------------------------

ISOLATED_JSON = (
    b'[{"famid": "f", "name": "dad", "sex": "M", "alas2_disease": false},\n'
    b' {"famid": "f", "name": "mum", "sex": "F"},\n'
    b' {"famid": "f", "name": "son", "sex": "M", "father": "dad", "mother": "mum",'
    b' "alas2_disease": true}]\n'
)


@pytest.mark.parametrize("filename", ["family.json", "family.JSON", "family.ped", "blob"])
def test_pedigreejs_upload_gives_the_ped_risks(client, filename: str) -> None:
    """A pedigreejs file (by its .json name or its content) is read as hemesim risk reads it;
    it was parsed as PED ("line 1: 1 fields, expected 6")."""
    files = {"file": (filename, ISOLATED_JSON, "application/json")}
    r = client.post("/api/risk", files=files, data={"fitness_male": "0"})
    assert r.status_code == 200, r.text
    ped = _post(client, ISOLATED, fitness_male="0").json()
    assert [m["id"] for m in r.json()["individuals"]] == [m["id"] for m in ped["individuals"]]
    assert [m["p_carrier"] for m in r.json()["individuals"]] == pytest.approx(
        [m["p_carrier"] for m in ped["individuals"]]
    )


def test_pedigreejs_upload_matches_the_cli(client, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from hemesim.cli.main import app

    path = tmp_path / "family.json"
    path.write_bytes(ISOLATED_JSON)
    cli = CliRunner().invoke(app, ["risk", str(path), "--fitness-male", "0", "--json"])
    assert cli.exit_code == 0, cli.output
    files = {"file": ("family.json", ISOLATED_JSON, "application/json")}
    api = client.post("/api/risk", files=files, data={"fitness_male": "0"}).json()
    assert api["log_likelihood"] == pytest.approx(json.loads(cli.output)["log_likelihood"])
    pdf = client.post("/api/risk/pdf", files=files)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b'[{"name": "a", "sex": "M"', "pedigree file: not valid pedigreejs JSON (line 1: "),
        (b"[" * 50_000, "pedigree file: JSON nested too deeply"),
        (b"{}", "pedigreejs JSON: expected a list of person objects"),
        (b'[{"name": "a", "sex": "X"}]', "pedigreejs person 1, name 'a': sex 'X'"),
    ],
)
def test_bad_pedigreejs_upload_is_422(client, data: bytes, detail: str) -> None:
    r = client.post("/api/risk", files={"file": ("family.json", data, "application/json")})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(detail)
