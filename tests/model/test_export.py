"""SBML Level 3 validates with libSBML; the COMBINE archive holds SBML + a readable SED-ML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from hemesim.errors import ModelError, ReportError
from hemesim.model.export import (
    SBML_LOCATION,
    SEDML_LOCATION,
    export,
    sbml_errors,
    sbml_text,
    sedml_text,
)


def test_sbml_level3_has_zero_libsbml_errors() -> None:
    import libsbml

    text = sbml_text()
    doc = libsbml.readSBMLFromString(text)
    assert doc.getLevel() == 3
    assert sbml_errors(text) == []


def test_sbml_errors_detects_a_broken_model() -> None:
    broken = sbml_text().replace('compartment="mito"', 'compartment="nowhere"', 1)
    assert sbml_errors(broken)


def test_sedml_is_readable_by_libsedml() -> None:
    import libsedml

    doc = libsedml.readSedMLFromString(sedml_text())
    assert doc.getNumErrors(libsedml.LIBSEDML_SEV_ERROR) == 0
    assert doc.getNumModels() == 1
    assert doc.getModel(0).getSource() == SBML_LOCATION
    sim = doc.getSimulation(0)
    assert sim.getOutputEndTime() == pytest.approx(72.0)
    labels = {
        doc.getOutput(0).getDataSet(i).getLabel() for i in range(doc.getOutput(0).getNumDataSets())
    }
    assert {"time_h", "mch_pg", "hb_g_dl", "ep_total_umol_l_rbc", "mito_iron_index"} <= labels


def test_omex_holds_sbml_and_sedml(tmp_path: Path) -> None:
    out = tmp_path / "erythroid.omex"
    info = export(out, "omex")
    assert info["path"] == str(out)
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert {SBML_LOCATION, SEDML_LOCATION, "manifest.xml"} <= names
        manifest = z.read("manifest.xml").decode()
        assert "sed-ml" in manifest and "sbml" in manifest
        assert z.read(SBML_LOCATION).decode() == sbml_text()


def test_copasi_opens_the_archive_and_runs_its_sedml(tmp_path: Path) -> None:
    """COPASI imports the OMEX (SBML + SED-ML) and runs the SED-ML time course: 72 h, 200
    intervals, ending in a normal MCH (27-33 pg)."""
    basico = pytest.importorskip("basico")
    import COPASI

    out = tmp_path / "erythroid.omex"
    export(out, "omex")
    dm = COPASI.CRootContainer.addDatamodel()
    try:
        assert dm.openCombineArchive(str(out))
        problem = dm.getTask("Time-Course").getProblem()
        assert problem.getDuration() == pytest.approx(72.0)
        assert problem.getStepNumber() == 200
        df = basico.run_time_course(model=dm, use_sbml_id=True, update_model=False)
        assert 27 <= float(df["mch_pg"].iloc[-1]) <= 33
    finally:
        COPASI.CRootContainer.removeDatamodel(dm)


def test_sbml_export_writes_file(tmp_path: Path) -> None:
    out = tmp_path / "m.xml"
    info = export(out, "sbml")
    assert out.read_text(encoding="utf-8") == sbml_text()
    assert info["bytes"] == out.stat().st_size


def test_bad_format_and_paths(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="expected sbml or omex"):
        export(tmp_path / "m.xml", "cellml")
    with pytest.raises(ReportError, match="does not exist"):
        export(tmp_path / "missing" / "m.xml", "sbml")
    with pytest.raises(ReportError, match="directory"):
        export(tmp_path, "omex")
