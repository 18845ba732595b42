"""Collect a clinic-file report for one variant (and optionally a family) and write it.

:func:`build_report` gathers everything the report shows (interpretation, a simulated
maturation normal vs variant, the phenotype of a man and of women across X-inactivation, the
treatments, and with a PED file the family's risks); :func:`write_report` writes it as a
self-contained HTML file or a PDF, chosen by the file extension.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hemesim.errors import ReportError
from hemesim.safe_io import atomic_output, os_error_reason

__all__ = [
    "TIME_COURSE_READOUTS",
    "XI_POINTS",
    "Report",
    "build_report",
    "check_output_path",
    "main_readout",
    "report_figures",
    "write_report",
]

TIME_COURSE_READOUTS: tuple[str, ...] = (
    "hemoglobin_pg_per_cell",
    "heme_total_amol",
    "cell_volume_fl",
    "ppix_amol",
    "znpp_amol",
    "mito_iron_amol",
)
"""Per-cell quantities drawn over one erythroblast's maturation (whole-blood indices such as Hb
and MCV are end points of a population of cells, reported in tables, not as time courses)."""
"""Readouts drawn over the maturation time course."""

XI_POINTS = 11
"""Women shown across X-inactivation (evenly spaced fractions 0, 0.1, ..., 1)."""

TABLE_READOUTS: tuple[str, ...] = (
    "hb_g_dl",
    "mcv_fl",
    "mch_pg",
    "rdw_cv_percent",
    "ep_total_ug_dl_rbc",
    "znpp_fraction",
    "mito_iron_index",
)
"""Readouts listed in the report's tables."""


@dataclass(frozen=True)
class Report:
    """Everything a report shows, as plain data.

    Attributes
    ----------
    hgvs
        The variant as given.
    variant
        ``VariantReport.to_dict()``.
    time_course
        ``{"time_h": [...], "normal": {readout: [...]}, "variant": {...}, "units": {...}}``.
    male
        ``Prediction.to_dict()`` for a hemizygous man, untreated.
    female_xi
        ``{"xi": [...], "predictions": [Prediction.to_dict(), ...]}`` for heterozygous women.
    treatments
        Treatment name -> ``Prediction.to_dict()`` for the man.
    family
        ``RiskResult.to_dict()`` plus ``"disease"``, or ``None`` without a PED file.
    pedigree_svg
        The pedigree drawing (SVG text), or ``None``.
    provenance
        :func:`hemesim.provenance.provenance` record.
    pedigree
        The :class:`~hemesim.genetics.pedigree.Pedigree` (not serialised).
    """

    hgvs: str
    variant: dict[str, Any]
    time_course: dict[str, Any]
    male: dict[str, Any]
    female_xi: dict[str, Any]
    treatments: dict[str, dict[str, Any]]
    family: dict[str, Any] | None
    pedigree_svg: str | None
    provenance: dict[str, Any]
    pedigree: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready content (the same data the HTML/PDF show)."""
        return {
            "hgvs": self.hgvs,
            "variant": self.variant,
            "time_course": self.time_course,
            "male": self.male,
            "female_xi": self.female_xi,
            "treatments": self.treatments,
            "family": self.family,
            "provenance": self.provenance,
        }


def _disease_for(effect_class: str) -> str:
    """Penetrance preset for family risks: XLP for a gain of function, else XLSA."""
    return "xlp" if effect_class == "gain_of_function" else "xlsa"


def _time_course(effect: Any) -> dict[str, Any]:
    from hemesim.phenotype.clones import simulate_clones
    from hemesim.simulate.session import load_model

    model = load_model("erythroid")
    normal = model.simulate(points=121)
    # the variant cell as the phenotype stage simulates it (its iron supply limited to the
    # plasma's delivery for a gain of function: hemesim.phenotype.iron_delivery)
    variant = model.simulate(points=121, overrides=simulate_clones(effect).overrides_mutant)
    names = [n for n in TIME_COURSE_READOUTS if n in normal.series]
    return {
        "time_h": [float(t) for t in normal.time_h],
        "normal": {n: [float(v) for v in normal.series[n]] for n in names},
        "variant": {n: [float(v) for v in variant.series[n]] for n in names},
        "units": {n: normal.units.get(n, "") for n in names},
    }


def build_report(
    hgvs: str,
    ped: str | os.PathLike[str] | None = None,
    *,
    disease: str | None = None,
    progress: bool = False,
) -> Report:
    """Compute the content of a report.

    Parameters
    ----------
    hgvs
        ALAS2 variant (HGVS c. or p.).
    ped
        Optional PED file of the family.
    disease
        Penetrance preset for the family (``"xlsa"`` or ``"xlp"``); default from the variant's
        effect (gain of function -> XLP).
    progress
        Show a progress bar on stderr.

    Returns
    -------
    Report

    Raises
    ------
    HemesimError
        Bad variant, bad PED file, or a simulation that fails (one-line message).
    """
    steps = ["variant", "time course", "phenotype", "treatments", "family"]
    bar = _Progress(len(steps), enabled=progress)
    try:
        return _build(hgvs, ped, disease, bar)
    finally:
        bar.close()


def _build(
    hgvs: str, ped: str | os.PathLike[str] | None, disease: str | None, bar: _Progress
) -> Report:
    from hemesim.phenotype.inputs import resolve_variant
    from hemesim.phenotype.penetrance import penetrance
    from hemesim.phenotype.predict import predict
    from hemesim.phenotype.treatments import offered_for
    from hemesim.provenance import provenance
    from hemesim.variants.interpret import interpret

    report = interpret(hgvs)
    if resolve_variant(report).is_unquantified:
        raise ReportError(
            f"{hgvs}: its effect on ALAS2 is uncertain "
            f"({report.effect.rationale.removeprefix('no rule applies: ')[:120]}), so the "
            "report's phenotype, treatment and family sections cannot be computed; "
            f"'hemesim variant {hgvs}' shows the interpretation"
        )
    bar.step("interpreting the variant")
    time_course = _time_course(report.effect)
    bar.step("simulating maturation")
    resolved = resolve_variant(report)
    male = predict(report, "male", None, "none").to_dict()
    xis = [i / (XI_POINTS - 1) for i in range(XI_POINTS)]
    women = [predict(report, "female", x, "none", n_people=0).to_dict() for x in xis]
    female_penetrance = penetrance(report)
    bar.step("predicting phenotypes")
    offered = ("none", *offered_for(resolved.disease or ""))
    treatments = {t: predict(report, "male", None, t).to_dict() for t in offered}
    bar.step("comparing treatments")
    family = None
    svg = None
    pedigree = None
    if ped is not None:
        from hemesim.genetics.draw import draw_svg
        from hemesim.genetics.ped import read_ped
        from hemesim.genetics.risk import risk

        pedigree = read_ped(ped)
        preset = disease or _disease_for(report.effect.effect_class)
        # the variant's own female penetrance (the number of hemesim penetrance and
        # risk --variant), not the preset's
        result = risk(pedigree, disease=preset, penetrance_female=float(female_penetrance))
        family = {
            **result.to_dict(),
            "disease": preset,
            "penetrance_female": float(female_penetrance),
            "penetrance_source": "hemesim.phenotype.penetrance (this variant, age 40, seed 0)",
        }
        svg = draw_svg(pedigree, result)
    bar.step("family risks")
    return Report(
        hgvs=hgvs,
        variant=report.to_dict(),
        time_course=time_course,
        male=male,
        female_xi={"xi": xis, "predictions": women, "penetrance": female_penetrance.to_dict()},
        treatments=treatments,
        family=family,
        pedigree_svg=svg,
        provenance=provenance(
            "hemesim report", {"hgvs": hgvs, "ped": None if ped is None else str(ped)}, None
        ),
        pedigree=pedigree,
    )


def check_output_path(out: str | os.PathLike[str]) -> Path:
    """Check a report path before any work: ``.html``/``.htm``/``.pdf`` in an existing folder.

    Raises
    ------
    ReportError
        Unknown extension, or a directory that does not exist.
    """
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise ReportError(f"-o {str(path)!r}: expected a file ending in .html or .pdf")
    if not path.parent.is_dir():
        raise ReportError(f"-o {str(path)!r}: directory {str(path.parent)!r} does not exist")
    return path


def write_report(report: Report, out: str | os.PathLike[str]) -> Path:
    """Write ``report`` to ``out``: ``.html``/``.htm`` (self-contained) or ``.pdf``.

    Raises
    ------
    ReportError
        Unknown extension, or a directory that does not exist / cannot be written.
    """
    path = check_output_path(out)
    suffix = path.suffix.lower()
    try:
        with atomic_output(path) as tmp:  # no partial report on failure
            if suffix == ".pdf":
                from hemesim.report.pdf import write_pdf

                write_pdf(report, tmp)
            else:
                from hemesim.report.html import render_html

                tmp.write_text(render_html(report), encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"-o {str(path)!r}: cannot be written ({os_error_reason(exc)})") from None
    return path


class _Progress:
    """A rich progress bar on stderr (on a terminal, or always with ``HEMESIM_PROGRESS=1``, as
    the CLI's :func:`hemesim.cli._common.progress_wanted`), or nothing."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._progress: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import Progress

            forced = os.environ.get("HEMESIM_PROGRESS", "").strip().lower() in (
                "1", "always", "on", "yes", "true",
            )  # fmt: skip
            console = Console(stderr=True, force_terminal=True if forced else None)
            if not console.is_terminal:
                return
            self._progress = Progress(console=console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task("report", total=total)

    def step(self, what: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=what)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def main_readout(report: Report) -> str:
    """The readout the figures show: erythrocyte protoporphyrin for a gain of function (XLP),
    hemoglobin otherwise (XLSA)."""
    effect = (report.variant.get("effect") or {}).get("class")
    return "ep_total_ug_dl_rbc" if effect == "gain_of_function" else "hb_g_dl"


def report_figures(report: Report) -> dict[str, Any]:
    """The report's matplotlib figures by name (``time_course``, ``phenotype_xi``,
    ``treatments``, and ``pedigree`` with a family)."""
    from hemesim.report import plots

    tc = report.time_course
    label = report.variant.get("hgvs_p") or report.variant.get("hgvs_c") or report.hgvs
    readout = main_readout(report)
    figs: dict[str, Any] = {
        "time_course": plots.plot_time_course(
            tc["time_h"], tc["normal"], tc["variant"], tc["units"], variant_label=str(label)
        ),
        "phenotype_xi": plots.plot_phenotype_xi(
            report.female_xi["xi"],
            [p["phenotype"] for p in report.female_xi["predictions"]],
            report.male["phenotype"],
            readout,
        ),
        "treatments": plots.plot_treatments(
            {t: p["phenotype"] for t, p in report.treatments.items()}, readout
        ),
    }
    if report.family is not None and report.pedigree is not None:
        figs["pedigree"] = plots.plot_pedigree(
            report.pedigree, [m["p_carrier"] for m in report.family["individuals"]]
        )
    return figs
