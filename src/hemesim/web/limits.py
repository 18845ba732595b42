"""Input limits of the web app: every request is bounded in size, count and time.

The numbers are deliberately small: the server is meant for one person on their own machine
(``hemesim serve`` binds 127.0.0.1), not for a shared service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_LIMITS", "Limits", "model_max_hours"]


def model_max_hours() -> float:
    """Longest run the model allows (h): the upper end of ``maturation.duration``'s range.

    The simulate stage refuses a run past the end of maturation, and the model stage refuses a
    maturation longer than this (:data:`hemesim.model.definition.RANGES`), so a longer web cap
    would promise what the model never does.
    """
    from hemesim.model.definition import RANGES

    return float(RANGES["maturation_duration"][1])


@dataclass(frozen=True)
class Limits:
    """Caps applied to every request.

    Attributes
    ----------
    max_hgvs_chars
        Longest accepted HGVS string (characters).
    max_upload_bytes
        Largest accepted uploaded file (bytes); PED files of real families are a few kB.
    max_ped_individuals
        Most members accepted in one pedigree (exact X-linked likelihoods grow with family size).
    max_cohort_size
        Most virtual individuals per cohort request.
    max_points
        Most time points per simulated time course.
    max_until_h
        Longest simulated time course (hours); by default the longest maturation the model
        allows (:func:`model_max_hours`, 96 h). A run also stops at the end of the maturation in
        force (``maturation.duration``, 72 h unless overridden); the model stage says so.
    compute_timeout_s
        Wall-clock limit for one computation (seconds); longer requests get a 422.
    max_pending
        Most computations waiting for the (single) model worker; more get a 429.
    max_cohort_jobs
        Most cohort jobs remembered by the server (the oldest finished job is dropped first).
    header_timeout_s
        Longest time a client may take to send a request line and headers (seconds); the
        connection is closed after it (``hemesim serve``).
    body_timeout_s
        Longest time a request body may take to arrive, from the request's start (seconds);
        408 after it.
    """

    max_hgvs_chars: int = 200
    max_upload_bytes: int = 256 * 1024
    max_ped_individuals: int = 200
    max_cohort_size: int = 2000
    max_points: int = 2000
    max_until_h: float = field(default_factory=model_max_hours)
    compute_timeout_s: float = 60.0
    max_pending: int = 16
    max_cohort_jobs: int = 8
    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0


DEFAULT_LIMITS = Limits()
