"""libSBML, imported in the one order that keeps its types intact.

python-libsedml and python-libcombine each carry their own SWIG wrapper of libSBML. When
``libsbml`` is imported BEFORE them, their type tables shadow libSBML's, and afterwards
``ASTNode.getType()`` returns a boxed pointer instead of an int (and SWIG prints "memory leak"
warnings), which breaks any code that walks SBML math. Importing them first avoids the clash,
so every hemesim module takes libSBML from here: ``from hemesim.sbml_libs import libsbml``.
"""

# ruff: noqa: I001  (the import order below is the point of this module)
from __future__ import annotations

import libcombine  # noqa: F401  (must precede libsbml, see module docstring)
import libsedml  # noqa: F401  (must precede libsbml, see module docstring)
import libsbml

__all__ = ["libsbml"]
