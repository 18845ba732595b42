"""``cohort`` with a read-only or full home: a warning and a temporary cache, never a crash.

Issue 16, finding 4: a read-only or full HOME crashed ``cohort`` and left empty ``.tmp`` files in
the cache. The cache folders (SBML and numba kernels) now fall back to a folder under the
system's temporary folder with one warning (:func:`hemesim.safe_io.cache_root`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hemesim.safe_io import cache_root
from hemesim.simulate.kernel_cache import kernel_cache_dir


def test_cache_folders_fall_back_when_home_is_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.write_text("a file, so nothing can be created under it (as a read-only home)")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("HEMESIM_CACHE_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.warns(UserWarning, match="not writable"):
        folder = kernel_cache_dir()
    assert folder.is_dir() and folder.is_relative_to(tmp_path) and folder.name == "kernels"
    assert cache_root("sbml").is_relative_to(tmp_path)


def _userns_ok() -> bool:
    try:
        done = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@pytest.mark.slow  # a cohort run (and a kernel compile when no warm cache is at hand)
@pytest.mark.skipif(not sys.platform.startswith("linux") or not _userns_ok(), reason="Linux userns")
@pytest.mark.parametrize("home_kind", ["read-only", "full"])
def test_cohort_runs_with_an_unusable_home(tmp_path: Path, home_kind: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    warm = os.environ.get("HEMESIM_CACHE_DIR")
    if warm:  # reuse the compiled kernels of this session through the fallback folder
        (tmp / f"hemesim-cache-{os.getuid()}").symlink_to(warm)
    mount = (
        f"mount -t tmpfs -o ro,size=64k tmpfs {home}"
        if home_kind == "read-only"
        else f"mount -t tmpfs -o size=64k tmpfs {home} && "
        f"(dd if=/dev/zero of={home}/filler bs=4k 2>/dev/null; true)"
    )
    command = (
        f"{mount} && {sys.executable} -m hemesim.cli.main cohort --variant p.Arg452Cys "
        "--sex male --n 5 --json"
    )
    env = {k: v for k, v in os.environ.items() if k != "HEMESIM_CACHE_DIR"}
    env.update(HOME=str(home), TMPDIR=str(tmp))
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["n"] == 5
    assert "CacheWarning" in done.stderr  # said once, the run goes on
