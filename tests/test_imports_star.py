"""The public surface: ``from hemesim import *`` yields exactly ``__all__`` (msprime habit)."""

import importlib

import hemesim


def test_star_import_matches_all() -> None:
    namespace: dict[str, object] = {}
    exec("from hemesim import *", namespace)
    exported = {k for k in namespace if not k.startswith("__")} | {"__version__"}
    assert exported == set(hemesim.__all__)


def test_every_public_name_resolves_to_its_module() -> None:
    for name, target in hemesim._EXPORTS.items():
        module_name, attr = target.split(":")
        module = importlib.import_module(module_name)
        assert getattr(hemesim, name) is getattr(module, attr)


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        hemesim.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
