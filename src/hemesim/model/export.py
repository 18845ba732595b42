"""Export the model: validated SBML Level 3, SED-ML for the maturation time course, COMBINE/OMEX.

The SBML is the one every engine runs (libRoadRunner here, COPASI in the tests, the batched engine
by code generation). The SED-ML (Level 1 Version 3, the version COPASI and tellurium read)
describes one uniform time course over the maturation with CVODE (KISAO:0000019), a report of the
readouts and a plot of MCH over time. The OMEX archive holds both, with the SED-ML as master file.

Every function checks its arguments before any work: a wrong model, time, number of points or SBML
location raises :class:`~hemesim.errors.ModelError`; an output path that is not a file name, has
a suffix that does not match the format, is a folder or lies in a missing folder raises
:class:`~hemesim.errors.ReportError`. An existing file of the right type is replaced.
"""

from __future__ import annotations

import functools
import math
import numbers
import os
import tempfile
from pathlib import Path
from typing import Any

from hemesim.errors import ModelError, ReportError
from hemesim.model.definition import READOUTS, ModelDefinition, load_definition
from hemesim.safe_io import fsync_folder, os_error_reason, write_text_atomic

__all__ = [
    "SBML_LOCATION",
    "SEDML_LOCATION",
    "EXPORT_FORMATS",
    "MAX_POINTS",
    "sbml_errors",
    "sbml_text",
    "sedml_text",
    "write_omex",
    "export",
]

SBML_LOCATION = "erythroid.xml"
SEDML_LOCATION = "erythroid.sedml"
_SPECIES_REPORTED = ("Hb", "PPIX", "ZnPP", "Fe_c", "Fe_m", "Fe_dep", "ALAS2")

EXPORT_FORMATS: dict[str, tuple[str, ...]] = {"sbml": (".xml", ".sbml"), "omex": (".omex",)}
"""Export format -> the file suffixes it is written to (compared without regard to case)."""

MAX_POINTS = 100_000
"""Largest number of output intervals of the SED-ML time course (as for a simulation run)."""

MODIFIED = "2026-12-07T00:00:00Z"
"""Date of the last change of the model or its annotations (the SBML's dcterms:modified)."""

_FORMAT_NAMES = {"sbml": "SBML", "omex": "COMBINE archive"}
_URI_FORBIDDEN = frozenset(' "<>\\^`{|}')


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
    """The model's SBML L3 as BioModels asks for it, checked with libSBML.

    The SBML from the Antimony equations, with a unit on every quantity (0 issues in libSBML's
    consistency check with every category on, units included), an SBO term on every species,
    reaction, compartment and parameter, MIRIAM cross-references from ``annotations.csv``
    (ChEBI, UniProt, GO, Rhea, EC) and a model history (:mod:`hemesim.model.curation`).

    Parameters
    ----------
    definition
        Model (default ``erythroid``).

    Returns
    -------
    str
        The SBML document.

    Raises
    ------
    ModelError
        ``definition`` is not a ``ModelDefinition``, or libSBML finds an error in the SBML.
    """
    d = _definition(definition)
    text = _curated(d.sbml, tuple(sorted(d.units.items())))
    errors = sbml_errors(text)
    if errors:
        raise ModelError(f"SBML of {d.name!r} has {len(errors)} libSBML errors: {errors[0]}")
    return text


@functools.lru_cache(maxsize=8)
def _curated(sbml: str, units: tuple[tuple[str, str], ...]) -> str:
    """The SBML with units, SBO terms and MIRIAM annotations (cached per SBML text)."""
    from hemesim.model.curation import curate_sbml

    return curate_sbml(sbml, dict(units), modified=MODIFIED)


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
        Relative path (or URI) of the SBML file the SED-ML refers to, e.g. ``"erythroid.xml"``;
        no spaces, quotes or ``<>``.
    until_h
        End time (h), > 0 and at most the model's maturation length (``maturation.duration``,
        72 h by default: the model refuses runs past the end of maturation); default that length.
    points
        Number of output intervals, an integer from 2 to :data:`MAX_POINTS`.

    Returns
    -------
    str
        The SED-ML document, checked with libSEDML.

    Raises
    ------
    ModelError
        An argument outside the forms above (booleans are not numbers), or libSEDML finds an
        error in the document.
    """
    import libsedml

    d = _definition(definition)
    location = _sbml_location(sbml_location)
    end = _until_h(until_h, float(d.defaults["maturation_duration"]))
    n_points = _points(points)
    doc = libsedml.SedDocument(1, 3)
    model = doc.createModel()
    model.setId("erythroid")
    model.setSource(location)
    model.setLanguage("urn:sedml:language:sbml.level-3.version-2")
    sim = doc.createUniformTimeCourse()
    sim.setId("maturation")
    sim.setInitialTime(0.0)
    sim.setOutputStartTime(0.0)
    sim.setOutputEndTime(end)
    sim.setNumberOfPoints(n_points)
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
    """Write a COMBINE archive (SBML + SED-ML master) to ``path`` and return the path.

    Parameters
    ----------
    path
        Output file, ending in ``.omex``; an existing file is replaced.
    definition
        Model (default ``erythroid``).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ModelError
        ``definition`` is not a ``ModelDefinition``.
    ReportError
        ``path`` is not a file name ending in ``.omex``, is a folder, lies in a missing folder,
        or cannot be written.
    """
    import libcombine

    out = _output_path(path, "omex", fixed=True)
    d = _definition(definition)
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
    creator = libcombine.VCard()
    creator.setFamilyName("hemesim")
    creator.setGivenName("developers")
    creator.setOrganization("hemesim project")
    desc.addCreator(creator)
    archive.addMetadata(".", desc)
    # libcombine writes through a temporary name; write next to the target, check what was
    # written (libcombine reports success on a full disk and leaves an empty or cut archive),
    # sync it, then move it over the target
    try:
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            tmp_file = Path(tmp) / "archive.omex"
            if not archive.writeToFile(str(tmp_file)):
                raise ReportError(f"cannot write COMBINE archive to {str(out)!r}")
            _check_archive(tmp_file, {SBML_LOCATION: sbml, SEDML_LOCATION: sedml})
            fd = os.open(tmp_file, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp_file, out)
        fsync_folder(out.parent)
    except OSError as exc:
        raise ReportError(f"cannot write {str(out)!r}: {os_error_reason(exc)}") from None
    finally:
        archive.cleanUp()
    return out


def _check_archive(path: Path, expected: dict[str, str]) -> None:
    """Raise ``OSError`` unless ``path`` is a complete zip holding ``expected`` entries.

    ``ENOSPC`` when the file system has no free blocks left (the usual reason for a cut
    archive), else ``EIO``.
    """
    import errno
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            complete = zf.testzip() is None and all(
                zf.read(name.lstrip("./")).decode("utf-8") == text
                for name, text in expected.items()
            )
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError, EOFError):
        complete = False
    if complete:
        return
    try:
        full = os.statvfs(path.parent).f_bavail == 0
    except OSError:
        full = False
    if full:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    raise OSError(errno.EIO, "the COMBINE archive written is incomplete")


def _definition(definition: Any) -> ModelDefinition:
    """``definition``, or the default model when it is ``None``."""
    if definition is None:
        return load_definition("erythroid")
    if not isinstance(definition, ModelDefinition):
        raise ModelError(
            f"definition {_shown(definition)}: expected a ModelDefinition "
            "(hemesim.model.load_definition('erythroid')) or None for the default model"
        )
    return definition


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _sbml_location(location: Any) -> str:
    if (
        not isinstance(location, str)
        or not location.strip()
        or any(c in _URI_FORBIDDEN or not c.isprintable() for c in location)
    ):
        raise ModelError(
            f"sbml_location {_shown(location)}: expected the relative path or URI of the SBML "
            f"file, e.g. {SBML_LOCATION!r} (no spaces, quotes or <>)"
        )
    return location


def _until_h(until_h: Any, duration: float) -> float:
    if until_h is None:
        return duration
    expected = f"expected a time in hours > 0 and at most {duration:g}"
    end_of = "the end of maturation, maturation.duration"
    if isinstance(until_h, bool) or not isinstance(until_h, numbers.Real):
        raise ModelError(f"until_h {_shown(until_h)}: {expected} ({end_of}), or None for that")
    end = float(until_h)
    if not math.isfinite(end) or end <= 0:
        raise ModelError(f"until_h {until_h!r}: {expected} ({end_of}), or None for that")
    if end > duration * (1.0 + 1e-12):
        raise ModelError(
            f"until_h {until_h!r} is past {end_of} ({duration:g} h), where the model's "
            f"readouts are defined; {expected}"
        )
    return end


def _points(points: Any) -> int:
    n = int(points) if isinstance(points, numbers.Integral) else None
    if isinstance(points, bool) or n is None or not 2 <= n <= MAX_POINTS:
        raise ModelError(
            f"points {_shown(points)}: expected an integer from 2 to {MAX_POINTS:,} "
            "(the number of output intervals)"
        )
    return n


def _suffixes(fmt: str) -> str:
    return " or ".join(EXPORT_FORMATS[fmt])


def _output_path(path: Any, fmt: str | None, *, fixed: bool = False) -> Path:
    """Check an output file name (before any work) and return it as a Path.

    ``fmt`` ``None`` accepts any export suffix; otherwise the suffix must be one of ``fmt``'s
    (``fixed``: the caller writes only ``fmt``, so the message does not offer to drop it).
    An existing file is fine (it is replaced); a folder, or a file in a missing folder, is not.
    """
    formats = (fmt,) if fixed and fmt is not None else tuple(EXPORT_FORMATS)
    known = " or ".join(f"{_suffixes(f)} ({_FORMAT_NAMES[f]})" for f in formats)
    if not isinstance(path, str | os.PathLike) or not isinstance(os.fspath(path), str):
        raise ReportError(
            f"output path {_shown(path)}: expected a file name (str or pathlib.Path) ending in "
            f"{known}"
        )
    text = os.fspath(path)
    if not text.strip() or "\x00" in text:
        raise ReportError(f"output path {_shown(text)}: expected a file name ending in {known}")
    out = Path(path)
    try:
        is_dir, parent_exists = out.is_dir(), out.parent.exists()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReportError(f"output {_shown(text)}: {reason}; choose another file name") from None
    if is_dir:
        raise ReportError(f"output {str(out)!r} is a directory; expected a file name")
    suffix = out.suffix.lower()
    implied = next((f for f, xs in EXPORT_FORMATS.items() if suffix in xs), None)
    if implied is None:
        raise ReportError(
            f"output {str(out)!r}: the suffix {out.suffix or '(none)'!s} is not an export "
            f"format; expected a file name ending in {known}"
        )
    if fmt is not None and implied != fmt:
        hint = "" if fixed else f", or leave out the format to write {implied}"
        raise ReportError(
            f"output {str(out)!r} does not match the format {fmt!r}: {fmt} needs a file name "
            f"ending in {_suffixes(fmt)}; change the name{hint}"
        )
    if not parent_exists:
        raise ReportError(f"output folder {str(out.parent)!r} does not exist")
    return out


def export(path: str | os.PathLike[str], fmt: str | None = None) -> dict[str, Any]:
    """Write the erythroid model as SBML or as a COMBINE archive (OMEX) to ``path``.

    Parameters
    ----------
    path
        Output file. Its suffix sets the format: ``.xml`` or ``.sbml`` for SBML, ``.omex`` for
        the COMBINE archive (any case). An existing file is replaced.
    fmt
        ``"sbml"`` or ``"omex"`` (any case); must match the suffix of ``path``. Default: the
        format the suffix implies.

    Returns
    -------
    dict
        ``path``, ``format``, ``bytes`` and, for OMEX, ``entries``.

    Raises
    ------
    ModelError
        Unknown format.
    ReportError
        ``path`` is not a file name, has a suffix other than the above or one that does not
        match ``fmt``, is a folder, lies in a missing folder, or cannot be written.

    Examples
    --------
    >>> export("erythroid.omex")["format"]  # doctest: +SKIP
    'omex'
    """
    if fmt is not None and (not isinstance(fmt, str) or fmt.lower() not in EXPORT_FORMATS):
        raise ModelError(f"export format {_shown(fmt)}: expected sbml or omex (or None)")
    wanted = fmt.lower() if fmt is not None else None
    out = _output_path(path, wanted)
    kind = wanted or next(f for f, xs in EXPORT_FORMATS.items() if out.suffix.lower() in xs)
    if kind == "sbml":
        text = sbml_text()
        try:
            write_text_atomic(out, text)
        except OSError as exc:
            raise ReportError(f"cannot write {str(out)!r}: {os_error_reason(exc)}") from None
        return {"path": str(out), "format": "sbml", "bytes": out.stat().st_size}
    write_omex(out)
    return {
        "path": str(out),
        "format": "omex",
        "bytes": out.stat().st_size,
        "entries": [SBML_LOCATION, SEDML_LOCATION, "metadata.rdf"],
    }
