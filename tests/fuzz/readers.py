"""The readers under fuzzing, each wrapped to report one outcome per input.

Outcomes: ``ok`` (accepted, and the acceptance passed its check), ``clean`` (refused with the
reader's documented error: a :class:`~hemesim.errors.HemesimError`, or pydantic's validation
error for web bodies, with a one-line message), ``wrong`` (accepted although the check says it
should not have been, or an error message of several lines), ``crash`` (any other exception).
A ``hang`` is an input that takes longer than :data:`HANG_S` seconds.

Acceptance checks (what "wrong success" means per reader):

* PED text and pedigreejs JSON: the pedigree written back (``write_ped``) reads back equal;
* variant lines and VCF: the batch has one row per non-comment line, each a report or a
  one-line error;
* HGVS: accepted text is printable ASCII (no non-ASCII digit read as a position);
* ``--set``: the value is ASCII and ``float(value)`` equals the parsed number;
* web JSON bodies: the parsed model dumps to the same JSON types (integers stay integers).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from hemesim.errors import HemesimError

HANG_S = 5.0


def _one_line(exc: BaseException) -> bool:
    return "\n" not in str(exc)


def ped(text: str) -> str:
    from hemesim.genetics.ped import parse_ped, write_ped

    try:
        pedigree = parse_ped(text)
    except HemesimError as exc:
        return "clean" if _one_line(exc) else "wrong"
    return "ok" if parse_ped(write_ped(pedigree)) == pedigree else "wrong"


def pedigreejs(text: str) -> str:
    from hemesim.genetics.ped import parse_ped, write_ped
    from hemesim.genetics.pedigreejs import from_pedigreejs
    from hemesim.safe_io import JSONInputError, load_json

    try:
        pedigree = from_pedigreejs(load_json(text))
    except JSONInputError:
        return "clean"
    except HemesimError as exc:
        return "clean" if _one_line(exc) else "wrong"
    return "ok" if parse_ped(write_ped(pedigree)) == pedigree else "wrong"


def variant_lines(text: str) -> str:
    from hemesim.variants.batch import interpret_lines, read_entries

    try:
        entries, _skipped = read_entries(text)
        result = interpret_lines(entries)
    except HemesimError as exc:
        return "clean" if _one_line(exc) else "wrong"
    rows_ok = all(
        (row.report is None) != (row.error is None) and "\n" not in (row.error or "")
        for row in result.rows
    )
    if not rows_ok or len(result.rows) != len(entries):
        return "wrong"
    return "ok" if any(row.report is not None for row in result.rows) else "clean"


def hgvs(text: str) -> str:
    from hemesim.variants.parse import parse

    try:
        parse(text)
    except HemesimError as exc:
        return "clean" if _one_line(exc) else "wrong"
    stripped = text.strip()
    return "ok" if stripped.isascii() and stripped.isprintable() else "wrong"


def set_option(item: str) -> str:
    from hemesim.cli._common import parse_assignments

    try:
        parsed = parse_assignments([item])
    except HemesimError as exc:
        return "clean" if _one_line(exc) else "wrong"
    (value,) = parsed.values()
    raw = item.partition("=")[2]
    same = math.isnan(value) and math.isnan(float(raw)) or float(raw) == value
    return "ok" if raw.strip().isascii() and same else "wrong"


def web_body(text: str) -> str:
    from hemesim.web.api.cohort import CohortRequest
    from hemesim.web.api.model import SimulateRequest

    outcomes = []
    for model in (CohortRequest, SimulateRequest):
        try:
            parsed = model.model_validate_json(text)
        except ValidationError:
            outcomes.append("clean")
            continue
        except HemesimError as exc:
            outcomes.append("clean" if _one_line(exc) else "wrong")
            continue
        dumped = json.loads(parsed.model_dump_json())
        given = json.loads(text)
        typed = all(
            type(dumped[k]) is type(v)
            or isinstance(v, int | float)
            and isinstance(dumped[k], float)
            for k, v in given.items()
            if k in dumped and v is not None and not isinstance(v, str)
        )
        outcomes.append("ok" if typed else "wrong")
    return "ok" if "ok" in outcomes else outcomes[0]


READERS: dict[str, Callable[[str], str]] = {
    "ped": ped,
    "pedigreejs": pedigreejs,
    "variant_lines": variant_lines,
    "hgvs": hgvs,
    "set": set_option,
    "web_body": web_body,
}


def run(reader: Callable[[str], str], text: str) -> str:
    """The outcome of one input (``crash`` for an unexpected exception, ``hang`` if slow)."""
    start = time.perf_counter()
    try:
        outcome = reader(text)
    except Exception:  # the fuzzer's finding: anything but the documented error
        outcome = "crash"
    if time.perf_counter() - start > HANG_S:
        return "hang"
    return outcome


def tally(outcomes: list[str]) -> dict[str, Any]:
    """Counts per outcome, in the order of the docs' table."""
    keys = ("ok", "clean", "wrong", "crash", "hang")
    return {"tried": len(outcomes), **{k: outcomes.count(k) for k in keys}}
