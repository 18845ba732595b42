"""CLI command group: population (forward Wright-Fisher simulation of an X-linked allele).

Thin: parse options, call :func:`hemesim.genetics.population.simulate_population`, print a
summary (or ``--json``), optionally plot the trajectory against the analytic equilibrium.
numpy, pandas and matplotlib are imported inside the command, never at import time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import (
    PLOT_SUFFIXES,
    check_output,
    check_seed,
    progress_bar,
    rename_fields,
    writing,
)
from hemesim.errors import HemesimError

if TYPE_CHECKING:
    from hemesim.genetics.population import PopulationResult

#: ``--json`` prints at most this many trajectory rows (generation 0, every k-th, the last):
#: the JSON stays below about 1 MB however many generations run (``trajectory_step`` gives k);
#: ``--plot`` draws every generation
JSON_TRAJECTORY_ROWS = 10_001

#: API field name -> the CLI option the user typed (errors name what the user can change)
FIELD_TO_OPTION = {
    "size": "--size",
    "generations": "--generations",
    "mu_female": "--mu",
    "mu_male": "--mu-male",
    "fitness_male": "--fitness-male",
    "fitness_female_het": "--fitness-female-het",
    "fitness_female_hom": "--fitness-female-hom",
    "penetrance_female": "--penetrance-female",
    "initial_frequency": "--initial-frequency",
    "seed": "--seed",
}


#: how hemesim.genetics.population starts its message when one sex has no possible parent
_EXTINCT_HEAD = "generation "
_API_FIELD = re.compile(r"\b(" + "|".join(sorted(FIELD_TO_OPTION, key=len, reverse=True)) + r")\b")


def _as_option_error(exc: HemesimError) -> HemesimError:
    """Rename the API fields of an error message to the CLI options.

    The leading field is renamed (``size 1: ...`` -> ``--size 1: ...``) and the API-only
    alternative "or None" is dropped. The extinction message names several fields in its
    advice; each is renamed.
    """
    message = str(exc)
    if message.startswith(_EXTINCT_HEAD) and "extinct" in message:
        return type(exc)(_API_FIELD.sub(lambda m: FIELD_TO_OPTION[m.group(1)], message))
    return rename_fields(exc, FIELD_TO_OPTION, drop=(" or None",))


#: how hemesim.genetics.population_analytic starts its message when the balance cannot be solved
_NO_EQUILIBRIUM_HEAD = "deterministic equilibrium: no valid fixed point found"


def _as_equilibrium_error(
    exc: HemesimError, mu: float, kwargs: dict[str, Any]
) -> HemesimError | None:
    """Rewrite the "no valid fixed point" message (which prints the model's API fields).

    The equilibrium depends on the rates and fitnesses together, so the message names every
    option involved with its value (defaults filled in as the model fills them) and says which
    ones to lower. ``None`` for any other error.
    """
    if not str(exc).startswith(_NO_EQUILIBRIUM_HEAD):
        return None
    mu_male = mu if kwargs["mu_male"] is None else kwargs["mu_male"]
    fitness_male = kwargs["fitness_male"]
    hom = fitness_male if kwargs["fitness_female_hom"] is None else kwargs["fitness_female_hom"]
    lower = " or --fitness-male" if fitness_male > 0 else ""  # 0 is already the strongest
    return type(exc)(
        f"--mu {mu:g} and --mu-male {mu_male:g} with --fitness-male {fitness_male:g} "
        f"(--fitness-female-het {kwargs['fitness_female_het']:g}, --penetrance-female "
        f"{kwargs['penetrance_female']:g}, --fitness-female-hom {hom:g}): no valid "
        f"deterministic mutation-selection equilibrium found; lower --mu/--mu-male{lower}"
    )


def plot_population(result: PopulationResult, path: Path) -> Path:
    """Draw allele frequencies per generation against the analytic equilibrium.

    Parameters
    ----------
    result
        A simulated population.
    path
        Output file (``.png``, ``.pdf`` or ``.svg``); its folder must exist.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ReportError
        Unsupported suffix or a folder that does not exist.
    """
    path = check_output(path, "--plot", PLOT_SUFFIXES)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = result.to_dataframe()
    analytic = result.analytic()
    fig, ax = plt.subplots(figsize=(10, 4.5), constrained_layout=True)
    ax.plot(
        frame["generation"],
        frame["allele_frequency_male"],
        lw=0.6,
        color="tab:blue",
        alpha=0.7,
        label="males (simulated)",
    )
    ax.plot(
        frame["generation"],
        frame["allele_frequency_female"],
        lw=0.6,
        color="tab:red",
        alpha=0.7,
        label="females (simulated)",
    )
    det = analytic["deterministic"]
    lead = analytic["leading_order"]
    if det is not None:
        ax.axhline(
            det["allele_frequency_male"],
            color="navy",
            ls="--",
            lw=1.5,
            zorder=3,
            label="males, equilibrium (exact deterministic)",
        )
        ax.axhline(
            det["allele_frequency_female"],
            color="darkred",
            ls="--",
            lw=1.5,
            zorder=3,
            label="females, equilibrium (exact deterministic)",
        )
    if lead is not None:
        ax.axhline(
            lead["allele_frequency_male"],
            color="black",
            ls=":",
            lw=1.5,
            zorder=3,
            label="males, Haldane leading order",
        )
        ax.axhline(
            lead["allele_frequency_female"],
            color="dimgray",
            ls=":",
            lw=1.5,
            zorder=3,
            label="females, Haldane leading order",
        )
    ax.axvspan(
        result.window.start,
        result.generations,
        color="0.92",
        zorder=0,
        label="summarised (last half)",
    )
    m = result.model
    ax.set_title(
        f"X-linked allele, N={m.size}, mu_f={m.mu_female:g}, mu_m={m.mu_male:g}, "
        f"w_male={m.fitness_male:g}, h_female={m.penetrance_female:g}, "
        f"w_het={m.fitness_female_het:g}",
        fontsize=9,
    )
    ax.set_xlabel("generation")
    ax.set_ylabel("allele frequency at birth")
    ax.set_xlim(0, result.generations)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    try:
        with writing(path, "--plot") as tmp:
            fig.savefig(tmp, dpi=120)
    finally:
        plt.close(fig)
    return path


def _fmt(value: Any, kind: str = "number") -> str:
    """A summary value as read: three significant digits (thousands grouped), or with
    ``kind="percent"`` a fraction as a percentage; ``None`` -> ``"-"``."""
    from hemesim.cli._words import percent
    from hemesim.report.labels import format_number

    if value is None:
        return "-"
    if kind == "percent":
        return percent(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _print_summary(result: PopulationResult) -> None:
    from rich.console import Console
    from rich.table import Table

    d = result.to_dict()
    det = d["analytic"]["deterministic"] or {}
    lead = d["analytic"]["leading_order"] or {}
    table = Table(
        title=(
            f"X-linked population, N = {result.model.size:,} ({result.model.n_males:,} males, "
            f"{result.model.n_females:,} females), generations {d['summary_generations'][0]:,}-"
            f"{d['summary_generations'][1]:,} of {result.generations:,}, seed {result.seed}"
        )
    )
    table.add_column("quantity")
    table.add_column("simulated", justify="right")
    table.add_column("exact deterministic", justify="right")
    table.add_column("Haldane leading order", justify="right")
    rows = [
        ("allele frequency, men", "allele_frequency_male", "allele_frequency_male", "number"),
        ("allele frequency, women", "allele_frequency_female", "allele_frequency_female", "number"),
        (
            "affected men with a new mutation",
            "affected_male_new_mutation_fraction",
            "new_mutation_fraction",
            "percent",
        ),
        (
            "affected men per affected woman",
            "affected_male_to_female_ratio",
            "affected_male_to_female_ratio",
            "number",
        ),
    ]
    for label, sim_key, ana_key, kind in rows:
        table.add_row(
            label,
            _fmt(d[sim_key], kind),
            _fmt(det.get(ana_key), kind),
            _fmt(lead.get(ana_key), kind),
        )
    console = Console()
    console.print(table)
    console.print(
        f"affected men {d['affected_males_total']:,}, affected women "
        f"{d['affected_females_total']:,} (summarised generations); "
        "'-' per affected woman: no affected woman born"
    )
    if not d["analytic"]["selected_against"]:
        console.print("no mutation-selection balance: the variant is not selected against")
    elif not d["analytic"]["balance"]:
        console.print(
            "no mutation-selection balance below fixation: at these mutation rates mutation "
            "outweighs selection and the variant rises towards frequency 1"
        )


def register(app: typer.Typer) -> None:
    """Register this module's commands on the root app."""

    @app.command("population")
    def population(
        size: int = typer.Option(
            ..., "--size", help="Individuals per generation N (N//2 male), 2 to 10^12."
        ),
        generations: int = typer.Option(
            ..., "--generations", help="Generations to simulate, 1 to 10^6."
        ),
        mu: float = typer.Option(..., "--mu", help="Mutation rate per maternal gamete."),
        mu_male: float | None = typer.Option(
            None, "--mu-male", help="Mutation rate per paternal gamete (default: --mu)."
        ),
        fitness_male: float = typer.Option(
            ..., "--fitness-male", help="Relative fitness of affected males (0 = lethal)."
        ),
        fitness_female_het: float = typer.Option(
            1.0, "--fitness-female-het", help="Relative fitness of affected Aa females."
        ),
        penetrance_female: float = typer.Option(
            0.0, "--penetrance-female", help="Probability an Aa female is affected (0..1)."
        ),
        fitness_female_hom: float | None = typer.Option(
            None, "--fitness-female-hom", help="Fitness of aa females (default: --fitness-male)."
        ),
        initial_frequency: float | None = typer.Option(
            None, "--initial-frequency", help="Start frequency (default: the equilibrium)."
        ),
        seed: int | None = typer.Option(None, "--seed", help="Random seed (recorded)."),
        json_out: bool = typer.Option(
            False,
            "--json",
            help="Print the result as JSON; the trajectory keeps at most 10,001 generations "
            "(every trajectory_step-th, and the last).",
        ),
        plot: Path | None = typer.Option(
            None, "--plot", help="Write the trajectory plot (.png/.pdf/.svg), every generation."
        ),
    ) -> None:
        """Simulate an X-linked allele (Wright-Fisher) and compare with Haldane's balance.

        Example: hemesim population --size 100000 --generations 400 --mu 1e-4 --fitness-male 0
        """
        from hemesim.genetics.population import simulate_population

        if plot is not None:  # fail before a long run, not after it
            check_output(plot, "--plot", PLOT_SUFFIXES)
        if seed is not None:
            check_seed(seed)
        kwargs: dict[str, Any] = dict(
            mu_male=mu_male,
            fitness_male=fitness_male,
            fitness_female_het=fitness_female_het,
            penetrance_female=penetrance_female,
            fitness_female_hom=fitness_female_hom,
            seed=seed,
            initial_frequency=initial_frequency,
        )
        # the analytic balance is solved before the run (no --initial-frequency) or after it,
        # for the summary, plot and JSON: its errors name the options either way
        try:
            result = _run(simulate_population, size, generations, mu, json_out, kwargs)
            if plot is not None:
                plot_population(result, plot)
            if json_out:
                from hemesim.cli._common import emit_json

                payload = result.to_dict(max_trajectory_rows=JSON_TRAJECTORY_ROWS)
                payload["provenance"]["command"] = "hemesim population"
                if plot is not None:
                    payload["plot"] = str(plot)
                emit_json(payload)
            else:
                _print_summary(result)
                if plot is not None:
                    typer.echo(f"plot written to {plot}")
        except HemesimError as exc:
            raise _as_equilibrium_error(exc, mu, kwargs) or _as_option_error(exc) from None


def _run(
    simulate: Any, size: int, generations: int, mu: float, quiet: bool, kwargs: dict[str, Any]
) -> PopulationResult:
    """Call the simulator, with a rich progress bar on stderr unless ``quiet``."""
    total = max(int(generations), 1)
    with progress_bar("generations", total=total, quiet=quiet) as update:
        return simulate(  # type: ignore[no-any-return]
            size, generations, mu, progress=lambda done: update(done), **kwargs
        )
