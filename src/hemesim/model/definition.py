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
import math
import os
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemesim.errors import ModelError

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
    "mito_iron_excess": "1",
    "IRP": "1",
    "IRE_translation": "1",
    "ALAS2_holo_fraction": "1",
    "HRI_activity": "1",
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

_POSITIVE_SUFFIXES = (".ref", "_ref", "molar_mass", "half_life")


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
            Unknown name (with close matches), a compartment, or a value that is not a finite,
            non-negative number. The message is one line.
        """
        out: dict[str, float] = {}
        for key, raw in (overrides or {}).items():
            name = str(key)
            pid = self.id_of(name)
            if pid in _STRUCTURAL:
                raise ModelError(
                    f"parameter {name!r} is a compartment volume and cannot be overridden"
                )
            if isinstance(raw, bool):
                raise ModelError(f"parameter {name!r}: value {raw!r} is not a number")
            try:
                value = float(raw)
            except (TypeError, ValueError):
                raise ModelError(
                    f"parameter {name!r}: value {raw!r} is not a number; expected a finite "
                    "number >= 0"
                ) from None
            if not math.isfinite(value) or value < 0:
                raise ModelError(
                    f"parameter {name!r}: value {raw!r} is not allowed; expected a finite "
                    f"number >= 0 (unit {self.units.get(pid, '?')})"
                )
            if value == 0 and must_be_positive(self.name_of(pid)):
                raise ModelError(
                    f"parameter {name!r}: value {raw!r} is not allowed; expected a finite "
                    f"number > 0 (unit {self.units.get(pid, '?')}); at 0 the model divides by "
                    "zero or loses a readout"
                )
            upper = UPPER_BOUNDS.get(pid)
            if upper is not None and value > upper:
                raise ModelError(
                    f"parameter {name!r}: value {raw!r} is not allowed; expected 0 to {upper:g}"
                )
            bounds = RANGES.get(pid)
            if bounds is not None and not bounds[0] <= value <= bounds[1]:
                raise ModelError(
                    f"parameter {name!r}: value {raw!r} is not allowed; expected {bounds[0]:g} "
                    f"to {bounds[1]:g} {self.units.get(pid, '')} (the blood indices are "
                    "calibrated at the default and leave the physiological range outside)"
                )
            out[pid] = value
        self._check_relations(out)
        return out

    def _check_relations(self, values: Mapping[str, float]) -> None:
        """Constraints between parameters: the MCV of a cell at the reference MCH
        (``MCV.ref``) must exceed the MCV of a cell without hemoglobin (``MCV.min``)."""
        if "MCV_ref" not in values and "MCV_min" not in values:
            return
        defaults = self.defaults
        ref = values.get("MCV_ref", defaults.get("MCV_ref"))
        low = values.get("MCV_min", defaults.get("MCV_min"))
        if ref is not None and low is not None and not ref > low:
            raise ModelError(
                f"parameters 'MCV.ref' = {ref:g} and 'MCV.min' = {low:g} fL are not allowed "
                "together; expected MCV.ref > MCV.min (MCV grows from MCV.min with hemoglobin)"
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

    The folder is created on first use.
    """
    root = os.environ.get("HEMESIM_CACHE_DIR") or str(Path.home() / ".cache" / "hemesim")
    return Path(root) / "sbml"


def _cached_sbml(text: str, name: str) -> str:
    """SBML for ``text`` from the disk cache, or converted (and stored if the cache is writable)."""
    import antimony

    key = hashlib.sha256(f"{antimony.__version__}\n{text}".encode()).hexdigest()[:32]
    path = sbml_cache_dir() / f"{name}-{key}.xml"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    sbml = _antimony_to_sbml(text, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(sbml, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # read-only home: the cache is an optimisation only
        pass
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
