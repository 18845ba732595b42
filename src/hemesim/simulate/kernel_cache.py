"""The on-disk home of the generated numba kernels, verified before numba reads it.

A generated kernel module (``hemesim_kernel_<hash>.py``) lives in :func:`kernel_cache_dir`; numba
(``@njit(cache=True)``) keeps its machine code beside it in ``__pycache__`` as an index
(``*.nbi``) and data files (``*.nbc``), both pickles. numba unpickles them without a check, so a
damaged file made every later cohort fail with ``UnpicklingError`` (issue 16). Before the module
is imported, :func:`verify_numba_cache` therefore checks every cache file of the module:

* a file whose SHA-256 matches the module's manifest (``<module>.sha256.json``: file name ->
  digest of the last verified content) is accepted at once;
* any other file (new, or rewritten by numba when it added a signature, or damaged) must unpickle
  as numba would read it (the index: numba's version, then ``(stamp, overloads)``; a data file:
  one pickle), and is then recorded.

A file that fails is deleted with a :class:`~hemesim.safe_io.CacheWarning`; numba then compiles
that function again (1-2 minutes for the whole engine) and writes a fresh file. The module source
itself is compared with the generated text on every import and rewritten atomically when it
differs. An unwritable cache folder falls back to a temporary one (:func:`hemesim.safe_io.
cache_root`).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import pickle
import pickletools
import sys
import warnings
from pathlib import Path
from types import ModuleType

from hemesim.errors import SimulationError
from hemesim.safe_io import (
    CacheWarning,
    cache_root,
    fallback_cache_root,
    os_error_reason,
    write_text_atomic,
)

__all__ = ["import_kernel_module", "kernel_cache_dir", "verify_numba_cache"]


def kernel_cache_dir() -> Path:
    """Folder of the generated kernel modules (``$HEMESIM_CACHE_DIR/kernels``, or
    ``~/.cache/hemesim/kernels``; a temporary folder, with a warning, when not writable)."""
    return cache_root("kernels")


def _manifest_path(folder: Path, modname: str) -> Path:
    return folder / f"{modname}.sha256.json"


def _structurally_sound(path: Path) -> bool:
    """Does a numba cache file read as numba reads it?

    The index is unpickled (numba's version, then ``(stamp, overloads)``); a data file refers to
    the kernel module itself, which is not imported yet, so its pickle stream is walked opcode by
    opcode (:func:`pickletools.genops`) to its final ``STOP`` without building objects: a
    truncated, emptied or overwritten stream fails.
    """
    try:
        data = path.read_bytes()
        if path.suffix == ".nbi":
            stream = io.BytesIO(data)
            pickle.load(stream)  # numba's version string
            _stamp, overloads = pickle.loads(stream.read())
            return isinstance(overloads, dict)
        last = None
        end: int | None = 0
        for opcode, _arg, pos in pickletools.genops(data):
            last, end = opcode.name, pos
        return last == "STOP" and end == len(data) - 1
    except Exception:  # any failure to read the stream is a damaged file
        return False


def verify_numba_cache(folder: Path, modname: str) -> list[Path]:
    """Check numba's cache files of the module ``modname`` in ``folder``; delete damaged ones.

    Parameters
    ----------
    folder
        The folder holding ``<modname>.py`` (numba's files are in its ``__pycache__``).
    modname
        The module name (file name without ``.py``).

    Returns
    -------
    list of Path
        The files deleted (each named in a :class:`~hemesim.safe_io.CacheWarning`).
    """
    cache = folder / "__pycache__"
    manifest_path = _manifest_path(folder, modname)
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not isinstance(recorded, dict):
            recorded = {}
    except (OSError, ValueError):
        recorded = {}
    try:
        files = sorted(
            p for p in cache.glob(f"{modname}.*") if p.suffix in (".nbi", ".nbc") and p.is_file()
        )
    except OSError:
        return []
    good: dict[str, str] = {}
    removed: list[Path] = []
    for path in files:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        known = recorded.get(path.name)
        # numba rewrites an index when it adds a signature: a changed digest is re-checked
        ok = digest == known or _structurally_sound(path)
        if ok:
            good[path.name] = digest
            continue
        removed.append(path)
        with contextlib.suppress(OSError):
            path.unlink()
    if removed:
        names = ", ".join(p.name for p in removed[:3]) + (
            f" and {len(removed) - 3} more" if len(removed) > 3 else ""
        )
        warnings.warn(
            f"numba kernel cache in {str(cache)!r} was damaged ({names}); those kernels are "
            "compiled again (1-2 min)",
            CacheWarning,
            stacklevel=2,
        )
    if good != recorded:
        with contextlib.suppress(OSError):  # an unwritable cache: verification still happened
            write_text_atomic(manifest_path, json.dumps(good, indent=0, sort_keys=True))
    return removed


def import_kernel_module(name: str, source: str, folder: Path | None = None) -> ModuleType:
    """Write (when changed) and import the generated module ``name`` with text ``source``.

    The file ``<folder>/<name>.py`` is rewritten atomically only when its text differs (an
    unchanged file keeps numba's cache valid: numba keys it on the file's time and size), and
    numba's cache files of the module are verified first (:func:`verify_numba_cache`).

    Raises
    ------
    SimulationError
        The module cannot be written or imported anywhere.
    """
    folder = kernel_cache_dir() if folder is None else folder
    path = folder / f"{name}.py"
    try:
        current = path.read_text(encoding="utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError):
        current = None
    if current != source:
        try:
            write_text_atomic(path, source)
        except OSError as exc:  # e.g. a full disk: try the temporary cache folder once
            other = fallback_cache_root("kernels", folder, f"cannot be written ({exc.strerror})")
            if other is None:
                raise SimulationError(
                    f"cannot write the generated kernel module {str(path)!r} "
                    f"({os_error_reason(exc)}); set HEMESIM_CACHE_DIR to a writable folder"
                ) from None
            return import_kernel_module(name, source, other)
    verify_numba_cache(folder, name)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - importlib contract
        raise SimulationError(f"cannot import generated kernel {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
