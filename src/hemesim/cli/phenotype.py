"""CLI commands: ``hemesim penetrance HGVS`` and ``hemesim validate``.

Also holds :func:`phenotype_json` and :func:`plot_prediction`, which ``hemesim variant HGVS --sex
... [--xi X] [--treat T] [--json] [--plot FILE.png]`` uses for its phenotype part.
Heavy imports (roadrunner via the phenotype stage, matplotlib) happen inside function bodies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import (
    PHENOTYPE_FIELDS,
    PLOT_SUFFIXES,
    check_hgvs_quoting,
    check_output,
    check_seed,
    fail,
    progress_bar,
    rename_fields,
    writing,
)
from hemesim.errors import HemesimError

if TYPE_CHECKING:
    from hemesim.phenotype.penetrance import PenetranceResult
    from hemesim.phenotype.predict import Prediction

__all__ = ["register", "phenotype_json", "plot_prediction", "plot_penetrance"]

#: suffixes ``validate --report`` accepts (compared without regard to case)
REPORT_SUFFIXES = (".html", ".htm")


def _check_plot_path(path: Path) -> Path:
    return check_output(path, "--plot", PLOT_SUFFIXES)


def phenotype_json(hgvs: str, sex: str, xi: float | None, treat: str) -> dict[str, Any]:
    """The phenotype part of ``hemesim variant ... --json``.

    Parameters
    ----------
    hgvs
        Variant (HGVS text).
    sex
        ``male`` or ``female``.
    xi
        Women only: fraction of erythroid cells with the variant X active; ``None`` adds
        ``penetrance`` and ``quantiles`` over the population distribution of xi.
    treat
        ``none`` | ``pyridoxine`` | ``chelation`` | ``phlebotomy``.

    Returns
    -------
    dict
        ``Prediction.to_dict()``: ``phenotype`` (readouts with units), ``disease``, ``severity``,
        ``treatment_response``, ``penetrance``, ``quantiles``, ``provenance`` ...
    """
    from hemesim.cli._common import to_jsonable
    from hemesim.phenotype.predict import predict

    out: dict[str, Any] = to_jsonable(predict(hgvs, sex=sex, xi=xi, treatment=treat, seed=0))
    return out


def plot_prediction(prediction: Prediction, path: Path | str) -> Path:
    """Draw a prediction: red-cell readouts across xi (women) and the ferritin trajectory.

    Parameters
    ----------
    prediction
        From :func:`hemesim.phenotype.predict.predict`.
    path
        Output file (.png, .svg or .pdf).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from hemesim.phenotype.grading import ANEMIA_THRESHOLD_G_DL
    from hemesim.phenotype.mosaic import mix_arrays
    from hemesim.phenotype.readouts import REFERENCES

    out = _check_plot_path(Path(path))
    clones = prediction.clones
    grid = np.linspace(0.0, 1.0, 101)
    blood = mix_arrays(clones.mutant, clones.normal, grid, epo_gain=clones.epo_gain)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    ax = axes[0]
    ax.plot(grid, blood["hb_g_dl"], color="tab:red")
    ax.axhline(ANEMIA_THRESHOLD_G_DL[prediction.sex], ls="--", color="grey", lw=0.8)
    ax.axvline(prediction.xi, color="k", lw=0.8)
    ax.set(
        xlabel="xi (cells with the variant X active)",
        ylabel="Hb (g/dL)",
        title="Hb vs xi (a man is xi = 1)",
    )
    ax = axes[1]
    ax.plot(grid, blood["ep_total_ug_dl_rbc"], color="tab:purple")
    ax.axhline(REFERENCES["ep_upper_normal"].value, ls="--", color="grey", lw=0.8)
    ax.axhline(REFERENCES["ep_protoporphyria_lower"].value, ls=":", color="grey", lw=0.8)
    ax.axvline(prediction.xi, color="k", lw=0.8)
    ax.set_yscale("log")
    ax.set(xlabel="xi", ylabel="total EP (ug/dL RBC)", title="Erythrocyte protoporphyrin")
    ax = axes[2]
    iron = prediction.iron
    if prediction.iron_untreated is not None:
        base = prediction.iron_untreated
        ax.plot(base.years, base.ferritin_ug_l, color="grey", ls="--", label="untreated")
    ax.plot(iron.years, iron.ferritin_ug_l, color="tab:brown", label=prediction.treatment.name)
    ax.set(xlabel="years", ylabel="ferritin (ug/L)", title="Body iron")
    ax.legend(frameon=False)
    fig.suptitle(
        f"{prediction.variant.label}, {prediction.sex}, xi={prediction.xi:.2f}: "
        f"{prediction.disease}"
    )
    fig.tight_layout()
    try:
        with writing(out, "--plot") as tmp:
            fig.savefig(tmp, dpi=120)
    finally:
        plt.close(fig)
    return out


def plot_penetrance(result: PenetranceResult, path: Path | str) -> Path:
    """Draw P(disease | xi), the xi density at the result's age, and the readouts behind them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from hemesim.phenotype.xinactivation import xi_distribution

    out = _check_plot_path(Path(path))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    ax = axes[0]
    ax.step(
        result.xi_grid,
        result.affected.astype(float),
        where="mid",
        color="k",
        label="P(disease | xi)",
    )
    dens = xi_distribution(result.age_years).pdf(np.clip(result.xi_grid, 1e-3, 1 - 1e-3))
    ax2 = ax.twinx()
    ax2.fill_between(result.xi_grid, dens, alpha=0.25, color="tab:blue")
    ax2.set_ylabel(f"density of xi at {result.age_years:g} y")
    ax.set(
        xlabel="xi (cells with the variant X active)",
        ylabel="P(disease | xi)",
        title=f"penetrance {result.penetrance:.3f} ({result.disease})",
    )
    ax = axes[1]
    ax.plot(result.xi_grid, result.hb_g_dl, color="tab:red")
    ax.set_ylabel("Hb (g/dL)", color="tab:red")
    ax.set_xlabel("xi")
    ax3 = ax.twinx()
    ax3.plot(result.xi_grid, result.ep_total_ug_dl_rbc, color="tab:purple")
    ax3.set_ylabel("total EP (ug/dL RBC)", color="tab:purple")
    fig.suptitle(result.variant)
    fig.tight_layout()
    try:
        with writing(out, "--plot") as tmp:
            fig.savefig(tmp, dpi=120)
    finally:
        plt.close(fig)
    return out


def register(app: typer.Typer) -> None:
    """Register ``penetrance`` and ``validate`` on the root app."""

    @app.command("penetrance")
    def penetrance_command(
        hgvs: str = typer.Argument(..., help="ALAS2 variant, e.g. c.1354C>T."),
        age: float = typer.Option(
            40.0,
            "--age",
            help="Age of the women (years): X-inactivation and vitamin B6 status (PLP).",
        ),
        treat: str = typer.Option(
            "none", "--treat", help="none | pyridoxine | chelation | phlebotomy."
        ),
        seed: int = typer.Option(0, "--seed", help="Seed for the Monte Carlo check."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        plot: Path | None = typer.Option(None, "--plot", help="Draw P(disease | xi) to this file."),
    ) -> None:
        """Female penetrance: P(disease) as a function of xi and over the population of women.

        Example: hemesim penetrance c.1354C>T --age 65 --json
        """
        from hemesim.cli._common import emit_json
        from hemesim.phenotype.penetrance import penetrance

        check_seed(seed)
        if plot is not None:
            _check_plot_path(plot)
        check_hgvs_quoting(hgvs)
        try:  # no steps to count: a spinner with the elapsed time
            with progress_bar("computing the penetrance", quiet=as_json):
                result = penetrance(hgvs, seed=seed, age_years=age, treatment=treat)
        except HemesimError as exc:
            raise rename_fields(exc, PHENOTYPE_FIELDS) from None
        if plot is not None:
            plot_penetrance(result, plot)
        if as_json:
            emit_json(result.to_dict())
            return
        _print_penetrance(result)
        if plot is not None:
            typer.echo(f"plot             {plot}")

    @app.command("validate")
    def validate_command(
        report: Path | None = typer.Option(
            None, "--report", help="Write the predicted-vs-published table as HTML (.html)."
        ),
        strict: bool = typer.Option(
            False,
            "--strict",
            help="Exit with code 1 when any row (validation or calibration) fails; without it "
            "the exit code is 0 and failures are only reported.",
        ),
        patients: bool = typer.Option(
            True,
            "--patients/--no-patients",
            help="Also compare with every published patient one by one (errors, interval "
            "coverage, call and pyridoxine agreement).",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Compare phenotype predictions with published figures (one row per figure) and with
        published patients (one by one).

        Exit code 0 even when rows fail (they are reported); with --strict, 1 when any row
        fails.

        Example: hemesim validate --report out.html --strict
        """
        from hemesim.cli._common import emit_json
        from hemesim.phenotype.validation import run_validation

        if report is not None:
            check_output(report, "--report", REPORT_SUFFIXES)
        with progress_bar("validating", quiet=as_json) as update:
            result = run_validation(
                progress=lambda done, total, name: update(done, total, name), patients=patients
            )
        if report is not None:
            with writing(report, "--report") as tmp:
                tmp.write_text(result.to_html(), encoding="utf-8")
        failed = [row.id for row in result.rows if not row.passed]
        if as_json:
            emit_json(result.to_dict())
        else:
            _print_validation(result, report)
        if strict and failed:
            raise fail(
                f"--strict: {len(failed)} row(s) failed ({', '.join(failed[:3])}"
                f"{', ...' if len(failed) > 3 else ''})",
                as_json=as_json,
            )


def _print_penetrance(result: Any) -> None:
    """The penetrance as percentages, in words (``--json`` keeps the fractions)."""
    from hemesim.cli._words import percent

    typer.echo(f"variant          {result.variant}")
    typer.echo(
        f"disease          {result.disease} (hemizygous man affected: "
        f"{'yes' if result.male_affected else 'no'})"
    )
    typer.echo(
        f"penetrance       {percent(result.penetrance)} of heterozygous women at "
        f"{result.age_years:g} years"
    )
    ages = ", ".join(f"{k:g} y: {percent(v)}" for k, v in result.by_age.items())
    typer.echo(f"by age           {ages}")
    ivs = ", ".join(f"{100 * lo:.0f}-{100 * hi:.0f} %" for lo, hi in result.affected_xi_intervals)
    typer.echo(
        f"affected when    {ivs} of erythroid cells express the variant X"
        if ivs
        else "affected when    at no share of erythroid cells expressing the variant X"
    )
    mc = result.monte_carlo
    typer.echo(
        f"Monte Carlo      {percent(mc['estimate'])} ± {percent(mc['standard_error'])} "
        f"({mc['n']:,} simulated women, seed {mc['seed']})"
    )


_UNIT_WORDS = {"ug": "µg", "umol": "µmol"}


def _shown(value: Any, unit: str) -> tuple[str, str]:
    """A validation row's predicted value and unit as read: three significant digits, µ for
    "u", fractions and probabilities as percentages."""
    from hemesim.report.labels import format_number

    head, _, tail = unit.partition(" ")
    if head in ("fraction", "probability") and isinstance(value, int | float):
        return format_number(100.0 * value, 1), "%" + (f" {tail}" if tail else "")
    for ascii_unit, shown in _UNIT_WORDS.items():
        unit = unit.replace(ascii_unit + "/", shown + "/")
    return format_number(value), unit


def _print_validation(result: Any, report: Path | None) -> None:
    """The validation rows (words, rounded values, units) and their counts on stdout."""
    from rich.console import Console
    from rich.table import Table

    from hemesim.cli._words import name_readouts_in

    console = Console(soft_wrap=False)
    for category in dict.fromkeys(row.category for row in result.rows):
        table = Table("", "check", "predicted", "published", title=f"{category} rows")
        table.columns[1].ratio, table.columns[3].ratio = 3, 2
        for column in table.columns:
            column.overflow = "fold"
        for row in (r for r in result.rows if r.category == category):
            value, unit = _shown(row.predicted, row.unit)
            table.add_row(
                "pass" if row.passed else "[bold]FAIL[/bold]",
                name_readouts_in(row.claim, units=False),
                f"{value} {unit}".strip(),
                name_readouts_in(row.published, units=False),
            )
        console.print(table)
    c = result.counts()
    console.print(
        f"validation: {c.get('validation_passed', 0)} passed, "
        f"{c.get('validation_failed', 0)} failed; calibration: "
        f"{c.get('calibration_passed', 0)} passed, {c.get('calibration_failed', 0)} failed"
    )
    if result.patients is not None:
        for line in result.patients.text_lines():
            typer.echo(name_readouts_in(line))  # "interval_95" -> "95 % interval"
    if report is not None:
        typer.echo(f"report: {report}")
