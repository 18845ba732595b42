"""CLI command group: ``hemesim serve`` (the web app) and ``hemesim report`` (HTML/PDF report).

Heavy imports (uvicorn, FastAPI, matplotlib, the model) happen inside the command bodies so that
``hemesim --help`` stays fast.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hemesim.cli._common import (
    check_hgvs_quoting,
    check_output,
    emit_json,
    os_reason,
    progress_wanted,
    writing,
)
from hemesim.errors import HemesimError

if TYPE_CHECKING:
    import socket

__all__ = ["register", "listen", "served_names"]

#: ``report -o`` formats (the report package writes these; compared without regard to case)
REPORT_SUFFIXES = (".html", ".htm", ".pdf")
_HOST_HINT = "expected e.g. 127.0.0.1 (this machine only), ::1, localhost or 0.0.0.0"


def listen(host: str, port: int) -> socket.socket:
    """Bind the web app's socket before anything starts, with one-line errors naming the option.

    Parameters
    ----------
    host
        ``--host``: an IPv4/IPv6 address or a host name of this machine.
    port
        ``--port``: TCP port, 1-65535.

    Returns
    -------
    socket.socket
        The bound socket (uvicorn listens on it).

    Raises
    ------
    HemesimError
        A malformed address (``256.1.1.1``), a name that does not resolve, an address that is not
        this machine's, or a port in use.
    """
    import errno
    import ipaddress
    import socket

    if not host.strip():
        raise HemesimError(f"--host {host!r}: empty; {_HOST_HINT}")
    if re.fullmatch(r"[0-9.]+", host):  # looks like IPv4: never send it to DNS as a name
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise HemesimError(f"--host {host!r}: not a valid IPv4 address; {_HOST_HINT}") from None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise HemesimError(
            f"--host {host!r}: not an address or a known host name ({os_reason(exc)}); {_HOST_HINT}"
        ) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise HemesimError(
                f"--port {port}: already in use on {host}; choose another --port"
            ) from None
        raise HemesimError(
            f"--host {host!r}: cannot listen on port {port} ({os_reason(exc)}); {_HOST_HINT}"
        ) from None
    return sock


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def served_names(host: str) -> list[str]:
    """Host names the app answers to when bound to ``host`` (besides the loopback names).

    The bound name or address itself; for a wildcard bind (``0.0.0.0``, ``::``) also this
    machine's host name and fully qualified name. Any other ``Host`` header gets a 400
    (protection against DNS rebinding; :class:`hemesim.web.guards.HostAllowList`).
    """
    import socket

    names = [host]
    if host in ("0.0.0.0", "::"):
        names += [socket.gethostname(), socket.getfqdn()]
    return names


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
        json_out: bool = typer.Option(
            False,
            "--json",
            help='When the app is ready, print one JSON line on stdout: {"url": ..., "host": '
            '..., "port": ...}.',
        ),
    ) -> None:
        """Run the web app (pathway map, variant explorer, family risk, cohorts) locally.

        Opens on http://127.0.0.1:8000 by default. Request bodies and identifiers are never
        logged (the access log is off). The address is checked (and the port bound) before
        the app starts; the URL is printed once the app answers.

        Example: hemesim serve --port 8000
        """
        sock = listen(host, port)
        import uvicorn

        from hemesim.web.app import create_app

        url = _url(host, port)

        def ready() -> None:
            if json_out:
                typer.echo(json.dumps({"url": url, "host": host, "port": port}))
            else:
                typer.echo(f"hemesim web app on {url}  (Ctrl+C stops it)", err=True)

        class _Server(uvicorn.Server):
            async def startup(self, sockets: list[Any] | None = None) -> None:
                await super().startup(sockets=sockets)
                if self.started:
                    ready()

        from hemesim.web.guards import header_timeout_protocol
        from hemesim.web.limits import DEFAULT_LIMITS

        config = uvicorn.Config(
            create_app(allowed_hosts=served_names(host)),
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
            server_header=False,
            http=header_timeout_protocol(DEFAULT_LIMITS.header_timeout_s),
        )
        # the model worker runs Python code under the GIL: a short switch interval (1 ms, the
        # default is 5 ms) lets the event loop answer cheap requests between its steps
        sys.setswitchinterval(0.001)
        server = _Server(config)
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()
        if not server.started:
            raise typer.Exit(3)  # uvicorn's code for a failed start-up (its log says why)

    @app.command("report")
    def report_cmd(
        hgvs: str = typer.Argument(..., help="ALAS2 variant, e.g. NM_000032.5:c.1706_1709del"),
        out: Path = typer.Option(
            ..., "-o", "--out", help="Output file: report.html (self-contained) or report.pdf."
        ),
        ped: Path | None = typer.Option(
            None,
            "--ped",
            help="Optional pedigree (.ped, or pedigreejs .json, as for risk): adds the "
            "family's risks and pedigree.",
        ),
        json_out: bool = typer.Option(
            False, "--json", help="Also print the report's content as JSON on stdout."
        ),
    ) -> None:
        """Write a clinic-file report for one variant (and optionally a family): interpretation,
        time course, phenotype across X-inactivation, treatments, pedigree risks.

        Example: hemesim report c.1706_1709del --ped family.ped -o report.html
        """
        from hemesim.cli.risk import load_pedigree
        from hemesim.report.build import build_report, write_report

        # before the simulations: the output path, and the pedigree (read as risk reads it)
        check_hgvs_quoting(hgvs)
        check_output(out, "-o", REPORT_SUFFIXES, inputs=[ped])
        if ped is not None:
            load_pedigree(ped)
        report = build_report(hgvs, ped=ped, progress=progress_wanted(json_out))
        with writing(out, "-o", atomic=False):  # write_report is atomic
            path = write_report(report, out)
        if json_out:
            emit_json({**report.to_dict(), "output": str(path)})
        else:
            typer.echo(f"wrote {path}", err=True)
