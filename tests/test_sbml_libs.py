"""libSBML math stays readable whatever the import order (hemesim.sbml_libs, sbml_codegen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MITCHELL = (
    Path(__file__).parent / "simulate" / "data" / "BIOMD0000000498_Mitchell2013_liver_iron.xml"
)

_PROBE = """
import {first}
import libsbml, libsedml, libcombine
from hemesim.simulate.sbml_codegen import _node_type
doc = libsbml.readSBMLFromString(open({path!r}, encoding="utf-8").read())
node = doc.getModel().getReaction(0).getKineticLaw().getMath()
print("RESULT", _node_type(node), type(node.getType()).__name__)
"""


def _probe(first: str) -> tuple[int, str]:
    code = _PROBE.format(first=first, path=str(MITCHELL))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT"))
    _, value, kind = line.split()
    return int(value), kind


def test_hemesim_order_returns_plain_ints() -> None:
    value, kind = _probe("hemesim.sbml_libs")
    assert kind == "int"
    assert value == _probe("libsedml")[0]


def test_node_type_survives_the_bad_order() -> None:
    """libsbml first, then libsedml: getType() is boxed, _node_type still reads the enum."""
    good, _ = _probe("hemesim.sbml_libs")
    value, kind = _probe("libsbml")
    assert kind == "SwigPyObject"
    assert value == good
