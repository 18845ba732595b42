"""Draw docs/figures/maturation_mch.png: MCH of one erythroblast over 72 h of maturation.

The curve is hemesim's time course (libRoadRunner) at the SED-ML's output times (0-72 h, 200
intervals); the OMEX from ``hemesim export model.omex`` holds the same plot (``plot_mch``), and
tests/model/test_curation.py checks that COPASI and libRoadRunner, run on the archive, reproduce
it. Run: ``python docs/figures/maturation_mch.py``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from hemesim import load_model  # noqa: E402

result = load_model().simulate(points=201)
fig, ax = plt.subplots(figsize=(5.0, 3.2), dpi=120)
ax.plot(result.time_h, result.series["mch_pg"], color="#b71c1c")
ax.set_xlabel("time (h)")
ax.set_ylabel("MCH (pg)")
ax.set_title("Hemoglobin per cell over maturation")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(Path(__file__).with_suffix(".png"))
