"""CLI command group: ``hemesim serve`` (the web app) and ``hemesim report`` (HTML/PDF report).

Heavy imports (uvicorn, FastAPI, matplotlib, the model) happen inside the command bodies so that
``hemesim --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hemesim.cli._common import emit_json

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Register ``serve`` and ``report`` on the root app."""

    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option(
            "127.0.0.1",
            "--host",
            help="Interface to bind. The default keeps the app on this machine; family data is "
            "health data, think before binding 0.0.0.0.",
        ),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    ) -> None:
        """Run the web app (pathway map, variant explorer, family risk, cohorts) locally.

        Opens on http://127.0.0.1:8000 by default. Request bodies and identifiers are never
        logged (the access log is off).

        Example: hemesim serve --port 8000
        """
        import uvicorn

        from hemesim.web.app import create_app

        typer.echo(f"hemesim web app on http://{host}:{port}  (Ctrl+C stops it)", err=True)
        uvicorn.run(
            create_app(),
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
            server_header=False,
        )

    @app.command("report")
    def report_cmd(
        hgvs: str = typer.Argument(..., help="ALAS2 variant, e.g. NM_000032.5:c.1706_1709del"),
        out: Path = typer.Option(
            ..., "-o", "--out", help="Output file: report.html (self-contained) or report.pdf."
        ),
        ped: Path | None = typer.Option(
            None, "--ped", help="Optional PED file: adds the family's risks and pedigree."
        ),
        json_out: bool = typer.Option(
            False, "--json", help="Also print the report's content as JSON on stdout."
        ),
    ) -> None:
        """Write a clinic-file report for one variant (and optionally a family): interpretation,
        time course, phenotype across X-inactivation, treatments, pedigree risks.

        Example: hemesim report c.1706_1709del --ped family.ped -o report.html
        """
        from hemesim.report.build import build_report, check_output_path, write_report

        check_output_path(out)
        report = build_report(hgvs, ped=ped, progress=not json_out)
        path = write_report(report, out)
        if json_out:
            emit_json({**report.to_dict(), "output": str(path)})
        else:
            typer.echo(f"wrote {path}", err=True)
