"""``/api/health``: a trivial endpoint (version and limits), also the load-test reference."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from hemesim import __version__

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/health", summary="Server version and input limits")
async def health(request: Request) -> dict[str, Any]:
    """Return ``software``, ``version`` and the input ``limits`` of this server.

    Answered on the event loop itself (no hand-off to a thread), so it stays quick while the
    model worker is busy (docs/reliability.md, load figures)."""
    return {
        "software": "hemesim",
        "version": __version__,
        "limits": dict(request.app.state.limits.__dict__),
    }
