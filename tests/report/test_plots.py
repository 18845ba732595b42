"""Report figures: each plot is built from plain data and serialises to PNG/SVG."""

from __future__ import annotations

import pytest

pytest.importorskip("matplotlib")

from hemesim.report import plots  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _phen(hb: float) -> dict:
    return {"hb_g_dl": {"value": hb, "unit": "g/dL"}}


def test_time_course_has_one_panel_per_readout() -> None:
    fig = plots.plot_time_course(
        [0, 1, 2], {"a": [1, 2, 3], "b": [3, 2, 1]}, {"a": [1, 1, 1]}, {"a": "pg", "b": "1"}
    )
    assert len(fig.axes) == 2
    assert fig.axes[0].get_ylabel() == "a (pg)"
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[1].lines) == 1
    assert plots.png_bytes(fig).startswith(PNG_MAGIC)


def test_phenotype_xi_plots_women_and_the_man() -> None:
    fig = plots.plot_phenotype_xi([0, 0.5, 1], [_phen(15), _phen(12), _phen(9)], _phen(9))
    ax = fig.axes[0]
    xs, ys = ax.lines[0].get_data()
    assert list(xs) == [0, 0.5, 1] and list(ys) == [15, 12, 9]
    assert "g/dL" in ax.get_ylabel()
    assert plots.svg_text(fig).lstrip().startswith("<?xml")


def test_treatment_bars_follow_the_order_given() -> None:
    fig = plots.plot_treatments({"none": _phen(8), "pyridoxine": _phen(11)})
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [8, 11]


def test_pedigree_figure_draws_every_member() -> None:
    from hemesim.genetics.ped import parse_ped

    ped = parse_ped("f dad 0 0 1 1\nf mum 0 0 2 0\nf son dad mum 1 2\nf girl dad mum 2 0\n")
    fig = plots.plot_pedigree(ped, [0.0, 0.6667, 1.0, 0.5])
    texts = [t.get_text() for t in fig.axes[0].texts]
    for name in ("dad", "mum", "son", "girl"):
        assert any(t.startswith(name) for t in texts)
    assert any("P(c)=0.667" in t for t in texts)
    assert len(fig.axes[0].patches) == 4


def test_time_course_uses_a_log_axis_only_for_early_transients() -> None:
    fig = plots.plot_time_course(
        [0, 1, 2, 3], {"spike": [1e5, 10, 12, 11], "flat": [1, 2, 3, 4]}, None, {}
    )
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[1].get_yscale() == "linear"
