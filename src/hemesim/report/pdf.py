"""A PDF report with matplotlib's PdfPages: a summary page, then one page per figure and table."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemesim.report.build import Report

__all__ = ["family_pdf", "write_pdf"]

A4_IN = (8.27, 11.69)

SHORT_NAMES = {
    "hb_g_dl": "Hb g/dL",
    "mcv_fl": "MCV fL",
    "mch_pg": "MCH pg",
    "rdw_cv_percent": "RDW %",
    "ep_total_ug_dl_rbc": "EP ug/dL",
    "znpp_fraction": "ZnPP frac",
    "mito_iron_index": "mito Fe",
}
"""Column headers of the PDF tables (readout id -> short label with unit)."""


def _text_page(lines: list[str], title: str) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_IN)
    fig.text(0.08, 0.95, title, fontsize=15, fontweight="bold", va="top")
    y = 0.91
    for line in lines:
        for chunk in textwrap.wrap(line, 118) or [""]:
            fig.text(0.06, y, chunk, fontsize=7, va="top", family="monospace")
            y -= 0.015
            if y < 0.05:
                return fig
    return fig


def write_pdf(report: Report, path: str | Path) -> Path:
    """Write ``report`` as a multi-page PDF at ``path`` and return the path."""
    from matplotlib.backends.backend_pdf import PdfPages

    from hemesim.report.build import TABLE_READOUTS, report_figures

    v = report.variant
    effect = v.get("effect") or {}

    def val(entry: Any) -> str:
        x = entry.get("value") if isinstance(entry, dict) else entry
        return "n/a" if x is None else f"{x:.3g}"

    summary = [
        f"input        {v.get('input')}",
        f"cDNA         {v.get('hgvs_c') or '-'}",
        f"protein      {v.get('hgvs_p') or '-'}",
        f"consequence  {v.get('consequence')}",
        f"domain       {'; '.join((v.get('domain') or {}).get('regions', [])) or '-'}",
        f"effect       {effect.get('class')}",
        f"rationale    {effect.get('rationale', '')}",
        f"source       {effect.get('source', '')}",
        "",
        f"man (hemizygous): {report.male.get('disease')}",
        "",
        "person  xi    call     "
        + " ".join(f"{SHORT_NAMES.get(k, k):>10}" for k in TABLE_READOUTS),
        "man     1.0   "
        + f"{report.male.get('disease')!s:<8} "
        + " ".join(f"{val(report.male['phenotype'].get(k)):>10}" for k in TABLE_READOUTS),
    ]
    for x, p in zip(report.female_xi["xi"], report.female_xi["predictions"], strict=True):
        summary.append(
            f"woman   {x:.1f}   {p.get('disease')!s:<8} "
            + " ".join(f"{val(p['phenotype'].get(k)):>10}" for k in TABLE_READOUTS)
        )
    summary += [
        "",
        "treatment (man)  call     "
        + " ".join(f"{SHORT_NAMES.get(k, k):>10}" for k in TABLE_READOUTS),
    ]
    for t, p in report.treatments.items():
        summary.append(
            f"{t:<16} {p.get('disease')!s:<8} "
            + " ".join(f"{val(p['phenotype'].get(k)):>10}" for k in TABLE_READOUTS)
        )
    summary += [
        "",
        f"hemesim {report.provenance.get('version')}, {report.provenance.get('time_utc')}",
        "Research software: model predictions to discuss, not a diagnosis.",
    ]
    pages = [_text_page(summary, f"ALAS2 variant report: {v.get('hgvs_c') or report.hgvs}")]
    figs = report_figures(report)
    pages += [figs["time_course"], figs["phenotype_xi"], figs["treatments"]]
    if report.family is not None:
        fam = report.family
        lines = [f"{'id':<12} {'sex':<7} {'P(carrier)':>11} {'P(affected)':>12}"]
        for m in fam["individuals"]:
            lines.append(
                f"{m['id']!s:<12} {m['sex']:<7} {m['p_carrier']:>11.4f} {m['p_affected']:>12.4f}"
            )
        lines.append(f"log-likelihood {fam['log_likelihood']:.4f}")
        if "pedigree" in figs:
            pages.append(figs["pedigree"])
        pages.append(_text_page(lines, f"Family risks ({str(fam.get('disease')).upper()})"))
    out = Path(path)
    with PdfPages(out) as pdf:
        for fig in pages:
            pdf.savefig(fig)
    return out


def family_pdf(pedigree: Any, risk: dict[str, Any], title: str = "Family risks") -> bytes:
    """A two-page PDF of one family: the pedigree with P(carrier), then the risk table.

    Parameters
    ----------
    pedigree
        The :class:`~hemesim.genetics.pedigree.Pedigree`.
    risk
        ``RiskResult.to_dict()`` for that pedigree.
    title
        Title of both pages.

    Returns
    -------
    bytes
        The PDF document.
    """
    import io

    from matplotlib.backends.backend_pdf import PdfPages

    from hemesim.report.plots import plot_pedigree

    members = risk["individuals"]
    fig = plot_pedigree(pedigree, [m["p_carrier"] for m in members], title=title)
    lines = [
        f"{'id':<14} {'sex':<7} {'P(carrier)':>11} {'P(affected)':>12} {'P(aff. son)':>12} "
        f"{'P(car. dau.)':>12}"
    ]
    for m in members:
        son = m.get("p_affected_son")
        dau = m.get("p_carrier_daughter")
        lines.append(
            f"{m['id']!s:<14} {m['sex']:<7} {m['p_carrier']:>11.4f} {m['p_affected']:>12.4f} "
            f"{'' if son is None else f'{son:.4f}':>12} {'' if dau is None else f'{dau:.4f}':>12}"
        )
    lines += ["", f"log-likelihood {risk['log_likelihood']:.4f}"]
    prov = risk.get("provenance") or {}
    params = prov.get("parameters") or {}
    lines.append("model: " + ", ".join(f"{k}={v}" for k, v in params.items() if v is not None))
    lines.append(f"hemesim {prov.get('version', '')}, {prov.get('time_utc', '')}")
    buf = io.BytesIO()
    with PdfPages(buf) as pdf:
        pdf.savefig(fig)
        pdf.savefig(_text_page(lines, title))
    return buf.getvalue()
