"""LINKAGE/PLINK ``.ped`` pedigree files: :func:`read_ped`, :func:`write_ped`, :func:`validate_ped`.

Format
------
One individual per line, fields separated by spaces or tabs::

    FID IID PID MID SEX PHEN [extra columns...]

``PID``/``MID`` are the father's and mother's ids, ``0`` when unknown (both or neither). ``SEX`` is
``1``, ``M`` or ``male`` for a man and ``2``, ``F`` or ``female`` for a woman (any case; X-linked
risk needs the sex, so ``0`` is refused). ``PHEN`` is ``1`` unaffected, ``2`` affected, ``0``,
``-9`` or ``.`` unknown. Every field is at most :data:`MAX_FIELD_LENGTH` (100) characters: ids
are names, not documents, and an over-long field is reported without being echoed.

Files are UTF-8; a leading byte-order mark (as some Windows editors write) is ignored. A path
ending in ``.json`` is read as a pedigreejs dataset (:mod:`hemesim.genetics.pedigreejs`), so
every caller of :func:`read_ped` accepts both formats.

Extra columns must be named in a header line that starts with ``#`` and lists every column, e.g.::

    #fid iid pid mid sex phen carrier_test sensitivity specificity genotype deceased proband

Known extra columns: ``carrier_test`` (``positive``/``negative``), ``sensitivity`` and
``specificity`` (probabilities of the carrier test; missing means 1), ``genotype`` (``N``/``A``
males, ``NN``/``NA``/``AA`` females), ``deceased`` and ``proband`` (``1``/``0``, ``yes``/``no``,
``true``/``false``). Free-text columns are named with the prefix ``x_`` (``x_note``, ``x_hpo``)
and kept as text so the file round-trips; any other column name is an error naming it and
listing the known ones (a misspelt ``carier_test`` would otherwise be kept as text while the
test result is lost). ``.`` marks a missing value in an extra column. A ``#`` line is the
header when its first six words name the standard columns (aliases such as ``family id father
mother sex affected`` are accepted) and it comes before the first individual; any other ``#``
line is a comment.

The reader/writer pair is symmetric (``read_ped(write_ped(p)) == p``); :func:`validate_ped`
returns every problem as a list of one-line strings instead of raising.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hemesim.errors import PedigreeError
from hemesim.genetics._checks import short_repr
from hemesim.genetics.pedigree import (
    EXTRA_PREFIX,
    MAX_FIELD_LENGTH,
    OBSERVATION_COLUMNS,
    STANDARD_COLUMNS,
    TEXT_COLUMNS,
    Individual,
    Pedigree,
    structure_problems,
)
from hemesim.safe_io import (
    MAX_PEDIGREE_FILE_BYTES,
    InputFileError,
    read_input_bytes,
    write_text_atomic,
)

__all__ = ["MAX_FIELD_LENGTH", "parse_ped", "read_ped", "read_text", "validate_ped", "write_ped"]

_BOM = "\ufeff"

_STANDARD = STANDARD_COLUMNS
_ALIASES = {
    "fid": "fid", "family": "fid", "famid": "fid", "family_id": "fid",
    "iid": "iid", "id": "iid", "individual": "iid", "individual_id": "iid",
    "pid": "pid", "father": "pid", "pat": "pid", "paternal_id": "pid", "dad": "pid",
    "mid": "mid", "mother": "mid", "mat": "mid", "maternal_id": "mid", "mom": "mid",
    "sex": "sex",
    "phen": "phen", "pheno": "phen", "phenotype": "phen", "affected": "phen", "status": "phen",
}  # fmt: skip
_KNOWN_EXTRA = OBSERVATION_COLUMNS
_MISSING = "."
_TRUE = {"1", "yes", "y", "true", "t"}
_FALSE = {"0", "no", "n", "false", "f"}


def _path(source: Any) -> Path:
    """``source`` as a :class:`~pathlib.Path`, or a one-line error saying what a path is."""
    try:
        name = os.fspath(source)
    except TypeError:
        name = None
    if not isinstance(name, str):
        hint = (
            "; pass the text to parse_ped, or decode a bytes path"
            if isinstance(source, bytes)
            else ""
        )
        raise PedigreeError(
            f"pedigree file {short_repr(source)}: expected a path (str or os.PathLike) of a .ped "
            f"or pedigreejs .json file{hint}"
        )
    if not name:
        raise PedigreeError("pedigree file '': the path is empty; expected a .ped or .json file")
    return Path(name)


def read_text(source: str | os.PathLike[str]) -> str:
    """The text of a pedigree file (UTF-8, a leading byte-order mark removed).

    Parameters
    ----------
    source
        Path of the file, a ``str`` or an ``os.PathLike`` (e.g. :class:`~pathlib.Path`).

    Raises
    ------
    PedigreeError
        One line naming the file and the reason: not a path (``None``, a number, bytes, a
        list...), not found, a folder, a FIFO or a device (``/dev/zero``), larger than
        :data:`hemesim.safe_io.MAX_PEDIGREE_FILE_BYTES` (16 MiB), no permission, any other read
        error of the operating system, or bytes that are not UTF-8.
    """
    path = _path(source)
    try:
        data = read_input_bytes(path, MAX_PEDIGREE_FILE_BYTES, "pedigree file")
    except InputFileError as exc:  # a FIFO, a device (/dev/zero), or too large
        raise PedigreeError(str(exc)) from None
    except FileNotFoundError:
        raise PedigreeError(f"pedigree file {str(path)!r}: not found") from None
    except IsADirectoryError:
        raise PedigreeError(f"pedigree file {str(path)!r}: is a folder; expected a file") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PedigreeError(f"pedigree file {str(path)!r}: cannot be read ({reason})") from None
    except ValueError as exc:  # e.g. an embedded NUL character in the path
        raise PedigreeError(
            f"pedigree file {short_repr(str(path))}: not a valid path ({exc})"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PedigreeError(
            f"pedigree file {str(path)!r}: not UTF-8 text (byte {data[exc.start]:#04x} at "
            f"offset {exc.start}); save it as UTF-8 text"
        ) from None
    return text.removeprefix(_BOM)


def _parse(text: str) -> tuple[list[Individual], list[str]]:
    """Parse PED text into individuals plus a list of line-level problems."""
    problems: list[str] = []
    individuals: list[Individual] = []
    columns: list[str] | None = None
    for lineno, raw in enumerate(text.removeprefix(_BOM).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            names = line.lstrip("#").split()
            if columns is None and not individuals and _is_header(names):
                columns, bad = _header(names, lineno)
                problems.extend(bad)
            continue
        fields = line.split()
        want = len(columns) if columns is not None else 6
        if len(fields) != want:
            if columns is None and len(fields) > 6:
                problems.append(
                    f"line {lineno}: {len(fields)} fields but no '#' header names the columns "
                    "after the first six; add e.g. '#fid iid pid mid sex phen carrier_test'"
                )
            else:
                problems.append(
                    f"line {lineno}: {len(fields)} fields, expected {want} "
                    f"({' '.join(columns or _STANDARD)})"
                )
            continue
        long = [
            n
            for n, v in zip(columns or _STANDARD, fields, strict=True)
            if len(v) > MAX_FIELD_LENGTH
        ]
        if long:
            problems.append(
                f"line {lineno}: field {long[0]} is longer than {MAX_FIELD_LENGTH} characters; "
                "shorten the ids (a PED field is a short name)"
            )
            continue
        ind, bad = _individual(dict(zip(columns or _STANDARD, fields, strict=True)), lineno)
        problems.extend(bad)
        if ind is not None:
            individuals.append(ind)
    if not individuals and not problems:
        problems.append("pedigree: no individuals; expected lines 'FID IID PID MID SEX PHEN'")
    return individuals, problems


def _is_header(names: list[str]) -> bool:
    """A '#' line is the header when its first six words name the six standard columns."""
    std = [_ALIASES.get(n.lower()) for n in names[:6]]
    return len(names) >= 6 and std == list(_STANDARD)


def _header(names: list[str], lineno: int) -> tuple[list[str], list[str]]:
    cols = [n.lower() for n in names]
    problems = []
    rest = cols[6:]
    dup = sorted({c for c in rest if rest.count(c) > 1 or c in _STANDARD})
    if dup:
        problems.append(f"line {lineno}: header repeats column(s) {', '.join(dup)}")
    known = (*_KNOWN_EXTRA, *TEXT_COLUMNS)
    for name in dict.fromkeys(rest):
        if name in known or name in _STANDARD or name.startswith(EXTRA_PREFIX):
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}? " if close else ""
        problems.append(
            f"line {lineno}: unknown column {short_repr(name)}; {hint}known columns: "
            f"{', '.join(known)}; free-text columns must start with '{EXTRA_PREFIX}' "
            f"(e.g. {EXTRA_PREFIX}note)"
        )
    return list(_STANDARD) + rest, problems


def _individual(row: dict[str, str], lineno: int) -> tuple[Individual | None, list[str]]:
    problems: list[str] = []
    iid = row["iid"]
    where = f"line {lineno}, individual {iid!r}"
    if iid in ("0", _MISSING):
        return None, [f"line {lineno}: individual id {iid!r} is reserved for 'unknown parent'"]
    sex_text = row["sex"].lower()
    sex: str
    if sex_text in ("1", "m", "male"):
        sex = "male"
    elif sex_text in ("2", "f", "female"):
        sex = "female"
    else:
        problems.append(
            f"{where}: sex {row['sex']!r} must be 1, M or male (a man) or 2, F or female "
            "(a woman), in any case; X-linked risk needs every sex"
        )
        sex = "male"
    phen = row["phen"]
    affected: bool | None
    if phen == "2":
        affected = True
    elif phen == "1":
        affected = False
    elif phen in ("0", "-9", _MISSING):
        affected = None
    else:
        problems.append(f"{where}: phenotype {phen!r} must be 1, 2, 0, -9 or '.'")
        affected = None

    def parent(value: str) -> str | None:
        return None if value in ("0", _MISSING) else value

    values: dict[str, object] = {}
    extra: list[tuple[str, str]] = []
    for name, value in row.items():
        if name in _STANDARD:
            continue
        if name not in _KNOWN_EXTRA:
            extra.append((name, value))
            continue
        if value == _MISSING:
            continue
        if name == "carrier_test":
            low = value.lower()
            if low in ("positive", "pos", "+"):
                values[name] = "positive"
            elif low in ("negative", "neg", "-"):
                values[name] = "negative"
            else:
                problems.append(
                    f"{where}: carrier_test {value!r} must be positive, negative or '.'"
                )
        elif name in ("sensitivity", "specificity"):
            try:
                values[name] = float(value)
            except ValueError:
                problems.append(f"{where}: {name} {value!r} is not a number in (0, 1]")
        elif name == "genotype":
            values[name] = value.upper()
        else:  # deceased, proband
            low = value.lower()
            if low in _TRUE:
                values[name] = True
            elif low in _FALSE:
                values[name] = False
            else:
                problems.append(f"{where}: {name} {value!r} must be 1/0, yes/no or true/false")
    if problems:
        return None, problems
    ind = Individual(
        id=iid,
        sex=sex,  # type: ignore[arg-type]
        father=parent(row["pid"]),
        mother=parent(row["mid"]),
        family=row["fid"],
        affected=affected,
        extra=tuple(extra),
        line=lineno,
        **values,  # type: ignore[arg-type]
    )
    return ind, []


def _check_text(text: Any) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        raise PedigreeError(
            "PED text is bytes; decode it first (text.decode('utf-8')) or read the file with "
            "read_ped"
        )
    raise PedigreeError(
        f"PED text {short_repr(text)}: expected the contents of a PED file as one str "
        "(lines 'FID IID PID MID SEX PHEN'); read a file with read_ped"
    )


def parse_ped(text: str) -> Pedigree:
    """Parse PED text (not a path) into a :class:`~hemesim.genetics.pedigree.Pedigree`.

    Parameters
    ----------
    text
        The contents of a PED file, one ``str`` (a leading byte-order mark is ignored).

    Returns
    -------
    Pedigree
        The validated pedigree (individuals in file order, with line numbers).

    Raises
    ------
    PedigreeError
        With the first problem found (one line), as listed by :func:`validate_ped`; also when
        ``text`` is not a ``str`` (bytes, ``None``, a list of lines...).
    """
    individuals, problems = _parse(_check_text(text))
    if not problems:
        problems = structure_problems(individuals)
    if problems:
        extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise PedigreeError(problems[0] + extra)
    return Pedigree(individuals)


def read_ped(source: str | os.PathLike[str]) -> Pedigree:
    """Read a ``.ped`` file (or a pedigreejs ``.json`` file).

    Parameters
    ----------
    source
        Path of the file. A name ending in ``.json`` (any case) is read with
        :func:`hemesim.genetics.pedigreejs.read_pedigreejs`, so the CLI's ``risk`` and the
        report accept the same two formats.

    Returns
    -------
    Pedigree
        The validated pedigree (individuals in file order, with line numbers).

    Raises
    ------
    PedigreeError
        On the first format or structure problem (one line naming line, individual and rule),
        and when ``source`` is not a path.
    """
    path = _path(source)
    if path.name.lower().endswith(".json"):
        from hemesim.genetics.pedigreejs import read_pedigreejs

        return read_pedigreejs(path)
    return parse_ped(read_text(path))


def validate_ped(source: str | os.PathLike[str]) -> list[str]:
    """Check a ``.ped`` file without raising.

    Parameters
    ----------
    source
        Path of the file. A name ending in ``.json`` is checked as a pedigreejs dataset, as
        :func:`read_ped` reads it (its first problem is listed).

    Returns
    -------
    list of str
        Every problem found, one line each; empty when the file is valid.

    Raises
    ------
    PedigreeError
        Only when ``source`` is not a path at all (``None``, a number, bytes, a list...).
    """
    path = _path(source)
    if path.name.lower().endswith(".json"):
        from hemesim.genetics.pedigreejs import read_pedigreejs

        try:
            read_pedigreejs(path)
        except PedigreeError as exc:
            return [str(exc)]
        return []
    try:
        text = read_text(path)
    except PedigreeError as exc:
        return [str(exc)]
    individuals, problems = _parse(text)
    return problems + structure_problems(individuals)


def _fmt_float(x: float) -> str:
    return repr(float(x))


def _check_token(value: str, what: str, ind: Individual, *, first: bool = False) -> str:
    """A safety net: the value is one PED field as the reader splits lines (a validated
    :class:`Pedigree` never fails it)."""
    if (
        not isinstance(value, str)
        or not value
        or any(c.isspace() for c in value)
        or len(value) > MAX_FIELD_LENGTH
        or (first and value.startswith(("#", _BOM)))
    ):
        raise PedigreeError(
            f"{ind.label}: {what} {short_repr(value)} cannot be written to PED (must be a "
            f"non-empty text of at most {MAX_FIELD_LENGTH} characters without spaces"
            f"{', not starting with #' if first else ''})"
        )
    return value


def _members(pedigree: Any) -> Pedigree:
    """The pedigree to write: a :class:`Pedigree`, or a sequence validated as one."""
    if isinstance(pedigree, Pedigree):
        return pedigree
    if isinstance(pedigree, (str, bytes, Individual)) or not isinstance(pedigree, Iterable):
        raise PedigreeError(
            f"write_ped: pedigree {short_repr(pedigree)}: expected a Pedigree or a list of "
            "Individual"
        )
    members = list(pedigree)
    if not members:
        raise PedigreeError(
            "write_ped: no individuals to write; a PED file needs at least one individual "
            "(read_ped refuses an empty file)"
        )
    return Pedigree(members)


def write_ped(
    pedigree: Pedigree | Iterable[Individual], dest: str | os.PathLike[str] | None = None
) -> str:
    """Write a pedigree as PED text, with a ``#`` header when extra columns are needed.

    ``parse_ped(write_ped(p)) == p`` for every :class:`Pedigree` ``p`` (and ``read_ped`` of the
    written file).

    Parameters
    ----------
    pedigree
        The pedigree, or a list of individuals (validated as :class:`Pedigree` does, so what is
        written can be read back).
    dest
        Optional path to write to.

    Returns
    -------
    str
        The PED text (also written to ``dest`` when given).

    Raises
    ------
    PedigreeError
        For anything that is not a pedigree or a list of individuals, for an empty list, for a
        list that breaks a pedigree rule (the first problem), or when ``dest`` cannot be written.
    """
    members = list(_members(pedigree))
    target = None if dest is None else _path(dest)
    used = [
        name
        for name in _KNOWN_EXTRA
        if any(getattr(ind, name) not in (None, False) for ind in members)
    ]
    other: list[str] = []
    for ind in members:
        for name, _ in ind.extra:
            if name not in other:
                other.append(name)
    columns = list(_STANDARD) + used + other
    lines = []
    if used or other:
        lines.append("#" + "\t".join(columns))
    for ind in members:
        extra = dict(ind.extra)
        row = [
            _check_token(ind.family, "family id", ind, first=True),
            _check_token(ind.id, "id", ind),
            "0" if ind.father is None else _check_token(ind.father, "father", ind),
            "0" if ind.mother is None else _check_token(ind.mother, "mother", ind),
            "1" if ind.sex == "male" else "2",
            {True: "2", False: "1", None: "0"}[ind.affected],
        ]
        for name in used:
            value = getattr(ind, name)
            if value is None:
                row.append(_MISSING)
            elif isinstance(value, bool):
                row.append("1" if value else "0")
            elif isinstance(value, float):
                row.append(_fmt_float(value))
            else:
                row.append(str(value))
        for name in other:
            row.append(_check_token(extra.get(name, _MISSING), f"column {name}", ind))
        lines.append("\t".join(row))
    text = "\n".join(lines) + "\n"
    if target is not None:
        try:
            write_text_atomic(target, text)
        except (OSError, ValueError) as exc:  # ValueError: e.g. a NUL character in the path
            raise PedigreeError(f"pedigree file {str(dest)!r}: cannot be written ({exc})") from None
    return text
