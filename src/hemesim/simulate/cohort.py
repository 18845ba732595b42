"""Virtual cohorts at the simulate level: sample parameter sets, evaluate them in batches.

:func:`run_cohort` draws ``n`` parameter sets (from a caller's sampler, an explicit table, and/or
log-normal parameter-uncertainty priors), evaluates them with the batched engine in this process
or on Dask, and returns a :class:`CohortResult` table with summary quantiles and provenance.

Determinism: sets are drawn in blocks of :data:`BLOCK_SIZE`; block ``b`` uses the generators
spawned from ``numpy.random.SeedSequence([seed, b])`` (one for the sampler, one for the priors).
Execution chunks are whole blocks, so the result is identical whatever the chunk size, the
scheduler, the number of workers or the retries.

On a named model every set must keep the model's parameter rules
(:meth:`hemesim.model.ModelDefinition.check_override_columns`), sets are read out at the end of
their maturation (one ``maturation.duration`` per cohort) or at ``t_end`` before it, and steady
states are those of the quasi-steady-state form (accumulating pools held fixed).

This module knows nothing of phenotypes: a caller (e.g. the cohort CLI) passes per-set override
arrays through ``sampler`` (a variant's overrides for a fraction of sets, an X-inactivation
fraction per set as a covariate, ...) and reads the readouts back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hemesim.errors import HemesimError, SimulationError
from hemesim.safe_io import atomic_output, csv_safe, os_error_reason
from hemesim.simulate.priors import LogNormalPriors, priors_from_table

if TYPE_CHECKING:
    import pandas as pd

    from hemesim.simulate.batched import BatchedEngine

__all__ = ["BLOCK_SIZE", "MAX_COHORT_SETS", "CohortResult", "run_cohort", "Sampler"]

BLOCK_SIZE = 512
"""Sets per sampling block (the unit of seeding and of chunking)."""

MAX_COHORT_SETS = 20_000_000
"""Most sets of one :func:`run_cohort` call: twice the cap of
``hemesim.phenotype.virtual_cohort`` (10,000,000), whose women take two sets each (a clone pair).
Each engine call evaluates at most ``batched.MAX_SETS`` of them (chunks are capped)."""

DEFAULT_QUANTILES = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)

Sampler = Callable[[np.random.Generator, int], Any]
"""``sampler(rng, m) -> mapping name -> array(m)`` or a DataFrame of ``m`` rows."""


# ---------------------------------------------------------------------------------------------
# per-process engine cache (each Dask worker builds its engine once)
# ---------------------------------------------------------------------------------------------

_ENGINES: dict[tuple[Any, ...], BatchedEngine] = {}


@dataclass(frozen=True)
class _ModelSpec:
    name: str | None
    sbml: str | None
    readouts: tuple[str, ...] | None
    rtol: float
    atol: float
    quasi_steady_state: bool = False

    def key(self) -> tuple[Any, ...]:
        return (
            self.name,
            hash(self.sbml),
            self.readouts,
            self.rtol,
            self.atol,
            self.quasi_steady_state,
        )


def _engine(spec: _ModelSpec) -> BatchedEngine:
    from hemesim.simulate.batched import BatchedEngine

    eng = _ENGINES.get(spec.key())
    if eng is None:
        source: Any
        if spec.name is not None:
            from hemesim.model import load_definition

            source = load_definition(spec.name)
        else:
            source = spec.sbml
        eng = BatchedEngine(
            source,
            readouts=spec.readouts,
            rtol=spec.rtol,
            atol=spec.atol,
            quasi_steady_state=spec.quasi_steady_state,
        )
        _ENGINES[spec.key()] = eng
    return eng


@dataclass(frozen=True)
class _Chunk:
    model: _ModelSpec
    seed: int
    n: int
    blocks: tuple[int, ...]
    sampler: Sampler | None
    table: dict[str, np.ndarray] | None  # the table's columns for the rows of this chunk
    priors: LogNormalPriors | None
    covariates: tuple[str, ...]
    mode: str
    t_end: float
    t_end_given: bool  # False: t_end is the maturation length, which every set must share
    keep_parameters: bool
    threads: int | None


def _as_columns(obj: Any, m: int, what: str) -> dict[str, np.ndarray]:
    if obj is None:
        return {}
    if hasattr(obj, "columns") and hasattr(obj, "to_numpy"):
        cols = {str(c): np.asarray(obj[c]) for c in obj.columns}
    elif isinstance(obj, Mapping):
        cols = {str(k): np.asarray(v) for k, v in obj.items()}
    else:
        raise SimulationError(f"{what} returned {type(obj).__name__}; expected a mapping or table")
    out = {}
    for k, v in cols.items():
        v = np.broadcast_to(v, (m,)) if v.ndim == 0 else v
        if v.shape != (m,):
            raise SimulationError(f"{what} column {k!r} has shape {v.shape}; expected ({m},)")
        out[k] = v
    return out


def _evaluate_chunk(chunk: _Chunk) -> dict[str, Any]:
    """Sample and evaluate the sets of one chunk (runs in-process or on a Dask worker)."""
    from hemesim.model.definition import _number_column

    if chunk.threads is not None:
        import numba

        numba.set_num_threads(max(1, min(chunk.threads, numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    eng = _engine(chunk.model)
    param_cols: list[dict[str, np.ndarray]] = []
    cov_cols: list[dict[str, np.ndarray]] = []
    sizes: list[int] = []
    offset = 0
    for b in chunk.blocks:
        start = b * BLOCK_SIZE
        m = min(chunk.n, start + BLOCK_SIZE) - start
        s_sampler, s_prior = np.random.SeedSequence([chunk.seed, b]).spawn(2)
        cols: dict[str, np.ndarray] = {}
        if chunk.table is not None:
            rows = {k: v[offset : offset + m] for k, v in chunk.table.items()}
            cols.update(_as_columns(rows, m, "parameter table"))
        if chunk.sampler is not None:
            try:
                drawn = chunk.sampler(np.random.default_rng(s_sampler), m)
            except HemesimError:
                raise
            except Exception as exc:  # noqa: BLE001 - a user's sampler: report it on one line
                raise SimulationError(
                    f"sampler failed on the draw of sets {start} to {start + m - 1}: {exc}"
                ) from None
            cols.update(_as_columns(drawn, m, "sampler"))
        offset += m
        missing = [k for k in chunk.covariates if k not in cols]
        if missing:
            raise SimulationError(
                f"covariate {missing[0]!r} is missing from the draw of sets {start} to "
                f"{start + m - 1}; expected every draw to return it"
            )
        covs = {k: cols.pop(k) for k in list(cols) if k in chunk.covariates}
        params = {eng.resolve_name(k): _number_column(k, v) for k, v in cols.items()}
        if chunk.priors is not None:
            f = chunk.priors.sample_factors(np.random.default_rng(s_prior), m)
            for k, name in enumerate(chunk.priors.names):
                base = params.get(name, np.full(m, chunk.priors.medians[k]))
                params[name] = chunk.priors.apply(k, base, f[:, k])
        param_cols.append(params)
        cov_cols.append(covs)
        sizes.append(m)
    n_chunk = sum(sizes)
    first = chunk.blocks[0] * BLOCK_SIZE
    defaults = eng.defaults
    keys = sorted(set().union(*[set(p) for p in param_cols]))
    merged = {
        k: np.concatenate(
            [p.get(k, np.full(m, defaults[k])) for p, m in zip(param_cols, sizes, strict=True)]
        )
        for k in keys
    }
    if chunk.mode == "steady_state":
        eng.validate_parameters(merged, n_chunk, first_set=first)
        ss = eng.steady_state(merged, n=n_chunk)
        values, status = ss.values, np.where(ss.converged, 0, 5)
    else:
        if not chunk.t_end_given:
            _check_one_maturation(eng, merged, chunk.t_end, first)
        eng.validate_parameters(merged, n_chunk, t_end=chunk.t_end, first_set=first)
        res = eng.simulate(merged, times=[chunk.t_end], n=n_chunk)
        values, status = res.values[:, -1, :], res.status
    covariates = {k: np.concatenate([c[k] for c in cov_cols]) for k in chunk.covariates}
    return {
        "values": values,
        "status": status,
        "parameters": merged if chunk.keep_parameters else {},
        "covariates": covariates,
    }


def _check_one_maturation(
    eng: BatchedEngine, columns: Mapping[str, np.ndarray], t_end: float, first_set: int
) -> None:
    """Without an explicit ``t_end`` the sets are read at the end of maturation, which must then
    be the same for every set (``maturation.duration`` equal to ``t_end`` in every row)."""
    if "maturation_duration" not in eng.param_names or eng.definition is None:
        return
    for key, col in columns.items():
        if eng.resolve_name(key) != "maturation_duration":
            continue
        values = np.asarray(col, dtype=float)
        bad = values != t_end
        if bad.any():
            i = int(np.argmax(bad))
            raise SimulationError(
                f"parameter 'maturation.duration' varies between sets ({t_end:.12g} h, and "
                f"{values[i]:.12g} h in set {first_set + i}): a cohort is read out at one end "
                "time; pass t_end (at most the shortest maturation) or run each maturation "
                "length as a separate cohort"
            )


# ---------------------------------------------------------------------------------------------
# result
# ---------------------------------------------------------------------------------------------


@dataclass
class CohortResult:
    """Readouts of a virtual cohort, one row per parameter set.

    Attributes
    ----------
    values
        Readouts, shape ``(n, R)``; NaN where the set failed (``status != 0``).
    names
        Readout names (units in the model definition).
    status
        Per-set status code (0 ok; see ``hemesim.simulate.batched.STATUS_MESSAGES``).
    parameters
        The varied parameter values per set (engine ids).
    covariates
        Caller's per-set covariates passed through from the sampler.
    """

    values: np.ndarray
    names: list[str]
    status: np.ndarray
    parameters: dict[str, np.ndarray]
    covariates: dict[str, np.ndarray]
    seed: int
    mode: str
    t_end: float
    elapsed_s: float
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of sets."""
        return int(self.values.shape[0])

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of sets that were evaluated successfully."""
        return self.status == 0

    def to_dataframe(self) -> pd.DataFrame:
        """One row per set: ``set``, covariates, varied parameters, readouts, ``status``."""
        import pandas as pd

        data: dict[str, Any] = {"set": np.arange(self.n)}
        data.update(self.covariates)
        data.update({f"param:{k}": v for k, v in self.parameters.items()})
        data.update({k: self.values[:, i] for i, k in enumerate(self.names)})
        data["status"] = self.status
        return pd.DataFrame(data)

    def quantiles(self, q: Sequence[float] | float = DEFAULT_QUANTILES) -> pd.DataFrame:
        """Quantiles of each readout over the successful sets (rows: readouts; columns: q).

        ``q`` is a probability in [0, 1] or a non-empty sequence of them. NaN readouts of
        successful sets (e.g. a power of a negative base in a readout rule) are left out of that
        readout's quantiles.
        """
        import pandas as pd

        from hemesim.simulate.batched import _is_real

        values = [q] if _is_real(q) else q
        if isinstance(values, str | bytes | Mapping) or not isinstance(
            values, Sequence | np.ndarray
        ):
            raise SimulationError(
                f"quantiles q={q!r}: expected a number or a sequence of numbers in [0, 1]"
            )
        arr = np.asarray(values, dtype=object)
        flat = list(arr.ravel()) if arr.ndim == 1 else []
        if not flat or not all(_is_real(x) and 0.0 <= float(x) <= 1.0 for x in flat):
            raise SimulationError(
                f"quantiles q={q!r}: expected a number or a non-empty sequence of numbers in [0, 1]"
            )
        qs = np.asarray([float(x) for x in flat])
        vals = self.values[self.ok]
        if vals.shape[0] == 0:
            table = np.full((len(self.names), qs.size), np.nan)
        else:
            table = np.nanquantile(vals, qs, axis=0).T
        return pd.DataFrame(table, index=self.names, columns=[f"q{x:g}" for x in qs])

    def to_parquet(self, path: str | Path) -> Path:
        """Write the table as Parquet; returns the path."""
        return self._write(path, "parquet")

    def to_csv(self, path: str | Path) -> Path:
        """Write the table as CSV; returns the path."""
        return self._write(path, "csv")

    def _write(self, path: str | Path, fmt: str) -> Path:
        p = Path(path)
        if not p.parent.exists():
            raise SimulationError(f"output folder {str(p.parent)!r} does not exist")
        df = self.to_dataframe()
        try:
            with atomic_output(p) as tmp:  # no partial file on failure
                if fmt == "parquet":
                    df.to_parquet(tmp, index=False)
                else:
                    csv_safe(df).to_csv(tmp, index=False)
        except OSError as exc:
            raise SimulationError(f"cannot write {str(p)!r}: {os_error_reason(exc)}") from None
        return p

    def to_dict(self) -> dict[str, Any]:
        """Summary: counts, quantiles per readout, and provenance (JSON-serialisable)."""
        qt = self.quantiles()
        return {
            "n": self.n,
            "n_ok": int(self.ok.sum()),
            "seed": self.seed,
            "mode": self.mode,
            "t_end": self.t_end,
            "elapsed_s": round(self.elapsed_s, 3),
            "quantiles": {
                name: {col: (None if math.isnan(v) else float(v)) for col, v in row.items()}
                for name, row in qt.iterrows()
            },
            "provenance": self.provenance,
        }


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------


def run_cohort(
    sampler_or_table: Sampler | pd.DataFrame | Mapping[str, Any] | None,
    n: int,
    *,
    seed: int,
    uncertainty: bool | LogNormalPriors = False,
    scheduler: Any = None,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    model: str = "erythroid",
    sbml: str | None = None,
    readouts: Sequence[str] | str | None = None,
    mode: str = "endpoint",
    t_end: float | None = None,
    covariates: Sequence[str] | str = (),
    keep_parameters: bool = True,
    rtol: float | None = None,
    atol: float = 1e-11,
    retries: int = 3,
) -> CohortResult:
    """Evaluate ``n`` parameter sets of a model with the batched engine.

    Parameters
    ----------
    sampler_or_table
        ``sampler(rng, m) -> {name: array(m)}`` (or a DataFrame of ``m`` rows) drawing per-set
        overrides; or an explicit table (DataFrame of ``n`` rows, or a mapping name -> array of
        length ``n`` or a single number for every set) with a column per overridden parameter;
        or ``None`` (defaults only). Names are model parameter ids or table names
        (``"ALAS2.kcat"``); values are real numbers in the table's units. On a named model every
        value must keep the model's rules
        (:meth:`hemesim.model.ModelDefinition.check_override_columns`).
    n
        Number of sets, 1 to :data:`MAX_COHORT_SETS`.
    seed
        Seed of every random draw (sampler and priors), by block (see module docstring).
    uncertainty
        ``True`` for the documented log-normal priors on every uncertain parameter
        (:mod:`hemesim.simulate.priors`), multiplied on top of the overrides; or a
        :class:`LogNormalPriors`; ``False`` for none.
    scheduler
        ``None``: evaluate in this process. ``"local"``: a Dask ``LocalCluster`` (2 workers).
        ``"tcp://host:port"``: that Dask scheduler. A ``distributed.Client``: use it.
    chunk_size
        Sets per chunk, rounded up to whole blocks of :data:`BLOCK_SIZE` (in mode
        ``"steady_state"`` to whole groups of ``STEADY_GROUP``, a multiple of it) and capped at
        ``batched.MAX_SETS``; default from the measured engine cost and the Dask task overhead.
    progress
        Called as ``progress(done_sets, n)`` after each chunk.
    model
        Model name for :func:`hemesim.model.load_definition` (ignored when ``sbml`` is given).
    sbml
        Evaluate this SBML instead of a named model.
    readouts
        Outputs to return: one name or a list (default: the model's readouts).
    mode
        ``"endpoint"`` (readouts at ``t_end``) or ``"steady_state"``. On a named model the
        steady states are those of its quasi-steady-state form
        (``BatchedEngine(..., quasi_steady_state=True)``): the pools that only accumulate
        during maturation (Hb, ZnPP, deposited iron, ...) are held at their initial amounts, 0
        unless given as columns (species ids such as ``"Hb"``, in uM).
    t_end
        Readout time (h for a named model), a finite number > 0. Default: the model's maturation
        length (``maturation.duration``, 72 h; a constant override of it in the table or the
        sampler's draws sets it; one that varies between sets is refused, since every set is
        read at one time) or 1 for other SBML. On a named model it may not exceed the
        maturation length of any set.
    covariates
        Sampler (or table) columns that are not parameters and are passed through to the
        table: one name or a list.
    keep_parameters
        Keep the varied parameter values in the result table.
    rtol, atol
        Engine tolerances in (0, 1) (see :class:`hemesim.simulate.batched.BatchedEngine`);
        default rtol ``MODEL_RTOL`` (1e-6) for a named hemesim model, ``DEFAULT_RTOL`` for
        other SBML.
    retries
        Dask retries per chunk (0 to 100).

    Returns
    -------
    CohortResult

    Raises
    ------
    SimulationError, ModelError
        A malformed argument, table or override value (one line naming it and the expected
        form), checked before any set is evaluated where the values are known up front (the
        table and the sampler's probe draw), and before each chunk otherwise.
    """
    from hemesim.provenance import provenance
    from hemesim.simulate.batched import (
        DEFAULT_RTOL,
        MAX_SETS,
        MODEL_RTOL,
        STEADY_GROUP,
        _count,
        _names,
        _real,
        _tolerance,
    )
    from hemesim.simulate.dask_runner import check_scheduler

    # -- arguments, before any work ------------------------------------------------------------
    n = _count(n, "n", 1, MAX_COHORT_SETS)
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise SimulationError(f"seed={seed!r}: expected an integer >= 0")
    if not isinstance(mode, str) or mode not in ("endpoint", "steady_state"):
        raise SimulationError(f"mode={mode!r}: expected 'endpoint' or 'steady_state'")
    if not isinstance(uncertainty, bool | np.bool_ | LogNormalPriors):
        raise SimulationError(
            f"uncertainty={uncertainty!r}: expected True, False or a LogNormalPriors"
        )
    if progress is not None and not callable(progress):
        raise SimulationError(
            f"progress={progress!r}: expected None or a function progress(done_sets, n)"
        )
    if not isinstance(keep_parameters, bool | np.bool_):
        raise SimulationError(f"keep_parameters={keep_parameters!r}: expected True or False")
    retries = _count(retries, "retries", 0, 100)
    if chunk_size is not None:
        chunk_size = _count(chunk_size, "chunk_size", 1, 10**12)
    if sbml is not None and not isinstance(sbml, str):
        raise SimulationError(f"sbml: expected SBML text (str); got {type(sbml).__name__}")
    readout_names = None if readouts is None else tuple(_names(readouts, "readouts"))
    covs = tuple(_names(covariates, "covariates"))
    t_end_given = t_end is not None
    if t_end is not None:
        t_end = _real(t_end, "t_end")
    if rtol is None:
        rtol = MODEL_RTOL if sbml is None else DEFAULT_RTOL["radau"]
    eng_rtol = _tolerance(rtol, "rtol")
    atol = _tolerance(atol, "atol")
    check_scheduler(scheduler)
    sampler: Sampler | None = None
    table: dict[str, np.ndarray] | None = None
    if callable(sampler_or_table):
        sampler = sampler_or_table
    elif sampler_or_table is not None:
        table = _table_columns(sampler_or_table, n)

    definition = None
    if sbml is None:
        from hemesim.model import load_definition

        definition = load_definition(model)
    spec = _ModelSpec(
        name=None if sbml is not None else model,
        sbml=sbml,
        readouts=readout_names,
        rtol=eng_rtol,
        atol=atol,
        quasi_steady_state=definition is not None and mode == "steady_state",
    )
    eng = _engine(spec)

    priors: LogNormalPriors | None = None
    if isinstance(uncertainty, LogNormalPriors):
        priors = uncertainty
    elif uncertainty:
        if definition is None:
            raise SimulationError(
                "uncertainty=True needs a named model with a parameter table; pass LogNormalPriors"
            )
        from hemesim.model.definition import UPPER_BOUNDS

        priors = priors_from_table(
            definition.parameters, id_of=definition.id_of, upper_bounds=UPPER_BOUNDS
        )
    if priors is not None:
        for name in priors.names:
            eng.resolve_name(name)

    probe = _check_names(eng, sampler, table, covs, seed)
    if table is not None:
        eng.validate_parameters({k: v for k, v in table.items() if k not in covs}, n)
    # the maturation length known up front: the sampler's (probe draw) over the table's
    durations = _maturation_columns(eng, probe, covs) or _maturation_columns(eng, table, covs)
    if mode == "endpoint" and t_end is None:
        t_end = _maturation_end(durations)
    if t_end is None:
        t_end = float(eng.defaults.get("maturation_duration", 1.0))
    if mode == "endpoint":
        eng.validate_parameters(durations or None, t_end=t_end)

    n_blocks = math.ceil(n / BLOCK_SIZE)
    # steady states chain within groups of STEADY_GROUP sets: chunks are whole groups there
    unit = STEADY_GROUP if mode == "steady_state" else BLOCK_SIZE
    if chunk_size is None:
        from hemesim.simulate.dask_runner import suggest_chunk_size

        per_set = 2e-4 if mode == "steady_state" else 5e-3
        chunk_size = suggest_chunk_size(n, per_set, multiple_of=unit)
    units_per_chunk = min(max(1, math.ceil(int(chunk_size) / unit)), MAX_SETS // unit)
    blocks_per_chunk = units_per_chunk * (unit // BLOCK_SIZE)
    distributed = scheduler is not None
    chunks = []
    for c0 in range(0, n_blocks, blocks_per_chunk):
        blocks = tuple(range(c0, min(n_blocks, c0 + blocks_per_chunk)))
        rows = None
        if table is not None:
            lo, hi = blocks[0] * BLOCK_SIZE, min(n, (blocks[-1] + 1) * BLOCK_SIZE)
            rows = {k: v[lo:hi] for k, v in table.items()}
        chunks.append(
            _Chunk(
                model=spec,
                seed=int(seed),
                n=n,
                blocks=blocks,
                sampler=sampler,
                table=rows,
                priors=priors,
                covariates=covs,
                mode=mode,
                t_end=float(t_end),
                t_end_given=t_end_given,
                keep_parameters=bool(keep_parameters),
                threads=1 if distributed else None,
            )
        )
    sizes = [min(n, (c.blocks[-1] + 1) * BLOCK_SIZE) - c.blocks[0] * BLOCK_SIZE for c in chunks]
    t0 = time.perf_counter()
    if not distributed:
        results = []
        done = 0
        for c, size in zip(chunks, sizes, strict=True):
            results.append(_evaluate_chunk(c))
            done += size
            if progress is not None:
                progress(done, n)
    else:
        from hemesim.simulate.dask_runner import run_chunks

        cum = np.cumsum(sizes)

        def _progress(done_chunks: int, total: int) -> None:
            if progress is not None:
                progress(int(cum[done_chunks - 1]) if done_chunks else 0, n)

        results = run_chunks(
            _evaluate_chunk,
            chunks,
            scheduler=None if scheduler == "local" else scheduler,
            retries=retries,
            progress=_progress if progress is not None else None,
        )
    elapsed = time.perf_counter() - t0
    values = np.concatenate([r["values"] for r in results], axis=0)
    status = np.concatenate([r["status"] for r in results])
    pkeys = sorted(set().union(*[set(r["parameters"]) for r in results]))
    parameters = {
        k: np.concatenate(
            [
                r["parameters"].get(k, np.full(r["values"].shape[0], eng.defaults[k]))
                for r in results
            ]
        )
        for k in pkeys
    }
    cov_out = {k: np.concatenate([r["covariates"][k] for r in results]) for k in covs}
    prov = provenance(
        "hemesim.run_cohort",
        {
            "model": model if sbml is None else f"sbml:{eng.sbml_hash}",
            "n": n,
            "mode": mode,
            "quasi_steady_state": spec.quasi_steady_state,
            "t_end": t_end,
            "uncertainty": priors.to_dict() if priors is not None else False,
            "sampler": getattr(sampler, "__name__", repr(sampler)) if sampler else None,
            "table_columns": list(table) if table is not None else None,
            "block_size": BLOCK_SIZE,
            "chunk_sizes": [int(x) for x in sizes],
            "engine": {"rtol": eng_rtol, "atol": atol, "integrator": "Radau IIA (batched, numba)"},
            "scheduler": "in-process" if not distributed else str(scheduler),
        },
        seed=int(seed),
    )
    return CohortResult(
        values=values,
        names=list(eng.readout_names),
        status=status,
        parameters=parameters,
        covariates=cov_out,
        seed=int(seed),
        mode=mode,
        t_end=float(t_end),
        elapsed_s=elapsed,
        provenance=prov,
    )


def _table_columns(obj: Any, n: int) -> dict[str, np.ndarray]:
    """An explicit table (DataFrame of ``n`` rows, or a mapping name -> ``n`` values or one
    value for every set) as ``{name: array(n)}``; values are converted later (covariate columns
    may hold anything)."""
    if hasattr(obj, "columns") and hasattr(obj, "to_numpy"):
        if len(obj) != n:
            raise SimulationError(f"parameter table has {len(obj)} rows; expected n={n}")
        return {str(c): np.asarray(obj[c]) for c in obj.columns}
    if not isinstance(obj, Mapping):
        raise SimulationError(
            "sampler_or_table must be a sampler function(rng, m), a table (DataFrame, or a "
            f"mapping name -> values) or None; got {type(obj).__name__}"
        )
    out: dict[str, np.ndarray] = {}
    for key, raw in obj.items():
        name = str(key)
        try:
            v = np.asarray(raw)
        except (TypeError, ValueError):  # ragged nesting
            raise SimulationError(
                f"parameter table column {name!r}: expected a number or a 1-D sequence of "
                f"{n} values"
            ) from None
        if v.ndim == 0:
            v = np.full(n, v[()], dtype=v.dtype)
        if v.shape != (n,):
            raise SimulationError(
                f"parameter table column {name!r} has shape {v.shape}; expected one value or "
                f"{n} values (n={n})"
            )
        out[name] = v
    return out


def _maturation_columns(
    eng: BatchedEngine, columns: Mapping[str, Any] | None, covariates: tuple[str, ...]
) -> dict[str, Any]:
    """The column of ``columns`` that overrides ``maturation.duration`` on a model definition
    (``{name: values}``, the last such name), or ``{}``."""
    if not columns or eng.definition is None or "maturation_duration" not in eng.param_names:
        return {}
    found: dict[str, Any] = {}
    for key, raw in columns.items():
        if key not in covariates and eng.resolve_name(key) == "maturation_duration":
            found = {key: raw}
    return found


def _maturation_end(durations: Mapping[str, Any]) -> float | None:
    """The end of maturation set by an override column (one constant
    ``maturation.duration``), or None without one.

    A value that varies between sets is refused: a cohort is read out at one end time.
    """
    from hemesim.model.definition import _number_column

    for key, raw in durations.items():
        values = _number_column(key, raw)
        if np.ptp(values) > 0:
            lo, hi = int(np.argmin(values)), int(np.argmax(values))
            raise SimulationError(
                f"parameter {key!r} varies between sets ({values[lo]:.12g} h in set {lo}, "
                f"{values[hi]:.12g} h in set {hi}): a cohort is read out at one end time; pass "
                "t_end (at most the shortest maturation) or run each maturation length as a "
                "separate cohort"
            )
        return float(values[0])
    return None


def _check_names(
    eng: BatchedEngine,
    sampler: Sampler | None,
    table: Mapping[str, np.ndarray] | None,
    covariates: tuple[str, ...],
    seed: int,
) -> dict[str, np.ndarray]:
    """Fail fast (one line) on unknown names, covariates no column provides and values that are
    not numbers, before any chunk is sent to a worker; return the sampler's probe draw."""
    from hemesim.model.definition import _number_column

    cols: dict[str, np.ndarray] = dict(table or {})
    probe: dict[str, np.ndarray] = {}
    if sampler is not None:
        try:
            drawn = sampler(np.random.default_rng(seed), 2)
        except HemesimError:
            raise
        except Exception as exc:  # noqa: BLE001 - a user's sampler: report it on one line
            raise SimulationError(f"sampler failed on a probe draw: {exc}") from None
        probe = _as_columns(drawn, 2, "sampler")
        cols.update(probe)
    for c in covariates:
        if c not in cols:
            raise SimulationError(
                f"covariate {c!r} is not a column of the "
                f"{'sampler draws' if sampler is not None else 'table'}; columns: {sorted(cols)}"
            )
    for c, v in cols.items():
        if c in covariates:
            continue
        eng.resolve_name(c)
        _number_column(c, v)
    return probe
