"""The two tutorial notebooks of the docs site run from top to bottom (nbclient), as `make docs`
runs them. Each takes about 10-15 s (model runs, the HPO load)."""

from __future__ import annotations

from pathlib import Path

import pytest

TUTORIALS = Path(__file__).resolve().parents[1] / "docs" / "tutorials"


@pytest.mark.parametrize("name", ["haematologist.ipynb", "counsellor.ipynb"])
def test_tutorial_notebook_runs(name: str) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(TUTORIALS / name, as_version=4)
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3").execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs
    )
    if name.startswith("haematologist"):
        assert "XLSA" in text and "HP:0004840" in text  # disease call, HPO term from hpo3
    else:
        assert "p_carrier" in text and "relatives" in text


@pytest.mark.slow
def test_docs_site_builds_strict_and_offline(tmp_path: Path) -> None:
    """`make docs`: mkdocs build --strict (warnings are errors: broken links, docstrings that
    mkdocstrings cannot render); the pages load no web font and no script from a CDN."""
    import subprocess
    import sys

    root = TUTORIALS.parents[1]
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (site / "api" / "model.html").exists()
    assert (site / "tutorials" / "haematologist.html").exists()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        assert '<script src="http' not in html, page
        assert "cdnjs" not in html and "jsdelivr" not in html and "unpkg" not in html, page
