"""A self-contained HTML report: figures embedded as PNG (data URIs), the pedigree as inline SVG.

The file opens offline and can be attached to a clinic record; nothing is loaded from elsewhere.
"""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemesim.report.build import Report

__all__ = ["render_html"]

_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1d232b; max-width: 960px; margin: 2rem auto;
       padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem;
       border-bottom: 1px solid #d5dbe3; padding-bottom: 0.2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d5dbe3; padding: 0.2rem 0.6rem; text-align: left;
       vertical-align: top; }
th { color: #5b6470; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; } img.small { max-width: 640px; }
.muted { color: #5b6470; font-size: 0.85rem; }
.badge { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 999px; background: #eee;
       font-weight: 600; } code { font-size: 0.85rem; }
"""


def _num(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e5 else f"{value:.3e}"
    return escape(str(value))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(fig: Any, alt: str, small: bool = False) -> str:
    from hemesim.report.plots import png_bytes

    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    cls = ' class="small"' if small else ""
    return f'<img{cls} alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def render_html(report: Report) -> str:
    """Render the report as one HTML document (text).

    Parameters
    ----------
    report
        From :func:`hemesim.report.build.build_report`.
    """
    from hemesim.report.build import TABLE_READOUTS, report_figures

    v = report.variant
    effect = v.get("effect") or {}
    figs = report_figures(report)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>hemesim report: {escape(report.hgvs)}</title><style>{_CSS}</style></head><body>",
        f"<h1>ALAS2 variant report: {escape(v.get('hgvs_c') or report.hgvs)}</h1>",
        f"<p class='muted'>hemesim {escape(str(report.provenance.get('version')))}, "
        f"{escape(str(report.provenance.get('time_utc')))}. Research software: model predictions "
        "to discuss, not a diagnosis.</p>",
        "<h2>Variant</h2>",
        _table(
            ["field", "value"],
            [
                ["input", escape(str(v.get("input")))],
                ["cDNA", escape(str(v.get("hgvs_c") or "-"))],
                ["protein", escape(str(v.get("hgvs_p") or "-"))],
                ["consequence", escape(str(v.get("consequence")))],
                ["domain", escape("; ".join((v.get("domain") or {}).get("regions", [])) or "-")],
                ["effect", f"<span class='badge'>{escape(str(effect.get('class')))}</span>"],
                ["rationale", escape(str(effect.get("rationale", "")))],
                ["source", escape(str(effect.get("source", "")))],
            ],
        ),
    ]
    known = v.get("known")
    if known:
        parts.append("<h3>Published record</h3>")
        parts.append(
            _table(
                ["field", "value"],
                [
                    [escape(k), escape(str(val))]
                    for k, val in known.items()
                    if val not in ("", None)
                ],
            )
        )
    parts += [
        "<h2>Simulated maturation (one erythroblast)</h2>",
        _img(figs["time_course"], "time course"),
        "<h2>Predicted phenotype</h2>",
        f"<p>Man (hemizygous): <b>{escape(str(report.male.get('disease')))}</b>. Women "
        "(heterozygous) depend on X-inactivation:</p>",
        _img(figs["phenotype_xi"], "phenotype across X-inactivation", small=True),
    ]
    rows = [["man", "1.0", escape(str(report.male.get("disease")))]]
    rows[0] += [_num(report.male["phenotype"].get(k)) for k in TABLE_READOUTS]
    for x, p in zip(report.female_xi["xi"], report.female_xi["predictions"], strict=True):
        rows.append(
            ["woman", f"{x:.1f}", escape(str(p.get("disease")))]
            + [_num(p["phenotype"].get(k)) for k in TABLE_READOUTS]
        )
    parts.append(_table(["person", "xi", "call", *TABLE_READOUTS], rows))
    parts += ["<h2>Treatments (man)</h2>", _img(figs["treatments"], "treatments", small=True)]
    parts.append(
        _table(
            ["treatment", "call", *TABLE_READOUTS],
            [
                [escape(t), escape(str(p.get("disease")))]
                + [_num(p["phenotype"].get(k)) for k in TABLE_READOUTS]
                for t, p in report.treatments.items()
            ],
        )
    )
    if report.family is not None:
        fam = report.family
        parts += [
            f"<h2>Family risks ({escape(str(fam.get('disease')).upper())} penetrance)</h2>",
            report.pedigree_svg or "",
            _table(
                [
                    "id",
                    "sex",
                    "P(carrier)",
                    "P(affected)",
                    "P(affected son)",
                    "P(carrier daughter)",
                ],
                [
                    [
                        escape(str(m["id"])),
                        escape(str(m["sex"])),
                        _num(m["p_carrier"]),
                        _num(m["p_affected"]),
                        _num(m.get("p_affected_son")),
                        _num(m.get("p_carrier_daughter")),
                    ]
                    for m in fam["individuals"]
                ],
            ),
            f"<p class='muted'>log-likelihood {_num(fam.get('log_likelihood'))}</p>",
        ]
    cmd = f"hemesim report '{report.hgvs}' -o report.html"
    parts.append(
        f"<h2>Reproduce</h2><p><code>{escape(cmd)}</code></p>"
        "<p class='muted'>Sources are named with each number in the tables above.</p>"
        "</body></html>"
    )
    return "\n".join(parts)
