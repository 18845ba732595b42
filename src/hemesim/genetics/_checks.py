"""Small argument checks shared by the genetics modules (no hemesim imports besides errors).

Booleans are not numbers here: ``True`` is refused wherever a probability, rate or fitness is
expected, although Python treats it as 1. Strings such as ``"0.5"`` are refused too: the API
takes numbers, the CLI and the readers convert text.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["as_real", "is_finite_real", "short_repr"]


def as_real(value: Any) -> float | None:
    """``value`` as a float if it is a real number (not a bool, not text), else ``None``.

    Python and numpy integers and floats qualify; ``bool``/``numpy.bool_``, strings, ``None``,
    lists and arrays do not. NaN and infinities are returned as they are (callers check ranges).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return out


def is_finite_real(value: Any) -> bool:
    """True for a real number (see :func:`as_real`) that is finite."""
    out = as_real(value)
    return out is not None and math.isfinite(out)


def short_repr(value: Any, limit: int = 40) -> str:
    """``repr(value)`` on one line, cut to about ``limit`` characters (for echoing user input in
    one-line messages: some reprs, such as numpy's for long arrays, span several lines)."""
    text = " ".join(repr(value).split())
    if len(text) <= limit:
        return text
    size = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return f"{text[: limit - 5]}...{text[-1]}{size}"
