"""``hemesim demo``: a short guided tour with real output and plot files.

It runs what the README's first command promises, on the embedded default model, offline:
a healthy man's erythroblast, an XLSA and an XLP variant in a man, a heterozygous woman across
X-inactivation, and a family's X-linked risk. Every number printed is computed, none is stored.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import typer

from hemesim.cli._common import check_output_folder, emit_json, progress_bar, writing

TIME_COURSE = (
    "hemoglobin_pg_per_cell",
    "heme_total_amol",
    "cell_volume_fl",
    "ppix_amol",
    "znpp_amol",
    "mito_iron_amol",
)  # per-cell quantities; whole-blood indices are end points (the tables)
XLSA_EXAMPLE = "p.Arg452Cys"  # Cotter et al., Blood 1999;93:1757: pyridoxine-responsive XLSA
XLP_EXAMPLE = "c.1706_1709del"  # Whatley et al., AJHG 2008;83:408: the commonest XLP deletion
READOUTS = (
    "hb_g_dl",
    "mch_pg",
    "mcv_fl",
    "ep_total_ug_dl_rbc",
    "znpp_fraction",
    "mito_iron_index",
)  # shown with the clinical names, units and men's reference ranges of hemesim.report.labels


def _value(entry: Any) -> float:
    if isinstance(entry, dict):
        entry = entry.get("value")
    return float(entry)


def _cell(key: str, value: float) -> str:
    """A readout as shown, with its high/low flag against the men's reference range."""
    from hemesim.report.labels import flag, format_value

    mark = {"low": " L", "high": " H"}.get(flag(key, value, "male"), "")
    return format_value(key, value) + mark


def run_demo(out: Path, quiet: bool, step: Any = None) -> dict[str, Any]:
    """Run the tour, write its files into ``out`` and return the JSON summary.

    Parameters
    ----------
    out
        Output folder (created; an existing file or an unwritable place is a one-line error
        naming ``--out``, given before any simulation).
    quiet
        Print nothing (for ``--json``).
    step
        Called as ``step(done, total, description)`` when each of the four sections starts (the
        progress bar on stderr); ``None``: not called.

    Returns
    -------
    dict
        ``normal``, ``xlsa_male``, ``xlp_male``, ``female``, ``family``, ``files``, ``provenance``.
    """
    from rich.console import Console
    from rich.table import Table

    from hemesim.genetics.draw import draw_svg
    from hemesim.genetics.ped import read_ped
    from hemesim.genetics.risk import risk
    from hemesim.phenotype.mechanisms import compare_mechanisms
    from hemesim.phenotype.penetrance import penetrance
    from hemesim.phenotype.predict import predict
    from hemesim.provenance import provenance
    from hemesim.report.plots import plot_phenotype_xi, plot_time_course
    from hemesim.simulate import load_model
    from hemesim.variants.interpret import interpret

    console = Console(stderr=False, quiet=quiet)
    check_output_folder(out, "--out")
    tick = step if step is not None else (lambda *args: None)
    files: list[str] = []

    tick(0, 4, "demo: a healthy man")
    # 1. A healthy man's erythroblast -----------------------------------------------------------
    console.rule("[bold]1. A healthy man: one erythroblast making hemoglobin")
    model = load_model("erythroid")
    normal = model.simulate()
    console.print(
        "The Antimony model (8 enzymatic steps, iron, IRE/IRP, HRI, globin) run by libRoadRunner "
        f"over {normal.to_dataframe()['time_h'].iloc[-1]:.0f} h of maturation."
    )
    tick(1, 4, "demo: XLSA and XLP men")
    # 2. Two variants in a man -----------------------------------------------------------------
    xlsa_report = interpret(XLSA_EXAMPLE)
    xlp_report = interpret(XLP_EXAMPLE)
    xlsa = predict(xlsa_report, sex="male").to_dict()
    xlsa_b6 = predict(xlsa_report, sex="male", treatment="pyridoxine").to_dict()
    xlp = predict(xlp_report, sex="male").to_dict()

    from hemesim.cli._words import effect_class_words, factor_text, percent
    from hemesim.report.labels import format_value, label, reference_range

    table = Table(
        title="Readouts at the end of maturation (men)",
        caption=f"XLSA: {XLSA_EXAMPLE}; XLP: {XLP_EXAMPLE}. L / H: below / above the men's "
        "reference range",
    )
    table.add_column("readout (unit)", min_width=18)
    table.add_column("reference")
    for column in ("normal", "XLSA", "XLSA + pyridoxine", "XLP"):
        table.add_column(column, justify="right")
    for key in READOUTS:
        ref = reference_range(key, "male")
        table.add_row(
            label(key).title,
            "" if ref is None else ref.text(key),
            _cell(key, normal.readouts[key]),
            _cell(key, _value(xlsa["phenotype"][key])),
            _cell(key, _value(xlsa_b6["phenotype"][key])),
            _cell(key, _value(xlp["phenotype"][key])),
        )
    table.add_row(
        "Disease call",
        "",
        "none",
        str(xlsa["disease"]),
        str(xlsa_b6["disease"]),
        str(xlp["disease"]),
    )
    console.print(table)
    for name, pred in ((f"XLSA {XLSA_EXAMPLE}", xlsa), (f"XLP {XLP_EXAMPLE}", xlp)):
        shares = (pred.get("people_like_this") or {}).get("call_shares") or {}
        console.print(
            f"{name}: the typical man is called [bold]{pred['disease']}[/bold] (basis "
            f"{pred.get('basis')}); among 400 simulated men with this genotype: "
            + ", ".join(f"{k} {percent(v, digits=0)}" for k, v in shares.items() if v > 0)
        )
    console.rule("[bold]2. Two ALAS2 variants in a man")
    for rep in (xlsa_report, xlp_report):
        console.print(
            f"{rep.hgvs_p or rep.hgvs_c}: [bold]{effect_class_words(rep.effect.effect_class)}"
            f"[/bold]: {factor_text(rep.effect.changed())}"
        )
    console.print(
        "Loss of function starves the cell of heme (microcytic anemia, mitochondrial iron: "
        "ring sideroblasts; XLSA is not a porphyria). Losing the autoinhibitory C-terminus "
        "raises ALAS2 activity: protoporphyrin piles up (XLP, a porphyria) without anemia."
    )
    mechanisms = compare_mechanisms().to_dict()
    mech = Table(title="Why the ZnPP share separates XLP from EPP and iron deficiency (Gou 2015)")
    for col in ("condition", "intervention", "EP (µg/dL RBC)", "metal-free share", "pattern"):
        mech.add_column(col, min_width={"intervention": 14, "pattern": 16}.get(col))
    for row in mechanisms["rows"]:
        mech.add_row(
            row["condition"],
            row["intervention"].replace(" x ", " ×"),
            format_value("ep_total_ug_dl_rbc", row["ep_total_ug_dl_rbc"]),
            format_value("metal_free_fraction", row["metal_free_fraction"]) + " %",
            row["pattern"],
        )
    console.print(mech)
    mutant = model.simulate(overrides=_overrides(model, xlsa_report.effect))
    fig = plot_time_course(
        normal.to_dataframe()["time_h"].tolist(),
        {k: normal.to_dataframe()[k].tolist() for k in TIME_COURSE},
        {k: mutant.to_dataframe()[k].tolist() for k in TIME_COURSE},
        normal.units,
        variant_label=f"{XLSA_EXAMPLE} (hemizygous)",
    )
    path = out / "time_course_normal_vs_xlsa.png"
    with writing(path, "--out") as tmp:
        fig.savefig(tmp, dpi=120)
    files.append(str(path))

    tick(2, 4, "demo: heterozygous women")
    # 3. A heterozygous woman across X-inactivation ---------------------------------------------
    console.rule("[bold]3. Heterozygous women: X-inactivation decides")
    pen_xlsa = penetrance(xlsa_report).to_dict()  # the default seed: the number every surface shows
    pen_xlp = penetrance(xlp_report).to_dict()
    console.print(
        f"P(disease) over the population distribution of X-inactivation: "
        f"XLSA {XLSA_EXAMPLE} {percent(pen_xlsa['penetrance'])}, XLP {XLP_EXAMPLE} "
        f"{percent(pen_xlp['penetrance'])} (share of 2,000 simulated heterozygous women called "
        "affected)."
    )
    curve = pen_xlsa.get("curve", {})
    if curve:
        women = [{"hb_g_dl": hb} for hb in curve["hb_g_dl"]]
        fig = plot_phenotype_xi(curve["xi"], women, xlsa["phenotype"])
        path = out / "female_hb_vs_xi_xlsa.png"
        with writing(path, "--out") as tmp:
            fig.savefig(tmp, dpi=120)
        files.append(str(path))

    tick(3, 4, "demo: a family")
    # 4. A family --------------------------------------------------------------------------------
    console.rule("[bold]4. A family: an isolated affected boy")
    ped = read_ped(
        Path(str(resources.files("hemesim.genetics") / "examples" / "isolated_case.ped"))
    )
    family = risk(ped, disease="xlsa", penetrance_female=pen_xlsa["penetrance"])
    fam = family.to_dict()
    mother = next(m for m in fam["individuals"] if m["id"] == "mother")
    console.print(
        f"Mother's carrier probability {percent(mother['p_carrier'])} (Haldane: (2+f)/3 with "
        f"new mutations in both sexes); her next son is affected with probability "
        f"{percent(mother['p_affected_son'])}."
    )
    path = out / "isolated_case.svg"
    with writing(path, "--out") as tmp:
        tmp.write_text(draw_svg(ped, family), encoding="utf-8")
    files.append(str(path))

    tick(4, 4, "demo: done")
    console.rule()
    console.print("Files: " + ", ".join(files))
    return {
        "normal": normal.readouts,
        "xlsa_male": xlsa,
        "xlsa_male_pyridoxine": xlsa_b6,
        "xlp_male": xlp,
        "mechanisms": mechanisms,
        "female": {
            "xlsa_penetrance": pen_xlsa["penetrance"],
            "xlp_penetrance": pen_xlp["penetrance"],
        },
        "family": fam,
        "files": files,
        "provenance": provenance("hemesim demo", {"out": str(out)}),
    }


def _overrides(model: Any, effect: Any) -> dict[str, float]:
    from hemesim.model import effect_overrides

    return effect_overrides(effect, model.definition)


def register(app: typer.Typer) -> None:
    """Register ``demo``."""

    @app.command()
    def demo(
        out: Path = typer.Option(Path("out/demo"), "--out", help="Folder for the plot files."),
        json_out: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    ) -> None:
        """A guided tour: a healthy man, XLSA and XLP men, heterozygous women, a family.

        Example: hemesim demo --out out/demo
        """
        with progress_bar("demo", total=4, quiet=json_out) as update:
            summary = run_demo(out, quiet=json_out, step=update)
        if json_out:
            emit_json(summary)
