"""CLI commands ``hemesim simulate`` and ``hemesim export``.

Thin: parse options, call :func:`hemesim.load_model` / :mod:`hemesim.model.export`, print.
Heavy imports (libRoadRunner, pandas, matplotlib) happen inside the command bodies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import (
    PLOT_SUFFIXES,
    check_output,
    emit_json,
    parse_assignments,
    rename_fields,
    writing,
)
from hemesim.errors import HemesimError

if TYPE_CHECKING:
    from hemesim.simulate.result import SimulationResult

__all__ = ["register", "print_result", "plot_result", "EXPORT_SUFFIXES"]

#: export file suffix -> format written (``hemesim export OUT``: the format follows the name)
EXPORT_SUFFIXES = {".xml": "sbml", ".sbml": "sbml", ".omex": "omex"}
#: API fields of :meth:`hemesim.simulate.session.Model.simulate` -> the options of ``simulate``
SIMULATE_FIELDS = {"until_h": "--until", "points": "--points"}

_TABLE_READOUTS = (
    "mch_pg",
    "mcv_fl",
    "mchc_g_dl",
    "hb_g_dl",
    "ep_total_umol_l_rbc",
    "ep_total_ug_dl_rbc",
    "free_ppix_umol_l_rbc",
    "znpp_fraction",
    "znpp_umol_mol_heme",
    "mito_iron_index",
    "ineffective_fraction",
)


def print_result(result: SimulationResult, title: str) -> None:
    """Print the end-point readouts as a rich table on stdout: clinical names, units, rounded
    values, and the reference ranges of men with a high/low flag (the model's defaults are a
    healthy adult man: its Hb is calibrated to the men's range, docs/model.md)."""
    from rich.console import Console

    from hemesim.cli._common import readout_table

    shown = {k: result.readouts[k] for k in _TABLE_READOUTS if k in result.readouts}
    table = readout_table(shown, "male", title)
    table.title_justify = "left"
    Console(soft_wrap=False).print(table)


def plot_result(result: SimulationResult, path: Path) -> None:
    """Draw the maturation time course (hemoglobin, protoporphyrins, iron) to a PNG/SVG/PDF."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    check_output(path, "--plot", PLOT_SUFFIXES)
    t = result.time_h
    s = result.series
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), constrained_layout=True)
    ax = axes[0, 0]
    ax.plot(t, s["mch_pg"], color="firebrick")
    ax.set(title="Hemoglobin per cell", xlabel="time (h)", ylabel="Hb (pg/cell)")
    ax = axes[0, 1]
    ax.plot(t, s["J_ALAS2"], label="ALAS2 (ALA)")
    ax.set(title="ALAS2 flux", xlabel="time (h)", ylabel="amol/h per cell")
    ax = axes[1, 0]
    ax.plot(t, 1e3 * s["ppix_amol"], label="free PPIX")
    ax.plot(t, 1e3 * s["znpp_amol"], label="ZnPP")
    ax.set(title="Protoporphyrins", xlabel="time (h)", ylabel="zmol/cell")
    ax.legend()
    ax = axes[1, 1]
    ax.plot(t, s["Fe_c"], label="labile Fe, cytosol")
    ax.plot(t, s["Fe_m"], label="labile Fe, mitochondria")
    ax.set(title="Iron", xlabel="time (h)", ylabel="labile iron (uM)")
    ax.legend(loc="upper left")
    twin = ax.twinx()
    twin.plot(t, s["mito_iron_index"], color="black", linestyle="--")
    twin.set_ylabel("mitochondrial iron index (--, 1 = normal at 72 h)")
    try:
        with writing(path, "--plot") as tmp:
            fig.savefig(tmp, dpi=120)
    finally:
        plt.close(fig)


def register(app: typer.Typer) -> None:
    """Register ``simulate`` and ``export`` on the root app."""

    @app.command("simulate")
    def simulate_cmd(
        set_: list[str] | None = typer.Option(
            None,
            "--set",
            help="Override a parameter, NAME=VALUE (table units), e.g. ALAS2.kcat=97.5; repeat.",
        ),
        until: float | None = typer.Option(
            None, "--until", help="End time in hours (default: the 72 h maturation)."
        ),
        points: int = typer.Option(200, "--points", help="Number of output time points."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        plot: Path | None = typer.Option(None, "--plot", help="Write the time course plot here."),
    ) -> None:
        """Simulate one erythroblast's maturation (default: a healthy adult man).

        Examples:

          hemesim simulate

          hemesim simulate --set ALAS2.kcat=97.5 --json

          hemesim simulate --set iron.supply=30 --plot iron_deficient.png
        """
        from hemesim.simulate.session import load_model

        overrides = parse_assignments(set_)
        if plot is not None:  # fail before the run, not after it
            check_output(plot, "--plot", PLOT_SUFFIXES)
        model = load_model("erythroid")
        _check_same_parameter(model.definition, overrides)
        try:
            result = model.simulate(until_h=until, points=points, overrides=overrides)
        except HemesimError as exc:
            raise rename_fields(exc, SIMULATE_FIELDS) from None
        if plot is not None:
            plot_result(result, plot)
        if json_out:
            out: dict[str, Any] = result.to_dict()
            if plot is not None:
                out["plot"] = str(plot)
            emit_json(out)
        else:
            edits = ", ".join(f"{k}={v:g}" for k, v in overrides.items()) or "defaults"
            print_result(
                result, f"erythroid model (adult man) at {result.time_h[-1]:g} h ({edits})"
            )
            if plot is not None:
                typer.echo(f"plot written to {plot}")

    @app.command("export")
    def export_cmd(
        out: Path = typer.Argument(..., help="Output file: .xml or .sbml for SBML, .omex."),
        fmt: str | None = typer.Option(
            None,
            "--format",
            help="sbml or omex (default: from OUT's suffix); must match the suffix.",
        ),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    ) -> None:
        """Export the erythroid model as SBML Level 3 or a COMBINE archive (SBML + SED-ML).

        The format follows the file name: .xml or .sbml for SBML, .omex for the archive.

        Examples:

          hemesim export erythroid.xml

          hemesim export --format omex erythroid.omex
        """
        from hemesim.model.export import export

        fmt_l = export_format(out, fmt)
        with writing(out, "OUT", atomic=False):  # export is atomic
            info = export(out, fmt_l)
        if json_out:
            emit_json(info)
        else:
            typer.echo(f"wrote {info['format']} to {info['path']} ({info['bytes']} bytes)")


def export_format(out: Path, fmt: str | None) -> str:
    """The format ``hemesim export`` writes: ``--format`` if given, else from OUT's suffix.

    Checks OUT before any work (see :func:`hemesim.cli._common.check_output`) and that
    ``--format`` agrees with the suffix, so a file's content always matches its name.

    Raises
    ------
    HemesimError
        Unknown ``--format``, a suffix other than .xml/.sbml/.omex, or the two disagree.
    """
    if fmt is not None and fmt.lower() not in {"sbml", "omex"}:
        raise HemesimError(f"--format {fmt!r}: expected sbml or omex")
    check_output(out, "OUT", tuple(EXPORT_SUFFIXES))
    implied = EXPORT_SUFFIXES[out.suffix.lower()]
    if fmt is not None and fmt.lower() != implied:
        wanted = ".omex" if fmt.lower() == "omex" else ".xml or .sbml"
        raise HemesimError(
            f"--format {fmt} does not match OUT {str(out)!r}: {fmt.lower()} needs a file name "
            f"ending in {wanted}; change the name or leave out --format"
        )
    return implied


def _check_same_parameter(definition: Any, overrides: dict[str, float]) -> None:
    """Refuse two ``--set`` items that name one parameter in two spellings (name and id)."""
    seen: dict[str, str] = {}
    for name in overrides:
        try:
            pid = definition.id_of(name)
        except HemesimError:
            continue  # unknown names are reported by the model, with suggestions
        if pid in seen:
            raise HemesimError(
                f"--set {name} and --set {seen[pid]} name the same parameter; give it once"
            )
        seen[pid] = name
