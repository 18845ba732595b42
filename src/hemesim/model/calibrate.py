"""Rerunnable calibration of the erythroid model to normal adult physiology.

Run ``python -m hemesim.model.calibrate`` to print the fit, or add ``--write`` to store the fitted
values in ``parameters.csv`` (the only place numbers live).

What is fitted (``kind = fitted`` in the table) and to what (values at maturation end):

- ``ALAS2.ksyn`` -> MCH 30 pg (adult reference interval 27-33 pg, midpoint).
- ``zinc.level`` -> ZnPP/heme 20 umol/mol (Hastka et al. Clin Chem 1994;40:768: normal <= 40;
  healthy total protoporphyrin/heme mean 16, SD 5.3 umol/mol, shared/biology-anchors.md 3).
- ``iron.supply`` -> 90% of the transferrin iron taken up ends in heme (erythroid heme takes most
  of the plasma iron turnover; an assumed target). This puts the normal erythroblast just on the
  iron-sufficient side: less iron and FECH starts to chelate zinc.
- ``Gly.import_rate`` and ``Gly.k_other`` -> matrix glycine 2 mM with half of the imported glycine
  used by ALAS2 (assumed: no erythroblast measurement found; SLC25A38 loss causes sideroblastic
  anemia, so glycine supply matters for heme synthesis).

``mito_iron_ref`` (kind ``calculated``) is then set to the normal mitochondrial iron so that
``mito_iron_index`` is 1 in the normal man. Enzyme amounts of the downstream steps are set by the
rule "capacity well above the ALAS2 flux" (ALAS2 is rate-limiting), not fitted here.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

from hemesim.model.definition import ModelDefinition, load_definition, parameter_id

__all__ = ["CalibrationResult", "TARGETS", "FITTED", "calibrate", "write_table", "main"]

# readout -> target value (see module docstring for sources)
TARGETS: dict[str, float] = {
    "mch_pg": 30.0,
    "znpp_umol_mol_heme": 20.0,
    "heme_iron_fraction": 0.90,
    "glycine_uM": 2000.0,
    "alas2_glycine_share": 0.5,
}
FITTED: tuple[str, ...] = (
    "ALAS2.ksyn",
    "zinc.level",
    "iron.supply",
    "Gly.import_rate",
    "Gly.k_other",
)


@dataclass(frozen=True)
class CalibrationResult:
    """Fitted values (table names), the readouts they give, and the residuals (relative)."""

    values: dict[str, float]
    readouts: dict[str, float]
    residuals: dict[str, float]
    mito_iron_ref: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "values": self.values,
            "readouts": self.readouts,
            "residuals": self.residuals,
            "mito_iron_ref": self.mito_iron_ref,
        }


def _end_state(rr: Any, until_h: float) -> dict[str, float]:
    rr.reset()
    rr.simulate(0.0, until_h, 2)
    ids = [
        "mch_pg",
        "znpp_umol_mol_heme",
        "heme_total_amol",
        "iron_taken_up_amol",
        "mito_iron_amol",
        "mcv_fl",
        "hb_g_dl",
        "ep_total_umol_l_rbc",
        "ep_total_ug_dl_rbc",
        "znpp_fraction",
        "free_ppix_umol_l_rbc",
    ]
    out = {k: float(rr.getValue(k)) for k in ids}
    out["heme_iron_fraction"] = out["heme_total_amol"] / max(out["iron_taken_up_amol"], 1e-30)
    out["ep_umol_mol_heme"] = out["znpp_umol_mol_heme"] / max(out["znpp_fraction"], 1e-30)
    gly = float(rr.getValue("[Gly]"))
    j_alas2 = float(rr.getValue("J_ALAS2"))
    j_other = float(rr.getValue("mito")) * float(rr.getValue("Gly_k_other")) * gly
    out["glycine_uM"] = gly
    out["alas2_glycine_share"] = j_alas2 / max(j_alas2 + j_other, 1e-30)
    return out


def calibrate(definition: ModelDefinition | None = None) -> CalibrationResult:
    """Fit :data:`FITTED` to :data:`TARGETS` by least squares on log-parameters.

    Parameters
    ----------
    definition
        The model (default: ``load_definition("erythroid")``); its table values are the start.

    Returns
    -------
    CalibrationResult
    """
    import numpy as np
    import roadrunner
    from scipy.optimize import least_squares

    d = definition or load_definition("erythroid")
    rr = roadrunner.RoadRunner(d.sbml)
    rr.integrator.relative_tolerance = 1e-8
    defaults = d.defaults
    until = defaults["maturation_duration"]
    x0 = np.log([defaults[parameter_id(n)] for n in FITTED])

    def residuals(x: Any) -> Any:
        for name, v in zip(FITTED, np.exp(x), strict=True):
            rr.setValue(parameter_id(name), float(v))
        end = _end_state(rr, until)
        return np.array([math.log(end[k] / t) if end[k] > 0 else 10.0 for k, t in TARGETS.items()])

    fit = least_squares(residuals, x0, xtol=1e-10, ftol=1e-10, diff_step=1e-4)
    values = {n: float(f"{v:.6g}") for n, v in zip(FITTED, np.exp(fit.x), strict=True)}
    for name, v in values.items():
        rr.setValue(parameter_id(name), v)
    end = _end_state(rr, until)
    ref = float(f"{end['mito_iron_amol']:.6g}")
    return CalibrationResult(
        values=values,
        readouts=end,
        residuals={k: end[k] / t - 1.0 for k, t in TARGETS.items()},
        mito_iron_ref=ref,
    )


def write_table(result: CalibrationResult) -> None:
    """Store fitted values and ``mito_iron_ref`` in the package's ``parameters.csv``."""
    path = resources.files("hemesim.model").joinpath("parameters.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    fields = list(rows[0])
    new = dict(result.values, mito_iron_ref=result.mito_iron_ref)
    for row in rows:
        if row["name"] in new:
            row["value"] = f"{new[row['name']]:.6g}"
    with open(str(path), "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print the fit; ``--write`` stores it in parameters.csv."""
    parser = argparse.ArgumentParser(prog="python -m hemesim.model.calibrate")
    parser.add_argument("--write", action="store_true", help="write fitted values to the table")
    args = parser.parse_args(argv)
    result = calibrate()
    if args.write:  # write first, so that a closed stdout cannot lose the fit
        write_table(result)
    print("fitted parameters:")
    for k, v in result.values.items():
        print(f"  {k:<14} {v:.6g}")
    print(f"  {'mito_iron_ref':<14} {result.mito_iron_ref:.4g} (calculated)")
    print("readouts at maturation end:")
    for k, v in result.readouts.items():
        target = f"  (target {TARGETS[k]:.4g})" if k in TARGETS else ""
        print(f"  {k:<22} {v:.4g}{target}")
    if args.write:
        print("written to parameters.csv")


if __name__ == "__main__":
    main()
