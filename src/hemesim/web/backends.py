"""Lazy access to the hemesim stages the web app shows (model, variants, phenotype, genetics...).

The web layer sits on top of every stage and imports each one only when a request needs it, so
the server starts fast and a page whose backend is not installed answers 503 with the reason
instead of failing at start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import HTTPException

__all__ = ["available", "backend"]


def backend(module: str, attr: str) -> Any:
    """Return ``module.attr``, or raise 503 naming what is missing.

    Parameters
    ----------
    module
        Dotted module path, e.g. ``"hemesim.variants.interpret"``.
    attr
        Attribute in that module, e.g. ``"interpret"``.
    """
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise HTTPException(
            status_code=503,
            detail=f"{module}.{attr} is not available in this installation ({exc})",
        ) from None


def available(module: str, attr: str) -> bool:
    """True when ``module.attr`` can be imported."""
    try:
        return hasattr(importlib.import_module(module), attr)
    except ImportError:
        return False
