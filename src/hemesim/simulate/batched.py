"""Batched simulation: N parameter sets of one SBML model at once.

:class:`BatchedEngine` takes a model definition (anything with an ``.sbml`` text attribute, such as
``hemesim.model.load_definition("erythroid")``) or SBML text, generates compiled kernels from it
(:mod:`hemesim.simulate.sbml_codegen`) and integrates every parameter set with a stiff solver
(Radau IIA by default, or RODAS; per-set step control) in a parallel loop. It is the fast path
beside the plain libRoadRunner session; the two are tested against each other on random
parameter sets.

Every public argument is checked at the Python boundary before any array is allocated or any
kernel runs; bad input is a one-line :class:`~hemesim.errors.SimulationError` or
:class:`~hemesim.errors.ModelError` naming the argument (or the parameter, the set and the value)
and the expected form. An engine built from a :class:`~hemesim.model.ModelDefinition` applies
that definition's override rules to every column and does not read out after the end of
maturation; one built from SBML text requires finite values only. Sizes are bounded per call
(:data:`MAX_SETS`, :data:`MAX_TIMES`, :data:`MAX_VALUES`).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import ModelError, SimulationError
from hemesim.model.definition import RANGES, ModelDefinition, _is_number, _number_column
from hemesim.simulate.roadrunner_engine import MAX_POINTS
from hemesim.simulate.sbml_codegen import CompiledModel, compile_model, conservation_laws

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BatchedEngine",
    "BatchResult",
    "SteadyStateResult",
    "STATUS_MESSAGES",
    "MAX_SETS",
    "MAX_TIMES",
    "MAX_VALUES",
]

STATUS_MESSAGES = {
    0: "ok",
    1: "maximum number of steps reached",
    2: "step size underflow",
    3: "singular iteration matrix",
    4: "non-finite values",
    5: "no steady state found",
}

ParamInput = "Mapping[str, Any] | pd.DataFrame"

MAX_SETS = 10_000_000
"""Most parameter sets of one engine call (the cap of ``hemesim.phenotype.virtual_cohort``);
``run_cohort`` splits larger cohorts into calls of at most this many."""
MAX_TIMES = MAX_POINTS
"""Most output times of one time course (``points`` or ``len(times)``), as the session's
``roadrunner_engine.MAX_POINTS`` (100,000)."""
MAX_VALUES = 1 << 30
"""Most float64 values of one array an engine call allocates (8 GiB): the readouts
``sets x times x readouts``, the override table ``sets x overridden columns``, or the full
parameter matrix ``sets x parameters``. Larger requests are refused before any allocation."""
MAX_STEPS = 1_000_000_000
"""Largest ``max_steps`` (integrator steps per set)."""
MAX_WARM_TIMES = 100
"""Most ``warm_times`` of one steady-state call."""
_PAST_END_TOLERANCE = 1e-12
"""Relative slack when comparing a readout time with the end of maturation (as the session)."""


def _is_real(x: Any) -> bool:
    """True for a Python or NumPy integer or float (booleans are not numbers here)."""
    return _is_number(x)


def _real(x: Any, what: str, *, low: float = 0.0, strict: bool = True) -> float:
    """A finite real number ``> low`` (``>= low`` when not ``strict``), or a SimulationError."""
    relation = ">" if strict else ">="
    if _is_real(x):
        try:
            value = float(x)
        except OverflowError:
            value = math.inf
        if math.isfinite(value) and (value > low if strict else value >= low):
            return value
    raise SimulationError(f"{what}={x!r}: expected a finite number {relation} {low:g}")


def _count(x: Any, what: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]`` (Python or NumPy integer, not bool)."""
    if isinstance(x, int | np.integer) and not isinstance(x, bool | np.bool_) and low <= x <= high:
        return int(x)
    raise SimulationError(f"{what}={x!r}: expected a whole number from {low:,} to {high:,}")


def _tolerance(x: Any, what: str) -> float:
    """A tolerance: a real number strictly between 0 and 1."""
    if _is_real(x) and 0.0 < float(x) < 1.0:
        return float(x)
    raise SimulationError(f"{what}={x!r}: expected a number strictly between 0 and 1")


def _time_array(x: Any, what: str, most: int) -> np.ndarray:
    """A non-empty 1-D array of at most ``most`` finite, strictly increasing times >= 0."""
    if isinstance(x, str | bytes) or x is None:
        raise SimulationError(f"{what}={x!r}: expected a sequence of numbers")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged nesting
        raise SimulationError(
            f"{what}: expected a 1-D sequence of numbers; got {type(x).__name__}"
        ) from None
    if arr.dtype.kind == "O" and all(_is_real(v) for v in arr.ravel()):
        arr = arr.astype(float)
    if arr.dtype.kind not in "iuf" or arr.ndim != 1:
        text = repr(x) if len(repr(x)) <= 40 else repr(x)[:37] + "..."
        raise SimulationError(f"{what}={text}: expected a 1-D sequence of numbers")
    if not 1 <= arr.size <= most:
        raise SimulationError(f"{what}: {arr.size:,} values; expected 1 to {most:,}")
    arr = arr.astype(float)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise SimulationError(f"{what}[{i}]={float(arr[i])!r}: expected finite times >= 0")
    if arr.size > 1 and np.any(np.diff(arr) <= 0):
        i = int(np.argmax(np.diff(arr) <= 0)) + 1
        raise SimulationError(
            f"{what}[{i}]={float(arr[i])!r}: expected strictly increasing times (after "
            f"{float(arr[i - 1])!r})"
        )
    return np.ascontiguousarray(arr)


def _names(x: Any, what: str) -> list[str]:
    """A list of names from a str (one name) or a sequence of str."""
    if isinstance(x, str):
        return [x]
    if isinstance(x, Mapping | bytes) or not isinstance(x, Iterable):
        raise SimulationError(f"{what}={x!r}: expected a name or a list of names")
    names = list(x)
    bad = [v for v in names if not isinstance(v, str)]
    if bad:
        raise SimulationError(f"{what}: {bad[0]!r} is not a name; expected a list of names (str)")
    return names


def _check_size(count: int, what: str) -> None:
    """Refuse an array of more than :data:`MAX_VALUES` values before it is allocated."""
    if count > MAX_VALUES:
        raise SimulationError(
            f"{what} would hold {count:,} values ({8 * count / 2**30:.3g} GiB); at most "
            f"{MAX_VALUES:,} ({8 * MAX_VALUES / 2**30:g} GiB) per call: use fewer sets, output "
            "times or readouts per call (run_cohort splits a cohort into calls)"
        )


SMALL_PAGES_BYTES = 1 << 26
"""Arrays of at least this many bytes (64 MiB) are allocated without transparent huge pages."""


@contextlib.contextmanager
def _small_pages(nbytes: int) -> Iterator[None]:
    """Allocate large result arrays in ordinary 4 KiB pages.

    numpy asks the kernel for transparent huge pages on large allocations
    (``NUMPY_MADVISE_HUGEPAGE``, numpy's environment-variable documentation). Where the kernel's
    ``transparent_hugepage/defrag`` is ``madvise`` (this machine), the first touch of such an
    array may compact memory synchronously: the first 10^6-set steady-state call took
    2.17-2.21 s with huge pages and 1.89-1.95 s without (three fresh processes each; later
    calls 1.74-2.10 s either way), so result arrays of at least :data:`SMALL_PAGES_BYTES` are
    allocated with the advice switched off, and numpy's setting is restored afterwards.
    """
    toggle = getattr(np._core.multiarray, "_set_madvise_hugepage", None)  # type: ignore[attr-defined]
    if nbytes < SMALL_PAGES_BYTES or toggle is None:
        yield
        return
    previous = toggle(False)
    try:
        yield
    finally:
        toggle(previous)


_TABLE_BLOCK = 8192
"""Rows of the override table written at a time."""

METHODS = {"radau": 0, "rodas": 1}
"""Time-course integrators of the generated kernel (name -> kernel code)."""
DEFAULT_RTOL = {"radau": 1e-7, "rodas": 1e-7}
"""Default relative tolerance per integrator, for any SBML model (on a small model with a
discontinuity, Radau at 1e-6 strays 1.3e-6 from libRoadRunner; at 1e-7, 1e-7)."""
MODEL_RTOL = 1e-6
"""Relative tolerance for hemesim's own erythroid model: every readout stays within 1e-6 of
libRoadRunner (rtol 1e-12) with a measured margin of about 8x on random parameter sets
(``tests/simulate/test_batched.py``, ``benchmarks/bench_batched.py``), at 1.5x the speed of
:data:`DEFAULT_RTOL`."""


@dataclass
class BatchResult:
    """Time courses of N parameter sets.

    Attributes
    ----------
    time
        Output times (model time unit), shape ``(T,)``.
    values
        Readouts, shape ``(N, T, R)``.
    names
        Readout names (``R``).
    status
        Per-set integrator status (0 = ok; see ``STATUS_MESSAGES``), shape ``(N,)``.
    elapsed_s
        Wall time of the batched integration, seconds.
    """

    time: np.ndarray
    values: np.ndarray
    names: list[str]
    status: np.ndarray
    elapsed_s: float = 0.0
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def n_sets(self) -> int:
        """Number of parameter sets."""
        return int(self.values.shape[0])

    def readout(self, name: str) -> np.ndarray:
        """Time courses of one readout, shape ``(N, T)``."""
        if name not in self.names:
            raise SimulationError(f"readout {name!r} unknown; expected one of {self.names}")
        return self.values[:, :, self.names.index(name)]

    def endpoint(self) -> np.ndarray:
        """Readouts at the last output time, shape ``(N, R)``."""
        return self.values[:, -1, :]

    def to_dataframe(self) -> pd.DataFrame:
        """Long table: one row per (set, time) with a column per readout."""
        import pandas as pd

        n, t, r = self.values.shape
        df = pd.DataFrame(self.values.reshape(n * t, r), columns=self.names)
        df.insert(0, "time", np.tile(self.time, n))
        df.insert(0, "set", np.repeat(np.arange(n), t))
        df["status"] = np.repeat(self.status, t)
        return df

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary: names, times, status counts, provenance."""
        codes, counts = np.unique(self.status, return_counts=True)
        return {
            "n_sets": self.n_sets,
            "names": self.names,
            "time": self.time.tolist(),
            "status": {
                STATUS_MESSAGES.get(int(c), str(c)): int(k)
                for c, k in zip(codes, counts, strict=True)
            },
            "elapsed_s": self.elapsed_s,
            "provenance": self.provenance,
        }


@dataclass
class SteadyStateResult:
    """Steady states of N parameter sets.

    Attributes
    ----------
    values
        Readouts at steady state, shape ``(N, R)`` (NaN where no steady state was found).
    names
        Readout names.
    state
        Steady-state amounts of the integrated variables, shape ``(N, S)``.
    converged
        Boolean per set.
    """

    values: np.ndarray
    names: list[str]
    state: np.ndarray
    state_names: list[str]
    converged: np.ndarray
    elapsed_s: float = 0.0

    def to_dataframe(self) -> pd.DataFrame:
        """One row per set with a column per readout and ``converged``."""
        import pandas as pd

        df = pd.DataFrame(self.values, columns=self.names)
        df["converged"] = self.converged
        return df

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {
            "n_sets": int(self.values.shape[0]),
            "names": self.names,
            "n_converged": int(self.converged.sum()),
            "elapsed_s": self.elapsed_s,
        }


_DEFAULT_WARM_TIMES = np.array([10.0**k for k in range(-2, 9)])
"""Default ``warm_times`` of :meth:`BatchedEngine.steady_state`."""

STEADY_GROUP = 4096
"""Steady states are solved in groups of this many consecutive sets, each set of a group
starting from a neighbour's solution (see ``batch_steady_state``); results depend only on the
rows of their group (``run_cohort`` chunks are whole groups in steady-state mode, so they do not
depend on the chunking). Larger groups give closer neighbours: at 10^5 sets, Newton iterations
per set 4.61 at 2048, 4.48 at 4096, 4.41 at 8192 (no faster in time beyond 4096)."""


@dataclass(frozen=True)
class _ParameterSets:
    """N parameter sets as the kernels read them: the defaults and the overridden columns.

    Attributes
    ----------
    base
        (P,) default value of every parameter (model units).
    cols
        (V,) sorted indices of the overridden parameters.
    values
        (N, V) their values, one row per set.
    skip
        (P,) True where a parameter is overridden (its initial assignment is not applied).
    """

    base: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    skip: np.ndarray

    @property
    def size(self) -> int:
        """Number of sets N."""
        return int(self.values.shape[0])

    def column(self, c: int) -> np.ndarray:
        """(N,) values of parameter ``c`` in every set."""
        hit = np.flatnonzero(self.cols == c)
        if hit.size:
            return self.values[:, int(hit[0])]
        return np.full(self.size, self.base[c])


def _chain_key(
    sens: np.ndarray | None,
    y_nom: np.ndarray,
    values: np.ndarray,
    vcols: np.ndarray,
    p_nom: np.ndarray,
) -> np.ndarray:
    """Weights of the ordering key of the steady-state groups: the row of the log-sensitivity
    matrix ``d log y_j / d log p`` (over the parameters that vary, positive ones only) of the
    amount ``j`` with the largest row norm, i.e. the amount that moves most per unit change of
    the log parameters. It depends on the nominal state and on which columns vary, not on the
    values of a chunk, so every chunk of a cohort orders its groups the same way. Zeros when
    there is no sensitivity."""
    w = np.zeros(p_nom.size)
    if sens is None or not np.all(y_nom > 0.0):
        return w
    sample = values[: min(values.shape[0], 4096)]
    use = np.zeros(p_nom.size, dtype=bool)
    for q, c in enumerate(vcols):
        col = sample[:, q]
        use[c] = p_nom[c] > 0.0 and bool(np.all(col > 0.0)) and bool(np.ptp(col) > 0.0)
    if not use.any():
        return w
    slog = sens[:, use] * p_nom[use][None, :] / y_nom[:, None]
    j = int(np.argmax((slog**2).sum(axis=1)))
    w[use] = slog[j]
    return w


def _sbml_of(definition_or_sbml: Any) -> tuple[str, list[str] | None]:
    if isinstance(definition_or_sbml, str):
        text = definition_or_sbml
        if not text.lstrip().startswith("<"):
            raise SimulationError(
                "BatchedEngine input must be SBML text or a model definition with .sbml; "
                f"got a string starting {text[:30]!r}"
            )
        return text, None
    sbml = getattr(definition_or_sbml, "sbml", None)
    if not isinstance(sbml, str):
        raise SimulationError(
            "BatchedEngine input must be SBML text or a model definition with an .sbml attribute"
        )
    names = getattr(definition_or_sbml, "readout_names", None)
    return sbml, (list(names) if names is not None else None)


class BatchedEngine:
    """Evaluate N parameter sets of one SBML model at once.

    Parameters
    ----------
    definition_or_sbml
        SBML text, or a model definition object with ``.sbml`` (and optionally
        ``.readout_names``, which become the default readouts). A
        :class:`hemesim.model.ModelDefinition` (``hemesim.model.load_definition("erythroid")``)
        also brings its parameter rules: every override is checked as
        :meth:`~hemesim.model.ModelDefinition.check_override_columns` does, and readouts after
        the end of maturation (``maturation.duration``) are refused, as the session refuses them.
    readouts
        Names of the outputs to return (species ids give concentrations, or amounts for
        ``hasOnlySubstanceUnits`` species; assignment-rule variables give their value); one
        name (a str) or a list. Default: the definition's ``readout_names``, else every output.
    rtol
        Relative tolerance of the integrator and the Newton solver, in (0, 1) (default
        :data:`DEFAULT_RTOL`; :data:`MODEL_RTOL` suffices for hemesim's erythroid model).
    atol
        Absolute tolerance relative to the largest initial amount of the default state, in
        (0, 1) (the absolute tolerance of each state variable is ``atol * max|y0|``, or
        ``atol`` when every initial amount is zero).
    method
        Time-course integrator: ``"radau"`` (Radau IIA of order 5 with Jacobian and LU reuse,
        the default and the faster) or ``"rodas"`` (Rosenbrock of order 4, one Jacobian and LU
        per step).
    quasi_steady_state
        Only with a :class:`~hemesim.model.ModelDefinition`: evaluate the model's quasi-steady
        state form, in which the pools that only accumulate during maturation
        (``roadrunner_engine.ACCUMULATORS``: Hb, ZnPP, deposited and ferritin iron, ...) are
        held fixed (boundary species) and the bookkeeping counters are constants, as
        ``Model.steady_state`` does. The erythroid model has no steady state otherwise. The
        held pools stay at their initial amounts (0 uM by default) unless overridden per set
        (e.g. ``{"Hb": ...}`` in uM); readouts computed from them (MCH, MCV, Hb, ZnPP) reflect
        the amounts held. Time courses of this form are relaxations toward the quasi-steady
        state, not maturations, so they are not limited to ``maturation.duration``.

    Notes
    -----
    Overrides are given per parameter name as arrays of length N (or scalars). Allowed names are
    the model's global parameters, compartments, and species ids (meaning the initial
    concentration, or the initial amount for ``hasOnlySubstanceUnits`` species). An override of a
    symbol that has an initial assignment replaces that assignment. Every value must be a finite
    real number; with a model definition, the definition's rules apply as well (species
    initial values must be >= 0).

    Limits per call: at most :data:`MAX_SETS` sets, :data:`MAX_TIMES` output times and
    :data:`MAX_VALUES` values in any result or override array; larger requests are refused
    before anything is allocated.
    """

    def __init__(
        self,
        definition_or_sbml: Any,
        *,
        readouts: Sequence[str] | str | None = None,
        rtol: float | None = None,
        atol: float = 1e-11,
        method: str = "radau",
        quasi_steady_state: bool = False,
    ) -> None:
        if not isinstance(method, str) or method not in METHODS:
            raise SimulationError(f"method={method!r}: expected one of {sorted(METHODS)}")
        if not isinstance(quasi_steady_state, bool | np.bool_):
            raise SimulationError(
                f"quasi_steady_state={quasi_steady_state!r}: expected True or False"
            )
        rtol = DEFAULT_RTOL[method] if rtol is None else _tolerance(rtol, "rtol")
        atol = _tolerance(atol, "atol")
        wanted = None if readouts is None else _names(readouts, "readouts")
        if wanted is not None and not wanted:
            raise SimulationError("readouts=[]: expected at least one output name")
        sbml, default_readouts = _sbml_of(definition_or_sbml)
        self.definition: ModelDefinition | None = (
            definition_or_sbml if isinstance(definition_or_sbml, ModelDefinition) else None
        )
        self.quasi_steady_state = bool(quasi_steady_state)
        if self.quasi_steady_state:
            if self.definition is None:
                raise SimulationError(
                    "quasi_steady_state=True needs a model definition "
                    "(hemesim.model.load_definition(name)), not SBML text: it holds that model's "
                    "accumulating pools fixed"
                )
            from hemesim.simulate.roadrunner_engine import _steady_state_sbml

            sbml = _steady_state_sbml(sbml)
        self._id_of = getattr(definition_or_sbml, "id_of", None)
        t0 = time.perf_counter()
        self._compiled: CompiledModel = compile_model(sbml)
        self.parse_s = time.perf_counter() - t0
        ir = self._compiled.ir
        self.sbml = sbml
        self.sbml_hash: str = ir.sbml_hash
        self.param_names: list[str] = list(ir.param_ids)
        self.state_names: list[str] = list(ir.state_ids)
        self.output_names: list[str] = list(ir.output_ids)
        names = wanted if wanted is not None else default_readouts or self.output_names
        unknown = [r for r in names if r not in self.output_names]
        if unknown:
            raise SimulationError(
                f"readout {unknown[0]!r} is not an output of the model; expected one of "
                f"{self.output_names}"
            )
        self.readout_names: list[str] = names
        self._out_idx = np.array([self.output_names.index(r) for r in names], dtype=np.int64)
        self.rtol = float(rtol)
        self.method = method
        self.atol_rel = float(atol)
        self._laws, self._pivots = conservation_laws(ir.stoichiometry, ir.rate_rule_state)
        self._pidx = {n: i for i, n in enumerate(self.param_names)}
        # parameters of the definition's table (its rules apply); other names are initial values
        self._table_ids: frozenset[str] = (
            frozenset(self.definition.defaults) if self.definition is not None else frozenset()
        )
        # the readout time limit: the maturation length of each set (a definition's time course)
        self._maturation_col: int | None = (
            self._pidx.get("maturation_duration")
            if self.definition is not None and not self.quasi_steady_state
            else None
        )
        y0 = self._initial_states(ir.param_defaults[None, :], np.zeros(len(self.param_names), bool))
        scale = float(np.nanmax(np.abs(y0))) if y0.size and np.isfinite(y0).any() else 1.0
        if not scale > 0.0:  # every initial amount is zero: atol is absolute
            scale = 1.0
        self._atol = np.full(len(self.state_names), scale * self.atol_rel)
        self._y_guess: np.ndarray | None = None
        self._nominal_failures: dict[float, str] = {}
        self.compile_s: float | None = None

    # -- inputs -------------------------------------------------------------------------------

    @property
    def defaults(self) -> dict[str, float]:
        """Default value of every overridable name (SBML units)."""
        return dict(zip(self.param_names, self._compiled.ir.param_defaults.tolist(), strict=True))

    def resolve_name(self, name: str) -> str:
        """Engine id of an override name (a model table name such as ``ALAS2.kcat`` or an id).

        Raises
        ------
        HemesimError
            ``ModelError``/``SimulationError`` with the expected names if unknown.
        """
        if name in self._pidx:
            return name
        if self._id_of is not None:
            pid = str(self._id_of(name))
            if pid in self._pidx:
                return pid
        raise SimulationError(
            f"parameter {name!r} is not in the model; expected one of {self.param_names}"
        )

    def parameter_matrix(
        self, params: Any = None, n: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Build the (N, P) parameter matrix and the override mask from overrides.

        Parameters
        ----------
        params
            Mapping name -> real number or 1-D array of length N, or a DataFrame with a column
            per name; ``None`` for the defaults. Values in the model's units.
        n
            Number of sets when every override is scalar (default 1; at most
            :data:`MAX_SETS`).

        Returns
        -------
        matrix, skip
            ``matrix`` (N, P) float64; ``skip`` (P,) True where a column was overridden (its
            initial assignment, if any, is not applied).

        Raises
        ------
        SimulationError, ModelError
            A malformed override, a value breaking the model's rules, a bad ``n``, or a matrix
            larger than :data:`MAX_VALUES` values.
        """
        cols, size = self._override_columns(params, n)
        _check_size(size * len(self.param_names), "the parameter matrix")
        sets = self._pack(cols, size)
        mat = np.empty((sets.size, sets.base.size))
        mat[:] = sets.base
        mat[:, sets.cols] = sets.values
        return mat, sets.skip

    def validate_parameters(
        self,
        params: Any = None,
        n: int | None = None,
        *,
        t_end: float | None = None,
        first_set: int = 0,
    ) -> int:
        """Check overrides (and a readout time) as every run does, without running.

        Parameters
        ----------
        params, n
            As in :meth:`parameter_matrix`.
        t_end
            Last output time (model time unit), if readouts are planned: a finite number > 0,
            and, for a model definition with ``maturation.duration``, not after the end of
            maturation of any set.
        first_set
            Index of the first set, used in messages (a chunk of a larger cohort).

        Returns
        -------
        int
            The number of sets N.

        Raises
        ------
        SimulationError, ModelError
            One line naming the argument or parameter, the first offending set and value, and
            the allowed form or range.
        """
        cols, size = self._override_columns(params, n, first_set=first_set)
        if t_end is not None:
            t = _real(t_end, "t_end")
            self._check_readout_time(t, cols, "t_end", first_set)
        return size

    def _override_columns(
        self, params: Any, n: Any, *, first_set: int = 0
    ) -> tuple[dict[int, np.ndarray], int]:
        """Parse and check overrides: ``({parameter index: float64 column}, N)``.

        A column has length N, or 1 for a value shared by every set.
        """
        if n is not None:
            n = _count(n, "n", 1, MAX_SETS)
        raw: dict[str, Any]
        if params is None:
            raw = {}
        elif hasattr(params, "columns") and hasattr(params, "to_numpy"):
            raw = {str(c): params[c] for c in params.columns}
        elif isinstance(params, Mapping):
            raw = {str(k): v for k, v in params.items()}
        else:
            raise SimulationError(
                "params must be a mapping name -> array or a DataFrame; got "
                f"{type(params).__name__}"
            )
        named: dict[int, tuple[str, np.ndarray]] = {}
        for name, v in raw.items():
            k = self._pidx[self.resolve_name(name)]
            named[k] = (name, _number_column(name, v))  # a later override of the same name wins
        lengths = {v.size for _, v in named.values() if v.size != 1}
        if len(lengths) > 1:
            raise SimulationError(f"override arrays have different lengths {sorted(lengths)}")
        size = lengths.pop() if lengths else (n if n is not None else 1)
        if n is not None and size != n:
            raise SimulationError(f"override arrays have length {size}; expected n={n}")
        if size > MAX_SETS:
            raise SimulationError(
                f"override arrays have length {size:,}; at most {MAX_SETS:,} sets per call"
            )
        for name, v in named.values():
            bad = ~np.isfinite(v)
            if bad.any():
                i = int(np.argmax(bad))
                raise SimulationError(
                    f"parameter {name!r}: value {float(v[i])!r} in set {first_set + i} is not "
                    "allowed; expected a finite number"
                )
        if self.definition is not None:
            in_table = {
                name: v for k, (name, v) in named.items() if self.param_names[k] in self._table_ids
            }
            self.definition.check_override_columns(in_table, first_set=first_set)
            for k, (name, v) in named.items():
                if self.param_names[k] in self._table_ids:
                    continue
                bad = v < 0
                if bad.any():
                    i = int(np.argmax(bad))
                    raise ModelError(
                        f"parameter {name!r}: value {v[i]:.12g} in set {first_set + i} is not "
                        "allowed; expected a finite number >= 0 (an initial concentration, uM, "
                        "or amount)"
                    )
        return {k: v for k, (_, v) in named.items()}, int(size)

    def _parameter_sets(self, params: Any = None, n: int | None = None) -> _ParameterSets:
        """The overrides in the compact form the kernels read (see :class:`_ParameterSets`)."""
        cols, size = self._override_columns(params, n)
        return self._pack(cols, size)

    def _pack(self, by_col: dict[int, np.ndarray], size: int) -> _ParameterSets:
        """Checked override columns as the kernels' compact table."""
        base = np.ascontiguousarray(self._compiled.ir.param_defaults, dtype=float)
        order = np.array(sorted(by_col), dtype=np.int64)
        _check_size(size * order.size, "the override table")
        with _small_pages(8 * size * order.size):
            values = np.empty((size, order.size))
        # filled in blocks of rows that stay in cache while every column is written into them
        # (10^6 x 11: 0.055-0.068 s, against 0.10 s column by column over the whole table)
        for b0 in range(0, size, _TABLE_BLOCK):
            block = values[b0 : b0 + _TABLE_BLOCK]
            for q, k in enumerate(order):
                col = by_col[int(k)]  # length 1 (a scalar for every set) or N
                block[:, q] = col if col.size == 1 else col[b0 : b0 + _TABLE_BLOCK]
        skip = np.zeros(base.size, dtype=bool)
        skip[order] = True
        return _ParameterSets(base=base, cols=order, values=values, skip=skip)

    def _check_readout_time(
        self, t_max: float, cols: Mapping[int, np.ndarray], what: str, first_set: int = 0
    ) -> None:
        """Refuse readouts after the end of maturation (the set's ``maturation.duration``).

        Only for an engine built from a model definition with that parameter: its readouts
        (MCH, MCV, Hb, protoporphyrin) describe the cell at the end of maturation, and nothing in
        the model stops hemoglobinisation after it (MCV 1093 fL at 500 h). ``cols`` are the
        checked override columns (:meth:`_override_columns`).
        """
        c = self._maturation_col
        if c is None:
            return
        overridden = c in cols
        duration = cols[c] if overridden else np.array([self._compiled.ir.param_defaults[c]])
        bad = t_max > duration * (1.0 + _PAST_END_TOLERANCE)
        if not bad.any():
            return
        i = int(np.argmax(bad))
        d = float(duration[i])
        where = f" of set {first_set + i}" if overridden and np.ptp(duration) > 0 else ""
        low, high = RANGES["maturation_duration"]
        raise SimulationError(
            f"{what} {t_max:.12g} h is past the end of maturation{where} ({d:.12g} h, "
            "maturation.duration): the blood indices are defined at its end; read out at most "
            f"{d:.12g} h, or set maturation.duration ({low:g} to {high:g} h)"
        )

    def _initial_states(self, mat: np.ndarray, skip: np.ndarray) -> np.ndarray:
        mod = self._compiled.module
        y0 = np.empty((mat.shape[0], len(self.state_names)))
        peff = np.empty_like(mat)
        mod.initial_states(np.ascontiguousarray(mat), skip, y0, peff)
        return y0

    # -- runs ---------------------------------------------------------------------------------

    def warmup(self) -> float:
        """Compile (or load from numba's cache) every kernel; returns the seconds it took."""
        t0 = time.perf_counter()
        self.simulate(None, t_end=1e-3, points=2)
        self.steady_state(None, warm_start=False)
        ns = len(self.state_names)
        mat, _ = self.parameter_matrix(None)
        jac = np.empty((1, ns, ns))
        self._compiled.module.jacobians(0.0, np.ones((1, ns)), mat, jac, jac.copy(), self._atol)
        self.compile_s = time.perf_counter() - t0
        return self.compile_s

    def simulate(
        self,
        params: Any = None,
        t_end: float = 1.0,
        points: int = 101,
        *,
        times: Sequence[float] | np.ndarray | None = None,
        max_steps: int = 100_000,
        n: int | None = None,
    ) -> BatchResult:
        """Time courses of N parameter sets from time 0.

        Parameters
        ----------
        params
            Overrides (see :meth:`parameter_matrix`).
        t_end
            End time (model time unit; h for hemesim's models), a finite number > 0. For a
            model definition with ``maturation.duration``, at most the maturation length of
            every set.
        points
            Number of evenly spaced output times from 0 to ``t_end`` inclusive (2 to
            :data:`MAX_TIMES`).
        times
            Explicit output times (overrides ``t_end``/``points``): 1 to :data:`MAX_TIMES`
            finite, strictly increasing times >= 0 whose last is > 0 (the same limit as
            ``t_end`` applies to it).
        max_steps
            Step limit per set (1 to :data:`MAX_STEPS`).
        n
            Number of sets when every override is a scalar (or none is given); 1 to
            :data:`MAX_SETS`.

        Returns
        -------
        BatchResult
            A set whose readouts are infinite gets status 4 (non-finite values) and NaN.

        Raises
        ------
        SimulationError, ModelError
            A malformed argument or override (one line naming it and the expected form), a
            readout after the end of maturation, or a result larger than :data:`MAX_VALUES`.
        """
        tout = self._output_times(t_end, points, times)
        steps = _count(max_steps, "max_steps", 1, MAX_STEPS)
        cols, size = self._override_columns(params, n)
        self._check_readout_time(
            float(tout[-1]), cols, "t_end" if times is None else "the last output time"
        )
        _check_size(size * tout.size * self._out_idx.size, "the result (sets x times x readouts)")
        return self._run_timecourse(self._pack(cols, size), tout, steps)

    @staticmethod
    def _output_times(t_end: Any, points: Any, times: Any) -> np.ndarray:
        """Checked output times: ``times``, or ``points`` evenly spaced from 0 to ``t_end``."""
        if times is None:
            end = _real(t_end, "t_end")
            count = _count(points, "points", 2, MAX_TIMES)
            return np.linspace(0.0, end, count)
        tout = _time_array(times, "times", MAX_TIMES)
        if not tout[-1] > 0:
            raise SimulationError(
                f"times={tout.tolist()!r}: expected a last output time > 0 (time 0 is the "
                "initial state)"
            )
        return tout

    def _run_timecourse(
        self, sets: _ParameterSets, tout: np.ndarray, max_steps: int = 100_000
    ) -> BatchResult:
        n = sets.size
        with _small_pages(8 * n * tout.size * self._out_idx.size):
            out = np.empty((n, tout.size, self._out_idx.size))
        status = np.empty(n, dtype=np.int64)
        t0 = time.perf_counter()
        self._compiled.module.batch_timecourse(
            sets.base,
            sets.cols,
            sets.values,
            sets.skip,
            tout,
            self.rtol,
            self._atol,
            self._out_idx,
            out,
            status,
            0.0,
            int(max_steps),
            METHODS[self.method],
        )
        elapsed = time.perf_counter() - t0
        # an overflowing readout is not a result: the set failed (NaN readouts of a successful
        # set, e.g. a power of a negative base in a rule, are left to the caller)
        inf = (status == 0) & np.isinf(out).any(axis=(1, 2))
        if inf.any():
            status[inf] = 4
            out[inf] = np.nan
        return BatchResult(
            time=tout,
            values=out,
            names=list(self.readout_names),
            status=status,
            elapsed_s=elapsed,
        )

    def endpoint(self, params: Any = None, t_end: float = 1.0, n: int | None = None) -> np.ndarray:
        """Readouts at ``t_end`` of N sets, shape ``(N, R)`` (NaN where integration failed).

        ``t_end`` is a finite number > 0 (model time unit), limited as in :meth:`simulate`.
        """
        t = _real(t_end, "t_end")
        cols, size = self._override_columns(params, n)
        self._check_readout_time(t, cols, "t_end")
        _check_size(size * self._out_idx.size, "the result (sets x readouts)")
        res = self._run_timecourse(self._pack(cols, size), np.array([t]))
        return res.values[:, 0, :]

    def endpoint_frame(self, params: Any = None, t_end: float = 1.0) -> pd.DataFrame:
        """:meth:`endpoint` as a DataFrame with a column per readout."""
        import pandas as pd

        return pd.DataFrame(self.endpoint(params, t_end), columns=self.readout_names)

    def states_at(self, params: Any, t: float, n: int | None = None) -> np.ndarray:
        """State amounts of N sets at time ``t`` (integrated from 0), shape ``(N, S)``.

        ``t`` is a finite time >= 0 (model time unit), limited as in :meth:`simulate`. NaN where
        the integration failed.
        """
        t = _real(t, "t", strict=False)
        cols, size = self._override_columns(params, n)
        self._check_readout_time(t, cols, "t")
        _check_size(size * len(self.state_names), "the result (sets x states)")
        return self._states_at(self._pack(cols, size), t)

    def _states_at(self, sets: _ParameterSets, t: float) -> np.ndarray:
        ir = self._compiled.ir
        idx = np.array([self.output_names.index(s) for s in self.state_names], dtype=np.int64)
        out = np.empty((sets.size, 1, idx.size))
        status = np.empty(sets.size, dtype=np.int64)
        self._compiled.module.batch_timecourse(
            sets.base,
            sets.cols,
            sets.values,
            sets.skip,
            np.array([float(t)]),
            self.rtol,
            self._atol,
            idx,
            out,
            status,
            0.0,
            1_000_000,
            METHODS[self.method],
        )
        y = out[:, 0, :].copy()
        for i, sid in enumerate(self.state_names):
            comp = ir.species_compartment.get(sid)
            if comp is not None and not ir.species_hosu[sid]:
                y[:, i] *= sets.column(self._pidx[comp])
        y[status != 0] = np.nan
        return y

    def nominal_steady_state(self, t_warm: float = 1000.0) -> np.ndarray:
        """Steady state of the default parameters (cached): the time course from the initial
        state to ``t_warm`` (model time units, a finite number > 0), then Newton. It is the
        warm start of every set.

        Raises
        ------
        SimulationError
            The default parameters have no steady state (the failure is remembered, so a
            repeated call fails at once); the message says what to do instead.
        """
        t_warm = _real(t_warm, "t_warm")
        if self._y_guess is None:
            failed = self._nominal_failures.get(t_warm)
            if failed is not None:
                raise SimulationError(failed)
            defaults = self._pack({}, 1)
            y = self._states_at(defaults, t_warm)[0]
            if not np.all(np.isfinite(y)):
                self._nominal_failures[t_warm] = (
                    f"the default parameters could not be integrated to t_warm={t_warm:g}, "
                    "where the warm start of every steady state is taken; pass "
                    "warm_start=False, or a smaller t_warm"
                )
                raise SimulationError(self._nominal_failures[t_warm])
            res = self._steady(defaults, y, t=0.0, warm_times=_DEFAULT_WARM_TIMES)
            if not res.converged[0]:
                self._nominal_failures[t_warm] = self._no_steady_state_message()
                raise SimulationError(self._nominal_failures[t_warm])
            self._y_guess = res.state[0].copy()
        return self._y_guess

    def _no_steady_state_message(self) -> str:
        if self.definition is not None and not self.quasi_steady_state:
            from hemesim.simulate.roadrunner_engine import ACCUMULATORS

            return (
                f"model {self.definition.name!r} has no steady state: "
                f"{', '.join(ACCUMULATORS)} only accumulate during maturation; use "
                "BatchedEngine(definition, quasi_steady_state=True), which holds those pools "
                "fixed (as Model.steady_state does), or run_cohort(..., mode='steady_state'), "
                "which does so for a named model"
            )
        return (
            "the default parameters have no steady state (Newton failed from the end of a time "
            "course from the initial state); species that only accumulate have none: hold them "
            "fixed (boundaryCondition='true' in the SBML), or compute time courses (simulate)"
        )

    def _sensitivity(
        self, y_nom: np.ndarray, skip: np.ndarray, vcols: np.ndarray, t: float
    ) -> np.ndarray | None:
        """Sensitivity ``S[i, c] = d y_i / d p_c`` of the steady state ``y_nom`` of the default
        parameters to each overridden parameter column ``c`` (zero elsewhere): ``-J^-1 df/dp``,
        with ``df/dp`` a central difference through the initial assignments. ``None`` when the
        model has conservation laws or the Jacobian is singular (Newton then starts from
        ``y_nom`` itself)."""
        if self._laws.shape[0] or vcols.size == 0 or not np.all(np.isfinite(y_nom)):
            return None
        mod = self._compiled.module
        base = self._compiled.ir.param_defaults
        ns, npar = y_nom.size, base.size
        rows = np.empty((2 * vcols.size + 1, npar))
        rows[:] = base
        steps = np.empty(vcols.size)
        for q, c in enumerate(vcols):
            h = 1e-6 * abs(base[c]) if base[c] != 0.0 else 1e-9
            rows[2 * q, c] += h
            rows[2 * q + 1, c] -= h
            steps[q] = 2.0 * h
        y0 = np.empty((rows.shape[0], ns))
        peff = np.empty_like(rows)
        mod.initial_states(rows, skip, y0, peff)
        ys = np.repeat(y_nom[None, :], rows.shape[0], axis=0)
        f = np.empty_like(ys)
        mod.batch_rhs(float(t), ys, np.ascontiguousarray(peff), f)
        ja = np.empty((1, ns, ns))
        jf = np.empty((1, ns, ns))
        mod.jacobians(float(t), ys[-1:], np.ascontiguousarray(peff[-1:]), ja, jf, self._atol / 1e-7)
        jac = ja[0] if np.all(np.isfinite(ja[0])) else jf[0]
        dfdp = np.zeros((ns, npar))
        for q, c in enumerate(vcols):
            dfdp[:, c] = (f[2 * q] - f[2 * q + 1]) / steps[q]
        try:
            sens = -np.linalg.solve(jac, dfdp)
        except np.linalg.LinAlgError:
            return None
        return np.ascontiguousarray(sens) if np.all(np.isfinite(sens)) else None

    def steady_state(
        self,
        params: Any = None,
        *,
        warm_start: bool = True,
        t: float = 0.0,
        warm_times: Sequence[float] | None = None,
        n: int | None = None,
    ) -> SteadyStateResult:
        """Steady states of N parameter sets by batched Newton.

        Parameters
        ----------
        params
            Overrides (see :meth:`parameter_matrix`).
        warm_start
            Start Newton from the steady state of the default parameters (one time course
            plus Newton, cached: :meth:`nominal_steady_state`); if that fails, continue in 8
            geometric steps from the default parameters to the set's, Newton at each; otherwise
            from each set's initial state.
        t
            Model time at which time-dependent terms are evaluated (a finite number >= 0).
        warm_times
            Fallback: when Newton fails, integrate the set from its initial state to each of
            these times in turn and retry Newton (1 to :data:`MAX_WARM_TIMES` finite, strictly
            increasing times > 0; default ``10**k`` for k = -2..8).
        n
            Number of sets when every override is a scalar (or none is given); 1 to
            :data:`MAX_SETS`.

        Returns
        -------
        SteadyStateResult
            ``converged`` is False for sets without a plausible (finite, non-negative) root.

        Raises
        ------
        SimulationError, ModelError
            A malformed argument or override (checked first), or, with ``warm_start``, a model
            whose default parameters have no steady state (the message says what to do; for
            hemesim's erythroid model: ``quasi_steady_state=True``).
        """
        if not isinstance(warm_start, bool | np.bool_):
            raise SimulationError(f"warm_start={warm_start!r}: expected True or False")
        t = _real(t, "t", strict=False)
        wt = _DEFAULT_WARM_TIMES
        if warm_times is not None:
            wt = _time_array(warm_times, "warm_times", MAX_WARM_TIMES)
            if not wt[0] > 0:
                raise SimulationError(f"warm_times[0]={float(wt[0])!r}: expected times > 0")
        cols, size = self._override_columns(params, n)
        _check_size(
            size * (self._out_idx.size + len(self.state_names)),
            "the result (sets x (readouts + states))",
        )
        sets = self._pack(cols, size)
        guess = self.nominal_steady_state() if warm_start else np.zeros(0)
        return self._steady(sets, guess, t=t, warm_times=wt)

    def _steady(
        self,
        sets: _ParameterSets,
        guess: np.ndarray,
        *,
        t: float,
        warm_times: np.ndarray,
    ) -> SteadyStateResult:
        vcols = sets.cols
        sens = self._sensitivity(guess, sets.skip, vcols, t) if guess.size else None
        w_key = _chain_key(sens, guess, sets.values, vcols, self._compiled.ir.param_defaults)
        n = sets.size
        with _small_pages(8 * n * (self._out_idx.size + len(self.state_names))):
            out = np.empty((n, self._out_idx.size))
            yss = np.empty((n, len(self.state_names)))
            status = np.empty(n, dtype=np.int64)
        t0 = time.perf_counter()
        self._compiled.module.batch_steady_state(
            sets.base,
            sets.values,
            sets.skip,
            np.ascontiguousarray(guess, dtype=float),
            np.ascontiguousarray(self._laws),
            self._pivots,
            float(t),
            self.rtol,
            self._atol,
            np.ascontiguousarray(warm_times, dtype=float),
            self._out_idx,
            out,
            yss,
            status,
            np.ascontiguousarray(self._compiled.ir.param_defaults) if guess.size else np.zeros(0),
            sens if sens is not None else np.zeros((0, 0)),
            vcols,
            w_key,
            STEADY_GROUP,
        )
        return SteadyStateResult(
            values=out,
            names=list(self.readout_names),
            state=yss,
            state_names=list(self.state_names),
            converged=status == 0,
            elapsed_s=time.perf_counter() - t0,
        )
