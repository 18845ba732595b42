"""JSON-safe values from hemesim results: one converter shared by the CLI (--json) and the web API.

Results expose ``to_dict()``; this module also converts numpy scalars/arrays and replaces
non-finite floats with ``None`` (JSON has no NaN).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["jsonable"]


def jsonable(obj: Any) -> Any:
    """Return ``obj`` as plain JSON values (dict, list, str, int, float, bool, None).

    Parameters
    ----------
    obj
        A result object with ``to_dict()``, a dataclass-like dict, a list, or a numpy value.

    Returns
    -------
    Any
        A structure that :func:`json.dumps` accepts with ``allow_nan=False``.
    """
    if hasattr(obj, "to_dict") and not isinstance(obj, dict | type):
        return jsonable(obj.to_dict())
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):
        return jsonable(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
