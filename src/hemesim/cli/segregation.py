"""CLI command: ``hemesim segregation FAMILY.ped --variant HGVS`` (cosegregation Bayes factor).

Thin: check the options, read the pedigree, take the penetrances given or the variant's own
predicted heterozygous-woman penetrance (phenotype stage, passed to genetics as a plain number),
call :func:`hemesim.genetics.segregation.segregation`, and read the Bayes factor as PP1/BS4
(:func:`hemesim.variants.acmg.cosegregation_criteria`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from hemesim.errors import HemesimError

__all__ = ["FIELD_TO_OPTION", "register", "segregation_for_variant"]

#: API field name (how hemesim.genetics starts its messages) -> the option the user typed
FIELD_TO_OPTION = {
    "penetrance_male": "--penetrance-male",
    "penetrance_female_het": "--penetrance-female-het",
    "penetrance_female_hom": "--penetrance-female-hom",
    "phenocopy": "--phenocopy",
    "allele frequency": "--allele-frequency",
    "allele_frequency": "--allele-frequency",
    "proband": "--proband",
    "variant": "--variant",
}

PRESET_SOURCE = "{which}: 1.0 (xlsa/xlp preset, assumed: hemesim.genetics.penetrance)"


def _renamed(exc: HemesimError) -> HemesimError:
    from hemesim.cli._common import rename_fields

    return rename_fields(exc, FIELD_TO_OPTION)


def segregation_for_variant(
    pedigree: Any,
    hgvs: str,
    *,
    penetrance_male: float | None = None,
    penetrance_female_het: float | None = None,
    penetrance_female_hom: float | None = None,
    phenocopy: float | None = None,
    allele_frequency: float | None = None,
    proband: str | None = None,
) -> dict[str, Any]:
    """The Bayes factor of a family for a variant, with its PP1/BS4 reading, as a JSON dict.

    Penetrances not given: the heterozygous woman's comes from the phenotype model for this
    variant (P(disease) over the population distribution of X-inactivation,
    :func:`hemesim.phenotype.penetrance.penetrance`); men and homozygous women take 1.0 (the
    preset); phenocopies 0.

    Raises
    ------
    HemesimError
        One line naming the option (``--variant``, ``--penetrance-male`` ...).
    """
    from hemesim.genetics.segregation import segregation, segregation_model
    from hemesim.variants.acmg import cosegregation_criteria

    try:  # the numbers first (cheap), before any simulation
        segregation_model(
            penetrance_male=penetrance_male,
            penetrance_female_het=penetrance_female_het,
            penetrance_female_hom=penetrance_female_hom,
            phenocopy=phenocopy,
            allele_frequency=allele_frequency,
        )
    except HemesimError as exc:
        raise _renamed(exc) from None
    from hemesim.cli.risk import variant_penetrance

    try:
        info = variant_penetrance(hgvs, compute=penetrance_female_het is None, disease_given=True)
    except HemesimError as exc:
        message = str(exc)
        if message.startswith("--variant"):
            raise type(exc)(
                message.replace(
                    "give --penetrance-female P and --disease xlsa|xlp to use values of your own",
                    "give --penetrance-female-het P to use a value of your own",
                )
            ) from None
        renamed = _renamed(exc)
        if renamed is exc:
            raise type(exc)(f"--variant {hgvs!r}: {message}") from None
        raise renamed from None
    sources = []
    from_variant = penetrance_female_het is None
    if from_variant:
        penetrance_female_het = info["penetrance_female"]
        sources.append(
            f"heterozygous women: {penetrance_female_het:.4g}, predicted for {hgvs} by the "
            f"phenotype model ({info.get('source', 'hemesim.phenotype.penetrance')})"
        )
    else:
        sources.append(f"heterozygous women: {penetrance_female_het:g} (--penetrance-female-het)")
    if phenocopy is None:
        sources.append("phenocopy: 0 (preset, assumed)")
    for value, which in (
        (penetrance_male, "hemizygous men"),
        (penetrance_female_hom, "homozygous women"),
    ):
        sources.append(
            PRESET_SOURCE.format(which=which) if value is None else f"{which}: {value:g} (given)"
        )
    try:
        result = segregation(
            pedigree,
            penetrance_male=penetrance_male,
            penetrance_female_het=penetrance_female_het,
            penetrance_female_hom=penetrance_female_hom,
            phenocopy=phenocopy,
            allele_frequency=allele_frequency,
            proband=proband,
            penetrance_source="; ".join(sources),
        )
    except HemesimError as exc:
        raise _renamed(exc) from None
    pp1, bs4 = cosegregation_criteria(result.bayes_factor)
    met = next((c for c in (pp1, bs4) if c.met), None)
    out = result.to_dict()
    out["variant"] = {k: info[k] for k in ("input", "hgvs_c", "hgvs_p", "effect_class")}
    out["penetrance_from_variant"] = from_variant
    out["acmg"] = {
        "criterion": None if met is None else met.label,
        "strength": None if met is None else met.strength,
        "direction": None if met is None else ("benign" if met.benign else "pathogenic"),
        "evidence": (met or pp1).evidence,
        "criteria": [pp1.to_dict(), bs4.to_dict()],
    }
    return out


def register(app: typer.Typer) -> None:
    """Register ``segregation`` on the root app."""

    @app.command("segregation")
    def segregation_command(
        file: Path = typer.Argument(
            ..., help="Pedigree (.ped or pedigreejs .json) with affection status and genotypes."
        ),
        variant: str = typer.Option(
            ..., "--variant", help="The ALAS2 variant tested in the family (HGVS)."
        ),
        penetrance_male: float | None = typer.Option(
            None, "--penetrance-male", help="P(affected | hemizygous man); default 1.0."
        ),
        penetrance_female_het: float | None = typer.Option(
            None,
            "--penetrance-female-het",
            help="P(affected | heterozygous woman); default: the variant's predicted penetrance.",
        ),
        penetrance_female_hom: float | None = typer.Option(
            None, "--penetrance-female-hom", help="P(affected | homozygous woman); default 1.0."
        ),
        phenocopy: float | None = typer.Option(
            None, "--phenocopy", help="P(affected | no variant allele); default 0."
        ),
        allele_frequency: float | None = typer.Option(
            None,
            "--allele-frequency",
            help="Population frequency of the variant allele (founders); default: "
            "mutation-selection equilibrium.",
        ),
        proband: str | None = typer.Option(
            None,
            "--proband",
            help="Id of the proband (affected carrier); default: the PED proband column, else "
            "the first affected carrier.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    ) -> None:
        """Full-likelihood Bayes factor for cosegregation of a variant with X-linked disease
        (Thompson, Easton & Goldgar 2003), conditioned on the proband, and the ACMG PP1/BS4
        strength it supports.

        Example: hemesim segregation family.ped --variant "c.1354C>T" --allele-frequency 1e-5
        """
        from hemesim.cli._common import emit_json, progress_bar
        from hemesim.cli.risk import load_pedigree

        kwargs: dict[str, Any] = {
            "penetrance_male": penetrance_male,
            "penetrance_female_het": penetrance_female_het,
            "penetrance_female_hom": penetrance_female_hom,
            "phenocopy": phenocopy,
            "allele_frequency": allele_frequency,
            "proband": proband,
        }
        from hemesim.genetics.segregation import segregation_model

        try:
            segregation_model(**{k: v for k, v in kwargs.items() if k != "proband"})
        except HemesimError as exc:
            raise _renamed(exc) from None
        pedigree = load_pedigree(file)
        with progress_bar("penetrance and exact likelihoods", quiet=as_json):
            out = segregation_for_variant(pedigree, variant, **kwargs)
        out["provenance"]["command"] = "hemesim segregation"
        out["provenance"]["parameters"]["file"] = str(file)
        if as_json:
            emit_json(out)
            return
        _print(out, file)


def _print(out: dict[str, Any], file: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False, title=f"cosegregation: {file.name}")
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    bf = out["bayes_factor"]
    log10 = out["log10_bayes_factor"]
    pen = out["penetrance"]
    acmg = out["acmg"]
    from hemesim.cli._words import effect_class_words, percent

    effect = effect_class_words(str(out["variant"]["effect_class"]))
    rows = [
        ("variant", f"{out['variant']['input']} ({effect})"),
        ("Bayes factor", f"{bf:.3g}" + ("" if log10 is None else f" (log10 {log10:.2f})")),
        ("ACMG", acmg["criterion"] or "neither PP1 nor BS4"),
        ("evidence", acmg["evidence"]),
        (
            "penetrance",
            f"men {percent(pen['male_hemizygous'])}, heterozygous women "
            f"{percent(pen['female_heterozygous'])}, homozygous women "
            f"{percent(pen['female_homozygous'])}, phenocopy {percent(pen['phenocopy_male'])}",
        ),
        ("penetrance source", pen["source"]),
        ("probands", ", ".join(f"{p['id']} ({p['chosen_by']})" for p in out["probands"])),
        ("conditioning", out["conditioning"]),
    ]
    for key, value in rows:
        table.add_row(key, str(value))
    for line in out.get("assumptions", [])[1:]:  # [0] is the conditioning, shown above
        table.add_row("assumption", line)
    for note in out["notes"]:
        table.add_row("note", note)
    Console(soft_wrap=False).print(table)
