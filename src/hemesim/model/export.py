"""Export the model: validated SBML Level 3, SED-ML for the maturation time course, COMBINE/OMEX.

The SBML is the one every engine runs (libRoadRunner here, COPASI in the tests, the batched engine
by code generation). The SED-ML (Level 1 Version 3, the version COPASI and tellurium read)
describes one uniform time course over the maturation with CVODE (KISAO:0000019), a report of the
readouts and a plot of MCH over time. The OMEX archive holds both, with the SED-ML as master file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hemesim.errors import ModelError, ReportError
from hemesim.model.definition import READOUTS, ModelDefinition, load_definition

__all__ = [
    "SBML_LOCATION",
    "SEDML_LOCATION",
    "sbml_errors",
    "sbml_text",
    "sedml_text",
    "write_omex",
    "export",
]

SBML_LOCATION = "erythroid.xml"
SEDML_LOCATION = "erythroid.sedml"
_SPECIES_REPORTED = ("Hb", "PPIX", "ZnPP", "Fe_c", "Fe_m", "Fe_dep", "ALAS2")


def sbml_errors(sbml: str) -> list[str]:
    """libSBML consistency check: messages of every problem of severity error or fatal.

    Unit-consistency and modelling-practice warnings are not errors and are not returned.
    """
    from hemesim.sbml_libs import libsbml

    doc = libsbml.readSBMLFromString(sbml)
    doc.checkConsistency()
    out = []
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        if err.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            out.append(" ".join(err.getMessage().split()))
    return out


def sbml_text(definition: ModelDefinition | None = None) -> str:
    """The model's SBML L3, checked with libSBML (raises :class:`ModelError` on any error)."""
    d = definition or load_definition("erythroid")
    errors = sbml_errors(d.sbml)
    if errors:
        raise ModelError(f"SBML of {d.name!r} has {len(errors)} libSBML errors: {errors[0]}")
    return d.sbml


def sedml_text(
    definition: ModelDefinition | None = None,
    sbml_location: str = SBML_LOCATION,
    until_h: float | None = None,
    points: int = 200,
) -> str:
    """SED-ML L1V3 for one maturation time course of the model at ``sbml_location``.

    Parameters
    ----------
    definition
        Model (default ``erythroid``).
    sbml_location
        Relative path of the SBML file the SED-ML refers to.
    until_h
        End time (h); default ``maturation.duration``.
    points
        Number of output intervals.
    """
    import libsedml

    d = definition or load_definition("erythroid")
    end = float(until_h if until_h is not None else d.defaults["maturation_duration"])
    doc = libsedml.SedDocument(1, 3)
    model = doc.createModel()
    model.setId("erythroid")
    model.setSource(sbml_location)
    model.setLanguage("urn:sedml:language:sbml.level-3.version-2")
    sim = doc.createUniformTimeCourse()
    sim.setId("maturation")
    sim.setInitialTime(0.0)
    sim.setOutputStartTime(0.0)
    sim.setOutputEndTime(end)
    sim.setNumberOfPoints(int(points))
    alg = sim.createAlgorithm()
    alg.setKisaoID("KISAO:0000019")  # CVODE
    task = doc.createTask()
    task.setId("task_maturation")
    task.setModelReference("erythroid")
    task.setSimulationReference("maturation")

    def generator(gid: str, target: str | None, symbol: str | None = None) -> str:
        dg = doc.createDataGenerator()
        dg.setId(f"dg_{gid}")
        dg.setName(gid)
        var = dg.createVariable()
        var.setId(f"v_{gid}")
        var.setTaskReference("task_maturation")
        if symbol:
            var.setSymbol(symbol)
        else:
            var.setTarget(target)
        dg.setMath(libsedml.parseL3Formula(f"v_{gid}"))
        return dg.getId()

    time_dg = generator("time", None, "urn:sedml:symbol:time")
    report = doc.createReport()
    report.setId("report_readouts")
    report.setName("erythroid maturation readouts")

    def add_column(dg_id: str, label: str) -> None:
        ds = report.createDataSet()
        ds.setId(f"ds_{label}")
        ds.setLabel(label)
        ds.setDataReference(dg_id)

    add_column(time_dg, "time_h")
    param = "/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter[@id='{}']"
    species = "/sbml:sbml/sbml:model/sbml:listOfSpecies/sbml:species[@id='{}']"
    for rid in READOUTS:
        add_column(generator(rid, param.format(rid)), rid)
    for sid in _SPECIES_REPORTED:
        add_column(generator(sid, species.format(sid)), sid)
    plot = doc.createPlot2D()
    plot.setId("plot_mch")
    plot.setName("Hemoglobin per cell over maturation")
    curve = plot.createCurve()
    curve.setId("curve_mch")
    curve.setXDataReference(time_dg)
    curve.setYDataReference("dg_mch_pg")
    curve.setLogX(False)
    curve.setLogY(False)
    text = libsedml.writeSedMLToString(doc)
    check = libsedml.readSedMLFromString(text)
    if check.getNumErrors(libsedml.LIBSEDML_SEV_ERROR) > 0:
        msg = check.getError(0).getMessage().strip()
        raise ModelError(f"SED-ML for {d.name!r} is invalid: {msg}")
    return str(text)


def write_omex(path: str | os.PathLike[str], definition: ModelDefinition | None = None) -> Path:
    """Write a COMBINE archive (SBML + SED-ML master) to ``path`` and return the path."""
    import libcombine

    d = definition or load_definition("erythroid")
    out = Path(path)
    sbml = sbml_text(d)
    sedml = sedml_text(d)
    archive = libcombine.CombineArchive()
    fmt = libcombine.KnownFormats.lookupFormat
    archive.addFileFromString(sbml, SBML_LOCATION, fmt("sbml"), False)
    archive.addFileFromString(sedml, SEDML_LOCATION, fmt("sedml"), True)
    desc = libcombine.OmexDescription()
    desc.setAbout(".")
    desc.setDescription(
        "hemesim erythroid heme-synthesis model: one erythroblast over 72 h of maturation"
    )
    desc.setCreated(libcombine.OmexDescription.getCurrentDateAndTime())
    archive.addMetadata(".", desc)
    _ensure_parent(out)
    # libcombine writes through a temporary name; write next to the target, then move
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        tmp_file = Path(tmp) / "archive.omex"
        if not archive.writeToFile(str(tmp_file)):
            raise ReportError(f"cannot write COMBINE archive to {str(out)!r}")
        os.replace(tmp_file, out)
    archive.cleanUp()
    return out


def _ensure_parent(out: Path) -> None:
    if out.exists() and out.is_dir():
        raise ReportError(f"output {str(out)!r} is a directory; expected a file name")
    if not out.parent.exists():
        raise ReportError(f"output folder {str(out.parent)!r} does not exist")


def export(path: str | os.PathLike[str], fmt: str = "sbml") -> dict[str, Any]:
    """Write the erythroid model as ``sbml`` or ``omex`` to ``path``.

    Returns
    -------
    dict
        ``path``, ``format``, ``bytes`` and, for OMEX, ``entries``.

    Raises
    ------
    ModelError
        Unknown format.
    ReportError
        The file cannot be written.
    """
    out = Path(path)
    if fmt == "sbml":
        _ensure_parent(out)
        try:
            out.write_text(sbml_text(), encoding="utf-8")
        except OSError as exc:
            raise ReportError(f"cannot write {str(out)!r}: {exc.strerror}") from None
        return {"path": str(out), "format": "sbml", "bytes": out.stat().st_size}
    if fmt == "omex":
        write_omex(out)
        return {
            "path": str(out),
            "format": "omex",
            "bytes": out.stat().st_size,
            "entries": [SBML_LOCATION, SEDML_LOCATION, "metadata.rdf"],
        }
    raise ModelError(f"export format {fmt!r}: expected sbml or omex")
