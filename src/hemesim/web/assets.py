"""Assets served from this package and installed packages (plotly.js, Swagger UI), never a CDN.

* ``/assets/plotly.min.js``: plotly.js's cartesian bundle, shipped in ``static/vendor``.
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

__all__ = ["PLOTLY_JS", "SWAGGER_FILES", "plotly_js_path", "router", "swagger_ui_dir"]

router = APIRouter(include_in_schema=False)

SWAGGER_FILES: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
"""The Swagger UI files the docs page uses -> their media types (nothing else is served)."""


PLOTLY_JS = Path(__file__).resolve().parent / "static" / "vendor" / "plotly-cartesian.min.js"
"""plotly.js 4.1.1, cartesian partial bundle (npm ``plotly.js-cartesian-dist-min``, MIT; see
``static/vendor/README.md``): every chart type the pages draw, 1.5 MB against the full bundle's
4.8 MB, whose start-up held the variant page's main thread for 150-350 ms."""


def plotly_js_path() -> Path:
    """Path of the plotly.js bundle the pages load (:data:`PLOTLY_JS`)."""
    return PLOTLY_JS


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
    """Serve the plotly.js bundle shipped with hemesim (:data:`PLOTLY_JS`)."""
    path = plotly_js_path()
    if not path.is_file():
        raise HTTPException(
            status_code=404, detail="plotly.js is missing from hemesim's static/vendor folder"
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
