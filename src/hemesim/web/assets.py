"""Assets served from installed packages (Plotly's JavaScript), never from a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

__all__ = ["plotly_js_path", "router"]

router = APIRouter(include_in_schema=False)


def plotly_js_path() -> Path:
    """Path of ``plotly.min.js`` inside the installed ``plotly`` Python package."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@router.get("/assets/plotly.min.js")
def plotly_js() -> FileResponse:
    """Serve Plotly's JavaScript bundle from the installed package."""
    path = plotly_js_path()
    if not path.is_file():
        raise HTTPException(
            status_code=404, detail="plotly.min.js is missing from the plotly package"
        )
    return FileResponse(path, media_type="text/javascript")
