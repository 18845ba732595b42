"""Assets served from installed packages (Plotly, Swagger UI), never from a CDN.

* ``/assets/plotly.min.js``: Plotly's bundle from the ``plotly`` Python package.
* ``/assets/swagger-ui/{name}``: Swagger UI 5's files from the ``swagger-ui-py`` package (its
  ``static/`` folder; Swagger UI 5 reads OpenAPI 3.1, which FastAPI writes).
* ``/api/docs``: the interactive API documentation, a page that loads Swagger UI from those
  files and a local start-up script (the Content-Security-Policy forbids inline scripts, so
  FastAPI's own docs page, which starts Swagger UI inline from a CDN, cannot be used).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

__all__ = ["SWAGGER_FILES", "plotly_js_path", "router", "swagger_ui_dir"]

router = APIRouter(include_in_schema=False)

SWAGGER_FILES: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
"""The Swagger UI files the docs page uses -> their media types (nothing else is served)."""


def plotly_js_path() -> Path:
    """Path of ``plotly.min.js`` inside the installed ``plotly`` Python package."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def swagger_ui_dir() -> Path:
    """Folder of Swagger UI's distribution inside the installed ``swagger-ui-py`` package.

    Found without importing the package (its ``__init__`` imports every web framework handler).
    """
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise HTTPException(status_code=404, detail="the swagger-ui-py package is not installed")
    return Path(spec.origin).resolve().parent / "static"


@router.get("/assets/plotly.min.js")
def plotly_js() -> FileResponse:
    """Serve Plotly's JavaScript bundle from the installed package."""
    path = plotly_js_path()
    if not path.is_file():
        raise HTTPException(
            status_code=404, detail="plotly.min.js is missing from the plotly package"
        )
    return FileResponse(path, media_type="text/javascript")


@router.get("/assets/swagger-ui/{name}")
def swagger_asset(name: str) -> FileResponse:
    """Serve one of :data:`SWAGGER_FILES` from the installed ``swagger-ui-py`` package."""
    if name not in SWAGGER_FILES:
        raise HTTPException(status_code=404, detail=f"no Swagger UI asset {name[:40]!r}")
    path = swagger_ui_dir() / name
    if not path.is_file():
        raise HTTPException(
            status_code=404, detail=f"{name} is missing from the swagger-ui-py package"
        )
    return FileResponse(path, media_type=SWAGGER_FILES[name])


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """Swagger UI for ``/openapi.json``, entirely from this server."""
    from hemesim.web.pages import templates

    return templates.TemplateResponse(request, "api_docs.html", {"page": "api"})
