"""CLI command: ``hemesim risk FILE.ped`` (exact X-linked carrier and disease risks)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import check_hgvs_quoting, check_output, progress_bar, writing
from hemesim.errors import HemesimError

if TYPE_CHECKING:
    from hemesim.genetics.pedigree import Pedigree

#: API field name (as hemesim.genetics and hemesim.variants start their messages) -> the CLI
#: option the user typed, so errors name what the user can change. ``allele frequency`` is how
#: hemesim.genetics.priors labels ``allele_frequency``.
FIELD_TO_OPTION = {
    "disease": "--disease",
    "mu_female": "--mu-female",
    "mu_male": "--mu-male",
    "fitness_male": "--fitness-male",
    "allele_frequency": "--allele-frequency",
    "allele frequency": "--allele-frequency",
    "penetrance_female": "--penetrance-female",
    "variant": "--variant",
}


def register(app: typer.Typer) -> None:
    """Register the ``risk`` command on the root app."""

    @app.command("risk")
    def risk_command(
        file: Path = typer.Argument(..., help="Pedigree file (.ped, or pedigreejs .json)."),
        disease: str | None = typer.Option(
            None,
            "--disease",
            help="Penetrance preset: xlsa (low female) or xlp (substantial). Default: from "
            "--variant's effect class, else xlsa.",
        ),
        mu_female: float = typer.Option(
            1e-6, "--mu-female", help="N->A mutation rate per X in eggs, per generation."
        ),
        mu_male: float = typer.Option(
            1e-6, "--mu-male", help="N->A mutation rate per X in sperm, per generation."
        ),
        fitness_male: float = typer.Option(
            0.5, "--fitness-male", help="Relative fitness of affected men, in [0, 1)."
        ),
        allele_frequency: float | None = typer.Option(
            None,
            "--allele-frequency",
            help="Founder allele frequency q (default: mutation-selection equilibrium).",
        ),
        penetrance_female: float | None = typer.Option(
            None, "--penetrance-female", help="P(affected | heterozygous woman); overrides preset."
        ),
        variant: str | None = typer.Option(
            None,
            "--variant",
            help="ALAS2 variant (HGVS): its predicted female penetrance (phenotype model over the "
            "population distribution of X-inactivation) replaces the preset.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        svg: Path | None = typer.Option(
            None,
            "--svg",
            help="Also draw the pedigree, labelled with P(carrier), to this .svg file "
            "(never FILE itself).",
        ),
        phenopacket_family: Path | None = typer.Option(
            None,
            "--phenopacket-family",
            help="Also write the family as a GA4GH Phenopackets v2 Family (.json).",
        ),
    ) -> None:
        """Exact carrier and affected probabilities for every member of an X-linked pedigree.

        Examples: hemesim risk family.ped --disease xlsa --json;
        hemesim risk family.ped --variant c.1706_1709del --svg family.svg;
        hemesim risk family.ped --phenopacket-family family.json
        """
        from hemesim.cli._common import emit_json
        from hemesim.genetics.risk import risk

        _check_options(
            disease=disease,
            mu_female=mu_female,
            mu_male=mu_male,
            fitness_male=fitness_male,
            allele_frequency=allele_frequency,
            penetrance_female=penetrance_female,
        )
        if variant is not None:
            check_hgvs_quoting(variant, "--variant")
        if svg is not None:  # before any work, and never onto the pedigree file
            check_output(svg, "--svg", (".svg",), inputs=[file])
        if phenopacket_family is not None:
            check_output(phenopacket_family, "--phenopacket-family", (".json",), inputs=[file])
        pedigree = load_pedigree(file)
        variant_info = None
        if variant is not None:
            try:
                variant_info = variant_penetrance(
                    variant, compute=penetrance_female is None, disease_given=disease is not None
                )
            except HemesimError as exc:
                raise _as_option_error(exc) from None
            if penetrance_female is None:
                penetrance_female = variant_info["penetrance_female"]
            if disease is None:
                disease = variant_info["disease"]
        disease = disease or "xlsa"
        kwargs = {
            "disease": disease,
            "mu_female": mu_female,
            "mu_male": mu_male,
            "fitness_male": fitness_male,
            "allele_frequency": allele_frequency,
            "penetrance_female": penetrance_female,
        }
        try:
            with progress_bar(f"exact inference on {len(pedigree)} members", quiet=as_json):
                result = risk(pedigree, **kwargs)  # type: ignore[arg-type]
        except HemesimError as exc:
            renamed = _as_model_option_error(exc, **kwargs)  # type: ignore[arg-type]
            if renamed is exc:
                raise  # pedigree and file errors keep their wording
            raise renamed from None
        if svg is not None:
            from hemesim.genetics.draw import draw_svg

            with writing(svg, "--svg") as tmp:
                tmp.write_text(draw_svg(pedigree, result), encoding="utf-8")
        if phenopacket_family is not None:
            from hemesim.report.phenopacket import family_phenopacket, write_message

            write_message(family_phenopacket(pedigree), phenopacket_family)
        if as_json:
            out = result.to_dict()
            out["provenance"]["command"] = "hemesim risk"
            out["provenance"]["parameters"]["file"] = str(file)
            if variant_info is not None:
                out["variant"] = variant_info
            emit_json(out)
            return
        _print_table(result, file, svg)


def _as_option_error(exc: HemesimError) -> HemesimError:
    """Rename the leading API field of an error message to the CLI option the user typed."""
    message = str(exc)
    for field, option in FIELD_TO_OPTION.items():
        if message.startswith(field + " "):
            return type(exc)(option + message[len(field) :])
    return exc


def _check_options(
    *,
    disease: str | None,
    mu_female: float,
    mu_male: float,
    fitness_male: float,
    allele_frequency: float | None,
    penetrance_female: float | None,
) -> None:
    """Validate the model options as typed, before any work, with errors naming ``--options``.

    The ranges are the API's own (:func:`hemesim.genetics.risk.build_model` checks them); only
    the field names in the messages change. The equilibrium founder prior involves three options
    at once, so its message is rewritten in full.
    """
    from hemesim.genetics.risk import build_model

    try:
        build_model(
            disease=disease or "xlsa",
            mu_female=mu_female,
            mu_male=mu_male,
            fitness_male=fitness_male,
            allele_frequency=allele_frequency,
            penetrance_female=penetrance_female,
        )
    except HemesimError as exc:
        renamed = _as_model_option_error(
            exc,
            mu_female=mu_female,
            mu_male=mu_male,
            fitness_male=fitness_male,
            allele_frequency=allele_frequency,
        )
        raise (_as_option_error(exc) if renamed is exc else renamed) from None


#: how hemesim.genetics.priors.equilibrium_prior starts its message (rates and fitness together)
_EQUILIBRIUM_HEAD = "mutation rates ("
#: how hemesim.genetics.peeling starts and ends its message for a likelihood-0 pedigree
_IMPOSSIBLE_HEAD = "observations impossible under the model (likelihood 0)"
_IMPOSSIBLE_TAIL = "against the mutation rates and penetrance"


def _as_model_option_error(
    exc: HemesimError,
    *,
    mu_female: float,
    mu_male: float,
    fitness_male: float,
    allele_frequency: float | None,
    **_other: Any,
) -> HemesimError:
    """Rewrite the model messages that involve several options at once to name the options.

    Two messages from hemesim.genetics speak of "mutation rates" and "penetrance" as a whole:
    the equilibrium founder prior (rates and fitness too large for the first-order formula) and
    the likelihood-0 pedigree (peeling). Both are rewritten in terms of ``--mu-female`` ... The
    error class is kept; any other error is returned unchanged (the same object).
    """
    message = str(exc)
    if message.startswith(_EQUILIBRIUM_HEAD):
        why = message.partition(": ")[2].partition(";")[0] or "out of range"
        return type(exc)(
            f"--mu-female {mu_female:g}, --mu-male {mu_male:g} with --fitness-male "
            f"{fitness_male:g}: {why}; lower --mu-female/--mu-male or --fitness-male, "
            "or give --allele-frequency"
        )
    if message.startswith(_IMPOSSIBLE_HEAD) and message.endswith(_IMPOSSIBLE_TAIL):
        options = [f"--mu-female {mu_female:g}", f"--mu-male {mu_male:g}"]
        if allele_frequency is not None:  # founders then come from it, not from the rates
            options.append(f"--allele-frequency {allele_frequency:g}")
        return type(exc)(
            message[: -len(_IMPOSSIBLE_TAIL)]
            + f"against {', '.join(options)} and the penetrance set by --disease, "
            "--penetrance-female or --variant"
        )
    return exc


def variant_penetrance(
    hgvs: str, *, compute: bool = True, disease_given: bool = False
) -> dict[str, Any]:
    """Female penetrance and disease preset for a variant, from the phenotype model
    (:func:`hemesim.phenotype.penetrance.variant_penetrance`, the number every surface uses).

    The phenotype stage predicts P(disease) for a heterozygous woman; that plain number is what
    the pedigree engine takes as ``penetrance_female`` (genetics never imports phenotype: the
    CLI passes the number).

    Raises
    ------
    HemesimError
        A variant whose effect no rule or record quantifies, without ``--penetrance-female``
        and ``--disease`` to use instead.
    """
    from hemesim.errors import PhenotypeError
    from hemesim.phenotype.penetrance import variant_penetrance as shared
    from hemesim.variants.interpret import interpret

    report = interpret(hgvs)  # parse errors keep the variant stage's wording
    try:
        return shared(report, compute=compute, disease_given=disease_given)
    except PhenotypeError as exc:
        message = str(exc)
        if "cannot predict the female penetrance" in message:
            raise HemesimError(
                f"--variant {hgvs!r}: "
                + message.split(": ", 1)[1].replace(
                    "give the penetrance and the disease (xlsa or xlp) yourself",
                    "give --penetrance-female P and --disease xlsa|xlp to use values of your own",
                )
            ) from None
        raise


def load_pedigree(file: Path) -> Pedigree:
    """Read a .ped file, or a pedigreejs/CanRisk JSON file when the suffix is .json.

    The one pedigree reader of the CLI (``risk FILE`` and ``report --ped FILE``):
    :func:`hemesim.genetics.ped.read_ped`, which reads .json files as pedigreejs.
    """
    from hemesim.genetics.ped import read_ped

    return read_ped(file)


def _genotypes(posterior: dict[str, float]) -> str:
    """``"NN 98.8 %\\nNA 1.2 %"``: the genotypes with posterior >= 0.1 %, most likely first."""
    from hemesim.cli._words import percent

    shown = sorted(((p, g) for g, p in posterior.items() if p >= 1e-3), reverse=True)
    return "\n".join(f"{g} {percent(p)}" for p, g in shown) or "-"


def _print_table(result, file: Path, svg: Path | None) -> None:  # type: ignore[no-untyped-def]
    """The risks as percentages with words for the columns (``--json`` keeps the numbers)."""
    from rich.console import Console
    from rich.table import Table

    from hemesim.cli._words import percent

    disease = str(result.model.penetrance.name)
    table = Table(
        title=f"X-linked risk: {file.name} ({disease.upper()} penetrance)",
        caption=(
            "carrier = P(carries the variant allele A); next son / next daughter = P(a next son "
            "is affected) / P(a next daughter is a carrier); genotypes: posterior probability "
            "(>= 0.1 %), N = normal allele, A = variant allele"
        ),
    )
    columns = ("member", "sex", "carrier", "affected", "next son", "next daughter", "genotypes")
    for col in columns:
        table.add_column(
            col,
            justify="left" if col in ("member", "sex", "genotypes") else "right",
            overflow="fold",
            min_width=10 if col == "genotypes" else None,
        )
    for m in result.members:
        table.add_row(
            m.id,
            "M" if m.sex == "male" else "F",
            percent(m.p_carrier),
            percent(m.p_affected),
            percent(m.p_affected_son),
            percent(m.p_carrier_daughter),
            _genotypes(m.genotype_posterior),
        )
    console = Console()
    console.print(table)
    console.print(f"log-likelihood of the observations: {result.log_likelihood:.2f}")
    console.print("assumptions:")
    for line in result.model.assumptions():
        console.print(f"  - {line}", markup=False)
    if svg is not None:
        console.print(f"pedigree drawn to {svg}")
