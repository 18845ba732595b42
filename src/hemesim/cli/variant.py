"""CLI command group: ``hemesim variant HGVS`` and ``hemesim variants FILE``.

Thin: parse options, call :func:`hemesim.variants.interpret.interpret` /
:func:`hemesim.variants.batch.interpret_file`, print. :func:`report_json` builds the JSON dict of
one report so that later options (sex, X-inactivation, treatment) can add keys to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import (
    PHENOTYPE_FIELDS,
    PLOT_SUFFIXES,
    anaemia_line,
    check_hgvs_quoting,
    check_output,
    check_seed,
    emit_json,
    fail,
    iron_overload_line,
    progress_bar,
    readout_table,
    rename_fields,
    writing,
)
from hemesim.errors import HemesimError

if TYPE_CHECKING:
    from hemesim.variants.interpret import VariantReport

__all__ = ["register", "report_json", "print_report"]


def report_json(report: VariantReport) -> dict[str, Any]:
    """JSON dict of one variant report (extend this dict to add phenotype output)."""
    return report.to_dict()


def print_report(report: VariantReport) -> None:
    """Human-readable summary of one report on stdout (row names in words; ``--json`` keeps
    the field names)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    from hemesim.cli._words import (
        certainty_words,
        effect_class_words,
        factor_text,
        identifier_words,
        name_readouts_in,
    )

    eff = report.effect
    changed = {k: v for k, v in eff.factors().items() if v != 1.0}
    known = report.known
    rows = [
        ("input", report.input),
        ("cDNA (HGVS)", report.hgvs_c or "-"),
        ("protein (HGVS)", report.hgvs_p or "-"),
        ("consequence", identifier_words(report.consequence)),
        ("protein region", "; ".join(report.domain.get("regions", [])) or "-"),
        (
            "curated record",
            "-"
            if known is None
            else f"{known.phenotype}, {identifier_words(known.mechanism)} "
            f"({certainty_words(known.certainty)})",
        ),
        ("effect on ALAS2", effect_class_words(eff.effect_class)),
        ("changed factors", factor_text(changed)),
        ("rationale", name_readouts_in(eff.rationale)),
        ("source", name_readouts_in(eff.source) or "-"),
        ("reference check", _reference_check_text(report)),
    ]
    rows[4:4] = _genomic_rows(report)
    for key, value in rows:
        table.add_row(key, value)
    for note in report.notes:
        table.add_row("note", note)
    Console(soft_wrap=False).print(table)


def _genomic_rows(report: VariantReport) -> list[tuple[str, str]]:
    """Location and GRCh38 rows of the text output (none for p. input)."""
    rows: list[tuple[str, str]] = []
    if report.location:
        rows.append(("location", str(report.location.get("label", "-"))))
    g = report.grch38
    if g:
        vcf = g.get("vcf")
        vcf_text = (
            f"{vcf['chrom']} {vcf['pos']} {vcf['ref']} {vcf['alt']} (CHROM POS REF ALT)"
            if vcf
            else "-"
        )
        rows.append(("GRCh38 (VCF)", vcf_text))
        rows.append(("GRCh38 (HGVS g.)", g.get("hgvs_g") or "-"))
        rows.extend(("GRCh38 note", n) for n in g.get("notes", []))
    return rows


def _reference_check_text(report: VariantReport) -> str:
    """The check status, with the caveat on the mRNA when its bases were used."""
    if report.reference_note and report.reference_check in ("base", "partial"):
        return f"{report.reference_check} ({report.reference_note})"
    return report.reference_check


def print_prediction(data: dict[str, Any]) -> None:
    """Human-readable phenotype (the keys ``predict`` adds to the variant JSON): clinical names,
    units, reference ranges and flags; the disease call, anaemia grade, iron overload and
    photosensitivity; the treatment's effect."""
    from rich.console import Console
    from rich.table import Table

    from hemesim.report.labels import display_name, format_value, ordered_keys, reference_range

    sex = data.get("sex") if data.get("sex") in ("male", "female") else None
    who = {"male": "man (hemizygous)", "female": "woman (heterozygous)"}.get(str(sex), "")
    console = Console(soft_wrap=False)
    console.print(readout_table(data.get("phenotype", {}), sex, f"predicted phenotype: {who}"))
    console.print(f"Disease call: [bold]{data.get('disease')}[/bold]")
    plp_age = data.get("plp_age")
    if isinstance(plp_age, dict) and plp_age.get("age_years") is not None:
        applied = (
            f"PLP x{plp_age['factor']:.3f} of young adults ({plp_age['rule']})"
            if plp_age.get("applied", True)
            else "not applied under pyridoxine"
        )
        console.print(
            f"Age {plp_age['age_years']:g} y: vitamin B6 status, {applied}; median plasma PLP "
            "by age (hemesim/phenotype/data/plp_by_age.csv)"
        )
    severity = data.get("severity")
    for line in (anaemia_line(severity), iron_overload_line(severity, data.get("iron"))):
        if line:
            console.print(line)
    photo = (severity or {}).get("photosensitivity") if isinstance(severity, dict) else None
    if isinstance(photo, dict):
        console.print(
            f"Photosensitivity risk: {photo.get('risk')} (erythrocyte protoporphyrin "
            f"{format_value('ep_total_ug_dl_rbc', photo.get('ep_total_ug_dl_rbc'))} µg/dL RBC)"
        )
    if data.get("penetrance") is not None:
        console.print(
            "Penetrance (P(disease) over X-inactivation): "
            f"{format_value('penetrance', data['penetrance'])} %"
        )
    response = data.get("treatment_response")
    if isinstance(response, dict) and "untreated" in response:
        units = response.get("units", {})
        treated = Table(
            "readout",
            "untreated",
            "treated",
            "change",
            "reference",
            title=f"treatment: {response.get('treatment')}",
            caption="L / H: below / above the reference range",
        )
        for key in ordered_keys(response["untreated"]):
            before = response["untreated"][key]
            after = response["treated"].get(key)
            change = response.get("change", {}).get(key)
            ref = reference_range(key, sex)
            treated.add_row(
                display_name(key, str(units.get(key, ""))),
                _flagged(key, before, sex),
                "-" if after is None else _flagged(key, after, sex),
                "-" if change is None else ("+" if change > 0 else "") + format_value(key, change),
                "" if ref is None else ref.text(key),
            )
        console.print(treated)
        console.print(
            f"Disease untreated: {response.get('disease_untreated')}, "
            f"treated: {response.get('disease_treated')}"
        )


def _flagged(key: str, value: Any, sex: str | None) -> str:
    """``"8.6 L"``: a readout as shown with its high/low flag (none inside the range)."""
    from hemesim.report.labels import flag, format_value

    return format_value(key, value) + {"low": " L", "high": " H"}.get(flag(key, value, sex), "")


def register(app: typer.Typer) -> None:
    """Register ``variant`` and ``variants`` on the root app."""

    @app.command("variant")
    def variant_cmd(
        hgvs: str | None = typer.Argument(
            None,
            help="e.g. NM_000032.5:c.1355G>A, p.Arg452His, R452H, NC_000023.11:g.55014830G>A, "
            "X-55014830-G-A or a ClinVar title 'NM_000032.5(ALAS2):c.1354C>T (p.Arg452Cys)'",
        ),
        sex: str | None = typer.Option(
            None, "--sex", help="male|female: also predict the phenotype of a carrier."
        ),
        xi: float | None = typer.Option(
            None,
            "--xi",
            help="Women: fraction of erythroid cells expressing the variant X (0-1). Without it, "
            "the population distribution of X-inactivation (penetrance and quantiles).",
        ),
        treat: str = typer.Option(
            "none", "--treat", help="none, pyridoxine, chelation or phlebotomy (with --sex)."
        ),
        age: float | None = typer.Option(
            None,
            "--age",
            help="Age in years (0-120): vitamin B6 status (PLP) of the age, which matters for "
            "PLP-dependent (thermolabile) variants; for women also the X-inactivation "
            "distribution. Without it: young-adult PLP (and xi at 40 y).",
        ),
        plot: Path | None = typer.Option(
            None, "--plot", help="Draw the predicted phenotype to this .png/.svg/.pdf file."
        ),
        seed: int = typer.Option(0, "--seed", help="Seed for the sampled women."),
        allele_frequency: float | None = typer.Option(
            None,
            "--allele-frequency",
            help="Population allele frequency (e.g. gnomAD) for ACMG PM2/BA1.",
        ),
        de_novo: str | None = typer.Option(
            None, "--de-novo", help="confirmed|assumed|no: de novo status for ACMG PS2/PM6."
        ),
        ped: Path | None = typer.Option(
            None,
            "--ped",
            help="Family pedigree with genotypes: its cosegregation Bayes factor gives PP1/BS4.",
        ),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        phenopacket: Path | None = typer.Option(
            None,
            "--phenopacket",
            help="Write the predicted person as a GA4GH Phenopacket v2 .json (with --sex).",
        ),
        from_phenopacket: Path | None = typer.Option(
            None,
            "--from-phenopacket",
            help="Read the ALAS2 variant (and sex) from a GA4GH Phenopacket v2 .json.",
        ),
    ) -> None:
        """Interpret one ALAS2 variant: canonical HGVS, consequence, domain, known record and
        its effect on the enzyme, its ACMG/AMP classification; with --sex, the predicted
        phenotype.

        Examples: hemesim variant NM_000032.5:c.1355G>A;
        hemesim variant NC_000023.11:g.55014830G>A;
        hemesim variant c.1706_1709del --sex female --json;
        hemesim variant p.Arg452Cys --sex male --treat pyridoxine --plot r452c.png;
        hemesim variant p.Lys299Gln --sex male --age 75 --json;
        hemesim variant c.1706_1709del --sex male --phenopacket xlp.json
        """
        from hemesim.variants.interpret import interpret

        check_seed(seed)
        if hgvs is not None:  # absent when read from --from-phenopacket
            check_hgvs_quoting(hgvs)
        if plot is not None:  # fail before the simulations, not after them
            check_output(plot, "--plot", PLOT_SUFFIXES)
        hgvs, sex = _phenopacket_input(hgvs, sex, from_phenopacket, phenopacket, json_out)
        report = interpret(hgvs)
        data = report_json(report)
        from hemesim.cli.classification import classification_json

        data.update(
            classification_json(
                report, allele_frequency=allele_frequency, de_novo=de_novo, ped=ped, quiet=json_out
            )
        )
        prediction = None
        wants_phenotype = sex is not None or xi is not None or treat != "none" or age is not None
        if wants_phenotype or plot is not None:
            from hemesim.cli._common import to_jsonable
            from hemesim.phenotype.inputs import resolve_variant
            from hemesim.phenotype.predict import predict

            chosen_sex = sex if sex is not None else ("female" if xi is not None else "male")
            resolved = resolve_variant(report)
            if resolved.is_unquantified:
                # the interpretation stands; the phenotype is unknown, not "none"
                try:
                    resolved.require_quantified()
                except HemesimError as exc:
                    data["prediction"] = None
                    data["prediction_note"] = str(exc)
            else:
                try:
                    with progress_bar("predicting the phenotype", quiet=json_out):
                        prediction = predict(
                            report, sex=chosen_sex, xi=xi, treatment=treat, seed=seed, age_years=age
                        )
                except HemesimError as exc:
                    raise rename_fields(exc, PHENOTYPE_FIELDS) from None
                predicted = to_jsonable(prediction)
                data["prediction_provenance"] = predicted.pop("provenance", None)
                data.update(predicted)
                if plot is not None:
                    from hemesim.cli.phenotype import plot_prediction

                    plot_prediction(prediction, plot)
        if phenopacket is not None:
            from hemesim.report.phenopacket import phenopacket_from_report, write_message

            write_message(phenopacket_from_report(data), phenopacket)
        if json_out:
            emit_json(data)
            return
        print_report(report)
        from hemesim.cli.classification import print_classification

        print_classification(data)
        if prediction is not None:
            print_prediction(data)
        elif "prediction_note" in data:
            typer.echo(f"phenotype: {data['prediction_note']}")
        if plot is not None:
            done = f"wrote {plot}" if prediction is not None else f"--plot {plot}: not written"
            typer.echo(done, err=True)

    @app.command("variants")
    def variants_cmd(
        file: Path = typer.Argument(
            ..., help="One variant per line, or a VCF (annotated or not; GRCh38 coordinates)."
        ),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        out: Path | None = typer.Option(
            None, "-o", "--out", help="Write the table as CSV (a .csv file, not FILE itself)."
        ),
    ) -> None:
        """Interpret every ALAS2 variant in FILE; bad lines are reported with their line
        number and the rest is still processed.

        Exit code 0 when at least one line was interpreted (the counts are printed); 1 when no
        line could be interpreted (every line failed, or the file holds no variant); 2 when FILE
        cannot be read or -o cannot be written.

        Example: hemesim variants lab_report.txt -o interpreted.csv
        """
        from hemesim.safe_io import csv_safe
        from hemesim.variants.batch import interpret_file

        if out is not None:  # fail before the work, and never overwrite FILE
            check_output(out, "--out", (".csv",), inputs=[file])
        done = 0

        def advance(n: int, update: Any) -> None:
            nonlocal done
            done += n
            update(done)

        with progress_bar("interpreting", quiet=json_out) as update:
            result = interpret_file(file, progress=lambda n: advance(n, update))
        if out is not None:
            with writing(out, "--out") as tmp:
                csv_safe(result.to_dataframe()).to_csv(tmp, index=False)
        failed = len(result.errors) == len(result.rows)  # nothing interpreted (or nothing read)
        if json_out:
            if not failed:  # exit 1 with --json: the error object on stderr, nothing on stdout
                emit_json(result.to_dict())
        else:
            _print_table(result)
            for row in result.errors:
                typer.echo(f"line {row.line}: {row.error}", err=True)
            if out is not None:
                typer.echo(f"wrote {out}", err=True)
        if failed:
            raise fail(
                f"no variant in {str(file)!r} could be interpreted ({_counts(result)}); "
                "expected one HGVS variant per line, or a VCF",
                as_json=json_out,
            )


def _phenopacket_input(
    hgvs: str | None,
    sex: str | None,
    source: Path | None,
    target: Path | None,
    as_json: bool,
) -> tuple[str, str | None]:
    """HGVS and sex from the argument or ``--from-phenopacket``; checks ``--phenopacket``."""
    if source is not None:
        from hemesim.report.phenopacket import read_phenopacket

        packet = read_phenopacket(source)
        if hgvs is not None and hgvs != packet["hgvs"]:
            raise fail(
                f"HGVS {hgvs!r} and --from-phenopacket ({packet['hgvs']!r}) name two variants; "
                "give one of them",
                as_json=as_json,
                code=2,
            )
        hgvs = packet["hgvs"]
        sex = sex if sex is not None else packet["sex"]
    if hgvs is None:
        raise fail(
            "missing HGVS: give the variant (e.g. NM_000032.5:c.1355G>A) or --from-phenopacket "
            "FILE.json",
            as_json=as_json,
            code=2,
        )
    if target is not None:
        check_output(target, "--phenopacket", (".json",), inputs=[source])
        if sex is None:
            raise fail(
                "--phenopacket needs a predicted person: add --sex male|female",
                as_json=as_json,
                code=2,
            )
    return hgvs, sex


def _counts(result: Any) -> str:
    return (
        f"{len(result.rows)} variants, {len(result.errors)} errors, {result.skipped} lines skipped"
    )


def _print_table(result: Any) -> None:
    """The batch as a readable table (words, not identifiers; -o CSV and --json keep all
    columns)."""
    from rich.console import Console
    from rich.table import Table

    from hemesim.cli._words import effect_class_words, factor_text, identifier_words

    table = Table("#", "variant", "consequence", "effect (curated record)", "changed factors")
    for column in table.columns:
        column.overflow = "fold"  # no text cut to "..."
    table.columns[1].no_wrap = True  # an HGVS string is read whole
    table.columns[2].max_width, table.columns[3].max_width = 11, 16
    table.columns[4].min_width = 16
    for row in result.rows:
        r = row.report
        if r is None:
            table.add_row(str(row.line), row.input, "error (see below)", "", "")
            continue
        cdna = (r.hgvs_c or "").removeprefix("NM_000032.5:")
        protein = (r.hgvs_p or "").removeprefix("NP_000023.2:")
        table.add_row(
            str(row.line),
            "\n".join(x for x in (cdna, protein) if x) or row.input,
            identifier_words(r.consequence),
            effect_class_words(r.effect.effect_class)
            + ("" if r.known is None else f" ({r.known.phenotype})"),
            factor_text(r.effect.changed(), "\n"),
        )
    Console(soft_wrap=False).print(table)
    Console().print(_counts(result))
