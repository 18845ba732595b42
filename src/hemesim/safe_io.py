"""Files never left half-written or silently wrong: atomic writes, verified caches, inputs.

Outputs
-------
:func:`atomic_output` yields a temporary path next to the target; the caller writes it, and only
when the writer returns is the file flushed to disk (``fsync``), renamed over the target
(``os.replace``, atomic on POSIX) and the folder entry synced. On any error the temporary file is
removed and the target is untouched: a reader sees the old file or the complete new one, never a
truncated one. :func:`write_bytes_atomic` and :func:`write_text_atomic` are the one-call forms.
:func:`os_error_reason` names a full disk as such (``ENOSPC``, ``EDQUOT``, ``EFBIG``).

Caches
------
:func:`cache_root` is ``$HEMESIM_CACHE_DIR`` (or ``~/.cache/hemesim``); when it cannot be
created or written (read-only or full home), a private folder under the system's temporary
folder is used instead, with one warning. :func:`cache_get` / :func:`cache_put` store entries
content-addressed: the file name carries the SHA-256 of the content, which is checked on every
read; an entry that does not match (tampered, truncated, empty) is removed with a warning and the
caller rebuilds it.

Inputs
------
:func:`read_input_bytes` reads an input file only when it is a regular file (a FIFO, a device
such as ``/dev/zero`` or a socket is refused before any read) of at most a given size.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

__all__ = [
    "DISK_FULL_ERRNOS",
    "CacheWarning",
    "InputFileError",
    "JSONInputError",
    "MAX_JSON_DEPTH",
    "MAX_JSON_INT_DIGITS",
    "MAX_PEDIGREE_FILE_BYTES",
    "MAX_VARIANT_FILE_BYTES",
    "atomic_output",
    "cache_get",
    "cache_put",
    "cache_root",
    "fallback_cache_root",
    "csv_cell",
    "csv_safe",
    "fsync_folder",
    "load_json",
    "os_error_reason",
    "read_input_bytes",
    "write_bytes_atomic",
    "write_text_atomic",
]

#: errno values that mean "no room left" (disk full, quota exceeded, file size limit)
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class CacheWarning(UserWarning):
    """A cache entry was rebuilt (it did not match its checksum) or the cache folder moved."""


class InputFileError(ValueError):
    """An input path that is not a regular file of an acceptable size (message: one line)."""


def os_error_reason(exc: BaseException) -> str:
    """The reason of a failed read or write in words; a full disk is named as such.

    Examples
    --------
    >>> os_error_reason(OSError(errno.ENOSPC, "No space left on device"))
    'the disk is full (No space left on device); free some space or choose another folder'
    """
    if isinstance(exc, OSError):
        text = exc.strerror or str(exc) or type(exc).__name__
        if exc.errno in DISK_FULL_ERRNOS:
            return f"the disk is full ({text}); free some space or choose another folder"
        return text
    return str(exc) or type(exc).__name__


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_UMASK_LOCK = threading.Lock()


def _set_mode(tmp: Path, target: Path) -> None:
    """Give the temporary file the mode a plainly created file would have: the target's mode
    when it exists, else 0o666 minus the umask (``mkstemp`` creates files as 0o600)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        with _UMASK_LOCK:
            mask = os.umask(0o022)
            os.umask(mask)
        mode = 0o666 & ~mask
    with suppress(OSError):
        os.chmod(tmp, mode)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it over ``path`` atomically.

    The temporary name keeps the suffix of ``path`` (writers such as matplotlib choose the
    format by it) and starts with a dot. After the ``with`` body: ``fsync`` of the file, an
    empty result is refused as an incomplete write, ``os.replace`` onto ``path`` and ``fsync``
    of the folder. On any exception (or an empty file) the temporary file is removed and
    ``path`` is left as it was.

    Raises
    ------
    OSError
        From the writer, ``fsync`` or the rename (``ENOSPC`` when the disk is full; see
        :func:`os_error_reason`). An empty file left by a writer that ignored a write error
        raises ``OSError(ENOSPC)`` when the disk has no free blocks, else ``OSError(EIO)``.
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name[:80]}.", suffix=f".tmp{target.suffix}", dir=target.parent or "."
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync_file(tmp)
        if tmp.stat().st_size == 0:
            raise _empty_write_error(tmp)
        _set_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(target.parent)


def _empty_write_error(tmp: Path) -> OSError:
    """An empty output is a failed write; say why when the file system is full."""
    try:
        st = os.statvfs(tmp.parent)
        full = st.f_bavail == 0
    except (OSError, AttributeError):
        full = False
    if full:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return OSError(errno.EIO, "the writer produced an empty file")


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`); returns the path.

    Empty ``data`` is written too (an empty file is then the intended content).
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name[:80]}.", suffix=f".tmp{target.suffix}", dir=target.parent or "."
    )
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _set_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(target.parent)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8 by default); returns the path."""
    return write_bytes_atomic(path, text.encode(encoding))


# --------------------------------------------------------------------------------------- caches
_FALLBACK_LOCK = threading.Lock()
_WARNED: set[str] = set()


def _warn_once(key: str, message: str) -> None:
    with _FALLBACK_LOCK:
        if key in _WARNED:
            return
        _WARNED.add(key)
    warnings.warn(message, CacheWarning, stacklevel=3)


def _writable_folder(folder: Path) -> bool:
    """Can files be created (and removed) in ``folder``? Creates it when missing."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".probe.", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError:
        return False
    return True


def cache_root(sub: str = "") -> Path:
    """The cache folder (``$HEMESIM_CACHE_DIR`` or ``~/.cache/hemesim``), joined with ``sub``.

    When that folder cannot be created or written (read-only or full home, no permission), a
    folder ``hemesim-cache-<uid>`` under the system's temporary folder is used instead and a
    :class:`CacheWarning` says so once per process. When neither is writable the preferred
    folder is returned; cache writes then fail and are skipped (caches are an optimisation).
    """
    base = os.environ.get("HEMESIM_CACHE_DIR") or str(Path.home() / ".cache" / "hemesim")
    preferred = Path(base) / sub if sub else Path(base)
    if _writable_folder(preferred):
        return preferred
    return fallback_cache_root(sub, preferred) or preferred


def fallback_cache_root(sub: str, preferred: Path, reason: str = "is not writable") -> Path | None:
    """The temporary cache folder ``<tmp>/hemesim-cache-<uid>/<sub>`` (with one warning that
    ``preferred`` ``reason``), or ``None`` when it cannot be written either."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    fallback = Path(tempfile.gettempdir()) / f"hemesim-cache-{uid}"
    fallback = fallback / sub if sub else fallback
    if fallback == preferred or not _writable_folder(fallback):
        return None
    _warn_once(
        f"root:{preferred}",
        f"cache folder {str(preferred)!r} {reason}; using {str(fallback)!r} for this run (set "
        "HEMESIM_CACHE_DIR to a writable folder to keep the cache)",
    )
    return fallback


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_get(folder: Path, key: str, suffix: str = "") -> bytes | None:
    """A verified cache entry ``<key>.<sha256 of content><suffix>`` in ``folder``, or ``None``.

    Every candidate is read and hashed; one whose content does not match the hash in its name
    (edited, truncated, empty) is deleted and a :class:`CacheWarning` names it; the caller then
    rebuilds the entry.
    """
    try:
        candidates = sorted(folder.glob(f"{key}.*{suffix}"))
    except OSError:
        return None
    for path in candidates:
        stem = path.name[len(key) + 1 : len(path.name) - len(suffix) if suffix else None]
        if len(stem) != 64 or any(c not in "0123456789abcdef" for c in stem):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if _digest(data) == stem:
            return data
        warnings.warn(
            f"cache entry {str(path)!r} does not match its checksum (edited, truncated or "
            "empty); rebuilding it",
            CacheWarning,
            stacklevel=2,
        )
        with suppress(OSError):
            path.unlink()
    return None


def cache_put(folder: Path, key: str, data: bytes, suffix: str = "") -> Path | None:
    """Store ``data`` as ``<key>.<sha256><suffix>`` in ``folder``, atomically.

    Returns the path, or ``None`` (with a :class:`CacheWarning`) when it cannot be written: a
    cache is an optimisation and never stops a run.
    """
    path = folder / f"{key}.{_digest(data)}{suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    except OSError as exc:
        _warn_once(
            f"put:{folder}",
            f"cannot write the cache in {str(folder)!r} ({os_error_reason(exc)}); continuing "
            "without it",
        )
        return None
    return path


# --------------------------------------------------------------------------------------- inputs
#: largest pedigree file read (PED or pedigreejs JSON), bytes: a family of 10^4 people is < 1 MiB
MAX_PEDIGREE_FILE_BYTES = 16 << 20
#: largest variant list or VCF read, bytes (10^5 VCF lines with long INFO fields fit)
MAX_VARIANT_FILE_BYTES = 256 << 20


def read_input_bytes(
    path: str | os.PathLike[str], max_bytes: int, what: str = "input file"
) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, else a one-line error.

    FIFOs, character and block devices (``/dev/zero``, a terminal) and sockets are refused
    before anything is read (a FIFO would block and a device never ends); the size is checked
    from ``stat`` and again while reading (a file growing under us).

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError, OSError
        From the operating system (callers turn them into their own one-line errors).
    InputFileError
        Not a regular file, or larger than ``max_bytes``.
    """
    p = Path(path)
    st = os.stat(p)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(p))
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "not a regular file"
        )
        raise InputFileError(f"{what} {str(p)!r} is {kind}; expected a regular file")
    limit = _limit_text(max_bytes)
    if st.st_size > max_bytes:
        raise InputFileError(
            f"{what} {str(p)!r} is {st.st_size:,} bytes; at most {limit} are read (split it)"
        )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(p, flags)  # O_NONBLOCK: a FIFO swapped in after stat cannot block us
    try:
        st2 = os.fstat(fd)
        if not stat.S_ISREG(st2.st_mode):
            raise InputFileError(f"{what} {str(p)!r} is not a regular file; expected a file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputFileError(f"{what} {str(p)!r} is larger than {limit}; split it")
    return data


def _limit_text(n: int) -> str:
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MiB"
    return f"{n:,} bytes"


# ------------------------------------------------------------------------------------ CSV cells
#: first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell made safe for spreadsheets; other values unchanged.

    OWASP's rule for CSV injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading single quote, so a spreadsheet shows the text
    instead of evaluating it (``=cmd|' /C calc'!A0`` -> ``'=cmd|' /C calc'!A0``). Numbers
    (``-0.5`` as a float) are not text and stay numbers; the CSV writer then quotes cells
    containing the separator or quotes as usual.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_safe(table: Any) -> Any:
    """A copy of a pandas DataFrame whose text cells pass through :func:`csv_cell`."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(csv_cell)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out


# ------------------------------------------------------------------------------------------ JSON
#: deepest nesting of arrays/objects accepted in a JSON input (a pedigreejs dataset is 3 deep)
MAX_JSON_DEPTH = 64
#: longest integer literal accepted in a JSON input (Python refuses > 4300 digits with an error
#: that escaped as a traceback / HTTP 500)
MAX_JSON_INT_DIGITS = 100


class JSONInputError(ValueError):
    """JSON input that is not valid, too deep or holds an over-long number (one-line message)."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise JSONInputError(
            f"an integer of {len(text.lstrip('-')):,} digits; at most {MAX_JSON_INT_DIGITS} "
            "are accepted"
        )
    return int(text)


def _reject_constant(name: str) -> Any:
    raise JSONInputError(f"{name} is not JSON; expected a number")


def load_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Decode JSON input with bounds, or raise :class:`JSONInputError` with a one-line reason.

    Refused: invalid JSON (line and message), nesting deeper than ``max_depth`` (the decoder's
    own recursion limit included), integers longer than :data:`MAX_JSON_INT_DIGITS` digits, and
    ``NaN``/``Infinity`` (not JSON).
    """
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JSONInputError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise JSONInputError(
            f"nested too deeply; at most {max_depth} levels are accepted"
        ) from None
    depth = _max_depth(data)
    if depth > max_depth:
        raise JSONInputError(f"nested {depth} levels deep; at most {max_depth} are accepted")
    return data


def _max_depth(data: Any) -> int:
    """Deepest array/object nesting of decoded JSON (iterative: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest
