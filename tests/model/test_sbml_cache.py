"""The on-disk SBML cache is verified on read and never makes a run wrong or impossible.

Issue 16, finding 1: halving ``ALAS2_kcat`` in ``$HEMESIM_CACHE_DIR/sbml/*.xml`` gave Hb 10.9 g/dL
instead of 15.5 with exit 0; a truncated or empty entry broke every later run until deleted;
finding 4: a read-only home crashed ``cohort`` and left empty ``.tmp`` files in the cache.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest

from hemesim.model.definition import ModelDefinition, load_definition


def _fresh() -> ModelDefinition:
    """A new definition object (its SBML not yet converted in this process)."""
    d = load_definition("erythroid")
    return ModelDefinition(d.name, d.antimony_template, d.parameters)


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEMESIM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "sbml"


@pytest.fixture(scope="module")
def true_sbml() -> str:
    return load_definition("erythroid").sbml


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xml"))


def test_a_tampered_entry_is_rebuilt_with_a_warning(cache: Path, true_sbml: str) -> None:
    assert _fresh().sbml == true_sbml
    (entry,) = _entries(cache)
    text = entry.read_text(encoding="utf-8")
    marker = 'id="ALAS2_kcat"'
    assert marker in text
    # halve kcat in place, as the audit did: the file still parses as SBML
    start = text.index(marker)
    value_at = text.index('value="', start) + len('value="')
    end = text.index('"', value_at)
    tampered = text[:value_at] + repr(float(text[value_at:end]) / 2) + text[end:]
    entry.write_text(tampered, encoding="utf-8")
    with pytest.warns(UserWarning, match="checksum"):
        assert _fresh().sbml == true_sbml
    assert [p.read_text(encoding="utf-8") for p in _entries(cache)] == [true_sbml]


@pytest.mark.parametrize("damage", ["truncate", "empty"])
def test_a_truncated_or_empty_entry_is_rebuilt(cache: Path, true_sbml: str, damage: str) -> None:
    assert _fresh().sbml
    (entry,) = _entries(cache)
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"")
    with pytest.warns(UserWarning, match="checksum"):
        assert _fresh().sbml == true_sbml
    assert _fresh().sbml == true_sbml  # and the rebuilt entry is good for the next run


def test_an_unwritable_cache_folder_falls_back_to_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, true_sbml: str
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("HEMESIM_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with pytest.warns(UserWarning, match="not writable"):
        assert _fresh().sbml == true_sbml
    assert len(list((tmp_path / "tmp").rglob("*.xml"))) == 1


def test_a_good_entry_is_read_without_a_warning(cache: Path, true_sbml: str) -> None:
    assert _fresh().sbml
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _fresh().sbml == true_sbml
    assert not list(cache.glob(".*"))  # no temporary files left
