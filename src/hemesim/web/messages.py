"""One-line error messages of the web layer (shared by the app, the API modules and cohort jobs)."""

from __future__ import annotations

__all__ = ["first_line"]


def first_line(exc: BaseException) -> str:
    """The first non-blank line of an exception's message, or its class name when it has none.

    Parameters
    ----------
    exc
        Usually a :class:`~hemesim.errors.HemesimError`, whose message is one line by convention.

    Returns
    -------
    str
        Never empty: ``HemesimError("")`` gives ``"HemesimError"``.
    """
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__
