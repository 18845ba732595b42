"""The layout is the architecture: no stage imports a stage above it (../shared/style.md).

Order of the data flow: gene < variants < model < simulate < phenotype < report, with genetics
beside them (it may import only gene-level helpers, never phenotype), and cli/web on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "hemesim"

# stage -> the hemesim stages it may import (besides itself and the shared top-level modules)
ALLOWED: dict[str, set[str]] = {
    "gene": set(),
    "variants": {"gene"},
    "model": {"gene", "variants"},
    "simulate": {"gene", "variants", "model"},
    "phenotype": {"gene", "variants", "model", "simulate"},
    "report": {"gene", "variants", "model", "simulate", "phenotype", "genetics"},
    "genetics": set(),
    "cli": {
        "gene",
        "variants",
        "model",
        "simulate",
        "phenotype",
        "report",
        "genetics",
        "web",
        "cli",
    },
    "web": {"gene", "variants", "model", "simulate", "phenotype", "report", "genetics", "web"},
}
SHARED = {"errors", "provenance", "jsonable", "sbml_libs", "safe_io", "__init__", "__version__"}


def _hemesim_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "hemesim":
                names = [f"hemesim.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "hemesim" and len(parts) > 1:
                found.add(parts[1])
    return found


def _stage_files() -> list[tuple[str, Path]]:
    return [(stage, path) for stage in ALLOWED for path in sorted((SRC / stage).rglob("*.py"))]


@pytest.mark.parametrize(("stage", "path"), _stage_files(), ids=lambda v: str(v))
def test_no_stage_imports_upward(stage: str, path: Path) -> None:
    imported = _hemesim_imports(path) - SHARED - {stage}
    upward = imported - ALLOWED[stage]
    assert not upward, f"{path.relative_to(SRC)} ({stage}) imports higher stage(s) {sorted(upward)}"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from hemesim.phenotype.predict import predict\nimport hemesim.web.app\n")
    assert _hemesim_imports(bad) == {"phenotype", "web"}
