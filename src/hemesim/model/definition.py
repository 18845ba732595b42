"""The pathway model as data: Antimony equations + a parameter table, converted to SBML once.

A :class:`ModelDefinition` joins the Antimony text (``<name>.ant``, the equations) with its
parameter table (``parameters.csv``: ``name,value,unit,source,kind,note``), inserts the table's
values at the ``// @parameters`` marker, and converts the result to SBML Level 3 with libAntimony.
Antimony keeps process-wide state, so the conversion runs once per process, under a lock, and the
SBML text is cached (``../shared/style.md``).

Parameter names in the table use dots (``ALAS2.kcat``); the Antimony/SBML id replaces each dot by
an underscore (``ALAS2_kcat``).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import ModelError
from hemesim.safe_io import cache_get, cache_put, cache_root

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MODEL_NAMES",
    "READOUTS",
    "ModelDefinition",
    "load_definition",
    "parameter_id",
    "sbml_cache_dir",
]

MODEL_NAMES: tuple[str, ...] = ("erythroid",)
"""Names accepted by :func:`load_definition` (one ``<name>.ant`` file each)."""

PARAMETER_MARKER = "// @parameters"
TABLE_COLUMNS = ("name", "value", "unit", "source", "kind", "note")
KINDS = frozenset({"measured", "fitted", "assumed", "calculated"})

# readout id -> unit. These are assignment rules in the Antimony (the single source of truth).
READOUTS: dict[str, str] = {
    "mch_pg": "pg",
    "mcv_fl": "fL",
    "mchc_g_dl": "g/dL",
    "hb_g_dl": "g/dL",
    "rbc_per_l": "1/L",
    "ep_total_umol_l_rbc": "umol/L RBC",
    "ep_total_ug_dl_rbc": "ug/dL RBC",
    "free_ppix_umol_l_rbc": "umol/L RBC",
    "znpp_fraction": "1",
    "znpp_umol_mol_heme": "umol/mol heme",
    "mito_iron_index": "1",
    "ineffective_fraction": "1",
}

# other assignment rules and bookkeeping variables worth reporting, with units
DERIVED_UNITS: dict[str, str] = {
    "heme_total_amol": "amol/cell",
    "ppix_amol": "amol/cell",
    "znpp_amol": "amol/cell",
    "mito_iron_amol": "amol/cell",
    "hemoglobin_pg_per_cell": "pg/cell",
    "cell_volume_fl": "fL",
    "mito_iron_excess": "1",
    "IRP": "1",
    "IRE_translation": "1",
    "ALAS2_holo_fraction": "1",
    "HRI_activity": "1",
    "FECH_metal_denominator": "1",
    "FECH_ppix_saturation": "1",
    "J_ALAS2": "amol/h",
    "J_Fe_uptake": "amol/h",
    "ala_made_amol": "amol/cell",
    "iron_taken_up_amol": "amol/cell",
}

# table unit -> (Antimony/SBML unit id, definition; "" when the id is a model unit already
# defined in the .ant file). Units of the model: hour, amol, pL, hence uM.
ANTIMONY_UNITS: dict[str, tuple[str, str]] = {
    "pL": ("volume", ""),
    "amol": ("substance", ""),
    "h": ("time_unit", ""),
    "1": ("dimensionless", ""),
    "uM": ("uM", "1e-6 mole / litre"),
    "1/h": ("per_h", "1 / 3600 second"),
    "uM/h": ("uM_per_h", "1e-6 mole / (litre * 3600 second)"),
    "amol/h": ("amol_per_h", "1e-18 mole / 3600 second"),
    "1/(uM*h)": ("per_uM_per_h", "litre / (1e-6 mole * 3600 second)"),
    "g/mol": ("g_per_mol", "gram / mole"),
    "pg": ("pg", "1e-12 gram"),
    "fL": ("fL", "1e-15 litre"),
    "g/dL": ("g_per_dL", "10 gram / litre"),
}

# fractions and strengths whose meaning stops at 1 (a larger value would make a rate negative)
UPPER_BOUNDS: dict[str, float] = {
    "IRE_repression": 1.0,
    "ALAS2_sucla2_binding": 1.0,
    "IRP_w_mito": 1.0,
    "HRI_max_inhibition": 1.0,
    "TfR_min": 1.0,
    "ineffective_basal": 0.999,
    "ineffective_max": 0.999,
}

RANGES: dict[str, tuple[float, float]] = {
    # The blood indices are calibrated at the end of a 72 h maturation and grow linearly with
    # its length (the model has no signal that stops hemoglobinisation): MCV 66 fL and MCHC
    # 27 g/dL at 48 h, 120 fL at 96 h, 154 fL at 120 h, 50 fL and MCHC 14 g/dL at 24 h.
    # Outside 48-96 h they leave the range seen in human disease.
    "maturation_duration": (48.0, 96.0),
}
"""Closed ranges (table units) of parameters whose meaning holds only near their default."""

_POSITIVE_SUFFIXES = (".ref", "_ref", "molar_mass", "half_life", "half_life_apo")


def must_be_positive(name: str) -> bool:
    """True for parameters (by table name) that must be > 0, not merely >= 0.

    Half-saturation, inhibition and dissociation constants (last name part ``K...``, e.g.
    ``FECH.Km_Fe``, ``ALAS2.Ki_gly``, ``IRE.K``), half-lives, molar masses, reference values
    (``*.ref``, ``mito_iron_ref``), the maturation length and the numerical ``guard``: each
    divides somewhere in the model, so 0 would give a division by zero or a readout of 0 that
    means nothing (``Hb.molar_mass = 0`` made Hb 0 g/dL; ``MCV.ref = 0`` a negative MCV).
    """
    last = name.rsplit(".", 1)[-1]
    return (
        ("." in name and last.startswith("K"))
        or name.endswith(_POSITIVE_SUFFIXES)
        or name in ("maturation.duration", "guard")
    )


# compartments are structure, not parameters one may override
_STRUCTURAL = frozenset({"cyto", "mito", "plasma"})

_ANTIMONY_LOCK = threading.Lock()


def parameter_id(name: str) -> str:
    """Return the Antimony/SBML id of a parameter-table name (``ALAS2.kcat`` -> ``ALAS2_kcat``)."""
    return name.replace(".", "_")


class ModelDefinition:
    """One model: its Antimony equations, its parameter table, and (lazily) its SBML.

    Parameters
    ----------
    name
        Model name (one of :data:`MODEL_NAMES`).
    antimony_template
        The Antimony text with the ``// @parameters`` marker where values are inserted.
    parameters
        The parameter table (columns ``name,value,unit,source,kind,note``).

    Notes
    -----
    Build one with :func:`load_definition`, which caches it per process. The SBML is converted on
    first access of :attr:`sbml` and then reused.
    """

    def __init__(
        self,
        name: str,
        antimony_template: str,
        parameters: pd.DataFrame | list[dict[str, Any]],
    ) -> None:
        rows = _rows(parameters)
        _check_table(rows)
        if PARAMETER_MARKER not in antimony_template:
            raise ModelError(f"model {name!r}: Antimony text lacks the {PARAMETER_MARKER!r} marker")
        self.name = name
        self.antimony_template = antimony_template
        self._rows = rows
        self._sbml: str | None = None
        self._sbml_lock = threading.Lock()
        self._id_by_name = {str(r["name"]): parameter_id(str(r["name"])) for r in rows}
        self._name_by_id = {v: k for k, v in self._id_by_name.items()}
        self._unit_by_id = {parameter_id(str(r["name"])): str(r["unit"]) for r in rows}

    # ----------------------------------------------------------------------------- table access
    @property
    def parameters(self) -> pd.DataFrame:
        """The parameter table (a copy): ``name, value, unit, source, kind, note``."""
        import pandas as pd

        return pd.DataFrame(self._rows, columns=list(TABLE_COLUMNS))

    @property
    def defaults(self) -> dict[str, float]:
        """Default values by Antimony id (units as in the table)."""
        return {self._id_by_name[str(r["name"])]: float(r["value"]) for r in self._rows}

    @property
    def parameter_names(self) -> list[str]:
        """Table names (``ALAS2.kcat`` style), in table order."""
        return [str(r["name"]) for r in self._rows]

    def id_of(self, name: str) -> str:
        """Antimony id of a table name or id; raises :class:`ModelError` if unknown."""
        if name in self._id_by_name:
            return self._id_by_name[name]
        if name in self._name_by_id:
            return name
        raise ModelError(self._unknown_message(name))

    def name_of(self, pid: str) -> str:
        """Table name of an Antimony id (inverse of :meth:`id_of`)."""
        return self._name_by_id.get(pid, pid)

    # ----------------------------------------------------------------------------- text forms
    @property
    def antimony(self) -> str:
        """The complete Antimony text, with the table's values (and their units) inserted."""
        used = {str(row["unit"]) for row in self._rows}
        lines = [
            f"  unit {uid} = {definition_}"
            for unit, (uid, definition_) in ANTIMONY_UNITS.items()
            if unit in used and definition_
        ]
        for row in self._rows:
            pid = parameter_id(str(row["name"]))
            uid = ANTIMONY_UNITS.get(str(row["unit"]), ("", ""))[0]
            suffix = f" {uid}" if uid else ""
            lines.append(f"  {pid} = {float(row['value'])!r}{suffix};  // {row['unit']}")
        return self.antimony_template.replace(PARAMETER_MARKER, "\n".join(lines).lstrip())

    @property
    def sbml(self) -> str:
        """SBML Level 3 text of the model (converted once per process, thread-safe).

        The conversion is also cached on disk, keyed by a hash of the complete Antimony text and
        the libAntimony version (see :func:`sbml_cache_dir`), so a new process skips it.
        """
        if self._sbml is None:
            with self._sbml_lock:
                if self._sbml is None:
                    self._sbml = _cached_sbml(self.antimony, self.name)
        return self._sbml

    # ----------------------------------------------------------------------------- metadata
    @property
    def readout_names(self) -> list[str]:
        """Ids of the readouts (assignment rules), e.g. ``mch_pg``, ``hb_g_dl``."""
        return list(READOUTS)

    @property
    def units(self) -> dict[str, str]:
        """Units of species (uM), readouts, derived quantities and parameters, by id."""
        out: dict[str, str] = {"time_h": "h"}
        for sid in self.species_ids:
            out[sid] = "uM"
        out.update(READOUTS)
        out.update(DERIVED_UNITS)
        for row in self._rows:
            out[parameter_id(str(row["name"]))] = str(row["unit"])
        return out

    @functools.cached_property
    def species_ids(self) -> list[str]:
        """Ids of the floating species (state variables in uM), in SBML order."""
        import xml.etree.ElementTree as ET

        root = ET.fromstring(self.sbml)
        return [
            str(el.get("id"))
            for el in root.iter()
            if el.tag.endswith("}species")
            and el.get("boundaryCondition") != "true"
            and el.get("constant") != "true"
        ]

    # ----------------------------------------------------------------------------- overrides
    def validate_overrides(self, overrides: Mapping[str, Any] | None) -> dict[str, float]:
        """Check parameter overrides and return them keyed by Antimony id.

        Parameters
        ----------
        overrides
            ``{name: value}`` with table names (``"ALAS2.kcat"``) or Antimony ids
            (``"ALAS2_kcat"``); values in the table's units.

        Returns
        -------
        dict
            ``{antimony_id: float}``.

        Raises
        ------
        ModelError
            Not a mapping, an unknown name (with close matches), a compartment, a value that is
            not a number, or a value that breaks a rule of :meth:`check_override_columns` (the
            same rules, one value per parameter). The message is one line.
        """
        if overrides is None:
            return {}
        if not isinstance(overrides, Mapping):
            raise ModelError(
                f"overrides must be a mapping {{name: value}} (e.g. {{'ALAS2.kcat': 97.5}}); got "
                f"{type(overrides).__name__}"
            )
        out: dict[str, float] = {}
        for key, raw in overrides.items():
            name = str(key)
            pid = self._overridable_id(name)
            if isinstance(raw, bool | np.bool_):
                raise ModelError(f"parameter {name!r}: value {raw!r} is not a number")
            try:
                value = float(raw)
            except (TypeError, ValueError, OverflowError):
                raise ModelError(
                    f"parameter {name!r}: value {raw!r} is not a number; expected a finite "
                    "number >= 0"
                ) from None
            problem = self._first_violation(pid, np.array([value]))
            if problem is not None:
                raise ModelError(f"parameter {name!r}: value {raw!r} is not allowed; {problem[1]}")
            out[pid] = value
        self._check_relations(out)
        return out

    def check_override_columns(
        self, columns: Mapping[str, Any], *, first_set: int = 0
    ) -> dict[str, np.ndarray]:
        """Check columns of override values (one value per parameter set), vectorised.

        The rules are those of :meth:`validate_overrides`, applied to every value: a known,
        non-structural parameter (compartment volumes are refused); a finite number >= 0 in the
        table's unit; > 0 where the model divides by the parameter (:func:`must_be_positive`);
        at most :data:`UPPER_BOUNDS`; inside :data:`RANGES` (``maturation.duration``: 48 to
        96 h); and, row by row, ``MCV.ref > MCV.min`` (a missing column takes the table value).

        Parameters
        ----------
        columns
            ``{name: values}``, table names or Antimony ids; each value a real number or a 1-D
            array of real numbers (table units), one per set. Length-1 columns apply to every
            set.
        first_set
            Index of the first row, used in messages (a chunk of a larger cohort).

        Returns
        -------
        dict
            ``{antimony_id: float64 array}`` (a later name for the same parameter wins).

        Raises
        ------
        ModelError
            One line naming the parameter, the first offending set and its value, and the allowed
            range (or form).
        """
        if not isinstance(columns, Mapping):
            raise ModelError(
                f"override columns must be a mapping {{name: values}}; got {type(columns).__name__}"
            )
        out: dict[str, np.ndarray] = {}
        for key, raw in columns.items():
            name = str(key)
            pid = self._overridable_id(name)
            values = _number_column(name, raw)
            problem = self._first_violation(pid, values)
            if problem is not None:
                i, expected = problem
                raise ModelError(
                    f"parameter {name!r}: value {values[i]:.12g} in set {first_set + i} is not "
                    f"allowed; {expected}"
                )
            out[pid] = values
        self._check_relations(out, first_set=first_set)
        return out

    def _overridable_id(self, name: str) -> str:
        """Antimony id of a table name or id that may be overridden (not a compartment)."""
        pid = self.id_of(name)
        if pid in _STRUCTURAL:
            raise ModelError(f"parameter {name!r} is a compartment volume and cannot be overridden")
        return pid

    def _first_violation(self, pid: str, values: np.ndarray) -> tuple[int, str] | None:
        """The rules on the values of one parameter (table units), shared by the scalar and
        the column checks: the index of the first value that breaks one, and the expected form.

        The range of :data:`RANGES` comes first, so every value outside it (negative, 0 or
        too large) gets the same message.
        """
        unit = self._unit_by_id.get(pid, "?")
        bounds = RANGES.get(pid)
        if bounds is not None:
            low, high = bounds
            bad = ~((values >= low) & (values <= high))
            if bad.any():
                return int(np.argmax(bad)), (
                    f"expected {low:g} to {high:g} {unit} (the blood indices are calibrated at "
                    "the default and leave the physiological range outside)"
                )
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            return int(np.argmax(bad)), f"expected a finite number >= 0 (unit {unit})"
        if must_be_positive(self.name_of(pid)):
            bad = values == 0
            if bad.any():
                return int(np.argmax(bad)), (
                    f"expected a finite number > 0 (unit {unit}); at 0 the model divides by "
                    "zero or loses a readout"
                )
        upper = UPPER_BOUNDS.get(pid)
        if upper is not None:
            bad = values > upper
            if bad.any():
                return int(np.argmax(bad)), f"expected 0 to {upper:g}"
        return None

    def _check_relations(
        self, values: Mapping[str, float | np.ndarray], *, first_set: int | None = None
    ) -> None:
        """Constraints between parameters: the MCV of a cell at the reference MCH
        (``MCV.ref``) must exceed the MCV of a cell without hemoglobin (``MCV.min``).

        ``values`` by Antimony id, scalars or columns (checked row by row; ``first_set`` is the
        index of the first row, for the message); a missing parameter takes its table value.
        """
        if "MCV_ref" not in values and "MCV_min" not in values:
            return
        defaults = self.defaults
        if "MCV_ref" not in defaults or "MCV_min" not in defaults:
            return
        ref = np.atleast_1d(np.asarray(values.get("MCV_ref", defaults["MCV_ref"]), dtype=float))
        low = np.atleast_1d(np.asarray(values.get("MCV_min", defaults["MCV_min"]), dtype=float))
        ref, low = np.broadcast_arrays(ref, low)
        bad = ~(ref > low)
        if not bad.any():
            return
        i = int(np.argmax(bad))
        where = "" if first_set is None else f" in set {first_set + i}"
        raise ModelError(
            f"parameters 'MCV.ref' = {ref[i]:.12g} and 'MCV.min' = {low[i]:.12g} fL{where} are not "
            "allowed together; expected MCV.ref > MCV.min (MCV grows from MCV.min with "
            "hemoglobin)"
        )

    def _unknown_message(self, name: str) -> str:
        choices = list(self._id_by_name) + list(self._name_by_id)
        close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
        close_names = list(dict.fromkeys(self.name_of(c) for c in close))
        hint = f"; did you mean {', '.join(close_names)}?" if close_names else ""
        return (
            f"unknown parameter {name!r} for model {self.name!r}{hint} "
            "(list them with hemesim.model.load_definition().parameters)"
        )

    def __repr__(self) -> str:
        return f"ModelDefinition(name={self.name!r}, parameters={len(self._rows)})"


def _is_number(x: Any) -> bool:
    """A Python or NumPy integer or float (not a boolean)."""
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(
        x, bool | np.bool_
    )


def _short(x: Any, limit: int = 40) -> str:
    """``repr(x)`` cut to ``limit`` characters, for one-line messages."""
    text = repr(x)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number_column(name: str, raw: Any) -> np.ndarray:
    """Override values of one parameter as a 1-D float64 array, or a one-line ModelError.

    Accepts a real number or a 1-D array-like of real numbers (Python or NumPy integers and
    floats); refuses booleans, complex numbers, text, ``None``, empty and 2-D input.
    """
    try:
        arr = np.asarray(raw)
    except (TypeError, ValueError):  # ragged nesting
        raise ModelError(
            f"parameter {name!r}: expected a real number or a 1-D array of real numbers, one "
            f"per parameter set; got {_short(raw)}"
        ) from None
    if arr.dtype.kind == "O":
        flat = arr.ravel()
        if all(_is_number(x) for x in flat):
            try:
                arr = arr.astype(float)
            except OverflowError:
                raise ModelError(
                    f"parameter {name!r}: a value is too large for a float; expected finite numbers"
                ) from None
    if arr.dtype.kind not in "iuf":
        flat = arr.ravel()
        first = next((x for x in flat.tolist() if not _is_number(x)), raw) if flat.size else raw
        kind = {"b": "a boolean", "c": "a complex number", "U": "text", "S": "bytes"}.get(
            arr.dtype.kind, f"of type {type(first).__name__}"
        )
        raise ModelError(
            f"parameter {name!r}: {_short(first)} is {kind}, not a real number; expected a "
            "real number or a 1-D array of real numbers, one per parameter set"
        )
    if arr.ndim > 1:
        raise ModelError(
            f"parameter {name!r}: values of shape {arr.shape}; expected a real number or a 1-D "
            "array of real numbers, one per parameter set"
        )
    if arr.size == 0:
        raise ModelError(f"parameter {name!r}: no values; expected at least one")
    return np.atleast_1d(arr).astype(float, copy=False)


def _rows(table: pd.DataFrame | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows as dicts (accepts a DataFrame or a list of dicts), values as floats."""
    if isinstance(table, list):
        rows = [dict(r) for r in table]
        cols = tuple(rows[0]) if rows else TABLE_COLUMNS
    else:
        cols = tuple(table.columns)
        rows = [{str(k): v for k, v in r.items()} for r in table.to_dict(orient="records")]
    if cols != TABLE_COLUMNS:
        raise ModelError(f"parameter table columns are {cols}; expected {TABLE_COLUMNS}")
    for row in rows:
        try:
            row["value"] = float(row["value"])
        except (TypeError, ValueError):
            raise ModelError(
                f"parameter {row['name']!r}: value {row['value']!r} is not a number"
            ) from None
    return rows


def _check_table(rows: list[dict[str, Any]]) -> None:
    bad_kind = sorted({str(r["kind"]) for r in rows} - KINDS)
    if bad_kind:
        raise ModelError(f"parameter table kind {bad_kind}; expected one of {sorted(KINDS)}")
    names = [str(r["name"]) for r in rows]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ModelError(f"parameter table repeats names {dupes}")
    for row in rows:
        if not str(row["unit"]).strip() or not str(row["source"]).strip():
            raise ModelError(f"parameter {row['name']!r} lacks a unit or a source")


def sbml_cache_dir() -> Path:
    """Folder of the on-disk SBML cache (``$HEMESIM_CACHE_DIR/sbml`` or ``~/.cache/hemesim/sbml``).

    The folder is created on first use. When it cannot be written (read-only or full home), a
    folder under the system's temporary folder is used, with a warning
    (:func:`hemesim.safe_io.cache_root`).
    """
    return cache_root("sbml")


def _cached_sbml(text: str, name: str) -> str:
    """SBML for ``text`` from the disk cache, or converted (and stored if the cache is writable).

    Entries are content-addressed (:func:`hemesim.safe_io.cache_get`): the file
    ``<name>-<key>.<sha256 of the SBML>.xml`` is read only when its content matches the hash in
    its name, so an edited, truncated or empty entry is rebuilt (with a warning), never used. The
    key hashes the libAntimony version and the complete Antimony text.
    """
    import antimony

    key = hashlib.sha256(f"{antimony.__version__}\n{text}".encode()).hexdigest()[:32]
    folder = sbml_cache_dir()
    entry = f"{name}-{key}"
    data = cache_get(folder, entry, ".xml")
    if data is not None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - the hash matched what we wrote
            pass
    sbml = _antimony_to_sbml(text, name)
    cache_put(folder, entry, sbml.encode("utf-8"), ".xml")
    return sbml


def _antimony_to_sbml(text: str, name: str) -> str:
    """Convert Antimony text to SBML L3 under the process-wide Antimony lock."""
    import antimony

    with _ANTIMONY_LOCK:
        antimony.clearPreviousLoads()
        if antimony.loadAntimonyString(text) < 0:
            msg = " ".join(antimony.getLastError().split())
            raise ModelError(f"model {name!r}: Antimony conversion failed: {msg}")
        sbml = antimony.getSBMLString(name)
        antimony.clearPreviousLoads()
    if not sbml:
        raise ModelError(f"model {name!r}: Antimony produced no SBML")
    return str(sbml)


@functools.cache
def _load(name: str) -> ModelDefinition:
    import csv
    import io

    folder = resources.files("hemesim.model")
    text = folder.joinpath(f"{name}.ant").read_text(encoding="utf-8")
    text_csv = folder.joinpath("parameters.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text_csv, newline="")))
    return ModelDefinition(name, text, rows)


def load_definition(name: str = "erythroid") -> ModelDefinition:
    """Return the (cached) definition of a named model.

    Parameters
    ----------
    name
        Model name; one of :data:`MODEL_NAMES` (``"erythroid"``).

    Raises
    ------
    ModelError
        If the name is unknown (the message lists the allowed names).
    """
    if name not in MODEL_NAMES:
        raise ModelError(f"unknown model {name!r}; expected one of {', '.join(MODEL_NAMES)}")
    return _load(name)
