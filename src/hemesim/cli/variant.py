"""CLI command group: ``hemesim variant HGVS`` and ``hemesim variants FILE``.

Thin: parse options, call :func:`hemesim.variants.interpret.interpret` /
:func:`hemesim.variants.batch.interpret_file`, print. :func:`report_json` builds the JSON dict of
one report so that later options (sex, X-inactivation, treatment) can add keys to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import emit_json

if TYPE_CHECKING:
    from hemesim.variants.interpret import VariantReport

__all__ = ["register", "report_json", "print_report"]


def report_json(report: VariantReport) -> dict[str, Any]:
    """JSON dict of one variant report (extend this dict to add phenotype output)."""
    return report.to_dict()


def print_report(report: VariantReport) -> None:
    """Human-readable summary of one report on stdout."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    eff = report.effect
    changed = {k: v for k, v in eff.factors().items() if v != 1.0}
    rows = [
        ("input", report.input),
        ("hgvs_c", report.hgvs_c or "-"),
        ("hgvs_p", report.hgvs_p or "-"),
        ("consequence", report.consequence),
        ("domain", "; ".join(report.domain.get("regions", [])) or "-"),
        (
            "known",
            "-"
            if report.known is None
            else f"{report.known.phenotype}, {report.known.mechanism} ({report.known.certainty})",
        ),
        ("effect", eff.effect_class),
        ("parameters", ", ".join(f"{k}={v:g}" for k, v in changed.items()) or "none changed"),
        ("rationale", eff.rationale),
        ("source", eff.source or "-"),
        ("reference_check", report.reference_check),
    ]
    for key, value in rows:
        table.add_row(key, value)
    for note in report.notes:
        table.add_row("note", note)
    Console(soft_wrap=False).print(table)


def register(app: typer.Typer) -> None:
    """Register ``variant`` and ``variants`` on the root app."""

    @app.command("variant")
    def variant_cmd(
        hgvs: str = typer.Argument(..., help="e.g. NM_000032.5:c.1355G>A, p.Arg452His or R452H"),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    ) -> None:
        """Interpret one ALAS2 variant: canonical HGVS, consequence, domain, known record and
        its effect on the enzyme."""
        from hemesim.variants.interpret import interpret

        report = interpret(hgvs)
        if json_out:
            emit_json(report_json(report))
        else:
            print_report(report)

    @app.command("variants")
    def variants_cmd(
        file: Path = typer.Argument(..., help="One variant per line, or a VCF."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
        out: Path | None = typer.Option(None, "-o", "--out", help="Write the table as CSV."),
    ) -> None:
        """Interpret every ALAS2 variant in FILE; bad lines are reported with their line
        number and the rest is still processed."""
        from hemesim.variants.batch import interpret_file

        if json_out:
            result = interpret_file(file)
        else:
            from rich.progress import Progress

            with Progress(transient=True, console=_stderr_console()) as bar:
                task = bar.add_task("interpreting", total=None)
                result = interpret_file(file, progress=lambda n: bar.advance(task, n))
        if out is not None:
            try:
                result.to_dataframe().to_csv(out, index=False)
            except OSError as exc:
                from hemesim.errors import VariantError

                raise VariantError(
                    f"--out {str(out)!r} cannot be written ({exc.strerror})"
                ) from None
        if json_out:
            emit_json(result.to_dict())
            return
        _print_table(result)
        for row in result.errors:
            typer.echo(f"line {row.line}: {row.error}", err=True)
        if out is not None:
            typer.echo(f"wrote {out}", err=True)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    cols = ("line", "input", "hgvs_p", "consequence", "effect_class", "kcat_factor", "known")
    table = Table(*cols)
    for rec in result.to_records():
        if rec["error"] is not None:
            table.add_row(str(rec["line"]), rec["input"], "-", "error (see below)", "", "", "")
        else:
            table.add_row(*("" if rec[c] is None else str(rec[c]) for c in cols))
    Console(soft_wrap=False).print(table)
    Console().print(
        f"{len(result.rows)} variants, {len(result.errors)} errors, {result.skipped} lines skipped"
    )
