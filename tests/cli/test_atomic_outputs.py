"""Outputs are written atomically: no partial file on failure, a non-zero exit, a full disk named.

Issue 16, finding 2: ``export --format omex`` on a full disk exited 0 with ``"bytes": 0`` and left
an empty archive; other outputs were left truncated when the disk filled. Two ways to fill a disk:

* a real one: a 64 KiB tmpfs mounted in a private user+mount namespace (``unshare -rm``, Linux
  only; skipped where the kernel does not allow it) and filled before the command runs;
* everywhere: ``os.fsync`` patched to fail with ``ENOSPC``, as a file system does when delayed
  allocation finds no block at sync time.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hemesim.cli.main import app
from hemesim.errors import HemesimError

runner = CliRunner()


def _can_mount_tmpfs() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


needs_tmpfs = pytest.mark.skipif(
    not _can_mount_tmpfs(), reason="needs unshare -rm and tmpfs (Linux user namespaces)"
)


def _on_full_disk(tmp_path: Path, command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` (shell) with a full 64 KiB tmpfs at ``$FULL`` (= ``tmp_path/full``)."""
    full = tmp_path / "full"
    full.mkdir()
    script = (
        f"mount -t tmpfs -o size=64k tmpfs {full} && "
        f"(dd if=/dev/zero of={full}/filler bs=4k 2>/dev/null; true) && "
        f"{command}; code=$?; echo \"LEFT:$(ls -A {full} | tr '\\n' ' ')\"; exit $code"
    )
    env = {**os.environ, "FULL": str(full)}
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


CLI = f"{sys.executable} -m hemesim.cli.main"


@needs_tmpfs
@pytest.mark.parametrize(
    ("args", "name"),
    [
        ("export --format omex $FULL/model.omex", "model.omex"),
        ("export $FULL/model.xml", "model.xml"),
    ],
)
def test_export_on_a_full_disk_fails_and_leaves_nothing(
    tmp_path: Path, args: str, name: str
) -> None:
    result = _on_full_disk(tmp_path, f"{CLI} {args} --json")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "disk is full" in result.stderr
    assert result.stdout.split() == ["LEFT:filler"]  # no output on stdout, no temp file


@needs_tmpfs
def test_variants_csv_on_a_full_disk_fails_and_leaves_nothing(tmp_path: Path) -> None:
    variants = tmp_path / "v.txt"
    variants.write_text("c.1642C>T\n" * 400)  # a CSV larger than the 4 KiB left by dd
    result = _on_full_disk(tmp_path, f"{CLI} variants {variants} -o $FULL/out.csv")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "disk is full" in result.stderr
    assert result.stdout.split()[-1] == "LEFT:filler"


def _fsync_enospc(_fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_sync_leaves_no_file_and_names_the_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variants = tmp_path / "v.txt"
    variants.write_text("c.1642C>T\n")
    out = tmp_path / "out.csv"
    monkeypatch.setattr(os, "fsync", _fsync_enospc)
    result = runner.invoke(app, ["variants", str(variants), "-o", str(out)])
    assert result.exit_code != 0
    assert isinstance(result.exception, HemesimError)
    assert "disk is full" in str(result.exception)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.txt"]


def test_a_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variants = tmp_path / "v.txt"
    variants.write_text("c.1642C>T\n")
    out = tmp_path / "out.csv"
    out.write_text("previous results\n")
    monkeypatch.setattr(os, "fsync", _fsync_enospc)
    result = runner.invoke(app, ["variants", str(variants), "-o", str(out)])
    assert result.exit_code != 0
    assert out.read_text() == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "v.txt"]


def test_library_writers_leave_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemesim.errors import PedigreeError, ReportError
    from hemesim.genetics.ped import parse_ped, write_ped
    from hemesim.model.export import export

    ped = parse_ped("f a 0 0 1 2\n")
    monkeypatch.setattr(os, "fsync", _fsync_enospc)
    with pytest.raises(PedigreeError, match="disk is full|No space left"):
        write_ped(ped, tmp_path / "f.ped")
    with pytest.raises(ReportError, match="disk is full"):
        export(tmp_path / "m.xml")
    assert list(tmp_path.iterdir()) == []


def test_atomic_writes_keep_ordinary_file_modes(tmp_path: Path) -> None:
    """The temporary file is created 0o600; the output must not stay so private."""
    from hemesim.safe_io import write_text_atomic

    mask = os.umask(0o022)
    os.umask(mask)
    fresh = write_text_atomic(tmp_path / "new.txt", "x")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    write_text_atomic(kept, "new")
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "new"
