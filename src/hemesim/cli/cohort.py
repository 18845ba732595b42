"""CLI command: ``hemesim cohort`` (a virtual cohort, with or without a variant, on the batched
engine; people drawn from the calibrated virtual population)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from hemesim.cli._common import (
    PHENOTYPE_FIELDS,
    PLOT_SUFFIXES,
    check_hgvs_quoting,
    check_output,
    emit_json,
    progress_bar,
    rename_fields,
    writing,
)
from hemesim.errors import HemesimError

#: API fields of :func:`hemesim.phenotype.cohort.virtual_cohort` -> the options of ``cohort``
COHORT_FIELDS = {**PHENOTYPE_FIELDS, "n": "--n", "variant": "--variant", "scheduler": "--scheduler"}
#: ``--out`` formats (compared without regard to case)
TABLE_SUFFIXES = (".parquet", ".csv")
#: a Dask scheduler address, ``scheme://host[:port]`` (what hemesim.simulate.dask_runner takes)
_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)(:(\d{1,5}))?/?$")


def check_scheduler(scheduler: str | None) -> str | None:
    """Check ``--scheduler`` before any work: ``local`` or an address ``tcp://host:port``.

    Raises
    ------
    HemesimError
        Any other text, or a port outside 1-65535.
    """
    if scheduler is None or scheduler == "local":
        return scheduler
    match = _ADDRESS.match(scheduler)
    port = match.group(3) if match else None
    if match is None or (port is not None and not 1 <= int(port) <= 65535):
        raise HemesimError(
            f"--scheduler {scheduler!r}: expected 'local' (a Dask cluster on this machine) or "
            "a scheduler address such as tcp://host:8786"
        )
    return scheduler


def register(app: typer.Typer) -> None:
    """Register ``cohort`` on the root app."""

    @app.command("cohort")
    def cohort_command(
        variant: str | None = typer.Option(
            None,
            "--variant",
            help="ALAS2 variant (HGVS), e.g. p.Arg452Cys; leave out for people without one.",
        ),
        sex: str = typer.Option(
            "female", "--sex", help="male (hemizygous) or female (heterozygous)."
        ),
        n: int = typer.Option(10_000, "--n", help="Number of people to simulate."),
        uncertainty: bool = typer.Option(
            False,
            "--uncertainty",
            help="Add the model's parameter (epistemic) uncertainty on top of the between-person "
            "spread; labelled as such, it is not a population.",
        ),
        population: bool = typer.Option(
            True,
            "--population/--typical",
            help="Draw people from the calibrated virtual population (default), or simulate one "
            "typical person (default parameters; women still vary in X-inactivation).",
        ),
        seed: int = typer.Option(0, "--seed", help="Seed of every random draw."),
        treat: str = typer.Option(
            "none", "--treat", help="none, pyridoxine, chelation or phlebotomy."
        ),
        age: float | None = typer.Option(
            None,
            "--age",
            help="Age in years: vitamin B6 status (PLP) of the age; for women also the "
            "X-inactivation distribution (40). Without it: young-adult PLP.",
        ),
        scheduler: str | None = typer.Option(
            None,
            "--scheduler",
            help="Dask: 'local' for a LocalCluster, or a scheduler address tcp://host:port.",
        ),
        out: Path | None = typer.Option(
            None, "--out", "-o", help="Write the per-person table (.parquet or .csv)."
        ),
        plot: Path | None = typer.Option(
            None, "--plot", help="Histogram of Hb and EP (.png, .svg or .pdf)."
        ),
        json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    ) -> None:
        """Simulate a virtual cohort: quantiles and disease shares.

        People are drawn from the calibrated virtual population of healthy adults (between-person
        variability reproducing published reference intervals, docs/phenotype.md); the variant,
        if given, acts on each person. Without --variant: people without an ALAS2 variant.

        Examples: hemesim cohort --sex female --n 100000;
        hemesim cohort --variant p.Arg452Cys --sex female --n 100000;
        hemesim cohort --variant c.1706_1709del --sex male --n 20000 --uncertainty --json
        """
        from hemesim.phenotype.grading import validate_sex

        # every option is checked before the cohort runs (a run can take minutes)
        try:
            validate_sex(sex)
        except HemesimError as exc:
            raise rename_fields(exc, COHORT_FIELDS) from None
        check_scheduler(scheduler)
        if variant is not None:
            check_hgvs_quoting(variant, "--variant")
        if out is not None:
            check_output(out, "--out", TABLE_SUFFIXES)
        if plot is not None:
            check_output(plot, "--plot", PLOT_SUFFIXES, inputs=[out])

        kwargs: dict[str, Any] = dict(
            sex=sex,
            n=n,
            seed=seed,
            uncertainty=uncertainty,
            population=population,
            treatment=treat,
            age_years=age,
            scheduler=scheduler,
        )
        try:
            cohort = _run(variant, n, json_out, kwargs)
        except HemesimError as exc:
            raise rename_fields(exc, COHORT_FIELDS) from None
        if out is not None:
            with writing(out, "--out", atomic=False):  # Cohort.write is atomic
                cohort.write(out)
        if plot is not None:
            _plot(cohort, plot)
        summary = cohort.to_dict()
        if json_out:
            emit_json(summary)
            return
        _print(summary, out, plot, _outside_shares(cohort.table, summary))


def _outside_shares(table: Any, summary: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Readout -> (share below, share above) its reference range, over the people with a value.

    Values are compared as shown (rounded as :mod:`hemesim.report.labels` rounds them), as
    :func:`hemesim.report.labels.flag` flags one person.
    """
    import numpy as np

    from hemesim.report.labels import label, reference_range

    sex = summary["sex"] if summary.get("sex") in ("male", "female") else None
    out: dict[str, tuple[float, float]] = {}
    for key in summary["quantiles"]:
        ref = reference_range(key, sex)
        if ref is None or key not in table:
            continue
        values = table[key].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if not values.size:
            continue
        lab = label(key)
        if lab.decimals is not None:
            values = np.round(values * lab.scale, lab.decimals) / lab.scale
        low = float(np.mean(values < ref.low)) if ref.low is not None else 0.0
        high = float(np.mean(values > ref.high)) if ref.high is not None else 0.0
        out[key] = (low, high)
    return out


def _run(variant: str | None, n: int, quiet: bool, kwargs: dict[str, Any]) -> Any:
    """Call :func:`virtual_cohort`, with a progress bar on stderr unless ``quiet``."""
    from hemesim.phenotype.cohort import virtual_cohort

    with progress_bar("simulating the cohort", total=n, quiet=quiet) as update:
        return virtual_cohort(variant, progress=lambda done, total: update(done, total), **kwargs)


def _print(
    summary: dict[str, Any],
    out: Path | None,
    plot: Path | None,
    outside: dict[str, tuple[float, float]] | None = None,
) -> None:
    """Disease shares and penetrance first, then the readouts' quantiles with clinical names,
    units, reference ranges and the shares of people flagged low (L) and high (H)."""
    from rich.console import Console
    from rich.table import Table

    from hemesim.cli._words import percent
    from hemesim.report.labels import format_value, label, ordered_keys, reference_range

    outside = outside or {}
    console = Console(soft_wrap=False)
    sex = summary["sex"] if summary.get("sex") in ("male", "female") else None
    people = {"male": "men", "female": "women"}.get(str(sex), "people")
    variant = summary.get("variant") or "none (normal ALAS2)"
    console.print(
        f"[bold]{summary['n']:,} {people}, ALAS2 variant: {variant}[/bold]"
        + (" (with parameter uncertainty)" if summary.get("uncertainty") else "")
        + (
            f", treatment {summary['treatment']}"
            if summary.get("treatment") not in (None, "none")
            else ""
        )
    )
    spread = summary.get("spread_description") or summary.get("spread")
    if spread:
        console.print(f"Spread: {spread}")
    shares = sorted(summary["disease_shares"].items(), key=lambda kv: -kv[1])
    console.print("Disease calls: " + ", ".join(f"{k} {percent(v)}" for k, v in shares))
    if summary.get("penetrance") is not None:
        console.print(f"Penetrance (XLSA or XLP): {percent(summary['penetrance'])}")
    qs = summary["quantiles"]
    shown = {"q2.5": "2.5 %", "q50": "median", "q97.5": "97.5 %"}  # all of them: --json
    available = list(next(iter(qs.values())).keys()) if qs else []
    names = [q for q in shown if q in available] or available
    table = Table(
        "readout (unit)",
        *(shown.get(q, q) for q in names),
        "reference",
        "L",
        "H",
        title="readouts: median and central 95 % of the cohort",
        caption="L / H: share of people flagged low / high (outside the reference range)",
    )
    table.columns[0].min_width = 22
    for key in ordered_keys(qs):
        row = qs[key]
        lab = label(key, summary["units"].get(key, ""))
        ref = reference_range(key, sex)
        table.add_row(
            lab.title,
            *(format_value(key, row[q]) for q in names),
            "" if ref is None else ref.text(key),
            *(("", "") if key not in outside else (percent(x, digits=0) for x in outside[key])),
        )
    console.print(table)
    console.print(f"{summary['simulations']:,} simulations in {summary['elapsed_s']:.1f} s")
    if summary["n_failed"]:
        console.print(
            f"[yellow]{summary['n_failed']:,} people left out: their parameter draw did not "
            "integrate (see docs/scale.md)[/yellow]"
        )
    for path in (out, plot):
        if path is not None:
            console.print(f"wrote {path}")


def _plot(cohort, path: Path) -> None:  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    table = cohort.table
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, key, label in (
        (axes[0], "hb_g_dl", "Hb (g/dL)"),
        (axes[1], "ep_total_ug_dl_rbc", "erythrocyte protoporphyrin (ug/dL RBC)"),
    ):
        ax.hist(table[key].to_numpy(dtype=float), bins=60, color="#1f4e79")
        ax.set_xlabel(label)
        ax.set_ylabel("people")
    axes[0].axvline(
        13.0 if cohort.sex == "male" else 12.0,
        color="#b3261e",
        ls="--",
        label="WHO anaemia threshold",
    )
    axes[1].axvline(300.0, color="#b3261e", ls="--", label="protoporphyria range (Gou 2015)")
    for ax in axes:
        ax.legend(fontsize=7)
    fig.suptitle(f"{cohort.n:,} {cohort.sex} carriers of {cohort.variant}")
    with writing(path, "--plot") as tmp:
        fig.savefig(tmp, dpi=120)
