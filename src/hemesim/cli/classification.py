"""ACMG/AMP classification for ``hemesim variant``: options, JSON and the text panel.

Not a command module: :mod:`hemesim.cli.variant` calls :func:`classification_json` and
:func:`print_classification`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemesim.errors import HemesimError

if TYPE_CHECKING:
    from hemesim.variants.interpret import VariantReport

__all__ = ["DE_NOVO_CHOICES", "classification_json", "print_classification"]

DE_NOVO_CHOICES = ("confirmed", "assumed", "no")

_FIELDS = {
    "allele_frequency": "--allele-frequency",
    "allele frequency": "--allele-frequency",
    "de_novo": "--de-novo",
}


def classification_json(
    report: VariantReport,
    *,
    allele_frequency: float | None = None,
    de_novo: str | None = None,
    ped: Path | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """The ``classification`` dict (plus ``segregation`` when ``ped`` is given).

    With ``ped``, the family's cosegregation Bayes factor
    (:func:`hemesim.cli.segregation.segregation_for_variant`, the variant's predicted penetrance)
    is folded in as PP1/BS4; ``allele_frequency`` is then also the founders' allele frequency.
    That computation (seconds: the variant's penetrance, then exact likelihoods) shows a progress
    spinner on stderr unless ``quiet`` (``--json``).

    Raises
    ------
    HemesimError
        One line naming ``--allele-frequency``, ``--de-novo`` or ``--ped``.
    """
    from hemesim.cli._common import rename_fields
    from hemesim.variants.acmg import classify

    if de_novo is not None and de_novo not in DE_NOVO_CHOICES:
        raise HemesimError(f"--de-novo {de_novo!r}: expected one of {', '.join(DE_NOVO_CHOICES)}")
    try:  # the figures first: cheap, before any family computation
        classify(report, allele_frequency=allele_frequency, de_novo=de_novo)
    except HemesimError as exc:
        raise rename_fields(exc, _FIELDS) from None
    out: dict[str, Any] = {}
    bayes_factor = None
    if ped is not None:
        from hemesim.cli.risk import load_pedigree
        from hemesim.cli.segregation import segregation_for_variant

        try:
            pedigree = load_pedigree(ped)
        except HemesimError as exc:
            raise type(exc)(f"--ped: {exc}") from None
        # a frequency of 0 (absent from gnomAD) is no founder frequency: equilibrium instead
        founder_q = allele_frequency if allele_frequency else None
        from hemesim.cli._common import progress_bar

        with progress_bar("cosegregation of the family (--ped)", quiet=quiet):
            seg = segregation_for_variant(pedigree, report.input, allele_frequency=founder_q)
        bayes_factor = seg["bayes_factor"]
        out["segregation"] = {
            k: seg[k]
            for k in (
                "bayes_factor",
                "log10_bayes_factor",
                "conditioning",
                "probands",
                "penetrance",
                "penetrance_from_variant",
                "notes",
            )
        }
        out["segregation"]["file"] = str(ped)
    result = classify(
        report, bayes_factor=bayes_factor, allele_frequency=allele_frequency, de_novo=de_novo
    )
    out["classification"] = result.to_dict()
    return out


def print_classification(data: dict[str, Any]) -> None:
    """Class, points and criteria at a glance (met first, then the count not evaluated)."""
    from rich.console import Console
    from rich.table import Table

    from hemesim.cli._words import name_readouts_in

    cls = data["classification"]
    console = Console(soft_wrap=False)
    console.print(
        f"[bold]ACMG/AMP: {cls['class']}[/bold] for {cls['disease']} ({cls['points']} points; "
        f"{', '.join(cls['met']) or 'no criterion met'})"
    )
    table = Table("criterion", "points", "evidence", show_lines=False)
    for c in cls["criteria"]:
        if c["met"] is True:
            table.add_row(c["label"], f"{c['points']:+d}", name_readouts_in(c["evidence"]))
    not_met = [c["code"] for c in cls["criteria"] if c["met"] is False]
    unknown = [c["code"] for c in cls["criteria"] if c["met"] is None]
    if table.row_count:
        console.print(table)
    console.print(f"not met: {', '.join(not_met) or '-'}")
    console.print(f"not evaluated (data not in hemesim; see --json): {', '.join(unknown) or '-'}")
    seg = data.get("segregation")
    if seg:
        console.print(
            f"cosegregation Bayes factor {seg['bayes_factor']:.4g} ({seg['file']}), "
            "conditioned on the proband"
        )
