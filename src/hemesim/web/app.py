"""The hemesim web application: ``create_app()`` builds the FastAPI app (JSON API + pages).

One process serves the JSON API under ``/api/`` (OpenAPI at ``/openapi.json``), the server-rendered
pages, local static assets and Plotly's JavaScript from the installed ``plotly`` package. Nothing is
fetched from another origin (the Content-Security-Policy says so to the browser), request bodies
are capped, and user errors (:class:`~hemesim.errors.HemesimError`) become 422 with a one-line
``detail``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hemesim import __version__
from hemesim.errors import HemesimError
from hemesim.web.compute import ComputeQueue
from hemesim.web.limits import DEFAULT_LIMITS, Limits

__all__ = ["create_app"]

HERE = Path(__file__).resolve().parent

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class BodySizeLimit:
    """ASGI middleware refusing request bodies larger than ``max_bytes`` with 413.

    Checks ``Content-Length`` up front and counts streamed bytes for chunked bodies.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = -1
                if size < 0 or size > self.max_bytes:
                    await self._refuse(send)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = (
            b'{"detail":"request body too large: at most '
            + str(self.max_bytes).encode()
            + b' bytes"}'
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """ASGI middleware adding a strict same-origin Content-Security-Policy and no-referrer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-store")
                    if not scope["path"].startswith(("/static/", "/assets/"))
                    else (b"cache-control", b"max-age=3600"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.compute.shutdown()
    app.state.light.shutdown()


def create_app(limits: Limits = DEFAULT_LIMITS) -> FastAPI:
    """Build the hemesim web application.

    Parameters
    ----------
    limits
        Input caps (upload bytes, string lengths, cohort size, time limit); see
        :class:`~hemesim.web.limits.Limits`.

    Returns
    -------
    fastapi.FastAPI
        The ASGI app; serve it with ``hemesim serve`` (uvicorn, 127.0.0.1 by default).
    """
    from hemesim.web import assets, pages
    from hemesim.web.api import cohort, meta, model, risk, variant

    app = FastAPI(
        title="hemesim",
        version=__version__,
        description=(
            "ALAS2, the erythroid heme pathway, XLSA/XLP and X-linked inheritance. JSON shapes "
            "are those of the CLI's --json output. User errors are 422 with a one-line detail."
        ),
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.limits = limits
    # Model and variant work share one thread (libRoadRunner, Antimony and the HGVS parser keep
    # state that is not safe across threads); pedigree risks, which touch none of them, get
    # their own thread so a family recomputes while a simulation runs.
    app.state.compute = ComputeQueue(limits)
    app.state.light = ComputeQueue(limits, name="pedigree")
    app.state.cohort_jobs = {}

    @app.exception_handler(HemesimError)
    async def _hemesim_error(_request: Request, exc: HemesimError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc).splitlines()[0]})

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _validation_message(exc)})

    for router in (meta.router, model.router, variant.router, risk.router, cohort.router):
        app.include_router(router)
    app.include_router(pages.router)
    app.include_router(assets.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Middleware order: the size limit sees the raw request first.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_upload_bytes + 16 * 1024)
    return app
