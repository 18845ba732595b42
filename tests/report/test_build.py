"""Reports end to end: content, self-contained HTML, PDF, and bad output paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemesim.errors import ReportError

pytest.importorskip("roadrunner")

from hemesim.report.build import build_report, write_report  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "hemesim" / "genetics" / "examples"


@pytest.fixture(scope="module")
def xlp_report():
    return build_report("c.1706_1709del", ped=EXAMPLES / "isolated_case.ped")


def test_content_of_an_xlp_report(xlp_report) -> None:
    d = xlp_report.to_dict()
    assert d["variant"]["effect"]["class"] == "gain_of_function"
    assert d["family"]["disease"] == "xlp"  # penetrance preset follows the effect
    assert len(d["female_xi"]["xi"]) == len(d["female_xi"]["predictions"]) == 11
    assert list(d["treatments"])[0] == "none"
    tc = d["time_course"]
    assert all(len(v) == len(tc["time_h"]) for v in tc["normal"].values())
    assert d["provenance"]["command"] == "hemesim report"


def test_html_is_self_contained(xlp_report, tmp_path: Path) -> None:
    path = write_report(xlp_report, tmp_path / "r.html")
    html = path.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 3
    assert "<svg" in html  # the pedigree
    assert "gain_of_function" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<script" not in html


def test_pdf_is_written(xlp_report, tmp_path: Path) -> None:
    path = write_report(xlp_report, tmp_path / "r.pdf")
    data = path.read_bytes()
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1
    )


@pytest.mark.parametrize("name", ["r.txt", "r", "missing/r.html"])
def test_bad_output_paths_raise_report_error(xlp_report, tmp_path: Path, name: str) -> None:
    with pytest.raises(ReportError) as info:
        write_report(xlp_report, tmp_path / name)
    assert "\n" not in str(info.value)


def test_figures_show_protoporphyrin_for_a_gain_of_function(xlp_report) -> None:
    """XLP is judged by erythrocyte protoporphyrin, not hemoglobin (Balwani 2013; Gou 2015)."""
    from hemesim.report.build import main_readout, report_figures

    assert main_readout(xlp_report) == "ep_total_ug_dl_rbc"
    figs = report_figures(xlp_report)
    assert "ep_total_ug_dl_rbc" in figs["phenotype_xi"].axes[0].get_ylabel()
    assert set(figs) == {"time_course", "phenotype_xi", "treatments", "pedigree"}


def test_a_variant_of_uncertain_effect_gets_no_report() -> None:
    """A report of c.1A>G would show the reference enzyme's phenotype as the variant's: it is
    refused before any simulation, pointing to the interpretation."""
    with pytest.raises(
        ReportError, match=r"c.1A>G: its effect on ALAS2 is uncertain.*hemesim variant"
    ):
        build_report("c.1A>G", progress=False)
