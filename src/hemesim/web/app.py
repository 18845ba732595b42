"""The hemesim web application: ``create_app()`` builds the FastAPI app (JSON API + pages).

One process serves the JSON API under ``/api/`` (OpenAPI at ``/openapi.json``), the server-rendered
pages, local static assets and Plotly's JavaScript from the installed ``plotly`` package. Nothing is
fetched from another origin (the Content-Security-Policy says so to the browser), request bodies
are capped, and user errors (:class:`~hemesim.errors.HemesimError`) become 422 with a one-line
``detail``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import Depends, FastAPI, HTTPException, Request, params
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hemesim import __version__
from hemesim.errors import HemesimError
from hemesim.web.compute import ComputeQueue, DisconnectWatch, ProcessQueue
from hemesim.web.guards import LOOPBACK_NAMES, TEST_CLIENT_HOST, BodyTimeout, HostAllowList
from hemesim.web.limits import DEFAULT_LIMITS, Limits
from hemesim.web.messages import first_line

__all__ = ["check_parameter_names", "create_app"]

HERE = Path(__file__).resolve().parent

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class BodySizeLimit:
    """ASGI middleware refusing request bodies larger than ``max_bytes`` with 413.

    Checks ``Content-Length`` up front. A body without one (``Transfer-Encoding: chunked``) is
    read here, up to ``max_bytes``, before the app sees it: the app's body parser would turn an
    error raised while it reads into a 400, so the limit must be applied before it starts.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = False
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                declared = True
                try:
                    size = int(value)
                except ValueError:
                    size = -1
                if size < 0 or size > self.max_bytes:
                    await self._refuse(send)
                    return
        if not declared:
            buffered = await self._read_body(receive)
            if buffered is None:
                await self._refuse(send)
                return
            receive = _replay(buffered, receive)
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

    async def _read_body(self, receive: Receive) -> list[Message] | None:
        """The request's body messages, or ``None`` as soon as they exceed ``max_bytes``."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away
                return messages
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return None
            if not message.get("more_body", False):
                return messages

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


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` giving the already read ``messages`` first, then the server's."""
    pending = deque(messages)

    async def replay() -> Message:
        if pending:
            return pending.popleft()
        return await receive()

    return replay


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


_EXPECTED_TYPE = {
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "a string",
    "dict_type": "a JSON object",
}
"""Pydantic's strict type errors -> the expected form, in words."""


def _shown(value: Any) -> str:
    """A short JSON rendering of a rejected input (``true``, ``"3"``...)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_kind(value: Any) -> str:
    """The JSON type of a decoded value, in words."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else type(value).__name__


def _media_type(content_type: str) -> str:
    """``"text/plain; charset=utf-8"`` -> ``"text/plain"``."""
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(content_type: str) -> bool:
    """True for the media types FastAPI decodes as JSON (``application/json``, ``...+json``)."""
    media = _media_type(content_type)
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _body_model(route: Any) -> type[BaseModel] | None:
    """The pydantic model of a route's JSON body (``None``: no JSON body, or a form)."""
    field = getattr(route, "body_field", None)
    if field is None or isinstance(field.field_info, params.Form):
        return None
    model = getattr(field.field_info, "annotation", None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _file_fields(route: Any) -> dict[str, str]:
    """Uploaded-file fields of a route's form -> what the file should be."""
    out = {}
    for field in getattr(getattr(route, "dependant", None), "body_params", []):
        if isinstance(field.field_info, params.File):
            out[field.alias] = field.field_info.description or "a file"
    return out


def _validation_message(exc: RequestValidationError, request: Request | None = None) -> str:
    """One line naming each offending field (at most three) and the form that is expected.

    Parameters
    ----------
    exc
        FastAPI's validation error (pydantic errors with ``loc`` starting ``body``/``query``...).
    request
        The request, for the route's body model and the request's ``Content-Type``.
    """
    route = None if request is None else request.scope.get("route")
    model = _body_model(route)
    fields = ", ".join(model.model_fields) if model is not None else ""
    body_form = f"a JSON object with fields {fields}" if fields else "a JSON object"
    content_type = "" if request is None else request.headers.get("content-type", "")
    got_type = (
        f" (got Content-Type {_media_type(content_type)})"
        if content_type
        else " (no Content-Type given)"
    )
    files = _file_fields(route)
    parts: list[str] = []
    unknown: list[str] = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        kind = str(err.get("type", ""))
        source = loc[0] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else ""
        path = [str(p) for p in (loc[1:] if source else loc)]
        where = ".".join(path) or "request"
        if kind == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "")
            parts.append(
                f"request body: invalid JSON at character {path[0] if path else '?'} ({reason}); "
                f"expected {body_form}"
            )
        elif source == "body" and not path and model is not None:  # the body as a whole
            if not _is_json(content_type):
                parts.append(
                    f"request body: expected Content-Type application/json{got_type} "
                    f"with {body_form}"
                )
            elif kind == "missing":
                parts.append(f"request body: missing; expected {body_form}")
            else:
                parts.append(
                    f"request body: expected {body_form}, got {_json_kind(err.get('input'))}"
                )
        elif source == "body" and len(path) == 1 and path[0] in files:
            name = path[0]
            multipart = _media_type(content_type) == "multipart/form-data"
            parts.append(
                f"{name}: expected a multipart/form-data upload of {files[name]} in field "
                f"'{name}'{'' if multipart else got_type}"
            )
        elif kind == "extra_forbidden" and source == "body" and len(path) == 1:
            unknown.append(repr(path[0][:40]))
        elif kind in _EXPECTED_TYPE:
            parts.append(
                f"{where}: expected {_EXPECTED_TYPE[kind]}, got {_shown(err.get('input'))}"
            )
        else:
            parts.append(f"{where}: {err.get('msg', 'invalid value')}")
    if unknown:
        noun = "field" if len(unknown) == 1 else "fields"
        named = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        expected = f"; expected one of {fields}" if fields else ""
        parts.insert(0, f"request body: unknown {noun} {named}{expected}")
    return "; ".join(parts[:3]) or "invalid request"


def _multipart_message(request: Request, reason: str) -> str:
    """A multipart body the form parser could not read (no boundary, a broken part), in words.

    Starlette answers these 400 with its own text ("Missing boundary in multipart."); the API
    documents a 422 saying what the upload should be.
    """
    files = _file_fields(request.scope.get("route"))
    name, what = next(iter(files.items()), ("file", "a file"))
    return (
        f"request body: not a readable multipart/form-data upload ({reason.rstrip('.')}); "
        f"expected {what} in field '{name}', sent as a browser form or curl -F does "
        "(Content-Type multipart/form-data with a boundary)"
    )


def _is_sequence(annotation: Any) -> bool:
    """True for ``list[...]``-like annotations (a query parameter that may be repeated)."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    return (origin or annotation) in (list, set, frozenset, tuple)


def _declared(dependant: Any, kind: str) -> tuple[list[str], set[str]]:
    """Names of a route's ``query_params`` or ``body_params`` (with its dependencies'): all of
    them, and those that may be repeated (lists)."""
    names: list[str] = []
    repeatable: set[str] = set()
    for field in getattr(dependant, kind, []):
        names.append(field.alias)
        if _is_sequence(field.field_info.annotation):
            repeatable.add(field.alias)
    for sub in getattr(dependant, "dependencies", []):
        more, more_repeatable = _declared(sub, kind)
        names += [n for n in more if n not in names]
        repeatable |= more_repeatable
    return names, repeatable


def _names_problem(what: str, given: list[str], declared: tuple[list[str], set[str]]) -> str:
    """The first unknown or repeated name in ``given`` as a message (``""`` if none)."""
    accepted, repeatable = declared
    for key in given:
        if key not in accepted:
            expected = (
                f"expected one of {', '.join(accepted)}"
                if accepted
                else f"this endpoint takes no {what}s"
            )
            return f"unknown {what} {key[:40]!r}; {expected}"
    for key in accepted:
        count = given.count(key)
        if count > 1 and key not in repeatable:
            return f"{what} {key!r} given {count} times; give it once"
    return ""


async def check_parameter_names(request: Request) -> None:
    """Dependency of every API route: refuse undeclared and repeated parameters.

    Query parameters always; the fields of a form body (``POST /api/risk``) too. Without it a
    misspelt name (``?zinc=5``, a form field ``fitnes_male``) is ignored and a repeated one
    (``?hgvs=A&hgvs=B``) silently takes its last value. (JSON bodies are checked by their
    models, which forbid extra fields.)

    Raises
    ------
    fastapi.HTTPException
        422 naming the parameter and the accepted ones.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    given = [key for key, _ in request.query_params.multi_items()]
    problem = _names_problem("query parameter", given, _declared(dependant, "query_params"))
    field = getattr(route, "body_field", None)
    if not problem and field is not None and isinstance(field.field_info, params.Form):
        form = await request.form()  # already parsed (and cached) by FastAPI
        given = [key for key, _ in form.multi_items()]
        problem = _names_problem("form field", given, _declared(dependant, "body_params"))
    if problem:
        raise HTTPException(status_code=422, detail=problem)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    cohort = getattr(app.state, "cohort", None)  # created on first use by the cohort API
    if cohort is not None:
        cohort.shutdown()
        del app.state.cohort  # a restarted app starts a new cohort worker
    app.state.compute.shutdown()
    app.state.light.shutdown()
    app.state.background.shutdown()


def create_app(limits: Limits = DEFAULT_LIMITS, allowed_hosts: Sequence[str] = ()) -> FastAPI:
    """Build the hemesim web application.

    Parameters
    ----------
    limits
        Input caps (upload bytes, string lengths, cohort size, time limits); see
        :class:`~hemesim.web.limits.Limits`.
    allowed_hosts
        Host names the app is reached by besides ``127.0.0.1``, ``localhost``, ``::1`` (and
        ``testserver``, the name of Starlette's in-process test client); any other ``Host``
        header is answered 400 (:class:`~hemesim.web.guards.HostAllowList`). ``hemesim serve``
        passes its ``--host``.

    Returns
    -------
    fastapi.FastAPI
        The ASGI app; serve it with ``hemesim serve`` (uvicorn, 127.0.0.1 by default).
    """
    from hemesim.web import assets, pages
    from hemesim.web.api import classification, cohort, meta, model, risk, variant

    app = FastAPI(
        title="hemesim",
        version=__version__,
        description=(
            "ALAS2, the erythroid heme pathway, XLSA/XLP and X-linked inheritance. JSON shapes "
            "are those of the CLI's --json output. User errors are 422 with a one-line detail."
        ),
        docs_url=None,  # /api/docs is served from package assets (web/assets.py)
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.limits = limits
    # Model and variant work share one thread (libRoadRunner, Antimony and the HGVS parser keep
    # state that is not safe across threads); pedigree risks, which touch none of them, get
    # their own thread so a family recomputes while a simulation runs.
    app.state.compute = ComputeQueue(limits)
    app.state.light = ComputeQueue(limits, name="pedigree")
    # the variant page's female penetrance (2000 simulated women) in a process of its own, so
    # that it never holds up the model thread (docs/web.md, Speed of the variant page)
    app.state.background = ProcessQueue(limits, name="penetrance")

    @app.exception_handler(HemesimError)
    async def _hemesim_error(_request: Request, exc: HemesimError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": first_line(exc)})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        content_type = _media_type(request.headers.get("content-type", ""))
        if exc.status_code == 400 and content_type.startswith("multipart/"):
            detail = _multipart_message(request, str(exc.detail))
            return JSONResponse(status_code=422, content={"detail": detail})
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _validation_message(exc, request)})

    # API routes refuse parameters they do not declare; pages ignore them (?hgvs= links).
    strict_names = [Depends(check_parameter_names)]
    routers = (meta.router, model.router, variant.router, risk.router, cohort.router)
    for router in (*routers, classification.router):
        app.include_router(router, dependencies=strict_names)
    app.include_router(pages.router)
    app.include_router(assets.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Middleware order: the size limit sees the raw request first.
    app.add_middleware(DisconnectWatch)  # a client that leaves cancels its queued work
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_upload_bytes + 16 * 1024)
    app.add_middleware(
        BodyTimeout,
        seconds=limits.body_timeout_s,
        max_bytes=limits.max_upload_bytes + 16 * 1024,
    )
    hosts = [*LOOPBACK_NAMES, TEST_CLIENT_HOST, *(allowed_hosts or ())]
    app.add_middleware(HostAllowList, hosts=hosts)  # outermost: DNS rebinding stops here
    return app
