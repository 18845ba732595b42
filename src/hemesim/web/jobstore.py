"""Cohort jobs that survive a restart: parameters, status, progress and result in SQLite.

The store is one SQLite file (stdlib :mod:`sqlite3`, write-ahead log) in the data folder:

* ``$HEMESIM_DATA_DIR`` when set, else the user's data folder: ``$XDG_DATA_HOME/hemesim`` or
  ``~/.local/share/hemesim`` (Linux and other POSIX), ``~/Library/Application Support/hemesim``
  (macOS), ``%LOCALAPPDATA%\\hemesim`` (Windows). When that folder cannot be written, a folder
  under the system's temporary folder is used, with a warning; when no file can be written at
  all, the store lives in memory for this process only (also with a warning).

Guarantees
----------
* A finished job (``done`` or ``error``) keeps its result across restarts until it expires.
* A job that was ``queued`` or ``running`` when its server stopped is marked ``interrupted``:
  queued jobs by the server itself as it shuts down, the rest by the next server that opens the
  store (jobs carry their server's process id; a live process's jobs are left alone, so two
  servers sharing a store never mark each other's live jobs).
* Expiry (applied when a job is created): results are dropped ``RESULT_TTL_S`` (7 days) after a
  job finished and the job then answers ``expired``; job records are deleted ``RECORD_TTL_S``
  (90 days) after creation, and beyond the newest ``MAX_RECORDS`` (1000) records. A deleted or
  never-issued id is unknown (404); an interrupted or expired one is known (200 with its status).
* Writers in several threads or processes are safe: every write is one transaction, SQLite
  serialises them (``busy_timeout`` 10 s), and each thread uses its own connection.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_RECORDS",
    "RECORD_TTL_S",
    "RESULT_TTL_S",
    "JobStore",
    "data_dir",
]

#: seconds after a job finished until its result is dropped (status ``expired``)
RESULT_TTL_S = 7 * 24 * 3600.0
#: seconds after creation until a job record is deleted (its id then answers 404)
RECORD_TTL_S = 90 * 24 * 3600.0
#: most job records kept (the oldest are deleted first)
MAX_RECORDS = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    status TEXT NOT NULL,
    progress REAL,
    result TEXT,
    error TEXT,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    instance TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created);
"""

_INTERRUPTED = (
    "the server stopped while this job was {status}; its result was lost. Start the cohort again"
)
_EXPIRED = "the result was kept for {days:g} days after the job finished and has been removed"


def data_dir() -> Path:
    """The folder of hemesim's persistent data (see the module docstring for the rule)."""
    env = os.environ.get("HEMESIM_DATA_DIR")
    if env:
        return Path(env)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "hemesim"


def _usable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".probe.", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError:
        return False
    return True


def _alive(instance: str) -> bool:
    """Is the process that wrote ``instance`` (``"<pid>:<token>"``) still running?

    The current process counts as alive (an app restarted in the same process marks its own
    queued jobs at shutdown, :meth:`JobStore.interrupt_queued`). A reused process id can make a
    dead server look alive; its jobs then stay ``running`` until that process ends.
    """
    pid_text = instance.partition(":")[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, AttributeError):
        return True  # exists (owned by someone else) or cannot tell
    return True


class JobStore:
    """Jobs in one SQLite database; safe for concurrent threads and processes.

    Parameters
    ----------
    path
        The database file; ``None`` for ``<data_dir()>/jobs.sqlite3`` (with the fall-backs of
        the module docstring); ``":memory:"`` for a store of this process only.
    now
        Clock (seconds since the epoch), replaceable in tests.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, now: Any = time.time) -> None:
        self._now = now
        self.instance = f"{os.getpid()}:{secrets.token_hex(8)}"
        self._local = threading.local()
        self._memory: sqlite3.Connection | None = None
        self._memory_lock = threading.Lock()
        self.path = self._choose(path)
        if self.path == ":memory:":
            with self._memory_lock:
                self._connect().executescript(_SCHEMA)
        else:
            self._connect().executescript(_SCHEMA)  # its own transaction
        self._interrupt_orphans()

    # ------------------------------------------------------------------------- connections
    def _choose(self, path: str | os.PathLike[str] | None) -> str:
        if path is not None:
            return os.fspath(path)
        preferred = data_dir()
        if _usable(preferred):
            return str(preferred / "jobs.sqlite3")
        fallback = (
            Path(tempfile.gettempdir())
            / f"hemesim-data-{os.getuid() if hasattr(os, 'getuid') else 0}"
        )
        if _usable(fallback):
            warnings.warn(
                f"data folder {str(preferred)!r} is not writable; cohort jobs are kept in "
                f"{str(fallback)!r} (set HEMESIM_DATA_DIR to a writable folder)",
                UserWarning,
                stacklevel=3,
            )
            return str(fallback / "jobs.sqlite3")
        warnings.warn(
            f"data folder {str(preferred)!r} is not writable; cohort jobs are kept in memory "
            "and lost when the server stops (set HEMESIM_DATA_DIR to a writable folder)",
            UserWarning,
            stacklevel=3,
        )
        return ":memory:"

    def _connect(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            if self._memory is None:
                self._memory = sqlite3.connect(":memory:", check_same_thread=False)
            return self._memory
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=10000")
            self._local.db = db
        return db

    class _Transaction:
        def __init__(self, store: JobStore) -> None:
            self.store = store

        def __enter__(self) -> sqlite3.Connection:
            if self.store.path == ":memory:":
                self.store._memory_lock.acquire()
            self.db = self.store._connect()
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind: Any, *_: Any) -> None:
            try:
                self.db.execute("ROLLBACK" if kind is not None else "COMMIT")
            finally:
                if self.store.path == ":memory:":
                    self.store._memory_lock.release()

    def _write(self) -> JobStore._Transaction:
        return JobStore._Transaction(self)

    def _read(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        if self.path == ":memory:":
            with self._memory_lock:
                return list(self._connect().execute(sql, args))
        return list(self._connect().execute(sql, args))

    # ------------------------------------------------------------------------- life cycle
    def _interrupt_orphans(self) -> None:
        """Mark jobs of servers that stopped without finishing them as ``interrupted``.

        A job belongs to the server instance (process id and token) that created it; every
        ``queued``/``running`` job of another instance whose process is gone is an orphan.
        """
        with self._write() as db:
            rows = db.execute(
                "SELECT id, status, instance FROM jobs WHERE status IN ('queued', 'running') "
                "AND instance != ?",
                (self.instance,),
            ).fetchall()
            for job_id, status, instance in rows:
                if _alive(instance):  # another server still running (or this process's own)
                    continue
                db.execute(
                    "UPDATE jobs SET status = 'interrupted', error = ?, finished = ? WHERE id = ?",
                    (_INTERRUPTED.format(status=status), self._now(), job_id),
                )

    def interrupt_queued(self) -> None:
        """Mark this server's queued jobs ``interrupted`` (at shutdown: they will never run)."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET status = 'interrupted', error = ?, finished = ? "
                "WHERE status = 'queued' AND instance = ?",
                (_INTERRUPTED.format(status="queued"), self._now(), self.instance),
            )

    def create(self, kind: str, request: dict[str, Any]) -> str:
        """Store a new ``queued`` job and return its id (16 hex digits). Applies expiry."""
        job_id = secrets.token_hex(8)
        now = self._now()
        with self._write() as db:
            self._expire(db, now)
            db.execute(
                "INSERT INTO jobs (id, kind, request, status, progress, created, instance) "
                "VALUES (?, ?, ?, 'queued', 0.0, ?, ?)",
                (job_id, kind, json.dumps(request), now, self.instance),
            )
        return job_id

    def start(self, job_id: str) -> None:
        """Mark a job ``running``."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET status = 'running', started = ? WHERE id = ?",
                (self._now(), job_id),
            )

    def progress(self, job_id: str, fraction: float) -> None:
        """Record progress (0-1) of a running job."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running'",
                (float(fraction), job_id),
            )

    def finish(self, job_id: str, result: Any) -> None:
        """Store a job's result (JSON-ready) and mark it ``done``."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET status = 'done', progress = 1.0, result = ?, finished = ? "
                "WHERE id = ?",
                (json.dumps(result, allow_nan=False), self._now(), job_id),
            )

    def fail(self, job_id: str, error: str) -> None:
        """Mark a job ``error`` with a one-line reason."""
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET status = 'error', error = ?, finished = ? WHERE id = ?",
                (error, self._now(), job_id),
            )

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The public record of a job, or ``None`` when the id is unknown."""
        rows = self._read(
            "SELECT id, kind, request, status, progress, result, error, created, started, "
            "finished FROM jobs WHERE id = ?",
            (job_id,),
        )
        if not rows:
            return None
        job_id, kind, request, status, progress, result, error, created, started, finished = rows[0]
        now = self._now()
        if status in ("done", "error") and finished is not None and now - finished > RESULT_TTL_S:
            status, result = "expired", None
            error = _EXPIRED.format(days=RESULT_TTL_S / 86400)
        begin = started if started is not None else created
        end = finished if finished is not None else now
        return {
            "job": job_id,
            "kind": kind,
            "status": status,
            "progress": progress,
            "request": json.loads(request),
            "result": None if result is None else json.loads(result),
            "error": error,
            "created": created,
            "elapsed_s": max(0.0, end - begin) if status != "queued" else 0.0,
        }

    def active(self) -> int:
        """Jobs of this server that are queued or running."""
        rows = self._read(
            "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND instance = ?",
            (self.instance,),
        )
        return int(rows[0][0])

    def _expire(self, db: sqlite3.Connection, now: float) -> None:
        db.execute(
            "UPDATE jobs SET result = NULL WHERE result IS NOT NULL AND finished < ?",
            (now - RESULT_TTL_S,),
        )
        db.execute("DELETE FROM jobs WHERE created < ?", (now - RECORD_TTL_S,))
        db.execute(
            "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs ORDER BY created DESC "
            "LIMIT -1 OFFSET ?) AND status NOT IN ('queued', 'running')",
            (MAX_RECORDS - 1,),
        )

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
