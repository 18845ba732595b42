"""Test-session set-up shared by every folder.

libSBML must be imported after python-libsedml/libcombine in any process (see
``hemesim.sbml_libs``); tests import ``libsbml`` directly, so the right order is fixed here first.
"""

import hemesim.sbml_libs  # noqa: F401
